/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TFS_INT_H
#define FT_TFS_INT_H

/*
 * What the files of the kernel boundary (src/tfs*.c) share; nobody else includes it, so only
 * they open tracefs paths (tfs.c says how, and why only there).
 */
#include <stdbool.h>
#include <stddef.h>

#include "tfs.h"

/**
 * struct ft_tfs - the tracing file system ftrig works on (opaque outside this file)
 * @dir: absolute path of the tracing directory (tracefs mount, debugfs/tracing, or a fake tree)
 * @dirfd: @dir opened O_PATH; every file below it is opened relative to it
 * @mounted_now: ftrig mounted tracefs itself because nothing was mounted
 * @debugfs: @dir is the legacy debugfs/tracing location
 * @readonly: the mount is read-only, so every write will fail with EROFS
 * @no_openat2: the kernel lacks openat2(): fall back to openat() with O_NOFOLLOW
 * @top_expanded: the top-level ring buffer is known to be expanded (tfs-write.c, tell_expansion())
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

int ft_tfs_refused(int ret, const char *why, bool loud);
int ft_tfs_rel_path(const char *inst, const char *sys, const char *ev, const char *file, char *buf,
		    size_t size, bool loud);
int ft_tfs_open_below(struct ft_tfs *t, const char *rel, int flags);
char *ft_tfs_read_rel(struct ft_tfs *t, const char *rel, size_t *len);
int ft_tfs_write_rel(struct ft_tfs *t, const char *rel, const char *text, bool append);

#endif
