// SPDX-License-Identifier: GPL-2.0-only
/* Removing what ftrig pinned in bpffs: unlinking the pins releases programs, links and maps. */
#include <dirent.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"

/**
 * ft_bpf_unpin() - remove a pin directory and the pins in it
 * @dir: the directory, which ftrig created under /sys/fs/bpf/ftrig/
 *
 * Refuses paths outside /sys/fs/bpf/ftrig/ (or $FTRIG_BPFFS), so that a damaged journal can
 * never make ftrig unpin somebody else's objects.
 *
 * Return: 0, -ENOENT when it is gone already, -EPERM for a path not ftrig's, or -errno.
 */
int ft_bpf_unpin(const char *dir)
{
	const char *root = getenv("FTRIG_BPFFS");
	char base[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(base, sizeof(base), "%s/ftrig/", root && *root ? root : "/sys/fs/bpf");
	if (strncmp(dir, base, strlen(base)) || strstr(dir, "/../"))
		return -EPERM;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && errno != ENOENT)
			ret = -errno;
	}
	closedir(d);
	if (!ret && rmdir(dir))
		ret = -errno;
	return ret;
}
