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
	char *c = strpbrk(s, ":/");

	if (!c || c == s || !c[1] || strpbrk(c + 1, ":/"))
		return -EINVAL;
	*c = '\0';
	*sys = s;
	*ev = c + 1;
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
		char *end = strchr(v, ',');

		if (s->system || !end)
			return serr(err, errsize,
				    "--latency takes START,END (two events) in place "
				    "of EVENT, not '%s'",
				    v);
		*end++ = '\0';
		if (split_event(v, &s->system, &s->event) ||
		    split_event(end, &s->end_system, &s->end_event))
			return serr(err, errsize, "--latency: write SYSTEM:EVENT,SYSTEM:EVENT");
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
 *        EVENT (the time between two events of a thread; keys may then be left out);
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
	if (!spec->nkeys && !spec->end_event)
		return serr(err, errsize, "a histogram needs at least one --key FIELD");
	return 0;
}
