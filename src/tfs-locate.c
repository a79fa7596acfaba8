// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where tracefs is (mounted, mountable, or the legacy debugfs location) and what a failed
 * tracefs write means in words. No file below the tracing directory is opened here: that is
 * src/tfs.c's alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "tfs.h"
#include "util.h"

#define TRACEFS_MAGIC 0x74726163 /* linux/magic.h */

#define TRACEFS_DEFAULT "/sys/kernel/tracing"

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

/**
 * ft_tfs_locate() - where tracefs is: mounted somewhere, mountable by us, or under debugfs
 * @path: set to the tracing directory
 * @size: size of @path
 * @mounted_now: set when this call mounted tracefs because nothing was mounted
 * @debugfs: set when @path is the legacy debugfs/tracing location
 *
 * Return: 0, or -errno with the cause and the fix logged (-ENOENT: no tracefs to be had).
 */
int ft_tfs_locate(char *path, size_t size, bool *mounted_now, bool *debugfs)
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
		*mounted_now = true;
		return 0;
	}
	ret = errno;
	if (ft_mounts_find(mounts, "debugfs", "/sys/kernel/debug", dbg, sizeof(dbg)) == 0) {
		snprintf(path, size, "%s/tracing", dbg);
		if (access(path, F_OK) == 0 || errno == EACCES) {
			free(mounts);
			*debugfs = true;
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
	case ECANCELED:
		/* The ledger's journal failed and said why; the kernel was not written to. */
		snprintf(buf, size,
			 "%s: not written, since the ledger journal could not record it (see "
			 "above)",
			 path);
		break;
	case ELOOP:
	case EXDEV:
		snprintf(buf, size,
			 "%s: a symbolic link, or a path leaving tracefs; ftrig never follows one "
			 "there: remove the link",
			 path);
		break;
	default:
		snprintf(buf, size, "%s: %s", path, strerror(-err));
	}
	return buf;
}
