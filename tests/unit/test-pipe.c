// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig pipe's pure parts: the command line, durations, the composed filter, event patterns,
 * the kernel's lost-events line, and the JSON and text rendering of a decoded record. Records
 * are laid out from event formats captured on the host kernel (tests/fixtures/host-6.18).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "faketfs.h"
#include "json.h"
#include "pipe/pipe.h"
#include "util.h"

static void test_duration(void **state)
{
	static const struct {
		const char *s;
		int ret;
		unsigned long long ms;
	} cases[] = {
		{ "10s", 0, 10000 },   { "10", 0, 10000 },    { "500ms", 0, 500 },
		{ "2m", 0, 120000 },   { "1h", 0, 3600000 },  { "1.5s", 0, 1500 },
		{ "3min", 0, 180000 }, { "0", -EINVAL, 0 },   { "0.1ms", -EINVAL, 0 },
		{ "-1s", -EINVAL, 0 }, { "10x", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },   { "nan", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long ms = 0;

		assert_int_equal(ft_duration_parse(cases[i].s, &ms), cases[i].ret);
		if (!cases[i].ret)
			assert_int_equal(ms, cases[i].ms);
	}
}

/* Parse a command line given as one string of space-separated words. */
static int parse(struct ft_pipe_opts *o, char *line, char *err)
{
	static char *argv[32];
	int argc = 0;

	for (char *w = strtok(line, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	err[0] = '\0';
	return ft_pipe_opts_parse(o, argc, argv, err, 256);
}

static void test_opts(void **state)
{
	struct ft_pipe_opts o;
	char line[256], err[256];

	strcpy(line, "pipe sched:* --json --count 5 --duration 2s --pid 42 --comm wl "
		     "--buffer-size 8192 -o out.json --filter prev_pid>0 syscalls:sys_enter_read");
	assert_int_equal(parse(&o, line, err), 0);
	assert_int_equal(o.nevents, 2);
	assert_string_equal(o.events[0], "sched:*");
	assert_string_equal(o.events[1], "syscalls:sys_enter_read");
	assert_int_equal(o.mode, FT_PIPE_JSON);
	assert_int_equal(o.count, 5);
	assert_int_equal(o.duration_ms, 2000);
	assert_int_equal(o.pid, 42);
	assert_string_equal(o.comm, "wl");
	assert_int_equal(o.buffer_kb, 8192);
	assert_string_equal(o.output, "out.json");
	assert_string_equal(o.filter, "prev_pid>0");

	strcpy(line, "pipe a:b --raw");
	assert_int_equal(parse(&o, line, err), 0);
	assert_int_equal(o.mode, FT_PIPE_RAW);
	assert_int_equal(o.count, 0);
	strcpy(line, "pipe a:b");
	assert_int_equal(parse(&o, line, err), 0);
	assert_int_equal(o.mode, FT_PIPE_TEXT);
}

static void test_opts_errors(void **state)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "pipe", "name the events" },
		{ "pipe --json", "name the events" },
		{ "pipe a:b --pid 0", "--pid '0'" },
		{ "pipe a:b --pid x", "--pid 'x'" },
		{ "pipe a:b --count -3", "--count '-3'" },
		{ "pipe a:b --count 0", "--count '0'" },
		{ "pipe a:b --duration 5y", "--duration '5y'" },
		{ "pipe a:b --buffer-size 1", "--buffer-size '1'" },
		{ "pipe a:b --comm abcdefghijklmnop", "1 to 15 characters" },
		{ "pipe a:b --comm a\"b", "quotes" },
		{ "pipe a:b --bogus", "unknown option '--bogus'" },
		{ "pipe a:b -x", "unknown option '-x'" },
		{ "pipe a:b --count", "needs a value" },
		/* I13: two output modes are a usage error, not the last one silently. */
		{ "pipe a:b --raw --json", "two output formats; give one" },
		{ "pipe a:b --json --raw", "two output formats; give one" },
	};
	struct ft_pipe_opts o;
	char line[256], err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "%s", cases[i].line);
		assert_int_equal(parse(&o, line, err), -EINVAL);
		if (!strstr(err, cases[i].msg))
			fail_msg("'%s': got '%s', wanted '%s'", cases[i].line, err, cases[i].msg);
	}
}

static void test_filter_compose(void **state)
{
	struct ft_pipe_opts o = { 0 };
	char *s;

	errno = 0;
	assert_null(ft_pipe_filter_compose(&o));
	assert_int_equal(errno, 0);
	o.filter = "prev_pid == 1";
	s = ft_pipe_filter_compose(&o);
	assert_string_equal(s, "prev_pid == 1");
	free(s);
	o.pid = 42;
	s = ft_pipe_filter_compose(&o);
	assert_string_equal(s, "(prev_pid == 1) && common_pid == 42");
	free(s);
	o.comm = "work*";
	s = ft_pipe_filter_compose(&o);
	assert_string_equal(s, "(prev_pid == 1) && common_pid == 42 && COMM ~ \"work*\"");
	free(s);
	o.filter = NULL;
	o.pid = 0;
	o.comm = "wl";
	s = ft_pipe_filter_compose(&o);
	assert_string_equal(s, "COMM == \"wl\"");
	free(s);
}

static void test_event_matches(void **state)
{
	assert_true(ft_pipe_event_matches("sched:*", "sched", "sched_switch"));
	assert_false(ft_pipe_event_matches("sched:*", "syscalls", "sys_enter_read"));
	assert_true(ft_pipe_event_matches("*:sys_enter_read", "syscalls", "sys_enter_read"));
	assert_true(ft_pipe_event_matches("ftrig:*", "ftrig", "open"));
	assert_false(ft_pipe_event_matches("ftrig:*", "ftrig_12", "open"));
	assert_true(ft_pipe_event_matches("sched_switch", "sched", "sched_switch"));
	assert_true(ft_pipe_event_matches("sched", "sched", "sched_wakeup"));
	assert_false(ft_pipe_event_matches("sched:sched_switch", "sched", "sched_switch_x"));
}

static void test_lost_line(void **state)
{
	unsigned long long n = 0;
	int cpu = -1;
	const char *l = "CPU:3 [LOST 1234 EVENTS]\n";

	assert_int_equal(ft_pipe_lost_line(l, strlen(l), &cpu, &n), 1);
	assert_int_equal(cpu, 3);
	assert_int_equal(n, 1234);
	l = "CPU:3 [LOST 1234 EVENTS] more\n";
	assert_int_equal(ft_pipe_lost_line(l, strlen(l), &cpu, &n), 0);
	l = "          bash-1 [000] ..... 1.0: CPU:3 [LOST 1 EVENTS]\n";
	assert_int_equal(ft_pipe_lost_line(l, strlen(l), &cpu, &n), 0);
}

/* A CPU's ring buffer stats, captured on the host (a 4 KiB buffer after 5000 events, its
 * recording stopped): what is left unread, and what was overwritten. */
static void test_stats_field(void **state)
{
	char *text = fixture_read("host-6.18/per_cpu/cpu0/stats");

	(void)state;
	assert_non_null(text);
	assert_int_equal(ft_pipe_stats_field(text, "entries"), 308);
	assert_int_equal(ft_pipe_stats_field(text, "overrun"), 4692); /* not "commit overrun" */
	assert_int_equal(ft_pipe_stats_field(text, "commit overrun"), 0);
	assert_int_equal(ft_pipe_stats_field(text, "dropped events"), 0);
	assert_int_equal(ft_pipe_stats_field(text, "bytes"), 6160);
	assert_int_equal(ft_pipe_stats_field(text, "no such field"), 0);
	assert_int_equal(ft_pipe_stats_field(text, "entrie"), 0); /* a whole name only */
	assert_int_equal(ft_pipe_stats_field("", "entries"), 0);
	free(text);
}

/* A libtraceevent handle that knows one captured format. */
static struct tep_handle *tep_with(const char *sys, const char *ev)
{
	struct tep_handle *tep = tep_alloc();
	char rel[256], *text;

	snprintf(rel, sizeof(rel), "host-6.18/events/%s/%s/format", sys, ev);
	text = fixture_read(rel);
	assert_non_null(text);
	assert_int_equal(tep_parse_event(tep, text, strlen(text), sys), 0);
	free(text);
	return tep;
}

/* Store @v in the record at the field's offset, in the field's size. */
static void put(struct tep_event *ev, unsigned char *rec, const char *name, uint64_t v)
{
	struct tep_format_field *f = tep_find_any_field(ev, name);

	assert_non_null(f);
	memcpy(rec + f->offset, &v, (size_t)f->size); /* little endian, as the host */
}

static char *render_json(struct tep_handle *tep, struct tep_record *rec, const char *comm)
{
	struct ft_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ft_json_init(&j, f, false);
	ft_pipe_json_event(&j, tep, rec, comm);
	fclose(f);
	return buf;
}

static void test_json_fixed_fields(void **state)
{
	struct tep_handle *tep = tep_with("sched", "sched_switch");
	struct tep_event *ev = tep_find_event_by_name(tep, "sched", "sched_switch");
	struct tep_format_field *prev_comm = tep_find_field(ev, "prev_comm");
	unsigned char data[128] = { 0 };
	struct tep_record rec = { .ts = 1234567890123ULL, .cpu = 2, .data = data };
	char *out;

	put(ev, data, "common_type", (uint64_t)ev->id);
	put(ev, data, "common_pid", 77);
	put(ev, data, "prev_pid", 77);
	put(ev, data, "prev_prio", 120);
	put(ev, data, "prev_state", 1);
	put(ev, data, "next_pid", 0);
	put(ev, data, "next_prio", (uint64_t)-5); /* signed: must come out negative */
	memcpy(data + prev_comm->offset, "wl \"x\"", 6);
	rec.size = 64;
	out = render_json(tep, &rec, "wl");
	assert_non_null(strstr(out, "{\"type\":\"event\",\"system\":\"sched\",\"event\":"
				    "\"sched_switch\",\"cpu\":2,\"timestamp_ns\":1234567890123,"
				    "\"pid\":77,\"comm\":\"wl\",\"common\":{\"common_type\":"));
	assert_non_null(strstr(out, "\"common_pid\":77},\"fields\":{\"prev_comm\":\"wl \\\"x\\\"\","
				    "\"prev_pid\":77,\"prev_prio\":120,\"prev_state\":1,"
				    "\"next_comm\":\"\",\"next_pid\":0,\"next_prio\":-5}}\n"));
	free(out);
	tep_free(tep);
}

/* A sched_process_exec record of pid 9 for "/bin/ls" (a __data_loc string at offset 20). */
static struct tep_event *exec_record(struct tep_handle *tep, unsigned char *data)
{
	struct tep_event *ev = tep_find_event_by_name(tep, "sched", "sched_process_exec");

	put(ev, data, "common_type", (uint64_t)ev->id);
	put(ev, data, "common_pid", 9);
	put(ev, data, "pid", 9);
	put(ev, data, "old_pid", 9);
	put(ev, data, "filename", (8u << 16) | 20u); /* length 8 ("/bin/ls" and its NUL) */
	memcpy(data + 20, "/bin/ls", 8);
	return ev;
}

static void test_json_dynamic_string(void **state)
{
	struct tep_handle *tep = tep_with("sched", "sched_process_exec");
	unsigned char data[64] = { 0 };
	struct tep_record rec = { .ts = 5, .cpu = 0, .data = data, .size = 36 };
	struct tep_event *ev = exec_record(tep, data);
	char *out;

	out = render_json(tep, &rec, NULL);
	assert_non_null(strstr(out, "\"comm\":null"));
	assert_non_null(
		strstr(out, "\"fields\":{\"filename\":\"/bin/ls\",\"pid\":9,\"old_pid\":9}}"));
	free(out);

	/* A location past the record's end is shown as null, not read. */
	put(ev, data, "filename", (8u << 16) | 60u);
	out = render_json(tep, &rec, NULL);
	assert_non_null(strstr(out, "\"filename\":null"));
	free(out);
	tep_free(tep);
}

static void test_json_lost_and_text(void **state)
{
	struct tep_handle *tep = tep_with("sched", "sched_process_exec");
	unsigned char data[64] = { 0 };
	struct tep_record rec = { .ts = 1500000000, .cpu = 1, .data = data, .size = 36 };
	struct trace_seq seq;
	struct ft_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	exec_record(tep, data);
	ft_json_init(&j, f, false);
	ft_pipe_json_lost(&j, 3, 17, 99);
	ft_pipe_json_lost(&j, 1, -1, 100);
	trace_seq_init(&seq);
	ft_pipe_text_event(f, tep, &rec, "ls", &seq);
	trace_seq_destroy(&seq);
	fclose(f);
	assert_non_null(
		strstr(buf, "{\"type\":\"lost\",\"cpu\":3,\"lost\":17,\"timestamp_ns\":99}\n"
			    "{\"type\":\"lost\",\"cpu\":1,\"lost\":null,\"timestamp_ns\":100}\n"));
	assert_non_null(strstr(buf, "              ls-9       [001] "));
	assert_non_null(strstr(buf, "1.500000: sched_process_exec: filename=/bin/ls pid=9 "
				    "old_pid=9\n"));
	free(buf);
	tep_free(tep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_opts_errors),
		cmocka_unit_test(test_filter_compose),
		cmocka_unit_test(test_event_matches),
		cmocka_unit_test(test_lost_line),
		cmocka_unit_test(test_json_fixed_fields),
		cmocka_unit_test(test_json_dynamic_string),
		cmocka_unit_test(test_json_lost_and_text),
		cmocka_unit_test(test_stats_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
