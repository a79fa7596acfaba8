// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view's screens, rendered into a character grid: header, tab line, the table of
 * rows (top-N fitting the screen, scrolled, long keys truncated), status line and help; and
 * the same table as text or JSON lines for batch mode. Pure but for the stream given to the
 * batch writers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "hist/export-json.h"
#include "json.h"
#include "ui/top.h"
#include "util.h"

#define GAP FT_TOP_GAP /* blanks between columns (top.h) */
#define KEY_MIN 8 /* key columns are not truncated below this */
#define KEY_MAX 240 /* nor shown wider than this, even in batch mode */

static const char *const help_text[] = {
	"ftrig top: keys",
	"",
	"s       sort by the next column (the status line names it)",
	"r       reverse the sort",
	"/       filter rows by key text (Enter keeps, Esc clears)",
	"space   pause the display (the kernel keeps counting)",
	"c       count from now on (the kernel table is kept)",
	"C       back to the totals since the start",
	"tab 1-9 next hist, hist N",
	"e       change this hist: event, keys, filter (as typed",
	"        after 'ftrig top'); n a new one; ^U clears",
	"h       histogram pane (log2 or bucket keys)",
	"+ -     longer, shorter refresh interval",
	"arrows PgUp PgDn Home End wheel: scroll",
	"?       this help (any key closes it); q quit",
	"header: drops = events the table had no room for,",
	"        errors = snapshots that failed (the status",
	"        line says why)",
};

/* Widths of the columns: numbers as wide as their widest cell, keys as wide as allowed. */
static void col_widths(const struct ft_top_view *v, int *w, int avail)
{
	int total = 0, nkeys = 0;

	for (size_t c = 0; c < v->ncols; c++) {
		const struct ft_top_col *col = &v->cols[c];
		int n = ft_top_col_width(v, c);

		w[c] = (int)ft_text_width(col->title);
		w[c] = n > w[c] ? n : w[c];
		if (col->kind == FT_TCOL_KEY) {
			w[c] = w[c] > KEY_MAX ? KEY_MAX : w[c];
			nkeys++;
		}
		total += w[c] + (c ? GAP : 0);
	}
	/* Too wide: take from the widest key column, down to KEY_MIN. */
	while (avail > 0 && total > avail) {
		size_t widest = 0;

		for (size_t c = 1; c < v->ncols; c++)
			if (v->cols[c].kind == FT_TCOL_KEY && w[c] > w[widest])
				widest = c;
		if (!nkeys || v->cols[widest].kind != FT_TCOL_KEY || w[widest] <= KEY_MIN)
			break;
		w[widest]--;
		total--;
	}
}

/*
 * Where the header and the table are laid out: the screen's grid, or in batch mode text
 * lines written straight into one buffer (@t set, @y ignored), which spares a grid cell per
 * character of every row. Attributes and colours only matter on the grid.
 */
struct canvas {
	struct ft_grid *g;
	struct ft_text *t;
};

static int cv_put(struct canvas *cv, int x, int y, int maxw, const char *s, uint8_t attr,
		  uint8_t color)
{
	return cv->t ? ft_text_put(cv->t, x, maxw, s)
		     : ft_grid_put(cv->g, x, y, maxw, s, attr, color);
}

static int cv_putf(struct canvas *cv, int x, int y, uint8_t attr, uint8_t color, const char *fmt,
		   ...) __attribute__((format(printf, 6, 7)));
static int cv_putf(struct canvas *cv, int x, int y, uint8_t attr, uint8_t color, const char *fmt,
		   ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cv_put(cv, x, y, -1, buf, attr, color);
}

static void cv_style(struct canvas *cv, int x, int y, int n, uint8_t attr, uint8_t color)
{
	if (!cv->t)
		ft_grid_style(cv->g, x, y, n, attr, color);
}

/* Text @n columns wide in @w columns, cut with a '~' at the end when longer. */
static void put_cut_n(struct canvas *cv, int x, int y, int w, const char *s, int n, uint8_t attr,
		      uint8_t color)
{
	if (n <= w) {
		cv_put(cv, x, y, w, s, attr, color);
		return;
	}
	cv_put(cv, x, y, w - 1, s, attr, color);
	if (cv->t)
		ft_text_fill(cv->t, x + w - 1, 1, '~');
	else
		ft_grid_fill(cv->g, x + w - 1, y, 1, '~', attr, color);
}

/* Text in @w columns, cut with a '~' at the end when longer. */
static void put_cut(struct canvas *cv, int x, int y, int w, const char *s, uint8_t attr,
		    uint8_t color)
{
	put_cut_n(cv, x, y, w, s, (int)ft_text_width(s), attr, color);
}

/* Text @n columns wide right-aligned in @w columns. */
static void put_right_n(struct canvas *cv, int x, int y, int w, const char *s, int n, uint8_t attr,
			uint8_t color)
{
	cv_put(cv, x + (n < w ? w - n : 0), y, w, s, attr, color);
}

/* Text right-aligned in @w columns. */
static void put_right(struct canvas *cv, int x, int y, int w, const char *s, uint8_t attr,
		      uint8_t color)
{
	put_right_n(cv, x, y, w, s, (int)ft_text_width(s), attr, color);
}

static void table_titles(const struct ft_top_view *v, struct canvas *cv, const int *w, int y)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];
	int x = 0;

	cv_style(cv, 0, y, -1, FT_ATTR_REVERSE, FT_COLOR_HEADER);
	for (size_t c = 0; c < v->ncols; c++) {
		bool sorted = t->sort == (int)c;
		uint8_t a = FT_ATTR_REVERSE | (sorted ? FT_ATTR_BOLD | FT_ATTR_UNDERLINE : 0);

		if (v->cols[c].kind == FT_TCOL_KEY)
			put_cut(cv, x, y, w[c], v->cols[c].title, a, FT_COLOR_HEADER);
		else
			put_right(cv, x, y, w[c], v->cols[c].title, a, FT_COLOR_HEADER);
		if (sorted)
			cv_style(cv, x, y, w[c], a, FT_COLOR_SORTED);
		x += w[c] + GAP;
	}
}

/*
 * One row. Every width is known without a pass over the text: a key's is in the row's cells
 * (ft_top_view_rows() measured it), a number's is its length (ASCII).
 */
static void table_row(const struct ft_top_view *v, struct canvas *cv, const int *w, int y,
		      const struct ft_top_row *r)
{
	const double *cells = &v->cells[r->e * v->ncols];
	char buf[64];
	int x = 0;

	for (size_t c = 0; c < v->ncols; c++) {
		const struct ft_top_col *col = &v->cols[c];

		if (col->kind == FT_TCOL_KEY) {
			put_cut_n(cv, x, y, w[c], r->keys[col->idx], (int)cells[c], 0, 0);
		} else {
			size_t n = ft_top_cell_text(v, col, r, buf, sizeof(buf));

			put_right_n(cv, x, y, w[c], buf,
				    n < sizeof(buf) ? (int)n : (int)sizeof(buf) - 1, 0, 0);
		}
		x += w[c] + GAP;
	}
}

/* @rows rows fit: the page size, and the scroll position clamped so the last page is full. */
static void set_page(struct ft_top_view *v, int rows)
{
	struct ft_top_tab *t = &v->tabs[v->tab];
	long max;

	v->page = rows > 0 ? rows : 0;
	max = (long)v->nrows - v->page;
	if (t->scroll > max)
		t->scroll = max;
	if (t->scroll < 0)
		t->scroll = 0;
}

/*
 * The table on the screen: titles on line @y0, then as many rows as fit in @h - 1 lines from
 * the tab's scroll position, key columns cut to the width. Only those rows are laid out.
 */
static void table_render(struct ft_top_view *v, struct ft_grid *g, int y0, int h)
{
	struct canvas cv = { .g = g };
	long first;
	int w[FT_TOP_MAX_COLS];

	col_widths(v, w, g->w);
	table_titles(v, &cv, w, y0);
	set_page(v, h - 1);
	first = v->tabs[v->tab].scroll;
	for (int i = 0; i < v->page && first + i < (long)v->nrows; i++)
		table_row(v, &cv, w, y0 + 1 + i, &v->rows[first + i]);
}

/* "1s", "250ms": an interval as the header shows it. */
static void interval_text(char *buf, size_t size, unsigned ms)
{
	if (ms % 1000)
		snprintf(buf, size, "%ums", ms);
	else
		snprintf(buf, size, "%us", ms / 1000);
}

/* One item of the header, whole or not at all: a narrow screen drops the last items rather
 * than cut one mid-word (TOP-7). Returns the new column. */
static int header_item(struct canvas *cv, int x, int y, uint8_t color, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int header_item(struct canvas *cv, int x, int y, uint8_t color, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (cv->g && x + (int)ft_text_width(buf) > cv->g->w)
		return cv->g->w;
	return x + cv_put(cv, x, y, -1, buf, 0, color);
}

static void header(const struct ft_top_view *v, struct canvas *cv, int y)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];
	const struct ft_hist *h = t->cur;
	char iv[16], rate[32] = "-";
	int x = 0;

	interval_text(iv, sizeof(iv), v->interval_ms);
	/* Events counted: the kernel's hits include those it had no room for (TOP-1). */
	if (t->last && t->last->interval_ns)
		ft_top_num(rate, sizeof(rate),
			   (double)(t->last->hits - t->last->dropped) * 1e9 /
				   (double)t->last->interval_ns,
			   true);
	x += cv_put(cv, x, y, -1, "ftrig top  ", FT_ATTR_BOLD, FT_COLOR_HEADER);
	/* First, so that no width cuts it off. */
	if (v->paused)
		x += cv_put(cv, x, y, -1, "PAUSED", FT_ATTR_BOLD | FT_ATTR_REVERSE, FT_COLOR_WARN) +
		     2;
	if (!h) {
		cv_putf(cv, x, y, 0, 0, "%s  (waiting for the first snapshot)", t->label);
		return;
	}
	x += cv_putf(cv, x, y, FT_ATTR_BOLD, FT_COLOR_HEADER, "%s%s%s", h->event,
		     *h->instance ? "@" : "", h->instance);
	x = header_item(cv, x, y, 0, "  %s", h->backend);
	x = header_item(cv, x, y, 0, "  every %s", iv);
	x = header_item(cv, x, y, 0, "  hits/s %s", rate);
	x = header_item(cv, x, y, 0, "  entries %" PRIu64 "%s",
			h->nentries_total ? h->nentries_total : h->nentries,
			h->paused ? " (trigger paused)" : "");
	x = header_item(cv, x, y, h->dropped ? FT_COLOR_WARN : 0, "  drops %" PRIu64, h->dropped);
	header_item(cv, x, y, t->errors ? FT_COLOR_WARN : 0, "  errors %lu", t->errors);
}

static void status_line(const struct ft_top_view *v, struct ft_grid *g, int y)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];
	const char *msg = v->status[0] ? v->status : t->error;
	int x = 0;

	if (v->editing) {
		x = ft_grid_putf(g, 0, y, -1, FT_ATTR_BOLD, 0, "filter: %s", t->filter);
		ft_grid_fill(g, x, y, 1, '_', FT_ATTR_REVERSE, 0);
		return;
	}
	if (v->prompt) {
		x = ft_grid_putf(g, 0, y, -1, FT_ATTR_BOLD, 0, "%s (Enter, Esc): %s",
				 v->prompt == FT_TOP_PROMPT_EDIT ? "tab" : "new tab",
				 v->prompt_text);
		ft_grid_fill(g, x, y, 1, '_', FT_ATTR_REVERSE, 0);
		return;
	}
	if (*msg)
		x += ft_grid_putf(g, x, y, -1, FT_ATTR_BOLD, FT_COLOR_WARN, "%s  ", msg);
	if (t->sort >= 0 && t->sort < (int)v->ncols)
		x += ft_grid_putf(g, x, y, -1, 0, 0, "sort %s %s", v->cols[t->sort].title,
				  (v->cols[t->sort].kind == FT_TCOL_KEY) != t->reverse ? "asc"
										       : "desc");
	else
		x += ft_grid_putf(g, x, y, -1, 0, 0, "sort RATE/s %s", t->reverse ? "asc" : "desc");
	if (t->filter[0])
		x += ft_grid_putf(g, x, y, -1, FT_ATTR_BOLD, 0, "  filter '%s'", t->filter);
	if (t->base)
		x += ft_grid_put(g, x, y, -1, "  since reset (C: totals)", 0, 0);
	if (v->pane) {
		ft_grid_put(g, x, y, -1, "  h closes the histogram  ? help  q quit", FT_ATTR_DIM,
			    0);
		return;
	}
	x += ft_grid_putf(g, x, y, -1, 0, 0, "  rows %ld-%ld of %zu", v->nrows ? t->scroll + 1 : 0,
			  t->scroll + (long)(v->page < (int)v->nrows ? v->page : (int)v->nrows),
			  v->nrows);
	/* The keys that do something here, and what s sorts by next so that nobody cycles
	 * blind (TOP-7); h only with a log2 or bucket key. */
	ft_grid_putf(g, x, y, -1, FT_ATTR_DIM, 0, "  s sort by %s  / filter%s  ? help  q quit",
		     v->ncols ? v->cols[t->sort + 1 >= (int)v->ncols ? 0 : t->sort + 1].title : "-",
		     ft_top_bucket_key(t->cur) >= 0 ? "  h histogram" : "");
}

static void help_render(struct ft_grid *g)
{
	int n = (int)FT_ARRAY_SIZE(help_text), w = 0, x0, y0;

	for (int i = 0; i < n; i++)
		w = (int)strlen(help_text[i]) > w ? (int)strlen(help_text[i]) : w;
	w += 4;
	x0 = g->w > w ? (g->w - w) / 2 : 0;
	y0 = g->h > n + 2 ? (g->h - n - 2) / 2 : 0;
	for (int i = 0; i < n + 2; i++) {
		ft_grid_fill(g, x0, y0 + i, w, ' ', FT_ATTR_REVERSE, FT_COLOR_HEADER);
		if (i > 0 && i <= n)
			ft_grid_put(g, x0 + 2, y0 + i, w - 4, help_text[i - 1],
				    FT_ATTR_REVERSE | (i == 1 ? FT_ATTR_BOLD : 0), FT_COLOR_HEADER);
	}
}

/**
 * ft_top_view_render() - draw the shown tab into a grid the size of the screen
 * @v: the view
 * @g: the grid; cleared first
 *
 * Line 0 is the header, line 1 the tabs, the last line the status; between them the table,
 * or the histogram pane when it is open; the help box over all when asked.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_render(struct ft_top_view *v, struct ft_grid *g)
{
	struct canvas cv = { .g = g };
	char note[256];
	int ret = 0, lines;
	size_t scroll;
	bool lost;

	ft_grid_clear(g);
	if (!v->ntabs)
		return 0;
	/* Lost events are said above the status line, on a line of their own (TOP-1). */
	lost = ft_top_drop_notice(&v->tabs[v->tab], note, sizeof(note));
	lines = g->h - 3 - (lost ? 1 : 0);
	/* Only the rows the screen shows need their order: those up to the scroll position
	 * and a table's height (titles aside) below it. */
	scroll = v->tabs[v->tab].scroll > 0 ? (size_t)v->tabs[v->tab].scroll : 0;
	ret = ft_top_view_rows_upto(v, v->tab, scroll + (size_t)(lines > 1 ? lines - 1 : 0));
	header(v, &cv, 0);
	ft_top_tabs_render(v, g, 1);
	if (!ret && v->tabs[v->tab].cur) {
		if (v->pane)
			ret = ft_top_pane_render(v, g, 2, lines);
		else
			table_render(v, g, 2, lines);
	}
	if (lost)
		ft_grid_put(g, 0, g->h - 2, -1, note, FT_ATTR_BOLD, FT_COLOR_WARN);
	status_line(v, g, g->h - 1);
	if (v->help)
		help_render(g);
	return ret;
}

#define TEXT_CHUNK (64 * 1024) /* batch text is written in pieces of about this size */

/* Write the whole lines @t holds to @f, and empty it: 0, its -ENOMEM, or -EIO. */
static int text_flush(struct ft_text *t, FILE *f)
{
	if (t->err)
		return t->err;
	if (t->len && fwrite(t->buf, 1, t->len, f) != t->len)
		return -EIO;
	t->len = t->end = 0;
	return 0;
}

/**
 * ft_top_write_text() - a tab's header and whole table as text (batch mode)
 * @v: the view
 * @tab: the tab
 * @f: where to write
 *
 * Every row is written, keys cut only beyond KEY_MAX columns, then an empty line. The lines
 * are those a grid as wide as the table (160 columns at least) would show; they are laid out
 * straight into a buffer, kept in @v for the next call, and written each TEXT_CHUNK bytes:
 * the text of 131,072 rows is never all in memory.
 *
 * Return: 0, -ENOMEM, or -EIO when @f failed.
 */
int ft_top_write_text(struct ft_top_view *v, size_t tab, FILE *f)
{
	struct canvas cv = { .t = &v->out };
	int w[FT_TOP_MAX_COLS], width = 0, ret;
	char note[256], how[FT_TOP_MAX_COLS];

	v->tab = tab;
	ret = ft_top_view_rows(v, tab);
	if (ret || !v->tabs[tab].cur)
		return ret;
	col_widths(v, w, 0);
	for (size_t c = 0; c < v->ncols; c++)
		width += w[c] + GAP;
	ft_text_reset(cv.t, width < 160 ? 160 : width);
	v->tabs[tab].scroll = 0;
	set_page(v, (int)v->nrows);
	header(v, &cv, 0);
	ft_text_newline(cv.t);
	if (ft_top_drop_notice(&v->tabs[tab], note, sizeof(note))) {
		cv_put(&cv, 0, 0, -1, note, 0, 0);
		ft_text_newline(cv.t);
	}
	table_titles(v, &cv, w, 0);
	ft_text_newline(cv.t);
	ft_top_text_how(v, how);
	for (size_t r = 0; !ret && r < v->nrows; r++) {
		if (!ft_top_text_row(v, cv.t, w, width, how, &v->rows[r])) {
			table_row(v, &cv, w, 0, &v->rows[r]);
			ft_text_newline(cv.t);
		}
		if (cv.t->len >= TEXT_CHUNK)
			ret = text_flush(cv.t, f);
	}
	ft_text_newline(cv.t);
	ret = ret ?: text_flush(cv.t, f);
	if (ret)
		return ret;
	return fflush(f) || ferror(f) ? -EIO : 0;
}

/* A rate to 6 significant digits: the timer's jitter leaves no more (FIG-9: 3.97799, not
 * 3.977989157469435). */
static double rate6(double x)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.6g", x);
	return strtod(buf, NULL);
}

/* "units": {"lat.log2": "us"} for the keys that are times (FIG-8), none when there is none. */
static void json_units(struct ft_json *j, const struct ft_hist *h)
{
	char name[128];
	bool any = false;

	for (size_t k = 0; k < h->nkeys; k++) {
		if (!ft_hist_key_unit(h, k))
			continue;
		if (!any)
			ft_json_begin_obj(j, "units");
		any = true;
		snprintf(name, sizeof(name), "%s%s%s", h->keys[k].name,
			 *h->keys[k].modifier ? "." : "", h->keys[k].modifier);
		ft_json_str(j, name, ft_hist_key_unit(h, k));
	}
	if (any)
		ft_json_end(j, '}');
}

static void json_row(struct ft_json *j, const struct ft_top_view *v, const struct ft_top_row *r)
{
	static const char *const names[] = {
		[FT_TCOL_COUNT] = "count", [FT_TCOL_LAST] = "last", [FT_TCOL_RATE] = "rate"
	};
	const struct ft_hist *h = v->tabs[v->tab].cur;
	char kname[128];

	ft_json_begin_obj(j, NULL);
	ft_json_begin_obj(j, "key");
	for (size_t k = 0; k < h->nkeys; k++) { /* typed as in hist dump (FIG-9) */
		snprintf(kname, sizeof(kname), "%s%s%s", h->keys[k].name,
			 *h->keys[k].modifier ? "." : "", h->keys[k].modifier);
		ft_hist_json_key(j, kname, &h->keys[k], &h->entries[r->e].keys[k]);
	}
	ft_json_end(j, '}');
	for (size_t c = 0; c < v->ncols; c++) {
		const struct ft_top_col *col = &v->cols[c];
		const char *name = col->kind < FT_ARRAY_SIZE(names) && names[col->kind]
					   ? names[col->kind]
					   : col->title;
		bool known;
		double x = ft_top_cell(v, col, r, &known);

		if (col->kind == FT_TCOL_KEY)
			continue;
		if (!known)
			ft_json_null(j, name);
		else if (col->kind == FT_TCOL_RATE || col->kind == FT_TCOL_VALRATE)
			ft_json_double(j, name, rate6(x));
		else
			ft_json_uint(j, name, (uint64_t)x);
	}
	ft_json_end(j, '}');
}

/**
 * ft_top_write_json() - a tab's table as one JSON line (batch mode with --json)
 * @v: the view
 * @tab: the tab
 * @f: where to write
 *
 * One object: time (seconds since the epoch), event, instance, backend, interval (seconds,
 * null before the second snapshot), hits, hits_per_s, dropped, entries, and rows as the table
 * sorts and filters them: key (column -> its part, typed as in hist dump), count, last, rate, then each other value and
 * its rate under the column titles. Numbers not measured yet are null.
 *
 * Return: 0, -ENOMEM, or -EIO when @f failed.
 */
int ft_top_write_json(struct ft_top_view *v, size_t tab, FILE *f)
{
	const struct ft_top_tab *t = &v->tabs[tab];
	struct ft_json j;
	int ret;

	v->tab = tab;
	ret = ft_top_view_rows(v, tab);
	if (ret || !t->cur)
		return ret;
	ft_json_init(&j, f, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_double(&j, "time", (double)t->cur->taken.tv_sec + t->cur->taken.tv_nsec / 1e9);
	ft_json_str(&j, "event", t->cur->event);
	ft_json_str(&j, "instance", t->cur->instance);
	ft_json_str(&j, "backend", t->cur->backend);
	if (t->last && t->last->interval_ns) {
		ft_json_double(&j, "interval", (double)t->last->interval_ns / 1e9);
		ft_json_uint(&j, "hits", t->last->hits);
		ft_json_double(&j, "hits_per_s",
			       rate6((double)t->last->hits * 1e9 / (double)t->last->interval_ns));
	} else {
		ft_json_null(&j, "interval");
		ft_json_uint(&j, "hits", t->cur->hits);
		ft_json_null(&j, "hits_per_s");
	}
	ft_json_uint(&j, "dropped", t->cur->dropped);
	ft_json_uint(&j, "entries", t->cur->nentries);
	json_units(&j, t->cur);
	ft_json_begin_arr(&j, "rows");
	for (size_t r = 0; r < v->nrows; r++)
		json_row(&j, v, &v->rows[r]);
	ft_json_end(&j, ']');
	ft_json_end(&j, '}'); /* the outermost end writes the newline */
	return fflush(f) || ferror(f) ? -EIO : 0;
}
