// SPDX-License-Identifier: GPL-2.0-only
/*
 * The offline counter of `ftrig report --key` (src/record/count.c): records laid out from
 * event formats captured on the host kernel (tests/fixtures/host-6.18), counted as the BPF
 * aggregator counts live events: log2 buckets as the kernel's .log2, signed filters, the
 * task name of .execname, a glob of events keyed by event, a full table dropping new keys,
 * and requests refused with the planner's words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>

#include "faketfs.h"
#include "hist/hist.h"
#include "hist/spec.h"
#include "record/count.h"

static void load(struct tep_handle *tep, const char *sys, const char *ev)
{
	char rel[256], *text;

	snprintf(rel, sizeof(rel), "host-6.18/events/%s/%s/format", sys, ev);
	text = fixture_read(rel);
	assert_non_null(text);
	assert_int_equal(tep_parse_event(tep, text, strlen(text), sys), 0);
	free(text);
}

static struct tep_handle *tep_read_events(void)
{
	struct tep_handle *tep = tep_alloc();

	load(tep, "syscalls", "sys_exit_read");
	load(tep, "syscalls", "sys_enter_read");
	load(tep, "syscalls", "sys_enter_getppid");
	tep_register_comm(tep, "wl", 100);
	tep_register_comm(tep, "other", 200);
	return tep;
}

/* Count one record of @sys:@ev by @pid with field @name = @v (no field when NULL). */
static void add(struct ft_rec_count *c, struct tep_handle *tep, const char *ev, int pid,
		const char *name, uint64_t v)
{
	struct tep_event *e = tep_find_event_by_name(tep, "syscalls", ev);
	unsigned char data[64] = { 0 };
	struct tep_record rec = { .cpu = 1, .data = data, .size = 32 };
	struct tep_format_field *f;
	uint64_t type = (uint64_t)e->id;

	memcpy(data, &type, 2);
	memcpy(data + 4, &pid, 4);
	if (name) {
		f = tep_find_any_field(e, name);
		assert_non_null(f);
		memcpy(data + f->offset, &v, (size_t)f->size);
	}
	assert_int_equal(ft_rec_count_add(c, &rec), 0);
}

/* The counter of the request in @line (split on spaces, as a command line). */
static int counter(struct tep_handle *tep, char *line, struct ft_rec_count **c, char *err)
{
	static char *argv[32];
	static struct ft_hist_spec spec;
	int argc = 0;

	for (char *w = strtok(line, " "); w; w = strtok(NULL, " "))
		argv[argc++] = w;
	assert_int_equal(ft_hist_spec_parse(argc, argv, &spec, err, 256), 0);
	return ft_rec_count_alloc(&spec, tep, c, err, 256);
}

/* The hitcount of the row whose first key is @num (or whose string key is @str). */
static uint64_t hits(const struct ft_hist *h, uint64_t num, const char *str)
{
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_key *k = &h->entries[i].keys[0];

		if (str ? k->str && !strcmp(k->str, str) : k->num == num)
			return h->entries[i].vals[0];
	}
	return 0;
}

static void test_log2(void **state)
{
	static const uint64_t ret[] = { 0, 1, 2, 3, 4, 5, 8, 9, 1000, 1024, 1025 };
	struct tep_handle *tep = tep_read_events();
	char line[] = "syscalls:sys_exit_read --key ret.log2", err[256];
	struct ft_rec_count *c;
	struct ft_hist *h;

	assert_int_equal(counter(tep, line, &c, err), 0);
	for (size_t i = 0; i < sizeof(ret) / sizeof(ret[0]); i++)
		add(c, tep, "sys_exit_read", 100, "ret", ret[i]);
	add(c, tep, "sys_enter_read", 100, "count", 4); /* another event: not counted */
	assert_int_equal(ft_rec_count_hist(c, &h), 0);
	assert_int_equal(h->hits, 11);
	assert_int_equal(h->keys[0].kind, FT_KEY_LOG2);
	/* bucket n holds 2^(n-1) < x <= 2^n, 0 holds 0 and 1 (hist.h) */
	assert_int_equal(hits(h, 0, NULL), 2);
	assert_int_equal(hits(h, 1, NULL), 1);
	assert_int_equal(hits(h, 2, NULL), 2);
	assert_int_equal(hits(h, 3, NULL), 2);
	assert_int_equal(hits(h, 4, NULL), 1);
	assert_int_equal(hits(h, 10, NULL), 2);
	assert_int_equal(hits(h, 11, NULL), 1);
	ft_hist_free(h);
	ft_rec_count_free(c);
	tep_free(tep);
}

static void test_filter_execname(void **state)
{
	struct tep_handle *tep = tep_read_events();
	char line[] = "syscalls:sys_exit_read --key common_pid.execname --val ret --filter ret<0",
	     err[256];
	struct ft_rec_count *c;
	struct ft_hist *h;

	assert_int_equal(counter(tep, line, &c, err), 0);
	add(c, tep, "sys_exit_read", 100, "ret", (uint64_t)-5);
	add(c, tep, "sys_exit_read", 100, "ret", 7);
	add(c, tep, "sys_exit_read", 200, "ret", (uint64_t)-1);
	add(c, tep, "sys_exit_read", 100, "ret", (uint64_t)-2);
	assert_int_equal(ft_rec_count_hist(c, &h), 0);
	assert_int_equal(h->hits, 3); /* signed: 7 is left out, -5, -1, -2 counted */
	assert_int_equal(h->nentries, 2);
	assert_string_equal(h->keys[0].modifier, "execname");
	assert_int_equal(hits(h, 0, "wl"), 2);
	assert_int_equal(hits(h, 0, "other"), 1);
	for (size_t i = 0; i < h->nentries; i++)
		if (h->entries[i].keys[0].num == 100)
			assert_int_equal((int64_t)h->entries[i].vals[1], -7);
	ft_hist_free(h);
	ft_rec_count_free(c);
	tep_free(tep);
}

static void test_glob_event_key(void **state)
{
	struct tep_handle *tep = tep_read_events();
	char line[] = "syscalls:sys_enter_* --key event", err[256];
	struct ft_rec_count *c;
	struct ft_hist *h;

	assert_int_equal(counter(tep, line, &c, err), 0);
	add(c, tep, "sys_enter_read", 100, "count", 16);
	add(c, tep, "sys_enter_getppid", 100, NULL, 0);
	add(c, tep, "sys_enter_getppid", 200, NULL, 0);
	add(c, tep, "sys_exit_read", 100, "ret", 1); /* not sys_enter_*: not counted */
	assert_int_equal(ft_rec_count_hist(c, &h), 0);
	assert_int_equal(h->hits, 3);
	assert_int_equal(hits(h, 0, "syscalls:sys_enter_getppid"), 2);
	assert_int_equal(hits(h, 0, "syscalls:sys_enter_read"), 1);
	ft_hist_free(h);
	ft_rec_count_free(c);
	tep_free(tep);
}

static void test_full_table(void **state)
{
	struct tep_handle *tep = tep_read_events();
	char line[] = "syscalls:sys_enter_read --key count --size 128", err[256];
	struct ft_rec_count *c;
	struct ft_hist *h;

	assert_int_equal(counter(tep, line, &c, err), 0);
	for (uint64_t i = 0; i < 130; i++)
		add(c, tep, "sys_enter_read", 100, "count", i);
	add(c, tep, "sys_enter_read", 100, "count", 5); /* a known key still counts */
	assert_int_equal(ft_rec_count_hist(c, &h), 0);
	assert_int_equal(h->nentries, 128);
	assert_int_equal(h->dropped, 2);
	assert_int_equal(h->hits, 131);
	assert_int_equal(hits(h, 5, NULL), 2);
	ft_hist_free(h);
	ft_rec_count_free(c);
	tep_free(tep);
}

static void test_refused(void **state)
{
	struct tep_handle *tep = tep_read_events();
	char typo[] = "syscalls:sys_enter_read --key cuont", none[] = "sched:* --key common_pid",
	     stack[] = "syscalls:sys_enter_read --key common_stacktrace", err[256];
	struct ft_rec_count *c = NULL;

	assert_int_not_equal(counter(tep, typo, &c, err), 0);
	assert_non_null(strstr(err, "did you mean count?"));
	assert_int_not_equal(counter(tep, none, &c, err), 0);
	assert_non_null(strstr(err, "no event sched:* in the file"));
	assert_int_not_equal(counter(tep, stack, &c, err), 0);
	assert_null(c);
	tep_free(tep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log2),	       cmocka_unit_test(test_filter_execname),
		cmocka_unit_test(test_glob_event_key), cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
