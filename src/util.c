// SPDX-License-Identifier: GPL-2.0-only
/* Small helpers with no knowledge of tracing. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/*
 * The first buffer of ft_read_file(): the file's size and a page more when stat() tells it
 * (then one read() fills it and a second sees EOF), else 64 KiB, doubled as it fills, so
 * that a 20 MB hist file is a dozen large read()s into memory that realloc() moves without
 * copying (mremap) rather than thousands of small ones.
 */
static size_t first_cap(int fd)
{
	struct stat st;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < SIZE_MAX / 2)
		return (size_t)st.st_size + 4096;
	return 64 * 1024;
}

/**
 * ft_read_file() - read a whole file, including files whose size stat() cannot tell
 * @path: the file
 * @len: set to the number of bytes read, may be NULL
 *
 * tracefs and procfs files report size 0, so this reads until EOF, straight into the buffer
 * it returns: no bounce buffer, no copy per read().
 *
 * Return: a NUL-terminated buffer the caller frees, or NULL with errno set.
 */
char *ft_read_file(const char *path, size_t *len)
{
	size_t cap, n = 0;
	char *buf;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	cap = first_cap(fd);
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				goto fail;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	err = errno;
	free(buf);
	close(fd);
	errno = err;
	return NULL;
}

/**
 * ft_write_all() - write all of @buf, retrying short writes and EINTR
 * @fd: the file
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0 or -errno.
 */
int ft_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/**
 * ft_mkdir_p() - create a directory and its missing parents
 * @path: the directory
 * @mode: mode of the directories created
 *
 * Return: 0 (also when it exists) or -errno.
 */
int ft_mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * ft_glob_match() - shell-style match, as users type event patterns ("sched:*", "*open*")
 * @pattern: the pattern; NULL matches everything
 * @s: the string
 *
 * Return: true on a match.
 */
bool ft_glob_match(const char *pattern, const char *s)
{
	return !pattern || fnmatch(pattern, s, 0) == 0;
}

/**
 * ft_strip() - remove leading and trailing white space in place
 * @s: the string
 *
 * Return: a pointer into @s at its first non-space character.
 */
char *ft_strip(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/**
 * ft_fmt_u64() - a number in decimal, as snprintf's "%" PRIu64 writes it but faster
 * @buf: where to write (NUL-terminated, cut to fit)
 * @size: its size
 * @n: the number
 * @point: digits after a decimal point (0: none; 1: @n is in tenths, and so on)
 *
 * For the live view, which formats tens of thousands of numbers a second.
 *
 * Return: the length of the whole text, as snprintf returns it.
 */
size_t ft_fmt_u64(char *buf, size_t size, uint64_t n, int point)
{
	char tmp[48], *p = tmp + sizeof(tmp);
	size_t len;

	point = point < 0 ? 0 : point > 20 ? 20 : point;
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
		if (point && !--point)
			*--p = '.';
	} while (n || point);
	if (*p == '.')
		*--p = '0';
	len = (size_t)(tmp + sizeof(tmp) - p);
	if (size) {
		size_t k = len < size ? len : size - 1;

		memcpy(buf, p, k);
		buf[k] = '\0';
	}
	return len;
}

/**
 * ft_radix_sort() - sort records by the 64-bit numbers they begin with, stably, in O(n)
 * @base: @n records of @size bytes (a multiple of 8), each starting with @nwords uint64_t,
 *        the first the most significant
 * @tmp: room for @n more records
 * @n: how many
 * @size: bytes of a record
 * @nwords: numbers a record is sorted by
 *
 * Least significant byte first, skipping the bytes every record shares (counts, rates and
 * small keys leave most of them alike): the live view sorts ten thousand rows a second, where
 * a comparison sort was a fifth of its work. Records with equal numbers keep their order.
 */
void ft_radix_sort(void *base, void *tmp, size_t n, size_t size, size_t nwords)
{
	unsigned char *src = base, *dst = tmp, *t;
	size_t count[8][256];

	if (n < 2)
		return;
	for (size_t w = nwords; w-- > 0;) {
		unsigned nb = 0, byte[8];
		uint64_t x, first, diff = 0;

		/* The bytes that differ somewhere: only those are counted and moved. */
		memcpy(&first, src + w * 8, sizeof(first));
		for (size_t i = 1; i < n; i++) {
			memcpy(&x, src + i * size + w * 8, sizeof(x));
			diff |= x ^ first;
		}
		for (unsigned b = 0; b < 8; b++)
			if (diff >> 8 * b & 0xff)
				byte[nb++] = b;
		memset(count, 0, nb * sizeof(count[0]));
		for (size_t i = 0; i < n; i++) {
			memcpy(&x, src + i * size + w * 8, sizeof(x));
			for (unsigned k = 0; k < nb; k++)
				count[k][x >> 8 * byte[k] & 0xff]++;
		}
		for (unsigned k = 0; k < nb; k++) {
			size_t sum = 0, *c = count[k];

			for (size_t d = 0; d < 256; d++) {
				size_t m = c[d];

				c[d] = sum;
				sum += m;
			}
			for (size_t i = 0; i < n; i++) {
				const unsigned char *from = src + i * size;
				unsigned char *to;

				memcpy(&x, from + w * 8, sizeof(x));
				to = dst + c[x >> 8 * byte[k] & 0xff]++ * size;
				for (size_t j = 0; j < size; j += 8) /* records are 8-byte words */
					memcpy(to + j, from + j, 8);
			}
			t = src, src = dst, dst = t;
		}
	}
	if (src != base)
		memcpy(base, src, n * size);
}

/**
 * ft_duration_parse() - parse a duration such as "10s", "500ms", "2m", "1h" or "1.5s"
 * @s: the text; a bare number is seconds
 * @ms: set to the duration in milliseconds
 *
 * Return: 0, or -EINVAL when @s is not a positive duration of at least one millisecond.
 */
int ft_duration_parse(const char *s, unsigned long long *ms)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = { { "", 1000 },	{ "ms", 1 },	  { "s", 1000 },  { "m", 60000 },
		      { "h", 3600000 }, { "min", 60000 }, { "sec", 1000 } };
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v != v)
		return -EINVAL;
	for (size_t i = 0; i < FT_ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		v *= units[i].ms;
		if (v < 1 || v > 1e15)
			return -EINVAL;
		*ms = (unsigned long long)(v + 0.5);
		return 0;
	}
	return -EINVAL;
}

/**
 * ft_hash64() - a fast 64-bit hash of @len bytes, for in-memory hash tables
 * @data: the bytes
 * @len: how many
 *
 * Eight bytes a step with a multiply-xorshift mix and murmur3's finalizer: several times
 * faster than FNV-1a on the label strings and keys the tables hash. Not stable across
 * versions: never store it (ft_fnv1a() is for names on disk).
 *
 * Return: the hash.
 */
uint64_t ft_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL), w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

/**
 * ft_fnv1a() - the 64-bit FNV-1a hash of @len bytes
 * @data: the bytes
 * @len: how many
 *
 * Stable across runs and builds: journal file names are made from it.
 *
 * Return: the hash.
 */
uint64_t ft_fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/**
 * ft_dlopen_first() - load the first of a library's sonames that loads
 * @names: sonames, the ABI ftrig was built against first
 * @n: their count
 * @why: set, when none loads, to why the first did not (dlerror())
 * @size: size of @why
 *
 * Return: the handle (RTLD_NOW, RTLD_LOCAL; the caller dlclose()s it, or keeps it for the
 * rest of the process), or NULL.
 */
void *ft_dlopen_first(const char *const *names, size_t n, char *why, size_t size)
{
	void *lib = NULL;

	for (size_t i = 0; !lib && i < n; i++) {
		const char *e;

		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (!lib && i == 0 && (e = dlerror()))
			snprintf(why, size, "%s", e);
	}
	return lib;
}
