// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view's rows (pure): the columns of a tab's snapshots, the rows filtered and
 * sorted, and each cell as a number and as text. Split from top.c, the model.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hist/analyze.h"
#include "hist/cols.h"
#include "log.h"
#include "source.h"
#include "ui/top.h"
#include "util.h"

/* The columns of a snapshot's table. */
static size_t build_cols(const struct ft_hist *h, struct ft_top_col *c)
{
	int w = ft_hist_weight_col(h);
	size_t n = 0;

	for (size_t i = 0; i < h->nkeys; i++) {
		c[n] = (struct ft_top_col){ FT_TCOL_KEY, i, "" };
		/* A time says its unit: "lat.log2 (us)" (FIG-8) */
		snprintf(c[n++].title, sizeof(c->title), "%s%s%s%s%s%s", h->keys[i].name,
			 *h->keys[i].modifier ? "." : "", h->keys[i].modifier,
			 ft_hist_key_unit(h, i) ? " (" : "",
			 ft_hist_key_unit(h, i) ? ft_hist_key_unit(h, i) : "",
			 ft_hist_key_unit(h, i) ? ")" : "");
	}
	if (w >= 0) {
		bool hc = !strcmp(h->vals[w].name, "hitcount");

		c[n] = (struct ft_top_col){ FT_TCOL_COUNT, (size_t)w, "" };
		snprintf(c[n++].title, sizeof(c->title), "%s", hc ? "COUNT" : h->vals[w].name);
		c[n++] = (struct ft_top_col){ FT_TCOL_LAST, (size_t)w, "LAST" };
		c[n++] = (struct ft_top_col){ FT_TCOL_RATE, (size_t)w, "RATE/s" };
	}
	for (size_t i = 0; i < h->nvals; i++) {
		const char *m = h->vals[i].modifier;
		bool level = !strcmp(m, "percent") || !strcmp(m, "graph");

		if ((int)i == w || !h->vals[i].shown)
			continue;
		c[n] = (struct ft_top_col){ level ? FT_TCOL_LEVEL : FT_TCOL_VAL, i, "" };
		snprintf(c[n++].title, sizeof(c->title), "%s%s", h->vals[i].name,
			 !strcmp(m, "percent") ? "%" : "");
		if (level)
			continue;
		c[n] = (struct ft_top_col){ FT_TCOL_VALRATE, i, "" };
		snprintf(c[n++].title, sizeof(c->title), "%s/s", h->vals[i].name);
	}
	return n;
}

/* Whether a column holds numbers, measured already (there is no interval before the second). */
static bool col_known(const struct ft_top_tab *t, const struct ft_top_col *c)
{
	switch (c->kind) {
	case FT_TCOL_KEY:
		return false;
	case FT_TCOL_LAST:
		return t->last != NULL;
	case FT_TCOL_RATE:
	case FT_TCOL_VALRATE:
		return t->last && t->last->interval_ns;
	default:
		return true;
	}
}

/* The number in entry @e's numeric column, 0 while it is not known. */
static double cell(const struct ft_top_tab *t, const struct ft_top_col *c, size_t e)
{
	const struct ft_hist *acc = t->since ? t->since : t->cur;

	if (!col_known(t, c))
		return 0;
	switch (c->kind) {
	case FT_TCOL_COUNT:
	case FT_TCOL_VAL:
		return (double)acc->entries[e].vals[c->idx];
	case FT_TCOL_LEVEL:
		return (double)t->cur->entries[e].vals[c->idx];
	case FT_TCOL_LAST:
		return (double)t->last->entries[e].vals[c->idx];
	case FT_TCOL_RATE:
	case FT_TCOL_VALRATE:
		return ft_hist_rate(t->last, &t->last->entries[e], c->idx);
	default:
		return 0;
	}
}

/**
 * ft_top_cell() - the number in a row's numeric column of the shown tab
 * @v: the view (after ft_top_view_rows())
 * @c: the column
 * @r: the row
 * @known: set to false when the number is not measured yet (no interval) or @c is a key
 *
 * Return: the number: counts since the start (or the reset), the last interval's count, a
 * rate per second, or a level.
 */
double ft_top_cell(const struct ft_top_view *v, const struct ft_top_col *c,
		   const struct ft_top_row *r, bool *known)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];
	size_t i = (size_t)(c - v->cols);

	*known = col_known(t, c);
	if (c->kind == FT_TCOL_KEY)
		return 0; /* its cell holds the key text's width (row_cells()) */
	/* The view's own columns: worked out once by ft_top_view_rows(), in entry order. */
	if (c >= v->cols && i < v->ncols)
		return v->cells[r->e * v->ncols + i];
	return cell(t, c, r->e);
}

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

/* The @nkeys key texts of entry @e, in @v->keytext. */
static char **entry_keys(const struct ft_top_view *v, size_t nkeys, size_t e)
{
	return &v->keytext[e * nkeys];
}

/*
 * Entry @e's key part 0 as an unsigned number in the order cmp_key() gives it: sorting
 * compares it instead of reaching into the key's kind.
 */
static uint64_t key0_num(const struct ft_hist *h, size_t e)
{
	const struct ft_key *k = &h->entries[e].keys[0];

	if (h->keys[0].kind == FT_KEY_LOG2 || h->keys[0].kind == FT_KEY_BUCKET)
		return k->lo;
	if (h->keys[0].kind == FT_KEY_NUM && h->keys[0].is_signed)
		return k->num ^ (UINT64_C(1) << 63);
	return k->num;
}

/* Keys in their natural order: numbers (and buckets) by value, the rest by text. */
static int cmp_key(const struct sort_ctx *s, size_t k, size_t a, size_t b)
{
	const struct ft_hist *h = s->t->cur;
	const struct ft_hist_col *c = &h->keys[k];
	const struct ft_key *ka, *kb;

	if (k == 0 && s->num0) {
		uint64_t x = key0_num(h, a), y = key0_num(h, b);

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
		return strcmp(entry_keys(s->v, h->nkeys, a)[k], entry_keys(s->v, h->nkeys, b)[k]);
	}
}

/* Whether key part 0 is a number, which sorting then compares as key0_num(). */
static bool key0_is_num(const struct ft_hist *h)
{
	enum ft_key_kind k = h->nkeys ? h->keys[0].kind : FT_KEY_STR;

	return k == FT_KEY_NUM || k == FT_KEY_HEX || k == FT_KEY_SYM || k == FT_KEY_LOG2 ||
	       k == FT_KEY_BUCKET;
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
 * @*p holding @*cap items of @size bytes: room for @n, kept otherwise. It grows by half
 * again at least, not to the next power of two: a table of 131,072 entries asks for a few
 * more than that, which doubling would turn into twice the memory.
 */
static int reserve(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap + *cap / 2;
	void *np;

	if (n <= *cap)
		return 0;
	if (c < n)
		c = n < 64 ? 64 : n;
	np = realloc(*(void **)p, c * size);
	if (!np)
		return -ENOMEM;
	*(void **)p = np;
	*cap = c;
	return 0;
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
	int last = rate >= 0 && col_known(t, &v->cols[rate]) ? col_of(v, FT_TCOL_LAST) : -1;

	return last >= 0 && v->colmax[last] <= 9007199.0 ? last : -1;
}

/* Fill the sort numbers of the @n records, whose entries are set. */
static void sort_recs(const struct sort_ctx *s, struct sort_rec *rec, size_t n)
{
	const struct ft_top_view *v = s->v;
	const struct ft_top_col *c = s->col >= 0 ? &v->cols[s->col] : NULL;
	int last = rate_as_last(v, s->t);
	bool bykey = c && c->kind == FT_TCOL_KEY;
	bool byint = c && c->kind != FT_TCOL_RATE && c->kind != FT_TCOL_VALRATE;

	for (size_t i = 0; i < n; i++) {
		size_t e = rec[i].e;
		const double *x = &v->cells[e * v->ncols];
		uint64_t rate = last >= 0 ? ~ord_int(x[last]) : ~ord_num(sort_num(s, e, 1));
		uint64_t count = ~ord_int(sort_num(s, e, 2)), *o = rec[i].o;

		o[0] = o[1] = o[2] = 0;
		if (!c) {
			o[0] = rate, o[1] = count, o[2] = s->num0 ? key0_num(s->t->cur, e) : 0;
		} else if (!bykey) {
			o[0] = byint ? ~ord_int(sort_num(s, e, 0)) : ~ord_num(sort_num(s, e, 0));
			o[1] = rate, o[2] = count;
		} else if (c->idx == 0 && s->num0) {
			o[0] = key0_num(s->t->cur, e), o[1] = rate, o[2] = count;
		} /* else all 0: cmp_entries() decides */
		for (int k = 0; s->reverse && k < 3; k++)
			o[k] = ~o[k];
	}
}

static int cmp_tied(const void *x, const void *y, void *arg)
{
	const struct sort_rec *a = x, *b = y;

	return cmp_entries(arg, a->e, b->e);
}

/* Sort the @v->nrows records in @v->sortrecs, then write the rows in their order. */
static void sort_rows(struct ft_top_view *v, const struct sort_ctx *s)
{
	size_t n = v->nrows, nkeys = s->t->cur->nkeys;
	struct sort_rec *rec = v->sortrecs;

	sort_recs(s, rec, n);
	ft_radix_sort(rec, rec + n, n, sizeof(*rec), 3);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !memcmp(rec[j].o, rec[i].o, sizeof(rec->o)); j++)
			;
		if (j - i > 1)
			qsort_r(rec + i, j - i, sizeof(*rec), cmp_tied, (void *)s);
	}
	for (size_t i = 0; i < n; i++)
		v->rows[i] = (struct ft_top_row){ rec[i].e, entry_keys(v, nkeys, rec[i].e) };
}

/* Whether an entry passes the tab's filter: any key part contains it, ignoring case. */
static bool row_matches(const struct ft_top_tab *t, char *const *keys, size_t nkeys)
{
	if (!t->filter[0])
		return true;
	for (size_t k = 0; k < nkeys; k++)
		if (strcasestr(keys[k], t->filter))
			return true;
	return false;
}

/* Whether a row has nothing since the baseline (hidden after a reset). */
static bool row_idle(const struct ft_top_tab *t, size_t e)
{
	const struct ft_hist_entry *x;

	if (!t->since)
		return false;
	x = &t->since->entries[e];
	for (size_t i = 0; i < t->since->nvals; i++)
		if (x->vals[i] && strcmp(t->since->vals[i].modifier, "percent") &&
		    strcmp(t->since->vals[i].modifier, "graph"))
			return false;
	return true;
}

/*
 * The key texts of every entry, in @v->rowmem, pointed to by @v->keytext (@v->keyoff holds
 * their offsets while @v->rowmem may still move). The buffers are kept from one refresh to
 * the next: a refresh of a big table allocates nothing.
 */
static int format_keys(struct ft_top_view *v, const struct ft_hist *h)
{
	size_t len = 0, n = h->nentries * h->nkeys;

	if (reserve(&v->keyoff, &v->keyoffcap, n + 1, sizeof(*v->keyoff)) ||
	    reserve(&v->keytext, &v->keytextcap, n + 1, sizeof(*v->keytext)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t k = i % h->nkeys, need;
		char buf[512]; /* more than the view ever shows of a key */

		need = ft_key_format(&h->keys[k], &h->entries[i / h->nkeys].keys[k], buf,
				     sizeof(buf));
		need = (need < sizeof(buf) ? need : sizeof(buf) - 1) + 1;
		if (reserve(&v->rowmem, &v->rowmemcap, len + need, 1))
			return -ENOMEM;
		memcpy(v->rowmem + len, buf, need - 1);
		v->rowmem[len + need - 1] = '\0';
		v->keyoff[i] = len;
		len += need;
	}
	for (size_t i = 0; i < n; i++)
		v->keytext[i] = v->rowmem + v->keyoff[i];
	return 0;
}

/*
 * Entry @e's numbers, each worked out once in the entries' order: sorting and drawing then
 * read them in @v->cells. The largest of each column (@v->colmax: the widest key text, the
 * largest number) is kept on the way, so that column widths need no pass over the sorted
 * rows, whose entries lie all over memory.
 */
static void row_cells(struct ft_top_view *v, const struct ft_top_tab *t, size_t e)
{
	double *x = &v->cells[e * v->ncols];
	char *const *keys = entry_keys(v, t->cur->nkeys, e);

	for (size_t c = 0; c < v->ncols; c++) {
		const struct ft_top_col *col = &v->cols[c];

		x[c] = col->kind == FT_TCOL_KEY ? (double)ft_text_width(keys[col->idx])
						: cell(t, col, e);
		if (x[c] > v->colmax[c])
			v->colmax[c] = x[c];
	}
}

/**
 * ft_top_view_rows() - build a tab's columns and rows: filtered, sorted
 * @v: the view; its @cols, @ncols, @rows and @nrows are set
 * @tab: the tab
 *
 * The entries that pass the filter are sorted as small records, and the rows written once
 * from them in their order.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_rows(struct ft_top_view *v, size_t tab)
{
	struct ft_top_tab *t = &v->tabs[tab];
	struct sort_ctx s = { v, t, t->sort, t->reverse, false, -1, -1, -1 };
	const struct ft_hist *h = t->cur;
	struct sort_rec *rec;

	v->nrows = v->ncols = 0;
	if (!h)
		return 0;
	v->ncols = build_cols(h, v->cols);
	if (reserve(&v->rows, &v->rowcap, h->nentries + 1, sizeof(*v->rows)) ||
	    reserve(&v->cells, &v->cellcap, h->nentries * v->ncols + 1, sizeof(*v->cells)) ||
	    reserve(&v->sortrecs, &v->sortreccap, 2 * h->nentries + 1, sizeof(*rec)) ||
	    format_keys(v, h))
		return -ENOMEM;
	rec = v->sortrecs;
	for (size_t c = 0; c < v->ncols; c++)
		v->colmax[c] = -1;
	for (size_t i = 0; i < h->nentries; i++) {
		if (!row_matches(t, entry_keys(v, h->nkeys, i), h->nkeys) || row_idle(t, i))
			continue;
		row_cells(v, t, i);
		rec[v->nrows++].e = i;
	}
	if (s.col >= (int)v->ncols)
		s.col = t->sort = -1;
	if (s.col >= 0 && v->cols[s.col].kind != FT_TCOL_KEY)
		s.by = s.col;
	s.rate = col_of(v, FT_TCOL_RATE);
	s.count = col_of(v, FT_TCOL_COUNT);
	s.num0 = key0_is_num(h);
	sort_rows(v, &s);
	return 0;
}

/* Number @x of column @c as shown, "-" when not @known; the length of the whole text. */
static size_t value_text(const struct ft_top_view *v, const struct ft_top_col *c, double x,
			 bool known, char *buf, size_t size)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];

	if (!known)
		return (size_t)snprintf(buf, size, "-");
	if (c->kind == FT_TCOL_LEVEL && !strcmp(t->cur->vals[c->idx].modifier, "percent"))
		return (size_t)snprintf(buf, size, "%.2f", x / 100.0);
	return ft_top_num(buf, size, x, c->kind == FT_TCOL_RATE || c->kind == FT_TCOL_VALRATE);
}

/**
 * ft_top_cell_text() - a row's numeric column as shown ("-" while not measured yet)
 * @v: the view (after ft_top_view_rows())
 * @c: the column
 * @r: the row
 * @buf: where to write
 * @size: its size
 *
 * Return: the text's length, as snprintf() returns it; the text is ASCII, so also its width:
 * the layout needs no pass over it to right-align it.
 */
size_t ft_top_cell_text(const struct ft_top_view *v, const struct ft_top_col *c,
			const struct ft_top_row *r, char *buf, size_t size)
{
	bool known;
	double x = ft_top_cell(v, c, r, &known);

	return value_text(v, c, x, known, buf, size);
}

/**
 * ft_top_col_width() - how wide a column's cells are, its title aside
 * @v: the view (after ft_top_view_rows())
 * @c: the column's index in @v->cols
 *
 * Return: the columns of the widest key text (key columns) or of the largest number's text
 * (numbers are not negative; "-" while not measured yet) over the rows; 0 without rows.
 */
int ft_top_col_width(const struct ft_top_view *v, size_t c)
{
	char buf[64];

	if (!v->nrows)
		return 0;
	if (v->cols[c].kind == FT_TCOL_KEY)
		return (int)v->colmax[c];
	return (int)value_text(v, &v->cols[c], v->colmax[c],
			       col_known(&v->tabs[v->tab], &v->cols[c]), buf, sizeof(buf));
}

/*
 * @v * @mul rounded to the nearest integer, ties to even, from @v's exact binary value: what
 * printf's %.0f (@mul 1) and %.1f (@mul 10, the digits without the point) print, without
 * printf's arbitrary-precision path, which cost more than the rest of a row. For finite
 * 0 <= @v < 1e12 and @mul <= 10 (IEEE doubles).
 */
static uint64_t round_scaled(double v, unsigned mul)
{
	uint64_t bits, m, q, rem, half;
	int e, s;

	memcpy(&bits, &v, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (e)
		m |= UINT64_C(1) << 52;
	else
		e = 1; /* subnormal */
	m *= mul; /* below 2^57: exact */
	s = 1075 - e; /* v = m * 2^-s, and s > 12 below 1e12 */
	if (s > 63)
		return 0; /* m < 2^57 <= 2^(s-1): below one half */
	q = m >> s;
	rem = m & ((UINT64_C(1) << s) - 1);
	half = UINT64_C(1) << (s - 1);
	return q + (rem > half || (rem == half && (q & 1)));
}

/**
 * ft_top_num() - a number as the view shows it: exact up to 12 digits, then with a suffix
 * @buf: where to write
 * @size: its size
 * @v: the number
 * @frac: it is a rate: one decimal below 1000
 *
 * Exactly what snprintf's "%.1f" and "%.0f" print, faster: a table of 10,000 rows formats
 * 30,000 numbers a second.
 *
 * Return: the text's length (ASCII: its width too), as snprintf() returns it.
 */
size_t ft_top_num(char *buf, size_t size, double v, bool frac)
{
	static const char sfx[] = "KMGTPE";
	int i = 0;

	if (frac && !signbit(v) && v < 1000)
		return ft_fmt_u64(buf, size, round_scaled(v, 10), 1);
	if (!signbit(v) && v < 1e12)
		return ft_fmt_u64(buf, size, round_scaled(v, 1), 0);
	if (frac && v < 1000)
		return (size_t)snprintf(buf, size, "%.1f", v);
	if (v < 1e12)
		return (size_t)snprintf(buf, size, "%.0f", v);
	for (v /= 1000; v >= 1e9 && i < 5; v /= 1000)
		i++;
	return (size_t)snprintf(buf, size, "%.0f%c", v, sfx[i]);
}
