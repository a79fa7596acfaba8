// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "# trigger info:" line of a hist block -> the hist's columns, name, size, filter,
 * paused state and the save() names of its handlers. Pure: no I/O.
 *
 * The kernel prints the trigger as it keeps it, in its canonical form, with " [active]" or
 * " [paused]" at the end:
 *
 *   # trigger info: hist:keys=common_pid.execname,id.syscall:vals=hitcount:sort=hitcount:size=2048 [active]
 *
 * Parts are split at ':' and lists at ',', both outside parentheses (handlers such as
 * "onmax($lat).save(next_comm,prev_pid)" hold both). The filter begins at the first " if "
 * outside parentheses. keys= gives the key columns in the order rows print them, vals= the
 * value columns (hitcount first); a key's modifier tells how its values are printed, except
 * that a key without one is a number or a string, which only the first row tells
 * (parse-row.c). Values that are expressions ("a-b", "$var") are not printed by the kernel.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hist/parse-int.h"

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

/**
 * ft_hist_parse_info() - the text of a "# trigger info:" line into @h
 * @h: the hist; its trigger, columns, name, size, filter and paused state are set
 * @s: the text after "# trigger info: "
 * @e: its end
 * @sv: set to the save() names of the trigger's handlers
 *
 * Return: 0, -EINVAL when the text is no hist trigger, or -ENOMEM.
 */
int ft_hist_parse_info(struct ft_hist *h, const char *s, const char *e, struct saves *sv)
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
