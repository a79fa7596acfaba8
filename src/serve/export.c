// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing what `ftrig serve` exports, pure. The words of a setup file's line
 *
 *     export [--instance NAME] SYSTEM:EVENT [--limit N]
 *
 * (apply inserts the file's instance setting as --instance), and the one-word form of
 * serve's --attach, [INSTANCE/]SYSTEM:EVENT: an instance can only be named with the colon
 * form, since SYSTEM/EVENT is the other spelling of an event.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "serve/export.h"

static int copy(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/**
 * ft_export_where_parse() - split [INSTANCE/]SYSTEM:EVENT (or SYSTEM/EVENT)
 * @arg: the word
 * @inst: set to the instance, "" for the top level
 * @isz: size of @inst
 * @sys: set to the system
 * @ssz: size of @sys
 * @ev: set to the event
 * @esz: size of @ev
 *
 * Return: 0, or -EINVAL when it is none of these forms or a part is empty or too long.
 */
int ft_export_where_parse(const char *arg, char *inst, size_t isz, char *sys, size_t ssz, char *ev,
			  size_t esz)
{
	const char *colon = strchr(arg, ':'), *slash = strchr(arg, '/'), *s = arg, *e;

	*inst = '\0';
	if (colon) {
		if (slash && slash < colon) {
			if (strchr(slash + 1, '/') || slash == arg ||
			    copy(inst, isz, arg, (size_t)(slash - arg)))
				return -EINVAL;
			s = slash + 1;
		} else if (slash) {
			return -EINVAL;
		}
		e = colon + 1;
	} else if (slash) {
		e = slash + 1;
		colon = slash;
	} else {
		return -EINVAL;
	}
	if (colon == s || !*e || strpbrk(e, ":/") || copy(sys, ssz, s, (size_t)(colon - s)) ||
	    copy(ev, esz, e, strlen(e)))
		return -EINVAL;
	return 0;
}

static int limit_word(const char *v, struct ft_export *e, char *why, size_t size)
{
	size_t n = strspn(v, "0123456789");

	if (!*v || v[n] || n > 9) {
		snprintf(why, size,
			 "--limit takes a number of series (0: no limit), e.g. --limit 100, "
			 "not '%s'",
			 v);
		return -EINVAL;
	}
	snprintf(e->limit, sizeof(e->limit), "%s", v);
	return 0;
}

/* "--opt V" or "--opt=V": the value (and *@i moved past it), or NULL when @a is not --opt. */
static const char *opt_value(int argc, char *const *argv, int *i, const char *opt, bool *missing)
{
	size_t n = strlen(opt);
	const char *a = argv[*i];

	if (strncmp(a, opt, n) || (a[n] && a[n] != '='))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/**
 * ft_export_parse() - the words of an export line
 * @argc: how many, "export" first
 * @argv: the words
 * @e: filled in
 * @why: set to what is wrong and how to write it, on -EINVAL
 * @size: size of @why
 *
 * Names are checked as tracefs names; whether the event exists is the caller's to check.
 *
 * Return: 0 or -EINVAL.
 */
int ft_export_parse(int argc, char *const *argv, struct ft_export *e, char *why, size_t size)
{
	const char *where = NULL, *v;
	char inst[8];

	memset(e, 0, sizeof(*e));
	for (int i = 1; i < argc; i++) {
		bool missing = false;

		if ((v = opt_value(argc, argv, &i, "--limit", &missing))) {
			if (limit_word(v, e, why, size))
				return -EINVAL;
		} else if ((v = opt_value(argc, argv, &i, "--instance", &missing))) {
			if (ft_name_instance(v, why, size))
				return -EINVAL;
			snprintf(e->instance, sizeof(e->instance), "%s", v);
		} else if (missing) {
			return snprintf(why, size, "%s needs a value", argv[i]), -EINVAL;
		} else if (argv[i][0] == '-') {
			return snprintf(why, size,
					"export takes --instance NAME and --limit N, not '%s'",
					argv[i]),
			       -EINVAL;
		} else if (where) {
			return snprintf(why, size,
					"export takes one SYSTEM:EVENT; write one export line per "
					"event ('%s' is a second)",
					argv[i]),
			       -EINVAL;
		} else {
			where = argv[i];
		}
	}
	if (!where)
		return snprintf(why, size, "export needs the event, e.g. 'export kmem:kmalloc'"),
		       -EINVAL;
	if (ft_export_where_parse(where, inst, sizeof(inst), e->system, sizeof(e->system), e->event,
				  sizeof(e->event)) ||
	    *inst)
		return snprintf(why, size,
				"export takes SYSTEM:EVENT, e.g. kmem:kmalloc, not '%s' (an "
				"instance "
				"is named with --instance or the file's instance setting)",
				where),
		       -EINVAL;
	if (ft_name_system(e->system, why, size) || ft_name_event(e->event, why, size))
		return -EINVAL;
	return 0;
}
