/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_JFILE_H
#define FT_JFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Journal files on disk (src/jfile.c): the state directory and the journals in it are trusted
 * only when they are the running user's and nobody else can write them; journals are opened
 * relative to the directory's fd without following symlinks, appear with their header
 * already written, are appended whole records at a time, and are unlinked only while the
 * name still is the file that was locked.
 */

int ft_jfile_dir_open(const char *state_dir, bool create, int *dfd);
int ft_jfile_open(int dfd, const char *dir, const char *name, int flags, int lock, int *fd);
int ft_jfile_create(int dfd, const char *dir, const char *name, const char *header, size_t len,
		    int *fd);
int ft_jfile_read(int fd, const char *path, bool trim, char **text);
int ft_jfile_append(int fd, const char *path, const char *rec, size_t len);
int ft_jfile_unlink(int dfd, const char *name, int fd);
bool ft_jfile_trusted_stat(const struct stat *st);

#endif
