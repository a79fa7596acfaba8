// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trigger text -> struct ft_trigger. Accepts what a user writes (events.rst, histogram.rst,
 * with the aliases key=, values=, continue) and what the kernel lists (count=N, :unlimited,
 * vals=hitcount, [active]/[paused]), so both sides of a comparison go through one parser.
 * Every error says where (a byte offset into the text) for the caret.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "triggers/parse.h"

/* Field modifiers the kernel documents (README of 6.1 and later). */
static const char *const modifiers[] = { "hex",	 "sym",	  "sym-offset", "execname", "syscall",
					 "log2", "usecs", "percent",	"graph",    "buckets" };

static const char *const hist_params[] = { "keys",    "vals",  "sort",	  "size",  "name",
					   "clock",   "pause", "cont",	  "clear", "nohitcount",
					   "onmatch", "onmax", "onchange" };

/* Whether @mod is a field modifier the kernel documents; buckets needs "=N", N > 0. */
static bool is_modifier(const char *mod)
{
	if (!strncmp(mod, "buckets", 7)) {
		char *end;

		if (mod[7] != '=' || !isdigit((unsigned char)mod[8]))
			return false;
		return strtoul(mod + 8, &end, 10) > 0 && !*end;
	}
	for (size_t i = 0; i < sizeof(modifiers) / sizeof(modifiers[0]) - 1; i++)
		if (!strcmp(mod, modifiers[i]))
			return true;
	return false;
}

/* Parse state: the whole text, for error offsets. */
struct pstate {
	const char *text;
	struct ft_trig_error *err;
};

static int perr(struct pstate *p, const char *at, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int perr(struct pstate *p, const char *at, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (p->err) {
		p->err->pos = at ? (int)(at - p->text) : -1;
		p->err->len = (int)len;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_ident(const char *s, size_t n)
{
	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static bool is_number(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Whether @s..@e holds any of @chars. */
static bool has_any(const char *s, const char *e, const char *chars)
{
	for (; s < e; s++)
		if (strchr(chars, *s))
			return true;
	return false;
}

/* The closest of @cands to @word as " (did you mean X?)", or "". */
static const char *suggest(const char *word, size_t n, const char *const *cands, size_t nc,
			   char *buf, size_t size)
{
	char w[64];
	int i;

	snprintf(w, sizeof(w), "%.*s", (int)n, word);
	i = ft_suggest_best(w, cands, nc);
	if (i < 0)
		return "";
	snprintf(buf, size, "; did you mean '%s'?", cands[i]);
	return buf;
}

/*
 * One operand or expression item: [var=]operand[.modifier] or [var=]expression. @s..@e is
 * the item; @sort allows the .descending/.ascending direction.
 */
static int parse_item(struct pstate *p, const char *s, const char *e, struct ft_hfield *f,
		      bool sort)
{
	const char *eq = memchr(s, '=', (size_t)(e - s)), *dot, *name;
	char hint[96];

	memset(f, 0, sizeof(*f));
	f->pos = (int)(s - p->text);
	if (s == e)
		return perr(p, s, 0, "empty field in a list (two commas, or a comma at the end)");
	if (eq && is_ident(s, (size_t)(eq - s))) {
		f->var = strndup(s, (size_t)(eq - s));
		s = eq + 1;
		if (s == e)
			return perr(p, eq, 1, "variable '%s' is assigned nothing", f->var);
	}
	if (sort) {
		/* NAME[.MOD][.descending|.ascending]: the listed form keeps the key's modifier */
		size_t n = (size_t)(e - s);

		if (n > 11 && !strncmp(e - 11, ".descending", 11))
			f->dir = -1, e -= 11;
		else if (n > 10 && !strncmp(e - 10, ".ascending", 10))
			f->dir = 1, e -= 10;
	}
	name = s[0] == '$' ? s + 1 : s;
	dot = memchr(name, '.', (size_t)(e - name));
	if (dot &&
	    (is_ident(name, (size_t)(dot - name)) || is_number(name, (size_t)(dot - name))) &&
	    !has_any(name, e, "+*/()")) {
		size_t mlen = (size_t)(e - dot - 1);
		char mod[64];

		snprintf(mod, sizeof(mod), "%.*s", (int)mlen, dot + 1);
		if (!strchr(mod, '-') || !strcmp(mod, "sym-offset")) {
			if (sort && !is_modifier(mod))
				return perr(
					p, dot + 1, mlen,
					"a sort key ends in .descending or .ascending, not '.%s'",
					mod);
			if (!is_modifier(mod)) {
				if (!strncmp(mod, "buckets", 7))
					return perr(p, dot + 1, mlen,
						    "'.%s' needs a bucket size: .buckets=N with N "
						    "a positive number",
						    mod);
				return perr(
					p, dot + 1, mlen,
					"unknown modifier '.%s'%s; modifiers are .hex .sym "
					".sym-offset .execname .syscall .log2 .buckets=N .usecs "
					".percent .graph",
					mod,
					suggest(mod, mlen, modifiers,
						sizeof(modifiers) / sizeof(modifiers[0]), hint,
						sizeof(hint)));
			}
			f->name = strndup(s, (size_t)(dot - s));
			f->mod = strdup(mod);
			return 0;
		}
	}
	if (is_ident(name, (size_t)(e - name)) || (name == s && is_number(s, (size_t)(e - s)))) {
		f->name = strndup(s, (size_t)(e - s));
		return 0;
	}
	if (!has_any(name, e, "+-*/") || has_any(s, e, " \t"))
		return perr(p, s, (size_t)(e - s), "'%.*s' is not a field, variable or number",
			    (int)(e - s), s);
	f->expr = true;
	f->name = strndup(s, (size_t)(e - s));
	return 0;
}

/* A comma-separated list of items into @arr (at most @max). */
static int parse_list(struct pstate *p, const char *s, const char *e, struct ft_hfield *arr,
		      size_t *n, size_t max, const char *what, bool sort, bool skip_hitcount)
{
	if (s == e)
		return perr(p, s, 0, "no %s after the '='", what);
	while (s <= e) {
		const char *c = memchr(s, ',', (size_t)(e - s));
		struct ft_hfield f;
		int ret;

		if (!c)
			c = e;
		ret = parse_item(p, s, c, &f, sort);
		if (ret) {
			ft_hfields_release(&f, 1);
			return ret;
		}
		if (skip_hitcount && !f.var && !f.mod && !strcmp(f.name, "hitcount")) {
			free(f.name);
		} else if (*n >= max) {
			ft_hfields_release(&f, 1);
			return perr(p, s, (size_t)(c - s), "too many %s (at most %zu)", what, max);
		} else {
			arr[(*n)++] = f;
		}
		s = c + 1;
	}
	return 0;
}

/* handler(arg).action(params) */
static int parse_action(struct pstate *p, const char *s, const char *e, struct ft_hist_trigger *h)
{
	struct ft_haction *a;
	const char *open = memchr(s, '(', (size_t)(e - s)), *close, *dot, *popen;

	if (h->nactions >= FT_TRIG_MAX_ACTIONS)
		return perr(p, s, (size_t)(e - s), "too many handlers (at most %d)",
			    FT_TRIG_MAX_ACTIONS);
	a = &h->actions[h->nactions];
	memset(a, 0, sizeof(*a));
	a->pos = (int)(s - p->text);
	a->handler = !strncmp(s, "onmatch(", 8) ? FT_HANDLER_ONMATCH
		     : !strncmp(s, "onmax(", 6) ? FT_HANDLER_ONMAX
						: FT_HANDLER_ONCHANGE;
	close = memchr(open, ')', (size_t)(e - open));
	if (!close || close == open + 1)
		return perr(p, open, (size_t)(e - open),
			    "a handler needs its argument in parentheses: onmatch(system.event), "
			    "onmax($var) or onchange($var)");
	dot = close + 1;
	popen = dot < e ? memchr(dot, '(', (size_t)(e - dot)) : NULL;
	if (dot >= e || *dot != '.' || !popen || e[-1] != ')' || popen == dot + 1)
		return perr(p, dot, (size_t)(e - dot),
			    "a handler needs an action: .trace(event,params), .save(fields) or "
			    ".snapshot()");
	if (!is_ident(dot + 1, (size_t)(popen - dot - 1)))
		return perr(p, dot + 1, (size_t)(popen - dot - 1), "'%.*s' is not an action name",
			    (int)(popen - dot - 1), dot + 1);
	h->nactions++;
	a->arg = strndup(open + 1, (size_t)(close - open - 1));
	a->action = strndup(dot + 1, (size_t)(popen - dot - 1));
	for (const char *q = popen + 1; q < e - 1;) {
		const char *c = memchr(q, ',', (size_t)(e - 1 - q));

		if (!c)
			c = e - 1;
		if (c == q)
			return perr(p, q, 0, "empty action parameter");
		if (a->nparams >= FT_TRIG_MAX_PARAMS)
			return perr(p, q, (size_t)(c - q), "too many action parameters");
		a->params[a->nparams++] = strndup(q, (size_t)(c - q));
		q = c + 1;
	}
	return 0;
}

static int parse_uint(struct pstate *p, const char *s, const char *e, unsigned long *out,
		      const char *what)
{
	char *end;

	if (s == e)
		return perr(p, s, 0, "%s is missing after the ':'", what);
	if (!is_number(s, (size_t)(e - s)))
		return perr(p, s, (size_t)(e - s), "%s must be a number, not '%.*s'", what,
			    (int)(e - s), s);
	*out = strtoul(s, &end, 10);
	return 0;
}

#define HAS(prefix) (plen >= sizeof(prefix) - 1 && !strncmp(s, prefix, sizeof(prefix) - 1))

/* One colon-separated parameter of a hist trigger. */
/*
 * Variables: NAME=FIELD[,NAME=FIELD...]. The kernel refuses an item that assigns nothing
 * (parse_var_defs(): "Malformed assignment"), and formatting one would split it into a
 * parameter of its own, so each item must be an assignment.
 */
static int parse_vars(struct pstate *p, const char *s, const char *e, struct ft_hist_trigger *h)
{
	size_t first = h->nvars;
	int ret = parse_list(p, s, e, h->vars, &h->nvars, FT_TRIG_MAX_VARS, "variables", false,
			     false);

	for (size_t i = first; !ret && i < h->nvars; i++)
		if (!h->vars[i].var)
			return perr(p, p->text + h->vars[i].pos, strlen(h->vars[i].name),
				    "'%s' is not an assignment: variables are NAME=FIELD, each "
				    "with its own name",
				    h->vars[i].name);
	return ret;
}

static int parse_hist_param(struct pstate *p, const char *s, const char *e, struct ft_trigger *t)
{
	struct ft_hist_trigger *h = &t->hist;
	size_t plen = (size_t)(e - s);
	const char *eq = memchr(s, '=', plen);
	char hint[96];
	unsigned long v;
	int ret;

	/* Given twice, the kernel keeps the last keys=, vals=, sort=, size=, name=. */
	if (HAS("keys=") || HAS("key=")) {
		ft_hfields_release(h->keys, h->nkeys);
		h->nkeys = 0;
		h->keys_given++;
		return parse_list(p, eq + 1, e, h->keys, &h->nkeys, FT_TRIG_MAX_KEYS, "keys", false,
				  false);
	}
	if (HAS("vals=") || HAS("values=")) {
		ft_hfields_release(h->vals, h->nvals);
		h->nvals = 0;
		return parse_list(p, eq + 1, e, h->vals, &h->nvals, FT_TRIG_MAX_VALS, "values",
				  false, true);
	}
	if (HAS("sort=")) {
		ft_hfields_release(h->sort, h->nsort);
		h->nsort = 0;
		return parse_list(p, eq + 1, e, h->sort, &h->nsort, FT_TRIG_MAX_SORT, "sort keys",
				  true, false);
	}
	if (HAS("size=")) {
		ret = parse_uint(p, eq + 1, e, &v, "size");
		if (!ret && !v)
			return perr(p, eq + 1, 1, "size=0: the table needs 128 entries or more");
		h->size = v;
		return ret;
	}
	if (HAS("name=") || HAS("clock=")) {
		char **dst = s[0] == 'n' ? &h->name : &h->clock;

		free(*dst);
		*dst = strndup(eq + 1, plen - (size_t)(eq + 1 - s));
		return 0;
	}
	if (HAS("onmatch(") || HAS("onmax(") || HAS("onchange("))
		return parse_action(p, s, e, h);
#define IS(word) (plen == sizeof(word) - 1 && !strncmp(s, word, plen))
	if (IS("pause") || IS("cont") || IS("continue") || IS("clear") || IS("nohitcount") ||
	    IS("NOHC")) {
		h->pause |= IS("pause");
		h->cont |= IS("cont") || IS("continue");
		h->clear |= IS("clear");
		h->nohitcount |= IS("nohitcount") || IS("NOHC");
		return 0;
	}
#undef IS
	if (eq && is_ident(s, (size_t)(eq - s)))
		return parse_vars(p, s, e, h);
	return perr(p, s, plen, "unknown hist parameter '%.*s'%s", (int)plen, s,
		    suggest(s, eq ? (size_t)(eq - s) : plen, hist_params,
			    sizeof(hist_params) / sizeof(hist_params[0]), hint, sizeof(hint)));
}

#undef HAS

static int parse_hist(struct pstate *p, const char *s, const char *e, struct ft_trigger *t)
{
	const char *start = s;

	if (s >= e)
		return perr(p, s, 0, "a hist trigger needs keys: hist:keys=FIELD[,FIELD...]");
	while (s < e) {
		const char *c = memchr(s, ':', (size_t)(e - s));
		int ret;

		if (!c)
			c = e;
		if (c == s)
			return perr(p, s, 0, "empty hist parameter (two colons)");
		ret = parse_hist_param(p, s, c, t);
		if (ret)
			return ret;
		s = c + 1;
	}
	if (!t->hist.nkeys)
		return perr(p, start, (size_t)(e - start),
			    "a hist trigger needs keys: add ':keys=FIELD[,FIELD...]'");
	return 0;
}

/* The count of a simple trigger: N, or as listed count=N or unlimited. */
static int parse_count(struct pstate *p, const char *s, const char *e, struct ft_trigger *t)
{
	unsigned long v;

	if ((size_t)(e - s) == 9 && !strncmp(s, "unlimited", 9)) {
		t->listed = true;
		t->count = -1;
		return 0;
	}
	if ((size_t)(e - s) > 6 && !strncmp(s, "count=", 6)) {
		t->listed = true;
		s += 6;
	}
	if (parse_uint(p, s, e, &v, "the count"))
		return -EINVAL;
	t->count = (long)v;
	return 0;
}

/* The parameters after the command of a trigger other than hist. */
static int parse_simple(struct pstate *p, const char *s, const char *e, struct ft_trigger *t)
{
	const char *parts[4] = { 0 }, *ends[4] = { 0 };
	size_t n = 0, need = t->cmd >= FT_TRIG_ENABLE_EVENT ? 2 : 0;

	/* "traceoff:" is taken as no count at all */
	if (!need && s && s == e) {
		t->quirk = FT_TRIG_QUIRK_EMPTY_COUNT;
		return 0;
	}
	while (s && s <= e && n < 4) {
		const char *c = memchr(s, ':', (size_t)(e - s));

		parts[n] = s;
		ends[n++] = c ? c : e;
		s = c ? c + 1 : NULL;
	}
	if (n < need || (need && (parts[0] == ends[0] || parts[1] == ends[1])))
		return perr(p, parts[0], 0,
			    "%s needs the event it acts on: %s:SYSTEM:EVENT[:COUNT]",
			    ft_trig_cmd_name(t->cmd), ft_trig_cmd_name(t->cmd));
	/* The kernel reads the count up to the next ':' and ignores the rest. */
	if (s || n > need + 1) {
		t->quirk = FT_TRIG_QUIRK_EXTRA_PARAMS;
		n = need + 1;
	}
	if (need) {
		t->system = strndup(parts[0], (size_t)(ends[0] - parts[0]));
		t->event = strndup(parts[1], (size_t)(ends[1] - parts[1]));
	}
	if (n == need + 1)
		return parse_count(p, parts[need], ends[need], t);
	return 0;
}

static bool at_if(const char *f, const char *e)
{
	return e - f >= 2 && !strncmp(f, "if", 2) && (e - f == 2 || isspace((unsigned char)f[2]));
}

static const char *skip_blanks(const char *f, const char *e)
{
	while (f < e && isspace((unsigned char)*f))
		f++;
	return f;
}

/*
 * Splits "TRIGGER [if FILTER] [[active]]" and records the filter and the listed state.
 * @end is where the trigger's first word ends. The kernel splits the command off at ':' or
 * a blank (trigger_process_regex()), so "traceoff 5" is "traceoff:5": when the first word
 * has no ':', a second word that is not "if" is the parameters (@param, up to @pend).
 */
static int split_filter(struct pstate *p, const char *s, const char **end, const char **param,
			const char **pend, struct ft_trigger *t)
{
	const char *e = s + strlen(s), *f;

	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s > 9 && (!strncmp(e - 9, " [active]", 9) || !strncmp(e - 9, " [paused]", 9))) {
		t->listed = true;
		t->paused = e[-7] == 'p';
		e -= 9;
	}
	for (f = s; f < e && !isspace((unsigned char)*f);)
		f++;
	*end = f;
	*param = NULL;
	f = skip_blanks(f, e);
	if (f == e)
		return 0;
	if (!at_if(f, e) && !memchr(s, ':', (size_t)(*end - s))) {
		*param = f;
		while (f < e && !isspace((unsigned char)*f))
			f++;
		*pend = f;
		t->quirk = FT_TRIG_QUIRK_SPACE;
		f = skip_blanks(f, e);
		if (f == e)
			return 0;
	}
	if (!at_if(f, e))
		return perr(p, f, (size_t)(e - f),
			    "expected 'if FILTER' after the trigger, found '%.*s' (a trigger has "
			    "no spaces before its filter)",
			    (int)(e - f), f);
	f = skip_blanks(f + 2, e);
	if (f == e)
		return perr(p, f, 0, "'if' needs a filter expression after it");
	t->filter = strndup(f, (size_t)(e - f));
	t->filter_pos = (int)(f - p->text);
	return 0;
}

/**
 * ft_trigger_parse() - parse one trigger, as written or as listed by the kernel
 * @text: the trigger ("stacktrace:5 if prev_state == 2", "hist:keys=pid:vals=hitcount:...
 *        [active]"); leading and trailing blanks are ignored
 * @t: filled in; release with ft_trigger_release() (also after an error)
 * @err: on error, where and why (may be NULL)
 *
 * Return: 0, -EINVAL when @text is not a trigger (@err says why), -ENOMEM.
 */
int ft_trigger_parse(const char *text, struct ft_trigger *t, struct ft_trig_error *err)
{
	struct pstate p = { text, err };
	const char *s = text, *end, *colon, *param, *pend;
	char hint[96];
	int cmd, ret;

	ft_trigger_init(t);
	if (err)
		*err = (struct ft_trig_error){ .pos = -1 };
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return perr(&p, s, 0, "empty trigger");
	ret = split_filter(&p, s, &end, &param, &pend, t);
	if (ret)
		return ret;
	colon = memchr(s, ':', (size_t)(end - s));
	if (!colon)
		colon = end;
	if (!param) {
		param = colon < end ? colon + 1 : NULL;
		pend = end;
	}
	{
		const char *names[FT_TRIG_NCMDS];
		char word[32];

		for (int i = 0; i < FT_TRIG_NCMDS; i++)
			names[i] = ft_trig_cmd_name((enum ft_trig_cmd)i);
		snprintf(word, sizeof(word), "%.*s", (int)(colon - s), s);
		cmd = ft_trig_cmd_lookup(word);
		if (cmd < 0 &&
		    *suggest(word, strlen(word), names, FT_TRIG_NCMDS, hint, sizeof(hint)))
			return perr(&p, s, (size_t)(colon - s), "unknown trigger '%s'%s", word,
				    hint);
		if (cmd < 0)
			return perr(
				&p, s, (size_t)(colon - s),
				"unknown trigger '%s'; triggers are traceon, traceoff, "
				"stacktrace, snapshot, enable_event, disable_event, enable_hist, "
				"disable_hist, hist",
				word);
	}
	t->cmd = (enum ft_trig_cmd)cmd;
	if (t->cmd == FT_TRIG_HIST) {
		ret = parse_hist(&p, param ? param : end, pend, t);
		t->hist.pause |= t->paused;
		return ret;
	}
	if (t->listed && t->paused)
		return perr(&p, NULL, 0, "only hist triggers are paused");
	return parse_simple(&p, param, pend, t);
}
