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
 * It is longer than most files on purpose: the functions that open below the directory fd
 * stay static here, so no other file can open a tracefs path at all.
 */
#include <dirent.h>
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

/**
 * struct ft_tfs - the tracing file system ftrig works on (opaque outside this file)
 * @dir: absolute path of the tracing directory (tracefs mount, debugfs/tracing, or a fake tree)
 * @dirfd: @dir opened O_PATH; every file below it is opened relative to it
 * @mounted_now: ftrig mounted tracefs itself because nothing was mounted
 * @debugfs: @dir is the legacy debugfs/tracing location
 * @readonly: the mount is read-only, so every write will fail with EROFS
 * @no_openat2: the kernel lacks openat2(): fall back to openat() with O_NOFOLLOW
 * @top_expanded: the top-level ring buffer is known to be expanded (see tell_expansion())
 */
struct ft_tfs {
	char *dir;
	int dirfd;
	bool mounted_now;
	bool debugfs;
	bool readonly;
	bool no_openat2;
	bool top_expanded;
};

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

/*
 * Why a name was refused, logged when @loud: before a write, since the refusal is the whole
 * story there. A read or lookup of a refused name just finds nothing; its caller says that.
 */
static int refused_name(int ret, const char *why, bool loud)
{
	if (loud)
		ft_err("%s", why);
	return ret;
}

/*
 * The path of a file below the tracing directory, relative to it:
 * [instances/INST/][events/SYS/[EVENT/]]FILE. Every part is checked by its kind's rules
 * before it joins the path; NULL parts are left out.
 *
 * Return: 0, -EINVAL for a refused name (logged when @loud), -ENAMETOOLONG.
 */
static int rel_path(const char *inst, const char *sys, const char *ev, const char *file, char *buf,
		    size_t size, bool loud)
{
	char why[512];
	size_t n = 0;

	buf[0] = '\0';
	if (inst && *inst) {
		if (ft_name_instance(inst, why, sizeof(why)))
			return refused_name(-EINVAL, why, loud);
		n += (size_t)snprintf(buf, size, "instances/%s/", inst);
	}
	if (sys) {
		if (ft_name_system(sys, why, sizeof(why)))
			return refused_name(-EINVAL, why, loud);
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "events/%s/", sys);
	}
	if (ev) {
		if (ft_name_event(ev, why, sizeof(why)))
			return refused_name(-EINVAL, why, loud);
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s/", ev);
	}
	if (file && *file) {
		if (ft_name_relpath(file, why, sizeof(why)))
			return refused_name(-EINVAL, why, loud);
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

/*
 * Open @rel below the tracing directory, never leaving it and never through a symlink.
 * Return: the fd, or -errno.
 */
static int open_below(struct ft_tfs *t, const char *rel, int flags)
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

/* Read the file at @rel; NULL with errno set on failure. */
static char *read_rel(struct ft_tfs *t, const char *rel, size_t *len)
{
	int fd = open_below(t, rel, O_RDONLY), err;
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

/*
 * Write @text at @rel in one write(). Trigger files must be appended to (@append): opening
 * one with O_TRUNC (what "echo > trigger" does) makes the kernel drop the event's hist
 * triggers, somebody else's included. Return: 0 or -errno.
 */
static int write_rel(struct ft_tfs *t, const char *rel, const char *text, bool append)
{
	int fd = open_below(t, rel, O_WRONLY | (append ? O_APPEND : O_TRUNC));
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
	int ret = rel_path(inst, NULL, NULL, relpath, rel, sizeof(rel), false);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	return read_rel(t, rel, len);
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
	int ret = rel_path(inst, sys, ev, file, rel, sizeof(rel), false);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	return read_rel(t, rel, len);
}

/* Whether @rel exists below the tracing directory (a symlink counts as not there). */
static bool exists_rel(struct ft_tfs *t, const char *rel)
{
	int fd = open_below(t, rel, O_PATH);
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

	return !rel_path(inst, NULL, NULL, relpath, rel, sizeof(rel), false) && exists_rel(t, rel);
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

	return !rel_path(inst, sys, ev, file, rel, sizeof(rel), false) && exists_rel(t, rel);
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

	return name && *name && !rel_path(name, NULL, NULL, NULL, rel, sizeof(rel), false) &&
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
	int ret = rel_path(inst, NULL, NULL, relpath, rel, sizeof(rel), true);

	return ret ? ret : open_below(t, rel, flags);
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
	int ret = rel_path(inst, sys, ev, file, rel, sizeof(rel), false);

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

/*
 * Whether the entry @name of directory @dfd is a directory, and when @need is given, one
 * holding a file of that name (event systems and events have "enable"; ftrace's own
 * entries, which cannot be traced, have none).
 */
static bool listed(int dfd, const char *name, unsigned char type, const char *need)
{
	struct stat st;
	char sub[NAME_MAX + 16];

	if (type != DT_DIR && (type != DT_UNKNOWN || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) ||
			       !S_ISDIR(st.st_mode)))
		return false;
	snprintf(sub, sizeof(sub), "%s/%s", name, need ? need : "");
	return !need || !fstatat(dfd, sub, &st, AT_SYMLINK_NOFOLLOW);
}

/* The names of the directories in @rel (with a file @need), NULL-terminated, or NULL. */
static char **list_dirs(struct ft_tfs *t, const char *rel, const char *need)
{
	int fd = open_below(t, rel, O_RDONLY | O_DIRECTORY);
	char **v = NULL, **nv;
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !listed(dirfd(d), de->d_name, de->d_type, need))
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n] = strdup(de->d_name);
		if (!v[n])
			break;
		v[++n] = NULL;
	}
	closedir(d);
	return v;
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
	return list_dirs(t, "instances", NULL);
}

/**
 * ft_tfs_systems() - names of all event systems (those with an "enable" file, as libtracefs
 *		      lists them)
 * @t: tracefs
 *
 * Return: a NULL-terminated list to free with ft_tfs_list_free(), or NULL.
 */
char **ft_tfs_systems(struct ft_tfs *t)
{
	return list_dirs(t, "events", "enable");
}

/**
 * ft_tfs_events() - names of the events of one system
 * @t: tracefs
 * @system: the system
 *
 * Return: a NULL-terminated list to free with ft_tfs_list_free(), or NULL (also for a
 * refused name).
 */
char **ft_tfs_events(struct ft_tfs *t, const char *system)
{
	char rel[PATH_MAX];

	if (rel_path(NULL, system, NULL, NULL, rel, sizeof(rel), false))
		return NULL;
	return list_dirs(t, rel, "enable");
}

/**
 * ft_tfs_list_free() - free a list returned by the ft_tfs_*() listing functions
 * @list: the list, may be NULL
 */
void ft_tfs_list_free(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

/* The instances directory, opened beneath the tracing directory. */
static int instances_dir(struct ft_tfs *t)
{
	return open_below(t, "instances", O_RDONLY | O_DIRECTORY);
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
	char why[512];
	int fd, ret;

	if (ft_name_instance(name, why, sizeof(why)))
		return refused_name(-EINVAL, why, true);
	fd = instances_dir(t);
	if (fd < 0)
		return fd;
	ret = mkdirat(fd, name, 0755) ? -errno : 0;
	close(fd);
	return ret;
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
	int fd, ret = name && *name ? rel_path(name, NULL, NULL, NULL, rel, sizeof(rel), true)
				    : -EINVAL;

	if (ret)
		return ret;
	fd = open_below(t, rel, O_RDONLY | O_DIRECTORY);
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
	char why[512];
	int fd, ret;

	if (ft_name_instance(name, why, sizeof(why)))
		return refused_name(-EINVAL, why, true);
	fd = instances_dir(t);
	if (fd < 0)
		return fd;
	ret = unlinkat(fd, name, AT_REMOVEDIR) ? -errno : 0;
	close(fd);
	return ret;
}

/* Write @text to a file of an event. */
static int event_put(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
		     const char *file, const char *text, bool append)
{
	char rel[PATH_MAX];
	int ret = rel_path(inst, sys, event, file, rel, sizeof(rel), true);

	return ret ? ret : write_rel(t, rel, text, append);
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
	ret = rel_path(inst, NULL, NULL, file, rel, sizeof(rel), true);
	return ret ? ret : write_rel(t, rel, value, false);
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
	ret = rel_path(inst, NULL, NULL, "trace_clock", rel, sizeof(rel), true);
	return ret ? ret : write_rel(t, rel, clock, false);
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
			return write_rel(t, files[i], line, true);
	ft_err("'%s' is not a dynamic event file (dynamic_events, kprobe_events, uprobe_events "
	       "or synthetic_events)",
	       file ? file : "");
	return -EINVAL;
}
