// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line of `hist start` (and of the commands that count the same way, such as
 * `top`) -> struct ft_hist_spec, independent of the backend that will count it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/spec.h"
#include "names.h"

static int serr(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int serr(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (err && size) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* "sys:event" or "sys/event", split in place. */
static int split_event(char *s, const char **sys, const char **ev)
{
	size_t n;

	if (ft_event_split(s, &n, ev))
		return -EINVAL;
	s[n] = '\0';
	*sys = s;
	return 0;
}

/* FIELD[.MOD], split in place; the modifier is "" when none. */
static void split_mod(char *s, const char **field, const char **mod)
{
	char *dot = strchr(s, '.');

	*field = s;
	*mod = "";
	if (dot) {
		*dot = '\0';
		*mod = dot + 1;
	}
}

static int parse_size(const char *v, unsigned *size, char *err, size_t errsize)
{
	unsigned long n, r = 1;
	char *end;

	n = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end)
		return serr(err, errsize, "--size takes a number of entries, not '%s'", v);
	while (r < n && r < (1UL << 20))
		r <<= 1;
	if (n < 128 || n > 131072)
		return serr(err, errsize, "--size %lu is out of range: 128 to 131072 entries", n);
	if (r != n)
		return serr(err, errsize,
			    "--size %lu is not a power of two (the kernel would make it %lu): say "
			    "--size %lu",
			    n, r, r);
	*size = (unsigned)n;
	return 0;
}

static int parse_sort(char *v, struct ft_hist_spec *s, char *err, size_t errsize)
{
	char *c = strchr(v, ':');

	if (s->nsort >= 2)
		return serr(err, errsize,
			    "--sort given more than twice: the kernel sorts by at "
			    "most two fields");
	s->sort[s->nsort].field = v;
	s->sort[s->nsort].descending = false;
	if (c) {
		*c++ = '\0';
		if (!strcmp(c, "desc") || !strcmp(c, "descending"))
			s->sort[s->nsort].descending = true;
		else if (strcmp(c, "asc") && strcmp(c, "ascending"))
			return serr(err, errsize, "--sort %s:%s: the direction is desc or asc", v,
				    c);
	}
	if (!*v)
		return serr(err, errsize, "--sort needs a field");
	s->nsort++;
	return 0;
}

#define MATCH_EXAMPLE                                                                      \
	"e.g. 'block:block_rq_issue(dev,sector),block:block_rq_complete(dev,sector)', or " \
	"--match dev,sector"

static bool is_ident(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Leading and trailing blanks off @s, in place. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* The first ',' of @s outside parentheses, or NULL. */
static char *top_comma(char *s)
{
	int depth = 0;

	for (; *s; s++) {
		depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
		if (*s == ',' && !depth)
			return s;
	}
	return NULL;
}

/* "SYS:EVENT" or "SYS:EVENT(F,F...)", split in place: its fields into @f, how many into @n
 * (-1 when it names none). */
static int latency_side(char *s, const char **sys, const char **ev, const char **f, int *n,
			const char *all, char *err, size_t errsize)
{
	char *open = strchr(s, '('), *p;

	*n = -1;
	if (open) {
		size_t len = strlen(open);

		if (open[len - 1] != ')')
			return serr(err, errsize,
				    "--latency '%s': the fields go in parentheses after the "
				    "event, " MATCH_EXAMPLE,
				    all);
		open[len - 1] = '\0';
		*open++ = '\0';
		*n = 0;
		for (p = open; p;) {
			char *next = strchr(p, ','), *name;

			if (next)
				*next++ = '\0';
			name = trim(p);
			if (!is_ident(name))
				return serr(
					err, errsize,
					"--latency '%s': '%s' is not a field name; " MATCH_EXAMPLE,
					all, name);
			if (*n >= FT_HIST_MAX_MATCH)
				return serr(err, errsize,
					    "--latency '%s': at most %d match fields (a hist "
					    "trigger takes %d keys)",
					    all, FT_HIST_MAX_MATCH, FT_HIST_MAX_MATCH);
			f[(*n)++] = name;
			p = next;
		}
	}
	if (split_event(trim(s), sys, ev))
		return serr(err, errsize, "--latency '%s': write SYSTEM:EVENT,SYSTEM:EVENT", all);
	return 0;
}

/**
 * ft_hist_latency_parse() - the value of --latency
 * @v: "START,END", where each side is SYSTEM:EVENT, optionally followed by the fields that
 *     match a start with its end: "block:block_rq_issue(dev,sector),
 *     block:block_rq_complete(dev,sector)"; split in place
 * @spec: its start event (@system, @event), end event and match fields are set
 * @err: on error, the message
 * @errsize: size of @err
 *
 * Without fields, a start is matched with the next end of the same thread.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int ft_hist_latency_parse(char *v, struct ft_hist_spec *spec, char *err, size_t errsize)
{
	const char *fs[FT_HIST_MAX_MATCH], *fe[FT_HIST_MAX_MATCH];
	char all[256], *end = top_comma(v);
	int ns, ne, ret;

	snprintf(all, sizeof(all), "%s", v);
	if (spec->system || !end)
		return serr(err, errsize,
			    "--latency takes START,END (two events) in place of EVENT, not '%s'",
			    all);
	*end++ = '\0';
	ret = latency_side(v, &spec->system, &spec->event, fs, &ns, all, err, errsize);
	if (!ret)
		ret = latency_side(end, &spec->end_system, &spec->end_event, fe, &ne, all, err,
				   errsize);
	if (ret)
		return ret;
	if (ns < 0 && ne < 0)
		return 0;
	if (ns < 0 || ne < 0)
		return serr(err, errsize,
			    "--latency '%s': name the match fields of both events, " MATCH_EXAMPLE,
			    all);
	if (ns != ne)
		return serr(err, errsize,
			    "--latency '%s': the start names %d field%s and the end %d: each start "
			    "field pairs with the end field in its place",
			    all, ns, ns == 1 ? "" : "s", ne);
	if (spec->nmatch)
		return serr(
			err, errsize,
			"--latency '%s' names match fields, and so does --match: give them once",
			all);
	for (int i = 0; i < ns; i++) {
		spec->match_start[i] = fs[i];
		spec->match_end[i] = fe[i];
	}
	spec->nmatch = (size_t)ns;
	return 0;
}

/**
 * ft_hist_match_parse() - the value of --match
 * @v: "F[,F...]", each F a field both events have, or "START_F=END_F" where the names
 *     differ (sched_waking's pid is sched_switch's next_pid: "pid=next_pid"); split in place
 * @spec: its match fields are set
 * @err: on error, the message
 * @errsize: size of @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int ft_hist_match_parse(char *v, struct ft_hist_spec *spec, char *err, size_t errsize)
{
	char all[256];
	size_t n = 0;

	snprintf(all, sizeof(all), "%s", v);
	if (spec->nmatch)
		return serr(err, errsize,
			    "--match '%s': the match fields are named already (by --latency "
			    "or another --match): give them once",
			    all);
	for (char *p = v; p;) {
		char *next = strchr(p, ','), *eq, *a, *b;

		if (next)
			*next++ = '\0';
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		a = trim(p);
		b = eq ? trim(eq + 1) : a;
		if (!is_ident(a) || !is_ident(b))
			return serr(
				err, errsize,
				"--match '%s': write FIELD[,FIELD...], or START_FIELD=END_FIELD "
				"where the names differ (e.g. --match pid=next_pid)",
				all);
		if (n >= FT_HIST_MAX_MATCH)
			return serr(
				err, errsize,
				"--match '%s': at most %d fields (a hist trigger takes %d keys)",
				all, FT_HIST_MAX_MATCH, FT_HIST_MAX_MATCH);
		spec->match_start[n] = a;
		spec->match_end[n++] = b;
		p = next;
	}
	spec->nmatch = n;
	return 0;
}

/* One option with its value @v; returns 0, -EINVAL, or -ENOENT for an unknown option. */
static int option(const char *o, char *v, struct ft_hist_spec *s, char *err, size_t errsize)
{
	if (!strcmp(o, "key")) {
		if (s->nkeys >= FT_HIST_MAX_KEYS)
			return serr(err, errsize, "too many --key options");
		split_mod(v, &s->keys[s->nkeys].field, &s->keys[s->nkeys].modifier);
		s->nkeys++;
	} else if (!strcmp(o, "val")) {
		if (s->nvals >= FT_HIST_MAX_VALS)
			return serr(err, errsize, "too many --val options");
		split_mod(v, &s->vals[s->nvals].field, &s->vals[s->nvals].modifier);
		s->nvals++;
	} else if (!strcmp(o, "sort")) {
		return parse_sort(v, s, err, errsize);
	} else if (!strcmp(o, "size")) {
		return parse_size(v, &s->size, err, errsize);
	} else if (!strcmp(o, "filter")) {
		s->filter = v;
	} else if (!strcmp(o, "name")) {
		s->name = v;
	} else if (!strcmp(o, "instance")) {
		if (ft_name_instance(v, err, errsize))
			return -EINVAL;
		s->instance = v;
	} else if (!strcmp(o, "latency")) {
		return ft_hist_latency_parse(v, s, err, errsize);
	} else if (!strcmp(o, "match")) {
		return ft_hist_match_parse(v, s, err, errsize);
	} else if (!strcmp(o, "backend")) {
		if (strcmp(v, "auto") && strcmp(v, "hist") && strcmp(v, "bpf") && strcmp(v, "both"))
			return serr(err, errsize, "--backend is auto, hist, bpf or both, not '%s'",
				    v);
		s->backend = v;
	} else {
		return -ENOENT;
	}
	return 0;
}

/* An EVENT argument: the first is the event, the others join it in one table (BPF). */
static int positional(char *a, struct ft_hist_spec *spec, char *err, size_t errsize)
{
	struct ft_hist_event *e = &spec->more[spec->nmore];

	if (a[0] == '-')
		return serr(err, errsize, "unknown option '%s'", a);
	if (spec->end_system)
		return serr(err, errsize, "--latency takes its events itself: unexpected '%s'", a);
	if (spec->system && spec->nmore >= FT_HIST_MAX_MORE)
		return serr(err, errsize, "more than %d events", FT_HIST_MAX_MORE + 1);
	if (split_event(a, spec->system ? &e->system : &spec->system,
			spec->system ? &e->event : &spec->event))
		return serr(err, errsize, "'%s' is not an event: write SYSTEM:EVENT", a);
	if (e->system)
		spec->nmore++;
	return 0;
}

/**
 * ft_hist_spec_parse() - a histogram request from command-line arguments
 * @argc: argument count
 * @argv: the arguments after the subcommand: EVENT (more than one, and globs, are counted
 *        into one table by BPF) and --key F[.MOD] (repeated), --val
 *        V[.MOD], --sort F[:desc|:asc] (at most twice), --size N, --filter EXPR, --name N,
 *        --instance I, --backend auto|hist|bpf|both, --skip-missing (no value), or
 *        --latency START,END in place of
 *        EVENT (the time between two events of a thread, or of the same request when
 *        either side names its match fields, ft_hist_latency_parse(); keys may then be
 *        left out), --match F[,F...] (ft_hist_match_parse());
 *        "--opt VALUE" or "--opt=VALUE"
 * @spec: filled in; its strings point into @argv, which is split in place (':' and '.'
 *        become NULs), so @argv must outlive @spec
 * @err: on error, the message
 * @errsize: size of @err
 *
 * Return: 0, or -EINVAL with @err set (unknown option, missing event or key, bad value).
 */
int ft_hist_spec_parse(int argc, char **argv, struct ft_hist_spec *spec, char *err, size_t errsize)
{
	memset(spec, 0, sizeof(*spec));
	for (int i = 0; i < argc; i++) {
		char *a = argv[i], *eq, *v, opt[32];
		int ret;

		if (strncmp(a, "--", 2) || !a[2]) {
			ret = positional(a, spec, err, errsize);
			if (ret)
				return ret;
			continue;
		}
		if (!strcmp(a, "--skip-missing")) {
			spec->skip_missing = true;
			continue;
		}
		eq = strchr(a, '=');
		snprintf(opt, sizeof(opt), "%.*s", (int)((eq ? eq : a + strlen(a)) - a - 2), a + 2);
		if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return serr(err, errsize, "--%s needs a value", opt);
		}
		ret = option(opt, v, spec, err, errsize);
		if (ret == -ENOENT)
			return serr(err, errsize, "unknown option '--%s'", opt);
		if (ret)
			return ret;
	}
	if (!spec->system)
		return serr(err, errsize, "which event? give SYSTEM:EVENT");
	if (spec->nmatch && !spec->end_event)
		return serr(err, errsize,
			    "--match pairs the start and end of --latency START,END: give "
			    "--latency too");
	if (!spec->nkeys && !spec->end_event)
		return serr(err, errsize, "a histogram needs at least one --key FIELD");
	return 0;
}
