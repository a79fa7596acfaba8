// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rows of a hist block -> entries of struct ft_hist. Pure: no I/O.
 *
 *   { common_pid: sh              [       105], id: sys_wait4                     [ 61] } hitcount:        143
 *
 * Keys are "name: value" joined by ", " inside "{ }"; strings are padded to 50 columns and may
 * hold ", ", ": " and braces themselves, so key boundaries are found with the column names of
 * the trigger info line and that padding. A stacktrace key spans lines (one frame each) up to a
 * line starting with "}". onmax()/onchange() handlers print a tab-indented line under the row.
 * A row that does not read as the columns say is kept in the hist's unknown lines.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hist/parse-int.h"

/* A hash of [s, e) for the intern cache: its length and its first and last eight bytes. */
static unsigned intern_slot(const char *s, const char *e, const char *lim)
{
	size_t n = (size_t)(e - s);
	uint64_t a = 0, b = 0;

	if (n >= 8) {
		a = scan_load(s);
		b = scan_load(e - 8);
	} else if (lim - s >= 8) {
		a = scan_load(s) & ((1ull << (8 * n)) - 1); /* the bytes past e are not its */
	} else {
		for (size_t i = 0; i < n; i++)
			a |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
	a = (a ^ n) * 0x9e3779b97f4a7c15ull ^ b * 0xc2b2ae3d27d4eb4full;
	return (unsigned)(a >> 52) & (INTERN_SLOTS - 1);
}

static const char *intern(struct parser *ps, const char *s, const char *e)
{
	size_t n = (size_t)(e - s);
	struct islot *sl;
	const char *d;

	if (!ps->cache)
		return dup_span(ps->h, s, e);
	/* The slot tells these strings apart well enough; scan_same() decides. */
	sl = &ps->cache[intern_slot(s, e, ps->end)];
	if (sl->s && sl->len == n && scan_same(sl->s, s, n))
		return sl->s;
	d = dup_span(ps->h, s, e);
	if (d) {
		sl->s = d;
		sl->len = n;
	}
	return d;
}

/* "comm [  pid]" or "name [ nr]": the text before the last '[' and the number in it. */
static bool name_and_num(struct parser *ps, struct ft_key *k, const char *s, const char *e)
{
	const char *lb = scan_byte_back(s, e, '['), *q;
	bool ok;

	if (!lb)
		return false;
	q = skip_sp(lb + 1, e);
	k->num = num_lim(&q, e, ps->end, 10, &ok, &ps->ovf);
	if (!ok || q >= e || *q != ']')
		return false;
	k->str = intern(ps, s, rtrim(s, lb));
	return k->str != NULL;
}

/* "[ffffffff81234567] symbol+0x1/0x2 [module]" */
static bool sym_key(struct parser *ps, struct ft_key *k, const char *s, const char *e)
{
	bool ok;

	if (s >= e || *s != '[')
		return false;
	s++;
	k->num = num_at(&s, e, 16, &ok, &ps->ovf);
	if (!ok || s >= e || *s != ']')
		return false;
	s = skip_sp(s + 1, e);
	k->str = intern(ps, s, rtrim(s, e));
	return k->str != NULL;
}

/* "~ 2^N" or "~ A-B" */
static bool bucket_key(struct ft_key *k, const char *s, const char *e, unsigned *ovf)
{
	bool ok;

	if (e - s < 2 || s[0] != '~' || s[1] != ' ')
		return false;
	s += 2;
	if (k->kind == FT_KEY_LOG2) {
		if (e - s < 2 || s[0] != '2' || s[1] != '^')
			return false;
		s += 2;
		k->num = num_at(&s, e, 10, &ok, ovf);
		k->lo = ft_log2_lo((unsigned)(k->num > 65 ? 65 : k->num));
		k->hi = ft_log2_hi((unsigned)(k->num > 65 ? 65 : k->num));
		return ok && skip_sp(s, e) == e;
	}
	k->num = k->lo = num_at(&s, e, 10, &ok, ovf);
	if (!ok || s >= e || *s != '-')
		return false;
	s++;
	k->hi = num_at(&s, e, 10, &ok, ovf);
	k->hi += k->hi < UINT64_MAX; /* saturated, not wrapped */
	return ok && skip_sp(s, e) == e;
}

/* A syscall the kernel could not name is printed "unknown_syscall": no name. */
static void no_unknown_syscall(struct ft_key *k)
{
	if (k->kind == FT_KEY_SYSCALL && k->str[0] == 'u' && !strcmp(k->str, "unknown_syscall"))
		k->str = NULL;
}

/* One key part's text [s, e) (after "name: ", padding included) into @k. */
static bool key_value(struct parser *ps, struct ft_key *k, const char *s, const char *e)
{
	/* Numbers before the trimming: whole_lim() trims them itself. */
	if (k->kind == FT_KEY_NUM)
		return whole_lim(s, e, ps->end, 10, &k->num, &ps->ovf);
	if (k->kind == FT_KEY_HEX)
		return whole_num(s, e, 16, &k->num, &ps->ovf);
	s = skip_sp(s, e);
	e = rtrim(s, e);
	switch (k->kind) {
	case FT_KEY_NUM:
	case FT_KEY_HEX:
		break; /* read above */
	case FT_KEY_SYM:
		return sym_key(ps, k, s, e);
	case FT_KEY_EXECNAME:
		return name_and_num(ps, k, s, e);
	case FT_KEY_SYSCALL:
		if (!name_and_num(ps, k, s, e))
			return false;
		no_unknown_syscall(k);
		return true;
	case FT_KEY_LOG2:
	case FT_KEY_BUCKET:
		return bucket_key(k, s, e, &ps->ovf);
	case FT_KEY_STR:
		k->str = intern(ps, s, e);
		return k->str != NULL;
	case FT_KEY_STACK:
		return s == e;
	}
	return false;
}

/* Where "name:" of column @c (@n long) starts at @s; returns the text after it, or NULL. */
static const char *col_name_at(const struct ft_hist_col *c, size_t n, const char *s, const char *e)
{
	if ((size_t)(e - s) > n && scan_same(s, c->name, n) && s[n] == ':')
		return s + n + 1;
	if (c->kind == FT_KEY_STACK && e - s > 11 && !memcmp(s, "stacktrace:", 11))
		return s + 11;
	return NULL;
}

static const char *find_sep(const char *s, const char *e, const char *sep, size_t n)
{
	while (s < e && (s = scan_byte(s, e, ','))) {
		if ((size_t)(e - s) >= n && scan_same(s, sep, n))
			return s;
		s++;
	}
	return NULL;
}

/* The end of key @i's text: where ", NEXT:" begins, or @e for the last key. */
static const char *key_end(struct parser *ps, size_t i, const char *s, const char *e)
{
	const char *q;
	size_t n = ps->key_sep_len[i];

	if (i + 1 >= ps->h->nkeys)
		return e;
	if (!n)
		return NULL;
	/* A string is padded to 50 columns: its separator is never earlier than that. */
	if (ps->h->keys[i].kind == FT_KEY_STR && e - s > STR_PAD) {
		q = find_sep(s + STR_PAD, e, ps->key_sep[i], n);
		if (q)
			return q;
	}
	return find_sep(s, e, ps->key_sep[i], n);
}

/*
 * Key @i, an execname or syscall key that another follows, read in one pass as the kernel
 * prints it ("sh              [      1000], id:"): name, padding, '[', the number, ']' and at
 * once the next key's ", NAME:". This stands in for key_end() and key_value() (half the time of
 * a row in a big hist) only where they would find the same: no ',' before the '[' (key_end()
 * takes the first ", NAME:") and nothing but the number after it (name_and_num() takes the
 * last '['). Returns where ", NAME:" begins, or NULL (nothing counted or kept) for those two to
 * read the key.
 */
static const char *name_num_fast(struct parser *ps, size_t i, struct ft_key *k, const char *s,
				 const char *e)
{
	const char *lb = scan_byte2(s, e, '[', ','), *q, *name;
	size_t n = ps->key_sep_len[i];
	unsigned ovf = 0;
	uint64_t num;
	bool ok;

	if (!lb || *lb != '[' || !n)
		return NULL;
	q = skip_sp(lb + 1, e);
	num = num_lim(&q, e, ps->end, 10, &ok, &ovf);
	if (!ok || q >= e || *q++ != ']' || (size_t)(e - q) < n || !scan_same(q, ps->key_sep[i], n))
		return NULL;
	name = skip_sp(s, lb);
	k->str = intern(ps, name, rtrim(name, lb));
	if (!k->str)
		return NULL;
	k->num = num;
	no_unknown_syscall(k);
	ps->ovf += ovf;
	return q;
}

/* First row of a hist: a key without a modifier is a string unless it reads as a number. */
static void settle_kind(struct parser *ps, size_t i, const char *s, const char *e)
{
	struct ft_hist_col *c = &ps->h->keys[i];
	uint64_t v;

	ps->kind_known[i] = true;
	if (c->kind != FT_KEY_NUM)
		return;
	/* Numbers are printed %10llu (at most 20 digits), strings %-50s. */
	if (e - s >= STR_PAD || !whole_num(s, e, 10, &v, NULL))
		c->kind = FT_KEY_STR;
}

static bool parse_keys(struct parser *ps, struct ft_hist_entry *en, const char *s, const char *e)
{
	struct ft_hist *h = ps->h;

	for (size_t i = 0; i < h->nkeys; i++) {
		const char *ve;

		/* Past key 0, key_end() found ", NAME:" of this key already. */
		s = i ? s + ps->key_sep_len[i - 1] : col_name_at(&h->keys[0], ps->key_len[0], s, e);
		if (!s)
			return false;
		if (!ps->kind_known[i]) {
			h->keys[i].kind = FT_KEY_NUM;
			ve = key_end(ps, i, s, e);
			if (!ve)
				return false;
			settle_kind(ps, i, s, ve);
		}
		en->keys[i].kind = h->keys[i].kind;
		ve = NULL;
		if (i + 1 < h->nkeys &&
		    (h->keys[i].kind == FT_KEY_EXECNAME || h->keys[i].kind == FT_KEY_SYSCALL))
			ve = name_num_fast(ps, i, &en->keys[i], s, e);
		if (!ve) {
			ve = key_end(ps, i, s, e);
			if (!ve || !key_value(ps, &en->keys[i], s, ve))
				return false;
		}
		s = ve;
	}
	return skip_sp(s, e) == e;
}

/* One value ("  name: 123", "  name (%):  12.34", "  name: ####    ") into @v. */
static bool parse_val(const struct ft_hist_col *c, size_t n, enum val_type t, const char **sp,
		      const char *e, const char *lim, uint64_t *v, unsigned *ovf)
{
	const char *s = skip_sp(*sp, e);
	bool ok;

	if ((size_t)(e - s) < n || !scan_same(s, c->name, n))
		return false;
	s += n;
	if (t == V_PCT) {
		if (e - s < 4 || memcmp(s, " (%)", 4))
			return false;
		s += 4;
	}
	if (s >= e || *s++ != ':')
		return false;
	s = skip_sp(s, e);
	if (t == V_GRAPH) {
		for (*v = 0; s < e && *s == '#'; s++)
			(*v)++;
	} else if (t == V_PCT) {
		uint64_t frac = 0;

		*v = num_at(&s, e, 10, &ok, ovf) * 100;
		if (ok && s < e && *s == '.') {
			s++;
			frac = num_at(&s, e, 10, &ok, ovf);
		}
		*v += frac; /* "[ERROR]" (a zero total) leaves 0 */
	} else {
		*v = num_lim(&s, e, lim, t == V_HEX ? 16 : 10, &ok, ovf);
		if (!ok)
			return false;
	}
	*sp = s;
	return true;
}

static bool parse_vals(struct parser *ps, struct ft_hist_entry *en, const char *s, const char *e)
{
	struct ft_hist *h = ps->h;

	for (size_t j = 0; j < h->nvals; j++)
		if (h->vals[j].shown && !parse_val(&h->vals[j], ps->val_len[j], ps->vt[j], &s, e,
						   ps->end, &en->vals[j], &ps->ovf))
			return false;
	e = rtrim(s, e);
	return skip_sp(s, e) == e;
}

/* A stack key's frames: the lines after @first up to one starting with "}". */
static bool stack_frames(struct parser *ps, struct ft_key *k, struct span *close)
{
	const char *q = ps->p, *next;
	size_t n = 0, cap = 0;
	const char **fr = NULL;

	while (q < ps->end) {
		struct span l = line_at(q, ps->end, &next);
		const char *s = skip_sp(l.s, l.e);

		if (s < l.e && *s == '}') {
			*close = (struct span){ s + 1, l.e };
			k->frames = fr;
			k->nframes = n;
			ps->p = next;
			return true;
		}
		if (s == l.e || *s == '{' || *l.s != ' ')
			return false;
		if (n == cap) {
			const char **nf =
				ft_hist_mem(ps->h, (cap = cap ? 2 * cap : 16) * sizeof(*nf));

			if (!nf)
				return false;
			if (n)
				memcpy(nf, fr, n * sizeof(*nf));
			fr = nf;
		}
		fr[n] = intern(ps, s, rtrim(s, l.e));
		if (!fr[n++])
			return false;
		q = next;
	}
	return false;
}

/**
 * ft_hist_parse_entry() - one row of the hist being filled
 * @ps: the parser; a stack key's frames are read from the lines after @l
 * @l: the row's first line, starting with "{ "
 *
 * Return: 0 (a row that does not read is kept as an unknown line), or -ENOMEM.
 */
int ft_hist_parse_entry(struct parser *ps, struct span l)
{
	struct ft_hist *h = ps->h;
	const char *rb = NULL, *save_p = ps->p;
	struct ft_hist_entry *en;
	struct span vals;
	bool stack = h->nkeys && h->keys[h->nkeys - 1].kind == FT_KEY_STACK;

	if (!h->nkeys)
		return ft_hist_parse_unknown(ps, l);
	if (!stack) {
		rb = memrchr(l.s, '}', (size_t)(l.e - l.s));
		if (!rb)
			return ft_hist_parse_unknown(ps, l);
	}
	en = ft_hist_add_entry(h);
	if (!en)
		return -ENOMEM;
	if (stack) {
		rb = rtrim(l.s, l.e);
		if (!stack_frames(ps, &en->keys[h->nkeys - 1], &vals))
			goto bad;
	} else {
		vals = (struct span){ rb + 1, l.e };
	}
	if (!parse_keys(ps, en, l.s + 2, rb) || !parse_vals(ps, en, vals.s, vals.e))
		goto bad;
	ps->last = en;
	return 0;
bad:
	h->nentries--;
	ps->p = save_p;
	return ft_hist_parse_unknown(ps, l);
}

/**
 * ft_hist_parse_action() - a handler's line under a row
 * @ps: the parser; the line belongs to its last row
 * @l: "\tmax:        240  next_comm: kcompactd0   prev_pid:   1930"
 *
 * Return: 0 (a line without a value is kept as an unknown line), or -ENOMEM.
 */
int ft_hist_parse_action(struct parser *ps, struct span l)
{
	struct ft_hist_actions *en = ft_hist_entry_actions_add(ps->h, ps->last);
	struct ft_hist_action *a, *na;
	const char *s = l.s + 1, *colon = memchr(s, ':', (size_t)(l.e - s));
	bool ok;

	if (!colon)
		return ft_hist_parse_unknown(ps, l);
	na = en ? ft_hist_mem(ps->h, (en->n + 1) * sizeof(*na)) : NULL;
	if (!na)
		return -ENOMEM;
	if (en->n)
		memcpy(na, en->v, en->n * sizeof(*na));
	en->v = na;
	a = &na[en->n++];
	a->line = dup_span(ps->h, s, rtrim(s, l.e));
	a->handler = dup_span(ps->h, s, colon);
	a->names = ft_hist_mem(ps->h, (ps->saves.n + 1) * sizeof(*a->names));
	a->values = ft_hist_mem(ps->h, (ps->saves.n + 1) * sizeof(*a->values));
	if (!a->line || !a->handler || !a->names || !a->values)
		return -ENOMEM;
	s = skip_sp(colon + 1, l.e);
	a->value = num_at(&s, l.e, 10, &ok, &ps->ovf);
	for (size_t i = 0; i < ps->saves.n; i++) {
		char sep[80];
		size_t n = (size_t)snprintf(sep, sizeof(sep), "  %s: ", ps->saves.name[i]);
		const char *at = n < sizeof(sep) ? memmem(s, (size_t)(l.e - s), sep, n) : NULL;
		const char *ve;

		if (!at)
			break;
		s = skip_sp(at + n, l.e);
		ve = l.e;
		if (i + 1 < ps->saves.n) {
			n = (size_t)snprintf(sep, sizeof(sep), "  %s: ", ps->saves.name[i + 1]);
			ve = n < sizeof(sep) ? memmem(s, (size_t)(l.e - s), sep, n) : NULL;
			if (!ve)
				ve = l.e;
		}
		a->names[a->nsaved] = ps->saves.name[i];
		a->values[a->nsaved] = dup_span(ps->h, s, rtrim(s, ve));
		if (!a->values[a->nsaved++])
			return -ENOMEM;
		s = ve;
	}
	return 0;
}

/**
 * ft_hist_parse_prepare() - what rows need from the columns, worked out once per hist
 * @ps: the parser, whose hist has its columns from the trigger info line
 */
void ft_hist_parse_prepare(struct parser *ps)
{
	struct ft_hist *h = ps->h;

	for (size_t i = 0; i < h->nkeys; i++) {
		const struct ft_hist_col *next = i + 1 < h->nkeys ? &h->keys[i + 1] : NULL;
		int n = next ? snprintf(ps->key_sep[i], sizeof(ps->key_sep[i]), ", %s:",
					next->kind == FT_KEY_STACK ? "stacktrace" : next->name)
			     : 0;

		ps->key_len[i] = strlen(h->keys[i].name);
		ps->key_sep_len[i] = n > 0 && (size_t)n < sizeof(ps->key_sep[i]) ? (size_t)n : 0;
		ps->kind_known[i] = h->keys[i].kind != FT_KEY_NUM;
	}
	for (size_t j = 0; j < h->nvals; j++) {
		const char *m = h->vals[j].modifier;

		ps->val_len[j] = strlen(h->vals[j].name);
		ps->vt[j] = !strcmp(m, "percent") ? V_PCT
			    : !strcmp(m, "graph") ? V_GRAPH
			    : !strcmp(m, "hex")	  ? V_HEX
						  : V_DEC;
	}
}
