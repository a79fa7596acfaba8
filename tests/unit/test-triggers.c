// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trigger grammar on corpora: every valid trigger round-trips (parse -> format -> parse)
 * and formats canonically exactly as the 6.1 kernel listed it (captured in the VM by
 * tests/vm/capture/triggers.sh); every invalid one gets its expected message and caret; the
 * kernel's own error_log entries land on the right token.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "faketfs.h"
#include "format.h"
#include "hist/spec.h"
#include "triggers/latency.h"
#include "suggest.h"
#include "triggers/compare.h"
#include "triggers/errors.h"
#include "triggers/from-spec.h"
#include "triggers/parse.h"
#include "triggers/print.h"
#include "triggers/validate.h"

#define VM_TRIGGERS                                                                    \
	"traceon traceoff snapshot stacktrace enable_event disable_event enable_hist " \
	"disable_hist hist"
#define HOST_TRIGGERS "traceon traceoff stacktrace enable_event disable_event"

/* Splits @line at tabs into at most @max fields; returns how many. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

/* An event exists when the fixture tree has its format, or it is a corpus synthetic event. */
static bool fixture_event_exists(const char *sys, const char *ev, void *data)
{
	char path[512];
	struct stat st;

	if (!strcmp(sys, "synthetic"))
		return !strncmp(ev, "ftcorpus_", 9);
	snprintf(path, sizeof(path), "%s/%s/events/%s/%s/format", FT_FIXTURES, (char *)data, sys,
		 ev);
	return stat(path, &st) == 0;
}

/* The format of "sys:event" from fixture @tree (caller frees). */
static struct ft_event_format *fixture_format(const char *tree, const char *name)
{
	char rel[512], sys[128];
	const char *colon = strchr(name, ':');
	struct ft_event_format *fmt = NULL;
	char *text;

	snprintf(sys, sizeof(sys), "%.*s", (int)(colon - name), name);
	snprintf(rel, sizeof(rel), "%s/events/%s/%s/format", tree, sys, colon + 1);
	text = fixture_read(rel);
	assert_non_null(text);
	assert_int_equal(ft_format_parse(sys, text, &fmt), 0);
	free(text);
	return fmt;
}

static int check_valid(const char *event, const char *written, const char *listed)
{
	struct ft_trigger t, t2, tl;
	struct ft_trig_error err;
	struct ft_event_format *fmt = fixture_format("vm-6.1", event);
	char *readme = fixture_read("vm-6.1/README");
	struct ft_trig_env env = {
		event, fmt, VM_TRIGGERS, readme, fixture_event_exists, "vm-6.1"
	};
	char *canon, *text, *canon2, *lcanon;

	if (ft_trigger_parse(written, &t, &err))
		fail_msg("'%s' does not parse: %s", written, err.msg);
	if (ft_trigger_validate(&t, &env, &err))
		fail_msg("'%s' on %s does not validate: %s", written, event, err.msg);
	canon = ft_trigger_canonical(&t, true);
	if (strcmp(canon, listed))
		fail_msg("'%s':\n  ftrig:  %s\n  kernel: %s", written, canon, listed);
	/* written form round trip */
	text = ft_trigger_format(&t);
	assert_int_equal(ft_trigger_parse(text, &t2, &err), 0);
	canon2 = ft_trigger_canonical(&t2, true);
	assert_string_equal(canon2, canon);
	assert_true(ft_trigger_same(&t, &t2));
	/* listed form round trip, and matching by meaning */
	if (ft_trigger_parse(listed, &tl, &err))
		fail_msg("listed '%s' does not parse: %s", listed, err.msg);
	lcanon = ft_trigger_canonical(&tl, true);
	assert_string_equal(lcanon, listed);
	assert_true(ft_trigger_same(&t, &tl));
	assert_true(ft_trigger_text_same(written, listed));
	free(canon);
	free(canon2);
	free(lcanon);
	free(text);
	free(readme);
	ft_trigger_release(&t);
	ft_trigger_release(&t2);
	ft_trigger_release(&tl);
	ft_format_free(fmt);
	return 0;
}

static void test_corpus_valid(void **state)
{
	char *text = fixture_read("triggers/vm-6.1-listed.txt"), *save = NULL, *line;
	char *corpus = fixture_read("triggers/corpus-valid.txt");
	size_t n = 0, ncorpus = 0;

	assert_non_null(text);
	assert_non_null(corpus);
	for (line = strtok_r(corpus, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		ncorpus += line[0] != '#' && line[0] != '@';
	save = NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[3];

		assert_int_equal(split_tabs(line, f, 3), 3);
		if (!strncmp(f[2], "!ERROR", 6))
			fail_msg("the kernel refused corpus trigger '%s': %s", f[1], f[2]);
		check_valid(f[0], f[1], f[2]);
		n++;
	}
	/* every corpus line was captured, and the corpus covers enough */
	assert_int_equal(n, ncorpus);
	assert_true(n >= 100);
	free(text);
	free(corpus);
}

/* Corpus of invalid triggers: ENV<TAB>EVENT<TAB>SPEC<TAB>CARET<TAB>MESSAGE. */
static void test_corpus_invalid(void **state)
{
	char *text = fixture_read("triggers/corpus-invalid.txt"), *save = NULL, *line;
	char *readme = fixture_read("vm-6.1/README");
	size_t n = 0;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ft_event_format *fmt;
		struct ft_trigger t;
		struct ft_trig_error err;
		bool vm;
		char *f[5];
		int ret;

		if (line[0] == '#')
			continue;
		assert_int_equal(split_tabs(line, f, 5), 5);
		vm = !strcmp(f[0], "vm");
		fmt = fixture_format(vm ? "vm-6.1" : "host-6.18", f[1]);
		{
			struct ft_trig_env env = { f[1],
						   fmt,
						   vm ? VM_TRIGGERS : HOST_TRIGGERS,
						   vm ? readme : NULL,
						   fixture_event_exists,
						   vm ? "vm-6.1" : "host-6.18" };

			ret = ft_trigger_parse(f[2], &t, &err);
			if (!ret)
				ret = ft_trigger_validate(&t, &env, &err);
		}
		if (ret != -EINVAL)
			fail_msg("'%s' was accepted", f[2]);
		if (strcmp(err.msg, f[4]))
			fail_msg("'%s':\n  got:      %s\n  expected: %s", f[2], err.msg, f[4]);
		if (err.pos != atoi(f[3]))
			fail_msg("'%s': caret at %d, expected %s", f[2], err.pos, f[3]);
		ft_trigger_release(&t);
		ft_format_free(fmt);
		n++;
	}
	assert_true(n >= 40);
	free(text);
	free(readme);
}

/* The kernel's error_log entries (captured in the VM) put a caret in the user's text. */
static void test_kernel_errors(void **state)
{
	char *text = fixture_read("triggers/vm-6.1-refused.txt"), *save = NULL, *line;
	size_t n = 0;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ft_trig_error err;
		char *f[3], *entry, *p, *caret, *last;

		assert_int_equal(split_tabs(line, f, 3), 3);
		assert_true(!strncmp(f[2], "!ERROR: ", 8));
		entry = strdup(f[2] + 8);
		for (p = entry; (p = strchr(p, '|'));)
			*p = '\n';
		/* error_log keeps every entry: the last one is what ft_tfs_error_last() gives */
		last = entry;
		for (p = entry; *p && (p = strstr(p + 1, "\n[")); last = p + 1)
			;
		if (!*entry) {
			/* some refusals leave no entry (too many keys, size out of range) */
			assert_int_equal(ft_trig_kernel_error(last, f[1], &err), -ENOENT);
			free(entry);
			continue;
		}
		assert_int_equal(ft_trig_kernel_error(last, f[1], &err), 0);
		assert_true(!strncmp(err.msg, "the kernel refused it: ", 23));
		assert_true(err.pos >= 0 && (size_t)err.pos <= strlen(f[1]));
		if (!strcmp(f[1], "hist:keys=nxt_pid")) {
			assert_string_equal(err.msg, "the kernel refused it: Couldn't find field");
			assert_int_equal(err.pos, 10);
		}
		if (!strcmp(f[1], "hist:keys=next_pid.execname"))
			assert_int_equal(err.pos, 19);
		caret = ft_trig_caret(f[1], &err, "  ");
		assert_non_null(strchr(caret, '^'));
		free(caret);
		free(entry);
		n++;
	}
	assert_true(n >= 8);
	assert_int_equal(ft_trig_kernel_error("nothing", "x", &(struct ft_trig_error){ 0 }),
			 -ENOENT);
	/* an older entry about another command is not this command's error */
	assert_int_equal(
		ft_trig_kernel_error("[ 1.0] hist:a:b: error: Bad\n  Command: hist:keys=y\n"
				     "                     ^\n",
				     "hist:keys=x", &(struct ft_trig_error){ 0 }),
		-ENOENT);
	/* A filter's parse error quotes the filter alone (captured on the 6.18 host from
	 * 'traceoff if parent_pid == "x"' written to sched_process_fork's trigger). */
	{
		struct ft_trig_error err;
		const char *w = "traceoff if parent_pid == \"x\"";

		assert_int_equal(
			ft_trig_kernel_error("[ 3088.481080] event filter parse error: error: "
					     "Expecting numeric field\n"
					     "  Command: parent_pid == \"x\"\n"
					     "                          ^\n",
					     w, &err),
			0);
		assert_string_equal(err.msg, "the kernel refused it: Expecting numeric field");
		assert_int_equal(err.pos, (int)strlen("traceoff if parent_pid == \""));
		/* the same filter after another trigger is not this one's */
		assert_int_equal(ft_trig_kernel_error("[ 1.0] event filter parse error: error: X\n"
						      "  Command: parent_pid == 1\n",
						      "traceoff if parent_pid == 12", &err),
				 -ENOENT);
	}
	free(text);
}

static void test_caret_and_suggest(void **state)
{
	struct ft_trig_error err = { .pos = 10, .len = 7 };
	const char *cands[] = { "next_pid", "prev_pid", "next_comm" };
	char *s = ft_trig_caret("hist:keys=nxt_pid", &err, "  ");

	assert_string_equal(s, "  hist:keys=nxt_pid\n            ^~~~~~~\n");
	free(s);
	assert_int_equal(ft_edit_distance("nxt_pid", "next_pid"), 1);
	assert_int_equal(ft_edit_distance("", "abc"), 3);
	assert_int_equal(ft_suggest_best("nxt_pid", cands, 3), 0);
	assert_int_equal(ft_suggest_best("zzzzzz", cands, 3), -1);
	assert_int_equal(ft_hist_size_rounded(0), 2048);
	assert_int_equal(ft_hist_size_rounded(1000), 1024);
	assert_int_equal(ft_hist_size_rounded(128), 128);
}

/* Matching by meaning: counts that went down, blanks in filters, pause state. */
static void test_same(void **state)
{
	assert_true(ft_trigger_text_same("traceoff:5", "traceoff:count=2"));
	assert_false(ft_trigger_text_same("traceoff:5", "traceoff:unlimited"));
	assert_true(ft_trigger_text_same("stacktrace if a==1", "stacktrace:unlimited if a == 1"));
	assert_false(ft_trigger_text_same("stacktrace if a == 1", "stacktrace if a == 2"));
	assert_false(ft_trigger_text_same("enable_event:a:b", "enable_event:a:c"));
	assert_true(ft_trigger_text_same(
		"hist:keys=x:pause", "hist:keys=x:vals=hitcount:sort=hitcount:size=2048 [active]"));
	assert_false(ft_trigger_text_same("hist:keys=x:size=4096", "hist:keys=x"));
	assert_true(ft_trigger_text_same("hist:keys=x:size=3000", "hist:keys=x:size=4096"));
	assert_false(ft_trigger_text_same("hist:keys=x:name=a", "hist:keys=x:name=b"));
}

/* A trigger that fired before it was listed is the one written; a higher count is not (CMD-10). */
static void test_listed_as(void **state)
{
	static const struct {
		const char *written, *line;
		bool same;
	} cases[] = {
		{ "stacktrace:1", "stacktrace:count=0", true },
		{ "stacktrace:1", "stacktrace:count=1", true },
		{ "stacktrace:1", "stacktrace:count=2", false },
		{ "stacktrace:1", "stacktrace:unlimited", false },
		{ "stacktrace", "stacktrace:unlimited", true },
		{ "stacktrace", "stacktrace:count=0", false },
		{ "traceoff:5 if a==1", "traceoff:count=3 if a == 1", true },
		{ "traceoff:5 if a==1", "traceoff:count=3 if a == 2", false },
		{ "traceoff:5", "traceon:count=3", false },
		{ "enable_event:s:e:2", "enable_event:s:e:count=0", true },
		{ "enable_event:s:e:2", "enable_event:s:f:count=0", false },
		{ "traceoff:1", "# Available triggers:", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ft_trigger t;

		assert_int_equal(ft_trigger_parse(cases[i].written, &t, NULL), 0);
		if (ft_trigger_listed_as(&t, cases[i].line) != cases[i].same)
			fail_msg("'%s' listed as '%s': expected %s", cases[i].written,
				 cases[i].line, cases[i].same ? "the same" : "another");
		ft_trigger_release(&t);
	}
}

/*
 * One slot of an event, as the kernel's register and unregister functions match triggers:
 * the command (enable_X and disable_X are one kind) and target, never a hist trigger.
 */
static void test_same_slot(void **state)
{
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
		{ "traceoff", "traceoff:count=2 if pid == 1", true },
		{ "traceoff", "traceon", false },
		{ "stacktrace:5", "stacktrace:unlimited", true },
		{ "enable_event:s:e", "enable_event:s:e:count=3", true },
		{ "enable_event:s:e", "disable_event:s:e:unlimited", true },
		{ "disable_hist:s:e", "enable_hist:s:e", true },
		{ "enable_event:s:e", "enable_event:s:f", false },
		{ "enable_event:s:e", "enable_hist:s:e", false },
		{ "hist:keys=x", "hist:keys=x", false },
		{ "traceoff", "not a trigger", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (ft_trigger_text_same_slot(cases[i].a, cases[i].b) != cases[i].same ||
		    ft_trigger_text_same_slot(cases[i].b, cases[i].a) != cases[i].same)
			fail_msg("'%s' and '%s': expected %s", cases[i].a, cases[i].b,
				 cases[i].same ? "one slot" : "two");
	}
}

/* What the kernel takes but hardly means is accepted with a warning, not refused. */
static void test_warnings(void **state)
{
	static const struct {
		const char *spec, *warn;
	} cases[] = {
		{ "hist:keys=next_pid:vals=next_comm",
		  "'next_comm' is a string: its sum as a value means nothing (make it a key)" },
		{ "hist:keys=next_pid.usecs",
		  "'.usecs' converts common_timestamp; on 'next_pid' it does nothing" },
		{ "hist:keys=next_comm.hex",
		  "'next_comm' is a string: '.hex' shows nothing useful on it" },
		{ "hist:keys=next_pid:vals=prev_prio", "" },
		/* the 6.1 kernel takes each of these and does nothing useful with it (CMD-7) */
		{ "hist:keys=prev_pid:keys=next_prio",
		  "keys= is given 2 times; the kernel keeps only the last (keys=next_prio): put "
		  "every key in one keys= list" },
		{ "hist:keys=next_pid:clock=nosuch",
		  "clock=nosuch does nothing here: the kernel sets the clock only for a hist that "
		  "uses common_timestamp" },
		{ "hist:keys=next_pid:vals=common_timestamp.usecs:clock=mono", "" },
		{ "stacktrace:0",
		  "'stacktrace:0' never fires: the count is how many more times it may fire; "
		  "leave ':0' out to fire every time" },
		{ "stacktrace:1", "" },
		/* judged by the 6.1 kernel in vm/87-refusals-judged: taken, so never refused */
		{ "traceoff:5:6",
		  "the kernel ignores what follows the count; write only one count" },
		{ "traceoff:",
		  "nothing after the ':' is no count: the trigger fires every time; leave the ':' "
		  "out" },
		{ "traceoff 5",
		  "the kernel reads a blank after the command as ':'; write the ':'" },
		{ "hist:keys=next_comm.log2",
		  "'next_comm' is a string: the kernel takes '.log2' on it but groups by the whole "
		  "string; use it on a number" },
		{ "hist:keys=prev_comm.buckets=10",
		  "'prev_comm' is a string: the kernel takes '.buckets=10' on it but groups by the "
		  "whole string; use it on a number" },
		{ "hist:keys=next_pid:lat=prev_prio:onmax($lat).snapshot(next_comm)",
		  "snapshot() takes no parameters; the kernel ignores 'next_comm'" },
	};
	struct ft_event_format *fmt = fixture_format("vm-6.1", "sched:sched_switch");
	struct ft_trig_env env = { "sched:sched_switch", fmt, VM_TRIGGERS, NULL, NULL, NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ft_trig_error err;
		struct ft_trigger t;

		if (ft_trigger_parse(cases[i].spec, &t, &err) ||
		    ft_trigger_validate(&t, &env, &err))
			fail_msg("'%s' refused: %s", cases[i].spec, err.msg);
		assert_string_equal(err.warn, cases[i].warn);
		ft_trigger_release(&t);
	}
	ft_format_free(fmt);
}

/* hist start's command line -> spec -> the trigger text written. */
static void test_hist_spec(void **state)
{
	char a0[] = "sched:sched_switch", a1[] = "--key", a2[] = "next_comm", a3[] = "--key",
	     a4[] = "prev_state.hex", a5[] = "--val", a6[] = "hitcount", a7[] = "--sort",
	     a8[] = "hitcount:desc", a9[] = "--size=4096", a10[] = "--filter",
	     a11[] = "next_pid > 0", a12[] = "--name", a13[] = "sw";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13 };
	struct ft_hist_spec spec;
	struct ft_trigger t;
	char err[256], *text;

	assert_int_equal(ft_hist_spec_parse(14, argv, &spec, err, sizeof(err)), 0);
	assert_string_equal(spec.system, "sched");
	assert_string_equal(spec.event, "sched_switch");
	assert_int_equal(spec.nkeys, 2);
	assert_string_equal(spec.keys[1].modifier, "hex");
	assert_true(spec.sort[0].descending);
	assert_int_equal(spec.size, 4096);
	assert_int_equal(ft_trigger_from_hist_spec(&spec, &t), 0);
	text = ft_trigger_format(&t);
	assert_string_equal(text, "hist:keys=next_comm,prev_state.hex:sort=hitcount.descending:"
				  "size=4096:name=sw if next_pid > 0");
	free(text);
	text = ft_trigger_canonical(&t, true);
	assert_string_equal(text, "hist:name=sw:keys=next_comm,prev_state.hex:vals=hitcount:"
				  "sort=hitcount.descending:size=4096 if next_pid > 0 [active]");
	free(text);
	ft_trigger_release(&t);
}

/* Command lines hist start refuses, each with its message. */
static void test_hist_spec_errors(void **state)
{
	static const struct {
		const char *args[4];
		const char *msg;
	} cases[] = {
		{ { "--key", "x" }, "which event? give SYSTEM:EVENT" },
		{ { "sched:sched_switch" }, "a histogram needs at least one --key FIELD" },
		{ { "sched_switch", "--key", "x" },
		  "'sched_switch' is not an event: write SYSTEM:EVENT" },
		{ { "a:b", "--key", "x", "--size" }, "--size needs a value" },
		{ { "a:b", "--size", "1000", "--key" },
		  "--size 1000 is not a power of two (the kernel would make it 1024): say --size "
		  "1024" },
		{ { "a:b", "--size", "64" }, "--size 64 is out of range: 128 to 131072 entries" },
		{ { "a:b", "--size", "lots" }, "--size takes a number of entries, not 'lots'" },
		{ { "a:b", "--sort", "x:up" }, "--sort x:up: the direction is desc or asc" },
		{ { "a:b", "--backend", "gpu" },
		  "--backend is auto, hist, bpf or both, not 'gpu'" },
		{ { "a:b", "--colour", "red" }, "unknown option '--colour'" },
		{ { "--latency", "a:b,c:d", "e:f" },
		  "--latency takes its events itself: unexpected 'e:f'" },
		{ { "a:b", "cd", "--key", "x" }, "'cd' is not an event: write SYSTEM:EVENT" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[4][64], *argv[4], err[256];
		struct ft_hist_spec spec;
		int argc = 0;

		while (argc < 4 && cases[i].args[argc]) {
			snprintf(buf[argc], sizeof(buf[argc]), "%s", cases[i].args[argc]);
			argv[argc] = buf[argc];
			argc++;
		}
		assert_int_equal(ft_hist_spec_parse(argc, argv, &spec, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].msg);
	}
}

/* Further events join the first in one table (globs are expanded later, with tracefs). */
static void test_hist_spec_events(void **state)
{
	char a[][32] = { "syscalls:sys_enter_read", "--key", "comm", "syscalls:sys_exit_*",
			 "sched/sched_switch" };
	char *argv[] = { a[0], a[1], a[2], a[3], a[4] };
	struct ft_hist_spec spec;
	char err[256];

	(void)state;
	assert_int_equal(ft_hist_spec_parse(5, argv, &spec, err, sizeof(err)), 0);
	assert_string_equal(spec.system, "syscalls");
	assert_string_equal(spec.event, "sys_enter_read");
	assert_int_equal(spec.nmore, 2);
	assert_string_equal(spec.more[0].system, "syscalls");
	assert_string_equal(spec.more[0].event, "sys_exit_*");
	assert_string_equal(spec.more[1].system, "sched");
	assert_string_equal(spec.more[1].event, "sched_switch");
}

/* --latency START(F,...),END(F,...) and --match: the fields a start and its end are matched
 * on (FIG-3); bad forms are refused with the fix. */
static void test_hist_latency_match(void **state)
{
	static const struct {
		const char *args[4];
		size_t nmatch;
		const char *start[3], *end[3], *msg;
	} cases[] = {
		{ { "--latency",
		    "block:block_rq_issue(dev,sector),block:block_rq_complete(dev,sector)" },
		  2,
		  { "dev", "sector" },
		  { "dev", "sector" },
		  NULL },
		{ { "--latency", "sched:sched_waking( pid ),sched:sched_switch(next_pid)" },
		  1,
		  { "pid" },
		  { "next_pid" },
		  NULL },
		{ { "--latency", "a:b,c:d", "--match", "pid=next_pid,cpu" },
		  2,
		  { "pid", "cpu" },
		  { "next_pid", "cpu" },
		  NULL },
		{ { "--match", "dev", "--latency", "a:b,c:d" }, 1, { "dev" }, { "dev" }, NULL },
		{ { "--latency", "a:b,c:d" }, 0, { NULL }, { NULL }, NULL },
		{ { "--latency", "a:b(x,y),c:d(x)" },
		  0,
		  { NULL },
		  { NULL },
		  "--latency 'a:b(x,y),c:d(x)': the start names 2 fields and the end 1: each start "
		  "field pairs with the end field in its place" },
		{ { "--latency", "a:b(x),c:d" },
		  0,
		  { NULL },
		  { NULL },
		  "--latency 'a:b(x),c:d': name the match fields of both events, e.g. "
		  "'block:block_rq_issue(dev,sector),block:block_rq_complete(dev,sector)', or "
		  "--match dev,sector" },
		{ { "--latency", "a:b(x,),c:d(x,y)" },
		  0,
		  { NULL },
		  { NULL },
		  "--latency 'a:b(x,),c:d(x,y)': '' is not a field name; e.g. "
		  "'block:block_rq_issue(dev,sector),block:block_rq_complete(dev,sector)', or "
		  "--match dev,sector" },
		{ { "--latency", "a:b(w,x,y,z),c:d(w,x,y,z)" },
		  0,
		  { NULL },
		  { NULL },
		  "--latency 'a:b(w,x,y,z),c:d(w,x,y,z)': at most 3 match fields (a hist trigger "
		  "takes 3 keys)" },
		{ { "--latency", "a:b(x,c:d(x)" },
		  0,
		  { NULL },
		  { NULL },
		  "--latency takes START,END (two events) in place of EVENT, not 'a:b(x,c:d(x)'" },
		{ { "--latency", "a:b(x),c:d(x)", "--match", "x" },
		  0,
		  { NULL },
		  { NULL },
		  "--match 'x': the match fields are named already (by --latency or another "
		  "--match): give them once" },
		{ { "--latency", "a:b,c:d", "--match", "x=" },
		  0,
		  { NULL },
		  { NULL },
		  "--match 'x=': write FIELD[,FIELD...], or START_FIELD=END_FIELD where the names "
		  "differ (e.g. --match pid=next_pid)" },
		{ { "a:b", "--match", "x" },
		  0,
		  { NULL },
		  { NULL },
		  "--match pairs the start and end of --latency START,END: give --latency too" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[4][96], *argv[4], err[256] = "";
		struct ft_hist_spec spec;
		int argc = 0, ret;

		while (argc < 4 && cases[i].args[argc]) {
			snprintf(buf[argc], sizeof(buf[argc]), "%s", cases[i].args[argc]);
			argv[argc] = buf[argc];
			argc++;
		}
		ret = ft_hist_spec_parse(argc, argv, &spec, err, sizeof(err));
		if (cases[i].msg) {
			assert_int_equal(ret, -EINVAL);
			assert_string_equal(err, cases[i].msg);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_non_null(spec.end_event);
		assert_int_equal(spec.nmatch, cases[i].nmatch);
		for (size_t k = 0; k < spec.nmatch; k++) {
			assert_string_equal(spec.match_start[k], cases[i].start[k]);
			assert_string_equal(spec.match_end[k], cases[i].end[k]);
		}
	}
}

/* --latency on hist triggers: the synthetic event and the three triggers of histogram.rst's
 * wakeup-latency example (CLS-5), with the match fields as keys, and how the start and end
 * triggers name the synthetic event back (CMD-4). */
static void test_latency_texts(void **state)
{
	struct ft_event_format *sw = fixture_format("vm-6.1", "sched:sched_switch");
	struct ft_hist_spec spec = { .system = "sched",
				     .event = "sched_waking",
				     .end_system = "sched",
				     .end_event = "sched_switch",
				     .match_start = { "pid" },
				     .match_end = { "next_pid" },
				     .nmatch = 1,
				     .name = "wl",
				     .filter = "prio < 100" };
	struct ft_latency lat;
	char err[256], s[64];

	(void)state;
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), 0);
	assert_string_equal(lat.synth, "wl");
	assert_string_equal(lat.def, "wl u64 lat");
	assert_string_equal(lat.start, "hist:keys=pid:wl_t0=common_timestamp.usecs:size=8192 if "
				       "prio < 100");
	assert_string_equal(lat.end, "hist:keys=next_pid:wl_lat=common_timestamp.usecs-$wl_t0:"
				     "size=8192:onmatch(sched.sched_waking).trace(wl,$wl_lat)");
	assert_string_equal(lat.hist, "hist:keys=lat.log2:name=wl");
	assert_true(ft_latency_synth_of(lat.start, s, sizeof(s)));
	assert_string_equal(s, "wl");
	assert_true(ft_latency_synth_of(lat.end, s, sizeof(s)));
	assert_string_equal(s, "wl");
	assert_false(ft_latency_synth_of(lat.hist, s, sizeof(s)));
	assert_true(ft_latency_owns("synthetic", "wl", lat.hist, "wl"));
	assert_true(ft_latency_owns("sched", "sched_switch", lat.end, "wl"));
	assert_false(ft_latency_owns("sched", "sched_switch", lat.end, "w"));
	/* as the kernel lists them */
	assert_true(ft_latency_synth_of("hist:keys=pid:vals=hitcount:wl_t0=common_timestamp.usecs:"
					"sort=hitcount:size=8192 if prio < 100 [active]",
					s, sizeof(s)));
	assert_string_equal(s, "wl");
	assert_false(ft_latency_synth_of("hist:keys=pid:ts0=common_timestamp.usecs", s, sizeof(s)));
	ft_latency_release(&lat);

	/* by thread, end fields as further keys, default name, sort and size */
	spec.nmatch = 0, spec.name = NULL, spec.filter = NULL;
	spec.keys[0] = (struct ft_hist_keyspec){ "next_comm", "" };
	spec.keys[1] = (struct ft_hist_keyspec){ "next_prio", "" };
	spec.nkeys = 2;
	spec.sort[0] = (struct ft_hist_sortspec){ "lat", false };
	spec.nsort = 1;
	spec.size = 4096;
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), 0);
	assert_string_equal(lat.synth, "lat_sched_waking");
	assert_string_equal(lat.def, "lat_sched_waking u64 lat; char next_comm[16]; int next_prio");
	assert_string_equal(lat.start, "hist:keys=common_pid:lat_sched_waking_t0="
				       "common_timestamp.usecs:size=8192");
	assert_non_null(strstr(lat.end, ".trace(lat_sched_waking,$lat_sched_waking_lat,"
					"next_comm,next_prio)"));
	assert_string_equal(lat.hist, "hist:keys=next_comm,next_prio,lat.log2:sort=lat:size=4096");
	ft_latency_release(&lat);

	/* lat keyed as asked; a table of more keys than a hist trigger takes is refused */
	spec.keys[0] = (struct ft_hist_keyspec){ "lat", "buckets=10" };
	spec.nkeys = 1;
	spec.sort[0].descending = true;
	spec.size = 0;
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), 0);
	assert_string_equal(lat.hist, "hist:keys=lat.buckets=10:sort=lat.descending");
	ft_latency_release(&lat);
	for (spec.nkeys = 0; spec.nkeys < FT_TRIG_MAX_KEYS; spec.nkeys++)
		spec.keys[spec.nkeys] = (struct ft_hist_keyspec){ "next_prio", "" };
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "too many keys for one latency");
	spec.nsort = 0;

	/* what the end event does not have, and values, are refused with the reason */
	spec.keys[1] = (struct ft_hist_keyspec){ "comm", "" };
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "'comm': with hist triggers, a latency is keyed on fields of its "
			    "end event sched:sched_switch (numbers or char arrays), and it has "
			    "no such field; BPF keys on what the end's task is (--backend bpf)");
	spec.nkeys = 0;
	spec.vals[0] = (struct ft_hist_valspec){ "next_prio", "" };
	spec.nvals = 1;
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), -EINVAL);
	spec.nvals = 0;
	spec.name = "a-b";
	assert_int_equal(ft_latency_make(&spec, sw, &lat, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "letters, digits and '_' only"));
	ft_format_free(sw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_valid),
		cmocka_unit_test(test_corpus_invalid),
		cmocka_unit_test(test_kernel_errors),
		cmocka_unit_test(test_caret_and_suggest),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_listed_as),
		cmocka_unit_test(test_same_slot),
		cmocka_unit_test(test_hist_spec),
		cmocka_unit_test(test_hist_spec_errors),
		cmocka_unit_test(test_hist_spec_events),
		cmocka_unit_test(test_hist_latency_match),
		cmocka_unit_test(test_latency_texts),
		cmocka_unit_test(test_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
