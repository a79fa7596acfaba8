// SPDX-License-Identifier: GPL-2.0-only
/*
 * The histogram pane of the live view: for a hist with a log2 or linear-bucket key, the
 * distribution since the start (or the reset) as bars with percentiles, and below it a heat
 * map of the last intervals' distributions scrolling left as time goes on. Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hist/analyze.h"
#include "hist/cols.h"
#include "ui/top.h"

/* Heat levels, coolest to hottest; level 0 (no event) is blank. */
static const char ramp[] = " .:-=+*#%@";

static int by_lo(const void *x, const void *y)
{
	const struct ft_top_bucket *a = x, *b = y;

	return (a->lo > b->lo) - (a->lo < b->lo);
}

/* Sort @n buckets by their lower bound and add up those with the same; returns how many. */
static size_t sort_merge(struct ft_top_bucket *b, size_t n)
{
	size_t j = 0;

	if (!n)
		return 0;
	qsort(b, n, sizeof(*b), by_lo);
	for (size_t i = 1; i < n; i++) {
		if (b[i].lo == b[j].lo)
			b[j].count += b[i].count;
		else
			b[++j] = b[i];
	}
	return j + 1;
}

/**
 * ft_top_bucket_key() - the key part the histogram pane shows
 * @h: a snapshot
 *
 * Return: the first log2 or linear-bucket key part, or -1 when there is none.
 */
int ft_top_bucket_key(const struct ft_hist *h)
{
	for (size_t i = 0; h && i < h->nkeys; i++)
		if (h->keys[i].kind == FT_KEY_LOG2 || h->keys[i].kind == FT_KEY_BUCKET)
			return (int)i;
	return -1;
}

/**
 * ft_top_buckets() - a hist's distribution over one bucket key, other key parts summed
 * @h: the hist
 * @key: a log2 or bucket key part
 * @val: the value column that weighs each entry
 * @out: set to the buckets sorted by their lower bound (free()), or NULL when out of memory
 *
 * Return: how many buckets.
 */
size_t ft_top_buckets(const struct ft_hist *h, size_t key, size_t val, struct ft_top_bucket **out)
{
	struct ft_top_bucket *b = malloc((h->nentries + 1) * sizeof(*b));
	size_t n = 0;

	*out = b;
	if (!b)
		return 0;
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_key *k = &h->entries[i].keys[key];

		b[n++] = (struct ft_top_bucket){ k->lo, k->hi, h->entries[i].vals[val] };
	}
	return sort_merge(b, n);
}

/* The bucket label "lo-last" (last = hi - 1), as ft_key_format() writes buckets. */
static void bucket_label(const struct ft_top_bucket *b, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64 "-%" PRIu64, b->lo, b->hi ? b->hi - 1 : 0);
}

static void stats_line(struct ft_grid *g, int y, const struct ft_top_tab *t, size_t key, size_t w)
{
	const struct ft_hist *src = t->since ? t->since : t->cur;
	struct ft_hist_stats st;
	char p[4][32], mean[32];
	const char *a, *unit;
	int x;

	unit = ft_hist_key_unit(src, key); /* FIG-8: the pane names the unit */
	x = ft_grid_putf(g, 0, y, -1, FT_ATTR_BOLD, FT_COLOR_HEADER, "%s%s%s%s%s%s by %s since %s",
			 src->keys[key].name, *src->keys[key].modifier ? "." : "",
			 src->keys[key].modifier, unit ? " (" : "", unit ? unit : "",
			 unit ? ")" : "", src->vals[w].name, t->base ? "reset" : "start");
	if (ft_hist_stats(src, key, w, &st) || !st.count) {
		ft_grid_put(g, x, y, -1, ": no events yet", 0, 0);
		return;
	}
	a = st.exact ? "" : "~";
	ft_top_num(p[0], sizeof(p[0]), st.p50, true);
	ft_top_num(p[1], sizeof(p[1]), st.p90, true);
	ft_top_num(p[2], sizeof(p[2]), st.p99, true);
	ft_top_num(p[3], sizeof(p[3]), st.p999, true);
	ft_top_num(mean, sizeof(mean), st.mean, true);
	/* '~': interpolated within buckets (man ftrig-top). */
	ft_grid_putf(g, x, y, -1, 0, 0,
		     ": count %" PRIu64 "  p50 %s%s  p90 %s%s  p99 %s%s  p99.9 %s%s  mean %s%s",
		     st.count, a, p[0], a, p[1], a, p[2], a, p[3], a, mean);
}

/*
 * Bars of buckets @b (@n of them, sorted) in lines @y0.. . A note on a line of its own says
 * how many lower buckets (@hidden, with @hidden_count events) did not fit: the pane keeps
 * the highest buckets, the tail of a latency (TOP-2).
 */
static void bars(struct ft_grid *g, int y0, const struct ft_top_bucket *b, size_t n, size_t hidden,
		 uint64_t hidden_count)
{
	uint64_t max = 0;
	int lw = 0, bw;
	char buf[64];

	for (size_t i = 0; i < n; i++) {
		bucket_label(&b[i], buf, sizeof(buf));
		lw = (int)strlen(buf) > lw ? (int)strlen(buf) : lw;
		max = b[i].count > max ? b[i].count : max;
	}
	bw = g->w - lw - 14;
	/* Lowest on top, as bpftrace and the bcc tools print a histogram. */
	for (size_t i = 0; i < n; i++) {
		int y = y0 + (int)i, len;

		bucket_label(&b[i], buf, sizeof(buf));
		ft_grid_put(g, lw - (int)strlen(buf), y, -1, buf, 0, 0);
		ft_grid_putf(g, lw + 1, y, 12, 0, 0, "%12" PRIu64, b[i].count);
		len = max && bw > 0 ? (int)((b[i].count * (uint64_t)bw + max - 1) / max) : 0;
		ft_grid_fill(g, lw + 14, y, len, FT_BAR_CHAR, 0, FT_COLOR_BAR);
	}
	if (hidden)
		ft_grid_putf(g, 0, y0 + (int)n, -1, FT_ATTR_DIM, 0,
			     "(%zu lower bucket%s not shown: %" PRIu64 " events)", hidden,
			     hidden == 1 ? "" : "s", hidden_count);
}

/* The interval @age steps before the newest (0 = newest) in the ring, or NULL. */
static const struct ft_top_heatcol *heat_col(const struct ft_top_tab *t, size_t age)
{
	if (age >= t->nheat)
		return NULL;
	return &t->heat[(t->heat_next + FT_TOP_HEAT_MAX - 1 - age) % FT_TOP_HEAT_MAX];
}

static uint64_t heat_count(const struct ft_top_heatcol *c, uint64_t lo)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->b[i].lo == lo)
			return c->b[i].count;
	return 0;
}

static uint8_t heat_color(int level)
{
	return level <= 2   ? FT_COLOR_HEAT1
	       : level <= 4 ? FT_COLOR_HEAT2
	       : level <= 7 ? FT_COLOR_HEAT3
			    : FT_COLOR_HEAT4;
}

/* The heat map of buckets @b (@n, sorted; the same as the bars) from line @y0: one line per
 * bucket (highest on top), one column per interval (newest at the right), darker for more
 * events. */
static void heat(struct ft_grid *g, int y0, const struct ft_top_tab *t,
		 const struct ft_top_bucket *b, size_t n)
{
	size_t cols = (size_t)(g->w > 20 ? g->w - 20 : 1);
	uint64_t max = 0;
	char buf[64];
	int lw = 0;

	for (size_t i = 0; i < n; i++) {
		bucket_label(&b[i], buf, sizeof(buf));
		lw = (int)strlen(buf) > lw ? (int)strlen(buf) : lw;
		for (size_t a = 0; a < cols && heat_col(t, a); a++)
			max = heat_count(heat_col(t, a), b[i].lo) > max
				      ? heat_count(heat_col(t, a), b[i].lo)
				      : max;
	}
	ft_grid_putf(g, 0, y0, -1, FT_ATTR_BOLD, FT_COLOR_HEADER,
		     "heat map: %zu intervals, newest at the right; '@' = %" PRIu64 " per interval",
		     t->nheat < cols ? t->nheat : cols, max);
	for (size_t i = 0; i < n; i++) {
		int y = y0 + 1 + (int)(n - 1 - i);

		bucket_label(&b[i], buf, sizeof(buf));
		ft_grid_put(g, lw - (int)strlen(buf), y, -1, buf, 0, 0);
		for (size_t a = 0; a < cols && heat_col(t, a); a++) {
			uint64_t c = heat_count(heat_col(t, a), b[i].lo);
			int level = c && max ? 1 + (int)((c * 8 + max - 1) / max) : 0;

			level = level > 9 ? 9 : level;
			ft_grid_fill(g, lw + 1 + (int)(cols - 1 - a), y, 1, (uint32_t)ramp[level],
				     0, level ? heat_color(level) : 0);
		}
	}
}

/**
 * ft_top_pane_render() - the histogram pane of the shown tab
 * @v: the view
 * @g: the grid
 * @y0: first line of the pane
 * @h: lines it may take
 *
 * A stats line (count, p50, p90, p99, p99.9, mean since the start or the reset), the bars,
 * and the heat map of the last intervals in the lower half once two snapshots were taken.
 * A hist without a log2 or bucket key gets a line saying how to ask for one.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_pane_render(struct ft_top_view *v, struct ft_grid *g, int y0, int h)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];
	int key = ft_top_bucket_key(t->cur), w = t->cur ? ft_hist_weight_col(t->cur) : -1;
	struct ft_top_bucket *b;
	uint64_t hidden = 0;
	size_t nb, n;
	int hh, room;

	if (key < 0 || w < 0) {
		ft_grid_put(g, 0, y0, -1,
			    "no log2 or bucket key in this hist: watch one with --key FIELD.log2 "
			    "or --key FIELD.buckets=N (h closes this pane)",
			    FT_ATTR_BOLD, FT_COLOR_WARN);
		return 0;
	}
	stats_line(g, y0, t, (size_t)key, (size_t)w);
	nb = ft_top_buckets(t->since ? t->since : t->cur, (size_t)key, (size_t)w, &b);
	if (!b)
		return -ENOMEM;
	/* The bars and the heat map show the same buckets (TOP-2 c): as many as the smaller
	 * of them has lines for, the highest ones, a line kept for the note of the others. */
	hh = t->nheat ? (h - 1) / 2 : 0;
	room = h - 1 - hh - (hh ? 1 : 0);
	if (hh > 1 && hh - 1 < room)
		room = hh - 1;
	n = nb <= (size_t)(room > 0 ? room : 0) ? nb : (size_t)(room > 1 ? room - 1 : 0);
	for (size_t i = 0; i < nb - n; i++)
		hidden += b[i].count;
	bars(g, y0 + 1, b + (nb - n), n, nb - n, hidden);
	if (hh > 1)
		heat(g, y0 + h - hh, t, b + (nb - n), n);
	free(b);
	return 0;
}
