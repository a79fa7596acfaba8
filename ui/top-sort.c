// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view's rows in the table's order (pure): by the sort column, then the rate, the
 * count and the keys, as radix-sorted records; or only the first screenful of them, picked
 * through a heap, when that is all that is shown. Split from top-rows.c, which builds the
 * rows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/top.h"
#include "util.h"

struct sort_ctx {
	const struct ft_top_view *v;
	const struct ft_top_tab *t;
	int col;
	bool reverse;
	bool num0; /* key part 0 is a number: entries compare key0_num() */
	int by, rate, count; /* the columns of sort_num()'s numbers, -1 for none */
};

static int cmp_num(double a, double b)
{
	return (a > b) - (a < b);
}

/*
 * Entry @e's key part 0 as an unsigned number in the order cmp_key() gives it: sorting
 * compares it instead of reaching into the key's kind.
 */
static uint64_t key0_num(const struct sort_ctx *s, size_t e)
{
	const struct ft_hist *h = s->t->cur;
	const struct ft_key *k;
	uint64_t flip =
		h->keys[0].kind == FT_KEY_NUM && h->keys[0].is_signed ? UINT64_C(1) << 63 : 0;

	/* The number its text was made from (format_keys()), in the view's compact array: a
	 * whole table's sort reads it in the last table's order, all over the entries. */
	if (s->v->keyn)
		return s->v->keynum[e * h->nkeys] ^ flip;
	k = &h->entries[e].keys[0];
	if (h->keys[0].kind == FT_KEY_LOG2 || h->keys[0].kind == FT_KEY_BUCKET)
		return k->lo;
	return k->num ^ flip;
}

/* Keys in their natural order: numbers (and buckets) by value, the rest by text. */
static int cmp_key(const struct sort_ctx *s, size_t k, size_t a, size_t b)
{
	const struct ft_hist *h = s->t->cur;
	const struct ft_hist_col *c = &h->keys[k];
	const struct ft_key *ka, *kb;

	if (k == 0 && s->num0) {
		uint64_t x = key0_num(s, a), y = key0_num(s, b);

		return (x > y) - (x < y);
	}
	ka = &h->entries[a].keys[k];
	kb = &h->entries[b].keys[k];
	switch (c->kind) {
	case FT_KEY_NUM:
		if (c->is_signed)
			return ((int64_t)ka->num > (int64_t)kb->num) -
			       ((int64_t)ka->num < (int64_t)kb->num);
		/* fallthrough */
	case FT_KEY_HEX:
	case FT_KEY_SYM:
		return (ka->num > kb->num) - (ka->num < kb->num);
	case FT_KEY_LOG2:
	case FT_KEY_BUCKET:
		return (ka->lo > kb->lo) - (ka->lo < kb->lo);
	default:
		return strcmp(ft_top_entry_keys(s->v, h->nkeys, a)[k],
			      ft_top_entry_keys(s->v, h->nkeys, b)[k]);
	}
}

/* The numbers entries sort by: @i 0 the sort column's (0 for a key), 1 the rate, 2 the count. */
static double sort_num(const struct sort_ctx *s, size_t e, int i)
{
	int c = i == 0 ? s->by : i == 1 ? s->rate : s->count;

	return c >= 0 ? s->v->cells[e * s->v->ncols + (size_t)c] : 0;
}

/* Entries @a and @b in the table's order. */
static int cmp_entries(const struct sort_ctx *s, size_t a, size_t b)
{
	int r = 0;

	if (s->col >= 0 && s->v->cols[s->col].kind == FT_TCOL_KEY)
		r = cmp_key(s, s->v->cols[s->col].idx, a, b);
	/* Numbers from the largest; then the rate, then the count, then the keys: rows stay put. */
	for (int i = s->col >= 0 ? 0 : 1; !r && i < 3; i++)
		r = cmp_num(sort_num(s, b, i), sort_num(s, a, i));
	for (size_t i = 0; !r && i < s->v->ncols && s->v->cols[i].kind == FT_TCOL_KEY; i++)
		r = cmp_key(s, s->v->cols[i].idx, a, b);
	if (!r)
		r = (a > b) - (a < b);
	return s->reverse ? -r : r;
}

/*
 * What an entry is sorted by: the criteria cmp_entries() starts with, as three unsigned
 * numbers in the same order (reversed with the sort), radix-sorted with the entry they stand
 * for. Only entries equal in all three are compared by cmp_entries() (other keys, text keys,
 * the entry). The records are what is sorted, 32 bytes each: the rows are written once, in
 * their final order, from them.
 */
struct sort_rec {
	uint64_t o[3];
	uint64_t e;
};

_Static_assert(sizeof(struct sort_rec) == FT_TOP_SORT_REC, "top.h reserves records of this size");

/* A number as an unsigned one in the same order (counts and rates are not negative). */
static uint64_t ord_num(double x)
{
	uint64_t b;

	x += 0.0; /* -0 compares as 0 */
	memcpy(&b, &x, sizeof(b));
	return b >> 63 ? ~b : b | UINT64_C(1) << 63;
}

/* The column of kind @kind, or -1. */
static int col_of(const struct ft_top_view *v, enum ft_top_colkind kind)
{
	for (size_t i = 0; i < v->ncols; i++)
		if (v->cols[i].kind == kind)
			return (int)i;
	return -1;
}

/* A count (a double holding a uint64_t exactly) as that integer: few bytes for the radix. */
static uint64_t ord_int(double x)
{
	return x >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)x;
}

/*
 * Whether rows can sort by their count in the last interval instead of their rate: the rate
 * is that count times 1e9 over the interval all rows share, so while count * 1e9 is exact
 * (below 2^53) the two have the same order and the same ties, and the count has few bytes.
 * The largest count over the rows is in @v->colmax already.
 */
static int rate_as_last(const struct ft_top_view *v, const struct ft_top_tab *t)
{
	int rate = col_of(v, FT_TCOL_RATE);
	int last = rate >= 0 && ft_top_col_known(t, &v->cols[rate]) ? col_of(v, FT_TCOL_LAST) : -1;

	return last >= 0 && v->colmax[last] <= 9007199.0 ? last : -1;
}

/* What sort_rec_set() makes every record of, worked out once a table. */
struct rec_how {
	const struct ft_top_col *c; /* the sort column, NULL for the default order */
	int last; /* the column whose count stands for the rate (rate_as_last()), or -1 */
	bool bykey, byint;
};

static struct rec_how rec_how(const struct sort_ctx *s)
{
	const struct ft_top_col *c = s->col >= 0 ? &s->v->cols[s->col] : NULL;

	return (struct rec_how){ c, rate_as_last(s->v, s->t), c && c->kind == FT_TCOL_KEY,
				 c && c->kind != FT_TCOL_RATE && c->kind != FT_TCOL_VALRATE };
}

/* Entry @e's rate as a record orders it (before a reversal). */
static inline __attribute__((always_inline)) uint64_t rec_rate(const struct sort_ctx *s,
							       const struct rec_how *how, size_t e)
{
	const double *x = &s->v->cells[e * s->v->ncols];

	return how->last >= 0 ? ~ord_int(x[how->last]) : ~ord_num(sort_num(s, e, 1));
}

/*
 * Number @k of entry @e's record: by default the rate, the count and key part 0; by a column,
 * its number (or key part 0), the rate and the count; all 0 when cmp_entries() decides.
 */
static inline __attribute__((always_inline)) uint64_t rec_num(const struct sort_ctx *s,
							      const struct rec_how *how, size_t e,
							      int k)
{
	uint64_t o = 0;

	if (!how->c)
		o = k == 0    ? rec_rate(s, how, e)
		    : k == 1  ? ~ord_int(sort_num(s, e, 2))
		    : s->num0 ? key0_num(s, e)
			      : 0;
	else if (!how->bykey || (how->c->idx == 0 && s->num0))
		o = k == 1	 ? rec_rate(s, how, e)
		    : k == 2	 ? ~ord_int(sort_num(s, e, 2))
		    : how->bykey ? key0_num(s, e)
		    : how->byint ? ~ord_int(sort_num(s, e, 0))
				 : ~ord_num(sort_num(s, e, 0));
	return s->reverse ? ~o : o;
}

/* The record of entry @e, with its numbers. */
static inline __attribute__((always_inline)) void sort_rec_set(const struct sort_ctx *s,
							       const struct rec_how *how, size_t e,
							       struct sort_rec *rec)
{
	/* each number's own expression, inlined (a whole sort makes 131,072 records) */
	rec->e = e;
	rec->o[0] = rec_num(s, how, e, 0);
	rec->o[1] = rec_num(s, how, e, 1);
	rec->o[2] = rec_num(s, how, e, 2);
}

/* cmp_rec() of entry @e's record and @r, its numbers made only as far as they are needed:
 * most entries of a big table are told from @r by their first one or two. */
static int cmp_lazy(const struct sort_ctx *s, const struct rec_how *how, size_t e,
		    const struct sort_rec *r)
{
	for (int k = 0; k < 3; k++) {
		uint64_t o = rec_num(s, how, e, k);

		if (o != r->o[k])
			return o < r->o[k] ? -1 : 1;
	}
	return cmp_entries(s, e, r->e);
}

/* The @n records of the rows' entries, or of @order's when given, with their numbers. */
static void sort_recs(const struct sort_ctx *s, struct sort_rec *rec, size_t n,
		      const uint32_t *order)
{
	struct rec_how how = rec_how(s);

	for (size_t i = 0; i < n; i++)
		sort_rec_set(s, &how, order ? order[i] : s->v->rows[i].e, &rec[i]);
}

static int cmp_tied(const void *x, const void *y, void *arg)
{
	const struct sort_rec *a = x, *b = y;

	return cmp_entries(arg, a->e, b->e);
}

/* Records in the table's order: their numbers, then cmp_entries(). */
static int cmp_rec(const void *x, const void *y, void *arg)
{
	const struct sort_rec *a = x, *b = y;

	for (int k = 0; k < 3; k++)
		if (a->o[k] != b->o[k])
			return a->o[k] < b->o[k] ? -1 : 1;
	return cmp_entries(arg, a->e, b->e);
}

/*
 * Sort the @n records in their order: radix-sorted in @tmp (room for @n more records; NULL:
 * made here, for as long as the sort), ties by cmp_entries(). A table's records are sorted
 * whole once, then from the last order (sort_again()): the room of a whole radix sort, 4 MB
 * at 131,072 rows, is not kept for it (#21). Without that room, a comparison sort gives the
 * same order (cmp_rec() is total).
 */
static void sort_all(struct sort_rec *rec, size_t n, struct sort_rec *tmp, const struct sort_ctx *s)
{
	struct sort_rec *own = tmp ? NULL : malloc(n * sizeof(*rec) + 1);

	if (!tmp && !own) {
		qsort_r(rec, n, sizeof(*rec), cmp_rec, (void *)s);
		return;
	}
	ft_radix_sort(rec, tmp ? tmp : own, n, sizeof(*rec), 3);
	free(own);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !memcmp(rec[j].o, rec[i].o, sizeof(rec->o)); j++)
			;
		if (j - i > 1)
			qsort_r(rec + i, j - i, sizeof(*rec), cmp_tied, (void *)s);
	}
}

_Static_assert(2 * sizeof(struct ft_top_row) >= sizeof(struct sort_rec),
	       "the rows' array is room for half as many records");

/*
 * Sort the @n records whole with room @tmp for only half of them (rounded up): each half
 * sorted, then merged. The view's rows, written from the records once they are in order,
 * are that room: the first whole sort of a table of 131,072 rows then needs no 4 MB of its
 * own, which was the peak of `ftrig top`'s memory (#21).
 */
static void sort_halves(struct sort_rec *rec, size_t n, struct sort_rec *tmp,
			const struct sort_ctx *s)
{
	size_t a = n / 2, i = 0, j = a, d = 0;

	sort_all(rec, a, tmp, s);
	sort_all(rec + a, n - a, tmp, s);
	memcpy(tmp, rec, a * sizeof(*rec));
	/* from the front: the place written next, d, is never past the second half's next, j */
	while (i < a)
		rec[d++] = j < n && cmp_rec(&rec[j], &tmp[i], (void *)s) < 0 ? rec[j++] : tmp[i++];
}

/* Swap records @a and @b. */
static void rec_swap(struct sort_rec *a, struct sort_rec *b)
{
	struct sort_rec t = *a;

	*a = *b;
	*b = t;
}

/* Heap @h of @n records, the last in the order on top: move record @i down to its place. */
static void heap_down(struct sort_rec *h, size_t n, size_t i, const struct sort_ctx *s)
{
	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && cmp_rec(&h[c + 1], &h[c], (void *)s) > 0)
			c++;
		if (cmp_rec(&h[c], &h[i], (void *)s) <= 0)
			return;
		rec_swap(&h[c], &h[i]);
	}
}

/*
 * The records of the first @k of the @n rows in the table's order, in order, in @h
 * @h: room for @k records
 * @n: the rows (@s->v's, their entries set)
 * @k: how many are wanted, 1 to @n
 * @s: the order (cmp_rec(): the records' numbers, then cmp_entries(), a total order)
 *
 * For a screen showing the first rows of a big table: a row that comes after the last of
 * the best @k so far is dropped at once, told by the first numbers of its record, which is
 * not even made (most rows: by default, their rate and their count); against a whole
 * sort's passes over all the rows, and all the records written and read again (4 MB at
 * 131,072 rows, every refresh of the live view, #21). Since cmp_rec() is a total order, the
 * result is the first @k of what a sort gives.
 */
static void select_first(struct sort_rec *h, size_t n, size_t k, const struct sort_ctx *s)
{
	struct rec_how how = rec_how(s);
	struct sort_rec r;

	for (size_t i = 0; i < k; i++)
		sort_rec_set(s, &how, s->v->rows[i].e, &h[i]);
	for (size_t i = k / 2; i-- > 0;)
		heap_down(h, k, i, s);
	for (size_t i = k; i < n; i++) {
		if (cmp_lazy(s, &how, s->v->rows[i].e, &h[0]) >= 0)
			continue;
		sort_rec_set(s, &how, s->v->rows[i].e, &r);
		h[0] = r;
		heap_down(h, k, 0, s);
	}
	qsort_r(h, k, sizeof(*h), cmp_rec, (void *)s);
}

/*
 * The @n records (their numbers set), in the order of the last table, put in order from
 * there: a refresh moves few rows, so most are in order already. Records out of order with
 * the one before them go out, with that one (@rec + @n on, at most @n / 8 of them: more and
 * this gives up), are sorted, and merged back with those that stayed, which are in order:
 * a pass over the records and a small sort, against a radix sort's passes over them all.
 * False, the records in @rec in some order, when it gives up.
 */
static bool sort_again(struct sort_rec *rec, size_t n, const struct sort_ctx *s)
{
	struct sort_rec *out = rec + n;
	size_t k = 0, m = 0, limit = n / 8;

	for (size_t i = 0; i < n; i++) {
		if (!k || cmp_rec(&rec[k - 1], &rec[i], (void *)s) < 0) {
			rec[k++] = rec[i];
			continue;
		}
		if (m + 2 > limit) {
			/* [k, i] is free: the records that went out go back there */
			memcpy(rec + k, out, m * sizeof(*rec));
			return false;
		}
		out[m++] = rec[--k];
		out[m++] = rec[i];
	}
	sort_all(out, m, out + m, s);
	/* from the end (k + m is n): the place filled next, d, is never before record i */
	for (size_t i = k, j = m, d = n; j > 0;) {
		if (i && cmp_rec(&rec[i - 1], &out[j - 1], (void *)s) > 0)
			rec[--d] = rec[--i];
		else
			rec[--d] = out[--j];
	}
	return true;
}

/* Whether key part 0 is a number, which sorting then compares as key0_num(). */
static bool key0_is_num(const struct ft_hist *h)
{
	enum ft_key_kind k = h->nkeys ? h->keys[0].kind : FT_KEY_STR;

	return k == FT_KEY_NUM || k == FT_KEY_HEX || k == FT_KEY_SYM || k == FT_KEY_LOG2 ||
	       k == FT_KEY_BUCKET;
}

/**
 * ft_top_sort() - put the shown tab's rows in the table's order
 * @v: the view, its @cols and its @nrows rows set (their entries), in any order
 * @t: the tab they come from
 * @want: how many rows must be in order (a screen's worth); more than @v->nrows for all
 *
 * The rows' entries are sorted as small records in @v->sortrecs (room for a quarter more
 * than the rows, or the rows and @want),
 * and the rows written once from them in their order. When fewer than all rows are wanted
 * (the live view shows a few dozen), only the first @want are put in order: the same rows
 * as a whole sort gives there, with the rest after them in no order.
 */
void ft_top_sort(struct ft_top_view *v, struct ft_top_tab *t, size_t want)
{
	struct sort_ctx s = { v, t, t->sort, t->reverse, false, -1, -1, -1 };
	size_t n = v->nrows, nkeys = t->cur->nkeys;
	struct sort_rec *rec = v->sortrecs;
	bool again;

	if (s.col >= (int)v->ncols)
		s.col = t->sort = -1;
	if (s.col >= 0 && v->cols[s.col].kind != FT_TCOL_KEY)
		s.by = s.col;
	s.rate = col_of(v, FT_TCOL_RATE);
	s.count = col_of(v, FT_TCOL_COUNT);
	s.num0 = key0_is_num(t->cur);
	/* Every entry is a row, as at the last table: its order is where they start from. */
	again = n == t->cur->nentries && v->norder == n && want >= n / 8;
	/* a heap of @want costs more than the radix sort once it is a good part of the rows;
	 * below that, the rows after the first @want stay as they are, in no order */
	if (want < n / 8 && want) {
		select_first(rec, n, want, &s);
		for (size_t i = 0; i < want; i++)
			v->rows[i].e = rec[i].e;
	} else if (want >= n / 8) {
		sort_recs(&s, rec, n, again ? v->order : NULL);
		if (!again || !sort_again(rec, n, &s))
			sort_halves(rec, n, (struct sort_rec *)(void *)v->rows, &s);
		for (size_t i = 0; i < n; i++)
			v->rows[i].e = rec[i].e;
	}
	for (size_t i = 0; i < n; i++)
		v->rows[i].keys = ft_top_entry_keys(v, nkeys, v->rows[i].e);
	/* in order, and every entry there: the next table's start (ft_top_view_rows_upto()
	 * made room) */
	v->norder = n == t->cur->nentries && want >= n ? n : 0;
	for (size_t i = 0; i < v->norder; i++)
		v->order[i] = (uint32_t)rec[i].e;
}
