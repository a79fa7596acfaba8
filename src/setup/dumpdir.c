// SPDX-License-Identifier: GPL-2.0-only
/*
 * dump-dir DIR of a setup file, checked before apply writes anything: mkdir -p alone finds
 * out too late (after the instance was made) and, on /proc or /sys, with a misleading ENOENT.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "setup/setup.h"

/* Kernel file systems: they hold no files a user can create, whatever access() says. */
static const char *pseudo_fs(long type)
{
	switch (type) {
	case PROC_SUPER_MAGIC:
		return "proc";
	case SYSFS_MAGIC:
		return "sysfs";
	case TRACEFS_MAGIC:
		return "tracefs";
	case DEBUGFS_MAGIC:
		return "debugfs";
	case BPF_FS_MAGIC:
		return "bpffs";
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
		return "cgroup";
	case SECURITYFS_MAGIC:
		return "securityfs";
	case DEVPTS_SUPER_MAGIC:
		return "devpts";
	default:
		return NULL;
	}
}

/**
 * ft_setup_dump_dir_check() - whether dump-dir DIR can hold dump files, without making it
 * @dir: the directory the setting names
 * @exists: set to whether it is a directory already
 * @why: on failure, what is wrong and what to do instead (may be NULL)
 * @size: size of @why
 *
 * DIR is usable when it is a directory, or when its nearest existing ancestor is one that
 * this process may write in, on a file system that holds ordinary files. Reads only.
 *
 * Return: 0 when usable, else -errno (-ENOTDIR, -EPERM for a kernel file system, or what
 * stat() or access() said).
 */
int ft_setup_dump_dir_check(const char *dir, bool *exists, char *why, size_t size)
{
	char at[PATH_MAX], dummy[1];
	struct statfs fs;
	struct stat st;
	const char *kind;
	char *slash;

	if (!why)
		why = dummy, size = sizeof(dummy);
	*exists = false;
	if (!*dir || snprintf(at, sizeof(at), "%s", dir) >= (int)sizeof(at)) {
		snprintf(why, size, "name a directory (at most %d characters)", PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	/* The nearest ancestor that exists: what mkdir -p would make its first directory in. */
	while (stat(at, &st)) {
		if (errno != ENOENT && errno != ENOTDIR) {
			snprintf(why, size, "cannot look at %s: %s", at, strerror(errno));
			return -errno;
		}
		slash = strrchr(at, '/');
		if (!slash)
			snprintf(at, sizeof(at), ".");
		else if (slash == at)
			at[1] = '\0';
		else
			*slash = '\0';
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, size, "%s is not a directory; name a directory or a path to make one",
			 at);
		return -ENOTDIR;
	}
	kind = statfs(at, &fs) ? NULL : pseudo_fs((long)fs.f_type);
	if (kind) {
		snprintf(why, size,
			 "%s is on %s, a kernel file system that holds no dump files; name a "
			 "directory on disk, e.g. /var/tmp/ftrig-dumps",
			 at, kind);
		return -EPERM;
	}
	if (access(at, W_OK | X_OK)) {
		int err = errno;

		snprintf(why, size, "cannot write in %s: %s; name a directory you can write in", at,
			 strerror(err));
		return -err;
	}
	*exists = !strcmp(at, dir);
	return 0;
}
