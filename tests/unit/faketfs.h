/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_FAKETFS_H
#define FT_FAKETFS_H

char *fake_tfs_create(const char *fixture);
void fake_tfs_destroy(char *dir);
char *fixture_read(const char *relpath);
char *fake_read(const char *dir, const char *relpath);
#include <stddef.h>
const char *fake_tfs_fd_rel(int fd, char *buf, size_t size);

#endif
