// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view without a terminal: snapshots (parsed from the 6.1 kernel's hist files, and
 * built by hand where time must pass) are rendered into a character grid, and the tests read
 * the grid: rows, rates, sorting, filtering, truncated keys, scrolling, the histogram pane and
 * the heat map, the keys, and the batch text and JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faketfs.h"
#include "hist/analyze.h"
#include "hist/parse.h"
#include "source.h"
#include "top-source.h"
#include "ui/grid.h"
#include "ui/top.h"
#include "util.h"

/* The first hist of a captured hist file, taken at @sec seconds (monotonic). */
static struct ft_hist *fixture_hist(const char *name, const char *event, long sec)
{
	char path[128], *text;
	struct ft_hist **v = NULL, *h;
	size_t n = 0;

	snprintf(path, sizeof(path), "vm-6.1/hist/%s.hist", name);
	text = fixture_read(path);
	assert_non_null(text);
	assert_int_equal(ft_hist_parse(text, strlen(text), event, "", &v, &n), 0);
	assert_true(n >= 1);
	h = v[0];
	for (size_t i = 1; i < n; i++)
		ft_hist_free(v[i]);
	free(v);
	free(text);
	h->taken_mono = (struct timespec){ sec, 0 };
	h->taken = (struct timespec){ 1700000000 + sec, 0 };
	return h;
}

/* An empty hand-built hist with key column @key and hitcount, taken at @sec seconds. */
static struct ft_hist *hist1(const char *event, const char *backend, struct ft_hist_col key,
			     long sec)
{
	struct ft_hist *h = ft_hist_alloc(event, "", backend);

	assert_non_null(h);
	h->nkeys = 1;
	h->keys[0] = key;
	h->nvals = 1;
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	h->taken_mono = (struct timespec){ sec, 0 };
	h->taken = (struct timespec){ 1700000000 + sec, 0 };
	return h;
}

/* A hand-built hist with one string key "name" and hitcount, rows given as NAME, COUNT... */
static struct ft_hist *str_hist(long sec, size_t n, ...)
{
	struct ft_hist *h = hist1("test:ev", "hist",
				  (struct ft_hist_col){ "name", "", FT_KEY_STR, false, true }, sec);
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		assert_non_null(e);
		e->keys[0].kind = FT_KEY_STR;
		e->keys[0].str = ft_hist_strdup(h, va_arg(ap, const char *));
		e->vals[0] = va_arg(ap, uint64_t);
		h->hits += e->vals[0];
	}
	va_end(ap);
	h->nentries_total = h->nentries;
	return h;
}

/* A hand-built log2 hist: counts of buckets 2^0 .. 2^(n-1). */
static struct ft_hist *log2_hist(long sec, size_t n, const uint64_t *counts)
{
	struct ft_hist *h =
		hist1("test:lat", "bpf",
		      (struct ft_hist_col){ "lat", "log2", FT_KEY_LOG2, false, true }, sec);

	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e;

		if (!counts[i])
			continue;
		e = ft_hist_add_entry(h);
		assert_non_null(e);
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_LOG2,
					      .num = i,
					      .lo = ft_log2_lo((unsigned)i),
					      .hi = ft_log2_hi((unsigned)i) };
		e->vals[0] = counts[i];
		h->hits += counts[i];
	}
	return h;
}

void dump(struct ft_grid *g);
static char *line(struct ft_grid *g, int y)
{
	static char buf[4096];

	ft_grid_line(g, y, buf, sizeof(buf));
	return buf;
}

/* The line of the grid that contains @s, or -1. */
static int find(struct ft_grid *g, const char *s)
{
	for (int y = 0; y < g->h; y++)
		if (strstr(line(g, y), s))
			return y;
	return -1;
}

static struct ft_top_view *view1(struct ft_hist *h)
{
	struct ft_top_view *v = ft_top_view_alloc(1000);

	assert_non_null(v);
	assert_int_equal(ft_top_view_add_tab(v, "t1"), 0);
	assert_int_equal(ft_top_view_push(v, 0, h), 0);
	return v;
}

static void test_grid(void **state)
{
	struct ft_grid *g = ft_grid_alloc(10, 2);
	char buf[64];

	assert_int_equal(ft_grid_put(g, 8, 0, -1, "abcd", 0, 0), 4); /* clipped, still advances */
	assert_string_equal(line(g, 0), "        ab");
	assert_int_equal(ft_grid_put(g, 0, 1, 3, "h\xc3\xa9llo\x01", FT_ATTR_BOLD, 0), 3);
	ft_grid_line(g, 1, buf, sizeof(buf));
	assert_string_equal(buf, "h\xc3\xa9l");
	assert_int_equal(ft_grid_at(g, 1, 1)->ch, 0xe9);
	assert_int_equal(ft_grid_at(g, 1, 1)->attr, FT_ATTR_BOLD);
	assert_null(ft_grid_at(g, 10, 0));
	ft_grid_put(g, 0, 1, -1, "\x01\xff", 0, 0);
	assert_int_equal(ft_grid_at(g, 0, 1)->ch, '?');
	assert_int_equal(ft_grid_at(g, 1, 1)->ch, '?');
	assert_int_equal(ft_grid_resize(g, 4, 1), 0);
	assert_string_equal(line(g, 0), "");
	ft_grid_free(g);
}

/* One line laid out on a grid and as text, the same way; the text must read as the grid. */
static void text_vs_grid(int w, void (*draw)(struct ft_grid *g, struct ft_text *t))
{
	struct ft_grid *g = ft_grid_alloc(w, 1);
	struct ft_text t = { 0 };
	char want[1024];

	for (int i = 0; i < 2; i++) { /* twice: a reset text reuses its memory */
		ft_grid_clear(g);
		ft_text_reset(&t, w);
		draw(g, &t);
		ft_text_newline(&t);
		snprintf(want, sizeof(want), "%s\n", line(g, 0));
		assert_int_equal(t.err, 0);
		assert_int_equal(t.len, strlen(want));
		assert_memory_equal(t.buf, want, t.len);
	}
	ft_text_release(&t);
	ft_grid_free(g);
}

static void draw_mixed(struct ft_grid *g, struct ft_text *t)
{
	const char *s[] = { "ab", "h\xc3\xa9llo\x01", "\xff\xe2\x82", "  x  ", "" };
	int x = 0;

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		int n = ft_grid_put(g, x, 0, (int)i, s[i], 0, 0);

		assert_int_equal(ft_text_put(t, x, (int)i, s[i]), n);
		x += n + 1;
	}
	assert_int_equal(ft_text_put(t, x, -1, "tail \xe2\x82\xac end   "),
			 ft_grid_put(g, x, 0, -1, "tail \xe2\x82\xac end   ", 0, 0));
	ft_grid_fill(g, 60, 0, 3, '~', 0, 0);
	ft_text_fill(t, 60, 3, '~');
}

static void draw_clipped(struct ft_grid *g, struct ft_text *t)
{
	/* Past the right edge: clipped, and the columns still count. */
	assert_int_equal(ft_text_put(t, 1, 6, "0123456789"), 6);
	ft_grid_put(g, 1, 0, 6, "0123456789", 0, 0);
	ft_text_fill(t, 8, 4, '#');
	ft_grid_fill(g, 8, 0, 4, '#', 0, 0);
	assert_int_equal(ft_text_put(t, 12, -1, "0123456789"), 10);
}

static void draw_blank(struct ft_grid *g, struct ft_text *t)
{
	ft_text_put(t, 4, -1, "   ");
	ft_grid_put(g, 4, 0, -1, "   ", 0, 0);
}

/* Batch text is laid out as the grid lays it out, without a grid. */
static void test_text(void **state)
{
	struct ft_text t = { 0 };

	text_vs_grid(80, draw_mixed);
	text_vs_grid(10, draw_clipped);
	text_vs_grid(10, draw_blank);
	/* Lines follow each other; what a line already holds is not written again. */
	ft_text_reset(&t, 20);
	ft_text_put(&t, 2, -1, "abc");
	ft_text_put(&t, 3, -1, "XY");
	ft_text_newline(&t);
	ft_text_newline(&t);
	ft_text_put(&t, 0, 2, "xyz");
	ft_text_newline(&t);
	assert_int_equal(t.len, strlen("  abc\n\nxy\n"));
	assert_memory_equal(t.buf, "  abc\n\nxy\n", t.len);
	ft_text_release(&t);
}

/* ft_top_num() prints what snprintf's %.1f (rates below 1000) and %.0f print. */
static void num_vs_printf(double v)
{
	char got[64], want[64];

	for (int frac = 0; frac < 2; frac++) {
		ft_top_num(got, sizeof(got), v, frac);
		if (v < 1e12) {
			snprintf(want, sizeof(want), frac && v < 1000 ? "%.1f" : "%.0f", v);
			if (strcmp(got, want))
				fail_msg("%.17g (frac %d): got '%s', printf '%s'", v, frac, got,
					 want);
		}
	}
}

static void test_num(void **state)
{
	static const double fixed[] = {
		0,
		-0.0,
		0.05,
		0.15,
		0.25,
		0.35,
		0.45,
		0.5,
		0.75,
		1.5,
		2.5,
		3.5,
		0.95,
		9.95,
		99.95,
		999.94,
		999.95,
		999.96,
		1000,
		1000.5,
		1001.5,
		123456.5,
		999999999999.5,
		1e12 - 1,
		4.9e-324,
		2.2250738585072014e-308,
		1e-20,
		0.049999999999999996,
		-1.5,
		-0.25,
		NAN,
		INFINITY,
		1e12,
		1.5e15,
	};
	char buf[8];
	uint64_t x = 88172645463325252ull;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		num_vs_printf(fixed[i]);
	for (int i = 0; i < 200000; i++) {
		double scale[] = { 1e-3, 1, 1e3, 1e6, 1e12 };

		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		num_vs_printf((double)(x >> 11) / (double)(1ull << 53) * scale[i % 5]);
		num_vs_printf((double)(x % 4000) / 4); /* ties of %.1f and %.0f */
		num_vs_printf((double)(x % 1000000000000ull));
	}
	/* Integers as printf writes them; a point before the last digits; the full length. */
	for (int i = 0; i < 100000; i++) {
		char got[32], want[32];
		uint64_t n = i < 64 ? UINT64_MAX >> i : x >> (i % 64);

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(want, sizeof(want), "%" PRIu64, n);
		assert_int_equal(ft_fmt_u64(got, sizeof(got), n, 0), strlen(want));
		assert_string_equal(got, want);
	}
	assert_int_equal(ft_fmt_u64(buf, sizeof(buf), 5, 2), 4);
	assert_string_equal(buf, "0.05");
	assert_int_equal(ft_fmt_u64(buf, sizeof(buf), 0, 1), 3);
	assert_string_equal(buf, "0.0");
	assert_int_equal(ft_fmt_u64(buf, sizeof(buf), 12345, 1), 6);
	assert_string_equal(buf, "1234.5");
	assert_int_equal(ft_fmt_u64(buf, 4, 12345, 0), 5);
	assert_string_equal(buf, "123");
	/* Cut to the buffer, as snprintf cuts. */
	ft_top_num(buf, sizeof(buf), 123456789, false);
	assert_string_equal(buf, "1234567");
	ft_top_num(buf, 1, 5, true);
	assert_string_equal(buf, "");
}

/* ft_radix_sort(): ordered by the leading numbers, the first most significant; stable. */
static void test_radix(void **state)
{
	enum { N = 5000 };
	static uint64_t rec[2 * N][3]; /* two numbers, then the original position */
	uint64_t x = 88172645463325252ull;

	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < N; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			rec[i][0] = round == 0	 ? 7
				    : round == 1 ? x % 3
						 : x; /* all alike, ties, any */
			rec[i][1] = round == 3 ? x >> 40 : (x >> 20) % 5;
			rec[i][2] = i;
		}
		ft_radix_sort(rec, rec + N, N, sizeof(rec[0]), 2);
		for (size_t i = 1; i < N; i++) {
			uint64_t *a = rec[i - 1], *b = rec[i];

			assert_true(
				a[0] < b[0] ||
				(a[0] == b[0] && (a[1] < b[1] || (a[1] == b[1] && a[2] < b[2]))));
		}
	}
	ft_radix_sort(rec, rec + N, 1, sizeof(rec[0]), 2); /* one record, none: nothing to do */
	ft_radix_sort(NULL, NULL, 0, sizeof(rec[0]), 2);
}

/* Rows from the 6.1 kernel's execname hist: one row per pid, largest count first. */
static void test_rows_fixture(void **state)
{
	struct ft_top_view *v = view1(fixture_hist("execname", "sched:sched_switch", 1));
	struct ft_grid *g = ft_grid_alloc(100, 12);
	int y;

	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 0), "sched:sched_switch"));
	assert_non_null(strstr(line(g, 0), "entries 90"));
	assert_non_null(strstr(line(g, 2), "common_pid.execname"));
	assert_non_null(strstr(line(g, 2), "COUNT"));
	assert_non_null(strstr(line(g, 2), "RATE/s"));
	assert_true(ft_grid_at(g, 0, 2)->attr & FT_ATTR_REVERSE);
	assert_int_equal(v->nrows, 90);
	/* One snapshot: no interval yet, so the count decides and LAST and RATE are "-". */
	assert_non_null(strstr(line(g, 3), "<idle> [0]"));
	assert_non_null(strstr(line(g, 3), "188     -       -"));
	assert_non_null(strstr(line(g, 4), "sh [105]"));
	y = find(g, "workload [187]");
	assert_int_equal(y, 8);
	assert_non_null(strstr(line(g, y), " 6 "));
	/* 12 lines: header, tabs, titles, 8 rows, status. */
	assert_non_null(strstr(line(g, 11), "rows 1-8 of 90"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* Two snapshots two seconds apart: last interval and rate per second, sorted by rate. */
static void test_rates(void **state)
{
	struct ft_top_view *v = view1(str_hist(10, 3, "alpha", (uint64_t)100, "beta", (uint64_t)5,
					       "gamma", (uint64_t)40));
	struct ft_grid *g = ft_grid_alloc(80, 10);

	assert_int_equal(
		ft_top_view_push(v, 0,
				 str_hist(12, 4, "alpha", (uint64_t)101, "beta", (uint64_t)25,
					  "gamma", (uint64_t)48, "delta", (uint64_t)3)),
		0);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 0), "hits/s 16.0"));
	/* beta: 20 in 2 s; gamma 8; delta 3 (new key, counted from 0); alpha 1. */
	assert_string_equal(line(g, 3), "beta      25    20    10.0");
	assert_string_equal(line(g, 4), "gamma     48     8     4.0");
	assert_string_equal(line(g, 5), "delta      3     3     1.5");
	assert_string_equal(line(g, 6), "alpha    101     1     0.5");
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* A hand-built hist with a numeric key "ret" (signed or not) and hitcount. */
static struct ft_hist *num_hist(bool is_signed, size_t n, const int64_t *keys, const uint64_t *c)
{
	struct ft_hist *h =
		hist1("test:num", "bpf",
		      (struct ft_hist_col){ "ret", "", FT_KEY_NUM, is_signed, true }, 0);

	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		assert_non_null(e);
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_NUM, .num = (uint64_t)keys[i] };
		e->vals[0] = c[i];
	}
	return h;
}

/* Numeric keys sort by value, signed ones below zero first, both as ties and by the key. */
static void test_sort_numbers(void **state)
{
	static const int64_t keys[] = { 3, -5, 0, -1, 7 };
	static const uint64_t counts[] = { 2, 2, 2, 2, 1 };
	static const char *const want[][5] = {
		{ "-5", "-1", "0", "3", "7" }, /* signed, by the key */
		{ "7", "3", "0", "-1", "-5" }, /* signed, by count then key, reversed ('r') */
		{ "0", "3", "7", "18446744073709551611", "18446744073709551615" }, /* unsigned */
	};

	for (int c = 0; c < 3; c++) {
		struct ft_top_view *v = view1(num_hist(c < 2, 5, keys, counts));

		if (c == 1)
			ft_top_view_key(v, 'r');
		else
			v->tabs[0].sort = 0;
		assert_int_equal(ft_top_view_rows(v, 0), 0);
		assert_int_equal(v->nrows, 5);
		for (size_t i = 0; i < 5; i++)
			assert_string_equal(v->rows[i].keys[0], want[c][i]);
		ft_top_view_free(v);
	}
}

static void test_sort(void **state)
{
	struct ft_top_view *v =
		view1(str_hist(1, 3, "bb", (uint64_t)1, "cc", (uint64_t)3, "aa", (uint64_t)2));
	struct ft_grid *g = ft_grid_alloc(60, 8);

	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_string_equal(line(g, 3), "cc        3     -       -");
	/* s: the next column, here the key: ascending by text. */
	assert_int_equal(ft_top_view_key(v, 's'), FT_TOP_REDRAW);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 3), "aa"));
	assert_non_null(strstr(line(g, 5), "cc"));
	assert_non_null(strstr(line(g, 7), "sort name asc"));
	assert_true(ft_grid_at(g, 0, 2)->attr & FT_ATTR_UNDERLINE);
	/* r: reversed. */
	assert_int_equal(ft_top_view_key(v, 'r'), FT_TOP_REDRAW);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 3), "cc"));
	assert_non_null(strstr(line(g, 7), "sort name desc"));
	/* s again: COUNT, largest first. */
	ft_top_view_key(v, 's');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 3), "cc"));
	assert_non_null(strstr(line(g, 4), "aa"));
	assert_non_null(strstr(line(g, 7), "sort COUNT desc"));
	/* Around the columns: back to the key after the last one. */
	for (int i = 0; i < 3; i++)
		ft_top_view_key(v, 's');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 7), "sort name asc"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* The strings fixture: two string keys; the filter matches either, ignoring case. */
static void test_filter(void **state)
{
	struct ft_top_view *v = view1(fixture_hist("strings", "sched:sched_switch", 1));
	struct ft_grid *g = ft_grid_alloc(120, 40);
	const char *typed = "WORKload";
	size_t all;

	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	all = v->nrows;
	assert_int_equal(all, 43);
	assert_int_equal(ft_top_view_key(v, '/'), FT_TOP_REDRAW);
	for (const char *c = typed; *c; c++)
		assert_int_equal(ft_top_view_key(v, *c), FT_TOP_REDRAW);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_string_equal(line(g, 39), "filter: WORKload_");
	assert_true(v->nrows > 0 && v->nrows < all);
	for (size_t r = 0; r < v->nrows; r++)
		assert_true(strstr(v->rows[r].keys[0], "workload") ||
			    strstr(v->rows[r].keys[1], "workload"));
	for (int y = 3; y < 3 + (int)v->nrows; y++)
		assert_non_null(strstr(line(g, y), "workload"));
	assert_string_equal(line(g, 3 + (int)v->nrows), "");
	/* Enter keeps it; the status line says so; q is a key again. */
	ft_top_view_key(v, FT_UI_KEY_ENTER);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 39), "filter 'WORKload'"));
	/* Backspace while typing, then Esc clears it. */
	ft_top_view_key(v, '/');
	ft_top_view_key(v, FT_UI_KEY_BACKSPACE);
	assert_string_equal(v->tabs[0].filter, "WORKloa");
	ft_top_view_key(v, FT_UI_KEY_ESC);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_int_equal(v->nrows, all);
	/* Nothing matches: no rows, still a table. */
	ft_top_view_key(v, '/');
	ft_top_view_key(v, 'z');
	ft_top_view_key(v, 'q');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_int_equal(v->nrows, 0);
	assert_non_null(strstr(line(g, 2), "prev_comm"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* Keys longer than the screen are cut with '~'; the numbers stay on the screen. */
static void test_truncation(void **state)
{
	char longkey[200];
	struct ft_top_view *v;
	struct ft_grid *g = ft_grid_alloc(40, 6);

	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	v = view1(str_hist(1, 2, longkey, (uint64_t)7, "short", (uint64_t)5));
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_string_equal(line(g, 3), "kkkkkkkkkkkkkkkkkk~      7     -       -");
	assert_int_equal(ft_grid_at(g, 18, 3)->ch, '~');
	assert_string_equal(line(g, 4), "short                    5     -       -");
	/* Widths as the rows have them, titles aside: the longest key, "7", "-", "-". */
	assert_int_equal(ft_top_col_width(v, 0), sizeof(longkey) - 1);
	assert_int_equal(ft_top_col_width(v, 1), 1);
	assert_int_equal(ft_top_col_width(v, 2), 1);
	assert_int_equal(ft_top_col_width(v, 3), 1);
	/* Batch text does not cut keys this short. */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_int_equal(ft_top_write_text(v, 0, f), 0);
		fclose(f);
		assert_non_null(strstr(buf, longkey));
		assert_null(strstr(buf, "~"));
		free(buf);
	}
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* The big fixture (1281 rows): top-N fits the screen, and scrolling moves through the rest. */
static void test_scroll(void **state)
{
	struct ft_top_view *v = view1(fixture_hist("big", "raw_syscalls:sys_enter", 1));
	struct ft_grid *g = ft_grid_alloc(80, 10);

	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_int_equal(v->page, 6);
	assert_non_null(strstr(line(g, 9), "rows 1-6 of 1281"));
	ft_top_view_key(v, FT_UI_KEY_PGDN);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 9), "rows 6-11 of 1281"));
	ft_top_view_key(v, FT_UI_KEY_WHEEL_DOWN);
	ft_top_view_key(v, FT_UI_KEY_DOWN);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 9), "rows 10-15 of 1281"));
	ft_top_view_key(v, FT_UI_KEY_END);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 9), "rows 1276-1281 of 1281"));
	ft_top_view_key(v, FT_UI_KEY_HOME);
	ft_top_view_key(v, FT_UI_KEY_WHEEL_UP);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 9), "rows 1-6 of 1281"));
	/* A resize redraws at the new size. */
	assert_int_equal(ft_top_view_key(v, FT_UI_KEY_RESIZE), FT_TOP_REDRAW);
	assert_int_equal(ft_grid_resize(g, 80, 20), 0);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 19), "rows 1-16 of 1281"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* The histogram pane on the 6.1 kernel's log2 hist: bars, and the hist module's percentiles. */
static void test_pane_fixture(void **state)
{
	struct ft_hist *h = fixture_hist("log2", "kmem:kmalloc", 1);
	double p50 = ft_hist_percentile(h, 0, 0, 50), p90 = ft_hist_percentile(h, 0, 0, 90);
	struct ft_top_view *v = view1(h);
	struct ft_grid *g = ft_grid_alloc(80, 20);
	char want[64];
	int y;

	assert_int_equal(ft_top_view_key(v, 'h'), FT_TOP_REDRAW);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 2), "bytes_req.log2 by hitcount since start: count 882"));
	ft_top_num(want + 5, sizeof(want) - 5, p50, true);
	memcpy(want, "p50 ~", 5);
	assert_non_null(strstr(line(g, 2), want));
	ft_top_num(want + 5, sizeof(want) - 5, p90, true);
	memcpy(want, "p90 ~", 5);
	assert_non_null(strstr(line(g, 2), want));
	/* 8 buckets from ~2^4 (9-16) up, in order; the fullest (268) has the longest bar. */
	assert_int_equal(strncmp(line(g, 3), "     9-16          268 ###", 25), 0);
	assert_int_equal(find(g, "    17-32          148"), 4);
	assert_int_equal(find(g, "2049-4096          166"), 10);
	assert_int_equal(ft_grid_at(g, 79, 3)->ch, '#');
	assert_int_equal(ft_grid_at(g, 79, 3)->color, FT_COLOR_BAR);
	assert_int_not_equal(ft_grid_at(g, 79, 4)->ch, '#');
	/* 9 events of 268 still get a bar. */
	y = find(g, "    33-64            9 #");
	assert_int_equal(y, 5);
	assert_int_equal(ft_grid_at(g, 23, y)->ch, '#');
	assert_int_not_equal(ft_grid_at(g, 25, y)->ch, '#');
	/* No heat map before an interval was measured. */
	assert_int_equal(find(g, "heat map"), -1);
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* The heat map: one column per interval, newest at the right, hottest '@'. */
static void test_heatmap(void **state)
{
	uint64_t c0[4] = { 0, 0, 0, 0 }, c1[4] = { 10, 0, 0, 0 }, c2[4] = { 10, 0, 50, 0 },
		 c3[4] = { 10, 0, 50, 100 };
	struct ft_top_view *v = view1(log2_hist(0, 4, c0));
	struct ft_grid *g = ft_grid_alloc(80, 24);
	int y;

	assert_int_equal(ft_top_view_push(v, 0, log2_hist(1, 4, c1)), 0);
	assert_int_equal(ft_top_view_push(v, 0, log2_hist(2, 4, c2)), 0);
	assert_int_equal(ft_top_view_push(v, 0, log2_hist(3, 4, c3)), 0);
	ft_top_view_key(v, 'h');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	y = find(g, "heat map: 3 intervals");
	assert_true(y > 2);
	assert_non_null(strstr(line(g, y), "'@' = 100 per interval"));
	/*
	 * Rows: the highest bucket on top; columns: the intervals, newest at the right. Each
	 * interval filled one bucket: 10 in 0-1, then 50 in 3-4, then 100 in 5-8.
	 */
	assert_string_equal(line(g, y + 1),
			    "5-8                                                            @");
	assert_string_equal(line(g, y + 2),
			    "3-4                                                           +");
	assert_string_equal(line(g, y + 3),
			    "0-1                                                          :");
	assert_int_equal(ft_grid_at(g, 63, y + 1)->color, FT_COLOR_HEAT4);
	assert_int_equal(ft_grid_at(g, 62, y + 2)->color, FT_COLOR_HEAT3);
	assert_int_equal(ft_grid_at(g, 61, y + 3)->color, FT_COLOR_HEAT1);
	assert_int_equal(ft_grid_at(g, 63, y + 3)->ch, ' ');
	/* One more interval with all three: a new column at the right, the others move left. */
	{
		uint64_t c4[4] = { 20, 0, 125, 300 };

		assert_int_equal(ft_top_view_push(v, 0, log2_hist(4, 4, c4)), 0);
		assert_int_equal(ft_top_view_render(v, g), 0);
		assert_string_equal(
			line(g, y + 1),
			"5-8                                                           +@");
		assert_string_equal(
			line(g, y + 2),
			"3-4                                                          - =");
		assert_string_equal(
			line(g, y + 3),
			"0-1                                                         :  :");
	}
	/* The bars above show the totals; stats interpolate in buckets. */
	assert_non_null(strstr(line(g, 2), "count 445"));
	assert_non_null(strstr(line(g, 2), "p50 ~"));
	/* A hist without bucket keys says how to get one. */
	ft_top_view_free(v);
	v = view1(str_hist(1, 1, "x", (uint64_t)1));
	ft_top_view_key(v, 'h');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 2), "no log2 or bucket key"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* c: ftrig's baseline moves, rows with nothing since are hidden; the snapshots are untouched. */
static void test_reset(void **state)
{
	struct ft_top_view *v = view1(str_hist(1, 2, "a", (uint64_t)10, "b", (uint64_t)20));
	struct ft_grid *g = ft_grid_alloc(60, 8);

	assert_int_equal(ft_top_view_key(v, 'c'), FT_TOP_REDRAW);
	assert_int_equal(
		ft_top_view_push(v, 0, str_hist(2, 2, "a", (uint64_t)13, "b", (uint64_t)20)), 0);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_int_equal(v->nrows, 1);
	assert_string_equal(line(g, 3), "a         3     3     3.0");
	assert_non_null(strstr(line(g, 7), "since reset"));
	assert_int_equal(v->tabs[0].cur->entries[0].vals[0], 13);
	/* The baseline is the previous snapshot, kept whole; the interval is from its record. */
	assert_ptr_not_equal(v->tabs[0].base, v->tabs[0].cur);
	assert_true(v->tabs[0].past.valid);
	{
		struct ft_top_view *w = view1(str_hist(1, 1, "a", (uint64_t)1));

		assert_int_equal(ft_top_view_reset(w, 0), 0);
		assert_int_equal(ft_top_view_push(w, 0, str_hist(2, 1, "a", (uint64_t)2)), 0);
		ft_top_view_free(w);
	}
	/* A new trigger with other columns starts over without a baseline. */
	assert_int_equal(ft_top_view_push(v, 0, fixture_hist("execname", "sched:sched_switch", 3)),
			 0);
	assert_null(v->tabs[0].base);
	assert_null(v->tabs[0].last);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_int_equal(v->nrows, 90);
	ft_grid_free(g);
	ft_top_view_free(v);
}

static void test_keys(void **state)
{
	struct ft_top_view *v = view1(str_hist(1, 1, "a", (uint64_t)1));
	struct ft_grid *g = ft_grid_alloc(100, 30);

	assert_int_equal(ft_top_view_add_tab(v, "second"), 1);
	assert_int_equal(
		ft_top_view_push(v, 1, fixture_hist("syscall", "raw_syscalls:sys_enter", 1)), 0);
	assert_int_equal(ft_top_view_key(v, '+'), FT_TOP_INTERVAL);
	assert_int_equal(v->interval_ms, 2000);
	assert_int_equal(ft_top_view_key(v, '-'), FT_TOP_INTERVAL);
	assert_int_equal(ft_top_view_key(v, '-'), FT_TOP_INTERVAL);
	assert_int_equal(v->interval_ms, 500);
	assert_int_equal(ft_top_view_key(v, ' '), FT_TOP_REDRAW);
	assert_true(v->paused);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 0), "every 500ms"));
	assert_non_null(strstr(line(g, 0), "PAUSED"));
	assert_non_null(strstr(line(g, 1), " 1 t1   2 second"));
	assert_true(ft_grid_at(g, 1, 1)->attr & FT_ATTR_REVERSE);
	/* Tabs: 2, tab, 9 (no such tab). */
	assert_int_equal(ft_top_view_key(v, '2'), FT_TOP_REDRAW);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 0), "raw_syscalls:sys_enter"));
	assert_non_null(strstr(line(g, 2), "id.syscall"));
	assert_int_equal(ft_top_view_key(v, '9'), FT_TOP_NONE);
	assert_int_equal(ft_top_view_key(v, FT_UI_KEY_TAB), FT_TOP_REDRAW);
	assert_int_equal(v->tab, 0);
	/* Help: shown over the view, any key closes it, q quits. */
	assert_int_equal(ft_top_view_key(v, '?'), FT_TOP_REDRAW);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_true(find(g, "ftrig top: keys") > 0);
	assert_true(find(g, "reverse the sort") > 0);
	assert_int_equal(ft_top_view_key(v, 'x'), FT_TOP_REDRAW);
	assert_false(v->help);
	assert_int_equal(ft_top_view_key(v, 'q'), FT_TOP_QUIT);
	/* Errors are counted in the header and said on the status line. */
	ft_top_view_error(v, 0, "cannot read the hist: No such file or directory");
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 0), "errors 1"));
	assert_non_null(strstr(line(g, 29), "cannot read the hist"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

static void test_batch(void **state)
{
	struct ft_top_view *v = view1(str_hist(10, 2, "x\"y", (uint64_t)4, "z", (uint64_t)1));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(ft_top_write_json(v, 0, f), 0);
	assert_int_equal(
		ft_top_view_push(v, 0, str_hist(14, 2, "x\"y", (uint64_t)8, "z", (uint64_t)1)), 0);
	assert_int_equal(ft_top_write_json(v, 0, f), 0);
	assert_int_equal(ft_top_write_text(v, 0, f), 0);
	fclose(f);
	if (getenv("DUMP"))
		fputs(buf, stderr);
	assert_non_null(strstr(buf, "\"interval\":null,\"hits\":5,\"hits_per_s\":null"));
	assert_non_null(strstr(buf, "{\"key\":{\"name\":{\"str\":\"x\\\"y\"}},\"count\":4,"
				    "\"last\":null,\"rate\":null}"));
	assert_non_null(strstr(buf,
			       "\"time\":1700000014,\"event\":\"test:ev\",\"instance\":\"\","
			       "\"backend\":\"hist\",\"interval\":4,\"hits\":4,\"hits_per_s\":1,"));
	assert_non_null(strstr(
		buf,
		"{\"key\":{\"name\":{\"str\":\"x\\\"y\"}},\"count\":8,\"last\":4,\"rate\":1}"));
	/* Two JSON lines, then the text table. */
	assert_non_null(strstr(buf, "]}\n{"));
	assert_non_null(strstr(buf, "}\nftrig top  test:ev  hist  every 1s  hits/s 1.0"));
	assert_non_null(strstr(buf, "\nname  COUNT  LAST  RATE/s\nx\"y       8     4     1.0\nz"));
	free(buf);
	ft_top_view_free(v);
}

/*
 * Batch text lays plain rows out in one line each (text_row()), the others through the
 * canvas: both give the same columns. A key over 240 columns is cut with '~', a UTF-8 key
 * counts its columns, not its bytes, and a control character shows as '?'.
 */
static void test_batch_rows(void **state)
{
	char longkey[301], want[300], *buf = NULL;
	struct ft_top_view *v;
	size_t len = 0;
	FILE *f;

	memset(longkey, 'k', 300);
	longkey[300] = '\0';
	v = view1(str_hist(10, 4, "caf\xc3\xa9", (uint64_t)7, "a\tb", (uint64_t)6, "ab",
			   (uint64_t)5, longkey, (uint64_t)4));
	f = open_memstream(&buf, &len);
	assert_int_equal(ft_top_write_text(v, 0, f), 0);
	fclose(f);
	if (getenv("DUMP"))
		fputs(buf, stderr);
	/* the key column is 240 wide: the long key's width */
	snprintf(want, sizeof(want), "\ncaf\xc3\xa9%236s%s", "", "      7     -       -\n");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "\na?b%237s%s", "", "      6     -       -\n");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "\nab%238s%s", "", "      5     -       -\n");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "\n%.239s~%s", longkey, "      4     -       -\n");
	assert_non_null(strstr(buf, want));
	free(buf);
	ft_top_view_free(v);
}

/* TOP-1: events the table had no room for are said, with the fix for the backend; the rate
 * counts the events counted only. */
static void test_drops(void **state)
{
	struct ft_top_view *v = view1(str_hist(10, 1, "a", (uint64_t)100));
	struct ft_hist *h = str_hist(12, 1, "a", (uint64_t)120);
	struct ft_grid *g = ft_grid_alloc(200, 10);
	char note[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_false(ft_top_drop_notice(&v->tabs[0], note, sizeof(note)));
	h->hits += 30, h->dropped = 30, h->size = 2048;
	assert_int_equal(ft_top_view_push(v, 0, h), 0);
	assert_true(ft_top_drop_notice(&v->tabs[0], note, sizeof(note)));
	assert_non_null(strstr(note, "30 events not counted"));
	assert_non_null(strstr(note, "--size 4096"));
	assert_non_null(strstr(note, "--backend bpf"));
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	/* 20 counted in 2 s: the 30 dropped are not hits/s */
	assert_non_null(strstr(line(g, 0), "hits/s 10.0"));
	assert_non_null(strstr(line(g, 8), "30 events not counted"));
	f = open_memstream(&buf, &len);
	assert_int_equal(ft_top_write_text(v, 0, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\n30 events not counted"));
	free(buf);
	/* top's own BPF table starts afresh every interval: a larger size or interval */
	h = str_hist(14, 1, "a", (uint64_t)140);
	h->backend = "bpf", h->hits += 40, h->dropped = 40, h->size = 2048;
	assert_int_equal(ft_top_view_push(v, 0, h), 0);
	assert_true(ft_top_drop_notice(&v->tabs[0], note, sizeof(note)));
	assert_non_null(strstr(note, "10 events not counted: more than 2048 keys in one interval"));
	assert_null(strstr(note, "--backend"));
	/* nothing lost since: no notice */
	h = str_hist(16, 1, "a", (uint64_t)150);
	h->backend = "bpf", h->hits += 40, h->dropped = 40;
	assert_int_equal(ft_top_view_push(v, 0, h), 0);
	assert_false(ft_top_drop_notice(&v->tabs[0], note, sizeof(note)));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* TOP-3: tabs are named by their event, and the shown one is always on the tab line. */
static void test_tabs(void **state)
{
	static const char *const labels[] = {
		"sched:sched_switch hist:keys=next_comm:vals=hitcount:size=2048 (bpf)",
		"syscalls:sys_enter_get* (30 events) hist:keys=common_pid.execname:vals=hitcount:"
		"size=2048 (bpf)",
		"syscalls:sys_enter_read instance=ftrig-102 (hist)",
	};
	struct ft_top_view *v = ft_top_view_alloc(1000);
	struct ft_grid *g = ft_grid_alloc(160, 10);
	int w[5] = { 10, 10, 10, 10, 10 };
	size_t first, end;
	char name[64];

	(void)state;
	assert_string_equal(ft_top_tab_name(labels[1], name, sizeof(name)),
			    "syscalls:sys_enter_get*");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ft_top_view_add_tab(v, labels[i]), i);
		assert_int_equal(ft_top_view_push(v, (size_t)i, str_hist(10, 1, "a", (uint64_t)1)),
				 0);
	}
	v->tab = 2;
	assert_int_equal(ft_top_view_render(v, g), 0);
	assert_non_null(strstr(line(g, 1), " 3 syscalls:sys_enter_read"));
	assert_non_null(strstr(line(g, 1), " 1 sched:sched_switch "));
	/* 30 columns: the shown tab, marks for those cut off */
	assert_int_equal(ft_grid_resize(g, 30, 10), 0);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 1), "< "));
	assert_non_null(strstr(line(g, 1), " 3 syscalls:sys_enter_read"));
	v->tab = 0;
	assert_int_equal(ft_top_view_render(v, g), 0);
	assert_non_null(strstr(line(g, 1), " 1 sched:sched_switch"));
	assert_non_null(strstr(line(g, 1), " >"));
	/* the window: all fit; the shown one last; in the middle with marks both sides */
	ft_top_tab_window(w, 5, 0, 50, &first, &end);
	assert_int_equal(first, 0);
	assert_int_equal(end, 5);
	ft_top_tab_window(w, 5, 4, 30, &first, &end);
	assert_int_equal(end, 5);
	assert_true(first >= 2 && first <= 4);
	ft_top_tab_window(w, 5, 2, 24, &first, &end);
	assert_true(first <= 2 && end > 2);
	ft_top_tab_window(w, 5, 3, 5, &first, &end);
	assert_int_equal(first, 3);
	assert_int_equal(end, 4);
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* TOP-2: more buckets than lines: the highest (the tail) are kept, the note of the others has
 * a line of its own, and the bars and the heat map show the same buckets. */
static void test_pane_many(void **state)
{
	uint64_t c0[20] = { 0 }, c[20];
	struct ft_top_view *v = view1(log2_hist(0, 20, c0));
	struct ft_grid *g = ft_grid_alloc(70, 20);
	int y, hy;

	(void)state;
	/* TOP-7: a distribution starts sorted by its bucket, not by rate */
	assert_int_equal(v->tabs[0].sort, 0);
	for (int i = 0; i < 20; i++)
		c[i] = 1000 - 40 * (uint64_t)i; /* the mass low, a tail up to 2^19 */
	assert_int_equal(ft_top_view_push(v, 0, log2_hist(1, 20, c)), 0);
	for (int i = 0; i < 20; i++)
		c[i] *= 2;
	assert_int_equal(ft_top_view_push(v, 0, log2_hist(2, 20, c)), 0);
	ft_top_view_key(v, 'h');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	/* the highest bucket 262144-524287 is in both */
	y = find(g, "lower buckets not shown");
	hy = find(g, "heat map:");
	assert_true(y > 2 && hy > y);
	assert_null(strstr(line(g, y), "#"));
	assert_true(find(g, "262145-524288") > 2 && find(g, "262145-524288") < y);
	/* every bucket label of the bars is a line of the heat map, and no other */
	for (int r = 3; r < y; r++) {
		char label[32];
		int in_heat = 0;

		sscanf(line(g, r), "%31s", label);
		for (int h = hy + 1; h < g->h - 1; h++) {
			char l2[32] = "";

			sscanf(line(g, h), "%31s", l2);
			in_heat += !strcmp(label, l2);
		}
		assert_int_equal(in_heat, 1);
	}
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* TOP-7: the status line names what s sorts by next and only the keys that work; C goes
 * back to the totals after c; a narrow header drops whole items; the help fits 70x20. */
static void test_interaction(void **state)
{
	struct ft_top_view *v = view1(str_hist(10, 2, "alpha", (uint64_t)100, "beta", (uint64_t)5));
	struct ft_grid *g = ft_grid_alloc(200, 20);
	const char *hdr;

	(void)state;
	assert_int_equal(
		ft_top_view_push(v, 0,
				 str_hist(12, 2, "alpha", (uint64_t)110, "beta", (uint64_t)9)),
		0);
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_non_null(strstr(line(g, 19), "sort RATE/s desc"));
	assert_non_null(strstr(line(g, 19), "s sort by name  / filter  ? help  q quit"));
	assert_null(strstr(line(g, 19), "h histogram"));
	ft_top_view_key(v, 's');
	assert_int_equal(ft_top_view_render(v, g), 0);
	assert_non_null(strstr(line(g, 19), "sort name asc"));
	assert_non_null(strstr(line(g, 19), "s sort by COUNT"));
	/* c counts from now on, C goes back to the totals */
	ft_top_view_key(v, 'c');
	assert_non_null(v->tabs[0].base);
	assert_int_equal(ft_top_view_render(v, g), 0);
	assert_non_null(strstr(line(g, 19), "since reset (C: totals)"));
	ft_top_view_key(v, 'C');
	assert_null(v->tabs[0].base);
	assert_null(v->tabs[0].since);
	assert_int_equal(ft_top_view_render(v, g), 0);
	assert_null(strstr(line(g, 19), "since reset"));
	assert_string_equal(line(g, 3), "alpha    110    10     5.0");
	/* 50 columns: the header ends with a whole item */
	assert_int_equal(ft_grid_resize(g, 50, 20), 0);
	assert_int_equal(ft_top_view_render(v, g), 0);
	hdr = line(g, 0);
	assert_non_null(strstr(hdr, "hits/s 7.0"));
	assert_null(strstr(hdr, "entr"));
	/* the help fits 70x20 */
	assert_int_equal(ft_grid_resize(g, 70, 20), 0);
	ft_top_view_key(v, '?');
	assert_int_equal(ft_top_view_render(v, g), 0);
	if (getenv("DUMP"))
		dump(g);
	assert_true(find(g, "C       back to the totals since the start") >= 0);
	assert_true(find(g, "errors = snapshots that failed") >= 0);
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* A source that hands out prepared snapshots, or fails with @fail when there are none left. */
struct fake_source {
	struct ft_source src;
	struct ft_hist *next[4];
	size_t n, at;
	int fail;
};

static int fake_snapshot(struct ft_source *src, struct ft_hist **out)
{
	struct fake_source *f = (struct fake_source *)src;

	if (f->at == f->n)
		return f->fail;
	*out = f->next[f->at++];
	return 0;
}

static void fake_destroy(struct ft_source *src)
{
	struct fake_source *f = (struct fake_source *)src;

	while (f->at < f->n)
		ft_hist_free(f->next[f->at++]);
}

static const struct ft_source_ops fake_ops = { "fake", fake_snapshot, fake_destroy, NULL, NULL };

/* A hist keyed by common_pid.execname: rows PID, NAME, COUNT... */
static struct ft_hist *pid_hist(long sec, size_t n, ...)
{
	struct ft_hist *h = hist1(
		"test:ev", "hist",
		(struct ft_hist_col){ "common_pid", "execname", FT_KEY_EXECNAME, false, true },
		sec);
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		assert_non_null(e);
		e->keys[0].kind = FT_KEY_EXECNAME;
		e->keys[0].num = va_arg(ap, unsigned);
		e->keys[0].str = ft_hist_strdup(h, va_arg(ap, const char *));
		e->vals[0] = va_arg(ap, uint64_t);
		h->hits += e->vals[0];
	}
	va_end(ap);
	h->nentries_total = h->nentries;
	return h;
}

/* The processes that live, by the fake procfs: pid 10 runs "topw" while alive is set. */
static int fake_comm(uint32_t pid, char *buf, size_t size, void *data)
{
	if (pid != 10 || !*(bool *)data)
		return -ENOENT;
	snprintf(buf, size, "topw");
	return 0;
}

/* TOP-8: a kernel hist's .execname keys shown under the names processes have now; an exited
 * one keeps the last name seen; a pid reused by another program is not taken for it. */
static void test_names(void **state)
{
	struct ft_top_view *v = ft_top_view_alloc(1000);
	struct ft_source *src[1];
	struct fake_source f = { .src = { &fake_ops, (char *)"t" } };
	bool alive = true;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	assert_non_null(v);
	v->comm = fake_comm;
	v->comm_data = &alive;
	assert_int_equal(ft_top_view_add_tab(v, "t"), 0);
	f.next[0] = pid_hist(1, 2, 10u, "bash", (uint64_t)5, 11u, "sh", (uint64_t)3);
	f.next[1] = pid_hist(2, 2, 10u, "bash", (uint64_t)9, 11u, "sh", (uint64_t)3);
	f.next[2] = pid_hist(3, 2, 10u, "make", (uint64_t)1, 11u, "sh", (uint64_t)3);
	f.n = 3;
	src[0] = &f.src;
	assert_int_equal(ft_top_tick(v, src, 1), 0);
	assert_string_equal(v->tabs[0].cur->entries[0].keys[0].str, "topw");
	assert_string_equal(v->tabs[0].cur->entries[1].keys[0].str, "sh");
	/* pid 10 has exited: the name it had */
	alive = false;
	assert_int_equal(ft_top_tick(v, src, 1), 0);
	assert_string_equal(v->tabs[0].cur->entries[0].keys[0].str, "topw");
	out = open_memstream(&buf, &len);
	assert_int_equal(ft_top_write_text(v, 0, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "topw [10]"));
	free(buf);
	/* pid 10 again, another program the hist saved as make: not topw */
	assert_int_equal(ft_top_tick(v, src, 1), 0);
	assert_string_equal(v->tabs[0].cur->entries[0].keys[0].str, "make");
	ft_top_view_free(v);
}

/* ft_top_tick: every tab's source once; a failure is counted and said, the others go on. */
static void test_tick(void **state)
{
	struct fake_source a = { { &fake_ops, "a-source" }, { NULL }, 0, 0, -ENOENT };
	struct fake_source b = { { &fake_ops, "b-source" }, { NULL }, 0, 0, -ESRCH };
	struct ft_source *src[2] = { &a.src, &b.src };
	struct ft_top_view *v = ft_top_view_alloc(1000);
	struct ft_grid *g = ft_grid_alloc(100, 8);

	a.next[a.n++] = str_hist(1, 1, "x", (uint64_t)1);
	a.next[a.n++] = str_hist(2, 1, "x", (uint64_t)4);
	b.next[b.n++] = str_hist(1, 1, "y", (uint64_t)2);
	ft_top_view_add_tab(v, "a");
	ft_top_view_add_tab(v, "b");
	assert_int_equal(ft_top_tick(v, src, 2), 0);
	assert_int_equal(ft_top_tick(v, src, 2), 1);
	assert_int_equal(v->tabs[0].cur->entries[0].vals[0], 4);
	assert_non_null(v->tabs[0].last);
	assert_int_equal(v->tabs[1].errors, 1);
	assert_string_equal(v->tabs[1].error, "b-source: no hist trigger with that name");
	assert_int_equal(ft_top_tick(v, src, 2), 2);
	assert_string_equal(v->tabs[0].error, "a-source: no hist trigger there (any more)");
	/* The last good snapshot stays on the screen, with the error counted and said. */
	v->tab = 1;
	assert_int_equal(ft_top_view_render(v, g), 0);
	assert_non_null(strstr(line(g, 0), "errors 2"));
	assert_non_null(strstr(line(g, 3), "y"));
	assert_non_null(strstr(line(g, 7), "b-source: no hist trigger with that name"));
	ft_grid_free(g);
	ft_top_view_free(v);
}

/* Tiny screens: nothing is drawn outside the grid, and nothing breaks. */
static void test_tiny(void **state)
{
	uint64_t c[4] = { 1, 2, 3, 4 };
	struct ft_top_view *v = view1(log2_hist(0, 4, c));
	int sizes[][2] = { { 1, 1 }, { 10, 3 }, { 30, 4 }, { 5, 40 } };

	assert_int_equal(ft_top_view_push(v, 0, log2_hist(1, 4, c)), 0);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct ft_grid *g = ft_grid_alloc(sizes[i][0], sizes[i][1]);

		v->pane = v->help = false;
		assert_int_equal(ft_top_view_render(v, g), 0);
		ft_top_view_key(v, FT_UI_KEY_END);
		assert_int_equal(ft_top_view_render(v, g), 0);
		v->pane = true;
		assert_int_equal(ft_top_view_render(v, g), 0);
		v->help = true;
		assert_int_equal(ft_top_view_render(v, g), 0);
		ft_grid_free(g);
	}
	ft_top_view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid),	     cmocka_unit_test(test_rows_fixture),
		cmocka_unit_test(test_rates),	     cmocka_unit_test(test_sort),
		cmocka_unit_test(test_filter),	     cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_scroll),	     cmocka_unit_test(test_pane_fixture),
		cmocka_unit_test(test_heatmap),	     cmocka_unit_test(test_reset),
		cmocka_unit_test(test_keys),	     cmocka_unit_test(test_batch),
		cmocka_unit_test(test_tick),	     cmocka_unit_test(test_tiny),
		cmocka_unit_test(test_text),	     cmocka_unit_test(test_num),
		cmocka_unit_test(test_sort_numbers), cmocka_unit_test(test_radix),
		cmocka_unit_test(test_drops),	     cmocka_unit_test(test_batch_rows),
		cmocka_unit_test(test_tabs),	     cmocka_unit_test(test_pane_many),
		cmocka_unit_test(test_interaction),  cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
void dump(struct ft_grid *g);
void dump(struct ft_grid *g)
{
	for (int y = 0; y < g->h; y++)
		fprintf(stderr, "%2d|%s|\n", y, line(g, y));
}
