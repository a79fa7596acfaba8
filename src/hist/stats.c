// SPDX-License-Identifier: GPL-2.0-only
/*
 * Distribution statistics of one numeric key of a hist, each entry weighted by a value
 * (hitcount: the number of events). Pure.
 *
 * Percentiles (documented in man ftrig-hist, STATS):
 * - exact keys (plain numbers, .hex): nearest rank, the smallest key value whose cumulative
 *   weight reaches p% of the total;
 * - bucket keys (.log2, .buckets=N): the bucket where the cumulative weight reaches p% is found,
 *   its events are taken as spread evenly over [lo, hi), and the value is interpolated
 *   linearly: lo + (hi - lo) * (target - weight before the bucket) / bucket weight. The error
 *   is below one bucket width (for log2 buckets, below a factor of two).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist/analyze.h"

const unsigned ft_hist_pct_milli[FT_HIST_NPCT] = { 50000, 90000, 99000, 99900 };

#define SIGN_BIT (UINT64_C(1) << 63)

/*
 * One sample: the bounds [lo, hi) of a key's values and its weight; lo == hi when exact.
 * Exact values of a signed column are stored with the sign bit flipped, so that unsigned
 * order is their order.
 */
struct sample {
	uint64_t lo, hi;
	uint64_t w;
};

static int by_lo(const void *x, const void *y)
{
	const struct sample *a = x, *b = y;

	return (a->lo > b->lo) - (a->lo < b->lo);
}

/* The weighted samples of column @key sorted by value; *@n set; NULL with errno set. */
static struct sample *collect(const struct ft_hist *h, size_t key, size_t val, size_t *n,
			      bool *exact)
{
	const struct ft_hist_col *c = &h->keys[key];
	uint64_t flip;
	struct sample *s;

	*n = 0;
	if (key >= h->nkeys || val >= h->nvals || !strcmp(h->vals[val].modifier, "percent") ||
	    !strcmp(h->vals[val].modifier, "graph") ||
	    (c->kind != FT_KEY_NUM && c->kind != FT_KEY_HEX && c->kind != FT_KEY_LOG2 &&
	     c->kind != FT_KEY_BUCKET)) {
		errno = EINVAL;
		return NULL;
	}
	*exact = c->kind == FT_KEY_NUM || c->kind == FT_KEY_HEX;
	flip = *exact && c->is_signed ? SIGN_BIT : 0;
	s = malloc((h->nentries + 1) * sizeof(*s));
	if (!s)
		return NULL;
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_key *k = &h->entries[i].keys[key];
		uint64_t w = h->entries[i].vals[val];

		if (!w)
			continue;
		s[*n].lo = *exact ? k->num ^ flip : k->lo;
		s[*n].hi = *exact ? s[*n].lo : k->hi;
		s[(*n)++].w = w;
	}
	qsort(s, *n, sizeof(*s), by_lo);
	return s;
}

/* Nearest rank: the smallest value whose cumulative weight reaches @milli/100000 of @count. */
static uint64_t rank_value(const struct sample *s, size_t n, uint64_t count, unsigned milli)
{
	unsigned __int128 rank = ((unsigned __int128)count * milli + 99999) / 100000, cum = 0;

	for (size_t i = 0; i < n; i++) {
		cum += s[i].w;
		if (cum >= rank)
			return s[i].lo;
	}
	return n ? s[n - 1].lo : 0;
}

/* Linear interpolation inside the bucket where the cumulative weight reaches @p% of @count. */
static double interpolate(const struct sample *s, size_t n, uint64_t count, double p)
{
	long double target = (long double)p / 100 * (long double)count, cum = 0;

	for (size_t i = 0; i < n; i++) {
		if (cum + (long double)s[i].w >= target || i + 1 == n) {
			long double f = s[i].w ? (target - cum) / (long double)s[i].w : 0;

			f = f < 0 ? 0 : f > 1 ? 1 : f;
			return (double)((long double)s[i].lo +
					(long double)(s[i].hi - s[i].lo) * f);
		}
		cum += (long double)s[i].w;
	}
	return NAN;
}

/* A stored value as a number: @flip undone, signed when the column is. */
static long double real(uint64_t v, uint64_t flip)
{
	return flip ? (long double)(int64_t)(v ^ flip) : (long double)v;
}

/*
 * The weighted mean. Exact keys sum w * v in 128 bits (each product fits; the sum is checked);
 * bucket midpoints and a sum past 128 bits fall back to long double, whose 64-bit mantissa
 * still holds every u64.
 */
static double mean_of(const struct sample *s, size_t n, uint64_t count, bool exact, uint64_t flip)
{
	__int128 sum = 0;
	long double lsum = 0;
	bool wide = !exact;

	for (size_t i = 0; i < n; i++) {
		long double mid = exact ? real(s[i].lo, flip)
					: ((long double)s[i].lo + (long double)(s[i].hi - 1)) / 2;
		__int128 term;

		lsum += (long double)s[i].w * mid;
		if (wide)
			continue;
		if (flip)
			term = (__int128)s[i].w * (int64_t)(s[i].lo ^ flip);
		else if (s[i].lo > (uint64_t)INT64_MAX && s[i].w > (uint64_t)INT64_MAX)
			wide = true; /* the product needs the 128th bit */
		else
			term = (__int128)((unsigned __int128)s[i].w * s[i].lo);
		wide = wide || __builtin_add_overflow(sum, term, &sum);
	}
	if (wide)
		return (double)(lsum / (long double)count);
	return (double)((long double)(sum / (__int128)count) +
			(long double)(sum % (__int128)count) / (long double)count);
}

/**
 * ft_hist_stats() - count, min, max, mean and percentiles of one numeric key
 * @h: the hist
 * @key: the key column (number, hex, log2 or linear bucket)
 * @val: the value column each entry is weighted by (hitcount for events)
 * @st: filled
 *
 * Other key columns are summed over (the key's marginal distribution). Bucket keys give
 * estimates: see the method at the top of this file.
 *
 * Return: 0, -EINVAL when the key is not numeric or the value is a percent or graph column,
 * -ENODATA when the total weight is 0, -EOVERFLOW when it exceeds 2^64 - 1, -ENOMEM.
 */
int ft_hist_stats(const struct ft_hist *h, size_t key, size_t val, struct ft_hist_stats *st)
{
	double *dp[FT_HIST_NPCT] = { &st->p50, &st->p90, &st->p99, &st->p999 };
	unsigned __int128 count = 0;
	size_t n;
	struct sample *s = collect(h, key, val, &n, &st->exact);
	uint64_t flip;

	if (!s)
		return -errno;
	flip = st->exact && h->keys[key].is_signed ? SIGN_BIT : 0;
	st->is_signed = flip != 0;
	for (size_t i = 0; i < n; i++)
		count += s[i].w;
	if (!count || count > UINT64_MAX) {
		free(s);
		return count ? -EOVERFLOW : -ENODATA;
	}
	st->count = (uint64_t)count;
	st->min = s[0].lo ^ flip;
	st->max = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t top = st->exact ? s[i].hi : s[i].hi - 1;

		st->max = top > st->max ? top : st->max;
	}
	st->max ^= flip;
	st->mean = mean_of(s, n, st->count, st->exact, flip);
	for (size_t i = 0; i < FT_HIST_NPCT; i++) {
		st->exact_p[i] = 0;
		if (!st->exact) {
			*dp[i] = interpolate(s, n, st->count, ft_hist_pct_milli[i] / 1000.0);
			continue;
		}
		st->exact_p[i] = rank_value(s, n, st->count, ft_hist_pct_milli[i]) ^ flip;
		*dp[i] = (double)real(st->exact_p[i] ^ flip, flip);
	}
	free(s);
	return 0;
}

/**
 * ft_hist_percentile() - one percentile of a numeric key (the method of ft_hist_stats())
 * @h: the hist
 * @key: the key column
 * @val: the weighting value column
 * @p: the percentile, 0..100
 *
 * Return: the value, or NaN when it cannot be computed (errno set as ft_hist_stats() says).
 */
double ft_hist_percentile(const struct ft_hist *h, size_t key, size_t val, double p)
{
	unsigned __int128 count = 0;
	bool exact;
	size_t n;
	struct sample *s = collect(h, key, val, &n, &exact);
	uint64_t flip;
	double r;

	if (!s)
		return NAN;
	flip = exact && h->keys[key].is_signed ? SIGN_BIT : 0;
	for (size_t i = 0; i < n; i++)
		count += s[i].w;
	if (!count || count > UINT64_MAX) {
		free(s);
		errno = count ? EOVERFLOW : ENODATA;
		return NAN;
	}
	r = exact ? (double)real(rank_value(s, n, (uint64_t)count, (unsigned)(p * 1000 + 0.5)),
				 flip)
		  : interpolate(s, n, (uint64_t)count, p);
	free(s);
	return r;
}
