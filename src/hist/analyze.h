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

/* The percentiles ft_hist_stats() gives, in thousandths of a percent. */
#define FT_HIST_NPCT 4
extern const unsigned ft_hist_pct_milli[FT_HIST_NPCT]; /* 50000, 90000, 99000, 99900 */

/**
 * struct ft_hist_stats - a distribution summary of one numeric key, weighted by a value
 * @count: total weight (events, for hitcount)
 * @is_signed: @min, @max and @exact_p hold two's complement int64 values
 * @exact: the key holds exact values, not buckets: @exact_p holds the percentiles
 * @min: smallest value seen (a bucket's lower bound), as the column holds it
 * @max: largest value seen (a bucket's upper bound, inclusive), as the column holds it
 * @mean: weighted mean (bucket midpoints for bucket keys)
 * @p50: median, as a double (for display; @exact_p is exact)
 * @p90: 90th percentile, likewise
 * @p99: 99th percentile, likewise
 * @p999: 99.9th percentile, likewise
 * @exact_p: exact keys: the percentiles of ft_hist_pct_milli as the column holds them
 *
 * Counts, bounds and exact percentiles are integers: a double holds only 53 bits, and hist
 * values use all 64 (a syscall's -2 is 18446744073709551614). Doubles are for the mean and
 * for percentiles interpolated inside buckets.
 */
struct ft_hist_stats {
	uint64_t count;
	bool is_signed;
	bool exact;
	uint64_t min, max;
	double mean;
	double p50, p90, p99, p999;
	uint64_t exact_p[FT_HIST_NPCT];
};

bool ft_key_equal(const struct ft_key *a, const struct ft_key *b, size_t nkeys);
uint64_t ft_key_hash(const struct ft_key *k, size_t nkeys);
int ft_hist_same_keys(const struct ft_hist *a, const struct ft_hist *b);

int ft_hist_diff(const struct ft_hist *a, const struct ft_hist *b, const char *val,
		 struct ft_hist_diff *out);
void ft_hist_diff_release(struct ft_hist_diff *d);

struct ft_hist *ft_hist_delta(const struct ft_hist *prev, const struct ft_hist *cur);
struct ft_hist *ft_hist_delta_recycle(struct ft_hist *old, const struct ft_hist *prev,
				      const struct ft_hist *cur);
/**
 * struct ft_hist_past - the compact record of a snapshot, what a delta subtracts (past.c)
 * @meta: the snapshot's columns, totals and times, without entries
 * @valid: it holds a snapshot's record
 * @n: the snapshot's entries
 * @nvals: values per entry
 * @keys: the entries' keys, packed one after the other
 * @off: where each entry's packed key starts in @keys (@n + 1 offsets: the last is the end)
 * @vals: the entries' values, @nvals per entry
 * @next: the entry after the last one found
 * @asked: private: keys looked for since the delta began (ft_hist_delta_past())
 * @same: private: how many of the first keys looked for were found in order, each at the
 *        entry of its own index: the first entries of @seen whose keys are the record's
 * @seen: private: the snapshot the last delta was made for (or the record was taken from),
 *        whose first @same keys are the record's: recording it next packs only the others
 * @slot: the index by key (entry + 1, 0 for none), built on the first key found out of order
 * @mask: its size - 1
 * @scratch: the key looked for, packed
 * @keycap: private: bytes @keys has room for
 * @offcap: private: offsets @off has room for
 * @valcap: private: values @vals has room for
 * @scratchcap: private: bytes @scratch has room for
 */
struct ft_hist_past {
	struct ft_hist *meta;
	bool valid;
	size_t n, nvals;
	char *keys;
	uint32_t *off;
	uint64_t *vals;
	size_t next, asked, same;
	const struct ft_hist *seen;
	uint32_t *slot;
	size_t mask;
	char *scratch;
	size_t keycap, offcap, valcap, scratchcap;
};

int ft_hist_past_take(struct ft_hist_past *p, const struct ft_hist *h);
const uint64_t *ft_hist_past_find(struct ft_hist_past *p, const struct ft_key *k, int *err);
void ft_hist_past_release(struct ft_hist_past *p);
struct ft_hist *ft_hist_delta_past(struct ft_hist *old, struct ft_hist_past *past,
				   const struct ft_hist *cur);
int ft_hist_copy_meta(struct ft_hist *d, const struct ft_hist *cur);
double ft_hist_rate(const struct ft_hist *delta, const struct ft_hist_entry *e, size_t val);

int ft_hist_stats(const struct ft_hist *h, size_t key, size_t val, struct ft_hist_stats *st);
double ft_hist_percentile(const struct ft_hist *h, size_t key, size_t val, double p);

#endif
