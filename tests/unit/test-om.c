// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Prometheus exposition of hists (src/metrics/): names and escaping, the format chosen by
 * Accept, histograms from the log2 and bucket hists captured from the 6.1 kernel, the series
 * limit, and counters kept monotonic across scrapes (resets seen, 'other' never going down).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faketfs.h"
#include "hist/hist.h"
#include "hist/parse.h"
#include "metrics/om.h"

static struct ft_hist **load(const char *name, const char *event, size_t *n)
{
	char rel[256], *text;
	struct ft_hist **v = NULL;

	snprintf(rel, sizeof(rel), "vm-6.1/hist/%s.hist", name);
	text = fixture_read(rel);
	assert_non_null(text);
	assert_int_equal(ft_hist_parse(text, strlen(text), event, NULL, &v, n), 0);
	free(text);
	return v;
}

/* One scrape of @v at @now in @fmt: the exposition text (free it). */
static char *expose(struct ft_om_state *st, size_t limit, bool stacks, struct ft_hist *const *v,
		    size_t n, enum ft_om_format fmt, double now)
{
	struct ft_om_opts o = { .limit = limit, .stacks = stacks };
	struct ft_om_scrape *s = ft_om_scrape_begin(st, &o, now);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ft_om_add_hist(s, v[i]), 0);
	assert_int_equal(ft_om_write(s, fmt, f), 0);
	fclose(f);
	ft_om_scrape_end(s);
	return buf;
}

static void has(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing '%s' in:\n%s", line, text);
}

static void lacks(const char *text, const char *what)
{
	if (strstr(text, what))
		fail_msg("'%s' should not be in:\n%s", what, text);
}

/* A hist of one string key "comm" counted by hitcount, made by hand for the state tests. */
static struct ft_hist *mk(const char *const *keys, const uint64_t *counts, size_t n)
{
	struct ft_hist *h = ft_hist_alloc("sched:sched_switch", "", "bpf");

	h->name = "t";
	h->nkeys = 1;
	h->keys[0] = (struct ft_hist_col){ .name = "comm", .modifier = "", .kind = FT_KEY_STR };
	h->nvals = 1;
	h->vals[0] = (struct ft_hist_col){ .name = "hitcount", .modifier = "", .shown = true };
	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		e->keys[0] = (struct ft_key){ .kind = FT_KEY_STR, .str = keys[i] };
		e->vals[0] = counts[i];
		h->hits += counts[i];
	}
	h->nentries_total = n;
	return h;
}

static char *scrape_mk(struct ft_om_state *st, size_t limit, const char *const *keys,
		       const uint64_t *counts, size_t n, double now)
{
	struct ft_hist *h = mk(keys, counts, n);
	char *text = expose(st, limit, false, &h, 1, FT_OM_OPENMETRICS, now);

	ft_hist_free(h);
	return text;
}

static void test_names(void **state)
{
	static const struct {
		const char *in, *metric, *label;
	} cases[] = {
		{ "sched_switch", "sched_switch", "sched_switch" },
		{ "bytesReq", "bytes_req", "bytes_req" },
		{ "a.b-c", "a_b_c", "a_b_c" },
		{ "__x__", "x", "x" },
		{ "1abc", "1abc", "_1abc" },
		{ "common_pid.execname", "common_pid_execname", "common_pid_execname" },
		{ "sys_enter_openat", "sys_enter_openat", "sys_enter_openat" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ft_om_sanitize(buf, sizeof(buf), cases[i].in, false);
		assert_string_equal(buf, cases[i].metric);
		ft_om_sanitize(buf, sizeof(buf), cases[i].in, true);
		assert_string_equal(buf, cases[i].label);
	}
	ft_om_double(buf, sizeof(buf), 1.6e-05);
	assert_string_equal(buf, "1.6e-05");
	ft_om_double(buf, sizeof(buf), 294480 / 1e6);
	assert_string_equal(buf, "0.29448");
	ft_om_double(buf, sizeof(buf), 90);
	assert_string_equal(buf, "90");
}

static void test_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ft_om_escape(f,
		     "a\\b\"c\nd\xff"
		     "e\xc3\xa9",
		     false);
	fclose(f);
	assert_string_equal(buf, "a\\\\b\\\"c\\nd?e\xc3\xa9");
	free(buf);
}

static void test_negotiate(void **state)
{
	assert_int_equal(ft_om_negotiate(NULL), FT_OM_TEXT);
	assert_int_equal(ft_om_negotiate("*/*"), FT_OM_TEXT);
	assert_int_equal(ft_om_negotiate("text/plain;version=0.0.4"), FT_OM_TEXT);
	/* what Prometheus 2.42 sends */
	assert_int_equal(ft_om_negotiate("application/openmetrics-text;version=1.0.0,"
					 "application/openmetrics-text;version=0.0.1;q=0.75,"
					 "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
			 FT_OM_OPENMETRICS);
	assert_int_equal(ft_om_negotiate("application/openmetrics-text"), FT_OM_OPENMETRICS);
	assert_int_equal(ft_om_negotiate("application/openmetrics-text; q=0"), FT_OM_TEXT);
	assert_int_equal(ft_om_negotiate("application/openmetrics-text; version=0.0.1"),
			 FT_OM_TEXT);
	assert_int_equal(ft_om_negotiate("application/openmetrics-textx"), FT_OM_TEXT);
}

/* log2.hist: bytes_req.log2 as a histogram in bytes, bytes_alloc summed as a counter. */
static void test_log2(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	size_t n;
	struct ft_hist **v = load("log2", "kmem:kmalloc", &n);
	char *t = expose(st, 0, false, v, n, FT_OM_TEXT, 100);
	char *om = expose(st, 0, false, v, n, FT_OM_OPENMETRICS, 200);
	const char *b = "ftrig_kmem_kmalloc_bytes_req_bytes_bucket{agg=\"bytes_req.log2\","
			"backend=\"hist\",le=";

	has(t, "# TYPE ftrig_kmem_kmalloc_bytes_req_bytes histogram\n");
	/* every power of two below the largest bucket, cumulative */
	for (const char *const *l =
		     (const char *const[]){ "\"1\"} 0\n", "\"8\"} 0\n", "\"16\"} 268\n",
					    "\"32\"} 416\n", "\"2048\"} 716\n", "\"4096\"} 882\n",
					    "\"+Inf\"} 882\n", NULL };
	     *l; l++) {
		char line[256];

		snprintf(line, sizeof(line), "%s%s", b, *l);
		has(t, line);
		has(om, line);
	}
	has(t, "ftrig_kmem_kmalloc_bytes_req_bytes_count{agg=\"bytes_req.log2\",backend=\"hist\"} "
	       "882\n");
	lacks(t, "_bytes_req_bytes_sum"); /* the sum of a log2 key is not known */
	has(t,
	    "# TYPE ftrig_kmem_kmalloc_bytes_alloc_bytes_total counter\n"
	    "ftrig_kmem_kmalloc_bytes_alloc_bytes_total{agg=\"bytes_req.log2\",backend=\"hist\"} "
	    "833792\n");
	has(t, "ftrig_dropped_events_total{event=\"kmem:kmalloc\",agg=\"bytes_req.log2\","
	       "backend=\"hist\"} 0\n");
	lacks(t, "# EOF");
	lacks(t, "_created");
	/* OpenMetrics: the family without _total, its unit, no _count without a _sum */
	has(om, "# TYPE ftrig_kmem_kmalloc_bytes_alloc_bytes counter\n"
		"# UNIT ftrig_kmem_kmalloc_bytes_alloc_bytes bytes\n");
	has(om, "# UNIT ftrig_kmem_kmalloc_bytes_req_bytes bytes\n");
	lacks(om, "_bytes_req_bytes_count");
	assert_string_equal(om + strlen(om) - 6, "# EOF\n");
	free(t);
	free(om);
	ft_hist_free_all(v, n);
	ft_om_state_free(st);
}

/* buckets.hist: a linear bucket's lower bound is a bucket too, so quantiles stay inside. */
static void test_buckets(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	size_t n;
	struct ft_hist **v = load("buckets", "kmem:kmalloc", &n);
	char *t = expose(st, 0, false, v, n, FT_OM_TEXT, 100);
	const char *b = "ftrig_kmem_kmalloc_bytes_req_bytes_bucket{agg=\"bytes_req.buckets=64\","
			"backend=\"hist\",le=";
	char line[256];

	snprintf(line, sizeof(line),
		 "%s\"63\"} 434\n%s\"127\"} 539\n%s\"191\"} 580\n%s\"255\"} "
		 "580\n%s\"319\"} 622\n",
		 b, b, b, b, b);
	has(t, line);
	snprintf(line, sizeof(line), "%s\"4159\"} 914\n%s\"+Inf\"} 914\n", b, b);
	has(t, line);
	free(t);
	ft_hist_free_all(v, n);
	ft_om_state_free(st);
}

/* The series limit: the largest label sets, then one 'other' holding the rest. */
static void test_limit(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	size_t n, lines = 0;
	struct ft_hist **v = load("execname", "sched:sched_switch", &n);
	char *t = expose(st, 3, false, v, n, FT_OM_TEXT, 100);
	uint64_t sum = 0;

	for (const char *p = t; (p = strstr(p, "\nftrig_sched_sched_switch_events_total{"));) {
		p = strchr(p, '}') + 2;
		sum += strtoull(p, NULL, 10);
		lines++;
	}
	assert_int_equal(lines, 4);
	assert_int_equal(sum, v[0]->hits);
	has(t, "common_pid=\"0\",comm=\"<idle>\"} 188\n");
	has(t, "ftrig_sched_sched_switch_events_total{agg=\"common_pid.execname\",backend=\"hist\","
	       "ftrig_other=\"true\"} 143\n");
	free(t);
	ft_hist_free_all(v, n);
	ft_om_state_free(st);
}

/* A value that goes down, or a key the table lost: every series of it starts again. */
static void test_reset(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	const char *const keys[] = { "a", "b" };
	char *t;

	t = scrape_mk(st, 0, keys, (const uint64_t[]){ 10, 5 }, 2, 100);
	lacks(t, "_created"); /* there before the first scrape: when it began is not known */
	free(t);
	t = scrape_mk(st, 0, keys, (const uint64_t[]){ 12, 5 }, 2, 200);
	lacks(t, "_events_created");
	free(t);
	t = scrape_mk(st, 0, keys, (const uint64_t[]){ 3, 5 }, 2, 300);
	has(t, "events_total{agg=\"t\",backend=\"bpf\",comm=\"a\"} 3\n"
	       "ftrig_sched_sched_switch_events_created{agg=\"t\",backend=\"bpf\",comm=\"a\"} "
	       "200.000\n");
	/* b did not go down, but its table was cleared too */
	has(t, "ftrig_sched_sched_switch_events_created{agg=\"t\",backend=\"bpf\",comm=\"b\"} "
	       "200.000\n");
	free(t);
	t = scrape_mk(st, 0, keys, (const uint64_t[]){ 4, 6 }, 2, 400);
	has(t, "events_created{agg=\"t\",backend=\"bpf\",comm=\"a\"} 200.000\n");
	free(t);
	/* cleared, and a grew past its old count: b is gone, so it is a reset all the same */
	t = scrape_mk(st, 0, keys, (const uint64_t[]){ 50 }, 1, 500);
	has(t, "events_created{agg=\"t\",backend=\"bpf\",comm=\"a\"} 400.000\n");
	free(t);
	/* a key new since the last scrape began after it */
	t = scrape_mk(st, 0, (const char *const[]){ "a", "c" }, (const uint64_t[]){ 51, 1 }, 2,
		      600);
	has(t, "events_created{agg=\"t\",backend=\"bpf\",comm=\"a\"} 400.000\n");
	has(t, "events_created{agg=\"t\",backend=\"bpf\",comm=\"c\"} 500.000\n");
	free(t);
	ft_om_state_free(st);
}

/* An aggregation missing from a scrape: new when it comes back, unless the scrape was partial. */
static void test_partial(void **state)
{
	struct ft_om_opts o = { .limit = 0 };
	const char *const keys[] = { "a" };

	for (int partial = 0; partial < 2; partial++) {
		struct ft_om_state *st = ft_om_state_alloc();
		struct ft_om_scrape *s;
		char *t;

		free(scrape_mk(st, 0, keys, (const uint64_t[]){ 10 }, 1, 100));
		s = ft_om_scrape_begin(st, &o, 200); /* the aggregation could not be read */
		if (partial)
			ft_om_scrape_partial(s);
		ft_om_scrape_end(s);
		t = scrape_mk(st, 0, keys, (const uint64_t[]){ 12 }, 1, 300);
		if (partial)
			lacks(t, "_created");
		else
			has(t, "events_created{agg=\"t\",backend=\"bpf\",comm=\"a\"} 200.000\n");
		free(t);
		ft_om_state_free(st);
	}
}

/* A key never moves between its own series and 'other': neither goes down. */
static void test_sticky(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	char *t;

	t = scrape_mk(st, 1, (const char *const[]){ "a", "b" }, (const uint64_t[]){ 10, 5 }, 2,
		      100);
	has(t, "comm=\"a\"} 10\n");
	has(t, "ftrig_other=\"true\"} 5\n");
	free(t);
	/* b outgrew a: still in 'other'; c is new but there is no room */
	t = scrape_mk(st, 1, (const char *const[]){ "a", "b", "c" },
		      (const uint64_t[]){ 10, 100, 1 }, 3, 200);
	has(t, "comm=\"a\"} 10\n");
	has(t, "ftrig_other=\"true\"} 101\n");
	lacks(t, "comm=\"b\"");
	lacks(t, "_created");
	free(t);
	ft_om_state_free(st);

	/* room left: a new key gets its own series */
	st = ft_om_state_alloc();
	t = scrape_mk(st, 2, (const char *const[]){ "a" }, (const uint64_t[]){ 10 }, 1, 100);
	free(t);
	t = scrape_mk(st, 2, (const char *const[]){ "a", "b" }, (const uint64_t[]){ 10, 1 }, 2,
		      200);
	has(t, "comm=\"b\"} 1\n");
	lacks(t, "ftrig_other");
	free(t);
	ft_om_state_free(st);
}

/* Stacks are summed over unless asked for; asked for, a folded label, outermost first. */
static void test_stacks(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	size_t n;
	struct ft_hist **v = load("stacktrace", "sched:sched_switch", &n);
	char *t = expose(st, 0, false, v, n, FT_OM_TEXT, 100), *s, line[128];

	snprintf(line, sizeof(line),
		 "ftrig_sched_sched_switch_events_total{agg=\"stacktrace\","
		 "backend=\"hist\"} %llu\n",
		 (unsigned long long)v[0]->hits);
	has(t, line);
	s = expose(st, 0, true, v, n, FT_OM_TEXT, 200);
	has(s, "stacktrace=\"");
	lacks(s, "ftrig_other");
	free(t);
	free(s);
	ft_hist_free_all(v, n);
	ft_om_state_free(st);
}

/* Key text that needs escaping, and two label names that would be the same. */
static void test_labels(void **state)
{
	struct ft_om_state *st = ft_om_state_alloc();
	const char *const keys[] = { "a\"b\\c\nd" };
	char *t = scrape_mk(st, 0, keys, (const uint64_t[]){ 1 }, 1, 100);

	has(t, "comm=\"a\\\"b\\\\c\\nd\"} 1\n");
	free(t);
	ft_om_state_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	  cmocka_unit_test(test_escape),
		cmocka_unit_test(test_negotiate), cmocka_unit_test(test_log2),
		cmocka_unit_test(test_buckets),	  cmocka_unit_test(test_limit),
		cmocka_unit_test(test_reset),	  cmocka_unit_test(test_partial),
		cmocka_unit_test(test_sticky),	  cmocka_unit_test(test_stacks),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
