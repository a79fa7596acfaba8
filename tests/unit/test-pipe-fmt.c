// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig pipe's fast text formatter (src/pipe/fmt.c) against the libtraceevent one it
 * replaces (ft_pipe_text_event()), byte for byte: every event of sub-buffer pages captured on
 * the host (tests/fixtures/host-6.18/pipe-pages: sched, irq, softirq, timer and syscall events,
 * the idle task, a 15-character task name), then those records with timestamps around second
 * boundaries, every pair of latency bytes, and task names of every length.
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
#include <traceevent/kbuffer.h>
#include <traceevent/trace-seq.h>

#include "faketfs.h"
#include "pipe/fmt.h"
#include "pipe/pipe.h"

#define PAGES "host-6.18/pipe-pages"
#define PSIZE 4096

static const char *const events[] = {
	"sched/sched_switch",	      "sched/sched_wakeup",	    "sched/sched_waking",
	"irq/irq_handler_entry",      "irq/irq_handler_exit",	    "irq/softirq_entry",
	"irq/softirq_exit",	      "irq/softirq_raise",	    "timer/hrtimer_start",
	"timer/hrtimer_expire_entry", "syscalls/sys_enter_getppid", "syscalls/sys_enter_nanosleep",
};

static struct tep_handle *pages_tep(void)
{
	struct tep_handle *tep = tep_alloc();
	char rel[256], *text;

	text = fixture_read(PAGES "/header_page");
	assert_non_null(text);
	tep_parse_header_page(tep, text, (unsigned long)strlen(text), 8);
	free(text);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char sys[32];

		snprintf(rel, sizeof(rel), PAGES "/events/%s/format", events[i]);
		text = fixture_read(rel);
		assert_non_null(text);
		snprintf(sys, sizeof(sys), "%.*s", (int)strcspn(events[i], "/"), events[i]);
		assert_int_equal(tep_parse_event(tep, text, strlen(text), sys), 0);
		free(text);
	}
	return tep;
}

/* Both formatters on one record; they must agree to the byte. */
static void same(struct ft_pipe_fmt *fmt, struct tep_handle *tep, struct tep_record *rec,
		 const char *comm)
{
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	FILE *fa = open_memstream(&a, &al), *fb = open_memstream(&b, &bl);
	struct trace_seq seq;

	trace_seq_init(&seq);
	ft_pipe_text_event(fa, tep, rec, comm, &seq);
	ft_pipe_fmt_event(fmt, fb, tep, rec, comm);
	trace_seq_destroy(&seq);
	fclose(fa);
	fclose(fb);
	if (strcmp(a, b))
		fail_msg("libtraceevent: [%s]\nfast:          [%s]", a, b);
	free(a);
	free(b);
}

/* The name pipe shows for a pid of these pages (no saved_cmdlines came with them). */
static const char *comm_for(struct tep_handle *tep, struct tep_record *rec)
{
	int pid = tep_data_pid(tep, rec);

	return pid == 0 ? "<idle>" : pid % 7 == 0 ? NULL : pid % 2 ? "abcdefghijklmno" : "sh";
}

static const unsigned long long stamps[] = {
	0,
	1,
	499,
	500,
	999499,
	999500,
	999999,
	1000000,
	1000499,
	1000500,
	999999499,
	999999500,
	1000000000ULL,
	1000000499,
	1000000500ULL,
	59999999499ULL,
	59999999500ULL,
	100000000000000ULL,
	18446744073709551615ULL,
};

static const char *const comms[] = {
	"",
	"a",
	"<idle>",
	"<...>",
	"abcdefghijklmn",
	"abcdefghijklmno",
	"abcdefghijklmnop",
	"kworker/0:1H-kblockd",
};

/* One record seen every way: timestamps, latency bytes, task names. */
static void variants(struct ft_pipe_fmt *fmt, struct tep_handle *tep, struct tep_record *rec,
		     unsigned step)
{
	struct tep_format_field *fl, *pc;
	struct tep_event *ev = tep_find_event_by_record(tep, rec);
	unsigned long long ts = rec->ts;
	unsigned char *d = rec->data, save[2];

	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
		rec->ts = stamps[i];
		same(fmt, tep, rec, "sh");
	}
	rec->ts = ts;
	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++)
		same(fmt, tep, rec, comms[i]);
	fl = tep_find_common_field(ev, "common_flags");
	pc = tep_find_common_field(ev, "common_preempt_count");
	assert_non_null(fl);
	assert_non_null(pc);
	save[0] = d[fl->offset];
	save[1] = d[pc->offset];
	/* Twice: the second round comes from the formatter's cache. */
	for (int round = 0; round < 2; round++)
		for (unsigned k = 0; k < 65536; k += round ? 7 * step : step) {
			d[fl->offset] = (unsigned char)(k >> 8);
			d[pc->offset] = (unsigned char)k;
			same(fmt, tep, rec, "sh");
		}
	d[fl->offset] = save[0];
	d[pc->offset] = save[1];
}

/* Every event of one CPU's captured pages; returns how many, and which events were seen. */
static int cpu_pages(struct ft_pipe_fmt *fmt, struct tep_handle *tep, int cpu, bool *seen)
{
	struct kbuffer *kb = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	char rel[64], path[4096];
	static char page[PSIZE];
	int n = 0;
	FILE *f;

	snprintf(rel, sizeof(rel), PAGES "/cpu%d.raw", cpu);
	snprintf(path, sizeof(path), "%s/%s", FT_FIXTURES, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	while (fread(page, 1, PSIZE, f) == PSIZE) {
		unsigned long long ts;

		kbuffer_load_subbuffer(kb, page);
		for (void *e = kbuffer_read_event(kb, &ts); e; e = kbuffer_next_event(kb, &ts)) {
			struct tep_record rec = { .ts = ts, .cpu = cpu, .data = e };
			struct tep_event *ev;

			rec.size = kbuffer_event_size(kb);
			ev = tep_find_event_by_record(tep, &rec);
			if (!ev)
				continue;
			same(fmt, tep, &rec, comm_for(tep, &rec));
			for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
				if (!strcmp(strchr(events[i], '/') + 1, ev->name) && !seen[i]) {
					/* Every latency byte pair once, a sample after. */
					variants(fmt, tep, &rec, n ? 97 : 1);
					seen[i] = true;
				}
			n++;
		}
	}
	fclose(f);
	kbuffer_free(kb);
	return n;
}

static void test_fast_text_matches_libtraceevent(void **state)
{
	struct tep_handle *tep = pages_tep();
	bool seen[sizeof(events) / sizeof(events[0])] = { 0 };
	struct ft_pipe_fmt fmt;
	int n = 0, kinds = 0;

	ft_pipe_fmt_init(&fmt);
	for (int cpu = 0; cpu < 2; cpu++)
		n += cpu_pages(&fmt, tep, cpu, seen);
	ft_pipe_fmt_free(&fmt);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		kinds += seen[i];
		if (seen[i])
			print_message("  %s\n", events[i]);
	}
	print_message("%d captured events of %d kinds compared\n", n, kinds);
	assert_true(n > 500);
	assert_true(kinds >= 8);
	assert_true(seen[10]); /* sys_enter_getppid: a print fmt without arguments */
	tep_free(tep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_text_matches_libtraceevent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
