// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing tracefs: instances made and removed, triggers, enables, filters, instance settings
 * and dynamic events. Every write goes through tfs.c's checked paths (tfs-int.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "names.h"
#include "tfs.h"
#include "tfs-int.h"

/* The instances directory, opened beneath the tracing directory. */
static int instances_dir(struct ft_tfs *t)
{
	return ft_tfs_open_below(t, "instances", O_RDONLY | O_DIRECTORY);
}

/* mkdir (@make) or rmdir an instance, after the name passed the kernel's rules. */
static int instance_dir_op(struct ft_tfs *t, const char *name, bool make)
{
	char why[512];
	int fd, ret;

	if (ft_name_instance(name, why, sizeof(why)))
		return ft_tfs_refused(-EINVAL, why, true);
	fd = instances_dir(t);
	if (fd < 0)
		return fd;
	ret = (make ? mkdirat(fd, name, 0755) : unlinkat(fd, name, AT_REMOVEDIR)) ? -errno : 0;
	close(fd);
	return ret;
}

/**
 * ft_tfs_instance_create() - create an instance that must not exist yet
 * @t: tracefs
 * @name: the instance name
 *
 * An existing instance is never adopted: it may belong to somebody else. mkdir() tells
 * exactly that apart (EEXIST), with no window between a check and the create.
 *
 * Return: 0, -EEXIST if it exists, -EINVAL for a refused name (logged), or another -errno.
 */
int ft_tfs_instance_create(struct ft_tfs *t, const char *name)
{
	return instance_dir_op(t, name, true);
}

/**
 * ft_tfs_instance_id() - what tells this instance from one re-made under its name
 * @t: tracefs
 * @name: the instance name
 * @id: set to the instance directory's inode number
 *
 * tracefs gives each directory it makes a new inode number (get_next_ino()) and keeps the
 * instance's dentry, and with it the number, for the instance's whole life: a number recorded
 * after mkdir names that instance, and an instance removed and made again by anybody gets
 * another one. (No other trace of the creation exists: tracefs keeps no times.)
 *
 * Return: 0, -ENOENT if there is no such instance, or another -errno.
 */
int ft_tfs_instance_id(struct ft_tfs *t, const char *name, unsigned long long *id)
{
	char rel[PATH_MAX];
	struct stat st;
	int fd, ret = name && *name
			      ? ft_tfs_rel_path(name, NULL, NULL, NULL, rel, sizeof(rel), true)
			      : -EINVAL;

	if (ret)
		return ret;
	fd = ft_tfs_open_below(t, rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	ret = fstat(fd, &st) ? -errno : 0;
	close(fd);
	if (!ret)
		*id = (unsigned long long)st.st_ino;
	return ret;
}

/**
 * ft_tfs_instance_destroy() - remove an instance
 * @t: tracefs
 * @name: the instance name
 *
 * Return: 0, -ENOENT if it does not exist, -EINVAL for a refused name (logged), or another
 * -errno (-EBUSY while a file of it is open).
 */
int ft_tfs_instance_destroy(struct ft_tfs *t, const char *name)
{
	return instance_dir_op(t, name, false);
}

/* Write @text to a file of an event. */
static int event_put(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
		     const char *file, const char *text, bool append)
{
	char rel[PATH_MAX];
	int ret = ft_tfs_rel_path(inst, sys, event, file, rel, sizeof(rel), true);

	return ret ? ret : ft_tfs_write_rel(t, rel, text, append);
}

/**
 * ft_tfs_trigger_write() - add or remove one trigger on an event
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system
 * @event: event name
 * @text: the trigger exactly as written when it was added
 * @remove: write "!@text" to remove it
 *
 * Return: 0 or -errno; on -EINVAL ft_tfs_error_last() may say why.
 */
int ft_tfs_trigger_write(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
			 const char *text, bool remove)
{
	char *s;
	int ret;

	if (!remove)
		return event_put(t, inst, sys, event, "trigger", text, true);
	if (asprintf(&s, "!%s", text) < 0)
		return -ENOMEM;
	ret = event_put(t, inst, sys, event, "trigger", s, true);
	free(s);
	return ret;
}

/*
 * The top level's buffer_size_kb while the kernel has not expanded its ring buffer yet
 * ("7 (expanded: 1408)"), else NULL; once expanded, not read again.
 */
static char *top_unexpanded(struct ft_tfs *t)
{
	char *cur = t->top_expanded ? NULL : ft_tfs_read(t, NULL, "buffer_size_kb", NULL);

	if (cur && strstr(cur, "expanded:"))
		return cur;
	free(cur);
	t->top_expanded = true;
	return NULL;
}

/*
 * The top-level ring buffer is tiny until tracing is first used; then the kernel expands it
 * until reboot (6.1: on any event enabled, in any instance; later kernels: on one enabled at
 * the top level). ftrig leaves it so, since shrinking it back would leave whoever traces next
 * a tiny buffer, but says so: once, as the kernel expands it once per boot (SEC-13).
 */
static void tell_expansion(struct ft_tfs *t, const char *before)
{
	char *now = top_unexpanded(t);

	if (now) {
		free(now);
		return;
	}
	now = ft_tfs_read(t, NULL, "buffer_size_kb", NULL);
	ft_info("note: this first tracing since boot made the kernel expand its top-level ring "
		"buffer from %.*s to %.*s KB per CPU; the kernel keeps it so until reboot "
		"(man ftrig, WHAT FTRIG LEAVES BEHIND)",
		(int)strcspn(before, " \n"), before, now ? (int)strcspn(now, " \n") : 1,
		now ? now : "?");
	free(now);
}

/**
 * ft_tfs_event_enable() - enable or disable one event in an instance
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system
 * @event: event name
 * @on: enable or disable
 *
 * Return: 0 or -errno.
 */
int ft_tfs_event_enable(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
			bool on)
{
	char *before = on ? top_unexpanded(t) : NULL;
	int ret = event_put(t, inst, sys, event, "enable", on ? "1" : "0", false);

	if (before && !ret)
		tell_expansion(t, before);
	free(before);
	return ret;
}

/**
 * ft_tfs_event_filter() - set or clear the filter of one event in an instance
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system
 * @event: event name
 * @expr: the filter expression, or "0" to clear it
 *
 * Return: 0 or -errno; on -EINVAL the kernel's reason is in the event's filter file and, on
 * newer kernels, in error_log.
 */
int ft_tfs_event_filter(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
			const char *expr)
{
	return event_put(t, inst, sys, event, "filter", expr, false);
}

/**
 * ft_tfs_instance_set() - write a setting file of an instance ftrig owns
 * @t: tracefs
 * @inst: the instance; the top level is refused, since its settings belong to everybody
 * @file: the file below the instance ("buffer_size_kb", "trace_clock", "buffer_percent")
 * @value: what to write
 *
 * A setting is not journaled on its own: it lives and dies with the instance, whose removal
 * is journaled.
 *
 * Return: 0 or -errno (-EINVAL for the top level or a refused name).
 */
int ft_tfs_instance_set(struct ft_tfs *t, const char *inst, const char *file, const char *value)
{
	char rel[PATH_MAX];
	int ret;

	if (!inst || !*inst || !file || strchr(file, '/'))
		return -EINVAL;
	ret = ft_tfs_rel_path(inst, NULL, NULL, file, rel, sizeof(rel), true);
	return ret ? ret : ft_tfs_write_rel(t, rel, value, false);
}

/**
 * ft_tfs_clock_restore() - put back the trace_clock a hist trigger of ftrig's changed
 * @t: tracefs
 * @inst: the instance, NULL or "" for the top level
 * @clock: the clock it had before ("local", ...)
 *
 * The one write ftrig makes to a setting of the top level: the kernel switched its clock when
 * ftrig added a hist trigger on common_timestamp (tracing_set_clock()), and the ledger puts
 * back what it journaled. Setting the clock clears that buffer; the caller says so.
 *
 * Return: 0 or -errno.
 */
int ft_tfs_clock_restore(struct ft_tfs *t, const char *inst, const char *clock)
{
	char rel[PATH_MAX];
	int ret;

	if (!clock || !*clock || strpbrk(clock, " \n/"))
		return -EINVAL;
	ret = ft_tfs_rel_path(inst, NULL, NULL, "trace_clock", rel, sizeof(rel), true);
	return ret ? ret : ft_tfs_write_rel(t, rel, clock, false);
}

/**
 * ft_tfs_dynevent_write() - append one line to a dynamic event file
 * @t: tracefs
 * @file: "dynamic_events", "kprobe_events", "uprobe_events" or "synthetic_events"
 * @line: a definition ("p:ftrig/open do_sys_openat2") or a removal ("-:ftrig/open")
 *
 * Return: 0 or -errno (-EBUSY when the event is still enabled or used by a trigger, -EINVAL
 * for a file that is none of those).
 */
int ft_tfs_dynevent_write(struct ft_tfs *t, const char *file, const char *line)
{
	static const char *const files[] = { "dynamic_events", "kprobe_events", "uprobe_events",
					     "synthetic_events" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (file && !strcmp(file, files[i]))
			return ft_tfs_write_rel(t, files[i], line, true);
	ft_err("'%s' is not a dynamic event file (dynamic_events, kprobe_events, uprobe_events "
	       "or synthetic_events)",
	       file ? file : "");
	return -EINVAL;
}
