// SPDX-License-Identifier: GPL-2.0-only
/*
 * Journal files on disk: the only code that opens, appends to or removes a file in the state
 * directory. The text format is src/journal.c's:
 *
 *	ftrig-journal 1	PID	STARTTIME	BOOT_ID[	TAG]	header, always the first line
 *	+	SEQ	KIND	INSTANCE	SYSTEM	EVENT	FILE	TEXT	an object, before its write
 *	-	SEQ						retired (gone, or never made)
 *	=	SEQ	NOTE					what undoing SEQ must check or put back
 *
 * Fields are tab-separated, with tab, newline and backslash escaped (\t \n \\); every line
 * ends in a newline. What this file guarantees about those files:
 *
 * - Trust. ftrig runs as root and replays journals into the kernel, so a journal is only
 *   read when the state directory and the journal belong to the running user and nobody else
 *   can write them (SEC-7), and every directory above the state directory is root's or the
 *   user's and either nobody else can write it or it is sticky (else another user could
 *   rename the state directory away and put theirs in its place). Journals are opened
 *   relative to an fd of the state directory with O_NOFOLLOW: a planted symlink is refused,
 *   never followed.
 * - No empty journal. A new journal is made as an unnamed file (O_TMPFILE), locked, given its
 *   header, and only then linked under its name: a kill at any point leaves either no file
 *   or a journal with a header (SEC-9). Where the file system has no O_TMPFILE, it is
 *   created with O_EXCL and the header written at once (a kill in between can leave an empty
 *   file, which `cleanup --stale` removes).
 * - Whole records. A record is appended with one write(); if the write fails (ENOSPC), the
 *   file is truncated back to where it ended, so no torn record can merge with the next one
 *   (SEC-2). A journal torn by a crash mid-append is trimmed back to its last newline before
 *   anything is appended to it.
 * - No sync. What a record describes lives in the kernel's memory (tracefs, bpffs): a
 *   record reaches every later reader once write() returns, also when ftrig is killed at
 *   once; only a crash of the machine can lose it, and that crash removes every object it
 *   named, and the header's boot id makes the journal stale. A sync guarded against nothing
 *   and cost a disk flush per record (up to 1.5 ms on a state directory on disk, as /run is
 *   in some containers and FTRIG_STATE_DIR may be: the longest system call on `hist start`'s
 *   way to attached, #21).
 * - Locks on the file that has the name. A command that waits in flock() for a journal may
 *   get the lock after the holder unlinked it; it would then write into a file nobody will
 *   ever read. So after the lock the name is checked to still be the locked file, and opened
 *   again if not (SEC-1). A journal is unlinked only while its lock is held and its name is
 *   still the locked file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jfile.h"
#include "log.h"
#include "util.h"

/**
 * ft_jfile_trusted_stat() - whether a state directory or journal may be trusted
 * @st: its stat
 *
 * Return: true when it belongs to the running user and neither its group nor others may
 * write it.
 */
bool ft_jfile_trusted_stat(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/*
 * Whether a directory above the state directory is safe: somebody who may rename entries in
 * it could swap the state directory for one of theirs between two commands. Root's or the
 * user's, and nobody else may write it, or it is sticky (as /tmp is: others may add entries
 * but not rename ours).
 */
static bool trusted_parent(const struct stat *st)
{
	return (st->st_uid == 0 || st->st_uid == geteuid()) &&
	       (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

/* Log why the directory @fd above @state_dir is not trusted; -EPERM. */
static int refuse_parent(int fd, const struct stat *st, const char *state_dir)
{
	char link[64], path[PATH_MAX] = "?";
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 1] = '\0';
	ft_err("the state directory %s is inside %s, which belongs to uid %u with mode %04o: "
	       "whoever may rename entries there could swap the state directory; set "
	       "FTRIG_STATE_DIR to a directory under ones only root or you can write (or sticky "
	       "ones, like /tmp)",
	       state_dir, path, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
	return -EPERM;
}

/*
 * Check the directories from @fd up to the root (@fd itself too when @self), walking up by
 * ".." rather than by the path's text, so symlinks in the path are judged by where they lead.
 * O_PATH, because a user may pass through a directory it cannot read. Takes @fd over (closes
 * it). Logged.
 */
static int check_parents(int fd, bool self, const char *state_dir)
{
	struct stat here, up;
	int ret = fstat(fd, &here) ? -errno : 0;

	if (!ret && self && !trusted_parent(&here))
		ret = refuse_parent(fd, &here, state_dir);
	for (int depth = 0; !ret && depth < 256; depth++) {
		int parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (parent < 0 || fstat(parent, &up)) {
			ret = -errno;
		} else if (here.st_dev == up.st_dev && here.st_ino == up.st_ino) {
			close(parent);
			break; /* the root directory */
		} else if (!trusted_parent(&up)) {
			ret = refuse_parent(parent, &up, state_dir);
		}
		close(fd);
		fd = parent;
		here = up;
	}
	if (fd >= 0)
		close(fd);
	if (ret && ret != -EPERM)
		ft_err("cannot check the directories above the state directory %s: %s; set "
		       "FTRIG_STATE_DIR to a directory of yours",
		       state_dir, strerror(-ret));
	return ret;
}

/*
 * Before making a state directory that is not there: check the deepest part of its path that
 * exists and everything above, so a refusal leaves no directory behind.
 */
static int check_before_create(const char *state_dir)
{
	char *path = strdup(state_dir), *slash;
	int fd = -1;

	if (!path)
		return -ENOMEM;
	while ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 && errno == ENOENT) {
		slash = strrchr(path, '/');
		if (!slash)
			strcpy(path, "."); /* relative: the working directory holds it */
		else if (slash == path && path[1])
			path[1] = '\0';
		else if (slash != path)
			*slash = '\0';
		else
			break;
	}
	free(path);
	return fd < 0 ? 0 : check_parents(fd, true, state_dir);
}

/**
 * ft_jfile_dir_open() - open the state directory, if it can be trusted
 * @state_dir: its path
 * @create: make it (mode 0700, with its parents) when it does not exist
 * @dfd: set to an fd of the directory, to close()
 *
 * Return: 0, -ENOENT when it does not exist and @create is false (not logged), -EPERM when it
 * or a directory above it belongs to somebody else or others may write it (logged), or
 * -errno (logged).
 */
int ft_jfile_dir_open(const char *state_dir, bool create, int *dfd)
{
	struct stat st;
	int ret = create ? check_before_create(state_dir) : 0;

	if (ret)
		return ret; /* logged */
	if (create)
		ret = ft_mkdir_p(state_dir, 0700);

	*dfd = -1;
	if (!ret) {
		*dfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ret = *dfd < 0 || fstat(*dfd, &st) ? -errno : 0;
	}
	if (ret == -ENOENT && !create)
		return ret;
	if (ret) {
		ft_err("cannot use the state directory %s: %s; set FTRIG_STATE_DIR to a directory "
		       "of yours that is writable",
		       state_dir, strerror(-ret));
	} else if (!ft_jfile_trusted_stat(&st)) {
		ft_err("the state directory %s belongs to uid %u with mode %04o: ftrig trusts only "
		       "a directory of its own user (uid %u) that nobody else can write; fix it "
		       "(chown %u %s; chmod go-w %s) or set FTRIG_STATE_DIR to another",
		       state_dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
		       (unsigned)geteuid(), (unsigned)geteuid(), state_dir, state_dir);
		ret = -EPERM;
	} else {
		int up = dup(*dfd);

		ret = up < 0 ? -errno : check_parents(up, false, state_dir);
	}
	if (ret && *dfd >= 0) {
		close(*dfd);
		*dfd = -1;
	}
	return ret;
}

/* Why the open journal @fd may not be trusted, logged; 0 when it may. */
static int check_file(int fd, const char *dir, const char *name)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISREG(st.st_mode) && ft_jfile_trusted_stat(&st))
		return 0;
	ft_err("%s/%s is not a journal of yours (a %s of uid %u, mode %04o): ftrig leaves it "
	       "alone; remove it if it is not somebody's",
	       dir, name, S_ISREG(st.st_mode) ? "file" : "special file", (unsigned)st.st_uid,
	       (unsigned)(st.st_mode & 07777));
	return -EPERM;
}

/* 1 when @name in @dfd is still the file @fd, 0 when it is another or gone, or -errno. */
static int still_named(int dfd, const char *name, int fd)
{
	struct stat a, b;

	if (fstat(fd, &a))
		return -errno;
	if (fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/**
 * ft_jfile_open() - open an existing journal and, if asked, take its lock
 * @dfd: the state directory (ft_jfile_dir_open())
 * @dir: its path, for messages
 * @name: the journal's name in it
 * @flags: O_RDONLY, or O_RDWR | O_APPEND
 * @lock: LOCK_EX to wait for the lock, LOCK_EX | LOCK_NB not to wait, 0 for no lock
 * @fd: set to the open journal
 *
 * Symlinks are not followed, and a file that is not the user's, or that others may write, is
 * refused. When the name was unlinked or replaced while this waited for the lock, the file
 * that has the name now is opened instead (a journal that is gone is -ENOENT).
 *
 * Return: 0, -ENOENT (not logged), -EBUSY when another process holds the lock (not logged),
 * -EPERM or -ELOOP (logged), or -errno.
 */
int ft_jfile_open(int dfd, const char *dir, const char *name, int flags, int lock, int *fd)
{
	for (;;) {
		int ret;

		*fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (*fd < 0) {
			ret = -errno;
			if (ret == -ELOOP)
				ft_err("%s/%s is a symbolic link; ftrig never follows one in its "
				       "state directory: remove it",
				       dir, name);
			return ret;
		}
		ret = check_file(*fd, dir, name);
		if (!ret && !lock)
			return 0;
		if (!ret && flock(*fd, lock))
			ret = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (!ret)
			ret = still_named(dfd, name, *fd);
		if (ret == 1)
			return 0;
		close(*fd);
		*fd = -1;
		if (ret)
			return ret;
		/* Unlinked or replaced while we waited: the name is what counts. */
	}
}

/* Lock the new journal @fd and write its header. */
static int start_file(int fd, const char *header, size_t len)
{
	return flock(fd, LOCK_EX) ? -errno : ft_write_all(fd, header, len);
}

/*
 * The O_EXCL way, where O_TMPFILE is missing: an empty file is visible until the header is
 * written, and `cleanup --stale` may remove it as a dead start in that moment; then it is
 * made again.
 */
static int create_named(int dfd, const char *name, const char *header, size_t len, int *fd)
{
	int ret;

	for (;;) {
		*fd = openat(dfd, name,
			     O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (*fd < 0)
			return -errno;
		ret = start_file(*fd, header, len);
		if (!ret)
			ret = still_named(dfd, name, *fd);
		if (ret == 1)
			return 0;
		if (ret)
			unlinkat(dfd, name, 0);
		close(*fd);
		*fd = -1;
		if (ret)
			return ret;
	}
}

/**
 * ft_jfile_create() - make a new journal, locked, with its header
 * @dfd: the state directory (ft_jfile_dir_open())
 * @dir: its path, for messages
 * @name: the journal's name
 * @header: the header line, newline included
 * @len: its length
 * @fd: set to the open, locked journal (O_RDWR | O_APPEND)
 *
 * The file gets its name only once the header is on disk, so that no kill leaves an empty
 * journal behind.
 *
 * Return: 0, -EEXIST when a file of that name exists (not logged), or -errno (logged).
 */
int ft_jfile_create(int dfd, const char *dir, const char *name, const char *header, size_t len,
		    int *fd)
{
	char proc[64];
	int ret;

	*fd = openat(dfd, ".", O_TMPFILE | O_RDWR | O_APPEND | O_CLOEXEC, 0600);
	if (*fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		ret = create_named(dfd, name, header, len, fd);
		goto out;
	}
	ret = *fd < 0 ? -errno : start_file(*fd, header, len);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", *fd);
	if (!ret && linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW))
		ret = -errno;
	if (ret && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	/* No /proc to name the unnamed file by: the O_EXCL way. */
	if (ret == -ENOENT && access("/proc/self/fd", F_OK))
		ret = create_named(dfd, name, header, len, fd);
out:
	if (ret && ret != -EEXIST)
		ft_err("cannot create the ledger journal %s/%s: %s; nothing was written to the "
		       "kernel; make room in %s or make it writable, or set FTRIG_STATE_DIR to a "
		       "writable directory of yours",
		       dir, name, strerror(-ret), dir);
	return ret;
}

/**
 * ft_jfile_read() - the whole text of an open journal
 * @fd: the journal, opened for reading
 * @path: its path, for messages
 * @trim: cut a torn last line (a crash during an append) off the file, so that the next
 *        record starts on a line of its own; @fd must be writable
 * @text: set to the text (NUL-terminated, without the torn line), to free()
 *
 * Return: 0 or -errno.
 */
int ft_jfile_read(int fd, const char *path, bool trim, char **text)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1), *nl;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	while ((r = pread(fd, buf + len, cap - len, (off_t)len)) > 0) {
		len += (size_t)r;
		if (len == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (r < 0) {
		free(buf);
		return -errno;
	}
	buf[len] = '\0';
	if (trim && len && buf[len - 1] != '\n') {
		nl = memrchr(buf, '\n', len);
		len = nl ? (size_t)(nl - buf) + 1 : 0;
		ft_warn("%s ended in a torn record (ftrig was stopped while writing it); it is cut "
			"off",
			path);
		if (ftruncate(fd, (off_t)len)) {
			free(buf);
			return -errno;
		}
		buf[len] = '\0';
	}
	*text = buf;
	return 0;
}

/**
 * ft_jfile_append() - append one or more whole records, or nothing at all
 * @fd: the journal, open for appending and locked
 * @path: its path, for the message
 * @rec: the records, each ending in a newline
 * @len: their length
 *
 * A failed write (ENOSPC, EIO) truncates the file back to where it ended, so that no torn
 * record is left to merge with the next one. Not synced: see the top of this file.
 *
 * Return: 0 or -errno (logged, naming the journal).
 */
int ft_jfile_append(int fd, const char *path, const char *rec, size_t len)
{
	struct stat st;
	int ret = fstat(fd, &st) ? -errno : 0;

	if (!ret)
		ret = ft_write_all(fd, rec, len);
	if (ret && ftruncate(fd, st.st_size))
		ft_err("cannot cut the failed record off %s: %s; move the journal away", path,
		       strerror(errno));
	if (ret)
		ft_err("cannot write the ledger journal %s: %s; nothing more was written to the "
		       "kernel; make room in its directory (or make it writable), or set "
		       "FTRIG_STATE_DIR to another",
		       path, strerror(-ret));
	return ret;
}

/**
 * ft_jfile_unlink() - remove a journal, if its name still is the file @fd
 * @dfd: the state directory
 * @name: the journal's name
 * @fd: the journal, locked by the caller
 *
 * Return: 0 (also when the name is gone or is another file now, which is left alone), or
 * -errno.
 */
int ft_jfile_unlink(int dfd, const char *name, int fd)
{
	int ret = still_named(dfd, name, fd);

	if (ret <= 0)
		return ret;
	return unlinkat(dfd, name, 0) && errno != ENOENT ? -errno : 0;
}
