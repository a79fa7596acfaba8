// SPDX-License-Identifier: GPL-2.0-only
/*
 * The names that become one component of a tracefs or bpffs path: instances, event systems,
 * events, probe groups and names, hist and aggregation names. Each kind is checked once, here,
 * by the kernel's own rules (kernel/trace/trace.h is_good_name() and is_good_system_name(),
 * MAX_EVENT_NAME_LEN, NAME_MAX), so that no name can climb out of its directory ("..", "/")
 * or carry a byte the journal or a setup file cannot hold. And the one reading of an event's
 * name, SYSTEM:EVENT, into those two parts. Pure: no I/O.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

/* What a name was refused for; @why gets one sentence with the problem and the fix. */
__attribute__((format(printf, 3, 4))) static int refuse(char *why, size_t size, const char *fmt,
							...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The checks every kind shares: present, not longer than @max bytes, not "." or "..", no
 * '/', no control character or blank. Return: 0, or -EINVAL with @why set.
 */
static int component(const char *name, const char *what, size_t max, char *why, size_t size)
{
	if (!name || !*name)
		return refuse(why, size, "an empty name is not %s: give a name", what);
	if (strlen(name) > max)
		return refuse(why, size,
			      "'%.40s...' is not %s: it is %zu bytes long and the limit is %zu; "
			      "use a shorter name",
			      name, what, strlen(name), max);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return refuse(why, size, "'%s' is not %s: %s", name, what,
			      "'.' and '..' name directories, not objects; pick a plain name");
	if (strchr(name, '/'))
		return refuse(why, size, "'%s' is not %s: %s", name, what,
			      "a name is one path component, without '/'; pick a plain name");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return refuse(why, size, "'%s' is not %s: %s", name, what,
				      "it holds a blank or control character; use letters, digits "
				      "and '_'");
	return 0;
}

/* Every byte of @name in [A-Za-z0-9_] or in @extra; a digit first only if @digit_first. */
static bool charset(const char *name, const char *extra, bool digit_first)
{
	if (!is_alpha(*name) && *name != '_' && !(digit_first && is_digit(*name)) &&
	    !strchr(extra, *name))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!is_alpha(*p) && !is_digit(*p) && *p != '_' && !strchr(extra, *p))
			return false;
	return true;
}

/**
 * ft_name_instance() - check the name of a tracefs instance
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * The kernel makes an instance of any directory name; ftrig also refuses blanks and control
 * characters, which its journal and setup files cannot hold.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_instance(const char *name, char *why, size_t size)
{
	return component(name, "an instance name", NAME_MAX, why, size);
}

/* An existing event system or event: what the kernel names their directories with. */
static int existing(const char *name, const char *what, char *why, size_t size)
{
	int ret = component(name, what, NAME_MAX, why, size);

	/* Static events are C identifiers, systems may start with a digit ("9p"). */
	if (!ret && !charset(name, "-.", true))
		ret = refuse(why, size, "'%s' is not %s: %s", name, what,
			     "event systems and events are named with letters, digits, '_', '-' "
			     "and '.'; 'ftrig list events' lists them");
	return ret;
}

/**
 * ft_name_system() - check the name of an existing event system
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_system(const char *name, char *why, size_t size)
{
	return existing(name, "an event system", why, size);
}

/**
 * ft_name_event() - check the name of an existing event (without its system)
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_event(const char *name, char *why, size_t size)
{
	return existing(name, "an event name", why, size);
}

/**
 * ft_name_group() - check the group of a new dynamic event, as is_good_system_name() does
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_group(const char *name, char *why, size_t size)
{
	int ret = component(name, "a probe group", FT_NAME_EVENT_MAX - 1, why, size);

	if (!ret && !charset(name, "-", false))
		ret = refuse(why, size, "'%s' is not %s: %s", name, "a probe group",
			     "the kernel takes letters, digits, '_' and '-', not a digit first");
	return ret;
}

/**
 * ft_name_probe() - check the name of a new dynamic or synthetic event, as is_good_name() does
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_probe(const char *name, char *why, size_t size)
{
	int ret = component(name, "a probe name", FT_NAME_EVENT_MAX - 1, why, size);

	if (!ret && !charset(name, "", false))
		ret = refuse(why, size, "'%s' is not %s: %s", name, "a probe name",
			     "the kernel takes letters, digits and '_', not a digit first");
	return ret;
}

/**
 * ft_name_agg() - check a hist trigger's or BPF aggregation's name
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * It may become a pin directory under bpffs, which refuses '.', and is kept whole in the
 * pinned plan, so it is never cut short.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_agg(const char *name, char *why, size_t size)
{
	int ret = component(name, "a hist or aggregation name", FT_NAME_AGG_MAX, why, size);

	if (!ret && !charset(name, "-", true))
		ret = refuse(why, size, "'%s' is not %s: %s", name, "a hist or aggregation name",
			     "use letters, digits, '_' and '-' (no '/' or '.': bpffs refuses "
			     "them); pick another --name");
	return ret;
}

/**
 * ft_name_pin() - check the name of an existing pin directory under bpffs/ftrig, to remove it
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Looser than ft_name_agg(), so that pins an older ftrig made stay removable, but never
 * anything but one directory below bpffs/ftrig ("..", '/').
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_pin(const char *name, char *why, size_t size)
{
	return component(name, "a pin directory of ftrig", NAME_MAX, why, size);
}

/**
 * ft_name_check() - check a name of the given kind
 * @kind: what the name names
 * @name: the name
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_check(enum ft_name_kind kind, const char *name, char *why, size_t size)
{
	switch (kind) {
	case FT_NAME_INSTANCE:
		return ft_name_instance(name, why, size);
	case FT_NAME_SYSTEM:
		return ft_name_system(name, why, size);
	case FT_NAME_EVENT:
		return ft_name_event(name, why, size);
	case FT_NAME_GROUP:
		return ft_name_group(name, why, size);
	case FT_NAME_PROBE:
		return ft_name_probe(name, why, size);
	case FT_NAME_AGG:
		return ft_name_agg(name, why, size);
	}
	return refuse(why, size, "unknown kind of name");
}

/**
 * ft_name_relpath() - check a fixed relative path below a tracefs directory ("README",
 *		       "per_cpu/cpu0/trace_pipe_raw")
 * @path: the path
 * @why: set to the reason when it is refused, may be NULL
 * @size: size of @why
 *
 * Each component must pass the checks every name passes: no "..", no empty component, not
 * absolute.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int ft_name_relpath(const char *path, char *why, size_t size)
{
	char part[NAME_MAX + 2];

	if (!path || !*path || *path == '/')
		return refuse(why, size, "'%s' is not %s: %s", path ? path : "",
			      "a path below tracefs", "it must be relative and not empty");
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		int ret;

		if (n >= sizeof(part))
			n = sizeof(part) - 1;
		memcpy(part, p, n);
		part[n] = '\0';
		ret = component(part, "a path component below tracefs", NAME_MAX, why, size);
		if (ret)
			return ret;
		p += strcspn(p, "/");
		if (*p)
			p++;
		if (!*p && p[-1] == '/')
			return refuse(why, size, "'%s' is not %s: %s", path, "a path below tracefs",
				      "it ends in '/'");
	}
	return 0;
}

/**
 * ft_event_split() - the two parts of an event's name, "SYSTEM:EVENT" or "SYSTEM/EVENT"
 * @name: the name
 * @syslen: set to the length of the system part, which starts at @name
 * @event: set to the event part, the rest of @name after the separator
 *
 * The separator is the first ':' or '/' (tracefs shows the event as the directory
 * events/SYSTEM/EVENT, the kernel's trigger and hist syntax as SYSTEM:EVENT, and users write
 * either). Both parts must be there and the event part holds no second separator. The parts
 * themselves are not checked: ft_name_system() and ft_name_event() do that where they become
 * a path.
 *
 * Return: 0, or -EINVAL when @name is not of that form (*@syslen and *@event untouched).
 */
int ft_event_split(const char *name, size_t *syslen, const char **event)
{
	size_t n = strcspn(name, ":/");

	if (!n || !name[n] || !name[n + 1] || strpbrk(name + n + 1, ":/"))
		return -EINVAL;
	*syslen = n;
	*event = name + n + 1;
	return 0;
}

/**
 * ft_event_split_copy() - ft_event_split() into two buffers
 * @name: "SYSTEM:EVENT" or "SYSTEM/EVENT"
 * @sys: set to the system part
 * @syssize: size of @sys
 * @ev: set to the event part
 * @evsize: size of @ev
 *
 * Return: 0; -EINVAL when @name is not of that form, -ENAMETOOLONG when a part does not fit
 * its buffer (the buffers are then left as they were).
 */
int ft_event_split_copy(const char *name, char *sys, size_t syssize, char *ev, size_t evsize)
{
	const char *e;
	size_t n;

	if (ft_event_split(name, &n, &e))
		return -EINVAL;
	if (n >= syssize || strlen(e) >= evsize)
		return -ENAMETOOLONG;
	memcpy(sys, name, n);
	sys[n] = '\0';
	strcpy(ev, e);
	return 0;
}
