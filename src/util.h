/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UTIL_H
#define FT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

char *ft_read_file(const char *path, size_t *len);
uint64_t ft_fnv1a(const void *data, size_t len);
uint64_t ft_hash64(const void *data, size_t len);
int ft_write_all(int fd, const char *buf, size_t len);
int ft_mkdir_p(const char *path, mode_t mode);
bool ft_glob_match(const char *pattern, const char *s);
char *ft_strip(char *s);
int ft_duration_parse(const char *s, unsigned long long *ms);
size_t ft_fmt_u64(char *buf, size_t size, uint64_t n, int point);
void *ft_dlopen_first(const char *const *names, size_t n, char *why, size_t size);
void ft_radix_sort(void *base, void *tmp, size_t n, size_t size, size_t nwords);

#endif
