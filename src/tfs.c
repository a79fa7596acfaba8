// SPDX-License-Identifier: GPL-2.0-only
/*
 * The only code that writes tracefs. Everything goes through libtracefs; this file locates (and
 * if need be mounts) the tracing directory, normalises libtracefs' error conventions to -errno,
 * and turns errno values into messages that name the cause and the fix.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <tracefs.h>

#include "log.h"
#include "tfs.h"
#include "util.h"

#define TRACEFS_MAGIC 0x74726163 /* linux/magic.h */

#define TRACEFS_DEFAULT "/sys/kernel/tracing"

/* libtracefs sometimes leaves errno at 0 or sets it negative: always hand back a -errno. */
static int neg_errno(void)
{
	int e = errno;

	if (e < 0)
		e = -e;
	return e ? -e : -EIO;
}

/* Decode the octal escapes (\040 for a space) /proc/mounts uses in paths. */
static void unescape_mount_path(const char *in, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++) {
		if (in[i] == '\\' && i + 3 < n && in[i + 1] >= '0' && in[i + 1] <= '3') {
			out[o++] = (char)(((in[i + 1] - '0') << 6) | ((in[i + 2] - '0') << 3) |
					  (in[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

/**
 * ft_mounts_find() - find a mount of @fstype in the text of /proc/mounts
 * @mounts: the whole text of /proc/mounts
 * @fstype: the file system type wanted ("tracefs", "debugfs")
 * @prefer: a mount point to pick if the type is mounted several times, or NULL
 * @path: where the mount point is written
 * @size: size of @path
 *
 * Return: 0 and @path filled when found, -ENOENT when @fstype is not mounted.
 */
int ft_mounts_find(const char *mounts, const char *fstype, const char *prefer, char *path,
		   size_t size)
{
	bool found = false;

	for (const char *line = mounts; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *dir = strchr(line, ' ');
		const char *type = dir ? strchr(dir + 1, ' ') : NULL;
		size_t tlen = strlen(fstype);

		if (type && (!nl || type < nl) && !strncmp(type + 1, fstype, tlen) &&
		    type[1 + tlen] == ' ') {
			char p[PATH_MAX];

			unescape_mount_path(dir + 1, (size_t)(type - dir - 1), p, sizeof(p));
			if (!found || (prefer && !strcmp(p, prefer)))
				snprintf(path, size, "%s", p);
			found = true;
		}
		line = nl ? nl + 1 : NULL;
	}
	return found ? 0 : -ENOENT;
}

/* Where is tracefs? Mounted somewhere, mountable by us, or only under debugfs. */
static int locate(struct ft_tfs *t, char *path, size_t size)
{
	char *mounts, dbg[PATH_MAX];
	struct statfs st;
	int ret;

	/* Where it nearly always is: one statfs instead of reading every mount. */
	if (statfs(TRACEFS_DEFAULT, &st) == 0 && st.f_type == TRACEFS_MAGIC) {
		snprintf(path, size, "%s", TRACEFS_DEFAULT);
		return 0;
	}
	mounts = ft_read_file("/proc/mounts", NULL);
	if (!mounts) {
		ft_err("cannot read /proc/mounts: %s; is /proc mounted?", strerror(errno));
		return -errno;
	}
	ret = ft_mounts_find(mounts, "tracefs", TRACEFS_DEFAULT, path, size);
	if (ret == 0) {
		free(mounts);
		return 0;
	}
	if (geteuid() == 0 && mount("nodev", TRACEFS_DEFAULT, "tracefs", 0, NULL) == 0) {
		free(mounts);
		snprintf(path, size, "%s", TRACEFS_DEFAULT);
		t->mounted_now = true;
		return 0;
	}
	ret = errno;
	if (ft_mounts_find(mounts, "debugfs", "/sys/kernel/debug", dbg, sizeof(dbg)) == 0) {
		snprintf(path, size, "%s/tracing", dbg);
		if (access(path, F_OK) == 0 || errno == EACCES) {
			free(mounts);
			t->debugfs = true;
			return 0;
		}
	}
	free(mounts);
	if (geteuid() != 0)
		ft_err("tracefs is not mounted and only root can mount it: run ftrig as root, or "
		       "'mount -t tracefs nodev %s' as root first",
		       TRACEFS_DEFAULT);
	else if (ret == ENODEV)
		ft_err("this kernel has no tracefs (it was built without CONFIG_TRACING); "
		       "ftrig needs a kernel with ftrace");
	else
		ft_err("cannot mount tracefs at %s: %s; mount it by hand with "
		       "'mount -t tracefs nodev %s'",
		       TRACEFS_DEFAULT, strerror(ret), TRACEFS_DEFAULT);
	return -ENOENT;
}

/**
 * ft_tfs_open() - find the tracing directory, mounting tracefs if root and nothing is mounted
 * @out: set to a new handle; free with ft_tfs_close()
 *
 * FTRIG_TRACEFS in the environment names another directory (the unit tests' fake tree). On
 * failure the cause and the fix have been logged.
 *
 * Return: 0, or -errno (-ENOENT: no tracefs, -EACCES: not allowed to read it).
 */
int ft_tfs_open(struct ft_tfs **out)
{
	const char *env = getenv("FTRIG_TRACEFS");
	char path[PATH_MAX];
	struct statvfs vfs;
	struct ft_tfs *t;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
		ret = access(path, F_OK) ? -ENOENT : 0;
		if (ret)
			ft_err("FTRIG_TRACEFS=%s: no such directory; unset FTRIG_TRACEFS to use "
			       "the "
			       "system's tracefs",
			       env);
	} else {
		ret = locate(t, path, sizeof(path));
	}
	if (!ret && access(path, R_OK | X_OK)) {
		ret = -errno;
		ft_err("cannot read tracefs at %s: %s; tracing is for root only: run ftrig as root "
		       "(sudo ftrig ...)",
		       path, strerror(errno));
	}
	if (!ret && !(t->dir = strdup(path)))
		ret = -ENOMEM;
	if (ret) {
		free(t);
		return ret;
	}
	t->readonly = statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
	tracefs_set_tracing_dir(t->dir);
	*out = t;
	return 0;
}

/**
 * ft_tfs_close() - forget the tracing directory; NULL is allowed
 * @t: the handle from ft_tfs_open()
 *
 * A tracefs that ftrig mounted stays mounted: other tools may use it by now.
 */
void ft_tfs_close(struct ft_tfs *t)
{
	if (!t)
		return;
	tracefs_set_tracing_dir(NULL);
	free(t->dir);
	free(t);
}

/* libtracefs' handle for an instance name; NULL or "" is the top level (returns NULL, ok). */
static int inst_get(const char *name, struct tracefs_instance **inst)
{
	*inst = NULL;
	if (!name || !*name)
		return 0;
	*inst = tracefs_instance_alloc(NULL, name);
	return *inst ? 0 : -ENOENT;
}

/**
 * ft_tfs_read() - read a whole tracefs file
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @relpath: path below the instance ("events/sched/sched_switch/format")
 * @len: set to the length read, may be NULL
 *
 * Return: a NUL-terminated buffer the caller frees, or NULL with errno set.
 */
char *ft_tfs_read(struct ft_tfs *t, const char *inst, const char *relpath, size_t *len)
{
	char path[PATH_MAX];

	if (inst && *inst)
		snprintf(path, sizeof(path), "%s/instances/%s/%s", t->dir, inst, relpath);
	else
		snprintf(path, sizeof(path), "%s/%s", t->dir, relpath);
	return ft_read_file(path, len);
}

/**
 * ft_tfs_exists() - whether a tracefs file or directory exists
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @relpath: path below the instance
 *
 * Return: true if it exists.
 */
bool ft_tfs_exists(struct ft_tfs *t, const char *inst, const char *relpath)
{
	char path[PATH_MAX];

	if (inst && *inst)
		snprintf(path, sizeof(path), "%s/instances/%s/%s", t->dir, inst, relpath);
	else
		snprintf(path, sizeof(path), "%s/%s", t->dir, relpath);
	return access(path, F_OK) == 0;
}

/**
 * ft_tfs_error_last() - the kernel's last error_log entry for an instance
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 *
 * Return: the entry (command, caret line and message) for the caller to free, or NULL when
 * the log is empty or the kernel has none.
 */
char *ft_tfs_error_last(struct ft_tfs *t, const char *inst)
{
	struct tracefs_instance *ti;
	char *s;

	if (inst_get(inst, &ti))
		return NULL;
	s = tracefs_error_last(ti);
	tracefs_instance_free(ti);
	return s;
}

/**
 * ft_tfs_instances() - names of all instances
 * @t: tracefs
 *
 * Return: a NULL-terminated list to free with ft_tfs_list_free(), NULL on error or when
 * there are none.
 */
char **ft_tfs_instances(struct ft_tfs *t)
{
	return tracefs_instances(NULL);
}

/**
 * ft_tfs_systems() - names of all event systems
 * @t: tracefs
 *
 * Return: a NULL-terminated list to free with ft_tfs_list_free(), or NULL.
 */
char **ft_tfs_systems(struct ft_tfs *t)
{
	return tracefs_event_systems(t->dir);
}

/**
 * ft_tfs_events() - names of the events of one system
 * @t: tracefs
 * @system: the system
 *
 * Return: a NULL-terminated list to free with ft_tfs_list_free(), or NULL.
 */
char **ft_tfs_events(struct ft_tfs *t, const char *system)
{
	return tracefs_system_events(t->dir, system);
}

/**
 * ft_tfs_list_free() - free a list returned by the ft_tfs_*() listing functions
 * @list: the list, may be NULL
 */
void ft_tfs_list_free(char **list)
{
	tracefs_list_free(list);
}

/**
 * ft_tfs_instance_create() - create an instance that must not exist yet
 * @t: tracefs
 * @name: the instance name
 *
 * An existing instance is never adopted: it may belong to somebody else.
 *
 * Return: 0, -EEXIST if it exists, or another -errno.
 */
int ft_tfs_instance_create(struct ft_tfs *t, const char *name)
{
	struct tracefs_instance *ti;
	bool fresh;

	if (tracefs_instance_exists(name))
		return -EEXIST;
	ti = tracefs_instance_create(name);
	if (!ti)
		return neg_errno();
	fresh = tracefs_instance_is_new(ti);
	tracefs_instance_free(ti);
	return fresh ? 0 : -EEXIST;
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
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/instances/%s", t->dir, name);
	if (lstat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*id = (unsigned long long)st.st_ino;
	return 0;
}

/**
 * ft_tfs_instance_destroy() - remove an instance
 * @t: tracefs
 * @name: the instance name
 *
 * Return: 0, -ENOENT if it does not exist, or another -errno (-EBUSY while a file of it is
 * open).
 */
int ft_tfs_instance_destroy(struct ft_tfs *t, const char *name)
{
	char path[PATH_MAX];

	/*
	 * libtracefs' destroy reports every failure as -1 without a reliable errno; rmdir on the
	 * instance directory is what it does, so do it here and keep the errno.
	 */
	snprintf(path, sizeof(path), "%s/instances/%s", t->dir, name);
	return rmdir(path) ? -errno : 0;
}

/*
 * Write @text to a file of an event. Trigger files must be appended to: opening one with
 * O_TRUNC (what "echo > trigger" does) makes the kernel drop the event's hist triggers,
 * somebody else's included. libtracefs' append opens without O_TRUNC.
 */
static int event_put(const char *inst, const char *sys, const char *event, const char *file,
		     const char *text, bool append)
{
	struct tracefs_instance *ti;
	int ret;

	ret = inst_get(inst, &ti);
	if (ret)
		return ret;
	errno = 0;
	if (append)
		ret = tracefs_event_file_append(ti, sys, event, file, text);
	else
		ret = tracefs_event_file_write(ti, sys, event, file, text);
	ret = ret < 0 ? neg_errno() : 0;
	tracefs_instance_free(ti);
	return ret;
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
		return event_put(inst, sys, event, "trigger", text, true);
	if (asprintf(&s, "!%s", text) < 0)
		return -ENOMEM;
	ret = event_put(inst, sys, event, "trigger", s, true);
	free(s);
	return ret;
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
	return event_put(inst, sys, event, "enable", on ? "1" : "0", false);
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
	return event_put(inst, sys, event, "filter", expr, false);
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
 * Return: 0 or -errno (-EINVAL for the top level).
 */
int ft_tfs_instance_set(struct ft_tfs *t, const char *inst, const char *file, const char *value)
{
	struct tracefs_instance *ti;
	int ret;

	if (!inst || !*inst)
		return -EINVAL;
	ret = inst_get(inst, &ti);
	if (ret)
		return ret;
	errno = 0;
	ret = tracefs_instance_file_write(ti, file, value) < 0 ? neg_errno() : 0;
	tracefs_instance_free(ti);
	return ret;
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
	struct tracefs_instance *ti;
	int ret = inst_get(inst, &ti);

	if (ret)
		return ret;
	errno = 0;
	ret = tracefs_instance_file_write(ti, "trace_clock", clock) < 0 ? neg_errno() : 0;
	tracefs_instance_free(ti);
	return ret;
}

/**
 * ft_tfs_dynevent_write() - append one line to a dynamic event file
 * @t: tracefs
 * @file: "dynamic_events", "kprobe_events", "uprobe_events" or "synthetic_events"
 * @line: a definition ("p:ftrig/open do_sys_openat2") or a removal ("-:ftrig/open")
 *
 * Return: 0 or -errno (-EBUSY when the event is still enabled or used by a trigger).
 */
int ft_tfs_dynevent_write(struct ft_tfs *t, const char *file, const char *line)
{
	errno = 0;
	return tracefs_instance_file_append(NULL, file, line) < 0 ? neg_errno() : 0;
}

/**
 * ft_tfs_strerror() - a sentence naming why a tracefs write failed and what to do
 * @err: a negative errno from one of the ft_tfs_*() writers
 * @path: what was written (shown in the message)
 * @buf: where the sentence goes
 * @size: size of @buf
 *
 * Return: @buf.
 */
const char *ft_tfs_strerror(int err, const char *path, char *buf, size_t size)
{
	switch (-err) {
	case EACCES:
	case EPERM:
		snprintf(buf, size, "%s: permission denied; tracing needs root: run ftrig as root",
			 path);
		break;
	case EROFS:
		snprintf(buf, size,
			 "%s: tracefs is mounted read-only; remount it read-write "
			 "(mount -o remount,rw /sys/kernel/tracing)",
			 path);
		break;
	case ENOENT:
		snprintf(buf, size, "%s: no such tracefs file; this kernel lacks it", path);
		break;
	case EBUSY:
		snprintf(buf, size,
			 "%s: busy; something still uses it (an enabled event, a "
			 "trigger, or an open file)",
			 path);
		break;
	case EEXIST:
		snprintf(buf, size, "%s: already exists", path);
		break;
	default:
		snprintf(buf, size, "%s: %s", path, strerror(-err));
	}
	return buf;
}
