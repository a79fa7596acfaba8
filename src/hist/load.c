// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading dumps back: the JSON of ft_hist_write_json() (schema in man ftrig-hist) or a
 * kernel hist file, into struct ft_hist, for `hist diff` and `hist stats`. Pure.
 *
 * The JSON is read into a small tree first (nodes live in a scratch hist's arena), then the
 * tree is mapped onto the model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/cols.h"
#include "hist/export-json.h"
#include "hist/load.h"
#include "hist/parse.h"

#define MAX_DEPTH 32

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	const char *s; /* string (decoded) or number text */
	bool b;
	size_t n; /* members of an array or object */
	struct jv *kids;
	const char **names; /* object member names */
};

struct jp {
	const char *p, *end;
	struct ft_hist *arena;
	char *err;
	size_t errsize;
};

static int fail(struct jp *jp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct jp *jp, const char *fmt, ...)
{
	va_list ap;

	if (jp->err && jp->errsize && !*jp->err) {
		va_start(ap, fmt);
		vsnprintf(jp->err, jp->errsize, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static void ws(struct jp *jp)
{
	while (jp->p < jp->end &&
	       (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static size_t utf8(char *o, unsigned c)
{
	if (c < 0x80)
		return (size_t)(o[0] = (char)c, 1);
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | (c >> 12));
	o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[2] = (char)(0x80 | (c & 0x3f));
	return 3;
}

static int escape(struct jp *jp, char *o, size_t *k)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *c = jp->p < jp->end ? strchr(from, *jp->p) : NULL;
	unsigned u = 0;

	if (c && *c) {
		o[(*k)++] = to[c - from];
		jp->p++;
		return 0;
	}
	if (jp->p >= jp->end || *jp->p != 'u' || jp->end - jp->p < 5)
		return fail(jp, "bad escape in a string");
	for (int i = 1; i <= 4; i++) {
		char h = jp->p[i];

		u = u * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
					: (h | 0x20) >= 'a' && (h | 0x20) <= 'f'
						? (h | 0x20) - 'a' + 10
						: 0);
	}
	jp->p += 5;
	*k += utf8(o + *k, u);
	return 0;
}

static int string(struct jp *jp, const char **out)
{
	const char *q = ++jp->p;
	char *o;
	size_t k = 0;

	while (q < jp->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= jp->end)
		return fail(jp, "unterminated string");
	o = ft_hist_mem(jp->arena, (size_t)(q - jp->p) * 3 + 1);
	if (!o)
		return -ENOMEM;
	while (jp->p < jp->end && *jp->p != '"') {
		int ret;

		if (*jp->p != '\\') {
			o[k++] = *jp->p++;
			continue;
		}
		jp->p++;
		ret = escape(jp, o, &k);
		if (ret)
			return ret;
	}
	jp->p++;
	*out = o;
	return 0;
}

static int value(struct jp *jp, struct jv *v, int depth);

/* The members of an array or object, collected in a growing buffer then moved to the arena. */
static int members(struct jp *jp, struct jv *v, char close, int depth)
{
	struct jv *kids = NULL;
	const char **names = NULL;
	size_t cap = 0;
	int ret = 0;

	jp->p++;
	ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return 0;
	}
	for (;;) {
		if (v->n == cap) {
			struct jv *nk = realloc(kids, (cap = cap ? 2 * cap : 8) * sizeof(*nk));
			const char **nn = nk ? realloc(names, cap * sizeof(*nn)) : NULL;

			if (nk)
				kids = nk;
			if (!nk || !nn) {
				ret = -ENOMEM;
				break;
			}
			names = nn;
		}
		ws(jp);
		names[v->n] = NULL;
		if (close == '}') {
			if (jp->p >= jp->end || *jp->p != '"') {
				ret = fail(jp, "expected a member name");
				break;
			}
			ret = string(jp, &names[v->n]);
			ws(jp);
			if (!ret && (jp->p >= jp->end || *jp->p++ != ':'))
				ret = fail(jp, "expected ':' after a member name");
			if (ret)
				break;
		}
		ret = value(jp, &kids[v->n++], depth + 1);
		if (ret)
			break;
		ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			break;
		}
		ret = fail(jp, "expected ',' or '%c'", close);
		break;
	}
	if (!ret && v->n) {
		v->kids = ft_hist_mem(jp->arena, v->n * sizeof(*kids));
		v->names = ft_hist_mem(jp->arena, v->n * sizeof(*names));
		if (!v->kids || !v->names)
			ret = -ENOMEM;
		else {
			memcpy(v->kids, kids, v->n * sizeof(*kids));
			memcpy(v->names, names, v->n * sizeof(*names));
		}
	}
	free(kids);
	free(names);
	return ret;
}

static int literal(struct jp *jp, struct jv *v)
{
	static const struct {
		const char *word;
		enum jtype t;
		bool b;
	} lit[] = { { "null", J_NULL, false },
		    { "true", J_BOOL, true },
		    { "false", J_BOOL, false } };
	const char *q = jp->p;

	for (size_t i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		size_t n = strlen(lit[i].word);

		if ((size_t)(jp->end - q) >= n && !memcmp(q, lit[i].word, n)) {
			v->t = lit[i].t;
			v->b = lit[i].b;
			jp->p += n;
			return 0;
		}
	}
	while (q < jp->end && strchr("+-.0123456789eE", *q))
		q++;
	if (q == jp->p)
		return fail(jp, "unexpected character '%c'", *jp->p);
	v->t = J_NUM;
	v->s = ft_hist_strndup(jp->arena, jp->p, (size_t)(q - jp->p));
	jp->p = q;
	return v->s ? 0 : -ENOMEM;
}

static int value(struct jp *jp, struct jv *v, int depth)
{
	memset(v, 0, sizeof(*v));
	ws(jp);
	if (depth > MAX_DEPTH)
		return fail(jp, "nested too deeply");
	if (jp->p >= jp->end)
		return fail(jp, "unexpected end");
	switch (*jp->p) {
	case '{':
		v->t = J_OBJ;
		return members(jp, v, '}', depth);
	case '[':
		v->t = J_ARR;
		return members(jp, v, ']', depth);
	case '"':
		v->t = J_STR;
		return string(jp, &v->s);
	default:
		return literal(jp, v);
	}
}

static const struct jv *get(const struct jv *o, const char *name, enum jtype t)
{
	for (size_t i = 0; o && o->t == J_OBJ && i < o->n; i++)
		if (!strcmp(o->names[i], name))
			return o->kids[i].t == t ? &o->kids[i] : NULL;
	return NULL;
}

static uint64_t get_u64(const struct jv *o, const char *name)
{
	const struct jv *v = get(o, name, J_NUM);

	return !v		? 0
	       : v->s[0] == '-' ? (uint64_t)strtoll(v->s, NULL, 10)
				: strtoull(v->s, NULL, 10);
}

static const char *get_str(struct ft_hist *h, const struct jv *o, const char *name)
{
	const struct jv *v = get(o, name, J_STR);

	return ft_hist_strdup(h, v ? v->s : "");
}

static int load_cols(struct ft_hist *h, const struct jv *arr, bool keys, struct jp *jp)
{
	struct ft_hist_col *cols = keys ? h->keys : h->vals;
	size_t max = keys ? FT_HIST_MAX_KEYS : FT_HIST_MAX_VALS;

	if (!arr || arr->n > max)
		return fail(jp, "%s: missing or more than %zu columns", keys ? "keys" : "values",
			    max);
	for (size_t i = 0; i < arr->n; i++) {
		const struct jv *c = &arr->kids[i], *t = get(c, "type", J_STR), *b;
		int kind = keys && t ? ft_key_type_lookup(t->s) : FT_KEY_NUM;

		if (kind < 0)
			return fail(jp, "unknown key type '%s'", t->s);
		cols[i].name = get_str(h, c, "name");
		cols[i].modifier = get_str(h, c, "modifier");
		cols[i].kind = (enum ft_key_kind)kind;
		b = get(c, keys ? "signed" : "shown", J_BOOL);
		if (keys)
			cols[i].is_signed = b && b->b;
		else
			cols[i].shown = !b || b->b;
		if (!cols[i].name || !cols[i].modifier)
			return -ENOMEM;
	}
	if (keys)
		h->nkeys = arr->n;
	else
		h->nvals = arr->n;
	return 0;
}

static int load_key(struct ft_hist *h, struct ft_key *k, enum ft_key_kind kind, const struct jv *o)
{
	static const char *const numname[] = {
		[FT_KEY_NUM] = "value",	   [FT_KEY_HEX] = "value",  [FT_KEY_SYM] = "addr",
		[FT_KEY_EXECNAME] = "pid", [FT_KEY_SYSCALL] = "nr", [FT_KEY_LOG2] = "log2",
		[FT_KEY_BUCKET] = "lo"
	};
	static const char *const strname[] = { [FT_KEY_SYM] = "sym",
					       [FT_KEY_STR] = "str",
					       [FT_KEY_EXECNAME] = "comm",
					       [FT_KEY_SYSCALL] = "name" };
	const struct jv *fr = get(o, "frames", J_ARR);

	k->kind = kind;
	if (kind < sizeof(numname) / sizeof(numname[0]) && numname[kind])
		k->num = get_u64(o, numname[kind]);
	if (kind < sizeof(strname) / sizeof(strname[0]) && strname[kind] &&
	    get(o, strname[kind], J_STR) && !(k->str = get_str(h, o, strname[kind])))
		return -ENOMEM;
	k->lo = get_u64(o, "lo");
	k->hi = get_u64(o, "hi");
	if (kind != FT_KEY_STACK || !fr || !fr->n)
		return 0;
	k->frames = ft_hist_mem(h, fr->n * sizeof(*k->frames));
	if (!k->frames)
		return -ENOMEM;
	for (size_t i = 0; i < fr->n; i++)
		if (!(k->frames[k->nframes++] =
			      ft_hist_strdup(h, fr->kids[i].s ? fr->kids[i].s : "")))
			return -ENOMEM;
	return 0;
}

static int load_actions(struct ft_hist *h, struct ft_hist_entry *e, const struct jv *arr)
{
	struct ft_hist_actions *acts;

	if (!arr || !arr->n)
		return 0;
	acts = ft_hist_entry_actions_add(h, e);
	if (!acts || !(acts->v = ft_hist_mem(h, arr->n * sizeof(*acts->v))))
		return -ENOMEM;
	for (size_t i = 0; i < arr->n; i++) {
		struct ft_hist_action *a = &acts->v[acts->n++];
		const struct jv *sv = get(&arr->kids[i], "saved", J_OBJ);
		size_t n = sv ? sv->n : 0;

		a->handler = get_str(h, &arr->kids[i], "handler");
		a->value = get_u64(&arr->kids[i], "value");
		a->names = ft_hist_mem(h, (n + 1) * sizeof(*a->names));
		a->values = ft_hist_mem(h, (n + 1) * sizeof(*a->values));
		a->line = "";
		if (!a->handler || !a->names || !a->values)
			return -ENOMEM;
		for (size_t s = 0; s < n; s++) {
			a->names[s] = ft_hist_strdup(h, sv->names[s]);
			a->values[s] = ft_hist_strdup(h, sv->kids[s].s ? sv->kids[s].s : "");
			if (!a->names[s] || !a->values[s])
				return -ENOMEM;
		}
		a->nsaved = n;
	}
	return 0;
}

static int load_entries(struct ft_hist *h, const struct jv *arr, struct jp *jp)
{
	for (size_t i = 0; arr && i < arr->n; i++) {
		const struct jv *o = &arr->kids[i], *key = get(o, "key", J_ARR);
		const struct jv *vals = get(o, "values", J_ARR);
		struct ft_hist_entry *e;
		int ret = 0;

		if (!key || !vals || key->n != h->nkeys || vals->n != h->nvals)
			return fail(jp, "entry %zu: its key or values do not match the columns", i);
		e = ft_hist_add_entry(h);
		if (!e)
			return -ENOMEM;
		for (size_t k = 0; !ret && k < h->nkeys; k++)
			ret = load_key(h, &e->keys[k], h->keys[k].kind, &key->kids[k]);
		for (size_t v = 0; v < h->nvals; v++) {
			const char *t = vals->kids[v].s;

			errno = 0;
			e->vals[v] = t && *t != '-' ? strtoull(t, NULL, 10) : 0;
			if (errno == ERANGE || (t && *t == '-'))
				return fail(jp, "entry %zu: value '%s' is outside 0..2^64-1", i, t);
		}
		if (!ret)
			ret = load_actions(h, e, get(o, "actions", J_ARR));
		if (ret)
			return ret;
	}
	return 0;
}

static void ns_to_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

static int load_hist(const struct jv *o, struct ft_hist **out, struct jp *jp)
{
	const struct jv *tot = get(o, "totals", J_OBJ), *unk = get(o, "unknown_lines", J_ARR);
	const struct jv *ev = get(o, "event", J_STR), *in = get(o, "instance", J_STR);
	const struct jv *be = get(o, "backend", J_STR), *p = get(o, "paused", J_BOOL);
	struct ft_hist *h = ft_hist_alloc(ev ? ev->s : "", in ? in->s : "", be ? be->s : "hist");
	int ret;

	if (!h)
		return -ENOMEM;
	*out = h;
	h->trigger = get_str(h, o, "trigger");
	h->name = get_str(h, o, "name");
	h->filter = get_str(h, o, "filter");
	h->paused = p && p->b;
	h->size = (unsigned)get_u64(o, "size");
	ns_to_ts(get_u64(o, "taken_ns"), &h->taken);
	ns_to_ts(get_u64(o, "mono_ns"), &h->taken_mono);
	h->interval_ns = get_u64(o, "interval_ns");
	h->hits = get_u64(tot, "hits");
	h->nentries_total = get_u64(tot, "entries");
	h->dropped = get_u64(tot, "dropped");
	h->missed = get_u64(tot, "missed");
	h->unindexed = get_u64(tot, "unindexed");
	if (!h->trigger || !h->name || !h->filter)
		return -ENOMEM;
	ret = load_cols(h, get(o, "keys", J_ARR), true, jp);
	if (!ret)
		ret = load_cols(h, get(o, "values", J_ARR), false, jp);
	if (!ret)
		ret = load_entries(h, get(o, "entries", J_ARR), jp);
	for (size_t i = 0; !ret && unk && i < unk->n; i++)
		if (unk->kids[i].t == J_STR)
			ret = ft_hist_add_line(h, &h->unknown, &h->nunknown, unk->kids[i].s);
	return ret;
}

static int load_doc(const struct jv *root, struct ft_hist ***out, size_t *n, struct jp *jp)
{
	const struct jv *fmt = get(root, "format", J_STR), *hists = get(root, "hists", J_ARR);
	int ret = 0;

	if (!fmt || strcmp(fmt->s, FT_HIST_JSON_FORMAT) || !hists)
		return fail(jp, "not an ftrig hist dump (no \"format\": \"%s\" with \"hists\")",
			    FT_HIST_JSON_FORMAT);
	if (get_u64(root, "version") != FT_HIST_JSON_VERSION)
		return fail(jp, "dump version %llu; this ftrig reads version %d",
			    (unsigned long long)get_u64(root, "version"), FT_HIST_JSON_VERSION);
	*out = calloc(hists->n + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; !ret && i < hists->n; i++) {
		ret = load_hist(&hists->kids[i], &(*out)[i], jp);
		*n = i + 1;
	}
	return ret;
}

/**
 * ft_hist_load_json() - read a JSON dump written by ft_hist_write_json()
 * @text: the document; need not be NUL-terminated
 * @len: its length
 * @out: set to the hists (free with ft_hist_free_all())
 * @n: set to how many
 * @err: where to say what is wrong with the document, may be NULL
 * @errsize: its size
 *
 * Return: 0, -EINVAL (a message in @err), -ENOMEM.
 */
int ft_hist_load_json(const char *text, size_t len, struct ft_hist ***out, size_t *n, char *err,
		      size_t errsize)
{
	struct jp jp = { .p = text, .end = text + len, .err = err, .errsize = errsize };
	struct jv root;
	int ret;

	*out = NULL;
	*n = 0;
	if (err && errsize)
		*err = '\0';
	jp.arena = ft_hist_alloc("", "", "");
	if (!jp.arena)
		return -ENOMEM;
	ret = value(&jp, &root, 0);
	ws(&jp);
	if (!ret && jp.p != jp.end)
		ret = fail(&jp, "text after the JSON document");
	if (!ret)
		ret = load_doc(&root, out, n, &jp);
	if (ret && !(err && *err) && ret == -EINVAL)
		fail(&jp, "malformed JSON");
	if (ret && ret != -EINVAL && err && errsize && !*err)
		snprintf(err, errsize, "%s", strerror(-ret));
	if (ret) {
		ft_hist_free_all(*out, *n);
		*out = NULL;
		*n = 0;
	}
	ft_hist_free(jp.arena);
	return ret;
}

/*
 * A JSON dump opens with '{' and a member name or '}'; a hist file's rows open with "{ name:",
 * so a hist file without its "# event histogram" header is not taken for JSON.
 */
static bool is_json(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
		i++;
	if (i >= len || text[i++] != '{')
		return false;
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
		i++;
	return i >= len || text[i] == '"' || text[i] == '}';
}

/**
 * ft_hist_load() - read a dump: JSON (ft_hist_write_json()) or a kernel hist file's text
 * @text: the contents; need not be NUL-terminated
 * @len: their length
 * @out: set to the hists (free with ft_hist_free_all())
 * @n: set to how many
 * @err: where to say what is wrong, may be NULL
 * @errsize: its size
 *
 * Return: 0, -EINVAL (a message in @err; also for text with no hist in it, and for a hist
 * file with numbers past 2^64 - 1, which the parser flags), -ENOMEM.
 */
int ft_hist_load(const char *text, size_t len, struct ft_hist ***out, size_t *n, char *err,
		 size_t errsize)
{
	int ret;

	if (is_json(text, len))
		return ft_hist_load_json(text, len, out, n, err, errsize);
	ret = ft_hist_parse(text, len, NULL, NULL, out, n);
	for (size_t h = 0; !ret && h < *n; h++)
		if ((*out)[h]->noverflowed) {
			if (err && errsize)
				snprintf(err, errsize,
					 "%zu line(s) hold numbers past 2^64-1, which no kernel "
					 "hist prints (a damaged or edited file?); the first: "
					 "'%.120s'",
					 (*out)[h]->noverflowed, (*out)[h]->overflowed[0]);
			ft_hist_free_all(*out, *n);
			*out = NULL;
			*n = 0;
			return -EINVAL;
		}
	if (!ret && (!*n || !(*out)[0]->nkeys)) {
		ft_hist_free_all(*out, *n);
		*out = NULL;
		*n = 0;
		if (err && errsize)
			snprintf(err, errsize, "neither an ftrig JSON dump nor a kernel hist file");
		return -EINVAL;
	}
	/* A hist file does not say when it was read. */
	for (size_t h = 0; !ret && h < *n; h++) {
		(*out)[h]->taken = (struct timespec){ 0, 0 };
		(*out)[h]->taken_mono = (struct timespec){ 0, 0 };
	}
	return ret;
}
