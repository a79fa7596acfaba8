/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Word-at-a-time scanners of the hist parser (parse-int.h): a hist row is mostly padding
 * ("%-16s", "%10llu") and digits, which eight bytes at a time cross in one step where a byte
 * loop takes eight. Pure.
 *
 * Every load is a whole word inside [s, e): the input need not be padded or aligned (words
 * are read with memcpy, which compiles to one unaligned load), and the last 0..7 bytes are
 * read one at a time. tests/unit/test-hist-scan.c checks each scanner at every length, start
 * alignment and boundary against a guard page.
 */
#ifndef FT_HIST_SCAN_H
#define FT_HIST_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SCAN_ONES 0x0101010101010101ull
#define SCAN_HIGH 0x8080808080808080ull

/* Eight bytes from @s, the first of them in the low byte whatever the machine's byte order. */
static inline uint64_t scan_load(const char *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* The high bit of each byte of @x that is not zero, and no other bit (exact: no borrows). */
static inline uint64_t scan_nonzero(uint64_t x)
{
	return (x | ((x & ~SCAN_HIGH) + ~SCAN_HIGH)) & SCAN_HIGH;
}

/* The high bit of each byte of @w that is not an ASCII digit. */
static inline uint64_t scan_nondigit(uint64_t w)
{
	uint64_t hi = (w & 0xf0f0f0f0f0f0f0f0ull) ^ (0x30 * SCAN_ONES); /* not 0x3? */
	uint64_t lo = ((w & 0x0f0f0f0f0f0f0f0full) + 0x06 * SCAN_ONES) & 0xf0f0f0f0f0f0f0f0ull;

	return scan_nonzero(hi | lo); /* lo: the low nibble is past 9 */
}

/* Index of the first byte whose high bit is set in @m (m != 0). */
static inline unsigned scan_first(uint64_t m)
{
	return (unsigned)__builtin_ctzll(m) >> 3;
}

static inline uint32_t scan_load4(const char *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint16_t scan_load2(const char *p)
{
	uint16_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * @a and @b have the same @n bytes; for the short names and keys of a row, where a call to
 * memcmp() costs more than the comparing. The last bytes are one more load that may overlap
 * the ones before, not a loop.
 */
static inline bool scan_same(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (scan_load(a + i) != scan_load(b + i))
				return false;
		return scan_load(a + n - 8) == scan_load(b + n - 8);
	}
	if (n >= 4)
		return scan_load4(a) == scan_load4(b) &&
		       scan_load4(a + n - 4) == scan_load4(b + n - 4);
	if (n >= 2)
		return scan_load2(a) == scan_load2(b) &&
		       scan_load2(a + n - 2) == scan_load2(b + n - 2);
	return !n || *a == *b;
}

/* Past the spaces at @s, not beyond @e. */
static inline const char *scan_spaces(const char *s, const char *e)
{
	if (s < e && *s != ' ') /* often: no word needed */
		return s;
	for (; e - s >= 8; s += 8) {
		uint64_t m = scan_nonzero(scan_load(s) ^ (' ' * SCAN_ONES));

		if (m)
			return s + scan_first(m);
	}
	while (s < e && *s == ' ')
		s++;
	return s;
}

/* Back before the spaces, tabs and carriage returns that end [s, e). */
static inline const char *scan_blanks_back(const char *s, const char *e)
{
	if (e > s && e[-1] != ' ' && e[-1] != '\t' && e[-1] != '\r') /* often: nothing to trim */
		return e;
	for (; e - s >= 8; e -= 8) {
		uint64_t w = scan_load(e - 8);
		uint64_t m = scan_nonzero(w ^ (' ' * SCAN_ONES)) &
			     scan_nonzero(w ^ ('\t' * SCAN_ONES)) &
			     scan_nonzero(w ^ ('\r' * SCAN_ONES));

		if (m) /* the last byte that is none of them */
			return e - 8 + 1 + ((63 - (unsigned)__builtin_clzll(m)) >> 3);
	}
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e;
}

/* The value of the @k (1..8) decimal digits in the low bytes of @w. */
static inline uint64_t scan_digits8(uint64_t w, unsigned k)
{
	/* The digits to the high end: the bytes shifted in are leading zeros. */
	w = (w - '0' * SCAN_ONES) << (8 * (8 - k));
	w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffull;
	w = (w * 100 + (w >> 16)) & 0x0000ffff0000ffffull;
	return (w * 10000 + (w >> 32)) & 0xffffffffull;
}

/*
 * The decimal digits at *@s (not beyond @e) added to @v, eight at a time while eight bytes
 * are left; *@s is moved past those, *@over set if the number passed 2^64 - 1. The rest (the
 * last 0..7 bytes, or a run that does not end in this word) is the caller's byte loop.
 * Returns the value so far.
 */
static inline uint64_t scan_dec(const char **s, const char *e, uint64_t v, bool *over)
{
	static const uint64_t pow10[9] = { 1,	   10,	    100,      1000,	10000,
					   100000, 1000000, 10000000, 100000000 };
	const char *q = *s;

	while (e - q >= 8) {
		uint64_t w = scan_load(q), m = scan_nondigit(w);
		unsigned k = m ? scan_first(m) : 8;

		if (!k)
			break;
		*over = *over || __builtin_mul_overflow(v, pow10[k], &v) ||
			__builtin_add_overflow(v, scan_digits8(w, k), &v);
		q += k;
		if (k < 8)
			break;
	}
	*s = q;
	return v;
}

#endif
