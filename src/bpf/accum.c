// SPDX-License-Identifier: GPL-2.0-only
/*
 * The totals of a live view's own BPF aggregation, kept in user space (pure). The kernel side
 * counts into two tables that take turns (agg.h, cfg.rotate): each refresh flips them, reads
 * the table the events have just left and empties it, so the kernel table only ever holds
 * one interval's keys and never fills up with processes that are gone (TOP-1). The intervals
 * are summed here, by key.
 *
 * What a row is called follows the process: each interval's entry carries the comm of its
 * latest event in that interval (agg.bpf.c), and the newest interval's wins, so a process
 * that execs or renames itself is shown under the name it has now (TOP-8).
 *
 * The totals are bounded: past @limit rows, those idle longest go first (exited processes
 * are idle forever); rows counted in the latest interval are never dropped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "util.h"

/* A row, its key after it: the rows are one array, not a key allocated per row (#21: 131,072
 * of them were 4 MB in small blocks). */
struct accum_ent {
	struct ft_bpf_val val;
	uint64_t seen; /* the round it was last counted in */
	unsigned char key[];
};

/* No row: an empty slot of the index. */
#define NONE UINT32_MAX

/**
 * struct ft_bpf_accum - totals by key over the intervals of a rotating aggregation
 * @ksize: bytes of a key
 * @limit: rows kept at most, but for those counted in the latest round
 * @esize: bytes of a row in @ents, its key included
 * @ents: the rows (struct accum_ent), @esize bytes apart
 * @n: how many
 * @cap: room in @ents
 * @index: open-addressing index of @ents (NONE: empty), @hcap slots, a power of two
 * @hcap: its size
 * @round: intervals added
 * @hits: events of every row ever added, expired ones too
 * @expired: rows expired
 * @rows: what ft_bpf_accum_rows() last returned
 */
struct ft_bpf_accum {
	uint32_t ksize;
	size_t limit, esize;
	unsigned char *ents;
	size_t n, cap;
	uint32_t *index;
	size_t hcap;
	uint64_t round, hits, expired;
	struct ft_bpf_row *rows;
};

static struct accum_ent *ent(const struct ft_bpf_accum *a, size_t i)
{
	return (struct accum_ent *)(a->ents + i * a->esize);
}

/* The index slot of key @k: where it is, or the empty one where it would go. */
static size_t find(const struct ft_bpf_accum *a, const unsigned char *k)
{
	size_t i = (size_t)ft_hash64(k, a->ksize) & (a->hcap - 1);

	while (a->index[i] != NONE && memcmp(ent(a, a->index[i])->key, k, a->ksize))
		i = (i + 1) & (a->hcap - 1);
	return i;
}

/* Index every row again, in an index of at least twice their number. */
static int reindex(struct ft_bpf_accum *a, size_t want)
{
	size_t hcap = 64;
	uint32_t *index;

	while (hcap < 2 * want)
		hcap *= 2;
	index = malloc(hcap * sizeof(*index));
	if (!index)
		return -ENOMEM;
	memset(index, 0xff, hcap * sizeof(*index));
	free(a->index);
	a->index = index;
	a->hcap = hcap;
	for (size_t e = 0; e < a->n; e++)
		a->index[find(a, ent(a, e)->key)] = (uint32_t)e;
	return 0;
}

/**
 * ft_bpf_accum_alloc() - empty totals
 * @ksize: bytes of a key (the plan's cfg.ksize)
 * @limit: rows kept at most, but for those counted in the latest interval (at least 1)
 *
 * Return: the totals, to free with ft_bpf_accum_free(), or NULL with errno set.
 */
struct ft_bpf_accum *ft_bpf_accum_alloc(uint32_t ksize, size_t limit)
{
	struct ft_bpf_accum *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->ksize = ksize;
	/* Rows 8-byte aligned, for their counts. */
	a->esize = (sizeof(struct accum_ent) + ksize + 7) / 8 * 8;
	a->limit = limit ? limit : 1;
	if (reindex(a, 0)) {
		free(a);
		errno = ENOMEM;
		return NULL;
	}
	return a;
}

/**
 * ft_bpf_accum_free() - free totals; NULL is allowed
 * @a: the totals
 */
void ft_bpf_accum_free(struct ft_bpf_accum *a)
{
	if (!a)
		return;
	free(a->ents);
	free(a->index);
	free(a->rows);
	free(a);
}

/* Add @r to row @e: counts summed, the newest comm and process kept. */
static void merge(struct accum_ent *e, const struct ft_bpf_row *r)
{
	e->val.hits += r->val.hits;
	for (int s = 0; s < FT_BPF_MAX_SUMS; s++)
		e->val.sums[s] += r->val.sums[s];
	memcpy(e->val.comm, r->val.comm, sizeof(e->val.comm));
	e->val.tgid = r->val.tgid;
}

static int insert(struct ft_bpf_accum *a, size_t at, const struct ft_bpf_row *r)
{
	struct accum_ent *e;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		unsigned char *ents;

		/* The index holds 32-bit row numbers, NONE excepted. */
		if (a->n >= NONE)
			return -ENOMEM;
		ents = realloc(a->ents, cap * a->esize);

		if (!ents)
			return -ENOMEM;
		a->ents = ents;
		a->cap = cap;
	}
	e = ent(a, a->n);
	memcpy(e->key, r->key, a->ksize);
	e->val = r->val;
	a->index[at] = (uint32_t)a->n++;
	return 0;
}

/**
 * ft_bpf_accum_turn() - begin the next interval: the rows ft_bpf_accum_put() adds from now
 *                       on are counted in it
 * @a: the totals
 *
 * A table read a window at a time is one interval however many windows it takes (#21): the
 * expiry goes by intervals, not by calls.
 */
void ft_bpf_accum_turn(struct ft_bpf_accum *a)
{
	a->round++;
}

/**
 * ft_bpf_accum_put() - add rows of the current interval (ft_bpf_accum_turn()) to the totals
 * @a: the totals
 * @rows: the rows (their keys are copied)
 * @n: how many
 *
 * Return: 0 or -ENOMEM (then the totals lack some of the rows).
 */
int ft_bpf_accum_put(struct ft_bpf_accum *a, const struct ft_bpf_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t at;
		int ret;

		if (2 * (a->n + 1) > a->hcap && (ret = reindex(a, a->n + 1)))
			return ret;
		at = find(a, rows[i].key);
		if (a->index[at] != NONE) {
			merge(ent(a, a->index[at]), &rows[i]);
		} else if ((ret = insert(a, at, &rows[i]))) {
			return ret;
		}
		ent(a, a->index[at])->seen = a->round;
		a->hits += rows[i].val.hits;
	}
	return 0;
}

/**
 * ft_bpf_accum_add() - add one interval's table to the totals
 * @a: the totals
 * @rows: the table's entries (their keys are copied)
 * @n: how many
 *
 * ft_bpf_accum_turn() then ft_bpf_accum_put().
 *
 * Return: 0 or -ENOMEM (then the totals lack some of the interval's rows).
 */
int ft_bpf_accum_add(struct ft_bpf_accum *a, const struct ft_bpf_row *rows, size_t n)
{
	ft_bpf_accum_turn(a);
	return ft_bpf_accum_put(a, rows, n);
}

/* Rows last counted in round @r or before. */
static size_t idle_since(const struct ft_bpf_accum *a, uint64_t r)
{
	size_t k = 0;

	for (size_t e = 0; e < a->n; e++)
		k += ent(a, e)->seen <= r;
	return k;
}

/* The latest round @r such that dropping every row last counted before it, and from those of
 * @r as many as wanted, drops @want rows; the latest interval's rows never go. */
static uint64_t cutoff(const struct ft_bpf_accum *a, size_t want)
{
	uint64_t lo = 0, hi = a->round - 1;

	if (idle_since(a, hi) <= want)
		return hi;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (idle_since(a, mid) >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/**
 * ft_bpf_accum_expire() - keep at most the limit of rows, the idle longest going first
 * @a: the totals
 *
 * Rows counted in the latest interval stay whatever their number. The rows that stay keep
 * their order. No memory is taken: a sort of 131,072 rows took a copy of them, 10 MB (#21).
 *
 * Return: how many rows were dropped now.
 */
size_t ft_bpf_accum_expire(struct ft_bpf_accum *a)
{
	size_t want, keep = 0, gone;
	uint64_t last;

	/* Before the first interval every row is of the latest. */
	if (a->n <= a->limit || !a->round)
		return 0;
	want = a->n - a->limit;
	last = cutoff(a, want);
	/* Those before round @last go, then those of @last until @want are gone. */
	gone = last ? idle_since(a, last - 1) : 0;
	for (size_t e = 0; e < a->n; e++) {
		const struct accum_ent *x = ent(a, e);
		bool drop =
			x->seen < last || (x->seen == last && x->seen < a->round && gone < want);

		if (x->seen == last && drop)
			gone++;
		if (!drop && keep != e)
			memcpy(ent(a, keep), x, a->esize);
		keep += !drop;
	}
	gone = a->n - keep;
	a->expired += gone;
	a->n = keep;
	/* The index is as large as it was: index the rows again in place. */
	memset(a->index, 0xff, a->hcap * sizeof(*a->index));
	for (size_t e = 0; e < a->n; e++)
		a->index[find(a, ent(a, e)->key)] = (uint32_t)e;
	return gone;
}

/**
 * ft_bpf_accum_window() - some of the totals as rows, to read them a window at a time
 * @a: the totals
 * @first: the first row wanted (0 for the first window)
 * @rows: set to the rows from @first on (their keys point into @a, valid until @a changes)
 * @max: room in @rows
 *
 * A live view reads its totals into its snapshot a window at a time (#21): a whole copy of
 * 131,072 rows is 9 MB.
 *
 * Return: how many rows were set; 0 past the last.
 */
size_t ft_bpf_accum_window(const struct ft_bpf_accum *a, size_t first, struct ft_bpf_row *rows,
			   size_t max)
{
	size_t n = 0;

	for (size_t i = first; i < a->n && n < max; i++, n++) {
		rows[n].key = ent(a, i)->key;
		rows[n].val = ent(a, i)->val;
	}
	return n;
}

/**
 * ft_bpf_accum_counts() - what the totals counted
 * @a: the totals
 * @hits: set to the events of every interval added, the expired rows' too
 * @expired: set to the rows expired so far
 */
void ft_bpf_accum_counts(const struct ft_bpf_accum *a, uint64_t *hits, uint64_t *expired)
{
	*hits = a->hits;
	*expired = a->expired;
}

/**
 * ft_bpf_accum_rows() - the totals as rows
 * @a: the totals
 * @n: set to how many rows
 * @hits: set to the events of every interval added, the expired rows' too
 * @expired: set to the rows expired so far
 *
 * Return: the rows (their keys point into @a), valid until the next call on @a; NULL with
 * errno set when out of memory.
 */
const struct ft_bpf_row *ft_bpf_accum_rows(struct ft_bpf_accum *a, size_t *n, uint64_t *hits,
					   uint64_t *expired)
{
	struct ft_bpf_row *rows = realloc(a->rows, (a->n ? a->n : 1) * sizeof(*rows));

	if (!rows)
		return NULL;
	a->rows = rows;
	*n = ft_bpf_accum_window(a, 0, rows, a->n);
	ft_bpf_accum_counts(a, hits, expired);
	return rows;
}
