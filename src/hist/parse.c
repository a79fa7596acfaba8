// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's hist file text -> struct ft_hist. Pure: no I/O.
 *
 * What the 6.1 kernel prints (kernel/trace/trace_events_hist.c, and the fixtures in
 * tests/fixtures/vm-6.1/hist), one block per hist trigger on the event:
 *
 *   # event histogram
 *   #
 *   # trigger info: hist:keys=common_pid.execname,id.syscall:vals=hitcount:... [active]
 *   #
 *
 *   { common_pid: sh              [       105], id: sys_wait4                     [ 61] } hitcount:        143
 *   ...
 *
 *   Totals:
 *       Hits: 11788
 *       Entries: 11
 *       Dropped: 0
 *
 * Keys are "name: value" joined by ", " inside "{ }"; strings are padded to 50 columns and may
 * hold ", ", ": " and braces themselves, so key boundaries are found with the column names of
 * the trigger info line and that padding. A stacktrace key spans lines (one frame each) up to a
 * line starting with "}". onmax()/onchange() handlers print a tab-indented line under the row.
 * Anything else is kept in the hist's unknown lines, never fatal.
 *
 * Numbers: the kernel prints u64 counters and keys (%llu, %llx; a negative key as its two's
 * complement). A number past 2^64 - 1 cannot come from it, so it is a damaged or edited file:
 * the value saturates at UINT64_MAX (never wraps into a plausible number) and the line is kept
 * in the hist's overflowed lines. The parser still never fails for it; the readers of the
 * numbers (ft_hist_load(): diff, stats) refuse such a hist and say which line it was.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/parse.h"

#define MAX_SAVES 32
#define STR_PAD 50 /* the kernel prints string keys as %-50s */

/* The save() field names of a hist's handlers: the kernel prints all of them on each line. */
struct saves {
	const char *name[MAX_SAVES];
	size_t n;
};

/* How a value column is printed. */
enum val_type { V_DEC, V_HEX, V_PCT, V_GRAPH };

/* Strings repeat (comms, syscall and symbol names, frames): each is copied once per hist. */
#define INTERN_SLOTS 4096
struct islot {
	const char *s;
	size_t len;
};

struct parser {
	const char *p, *end;
	const char *event, *instance;
	struct ft_hist **v;
	size_t n;
	struct ft_hist *h; /* the hist being filled, NULL before the first header */
	struct ft_hist_entry *last; /* the row handler lines belong to */
	struct saves saves;
	bool kind_known[FT_HIST_MAX_KEYS];
	bool in_totals;
	/* From the trigger line, so that rows are read without formatting or measuring: */
	size_t key_len[FT_HIST_MAX_KEYS]; /* strlen of each key's name */
	char key_sep[FT_HIST_MAX_KEYS][80]; /* ", NEXT:" that ends key i */
	size_t key_sep_len[FT_HIST_MAX_KEYS]; /* 0 when too long */
	enum val_type vt[FT_HIST_MAX_VALS];
	size_t val_len[FT_HIST_MAX_VALS];
	struct islot *cache; /* INTERN_SLOTS, or NULL (then nothing is shared) */
	unsigned ovf; /* numbers past 2^64 - 1 so far (num_at()) */
};

/* A piece of the input: [s, e). */
struct span {
	const char *s, *e;
};

static bool starts(struct span l, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(l.e - l.s) >= n && !memcmp(l.s, lit, n);
}

static const char *skip_sp(const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	return s;
}

static const char *rtrim(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e;
}

/*
 * Digits in @base from @s; *@ok false when there are none. A number past 2^64 - 1 (which no
 * kernel prints: its counters are u64) saturates at UINT64_MAX and counts in *@ovf, so that
 * a damaged file is reported instead of wrapping into a plausible number.
 */
static uint64_t num_at(const char **s, const char *e, int base, bool *ok, unsigned *ovf)
{
	const char *q = *s;
	uint64_t v = 0;
	bool over = false;

	for (; q < e; q++) {
		unsigned d;

		if (*q >= '0' && *q <= '9')
			d = (unsigned)(*q - '0');
		else if (base == 16 && ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'f'))
			d = (unsigned)((*q | 0x20) - 'a' + 10);
		else
			break;
		over = over || __builtin_mul_overflow(v, (unsigned)base, &v) ||
		       __builtin_add_overflow(v, d, &v);
	}
	if (over) {
		v = UINT64_MAX;
		if (ovf)
			(*ovf)++;
	}
	*ok = q > *s;
	*s = q;
	return v;
}

/* The whole of [s, e) is a number in @base, surrounding spaces aside. */
static bool whole_num(const char *s, const char *e, int base, uint64_t *v, unsigned *ovf)
{
	bool ok;

	s = skip_sp(s, e);
	e = rtrim(s, e);
	*v = num_at(&s, e, base, &ok, ovf);
	return ok && s == e;
}

static const char *dup_span(struct ft_hist *h, const char *s, const char *e)
{
	return ft_hist_strndup(h, s, (size_t)(e - s));
}

static const char *intern(struct parser *ps, const char *s, const char *e)
{
	size_t n = (size_t)(e - s);
	uint32_t x = 2166136261u;
	struct islot *sl;
	const char *d;

	if (!ps->cache)
		return dup_span(ps->h, s, e);
	/* Length and both ends tell these strings apart well enough; memcmp decides. */
	x = (x ^ (uint32_t)n) * 16777619u;
	for (size_t i = 0; i < n && i < 6; i++)
		x = (x ^ (unsigned char)s[i] ^
		     ((uint32_t)(unsigned char)e[-1 - (ptrdiff_t)i] << 8)) *
		    16777619u;
	sl = &ps->cache[x & (INTERN_SLOTS - 1)];
	if (sl->s && sl->len == n && !memcmp(sl->s, s, n))
		return sl->s;
	d = dup_span(ps->h, s, e);
	if (d) {
		sl->s = d;
		sl->len = n;
	}
	return d;
}

/* Split [s, e) at @sep outside parentheses; calls @fn for each piece. */
static int split_top(const char *s, const char *e, char sep,
		     int (*fn)(struct ft_hist *h, struct saves *sv, const char *s, const char *e),
		     struct ft_hist *h, struct saves *sv)
{
	int depth = 0, ret;
	const char *start = s;

	for (const char *q = s; q <= e; q++) {
		if (q < e && *q == '(')
			depth++;
		else if (q < e && *q == ')' && depth > 0)
			depth--;
		else if (q == e || (*q == sep && depth == 0)) {
			ret = fn(h, sv, start, q);
			if (ret)
				return ret;
			start = q + 1;
		}
	}
	return 0;
}

static enum ft_key_kind key_kind(const char *name, const char *mod)
{
	if (!strcmp(name, "stacktrace") || !strcmp(name, "common_stacktrace"))
		return FT_KEY_STACK;
	if (!strcmp(mod, "execname"))
		return FT_KEY_EXECNAME;
	if (!strcmp(mod, "syscall"))
		return FT_KEY_SYSCALL;
	if (!strcmp(mod, "sym") || !strcmp(mod, "sym-offset"))
		return FT_KEY_SYM;
	if (!strcmp(mod, "hex"))
		return FT_KEY_HEX;
	if (!strcmp(mod, "log2"))
		return FT_KEY_LOG2;
	if (!strncmp(mod, "buckets=", 8))
		return FT_KEY_BUCKET;
	return FT_KEY_NUM; /* or a string: decided on the first row */
}

/* One "field.modifier" of keys= or vals= into a column. */
static int add_col(struct ft_hist *h, struct ft_hist_col *cols, size_t *n, size_t max,
		   const char *s, const char *e)
{
	const char *dot = memchr(s, '.', (size_t)(e - s));
	struct ft_hist_col *c;

	if (*n >= max || s == e)
		return 0;
	c = &cols[(*n)++];
	c->name = dup_span(h, s, dot ? dot : e);
	c->modifier = dot ? dup_span(h, dot + 1, e) : "";
	if (!c->name || !c->modifier)
		return -ENOMEM;
	c->kind = key_kind(c->name, c->modifier);
	/* The kernel does not print values that are expressions (a-b, $var). */
	c->shown = !strpbrk(c->name, "+-*/$");
	return 0;
}

static int key_col(struct ft_hist *h, struct saves *sv, const char *s, const char *e)
{
	return add_col(h, h->keys, &h->nkeys, FT_HIST_MAX_KEYS, s, e);
}

static int val_col(struct ft_hist *h, struct saves *sv, const char *s, const char *e)
{
	return add_col(h, h->vals, &h->nvals, FT_HIST_MAX_VALS, s, e);
}

static int save_name(struct ft_hist *h, struct saves *sv, const char *s, const char *e)
{
	if (sv->n >= MAX_SAVES || s == e)
		return 0;
	sv->name[sv->n] = dup_span(h, s, e);
	return sv->name[sv->n++] ? 0 : -ENOMEM;
}

/* The save(a,b) lists of handler parts ("onmax($m).save(a,b)"). */
static int handler_saves(struct ft_hist *h, struct saves *sv, const char *s, const char *e)
{
	const char *q = s;

	while ((q = memmem(q, (size_t)(e - q), ".save(", 6))) {
		const char *close = memchr(q, ')', (size_t)(e - q));
		int ret;

		q += 6;
		if (!close)
			break;
		ret = split_top(q, close, ',', save_name, h, sv);
		if (ret)
			return ret;
		q = close;
	}
	return 0;
}

static int trigger_part(struct ft_hist *h, struct saves *sv, const char *s, const char *e)
{
	struct span p = { s, e };
	uint64_t size;

	if (starts(p, "keys=") || starts(p, "key="))
		return split_top(memchr(s, '=', (size_t)(e - s)) + 1, e, ',', key_col, h, sv);
	if (starts(p, "vals=") || starts(p, "values="))
		return split_top(memchr(s, '=', (size_t)(e - s)) + 1, e, ',', val_col, h, sv);
	if (starts(p, "name=")) {
		h->name = dup_span(h, s + 5, e);
		return h->name ? 0 : -ENOMEM;
	}
	if (starts(p, "size=") && whole_num(s + 5, e, 10, &size, NULL))
		h->size = (unsigned)size;
	else if (starts(p, "nohitcount") || starts(p, "NOHC")) {
		for (size_t i = 0; i < h->nvals; i++)
			if (!strcmp(h->vals[i].name, "hitcount"))
				h->vals[i].shown = false;
	} else if (starts(p, "onmax(") || starts(p, "onchange(") || starts(p, "onmatch(")) {
		return handler_saves(h, sv, s, e);
	}
	return 0;
}

/* The filter starts at the first " if " outside parentheses. */
static const char *find_filter(const char *s, const char *e)
{
	int depth = 0;

	for (const char *q = s; q + 4 <= e; q++) {
		if (*q == '(')
			depth++;
		else if (*q == ')' && depth > 0)
			depth--;
		else if (!depth && !memcmp(q, " if ", 4))
			return q;
	}
	return NULL;
}

static int parse_trigger(struct ft_hist *h, const char *s, const char *e, struct saves *sv)
{
	const char *f;

	e = rtrim(s, e);
	h->trigger = dup_span(h, s, e);
	if (!h->trigger)
		return -ENOMEM;
	h->nkeys = h->nvals = 0;
	if (e - s >= 9 && !memcmp(e - 9, " [paused]", 9)) {
		h->paused = true;
		e -= 9;
	} else if (e - s >= 9 && !memcmp(e - 9, " [active]", 9)) {
		e -= 9;
	}
	f = find_filter(s, e);
	if (f) {
		h->filter = dup_span(h, f + 4, e);
		if (!h->filter)
			return -ENOMEM;
		e = f;
	}
	if (e - s < 5 || memcmp(s, "hist:", 5))
		return -EINVAL;
	return split_top(s + 5, e, ':', trigger_part, h, sv);
}

static int new_hist(struct parser *ps)
{
	struct ft_hist *h, **nv;

	h = ft_hist_alloc(ps->event, ps->instance, "hist");
	if (!h)
		return -ENOMEM;
	nv = realloc(ps->v, (ps->n + 1) * sizeof(*nv));
	if (!nv) {
		ft_hist_free(h);
		return -ENOMEM;
	}
	ps->v = nv;
	nv[ps->n++] = h;
	ps->h = h;
	ps->last = NULL;
	ps->saves.n = 0;
	ps->in_totals = false;
	if (ps->cache)
		memset(ps->cache, 0, INTERN_SLOTS * sizeof(*ps->cache));
	memset(ps->kind_known, 0, sizeof(ps->kind_known));
	for (size_t i = 0; i < FT_HIST_MAX_KEYS; i++)
		ps->kind_known[i] = true;
	return 0;
}

static int unknown(struct parser *ps, struct span l)
{
	char *s;
	int ret;

	if (!ps->h && (ret = new_hist(ps)))
		return ret;
	s = strndup(l.s, (size_t)(l.e - l.s));
	if (!s)
		return -ENOMEM;
	ret = ft_hist_add_line(ps->h, &ps->h->unknown, &ps->h->nunknown, s);
	free(s);
	ps->last = NULL;
	return ret;
}

/* "comm [  pid]" or "name [ nr]": the text before the last '[' and the number in it. */
static bool name_and_num(struct parser *ps, struct ft_key *k, const char *s, const char *e)
{
	const char *lb = e, *q;
	bool ok;

	while (lb > s && *--lb != '[')
		;
	if (*lb != '[')
		return false;
	q = skip_sp(lb + 1, e);
	k->num = num_at(&q, e, 10, &ok, &ps->ovf);
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

/* One key part's text [s, e) (after "name: ", padding included) into @k. */
static bool key_value(struct parser *ps, struct ft_key *k, const char *s, const char *e)
{
	s = skip_sp(s, e);
	e = rtrim(s, e);
	switch (k->kind) {
	case FT_KEY_NUM:
		return whole_num(s, e, 10, &k->num, &ps->ovf);
	case FT_KEY_HEX:
		return whole_num(s, e, 16, &k->num, &ps->ovf);
	case FT_KEY_SYM:
		return sym_key(ps, k, s, e);
	case FT_KEY_EXECNAME:
		return name_and_num(ps, k, s, e);
	case FT_KEY_SYSCALL:
		if (!name_and_num(ps, k, s, e))
			return false;
		if (!strcmp(k->str, "unknown_syscall"))
			k->str = NULL;
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
	if ((size_t)(e - s) > n && !memcmp(s, c->name, n) && s[n] == ':')
		return s + n + 1;
	if (c->kind == FT_KEY_STACK && e - s > 11 && !memcmp(s, "stacktrace:", 11))
		return s + 11;
	return NULL;
}

static const char *find_sep(const char *s, const char *e, const char *sep, size_t n)
{
	while (s < e && (s = memchr(s, ',', (size_t)(e - s)))) {
		if ((size_t)(e - s) >= n && !memcmp(s, sep, n))
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

		if (i) {
			if (e - s < 2 || s[0] != ',' || s[1] != ' ')
				return false;
			s += 2;
		}
		s = col_name_at(&h->keys[i], ps->key_len[i], s, e);
		if (!s)
			return false;
		if (!ps->kind_known[i]) {
			h->keys[i].kind = FT_KEY_NUM;
			ve = key_end(ps, i, s, e);
			if (!ve)
				return false;
			settle_kind(ps, i, s, ve);
		}
		ve = key_end(ps, i, s, e);
		if (!ve)
			return false;
		en->keys[i].kind = h->keys[i].kind;
		if (!key_value(ps, &en->keys[i], s, ve))
			return false;
		s = ve;
	}
	return skip_sp(s, e) == e;
}

/* One value ("  name: 123", "  name (%):  12.34", "  name: ####    ") into @v. */
static bool parse_val(const struct ft_hist_col *c, size_t n, enum val_type t, const char **sp,
		      const char *e, uint64_t *v, unsigned *ovf)
{
	const char *s = skip_sp(*sp, e);
	bool ok;

	if ((size_t)(e - s) < n || memcmp(s, c->name, n))
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
		*v = num_at(&s, e, t == V_HEX ? 16 : 10, &ok, ovf);
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
						   &en->vals[j], &ps->ovf))
			return false;
	return skip_sp(s, rtrim(s, e)) == rtrim(s, e);
}

/* The line at @s; *@next is set past its newline. */
static struct span line_at(const char *s, const char *end, const char **next)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	struct span l = { s, nl ? nl : end };

	*next = nl ? nl + 1 : end;
	return l;
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

static int entry(struct parser *ps, struct span l)
{
	struct ft_hist *h = ps->h;
	const char *rb = NULL, *save_p = ps->p;
	struct ft_hist_entry *en;
	struct span vals;
	bool stack = h->nkeys && h->keys[h->nkeys - 1].kind == FT_KEY_STACK;

	if (!h->nkeys)
		return unknown(ps, l);
	if (!stack) {
		rb = memrchr(l.s, '}', (size_t)(l.e - l.s));
		if (!rb)
			return unknown(ps, l);
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
	return unknown(ps, l);
}

/* "\tmax:        240  next_comm: kcompactd0   prev_pid:   1930" under a row. */
static int action(struct parser *ps, struct span l)
{
	struct ft_hist_entry *en = ps->last;
	struct ft_hist_action *a, *na;
	const char *s = l.s + 1, *colon = memchr(s, ':', (size_t)(l.e - s));
	bool ok;

	if (!colon)
		return unknown(ps, l);
	na = ft_hist_mem(ps->h, (en->nactions + 1) * sizeof(*na));
	if (!na)
		return -ENOMEM;
	if (en->nactions)
		memcpy(na, en->actions, en->nactions * sizeof(*na));
	en->actions = na;
	a = &na[en->nactions++];
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

static bool total(struct span l, const char *label, uint64_t *v, unsigned *ovf)
{
	size_t n = strlen(label);
	const char *s = skip_sp(l.s, l.e);

	if ((size_t)(l.e - s) <= n || memcmp(s, label, n))
		return false;
	return whole_num(s + n, l.e, 10, v, ovf);
}

/* What rows need from the columns, worked out once per hist. */
static void prepare(struct parser *ps)
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

static int header_line(struct parser *ps, struct span l)
{
	static const char info[] = "# trigger info: ";
	int ret;

	if (starts(l, "# event histogram"))
		return new_hist(ps);
	if (!ps->h && (ret = new_hist(ps)))
		return ret;
	if (starts(l, info) && !ps->h->nentries && !*ps->h->trigger) {
		ret = parse_trigger(ps->h, l.s + sizeof(info) - 1, l.e, &ps->saves);
		prepare(ps);
		return ret == -ENOMEM ? ret : 0;
	}
	if (starts(l, info))
		return unknown(ps, l); /* a second trigger line in one block */
	return 0; /* "#" separators */
}

static int one_line(struct parser *ps, struct span l)
{
	struct ft_hist *h = ps->h;

	if (l.s < l.e && *l.s == '#')
		return header_line(ps, l);
	if (rtrim(l.s, l.e) == l.s)
		return 0;
	if (!h)
		return unknown(ps, l);
	if (starts(l, "{ "))
		return entry(ps, l);
	if (*l.s == '\t' && ps->last)
		return action(ps, l);
	ps->last = NULL;
	if (starts(l, "Totals:")) {
		ps->in_totals = true;
		return 0;
	}
	if (ps->in_totals && (total(l, "Hits:", &h->hits, &ps->ovf) ||
			      total(l, "Entries:", &h->nentries_total, &ps->ovf) ||
			      total(l, "Dropped:", &h->dropped, &ps->ovf)))
		return 0;
	return unknown(ps, l);
}

/*
 * A line read with a number past 2^64 - 1 (saturated) goes to the hist's overflowed lines, so
 * that whoever uses the numbers can refuse them; a line kept as unknown is reported as such.
 */
static int note_overflow(struct parser *ps, struct span l, unsigned before, size_t nunknown)
{
	char *s;
	int ret;

	if (ps->ovf == before || !ps->h || ps->h->nunknown != nunknown)
		return 0;
	s = strndup(l.s, (size_t)(l.e - l.s));
	if (!s)
		return -ENOMEM;
	ret = ft_hist_add_line(ps->h, &ps->h->overflowed, &ps->h->noverflowed, s);
	free(s);
	return ret;
}

/**
 * ft_hist_parse() - parse the text of an event's hist file
 * @text: the file's contents; need not be NUL-terminated
 * @len: their length
 * @event: "system:event" recorded in each hist (may be NULL)
 * @instance: the instance it was read from, NULL or "" for the top level
 * @out: set to an array of hists, one per "# event histogram" block, in file order; free with
 *       ft_hist_free_all(); NULL when the file holds none
 * @n: set to the array's length
 *
 * Lines the parser does not understand go to the unknown lines of the hist they appear in
 * (a hist is made for lines before any header); they never make it fail. Key columns and the
 * save() names of handler lines come from the "# trigger info:" line.
 *
 * Return: 0, or -ENOMEM (nothing is returned then).
 */
int ft_hist_parse(const char *text, size_t len, const char *event, const char *instance,
		  struct ft_hist ***out, size_t *n)
{
	struct parser ps = { .p = text, .end = text + len, .event = event, .instance = instance };
	int ret = 0;

	/* Without the cache strings are copied each time: slower, not wrong. */
	ps.cache = calloc(INTERN_SLOTS, sizeof(*ps.cache));
	while (!ret && ps.p < ps.end) {
		const char *next;
		struct span l = line_at(ps.p, ps.end, &next);
		unsigned ovf = ps.ovf;
		size_t nunknown = ps.h ? ps.h->nunknown : 0;

		ps.p = next;
		ret = one_line(&ps, l);
		if (!ret)
			ret = note_overflow(&ps, l, ovf, nunknown);
	}
	if (ret) {
		ft_hist_free_all(ps.v, ps.n);
		ps.v = NULL;
		ps.n = 0;
	}
	free(ps.cache);
	*out = ps.v;
	*n = ps.n;
	return ret;
}
