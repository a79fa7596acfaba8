// SPDX-License-Identifier: GPL-2.0-only
/*
 * Distribution statistics of one numeric key of a hist, each entry weighed by a value
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

/* One sample: the bounds [lo, hi) of a key's values and its weight; lo == hi when exact. */
struct sample {
	double lo, hi;
	uint64_t w;
};

static int by_lo(const void *x, const void *y)
{
	const struct sample *a = x, *b = y;

	return (a->lo > b->lo) - (a->lo < b->lo);
}

static double key_num(const struct ft_hist_col *c, const struct ft_key *k)
{
	return c->is_signed ? (double)(int64_t)k->num : (double)k->num;
}

/* The weighted samples of column @key sorted by value; *@n set; NULL with errno set. */
static struct sample *collect(const struct ft_hist *h, size_t key, size_t val, size_t *n,
			      bool *exact)
{
	const struct ft_hist_col *c = &h->keys[key];
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
	s = malloc((h->nentries + 1) * sizeof(*s));
	if (!s)
		return NULL;
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_key *k = &h->entries[i].keys[key];
		uint64_t w = h->entries[i].vals[val];

		if (!w)
			continue;
		s[*n].lo = *exact ? key_num(c, k) : (double)k->lo;
		s[*n].hi = *exact ? s[*n].lo : (double)k->hi;
		s[(*n)++].w = w;
	}
	qsort(s, *n, sizeof(*s), by_lo);
	return s;
}

static double pct(const struct sample *s, size_t n, uint64_t count, double p)
{
	double target = p / 100.0 * (double)count, cum = 0;

	for (size_t i = 0; i < n; i++) {
		if (cum + (double)s[i].w >= target || i + 1 == n) {
			double f = s[i].w ? (target - cum) / (double)s[i].w : 0;

			f = f < 0 ? 0 : f > 1 ? 1 : f;
			return s[i].lo + (s[i].hi - s[i].lo) * f;
		}
		cum += (double)s[i].w;
	}
	return NAN;
}

/**
 * ft_hist_stats() - count, min, max, mean and percentiles of one numeric key
 * @h: the hist
 * @key: the key column (number, hex, log2 or linear bucket)
 * @val: the value column each entry is weighed by (hitcount for events)
 * @st: filled
 *
 * Other key columns are summed over (the key's marginal distribution). Bucket keys give
 * estimates: see the method at the top of this file.
 *
 * Return: 0, -EINVAL when the key is not numeric or the value is a percent or graph column,
 * -ENODATA when the total weight is 0, -ENOMEM.
 */
int ft_hist_stats(const struct ft_hist *h, size_t key, size_t val, struct ft_hist_stats *st)
{
	double sum = 0;
	size_t n;
	struct sample *s = collect(h, key, val, &n, &st->exact);

	if (!s)
		return -errno;
	st->count = 0;
	st->max = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		double top = st->exact ? s[i].hi : s[i].hi - 1;

		st->count += s[i].w;
		sum += (double)s[i].w * (st->exact ? s[i].lo : (s[i].lo + top) / 2);
		if (top > st->max)
			st->max = top;
	}
	if (!st->count) {
		free(s);
		return -ENODATA;
	}
	st->min = s[0].lo;
	st->mean = sum / (double)st->count;
	st->p50 = pct(s, n, st->count, 50);
	st->p90 = pct(s, n, st->count, 90);
	st->p99 = pct(s, n, st->count, 99);
	st->p999 = pct(s, n, st->count, 99.9);
	free(s);
	return 0;
}

/**
 * ft_hist_percentile() - one percentile of a numeric key (the method of ft_hist_stats())
 * @h: the hist
 * @key: the key column
 * @val: the weighing value column
 * @p: the percentile, 0..100
 *
 * Return: the value, or NaN when it cannot be computed (errno set as ft_hist_stats() says).
 */
double ft_hist_percentile(const struct ft_hist *h, size_t key, size_t val, double p)
{
	uint64_t count = 0;
	bool exact;
	size_t n;
	struct sample *s = collect(h, key, val, &n, &exact);
	double r;

	if (!s)
		return NAN;
	for (size_t i = 0; i < n; i++)
		count += s[i].w;
	r = count ? pct(s, n, count, p) : NAN;
	if (!count)
		errno = ENODATA;
	free(s);
	return r;
}
