/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_OM_INT_H
#define FT_OM_INT_H

/* What the files of src/metrics/om*.c share: the scrape's families and the state's maps. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist/hist.h"
#include "metrics/om.h"

enum om_type { OM_COUNTER, OM_GAUGE, OM_HISTOGRAM, OM_INFO };

/**
 * struct om_bucket - one bucket of a histogram series
 * @le: its upper bound, inclusive, in the hist's raw unit
 * @count: observations up to @le (cumulative once the series is finished)
 */
struct om_bucket {
	uint64_t le;
	uint64_t count;
};

/**
 * struct om_series - one series (one label set) of a family
 * @labels: its labels, escaped, without braces ('a="x",b="y"'), or ""
 * @v: a counter's value, a histogram's count
 * @g: a gauge's value
 * @sum: a histogram's sum, raw, when @has_sum
 * @has_sum: the sum is known exactly (the aggregation sums the histogram's field)
 * @b: a histogram's buckets, by @le
 * @nb: how many
 * @created: when the counter started (seconds since the epoch), or < 0 when not known
 */
struct om_series {
	char *labels;
	uint64_t v;
	double g;
	uint64_t sum;
	bool has_sum;
	struct om_bucket *b;
	size_t nb;
	double created;
};

/**
 * struct om_family - the series of one metric name
 * @name: the name without the type's suffix (_total of a counter, _info of an info)
 * @type: counter, gauge, histogram or info
 * @help: what it is
 * @unit: its OpenMetrics unit ("seconds", "bytes"), "" for none
 * @scale: raw numbers are divided by it (1e6 for microseconds); 0 prints them as integers
 * @s: the series
 * @n: how many
 */
struct om_family {
	char *name;
	enum om_type type;
	char *help;
	char *unit;
	double scale;
	struct om_series *s;
	size_t n;
};

/* A map of strings to pointers (om-state.c): open addressing, keys copied. */
struct om_map;
struct om_map *om_map_alloc(void);
void om_map_free(struct om_map *m, void (*free_val)(void *));
void **om_map_slot(struct om_map *m, const char *key, bool create);
void *om_map_get(const struct om_map *m, const char *key);
void om_map_each(struct om_map *m, bool (*keep)(const char *key, void *val, void *data),
		 void (*free_val)(void *), void *data);

/**
 * struct om_sstate - what the state keeps of one series between scrapes
 * @v: its last value (counter, histogram count)
 * @le: a histogram's bucket bounds ever exported (the set never shrinks, so a bucket series
 *      does not vanish)
 * @cum: the cumulative counts of the last scrape, per @le
 * @nb: how many
 * @created: its created timestamp, < 0 when not known
 * @gen: the scrape that last saw it
 */
struct om_sstate {
	uint64_t v;
	uint64_t *le;
	uint64_t *cum;
	size_t nb;
	double created;
	unsigned gen;
};

/**
 * struct om_astate - what the state keeps of one aggregation between scrapes
 * @keys: the label sets its table had at the last scrape (a set)
 * @admitted: those exported as series of their own; the rest are summed in 'other'
 * @nadmitted: how many
 * @hits: its Hits total at the last scrape
 * @gen: the scrape that last saw it
 */
struct om_astate {
	struct om_map *keys;
	struct om_map *admitted;
	size_t nadmitted;
	uint64_t hits;
	unsigned gen;
};

/**
 * struct ft_om_state - what a serving process keeps from one scrape to the next
 * @series: struct om_sstate by "name{labels}"
 * @aggs: struct om_astate by aggregation
 * @gen: scrapes so far
 * @last: when the last scrape was (seconds since the epoch); 0 before the first
 * @warned: the family names a conflict was said of already
 */
struct ft_om_state {
	struct om_map *series;
	struct om_map *aggs;
	unsigned gen;
	double last;
	struct om_map *warned;
};

/**
 * struct ft_om_scrape - one exposition being built
 * @st: the state it reads and updates
 * @o: what is exported
 * @now: when it was taken
 * @f: the families, in the order they were first met
 * @nf: how many
 * @fidx: the index + 1 of each family by name
 * @ids: the series of this scrape by "name{labels}", for duplicates
 * @aggids: the aggregations of this scrape, to tell two of the same name apart
 * @partial: some aggregations could not be read (ft_om_scrape_partial())
 */
struct ft_om_scrape {
	struct ft_om_state *st;
	struct ft_om_opts o;
	double now;
	struct om_family *f;
	size_t nf;
	struct om_map *fidx;
	struct om_map *ids;
	struct om_map *aggids;
	bool partial;
};

struct om_family *om_family_get(struct ft_om_scrape *s, const char *name, enum om_type type,
				const char *help, const char *unit, double scale);
struct om_series *om_series_add(struct ft_om_scrape *s, struct om_family *f, const char *labels);
void om_sstate_free(void *p);
void om_astate_free(void *p);
int om_label(char **buf, size_t *len, const char *name, const char *value);

/* A series made for this hist: its family (by index) and series, checked in a second pass. */
struct pending {
	size_t f, s;
};

/**
 * struct group - the rows of one label set, summed
 * @labels: the key labels
 * @vals: the sums of the value columns
 * @b: the histogram's buckets (raw counts, not cumulative)
 * @nb: how many
 */
struct group {
	char *labels;
	uint64_t *vals;
	struct om_bucket *b;
	size_t nb;
};

/**
 * struct agg - what one hist is built with
 * @h: the hist
 * @st: its state from the last scrape, NULL when it is new
 * @prefix: "ftrig_SYSTEM_EVENT"
 * @ident: the labels naming the aggregation (agg, backend, trace_instance)
 * @hk: the histogram key's column, -1 for none
 * @hc: the hitcount column, -1 for none
 * @wc: the column label sets are ranked by (hitcount, else the first value)
 * @lab: per key column, its label name ("" when it makes no label)
 * @comm: per execname key column, the label of the comm
 * @g: the groups
 * @ng: how many
 * @gidx: the index + 1 of each group by its labels
 * @key: what its state is kept under: its metric prefix and @ident
 * @lost: scratch: the table lost a key since the last scrape
 * @pend: the series made for it, checked against the last scrape once all are made
 * @npend: how many
 */
struct agg {
	const struct ft_hist *h;
	size_t limit;
	struct om_astate *st;
	char prefix[300];
	char *ident;
	int hk, hc, wc;
	char lab[FT_HIST_MAX_KEYS][80];
	char comm[FT_HIST_MAX_KEYS][96];
	struct group *g;
	size_t ng;
	struct om_map *gidx;
	char *key;
	bool lost;
	struct pending *pend;
	size_t npend;
};

int om_agg_init(struct ft_om_scrape *s, struct agg *a, const struct ft_hist *h);
int om_group_rows(struct agg *a);
void om_agg_release(struct agg *a);
int om_group_add(const struct agg *a, struct group *g, const uint64_t *vals,
		 const struct ft_key *hkey, const struct group *from);
const char *om_field_unit(const struct ft_hist *h, const char *field, double *scale);
void om_field_name(const struct agg *a, const char *field, const char *unit, char *buf,
		   size_t size);
bool om_val_usable(const struct ft_hist_col *c);
int om_settle(struct ft_om_scrape *s, struct agg *a, bool reset, struct om_map *adm, size_t nadm);
int om_emit(struct ft_om_scrape *s, struct agg *a);

#endif
