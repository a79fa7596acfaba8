// SPDX-License-Identifier: GPL-2.0-only
/*
 * struct ft_trigger -> text: the form ftrig writes, and the canonical form the kernel lists
 * in the trigger file (measured on 6.1: tests/fixtures/triggers/vm-6.1-listed.txt), which is
 * how a listed trigger is matched with what was written (compare.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triggers/print.h"

/**
 * ft_hist_size_rounded() - the table size the kernel uses for size=@size
 * @size: as given, 0 for the default
 *
 * Return: @size rounded up to a power of two; 2048 for 0.
 */
unsigned long ft_hist_size_rounded(unsigned long size)
{
	unsigned long r = 1;

	if (!size)
		return 2048;
	while (r < size && r < (1UL << 31))
		r <<= 1;
	return r;
}

static void put_field(FILE *f, const struct ft_hfield *h, bool with_var)
{
	if (with_var && h->var)
		fprintf(f, "%s=", h->var);
	fputs(h->name, f);
	if (h->mod)
		fprintf(f, ".%s", h->mod);
}

static void put_list(FILE *f, const char *prefix, const struct ft_hfield *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputs(i ? "," : prefix, f);
		put_field(f, &h[i], true);
	}
}

static void put_actions(FILE *f, const struct ft_hist_trigger *h)
{
	static const char *const handlers[] = { "onmatch", "onmax", "onchange" };

	for (size_t i = 0; i < h->nactions; i++) {
		const struct ft_haction *a = &h->actions[i];

		fprintf(f, ":%s(%s).%s(", handlers[a->handler], a->arg, a->action);
		for (size_t j = 0; j < a->nparams; j++)
			fprintf(f, "%s%s", j ? "," : "", a->params[j]);
		fputc(')', f);
	}
}

static void put_count(FILE *f, const struct ft_trigger *t, bool listed, bool match)
{
	if (!listed) {
		if (t->count >= 0)
			fprintf(f, ":%ld", t->count);
	} else if (t->count < 0) {
		fputs(":unlimited", f);
	} else if (match) {
		fputs(":count", f); /* counts go down as the trigger fires */
	} else {
		fprintf(f, ":count=%ld", t->count);
	}
}

static void put_simple(FILE *f, const struct ft_trigger *t, bool listed, bool match)
{
	fputs(ft_trig_cmd_name(t->cmd), f);
	if (t->cmd >= FT_TRIG_ENABLE_EVENT)
		fprintf(f, ":%s:%s", t->system, t->event);
	put_count(f, t, listed, match);
}

static void put_hist_written(FILE *f, const struct ft_hist_trigger *h)
{
	fputs("hist", f);
	put_list(f, ":keys=", h->keys, h->nkeys);
	put_list(f, ":vals=", h->vals, h->nvals);
	for (size_t i = 0; i < h->nvars; i++) {
		fputc(':', f);
		put_field(f, &h->vars[i], true);
	}
	/* sort keys by name and direction: the kernel refuses a modifier there */
	for (size_t i = 0; i < h->nsort; i++)
		fprintf(f, "%s%s%s", i ? "," : ":sort=", h->sort[i].name,
			h->sort[i].dir < 0   ? ".descending"
			: h->sort[i].dir > 0 ? ".ascending"
					     : "");
	if (h->size)
		fprintf(f, ":size=%lu", h->size);
	if (h->name)
		fprintf(f, ":name=%s", h->name);
	if (h->clock)
		fprintf(f, ":clock=%s", h->clock);
	if (h->nohitcount)
		fputs(":nohitcount", f);
	put_actions(f, h);
	if (h->pause)
		fputs(":pause", f);
	if (h->cont)
		fputs(":cont", f);
	if (h->clear)
		fputs(":clear", f);
}

/* A sort key is listed as the key or value it names, with that field's modifier. */
static const struct ft_hfield *sort_target(const struct ft_hist_trigger *h, const char *name)
{
	for (size_t i = 0; i < h->nkeys; i++)
		if (!strcmp(h->keys[i].name, name) ||
		    (h->keys[i].var && !strcmp(h->keys[i].var, name)))
			return &h->keys[i];
	for (size_t i = 0; i < h->nvals; i++)
		if (!strcmp(h->vals[i].name, name) ||
		    (h->vals[i].var && !strcmp(h->vals[i].var, name)))
			return &h->vals[i];
	return NULL;
}

/* The kernel lists a value "$x" as the field variable x was assigned. */
static const struct ft_hfield *val_target(const struct ft_hist_trigger *h,
					  const struct ft_hfield *v)
{
	if (v->name[0] != '$' || v->var)
		return v;
	for (size_t i = 0; i < h->nvars; i++)
		if (!strcmp(h->vars[i].var, v->name + 1) && !h->vars[i].expr)
			return &h->vars[i];
	return v;
}

static bool uses_timestamp(const struct ft_hist_trigger *h)
{
	const struct ft_hfield *lists[] = { h->keys, h->vals, h->vars };
	const size_t ns[] = { h->nkeys, h->nvals, h->nvars };

	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < ns[l]; i++)
			if (strstr(lists[l][i].name, "common_timestamp"))
				return true;
	return false;
}

/* An expression as listed: "$a" of a variable this trigger set to a field becomes the field. */
static void put_expr(FILE *f, const struct ft_hist_trigger *h, const char *e)
{
	while (*e) {
		size_t n = 0;
		const struct ft_hfield *v = NULL;

		if (*e != '$') {
			fputc(*e++, f);
			continue;
		}
		while (isalnum((unsigned char)e[1 + n]) || e[1 + n] == '_')
			n++;
		for (size_t i = 0; i < h->nvars && !v; i++)
			if (strlen(h->vars[i].var) == n && !strncmp(h->vars[i].var, e + 1, n) &&
			    !h->vars[i].expr)
				v = &h->vars[i];
		if (v)
			put_field(f, v, false);
		else
			fprintf(f, "%.*s", (int)n + 1, e);
		e += n + 1;
	}
}

static void put_canon_field(FILE *f, const struct ft_hist_trigger *h, const struct ft_hfield *k)
{
	if (k->var)
		fprintf(f, "%s=", k->var);
	if (k->expr)
		put_expr(f, h, k->name);
	else if (!strcmp(k->name, "cpu") && !k->mod)
		fputs("common_cpu", f);
	else
		put_field(f, k, false);
}

static void put_hist_canonical(FILE *f, const struct ft_hist_trigger *h)
{
	fputs("hist:", f);
	if (h->name)
		fprintf(f, "name=%s:", h->name);
	fputs("keys=", f);
	for (size_t i = 0; i < h->nkeys; i++) {
		if (i)
			fputc(',', f);
		put_canon_field(f, h, &h->keys[i]);
	}
	fputs(h->nohitcount ? ":vals=" : ":vals=hitcount", f);
	for (size_t i = 0; i < h->nvals; i++) {
		const struct ft_hfield *t = val_target(h, &h->vals[i]);

		if (i || !h->nohitcount)
			fputc(',', f);
		if (t != &h->vals[i])
			put_field(f, t, false);
		else
			put_canon_field(f, h, t);
	}
	for (size_t i = 0; i < h->nvars; i++) {
		fputc(i ? ',' : ':', f);
		put_canon_field(f, h, &h->vars[i]);
	}
	fputs(":sort=", f);
	for (size_t i = 0; i < h->nsort || (!i && !h->nsort); i++) {
		const struct ft_hfield *s = h->nsort ? &h->sort[i] : NULL;
		const struct ft_hfield *k = s ? sort_target(h, s->name) : NULL;

		if (i)
			fputc(',', f);
		if (k)
			put_field(f, k, false);
		else
			fputs(s ? s->name : "hitcount", f);
		if (s && s->dir < 0)
			fputs(".descending", f);
	}
	fprintf(f, ":size=%lu", ft_hist_size_rounded(h->size));
	if (h->nohitcount)
		fputs(":nohitcount", f);
	/* The clock is listed only when something reads the timestamp. */
	if (uses_timestamp(h))
		fprintf(f, ":clock=%s", h->clock ? h->clock : "global");
	put_actions(f, h);
}

static void put_filter(FILE *f, const char *filter, bool match)
{
	bool quoted = false;

	if (!filter)
		return;
	fputs(" if ", f);
	if (!match) {
		fputs(filter, f);
		return;
	}
	/* Blanks outside strings do not change a filter's meaning. */
	for (const char *p = filter; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (quoted || !isspace((unsigned char)*p))
			fputc(*p, f);
	}
}

static char *render(const struct ft_trigger *t, bool listed, bool with_state, bool match)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	if (t->cmd != FT_TRIG_HIST)
		put_simple(f, t, listed, match);
	else if (listed)
		put_hist_canonical(f, &t->hist);
	else
		put_hist_written(f, &t->hist);
	put_filter(f, t->filter, match);
	if (listed && with_state && t->cmd == FT_TRIG_HIST)
		fputs(t->hist.pause ? " [paused]" : " [active]", f);
	if (fclose(f)) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

/**
 * ft_trigger_format() - the text to write into a trigger file for @t
 * @t: the trigger
 *
 * Aliases come out in their documented spelling (keys=, vals=, cont), an explicit hitcount
 * value is left out (the kernel always counts), and the parameters in a fixed order, so
 * ft_trigger_parse() of the result gives back @t.
 *
 * Return: a string for the caller to free, or NULL with errno set.
 */
char *ft_trigger_format(const struct ft_trigger *t)
{
	return render(t, false, false, false);
}

/**
 * ft_trigger_canonical() - @t as the kernel lists it in the trigger file
 * @t: the trigger
 * @with_state: append " [active]" or " [paused]" to hist triggers, as the listing does
 *
 * "traceoff:5" lists as "traceoff:count=5", "traceon" as "traceon:unlimited"; a hist
 * trigger gets name= first, vals=hitcount first, its variables after the values, the
 * default sort and size, the size rounded up to a power of two, and clock=global when it
 * uses common_timestamp. pause/cont/clear are actions, not part of what is listed.
 *
 * Return: a string for the caller to free, or NULL with errno set.
 */
char *ft_trigger_canonical(const struct ft_trigger *t, bool with_state)
{
	return render(t, true, with_state, false);
}

/**
 * ft_trigger_meaning() - the canonical form of @t without what changes while it lives
 * @t: the trigger
 *
 * As ft_trigger_canonical() without the state, with a count as ":count" whatever is left of
 * it, and without blanks outside strings in the filter: two triggers mean the same when
 * their meanings are equal (ft_trigger_same()).
 *
 * Return: a string for the caller to free, or NULL with errno set.
 */
char *ft_trigger_meaning(const struct ft_trigger *t)
{
	return render(t, true, false, true);
}
