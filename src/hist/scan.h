/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Word-at-a-time scanners of the hist parser (parse-int.h): a hist row is mostly padding
 * ("%-16s", "%10llu") and digits, which eight bytes at a time cross in one step where a byte
 * loop takes eight; with SSE2 (every x86-64), spans of 16 bytes and more are crossed sixteen at
 * a time. Pure.
 *
 * Every load is a whole word (or 16 bytes) inside [s, e): the input need not be padded or
 * aligned (words are read with memcpy, which compiles to one unaligned load). The SSE2 loops
 * read the last bytes of a span in one load that overlaps the ones before; the word loops read
 * the last 0..7 bytes one at a time. tests/unit/test-hist-scan.c checks each scanner at every
 * length, start alignment and boundary against a guard page.
 */
#ifndef FT_HIST_SCAN_H
#define FT_HIST_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
		if (n <= 16) /* most names: two loads each, no loop */
			return scan_load(a) == scan_load(b) &&
			       scan_load(a + n - 8) == scan_load(b + n - 8);
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

#ifdef __SSE2__
/*
 * Sixteen bytes at a time where the machine has SSE2 (every x86-64): a compare and a
 * movemask give one bit per byte (bit i: @p[i]), a fraction of a word's arithmetic per byte.
 * The word loops below take what is left, and are all other machines have.
 */
static inline __m128i scan_load16(const char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* A bit for each byte of @v that is @c. */
static inline unsigned scan_eq16(__m128i v, char c)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/* A bit for each byte of @v that is not a space, tab or carriage return. */
static inline unsigned scan_blank16(__m128i v)
{
	return ~(scan_eq16(v, ' ') | scan_eq16(v, '\t') | scan_eq16(v, '\r')) & 0xffff;
}
#endif

/* Past the spaces at @s, not beyond @e. */
static inline const char *scan_spaces(const char *s, const char *e)
{
	if (s < e && *s != ' ') /* often: no word needed */
		return s;
#ifdef __SSE2__
	if (e - s >= 16) {
		unsigned m;

		for (; e - s > 16; s += 16) {
			m = ~scan_eq16(scan_load16(s), ' ') & 0xffff;
			if (m)
				return s + __builtin_ctz(m);
		}
		/* The last 1..16 bytes: the last 16 of the span, those before s shifted out. */
		m = (~scan_eq16(scan_load16(e - 16), ' ') & 0xffff) >> (16 - (e - s));
		return m ? s + __builtin_ctz(m) : e;
	}
#endif
	for (; e - s >= 8; s += 8) {
		uint64_t w = scan_load(s) ^ (' ' * SCAN_ONES), m;

		if (!w) /* eight spaces: padding */
			continue;
		m = scan_nonzero(w);
		return s + scan_first(m);
	}
	while (s < e && *s == ' ')
		s++;
	return s;
}

/* scan_spaces() where the bytes up to @lim (>= @e) may be read: a short span is one load. */
static inline const char *scan_spaces_lim(const char *s, const char *e, const char *lim)
{
#ifdef __SSE2__
	if (s < e && e - s < 16 && lim - s >= 16) {
		unsigned m = ~scan_eq16(scan_load16(s), ' ') & ((1u << (e - s)) - 1);

		return m ? s + __builtin_ctz(m) : e;
	}
#endif
	return scan_spaces(s, e);
}

/* Back before the spaces, tabs and carriage returns that end [s, e). */
static inline const char *scan_blanks_back(const char *s, const char *e)
{
	if (e > s && e[-1] != ' ' && e[-1] != '\t' && e[-1] != '\r') /* often: nothing to trim */
		return e;
#ifdef __SSE2__
	if (e - s >= 16) {
		unsigned m;

		for (; e - s > 16; e -= 16) {
			m = scan_blank16(scan_load16(e - 16));
			if (m) /* the last byte that is none of them */
				return e - 16 + 1 + (31 - __builtin_clz(m));
		}
		/* The first 1..16 bytes: the first 16 of the span, those from e on masked off. */
		m = scan_blank16(scan_load16(s)) & ((1u << (e - s)) - 1);
		return m ? s + 1 + (31 - __builtin_clz(m)) : s;
	}
#endif
	for (; e - s >= 8; e -= 8) {
		uint64_t w = scan_load(e - 8), m;

		if (w == ' ' * SCAN_ONES) /* eight spaces: padding */
			continue;
		m = scan_nonzero(w ^ (' ' * SCAN_ONES)) & scan_nonzero(w ^ ('\t' * SCAN_ONES)) &
		    scan_nonzero(w ^ ('\r' * SCAN_ONES));

		if (m) /* the last byte that is none of them */
			return e - 8 + 1 + ((63 - (unsigned)__builtin_clzll(m)) >> 3);
	}
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e;
}

/* The high bit of each byte of @w that is @c. */
static inline uint64_t scan_eq(uint64_t w, char c)
{
	return ~scan_nonzero(w ^ ((unsigned char)c * SCAN_ONES)) & SCAN_HIGH;
}

/*
 * The first byte in [s, e) that is @a or @b, or NULL: memchr() for the short spans of a row (a
 * key, its brackets), where the call and its setup cost more than the looking.
 */
static inline const char *scan_byte2(const char *s, const char *e, char a, char b)
{
#ifdef __SSE2__
	if (e - s >= 16) {
		unsigned m;
		__m128i v;

		for (; e - s > 16; s += 16) {
			v = scan_load16(s);
			m = scan_eq16(v, a) | scan_eq16(v, b);
			if (m)
				return s + __builtin_ctz(m);
		}
		v = scan_load16(e - 16);
		m = (scan_eq16(v, a) | scan_eq16(v, b)) >> (16 - (e - s)); /* as in scan_spaces() */
		return m ? s + __builtin_ctz(m) : NULL;
	}
#endif
	for (; e - s >= 8; s += 8) {
		uint64_t w = scan_load(s), x = w ^ ((unsigned char)a * SCAN_ONES);
		uint64_t y = w ^ ((unsigned char)b * SCAN_ONES);
		/* Inexact only above a zero byte of the same x or y (a borrow): the lowest bit set is
		 * exact, all this needs. */
		uint64_t m =
			((x - SCAN_ONES) & ~x & SCAN_HIGH) | ((y - SCAN_ONES) & ~y & SCAN_HIGH);

		if (m)
			return s + scan_first(m);
	}
	for (; s < e; s++)
		if (*s == a || *s == b)
			return s;
	return NULL;
}

/* The first @c in [s, e), or NULL. */
static inline const char *scan_byte(const char *s, const char *e, char c)
{
	return scan_byte2(s, e, c, c);
}

/* The last @c in [s, e), or NULL: memrchr() for the same short spans. */
static inline const char *scan_byte_back(const char *s, const char *e, char c)
{
#ifdef __SSE2__
	if (e - s >= 16) {
		unsigned m;

		for (; e - s > 16; e -= 16) {
			m = scan_eq16(scan_load16(e - 16), c);
			if (m)
				return e - 16 + (31 - __builtin_clz(m));
		}
		/* as in scan_blanks_back() */
		m = scan_eq16(scan_load16(s), c) & ((1u << (e - s)) - 1);
		return m ? s + (31 - __builtin_clz(m)) : NULL;
	}
#endif
	for (; e - s >= 8; e -= 8) {
		uint64_t m = scan_eq(scan_load(e - 8), c);

		if (m)
			return e - 8 + ((63 - (unsigned)__builtin_clzll(m)) >> 3);
	}
	while (e > s)
		if (*--e == c)
			return e;
	return NULL;
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
