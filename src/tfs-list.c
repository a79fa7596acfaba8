// SPDX-License-Identifier: GPL-2.0-only
/*
 * Listing tracefs: instances, event systems and events, and an event's format read and
 * parsed. Paths and opens are tfs.c's (tfs-int.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "tfs.h"
#include "tfs-int.h"

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
	int fd = ft_tfs_open_below(t, rel, O_RDONLY | O_DIRECTORY);
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

	if (ft_tfs_rel_path(NULL, system, NULL, NULL, rel, sizeof(rel), false))
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

/**
 * ft_tfs_event_format() - an event's format file, read and parsed
 * @t: tracefs
 * @inst: instance name, NULL for the top level
 * @sys: event system
 * @ev: event name
 * @out: set to the format, to free with ft_format_free(); NULL on failure
 *
 * Return: 0, -errno of the read (-ENOENT: no such event, -EINVAL: a refused name), or the
 * parser's -errno for a format it cannot read.
 */
int ft_tfs_event_format(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			struct ft_event_format **out)
{
	char *text = ft_tfs_event_read(t, inst, sys, ev, "format", NULL);
	int ret;

	*out = NULL;
	if (!text)
		return errno ? -errno : -EIO;
	ret = ft_format_parse(sys, text, out);
	free(text);
	if (ret)
		*out = NULL;
	return ret;
}
