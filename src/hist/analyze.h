/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_ANALYZE_H
#define FT_HIST_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist/hist.h"

/**
 * struct ft_hist_change - how one key's value changed between two snapshots
 * @a: the entry in the older hist, NULL if the key appeared
 * @b: the entry in the newer hist, NULL if the key disappeared
 * @delta: b's value minus a's (a missing side counts as 0)
 */
struct ft_hist_change {
	const struct ft_hist_entry *a, *b;
	int64_t delta;
};

/**
 * struct ft_hist_diff - per-key changes, largest absolute change first
 * @v: the changes (keys whose value did not change are left out)
 * @n: how many
 * @appeared: keys only in the newer hist
 * @disappeared: keys only in the older hist
 * @unchanged: keys in both with the same value
 */
struct ft_hist_diff {
	struct ft_hist_change *v;
	size_t n;
	size_t appeared, disappeared, unchanged;
};

/**
 * struct ft_hist_stats - a distribution summary of one numeric key, weighed by a value
 * @count: total weight (events, for hitcount)
 * @min: smallest value seen (a bucket's lower bound)
 * @max: largest value seen (a bucket's upper bound, inclusive)
 * @mean: weighted mean (bucket midpoints for bucket keys)
 * @p50: median
 * @p90: 90th percentile
 * @p99: 99th percentile
 * @p999: 99.9th percentile
 * @exact: the key holds exact values, not buckets: the percentiles are exact
 */
struct ft_hist_stats {
	uint64_t count;
	double min, max, mean;
	double p50, p90, p99, p999;
	bool exact;
};

bool ft_key_equal(const struct ft_key *a, const struct ft_key *b, size_t nkeys);
uint64_t ft_key_hash(const struct ft_key *k, size_t nkeys);
int ft_hist_same_keys(const struct ft_hist *a, const struct ft_hist *b);

int ft_hist_diff(const struct ft_hist *a, const struct ft_hist *b, const char *val,
		 struct ft_hist_diff *out);
void ft_hist_diff_release(struct ft_hist_diff *d);

struct ft_hist *ft_hist_delta(const struct ft_hist *prev, const struct ft_hist *cur);
double ft_hist_rate(const struct ft_hist *delta, const struct ft_hist_entry *e, size_t val);

int ft_hist_stats(const struct ft_hist *h, size_t key, size_t val, struct ft_hist_stats *st);
double ft_hist_percentile(const struct ft_hist *h, size_t key, size_t val, double p);

#endif
