/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UI_TOP_H
#define FT_UI_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist/analyze.h"
#include "hist/hist.h"
#include "ui/grid.h"

/*
 * The live view's model and views, pure: successive struct ft_hist snapshots of each hist (a
 * tab) go in; rows with the cumulative count, the count in the last interval, the rate per
 * second and each value come out, sorted, filtered and scrolled, rendered into a character
 * grid (table, histogram pane, heat map, help) or as text and JSON lines for batch mode.
 * Rates come from ft_hist_delta() between snapshots: the kernel's table is never cleared.
 */

/* Keys the view understands besides printable ASCII; the curses driver maps its keys here. */
enum {
	FT_UI_KEY_UP = 0x110000,
	FT_UI_KEY_DOWN,
	FT_UI_KEY_PGUP,
	FT_UI_KEY_PGDN,
	FT_UI_KEY_HOME,
	FT_UI_KEY_END,
	FT_UI_KEY_WHEEL_UP,
	FT_UI_KEY_WHEEL_DOWN,
	FT_UI_KEY_BACKSPACE,
	FT_UI_KEY_ENTER,
	FT_UI_KEY_ESC,
	FT_UI_KEY_TAB,
	FT_UI_KEY_RESIZE,
};

/* What the driver must do after a key. */
enum ft_top_action {
	FT_TOP_NONE, /* nothing changed */
	FT_TOP_REDRAW, /* render again */
	FT_TOP_QUIT, /* leave */
	FT_TOP_INTERVAL, /* the refresh interval changed (and render again) */
	FT_TOP_RESPEC, /* a tab's spec was typed (e, n): the driver hands it to the command */
};

/* What the prompt line is typing (TOP-7). */
enum ft_top_prompt {
	FT_TOP_PROMPT_NONE,
	FT_TOP_PROMPT_EDIT, /* e: the shown tab's spec, to replace it */
	FT_TOP_PROMPT_NEW, /* n: a new tab's spec */
};

/* What a table column shows. */
enum ft_top_colkind {
	FT_TCOL_KEY, /* a key part */
	FT_TCOL_COUNT, /* the weight value (hitcount) since the start or the last reset */
	FT_TCOL_LAST, /* the weight value in the last interval */
	FT_TCOL_RATE, /* the weight value per second over the last interval */
	FT_TCOL_VAL, /* another value since the start or the last reset */
	FT_TCOL_VALRATE, /* that value per second */
	FT_TCOL_LEVEL, /* a percent or graph value: a level, shown as the kernel gives it */
};

#define FT_TOP_MAX_COLS (FT_HIST_MAX_KEYS + 3 + 2 * FT_HIST_MAX_VALS)
#define FT_TOP_HEAT_MAX 512 /* intervals the heat map remembers */
#define FT_TOP_MAX_TABS 9 /* tabs a view shows (1-9 pick them) */

/**
 * struct ft_top_col - one column of a tab's table
 * @kind: what it shows
 * @idx: the key part or value column of the hist it comes from
 * @title: its heading
 */
struct ft_top_col {
	enum ft_top_colkind kind;
	size_t idx;
	char title[48];
};

/**
 * struct ft_top_bucket - one bucket of a distribution (other key parts summed)
 * @lo: lower bound
 * @hi: upper bound, exclusive
 * @count: weight in it
 */
struct ft_top_bucket {
	uint64_t lo, hi, count;
};

/**
 * struct ft_top_heatcol - the distribution of one interval, for the heat map
 * @b: its buckets, sorted by @lo
 * @n: how many
 */
struct ft_top_heatcol {
	struct ft_top_bucket *b;
	size_t n;
};

/* What process @pid is called now: 0 with its comm in @buf, or <0 when it is gone. */
typedef int (*ft_top_comm_fn)(uint32_t pid, char *buf, size_t size, void *data);

/**
 * struct ft_top_names - the names processes had at the last look (top-names.c)
 * @e: sorted by pid
 * @n: how many
 */
struct ft_top_names {
	struct ft_top_name *e;
	size_t n;
};

/**
 * struct ft_top_tab - one hist being watched
 * @label: its name on the tab line
 * @base: the snapshot the counts start from after a reset (c), or NULL for the kernel's start
 * @cur: the newest snapshot, or NULL before the first (and while the next is built in its
 *       memory: ft_top_view_spare())
 * @past: the record of the snapshot before @cur (or of @cur, once it is handed out as the
 *        spare): what the next interval is @cur minus. The snapshot itself is not kept (#21)
 * @since: @cur minus @base (NULL without a baseline: @cur's values are the counts); its keys
 *         are @cur's
 * @last: @cur minus the snapshot before it: the last interval, or NULL; its keys are @cur's
 * @lastmem: a last interval the tab is done with, whose memory the next one is made in
 * @spare: a snapshot the tab is done with, whose memory the next one is built in, or NULL
 * @lent: @cur, while ft_top_view_spare() has handed it out (until the next push)
 * @errors: snapshots that failed
 * @error: the last failure's message, or ""
 * @heat: the last intervals' distributions of the bucket key, a ring
 * @nheat: intervals in @heat
 * @heat_next: where the next interval goes in @heat
 * @sort: the column rows are sorted by, -1 for the default (rate, then count)
 * @reverse: the sort is reversed
 * @filter: rows whose key text contains this (case-insensitive) are shown; "" for all
 * @scroll: the first row shown
 * @names: the names of its processes at the last refresh (a kernel hist's .execname keys)
 * @args: its spec as the command line gave it (EVENT --key ...), what e edits; NULL when it
 *        cannot be edited
 */
struct ft_top_tab {
	char *label;
	struct ft_hist *base, *cur, *since, *last, *lastmem, *spare, *lent;
	struct ft_hist_past past;
	unsigned long errors;
	char error[160];
	struct ft_top_heatcol heat[FT_TOP_HEAT_MAX];
	size_t nheat, heat_next;
	int sort;
	bool reverse;
	char filter[128];
	long scroll;
	struct ft_top_names names;
	char *args;
};

/**
 * struct ft_top_row - a row of the table
 * @e: the entry's index in the tab's @cur (and in @since and @last, which follow its order)
 * @keys: the key parts as text (the view's memory, until the next ft_top_view_rows())
 *
 * Small on purpose: sorting writes each row once, in its final place.
 */
struct ft_top_row {
	size_t e;
	char *const *keys;
};

/**
 * struct ft_top_view - the whole live view
 * @tabs: the hists watched
 * @ntabs: how many
 * @tab: the one shown
 * @interval_ms: the refresh interval
 * @paused: the display is frozen (the driver stops taking snapshots; the kernel counts on)
 * @pane: the histogram pane is open
 * @help: the help overlay is open
 * @editing: the filter is being typed
 * @prompt: what the prompt line is typing, if anything (e, n)
 * @prompt_text: what has been typed there
 * @status: a message for the status line (the last log message), or ""
 * @cols: the shown tab's columns (set by ft_top_view_rows())
 * @ncols: how many
 * @rows: the shown tab's rows, filtered and sorted (set by ft_top_view_rows())
 * @nrows: how many
 * @page: rows that fitted on the screen at the last render (for page up/down)
 * @rowcap: private: rows @rows has room for
 * @rowmem: private: the rows' key texts
 * @rowmemcap: private: bytes @rowmem has room for
 * @keyoff: private: where each entry's key texts start in @rowmem
 * @keyoffcap: private: offsets @keyoff has room for
 * @keytext: private: each entry's key texts, @cur's nkeys per entry (rows point into it)
 * @keytextcap: private: pointers @keytext has room for
 * @keyw: private: the columns of each of @keytext's texts
 * @keywcap: private: widths @keyw has room for
 * @keynum: private: the number each of @keytext's texts was made from
 * @keynumcap: private: numbers @keynum has room for
 * @keyn: private: key texts that can be kept when their @keynum is the same (0: none)
 * @keysig: private: the key columns those texts were made for
 * @keylen: private: bytes @rowmem holds
 * @keybase: private: bytes it held after the last formatting of every key
 * @cells: private: the numbers of the rows' entries, ncols per entry (by entry index); the
 *         width of the key text in key columns
 * @colmax: private: the largest of each column's @cells over the rows
 * @cellcap: private: numbers @cells has room for
 * @sortrecs: private: what the entries are sorted by (struct sort_rec in top-sort.c)
 * @sortreccap: private: records @sortrecs has room for
 * @order: private: the entries in the order of the last whole table of every entry, where
 *         the next one's sort starts from
 * @norder: private: how many (0: none kept)
 * @ordercap: private: entries @order has room for
 * @out: private: batch mode's text, whose memory is kept for the next table
 * @comm: what a process is called now, to show a kernel hist's .execname keys under the
 *        names processes have now (TOP-8); NULL to show them as the hist has them
 * @comm_data: passed to @comm
 */
struct ft_top_view {
	struct ft_top_tab *tabs;
	size_t ntabs, tab;
	unsigned interval_ms;
	bool paused, pane, help, editing;
	enum ft_top_prompt prompt;
	char prompt_text[256];
	char status[256];
	struct ft_top_col cols[FT_TOP_MAX_COLS];
	size_t ncols;
	struct ft_top_row *rows;
	size_t nrows, rowcap;
	int page;
	char *rowmem;
	size_t rowmemcap, *keyoff, keyoffcap;
	char **keytext;
	size_t keytextcap;
	uint32_t *keyw;
	size_t keywcap;
	uint64_t *keynum;
	size_t keynumcap, keyn;
	char keysig[512];
	size_t keylen, keybase;
	double *cells;
	size_t cellcap;
	double colmax[FT_TOP_MAX_COLS];
	void *sortrecs;
	size_t sortreccap;
	uint32_t *order;
	size_t norder, ordercap;
	struct ft_text out;
	ft_top_comm_fn comm;
	void *comm_data;
};

struct ft_top_view *ft_top_view_alloc(unsigned interval_ms);
void ft_top_view_free(struct ft_top_view *v);
int ft_top_view_add_tab(struct ft_top_view *v, const char *label);
int ft_top_view_set_args(struct ft_top_view *v, size_t tab, const char *args);
int ft_top_view_replace_tab(struct ft_top_view *v, size_t tab, const char *label);
int ft_top_view_push(struct ft_top_view *v, size_t tab, struct ft_hist *snap);
struct ft_hist *ft_top_view_spare(struct ft_top_view *v, size_t tab);
int ft_top_view_unspare(struct ft_top_view *v, size_t tab, struct ft_hist *h);
void ft_top_view_error(struct ft_top_view *v, size_t tab, const char *msg);
int ft_top_view_reset(struct ft_top_view *v, size_t tab);
int ft_top_view_totals(struct ft_top_view *v, size_t tab);
int ft_top_view_rows(struct ft_top_view *v, size_t tab);
int ft_top_view_rows_upto(struct ft_top_view *v, size_t tab, size_t want);

/*
 * What the driver calls every interval to bring the view's tabs up to date (the command
 * owns where the snapshots come from): returns how many tabs could not be refreshed, or
 * -errno.
 */
typedef int (*ft_top_refresh_fn)(struct ft_top_view *v, void *data);
/*
 * What the driver calls when a tab's spec was typed (TOP-7): replace tab @tab (or add one,
 * when @tab is the number of tabs) by what @text asks for. Returns 0, or -errno after logging
 * why (the view then stays as it was); -ENOMEM ends the view.
 */
typedef int (*ft_top_respec_fn)(struct ft_top_view *v, size_t tab, const char *text, void *data);
int ft_top_view_key(struct ft_top_view *v, int key);
int ft_top_view_render(struct ft_top_view *v, struct ft_grid *g);
int ft_top_pane_render(struct ft_top_view *v, struct ft_grid *g, int y0, int h);
int ft_top_write_text(struct ft_top_view *v, size_t tab, FILE *f);
int ft_top_write_json(struct ft_top_view *v, size_t tab, FILE *f);

/* top-text.c: batch rows a line at a time (pure). */
#define FT_TOP_GAP 2 /* blanks between columns */
void ft_top_text_how(const struct ft_top_view *v, char *how);
bool ft_top_text_row(const struct ft_top_view *v, struct ft_text *t, const int *w, int width,
		     const char *how, const struct ft_top_row *r);

/* Shared by the table and the pane (ui/top-pane.c: the buckets; ui/top-rows.c: the cells). */
size_t ft_top_buckets(const struct ft_hist *h, size_t key, size_t val, struct ft_top_bucket **out);
int ft_top_bucket_key(const struct ft_hist *h);
size_t ft_top_num(char *buf, size_t size, double v, bool frac);
size_t ft_top_num_back(char *end, double v, bool frac);
double ft_top_cell(const struct ft_top_view *v, const struct ft_top_col *c,
		   const struct ft_top_row *r, bool *known);
size_t ft_top_cell_text(const struct ft_top_view *v, const struct ft_top_col *c,
			const struct ft_top_row *r, char *buf, size_t size);
int ft_top_col_width(const struct ft_top_view *v, size_t c);
bool ft_top_col_known(const struct ft_top_tab *t, const struct ft_top_col *c);
char **ft_top_entry_keys(const struct ft_top_view *v, size_t nkeys, size_t e);

/* top-sort.c: the rows' order (pure). */
#define FT_TOP_SORT_REC 32 /* bytes of a sort record (struct sort_rec in top-sort.c) */
void ft_top_sort(struct ft_top_view *v, struct ft_top_tab *t, size_t want);

bool ft_top_drop_notice(const struct ft_top_tab *t, char *buf, size_t size);

/* top-tabs.c: the tab line (pure). */
const char *ft_top_tab_name(const char *label, char *buf, size_t size);
void ft_top_tab_window(const int *w, size_t n, size_t active, int avail, size_t *first,
		       size_t *end);
void ft_top_tabs_render(const struct ft_top_view *v, struct ft_grid *g, int y);

/* top-names.c: processes under the names they have now (pure). */
int ft_top_names_apply(struct ft_top_names *c, struct ft_hist *h, ft_top_comm_fn comm, void *data);
void ft_top_names_release(struct ft_top_names *c);

#endif
