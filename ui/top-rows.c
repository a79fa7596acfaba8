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

/**
 * ft_top_col_known() - whether a column holds numbers measured already
 * @t: the tab
 * @c: the column
 *
 * Return: false for keys, and for the last interval's numbers before the second snapshot.
 */
bool ft_top_col_known(const struct ft_top_tab *t, const struct ft_top_col *c)
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

	if (!ft_top_col_known(t, c))
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
 * ft_top_entry_keys() - the key texts of an entry of the shown tab's newest snapshot
 * @v: the view (after ft_top_view_rows())
 * @nkeys: the snapshot's key columns
 * @e: the entry
 *
 * Return: its @nkeys key parts as text, in the view's memory.
 */
char **ft_top_entry_keys(const struct ft_top_view *v, size_t nkeys, size_t e)
{
	return &v->keytext[e * nkeys];
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

	*known = ft_top_col_known(t, c);
	if (c->kind == FT_TCOL_KEY)
		return 0; /* its cell holds the key text's width (row_cells()) */
	/* The view's own columns: worked out once by ft_top_view_rows(), in entry order. */
	if (c >= v->cols && i < v->ncols)
		return v->cells[r->e * v->ncols + i];
	return cell(t, c, r->e);
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
 * What the key texts of @h depend on besides each key's number, as one string in @sig: its
 * key columns. False when some key's text is not a function of its number and its column
 * (a string, a symbol, a process name, a stack): those are formatted every time.
 */
static bool keys_by_number(const struct ft_hist *h, char *sig, size_t size)
{
	size_t len = 0;

	for (size_t k = 0; k < h->nkeys; k++) {
		const struct ft_hist_col *c = &h->keys[k];

		if (c->kind != FT_KEY_NUM && c->kind != FT_KEY_HEX && c->kind != FT_KEY_LOG2 &&
		    c->kind != FT_KEY_BUCKET)
			return false;
		len += (size_t)snprintf(sig + len, size - len, "%s.%s/%d%d|", c->name, c->modifier,
					(int)c->kind, (int)c->is_signed);
		if (len >= size)
			return false;
	}
	return true;
}

/* What a key's text is made from, of the kinds keys_by_number() takes (a bucket's upper
 * bound follows from its lower one and its column). */
static uint64_t key_id(const struct ft_key *k)
{
	return k->kind == FT_KEY_LOG2 || k->kind == FT_KEY_BUCKET ? k->lo : k->num;
}

/* Key part @k of entry @e of @h as text at the end of @v->rowmem, its offset, width and
 * number noted. */
static int format_key(struct ft_top_view *v, const struct ft_hist *h, size_t e, size_t k,
		      size_t *len)
{
	size_t i = e * h->nkeys + k, need;
	char buf[512]; /* more than the view ever shows of a key */

	need = ft_key_format(&h->keys[k], &h->entries[e].keys[k], buf, sizeof(buf));
	need = (need < sizeof(buf) ? need : sizeof(buf) - 1) + 1;
	if (reserve(&v->rowmem, &v->rowmemcap, *len + need, 1))
		return -ENOMEM;
	memcpy(v->rowmem + *len, buf, need - 1);
	v->rowmem[*len + need - 1] = '\0';
	v->keyoff[i] = *len;
	v->keyw[i] = (uint32_t)ft_text_width(v->rowmem + *len);
	v->keynum[i] = key_id(&h->entries[e].keys[k]);
	*len += need;
	return 0;
}

/*
 * The key texts of every entry, in @v->rowmem, pointed to by @v->keytext (@v->keyoff holds
 * their offsets while @v->rowmem may still move), their widths in @v->keyw. The buffers are
 * kept from one refresh to the next: a refresh of a big table allocates nothing. Keys whose
 * text is their number's (keys_by_number()) keep the text of the last refresh when their
 * entry has the same number: only those that changed are formatted, at the end of
 * @v->rowmem, until what it holds is twice what a whole formatting left there.
 */
static int format_keys(struct ft_top_view *v, const struct ft_hist *h)
{
	size_t len = 0, n = h->nentries * h->nkeys, nk = h->nkeys;
	char sig[sizeof(v->keysig)];
	bool bynum = keys_by_number(h, sig, sizeof(sig));
	bool again = bynum && v->keyn == n && !strcmp(sig, v->keysig) &&
		     v->keylen < 2 * v->keybase + 4096;

	if (reserve(&v->keyoff, &v->keyoffcap, n + 1, sizeof(*v->keyoff)) ||
	    reserve(&v->keytext, &v->keytextcap, n + 1, sizeof(*v->keytext)) ||
	    reserve(&v->keyw, &v->keywcap, n + 1, sizeof(*v->keyw)) ||
	    reserve(&v->keynum, &v->keynumcap, n + 1, sizeof(*v->keynum)))
		return -ENOMEM;
	v->keyn = 0;
	if (again)
		len = v->keylen;
	for (size_t e = 0; e < h->nentries; e++)
		for (size_t k = 0; k < nk; k++)
			if ((!again || v->keynum[e * nk + k] != key_id(&h->entries[e].keys[k])) &&
			    format_key(v, h, e, k, &len))
				return -ENOMEM;
	if (!again)
		v->keybase = len;
	v->keylen = len;
	v->keyn = bynum ? n : 0;
	snprintf(v->keysig, sizeof(v->keysig), "%s", bynum ? sig : "");
	for (size_t i = 0; i < n; i++)
		v->keytext[i] = v->rowmem + v->keyoff[i];
	return 0;
}

/*
 * Where a column's numbers come from, worked out once a table (cell_srcs()): what cell()
 * decides for every cell.
 * @h: the hist whose value @idx each entry's number is; NULL for a key or a number not known
 *     yet (0)
 * @idx: that value, or the key part of a key column
 * @rate: the number is @h's value per second (ft_hist_rate())
 * @key: a key column: the number is its text's width
 */
struct cell_src {
	const struct ft_hist *h;
	size_t idx;
	bool rate, key;
};

static void cell_srcs(const struct ft_top_view *v, const struct ft_top_tab *t, struct cell_src *s)
{
	const struct ft_hist *acc = t->since ? t->since : t->cur;

	for (size_t c = 0; c < v->ncols; c++) {
		const struct ft_top_col *col = &v->cols[c];
		bool known = ft_top_col_known(t, col);

		s[c] = (struct cell_src){ NULL, col->idx, false, col->kind == FT_TCOL_KEY };
		if (col->kind == FT_TCOL_COUNT || col->kind == FT_TCOL_VAL)
			s[c].h = known ? acc : NULL;
		else if (col->kind == FT_TCOL_LEVEL)
			s[c].h = known ? t->cur : NULL;
		else if (col->kind != FT_TCOL_KEY)
			s[c].h = known ? t->last : NULL;
		s[c].rate = col->kind == FT_TCOL_RATE || col->kind == FT_TCOL_VALRATE;
	}
}

/*
 * Entry @e's numbers, each worked out once in the entries' order: sorting and drawing then
 * read them in @v->cells. The largest of each column (@v->colmax: the widest key text, the
 * largest number) is kept on the way, so that column widths need no pass over the sorted
 * rows, whose entries lie all over memory. The same numbers as cell(), from @s.
 */
static void row_cells(struct ft_top_view *v, const struct cell_src *s, size_t nkeys, size_t e)
{
	double *x = &v->cells[e * v->ncols];
	const uint32_t *w = &v->keyw[e * nkeys];

	for (size_t c = 0; c < v->ncols; c++) {
		uint64_t n = s[c].h ? s[c].h->entries[e].vals[s[c].idx] : 0;

		/* a rate as ft_hist_rate() works it out: known, so the interval is not 0 */
		x[c] = s[c].key	   ? (double)w[s[c].idx]
		       : s[c].rate ? (n ? (double)n * 1e9 / (double)s[c].h->interval_ns : 0)
				   : (double)n;
		if (x[c] > v->colmax[c])
			v->colmax[c] = x[c];
	}
}

/**
 * ft_top_view_rows_upto() - build a tab's columns and rows: filtered, the first @want sorted
 * @v: the view; its @cols, @ncols, @rows and @nrows are set
 * @tab: the tab
 * @want: how many rows from the first must be in order (those a screen shows, its scroll
 *        position included); the rows after them are in no order
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_rows_upto(struct ft_top_view *v, size_t tab, size_t want)
{
	struct ft_top_tab *t = &v->tabs[tab];
	const struct ft_hist *h = t->cur;
	struct cell_src src[FT_TOP_MAX_COLS];

	v->nrows = v->ncols = 0;
	if (!h)
		return 0;
	v->ncols = build_cols(h, v->cols);
	if (reserve(&v->rows, &v->rowcap, h->nentries + 1, sizeof(*v->rows)) ||
	    reserve(&v->cells, &v->cellcap, h->nentries * v->ncols + 1, sizeof(*v->cells)) ||
	    reserve(&v->order, &v->ordercap, h->nentries + 1, sizeof(*v->order)) ||
	    format_keys(v, h))
		return -ENOMEM;
	for (size_t c = 0; c < v->ncols; c++)
		v->colmax[c] = -1;
	cell_srcs(v, t, src);
	for (size_t i = 0; i < h->nentries; i++) {
		if (!row_matches(t, ft_top_entry_keys(v, h->nkeys, i), h->nkeys) || row_idle(t, i))
			continue;
		row_cells(v, src, h->nkeys, i);
		v->rows[v->nrows++].e = i;
	}
	/* the sort's records, and room for the heap of a screen (ft_top_sort() takes it below
	 * an eighth), or for the records out of order and their radix sort (sort_again()) */
	if (reserve(&v->sortrecs, &v->sortreccap,
		    v->nrows + (want < v->nrows / 8 ? want : v->nrows / 4) + 1, FT_TOP_SORT_REC))
		return -ENOMEM;
	ft_top_sort(v, t, want);
	return 0;
}

/**
 * ft_top_view_rows() - build a tab's columns and rows: filtered, sorted
 * @v: the view; its @cols, @ncols, @rows and @nrows are set
 * @tab: the tab
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_rows(struct ft_top_view *v, size_t tab)
{
	return ft_top_view_rows_upto(v, tab, SIZE_MAX);
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
			       ft_top_col_known(&v->tabs[v->tab], &v->cols[c]), buf, sizeof(buf));
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
 * ft_top_num_back() - ft_top_num()'s text of the common numbers, written backwards
 * @end: one past where the text is to end; room for 24 bytes before it (no NUL is written)
 * @v: the number
 * @frac: it is a rate: one decimal
 *
 * For batch mode's right-aligned columns: the digits go where they are shown.
 *
 * Return: the text's length, 0 (nothing written) when @v is not one of them: not below 1e12
 * (a rate: 1000), negative, not a number; ft_top_num() writes those.
 */
size_t ft_top_num_back(char *end, double v, bool frac)
{
	char *p = end;
	uint64_t n;

	if (signbit(v) || !(v < (frac ? 1000 : 1e12)))
		return 0;
	/* most cells of a big table's idle rows (no rate, nothing in the last interval) */
	if (v == 0) {
		end[-1] = '0';
		if (frac)
			memcpy(end - 3, "0.", 2);
		return frac ? 3 : 1;
	}
	n = round_scaled(v, frac ? 10 : 1);
	if (frac) {
		*--p = (char)('0' + n % 10);
		n /= 10;
		*--p = '.';
	}
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	return (size_t)(end - p);
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
