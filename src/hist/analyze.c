// SPDX-License-Identifier: GPL-2.0-only
/*
 * What is computed from hists: per-key diffs, interval deltas and rates (the live view's
 * per-second numbers, without clearing the kernel's table), and distribution statistics with
 * percentiles from exact values or from log2 / linear buckets. Pure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist/analyze.h"
#include "hist/cols.h"

/*
 * Keys are compared the way the kernel compares them: by number for pids, syscalls and
 * addresses (the comm, name or symbol is only how it is printed), by text for strings and
 * stack frames.
 */
static bool part_equal(const struct ft_key *a, const struct ft_key *b)
{
	if (a->kind != b->kind || a->num != b->num || a->lo != b->lo || a->hi != b->hi)
		return false;
	if (a->kind == FT_KEY_STR)
		return !strcmp(a->str ? a->str : "", b->str ? b->str : "");
	if (a->kind != FT_KEY_STACK || a->nframes != b->nframes)
		return a->kind != FT_KEY_STACK;
	for (size_t i = 0; i < a->nframes; i++)
		if (strcmp(a->frames[i], b->frames[i]))
			return false;
	return true;
}

/**
 * ft_key_equal() - whether two compound keys are the same key
 * @a: one key (nkeys parts)
 * @b: the other
 * @nkeys: parts in each
 *
 * Return: true when every part is equal (pids, syscalls and addresses by number).
 */
bool ft_key_equal(const struct ft_key *a, const struct ft_key *b, size_t nkeys)
{
	for (size_t i = 0; i < nkeys; i++)
		if (!part_equal(&a[i], &b[i]))
			return false;
	return true;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/**
 * ft_key_hash() - a hash of a compound key, consistent with ft_key_equal()
 * @k: the key
 * @nkeys: its parts
 *
 * Return: the hash.
 */
uint64_t ft_key_hash(const struct ft_key *k, size_t nkeys)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < nkeys; i++) {
		h = mix(h, (uint64_t)k[i].kind);
		h = mix(h, k[i].num ^ (k[i].lo << 1) ^ (k[i].hi << 2));
		if (k[i].kind == FT_KEY_STR)
			h = str_hash(h, k[i].str);
		for (size_t f = 0; k[i].kind == FT_KEY_STACK && f < k[i].nframes; f++)
			h = str_hash(h, k[i].frames[f]);
	}
	/*
	 * Multiplying carries bits upward only, and the delta's index masks the low bits: fold
	 * the high half down, or keys alike in their low bits crowd into long probe runs.
	 */
	return h ^ h >> 32;
}

/**
 * ft_hist_same_keys() - whether two hists have the same key columns (names and kinds)
 * @a: one hist
 * @b: the other
 *
 * Return: 0 when they do, -EINVAL when not (their entries cannot be matched).
 */
int ft_hist_same_keys(const struct ft_hist *a, const struct ft_hist *b)
{
	if (a->nkeys != b->nkeys)
		return -EINVAL;
	for (size_t i = 0; i < a->nkeys; i++)
		if (strcmp(a->keys[i].name, b->keys[i].name) || a->keys[i].kind != b->keys[i].kind)
			return -EINVAL;
	return 0;
}

/* An open-addressing index of a hist's entries by key. */
struct index {
	const struct ft_hist *h;
	size_t *slot; /* entry index + 1, 0 for empty */
	size_t mask;
};

/* Matching a snapshot's keys with the previous one's (ft_hist_delta()). */
struct delta_match {
	struct index ix; /* slot NULL until needed */
	size_t next; /* the entry after the last match */
	int err;
};

static int index_build(struct index *ix, const struct ft_hist *h)
{
	size_t cap = 16;

	while (cap < 2 * h->nentries)
		cap *= 2;
	ix->h = h;
	ix->mask = cap - 1;
	ix->slot = calloc(cap, sizeof(*ix->slot));
	if (!ix->slot)
		return -ENOMEM;
	for (size_t i = 0; i < h->nentries; i++) {
		size_t s = ft_key_hash(h->entries[i].keys, h->nkeys) & ix->mask;

		while (ix->slot[s])
			s = (s + 1) & ix->mask;
		ix->slot[s] = i + 1;
	}
	return 0;
}

/* The index of the entry with key @k, or -1. */
static long index_find(const struct index *ix, const struct ft_key *k)
{
	size_t s = ft_key_hash(k, ix->h->nkeys) & ix->mask;

	for (; ix->slot[s]; s = (s + 1) & ix->mask)
		if (ft_key_equal(ix->h->entries[ix->slot[s] - 1].keys, k, ix->h->nkeys))
			return (long)ix->slot[s] - 1;
	return -1;
}

static int by_abs_delta(const void *x, const void *y)
{
	const struct ft_hist_change *a = x, *b = y;
	uint64_t da = a->delta < 0 ? -(uint64_t)a->delta : (uint64_t)a->delta;
	uint64_t db = b->delta < 0 ? -(uint64_t)b->delta : (uint64_t)b->delta;

	if (da != db)
		return da > db ? -1 : 1;
	return (a->delta < b->delta) - (a->delta > b->delta);
}

static int diff_col(const struct ft_hist *h, const char *val)
{
	return val ? ft_hist_val_lookup(h, val) : ft_hist_weight_col(h);
}

static int push(struct ft_hist_diff *d, const struct ft_hist_entry *a,
		const struct ft_hist_entry *b, int64_t delta)
{
	if ((d->n & (d->n - 1)) == 0) {
		struct ft_hist_change *nv = realloc(d->v, (d->n ? 2 * d->n : 16) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		d->v = nv;
	}
	d->v[d->n++] = (struct ft_hist_change){ a, b, delta };
	return 0;
}

static int diff_walk(const struct ft_hist *a, const struct ft_hist *b, int va, int vb,
		     struct ft_hist_diff *d, const struct index *ix, bool *seen)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < b->nentries; i++) {
		const struct ft_hist_entry *e = &b->entries[i];
		long j = index_find(ix, e->keys);

		if (j < 0) {
			d->appeared++;
			ret = push(d, NULL, e, (int64_t)e->vals[vb]);
			continue;
		}
		seen[j] = true;
		if (e->vals[vb] == a->entries[j].vals[va])
			d->unchanged++;
		else
			ret = push(d, &a->entries[j], e,
				   (int64_t)(e->vals[vb] - a->entries[j].vals[va]));
	}
	for (size_t j = 0; !ret && j < a->nentries; j++) {
		if (seen[j])
			continue;
		d->disappeared++;
		ret = push(d, &a->entries[j], NULL, -(int64_t)a->entries[j].vals[va]);
	}
	return ret;
}

/**
 * ft_hist_diff() - per-key changes of one value between two hists of the same keys
 * @a: the older hist
 * @b: the newer hist
 * @val: the value column's name, NULL for hitcount (or the first plain value)
 * @out: filled; release with ft_hist_diff_release(); its entries point into @a and @b
 *
 * Return: 0, -EINVAL when the key columns differ, -ENOENT when a hist lacks the value,
 * -ENOMEM.
 */
int ft_hist_diff(const struct ft_hist *a, const struct ft_hist *b, const char *val,
		 struct ft_hist_diff *out)
{
	int va = diff_col(a, val), vb = diff_col(b, val), ret;
	struct index ix;
	bool *seen;

	memset(out, 0, sizeof(*out));
	if (ft_hist_same_keys(a, b))
		return -EINVAL;
	if (va < 0 || vb < 0)
		return -ENOENT;
	ret = index_build(&ix, a);
	if (ret)
		return ret;
	seen = calloc(a->nentries + 1, sizeof(*seen));
	ret = seen ? diff_walk(a, b, va, vb, out, &ix, seen) : -ENOMEM;
	free(seen);
	free(ix.slot);
	if (ret) {
		ft_hist_diff_release(out);
		return ret;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), by_abs_delta);
	return 0;
}

/**
 * ft_hist_diff_release() - free what ft_hist_diff() allocated (not the struct itself)
 * @d: the diff
 */
void ft_hist_diff_release(struct ft_hist_diff *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* A deep copy of key @k into @h's memory. */
static int copy_key(struct ft_hist *h, struct ft_key *dst, const struct ft_key *k)
{
	*dst = *k;
	if (k->str && !(dst->str = ft_hist_strdup(h, k->str)))
		return -ENOMEM;
	if (!k->nframes)
		return 0;
	dst->frames = ft_hist_mem(h, k->nframes * sizeof(*dst->frames));
	if (!dst->frames)
		return -ENOMEM;
	for (size_t i = 0; i < k->nframes; i++)
		if (!(dst->frames[i] = ft_hist_strdup(h, k->frames[i])))
			return -ENOMEM;
	return 0;
}

/**
 * ft_hist_copy_meta() - give @d @cur's columns, trigger, name, filter and times
 * @d: the hist to fill (its memory holds the copies)
 * @cur: where they come from
 *
 * Return: 0 or -ENOMEM.
 */
int ft_hist_copy_meta(struct ft_hist *d, const struct ft_hist *cur)
{
	d->trigger = ft_hist_strdup(d, cur->trigger);
	d->name = ft_hist_strdup(d, cur->name);
	d->filter = ft_hist_strdup(d, cur->filter);
	d->paused = cur->paused;
	d->size = cur->size;
	d->taken = cur->taken;
	d->taken_mono = cur->taken_mono;
	d->nkeys = cur->nkeys;
	d->nvals = cur->nvals;
	for (size_t i = 0; i < cur->nkeys + cur->nvals; i++) {
		const struct ft_hist_col *s =
			i < cur->nkeys ? &cur->keys[i] : &cur->vals[i - cur->nkeys];
		struct ft_hist_col *c = i < cur->nkeys ? &d->keys[i] : &d->vals[i - cur->nkeys];

		*c = *s;
		c->name = ft_hist_strdup(d, s->name);
		c->modifier = ft_hist_strdup(d, s->modifier);
		if (!c->name || !c->modifier)
			return -ENOMEM;
	}
	return d->trigger && d->name && d->filter ? 0 : -ENOMEM;
}

/* cur - prev for counters; a counter that went down means the table was cleared. */
static uint64_t since(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur;
}

/*
 * Where @prev holds key @k, or -1: the entry after the last one found (@m->next) when it has
 * @k, else the index, built on the first miss. A source lists its entries in much the same
 * order every time (the kernel's order, or the BPF map's sorted by count), so a live view's
 * deltas find nearly every key without hashing it, and may never build the index at all.
 */
static long delta_match(struct delta_match *m, const struct ft_hist *prev, const struct ft_key *k)
{
	long j;

	if (m->next < prev->nentries && ft_key_equal(prev->entries[m->next].keys, k, prev->nkeys))
		j = (long)m->next;
	else if (!m->ix.slot && (m->err = index_build(&m->ix, prev)))
		return -1;
	else
		j = index_find(&m->ix, k);
	if (j >= 0)
		m->next = (size_t)j + 1;
	return j;
}

/* The values @prev (or @past, when not NULL) had for key @k, or NULL (also on ENOMEM, in
 * @m->err). */
static const uint64_t *prev_vals(struct delta_match *m, const struct ft_hist *prev,
				 struct ft_hist_past *past, const struct ft_key *k)
{
	long j;

	if (past)
		return ft_hist_past_find(past, k, &m->err);
	j = delta_match(m, prev, k);
	return j < 0 ? NULL : prev->entries[j].vals;
}

/*
 * The rows of @d: @cur's keys (copied, or @borrow'ed: pointing to @cur's), their values since
 * @prev.
 */
static int delta_entries(struct ft_hist *d, const struct ft_hist *prev, struct ft_hist_past *past,
			 const struct ft_hist *cur, bool reset, bool borrow)
{
	size_t pn = past ? past->n : prev->nentries;
	struct delta_match m = { 0 };
	bool level[FT_HIST_MAX_VALS];
	/* borrowed keys: the values of every row in one piece, not one each */
	uint64_t *vals = borrow && d->nvals && cur->nentries
				 ? ft_hist_mem(d, cur->nentries * d->nvals * sizeof(*vals))
				 : NULL;
	int ret = borrow && d->nvals && cur->nentries && !vals ? -ENOMEM : 0;

	/* Levels (percent, graph) are copied, not subtracted. */
	for (size_t v = 0; v < d->nvals; v++)
		level[v] = !strcmp(d->vals[v].modifier, "percent") ||
			   !strcmp(d->vals[v].modifier, "graph");
	for (size_t i = 0; !ret && i < cur->nentries; i++) {
		const struct ft_hist_entry *e = &cur->entries[i];
		const uint64_t *pv = reset || !pn ? NULL : prev_vals(&m, prev, past, e->keys);
		struct ft_hist_entry *n =
			borrow ? ft_hist_add_entry_keys(d, e->keys,
							vals ? vals + i * d->nvals : NULL)
			       : ft_hist_add_entry(d);

		ret = m.err;
		if (!n)
			ret = -ENOMEM;
		for (size_t k = 0; !ret && !borrow && k < d->nkeys; k++)
			ret = copy_key(d, &n->keys[k], &e->keys[k]);
		for (size_t v = 0; !ret && v < d->nvals; v++)
			n->vals[v] = !pv || level[v] ? e->vals[v] : since(e->vals[v], pv[v]);
	}
	free(m.ix.slot);
	return ret;
}

/* ft_hist_delta() in @old's memory (ft_hist_recycle()), its keys @cur's when @borrow. */
static struct ft_hist *delta(struct ft_hist *old, const struct ft_hist *prev,
			     struct ft_hist_past *past, const struct ft_hist *cur, bool borrow)
{
	size_t pn = past ? past->n : prev->nentries;
	bool reset = cur->hits < prev->hits;
	struct ft_hist *d;
	int64_t ns;
	int ret;

	/* An older snapshot without entries has nothing to subtract, whatever kinds it gave its
	 * keys: a hist file without rows names its keys but does not show which are strings
	 * (a char array keyed without a modifier parses as a number until a row shows it). */
	if (pn && (ft_hist_same_keys(prev, cur) || prev->nvals != cur->nvals)) {
		ft_hist_free(old);
		errno = EINVAL;
		return NULL;
	}
	d = ft_hist_recycle(old, cur->event, cur->instance, cur->backend);
	if (!d)
		return NULL;
	ret = ft_hist_copy_meta(d, cur);
	if (!ret)
		ret = delta_entries(d, prev, past, cur, reset, borrow);
	if (ret) {
		ft_hist_free(d);
		errno = -ret;
		return NULL;
	}
	ns = (int64_t)(cur->taken_mono.tv_sec - prev->taken_mono.tv_sec) * 1000000000 +
	     (cur->taken_mono.tv_nsec - prev->taken_mono.tv_nsec);
	d->interval_ns = ns > 0 ? (uint64_t)ns : 0;
	d->hits = reset ? cur->hits : cur->hits - prev->hits;
	d->dropped = since(cur->dropped, reset ? 0 : prev->dropped);
	d->unindexed = since(cur->unindexed, reset ? 0 : prev->unindexed);
	d->missed = since(cur->missed, reset ? 0 : prev->missed);
	d->index_err = cur->index_err;
	d->nentries_total = cur->nentries_total;
	return d;
}

/**
 * ft_hist_delta() - what happened between two snapshots of the same hist
 * @prev: the older snapshot
 * @cur: the newer one
 *
 * The result has @cur's columns and keys; each value is @cur's minus @prev's for the same key
 * (keys new in @cur count from 0), hits and dropped likewise, and interval_ns is the
 * monotonic time between the two. When @cur has fewer hits than @prev, the kernel's table
 * was cleared in between, and @cur's values are taken whole. Percent and graph columns are
 * levels, not counters: they are copied from @cur. Handler lines are not carried.
 *
 * Return: a new hist (free with ft_hist_free()), or NULL with errno set: EINVAL when the key
 * or value columns differ (and @prev has entries), ENOMEM.
 */
struct ft_hist *ft_hist_delta(const struct ft_hist *prev, const struct ft_hist *cur)
{
	return delta(NULL, prev, NULL, cur, false);
}

/**
 * ft_hist_delta_recycle() - ft_hist_delta() whose keys are @cur's, in an old delta's memory
 * @old: a hist the caller is done with (ft_hist_recycle() reuses its memory), or NULL; taken
 *       over, also on failure
 * @prev: the older snapshot
 * @cur: the newer one
 *
 * The same numbers as ft_hist_delta(), but the entries' keys are @cur's own, not copies, so
 * the result must be freed (or recycled) before @cur is: what a live view does every
 * interval, at a fraction of the memory and none of the allocations.
 *
 * Return: the delta (free with ft_hist_free()), or NULL with errno set as ft_hist_delta()
 * sets it.
 */
struct ft_hist *ft_hist_delta_recycle(struct ft_hist *old, const struct ft_hist *prev,
				      const struct ft_hist *cur)
{
	return delta(old, prev, NULL, cur, true);
}

/**
 * ft_hist_delta_past() - ft_hist_delta_recycle() from the record of the older snapshot
 * @old: as for ft_hist_delta_recycle()
 * @past: the older snapshot's record (ft_hist_past_take()), valid
 * @cur: the newer snapshot
 *
 * The same numbers as ft_hist_delta_recycle() from the snapshot @past was taken from: a live
 * view need not keep that snapshot, only its record. @past notes how many of @cur's first
 * keys it holds, entry for entry, which recording @cur next need not pack again
 * (ft_hist_past_take()).
 *
 * Return: as ft_hist_delta_recycle().
 */
struct ft_hist *ft_hist_delta_past(struct ft_hist *old, struct ft_hist_past *past,
				   const struct ft_hist *cur)
{
	struct ft_hist *d;

	/* what ft_hist_past_find() finds in order, for the next ft_hist_past_take() of @cur */
	past->next = past->asked = past->same = 0;
	past->seen = NULL;
	d = delta(old, past->meta, past, cur, true);
	if (d)
		past->seen = cur;
	return d;
}

/**
 * ft_hist_rate() - a delta's value per second
 * @delta: from ft_hist_delta()
 * @e: one of its entries
 * @val: the value column
 *
 * Return: the rate, 0 when the interval is 0.
 */
double ft_hist_rate(const struct ft_hist *delta, const struct ft_hist_entry *e, size_t val)
{
	if (!delta->interval_ns || val >= delta->nvals)
		return 0;
	return (double)e->vals[val] * 1e9 / (double)delta->interval_ns;
}
