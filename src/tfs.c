// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel boundary: the only code that opens, writes or lists tracefs. It keeps a
 * directory fd of the tracing directory (found by tfs-locate.c); every path below it is
 * built here from names checked by src/names.c (no "..", no '/', the kernel's own character
 * rules) and opened relative to that fd, with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
 * where the kernel has it, one component at a time with O_NOFOLLOW where it has not. So no
 * instance, event or file name, from the command line, a setup file or a journal, can make
 * root write outside tracefs (SEC-6, #15). Errors come back as -errno, and ft_tfs_strerror()
 * turns them into messages that name the cause and the fix.
 *
 * The functions that open below the directory fd are declared in tfs-int.h, which only
 * src/tfs*.c include, so no other file can open a tracefs path at all. Listing is
 * tfs-list.c, writing tfs-write.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "names.h"
#include "tfs.h"
#include "tfs-int.h"

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

	ft_tfs_log_libraries();
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->dirfd = -1;
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
		ret = access(path, F_OK) ? -ENOENT : 0;
		if (ret)
			ft_err("FTRIG_TRACEFS=%s: no such directory; unset FTRIG_TRACEFS to use "
			       "the system's tracefs",
			       env);
	} else {
		ret = ft_tfs_locate(path, sizeof(path), &t->mounted_now, &t->debugfs);
	}
	if (!ret && access(path, R_OK | X_OK)) {
		ret = -errno;
		ft_err("cannot read tracefs at %s: %s; tracing is for root only: run ftrig as root "
		       "(sudo ftrig ...)",
		       path, strerror(errno));
	}
	if (!ret && (t->dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = -errno;
		ft_err("cannot open tracefs at %s: %s", path, strerror(errno));
	}
	if (!ret && !(t->dir = strdup(path)))
		ret = -ENOMEM;
	if (ret) {
		if (t->dirfd >= 0)
			close(t->dirfd);
		free(t);
		return ret;
	}
	t->readonly = statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
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
	if (t->dirfd >= 0)
		close(t->dirfd);
	free(t->dir);
	free(t);
}

/**
 * ft_tfs_dir() - the tracing directory's absolute path, for messages and plans
 * @t: tracefs
 *
 * Return: the path, valid as long as @t.
 */
const char *ft_tfs_dir(const struct ft_tfs *t)
{
	return t->dir;
}

/**
 * ft_tfs_mounted_now() - whether ftrig mounted tracefs itself
 * @t: tracefs
 *
 * Return: true when nothing was mounted and ft_tfs_open() mounted it.
 */
bool ft_tfs_mounted_now(const struct ft_tfs *t)
{
	return t->mounted_now;
}

/**
 * ft_tfs_is_debugfs() - whether the tracing directory is the legacy debugfs/tracing
 * @t: tracefs
 *
 * Return: true for debugfs/tracing.
 */
bool ft_tfs_is_debugfs(const struct ft_tfs *t)
{
	return t->debugfs;
}

/**
 * ft_tfs_is_readonly() - whether tracefs is mounted read-only
 * @t: tracefs
 *
 * Return: true when every write would fail with EROFS.
 */
bool ft_tfs_is_readonly(const struct ft_tfs *t)
{
	return t->readonly;
}

/**
 * ft_tfs_refused() - a refused name's error, logged when @loud
 * @ret: the error to return
 * @why: why the name was refused
 * @loud: log it: before a write, since the refusal is the whole story there; a read or
 *        lookup of a refused name just finds nothing, and its caller says that
 *
 * Return: @ret.
 */
int ft_tfs_refused(int ret, const char *why, bool loud)
{
	if (loud)
		ft_err("%s", why);
	return ret;
}

/**
 * ft_tfs_rel_path() - the path of a file below the tracing directory, relative to it
 * @inst: instance, NULL or "" for the top level
 * @sys: event system, or NULL
 * @ev: event, or NULL
 * @file: the file, or NULL or "" for the directory
 * @buf: set to [instances/INST/][events/SYS/[EVENT/]]FILE, or "." for the top
 * @size: size of @buf
 * @loud: log a refused name
 *
 * Every part is checked by its kind's rules before it joins the path.
 *
 * Return: 0, -EINVAL for a refused name (logged when @loud), -ENAMETOOLONG.
 */
int ft_tfs_rel_path(const char *inst, const char *sys, const char *ev, const char *file, char *buf,
		    size_t size, bool loud)
{
	char why[512];
	size_t n = 0;

	buf[0] = '\0';
	if (inst && *inst) {
		if (ft_name_instance(inst, why, sizeof(why)))
			return ft_tfs_refused(-EINVAL, why, loud);
		n += (size_t)snprintf(buf, size, "instances/%s/", inst);
	}
	if (sys) {
		if (ft_name_system(sys, why, sizeof(why)))
			return ft_tfs_refused(-EINVAL, why, loud);
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "events/%s/", sys);
	}
	if (ev) {
		if (ft_name_event(ev, why, sizeof(why)))
			return ft_tfs_refused(-EINVAL, why, loud);
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s/", ev);
	}
	if (file && *file) {
		if (ft_name_relpath(file, why, sizeof(why)))
			return ft_tfs_refused(-EINVAL, why, loud);
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s", file);
	} else if (n && n < size) {
		buf[--n] = '\0'; /* a directory: drop the trailing '/' */
	}
	if (n >= size)
		return -ENAMETOOLONG;
	if (!n)
		snprintf(buf, size, ".");
	return 0;
}

/*
 * openat2()'s RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS by hand: one component at a time, each
 * with O_NOFOLLOW. The names were checked, so no component is "..". Return: fd or -errno.
 */
static int walk_below(int dirfd, const char *rel, int flags)
{
	char part[NAME_MAX + 1];
	int fd = dirfd, next;

	for (;;) {
		size_t n = strcspn(rel, "/");

		if (!rel[n])
			break;
		if (n >= sizeof(part)) {
			next = -ENAMETOOLONG;
		} else {
			memcpy(part, rel, n);
			part[n] = '\0';
			next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			next = next >= 0 ? next : -errno;
		}
		if (fd != dirfd)
			close(fd);
		if (next < 0)
			return next;
		fd = next;
		rel += n + 1;
	}
	next = openat(fd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
	next = next >= 0 ? next : -errno;
	if (fd != dirfd)
		close(fd);
	return next;
}

/**
 * ft_tfs_open_below() - open @rel below the tracing directory, never leaving it and never
 *			 through a symlink
 * @t: tracefs
 * @rel: a path from ft_tfs_rel_path()
 * @flags: open flags; O_CLOEXEC and O_NOFOLLOW are added
 *
 * Return: the fd, for the caller to close, or -errno.
 */
int ft_tfs_open_below(struct ft_tfs *t, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	int fd;

	if (!t->no_openat2) {
		fd = (int)syscall(SYS_openat2, t->dirfd, rel, &how, sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
			return fd >= 0 ? fd : -errno;
		/* Before 5.6, or a seccomp filter that refuses the call (EPERM). */
		t->no_openat2 = errno == ENOSYS;
	}
	return walk_below(t->dirfd, rel, flags);
}

/* Read all of an open file; tracefs files report size 0, so read until EOF. */
static char *read_fd(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	while (buf) {
		if (n + 1 >= cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0) {
				buf[n] = '\0';
				if (len)
					*len = n;
				return buf;
			}
			break;
		}
		n += (size_t)r;
	}
	free(buf);
	return NULL;
}

/**
 * ft_tfs_read_rel() - read the whole file at @rel (from ft_tfs_rel_path())
 * @t: tracefs
 * @rel: the path
 * @len: set to its length, may be NULL
 *
 * Return: a NUL-terminated buffer the caller frees, or NULL with errno set.
 */
char *ft_tfs_read_rel(struct ft_tfs *t, const char *rel, size_t *len)
{
	int fd = ft_tfs_open_below(t, rel, O_RDONLY), err;
	char *s;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	s = read_fd(fd, len);
	err = errno;
	close(fd);
	errno = err;
	return s;
}

/**
 * ft_tfs_write_rel() - write @text at @rel (from ft_tfs_rel_path()) in one write()
 * @t: tracefs
 * @rel: the path
 * @text: what to write
 * @append: append: trigger files must be, since opening one with O_TRUNC (what
 *          "echo > trigger" does) makes the kernel drop the event's hist triggers,
 *          somebody else's included
 *
 * Return: 0 or -errno.
 */
int ft_tfs_write_rel(struct ft_tfs *t, const char *rel, const char *text, bool append)
{
	int fd = ft_tfs_open_below(t, rel, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	size_t n = strlen(text);
	ssize_t w;
	int ret;

	if (fd < 0)
		return fd;
	do
		w = write(fd, text, n);
	while (w < 0 && errno == EINTR);
	ret = w < 0 ? -errno : (size_t)w != n ? -EIO : 0;
	if (close(fd) && !ret && errno != EINTR)
		ret = -errno;
	return ret;
}

/**
 * ft_tfs_read() - read a whole tracefs file
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @relpath: a fixed path below the instance ("README", "events/header_page"); names of
 *	     events go through ft_tfs_event_read()
 * @len: set to the length read, may be NULL
 *
 * Return: a NUL-terminated buffer the caller frees, or NULL with errno set (EINVAL for a
 * refused name).
 */
char *ft_tfs_read(struct ft_tfs *t, const char *inst, const char *relpath, size_t *len)
{
	char rel[PATH_MAX];
	int ret = ft_tfs_rel_path(inst, NULL, NULL, relpath, rel, sizeof(rel), false);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	return ft_tfs_read_rel(t, rel, len);
}

/**
 * ft_tfs_event_read() - read a file of an event
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system
 * @ev: event name
 * @file: "format", "trigger", "hist", "enable", "filter", "id"
 * @len: set to the length read, may be NULL
 *
 * Return: a NUL-terminated buffer the caller frees, or NULL with errno set.
 */
char *ft_tfs_event_read(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			const char *file, size_t *len)
{
	char rel[PATH_MAX];
	int ret = ft_tfs_rel_path(inst, sys, ev, file, rel, sizeof(rel), false);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	return ft_tfs_read_rel(t, rel, len);
}

/* Whether @rel exists below the tracing directory (a symlink counts as not there). */
static bool exists_rel(struct ft_tfs *t, const char *rel)
{
	int fd = ft_tfs_open_below(t, rel, O_PATH);
	struct stat st;
	bool ok;

	if (fd < 0)
		return false;
	/* O_PATH | O_NOFOLLOW opens a symlink itself rather than failing: look at what it is. */
	ok = !fstat(fd, &st) && !S_ISLNK(st.st_mode);
	close(fd);
	return ok;
}

/**
 * ft_tfs_exists() - whether a tracefs file or directory exists
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @relpath: a fixed path below the instance ("dynamic_events"); events go through
 *	     ft_tfs_event_exists()
 *
 * Return: true if it exists; false also for a refused name.
 */
bool ft_tfs_exists(struct ft_tfs *t, const char *inst, const char *relpath)
{
	char rel[PATH_MAX];

	return !ft_tfs_rel_path(inst, NULL, NULL, relpath, rel, sizeof(rel), false) &&
	       exists_rel(t, rel);
}

/**
 * ft_tfs_event_exists() - whether an event, or one of its files, exists
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system
 * @ev: event name, or NULL for the system itself
 * @file: a file of the event ("trigger", "hist"), or NULL for the event's directory
 *
 * Return: true if it exists; false also for a refused name.
 */
bool ft_tfs_event_exists(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			 const char *file)
{
	char rel[PATH_MAX];

	return !ft_tfs_rel_path(inst, sys, ev, file, rel, sizeof(rel), false) && exists_rel(t, rel);
}

/**
 * ft_tfs_instance_exists() - whether an instance exists
 * @t: tracefs
 * @name: the instance name
 *
 * Return: true if it exists; false also for a refused name.
 */
bool ft_tfs_instance_exists(struct ft_tfs *t, const char *name)
{
	char rel[PATH_MAX];

	return name && *name && !ft_tfs_rel_path(name, NULL, NULL, NULL, rel, sizeof(rel), false) &&
	       exists_rel(t, rel);
}

/**
 * ft_tfs_open_file() - open a tracefs file to stream it (trace_pipe, trace_pipe_raw)
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @relpath: the path below the instance ("trace_pipe", "per_cpu/cpu0/trace_pipe_raw")
 * @flags: open flags (O_RDONLY, O_NONBLOCK); O_CLOEXEC and O_NOFOLLOW are added
 *
 * Return: an fd the caller closes, or -errno (-EINVAL for a refused name, logged).
 */
int ft_tfs_open_file(struct ft_tfs *t, const char *inst, const char *relpath, int flags)
{
	char rel[PATH_MAX];
	int ret = ft_tfs_rel_path(inst, NULL, NULL, relpath, rel, sizeof(rel), true);

	return ret ? ret : ft_tfs_open_below(t, rel, flags);
}

/**
 * ft_tfs_path() - the absolute path of a tracefs file, to show in a plan or a message
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system, or NULL
 * @ev: event name, or NULL
 * @file: file below that ("trigger", "buffer_size_kb"), or NULL for the directory
 * @buf: where the path goes
 * @size: size of @buf
 *
 * Return: 0, or -EINVAL for a refused name (@buf then holds the tracing directory).
 */
int ft_tfs_path(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
		const char *file, char *buf, size_t size)
{
	char rel[PATH_MAX];
	int ret = ft_tfs_rel_path(inst, sys, ev, file, rel, sizeof(rel), false);

	if (ret || !strcmp(rel, "."))
		snprintf(buf, size, "%s", t->dir);
	else if ((size_t)snprintf(buf, size, "%s/%s", t->dir, rel) >= size)
		ret = -ENAMETOOLONG;
	return ret;
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
	char *log = ft_tfs_read(t, inst, "error_log", NULL), *e, *s;
	size_t n;

	if (!log)
		return NULL;
	/* Each entry starts with "[timestamp]" at the start of a line. */
	for (e = log + strlen(log); e > log; e--)
		if (*e == '[' && e[-1] == '\n')
			break;
	if (*e != '[') {
		free(log);
		return NULL;
	}
	n = strlen(e);
	while (n && e[n - 1] == '\n')
		n--;
	s = strndup(e, n);
	free(log);
	return s;
}
