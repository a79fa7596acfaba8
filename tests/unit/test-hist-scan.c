// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hist parser's word-at-a-time scanners (src/hist/scan.h: its SSE2 blocks from 16 bytes on,
 * its word loops below that; num_lim() in parse-int.h) against byte-at-a-time references, at
 * every length, start alignment and boundary, with the input's
 * last byte just before a page the process may not read (an overread faults); then whole hist
 * files parsed at that boundary, cut at every byte, against the same text followed by bytes a
 * parser reading past the end would trip on. ft_read_file() on files with and without a size.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "faketfs.h"
#include "hist/export.h"
#include "hist/parse-int.h"
#include "hist/parse.h"
#include "util.h"

#define MAXLEN 40

/* Bytes that sit next to the ones a scanner looks for: borrows and carries show there. */
static const unsigned char odd[] = { 0x00, 0x01, 0x09, 0x0d, 0x1f, 0x20, 0x21, 0x2f,
				     0x30, 0x39, 0x3a, 0x40, 0x7f, 0x80, 0xa0, 0xb0,
				     0xb9, 0xdf, 0xf0, 0xf9, 0xfa, 0xff, '[',  ']' };

/* AREA bytes and an unreadable page after them: guard() gives @n bytes ending at that page. */
#define AREA (64 * 1024)
static char *page;
static size_t psz;

static int setup(void **state)
{
	psz = (size_t)sysconf(_SC_PAGESIZE);
	page = mmap(NULL, AREA + psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || mprotect(page + AREA, psz, PROT_NONE))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	munmap(page, AREA + psz);
	return 0;
}

static char *guard(size_t n)
{
	assert_true(n <= AREA);
	return page + AREA - n;
}

static const char *ref_spaces(const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	return s;
}

static const char *ref_blanks_back(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e;
}

/* Each length, each place of the first byte that is not a space, each such byte. */
static void test_spaces(void **state)
{
	for (size_t len = 0; len <= MAXLEN; len++)
		for (size_t at = 0; at <= len; at++)
			for (size_t o = 0; o < sizeof(odd); o++) {
				char *s = guard(len);

				memset(s, ' ', len);
				if (at < len)
					s[at] = (char)odd[o];
				for (size_t i = at + 1; i < len; i++)
					s[i] = (char)odd[(o + i) % sizeof(odd)];
				assert_ptr_equal(scan_spaces(s, s + len), ref_spaces(s, s + len));
				assert_ptr_equal(skip_sp(s, s + len), ref_spaces(s, s + len));
				/* the span ends early; what follows is readable */
				for (size_t cut = 0; cut <= len; cut++)
					assert_ptr_equal(scan_spaces_lim(s, s + cut, s + len),
							 ref_spaces(s, s + cut));
			}
}

/* The same backwards, with the three blanks mixed. */
static void test_blanks_back(void **state)
{
	static const char blank[] = { ' ', '\t', '\r' };

	for (size_t len = 0; len <= MAXLEN; len++)
		for (size_t k = 0; k <= len; k++) /* k blanks at the end */
			for (size_t o = 0; o < sizeof(odd); o++) {
				char *s = guard(len);

				for (size_t i = 0; i < len; i++)
					s[i] = i >= len - k ? blank[(i + o) % 3]
							    : (char)odd[(o + i) % sizeof(odd)];
				assert_ptr_equal(scan_blanks_back(s, s + len),
						 ref_blanks_back(s, s + len));
				assert_ptr_equal(rtrim(s, s + len), ref_blanks_back(s, s + len));
			}
}

static const char *ref_byte2(const char *s, const char *e, char a, char b)
{
	for (; s < e; s++)
		if (*s == a || *s == b)
			return s;
	return NULL;
}

static const char *ref_byte_back(const char *s, const char *e, char c)
{
	while (e > s)
		if (*--e == c)
			return e;
	return NULL;
}

/* The byte searches, at each length, with a ',' at each place among the odd bytes ('[' too). */
static void test_bytes(void **state)
{
	for (size_t len = 0; len <= MAXLEN; len++)
		for (size_t at = 0; at <= len; at++)
			for (size_t o = 0; o < sizeof(odd); o++) {
				char *s = guard(len), *e = s + len;

				for (size_t i = 0; i < len; i++)
					s[i] = (char)odd[(o + i * 7) % sizeof(odd)];
				if (at < len)
					s[at] = ',';
				assert_ptr_equal(scan_byte(s, e, ','), ref_byte2(s, e, ',', ','));
				assert_ptr_equal(scan_byte(s, e, '['), ref_byte2(s, e, '[', '['));
				assert_ptr_equal(scan_byte2(s, e, '[', ','),
						 ref_byte2(s, e, '[', ','));
				assert_ptr_equal(scan_byte_back(s, e, ','),
						 ref_byte_back(s, e, ','));
				assert_ptr_equal(scan_byte_back(s, e, '['),
						 ref_byte_back(s, e, '['));
			}
}

/* Every byte value, in every lane, among digits and among other bytes. */
static void test_lanes(void **state)
{
	for (int b = 0; b < 256; b++)
		for (int lane = 0; lane < 8; lane++)
			for (size_t o = 0; o < sizeof(odd); o++) {
				char w[8];
				uint64_t nd, nz;

				for (int i = 0; i < 8; i++)
					w[i] = (char)(i == lane
							      ? b
							      : odd[(o + (size_t)i) % sizeof(odd)]);
				nd = scan_nondigit(scan_load(w));
				nz = scan_nonzero(scan_load(w));
				for (int i = 0; i < 8; i++) {
					unsigned char c = (unsigned char)w[i];

					assert_int_equal(!!(nd & (0x80ull << (8 * i))),
							 !(c >= '0' && c <= '9'));
					assert_int_equal(!!(nz & (0x80ull << (8 * i))), c != 0);
				}
			}
}

/* strtoull()'s reading of the decimal digits at @s (at most @len), saturating. */
static uint64_t ref_dec(const char *s, size_t len, size_t *nd, bool *over)
{
	uint64_t v = 0;

	*over = false;
	for (*nd = 0; *nd < len && s[*nd] >= '0' && s[*nd] <= '9'; (*nd)++)
		*over = *over || __builtin_mul_overflow(v, 10, &v) ||
			__builtin_add_overflow(v, (uint64_t)(s[*nd] - '0'), &v);
	return *over ? UINT64_MAX : v;
}

static void check_num(const char *s, size_t len, const char *lim)
{
	const char *q = s;
	unsigned ovf = 0;
	size_t nd;
	bool ok, over;
	uint64_t want = ref_dec(s, len, &nd, &over), got;

	got = num_lim(&q, s + len, lim, 10, &ok, &ovf);
	assert_int_equal(got, want);
	assert_ptr_equal(q, s + nd);
	assert_int_equal(ok, nd > 0);
	assert_int_equal(ovf, over);
}

/* Each number of 0..25 digits, cut at each length, followed by each odd byte, read up to the
 * unreadable page and with the digits after the span's end readable. */
static void test_numbers(void **state)
{
	static const char digits[] = "18446744073709551615999"; /* 2^64 - 1, then more */
	static const char ramp[] = "9876543210123456789012345";

	for (size_t nd = 0; nd <= 25; nd++)
		for (size_t len = 0; len <= MAXLEN; len++)
			for (size_t o = 0; o < sizeof(odd); o++)
				for (int which = 0; which < 3; which++) {
					char *s = guard(len);
					const char *src = which == 0 ? ramp : digits;

					for (size_t i = 0; i < len; i++)
						s[i] = i < nd ? (which == 2 && i == nd - 1
									 ? '6' /* 2^64 */
									 : src[i % 23])
							      : (char)odd[(o + i) % sizeof(odd)];
					check_num(s, len, s + len);
					/* the span ends early; what follows is readable */
					for (size_t cut = 0; cut <= len; cut++)
						check_num(s, cut, s + len);
				}
}

static void test_same(void **state)
{
	for (size_t len = 0; len <= MAXLEN; len++) {
		char *a = guard(len), b[MAXLEN];

		for (size_t i = 0; i < len; i++)
			a[i] = b[i] = (char)('a' + i % 26);
		assert_true(scan_same(a, b, len));
		for (size_t d = 0; d < len; d++) {
			b[d] ^= 0x20;
			assert_false(scan_same(a, b, len));
			assert_false(scan_same(b, a, len));
			b[d] ^= 0x20;
		}
	}
}

/* Everything the parse of [text, text + len) gives, as text. */
static char *parsed_as_text(const char *text, size_t len)
{
	struct ft_hist **v;
	char *buf = NULL;
	size_t n, blen = 0;
	FILE *m = open_memstream(&buf, &blen);

	assert_non_null(m);
	assert_int_equal(ft_hist_parse(text, len, "sys:ev", NULL, &v, &n), 0);
	for (size_t i = 0; i < n; i++) /* the times the parses ran at differ */
		v[i]->taken = v[i]->taken_mono = (struct timespec){ 0 };
	assert_int_equal(ft_hist_write(m, FT_HIST_FMT_JSON, v, n), 0);
	for (size_t i = 0; i < n; i++) {
		fprintf(m, "unknown %zu overflowed %zu\n", v[i]->nunknown, v[i]->noverflowed);
		for (size_t j = 0; j < v[i]->nunknown; j++)
			fprintf(m, "%s\n", v[i]->unknown[j]);
	}
	fclose(m);
	ft_hist_free_all(v, n);
	return buf;
}

/* @text cut at @len: at the unreadable page, and followed by digits, spaces and braces. */
static void check_cut(const char *name, const char *text, size_t len)
{
	static const char junk[] = "1234567890  , x: 99]} hitcount: 7\n";
	char *g = guard(len), *padded = malloc(len + sizeof(junk));
	char *a, *b;

	assert_non_null(padded);
	memcpy(g, text, len);
	memcpy(padded, text, len);
	memcpy(padded + len, junk, sizeof(junk));
	a = parsed_as_text(g, len);
	b = parsed_as_text(padded, len);
	if (strcmp(a, b))
		fail_msg("%s cut at %zu: the bytes past the end changed the parse:\n%s\n%s", name,
			 len, a, b);
	free(a);
	free(b);
	free(padded);
}

static void test_fixtures_at_the_edge(void **state)
{
	static const char *const every_cut[] = { "buckets",  "log2",	     "sym-module",
						 "execname", "vals-percent", "onmax" };
	static const char *const whole[] = { "exec-strings", "hex-key",	 "multi",
					     "stacktrace",   "strings",	 "sym-offset",
					     "syscall",	     "vals-hex", "syscall-ret",
					     "wakeup-onmax", "onchange", "named" };

	for (size_t f = 0; f < sizeof(every_cut) / sizeof(every_cut[0]); f++) {
		char rel[128], *t;

		snprintf(rel, sizeof(rel), "vm-6.1/hist/%s.hist", every_cut[f]);
		t = fixture_read(rel);
		assert_non_null(t);
		assert_true(strlen(t) <= AREA);
		for (size_t len = 0; len <= strlen(t); len++)
			check_cut(every_cut[f], t, len);
		free(t);
	}
	for (size_t f = 0; f < sizeof(whole) / sizeof(whole[0]); f++) {
		char rel[128], *t;

		snprintf(rel, sizeof(rel), "vm-6.1/hist/%s.hist", whole[f]);
		t = fixture_read(rel);
		assert_non_null(t);
		if (strlen(t) <= AREA)
			check_cut(whole[f], t, strlen(t));
		free(t);
	}
}

/* A regular file (its size known) and a pipe (size 0, as tracefs says), each past 64 KiB so
 * that the buffer grows, read whole and byte for byte. */
static void test_read_file(void **state)
{
	char path[] = "/tmp/ftrig-test-read.XXXXXX", fifo[64];
	size_t big = 300 * 1024 + 17, len;
	char *want = malloc(big), *got;
	int fd = mkstemp(path);
	pid_t pid;

	assert_non_null(want);
	assert_true(fd >= 0);
	for (size_t i = 0; i < big; i++)
		want[i] = (char)('a' + (i * 7) % 26);
	assert_int_equal(ft_write_all(fd, want, big), 0);
	close(fd);
	got = ft_read_file(path, &len);
	assert_non_null(got);
	assert_int_equal(len, big);
	assert_memory_equal(got, want, big);
	assert_int_equal(got[len], '\0');
	free(got);
	unlink(path);

	snprintf(fifo, sizeof(fifo), "/tmp/ftrig-test-fifo.%d", (int)getpid());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int w = open(fifo, O_WRONLY);

		_exit(w < 0 || ft_write_all(w, want, big) ? 1 : 0);
	}
	got = ft_read_file(fifo, &len);
	unlink(fifo);
	waitpid(pid, NULL, 0);
	assert_non_null(got);
	assert_int_equal(len, big);
	assert_memory_equal(got, want, big);
	free(got);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_blanks_back),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_lanes),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_fixtures_at_the_edge),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
