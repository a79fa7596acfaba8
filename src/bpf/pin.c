// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where ftrig pins BPF aggregations, which are there, and removing them: unlinking the pins
 * releases programs, links and maps. No libbpf needed, so cleanup works in any build.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bpf/ftbpf.h"
#include "ledger.h"
#include "log.h"
#include "names.h"

/* BPF_FS_MAGIC of linux/magic.h, which this file does without. */
#define BPF_FS_MAGIC_NR 0xcafe4a11

/**
 * ft_bpffs_root() - where bpffs is: $FTRIG_BPFFS (tests) or /sys/fs/bpf
 *
 * Return: the directory.
 */
const char *ft_bpffs_root(void)
{
	const char *root = getenv("FTRIG_BPFFS");

	return root && *root ? root : "/sys/fs/bpf";
}

/**
 * ft_bpf_pin_dir() - where an aggregation named @name is pinned
 * @name: the aggregation's name, as ft_name_agg() takes it (no '/' and no '.': bpffs refuses
 *	  dots in names with EPERM; never cut short, H31)
 * @buf: set to "/sys/fs/bpf/ftrig/NAME" (or under $FTRIG_BPFFS)
 * @size: size of @buf
 *
 * This is also the text of the aggregation's ledger record, so callers can find it there.
 *
 * Return: 0, or -EINVAL for a name ft_name_agg() refuses.
 */
int ft_bpf_pin_dir(const char *name, char *buf, size_t size)
{
	if (ft_name_agg(name, NULL, 0))
		return -EINVAL;
	if ((size_t)snprintf(buf, size, "%s/ftrig/%s", ft_bpffs_root(), name) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * ft_bpf_pinned_list() - the names of the aggregations pinned under bpffs
 * @names: set to a NULL-terminated array of names; free it with ft_bpf_pinned_list_free()
 * @n: set to how many
 *
 * Return: 0 (an empty list, NULL, when nothing is pinned) or -errno.
 */
int ft_bpf_pinned_list(char ***names, size_t *n)
{
	char dir[PATH_MAX];
	struct dirent *de;
	char **v = NULL;
	int ret = 0;
	DIR *d;

	*names = NULL;
	*n = 0;
	snprintf(dir, sizeof(dir), "%s/ftrig", ft_bpffs_root());
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (de = readdir(d))) {
		char **nv;

		if (de->d_name[0] == '.')
			continue;
		nv = realloc(v, (*n + 2) * sizeof(*v));
		if (!nv) {
			ret = -ENOMEM;
			break;
		}
		v = nv;
		v[*n] = strdup(de->d_name); /* NULL ends the list if it fails */
		if (!v[*n]) {
			ret = -ENOMEM;
			break;
		}
		v[++*n] = NULL;
	}
	closedir(d);
	if (ret) {
		ft_bpf_pinned_list_free(v);
		*n = 0;
		return ret;
	}
	*names = v;
	return 0;
}

/**
 * ft_bpf_pinned_list_free() - free a list from ft_bpf_pinned_list(); NULL is allowed
 * @names: the list
 */
void ft_bpf_pinned_list_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/*
 * Remove /sys/fs/bpf/ftrig once the last aggregation is gone. Only an empty directory goes (rmdir), so one with pins of another ftrig stays. A `hist
 * start` that made the directory a moment ago and is about to pin into it retries
 * (ft_bpf_agg_pin()).
 */
static void pin_root_tidy(void)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/ftrig", ft_bpffs_root());
	rmdir(dir);
}

/* What every new bpffs holds: "." and "..", and the kernel's bpf_preload iterators. */
static bool is_preloaded(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "maps.debug") ||
	       !strcmp(name, "progs.debug");
}

/*
 * Undo the bpffs mount ftrig made for its pins at @where, if nobody uses it. The empty ftrig
 * directory is removed first. A bpffs that holds anything else than what the
 * kernel puts in every new one (somebody pinned there since) stays mounted: unmounting it
 * would drop their pins.
 *
 * Returns 0, -ENOENT when no bpffs is mounted there any more, -ESTALE when it stays
 * because others use it (logged), or -errno of umount.
 */
static int bpffs_unmount(const char *where)
{
	char dir[PATH_MAX];
	struct statfs st;
	struct dirent *de;
	bool used = false;
	DIR *d;

	if (statfs(where, &st) || st.f_type != BPF_FS_MAGIC_NR)
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%s/ftrig", where);
	rmdir(dir);
	d = opendir(where);
	while (d && (de = readdir(d)))
		used |= !is_preloaded(de->d_name);
	if (d)
		closedir(d);
	if (used) {
		ft_warn("left bpffs mounted on %s, which ftrig mounted: something else is pinned "
			"there now",
			where);
		return -ESTALE;
	}
	if (umount2(where, UMOUNT_NOFOLLOW))
		return -errno;
	ft_info("unmounted bpffs from %s (ftrig had mounted it)", where);
	return 0;
}

/**
 * ft_bpf_agg_remove() - remove a pinned aggregation: unpin it through its ledger record
 * @l: the ledger that journaled it (the persistent one for `hist start`)
 * @name: the aggregation's name
 *
 * Unpinning drops the last references, so programs, links and maps go with it. A pin dir
 * without a record (journal lost) is unpinned directly.
 *
 * Return: 0, -ENOENT when no such aggregation is pinned, or -errno.
 */
int ft_bpf_agg_remove(struct ft_ledger *l, const char *name)
{
	const struct ft_journal *j = l ? ft_ledger_objects(l) : NULL;
	char dir[PATH_MAX];
	int ret = ft_bpf_pin_dir(name, dir, sizeof(dir));

	if (ret)
		return ret;
	for (size_t i = 0; j && i < j->nobjs; i++)
		if (j->objs[i].kind == FT_OBJ_BPF && !strcmp(j->objs[i].text, dir)) {
			ret = ft_ledger_undo_one(l, j->objs[i].seq);
			if (!ret)
				ft_ledger_undo_orphan_mounts(l, false, NULL);
			return ret;
		}
	ret = ft_bpf_unpin(dir);
	if (!ret)
		pin_root_tidy();
	return ret;
}

/* The pins in the directory @fd, unlinked; the first error is kept. */
static int unlink_all(int fd)
{
	struct dirent *de;
	int ret = 0;
	DIR *d = fdopendir(fd);

	if (!d) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) && errno != ENOENT && !ret)
			ret = -errno;
	}
	closedir(d);
	return ret;
}

/**
 * ft_bpf_unpin() - remove a pin directory and the pins in it
 * @dir: the directory, which ftrig created under /sys/fs/bpf/ftrig/
 *
 * Refuses anything but one directory right below /sys/fs/bpf/ftrig/ (or $FTRIG_BPFFS), named
 * by the pin rules ("..", '/' and over-long names refused), so that a damaged journal can
 * never make ftrig unpin somebody else's objects (SEC-7c). Everything is removed relative to
 * an fd of the directory that must hold it, without following symlinks.
 *
 * Return: 0, -ENOENT when it is gone already, -EPERM for a path not ftrig's, or -errno.
 */
int ft_bpf_unpin(const char *dir)
{
	char base[PATH_MAX], why[512];
	const char *name;
	int bfd, fd, ret;
	size_t n;

	n = (size_t)snprintf(base, sizeof(base), "%s/ftrig/", ft_bpffs_root());
	if (n >= sizeof(base) || strncmp(dir, base, n))
		return -EPERM;
	name = dir + n;
	if (ft_name_pin(name, why, sizeof(why)))
		return -EPERM;
	bfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (bfd < 0)
		return -errno;
	fd = openat(bfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = errno == ELOOP || errno == ENOTDIR ? -EPERM : -errno;
		close(bfd);
		return ret;
	}
	ret = unlink_all(fd);
	if (!ret && unlinkat(bfd, name, AT_REMOVEDIR))
		ret = -errno;
	close(bfd);
	return ret;
}

/**
 * ft_bpf_undo_pin() - the ledger's undo of a pinned aggregation (its ft_undo_ops entry)
 * @o: the FT_OBJ_BPF record; its text is the pin directory
 *
 * Unpins it, and removes the ftrig directory under bpffs when it was the last.
 *
 * Return: 0, -ENOENT when it is gone already, -EPERM for a path not ftrig's, or -errno.
 */
int ft_bpf_undo_pin(const struct ft_obj *o)
{
	int ret = ft_bpf_unpin(o->text);

	if (!ret)
		pin_root_tidy();
	return ret;
}

/**
 * ft_bpffs_undo_mount() - the ledger's undo of the bpffs mount (its ft_undo_ops entry)
 * @o: the FT_OBJ_MOUNT record; its text is the mount point
 *
 * Unmounts it unless something else is pinned there now (then it stays, with a warning).
 *
 * Return: 0, -ENOENT when no bpffs is mounted there any more, -ESTALE when it stays, or
 * -errno of umount.
 */
int ft_bpffs_undo_mount(const struct ft_obj *o)
{
	return bpffs_unmount(o->text);
}
