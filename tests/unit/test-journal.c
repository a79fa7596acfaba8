// SPDX-License-Identifier: GPL-2.0-only
/* The ledger's journal format: round trips, retirement, torn lines, undo ranks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ledger.h"

#define HDR "ftrig-journal 1\t42\t1234\tb00t\n"

static char *format(const struct ft_obj *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(ft_journal_format_obj(f, o), 0);
	fclose(f);
	return buf;
}

static void test_round_trip_escapes(void **state)
{
	struct ft_obj o = { .seq = 7,
			    .kind = FT_OBJ_TRIGGER,
			    .instance = "inst-1",
			    .system = "sched",
			    .event = "sched_switch",
			    .file = "",
			    .text = "hist:keys=a\\b:vals=x if c == \"\\n\"\nsecond" };
	struct ft_journal j;
	char *rec = format(&o), *text;

	assert_non_null(strchr(rec, '\n'));
	assert_ptr_equal(strchr(rec, '\n'), rec + strlen(rec) - 1);
	assert_true(asprintf(&text, HDR "%s", rec) > 0);
	assert_int_equal(ft_journal_parse(text, &j), 0);
	assert_int_equal(j.pid, 42);
	assert_int_equal(j.starttime, 1234);
	assert_string_equal(j.boot_id, "b00t");
	assert_int_equal(j.nobjs, 1);
	assert_int_equal(j.objs[0].seq, 7);
	assert_int_equal(j.objs[0].kind, FT_OBJ_TRIGGER);
	assert_string_equal(j.objs[0].instance, o.instance);
	assert_string_equal(j.objs[0].text, o.text);
	assert_int_equal(j.next_seq, 8);
	ft_journal_release(&j);
	free(rec);
	free(text);
}

/* A tagged journal's header carries the tag (a setup file's path) through escapes. */
static void test_header_tag(void **state)
{
	struct ft_journal j = { .pid = 0,
				.starttime = 0,
				.boot_id = "b00t",
				.tag = "/etc/ftrig/a\tb.ftrig" },
			  back;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(ft_journal_format_header(f, &j), 0);
	fclose(f);
	assert_string_equal(buf, "ftrig-journal 1\t0\t0\tb00t\t/etc/ftrig/a\\tb.ftrig\n");
	assert_int_equal(ft_journal_parse(buf, &back), 0);
	assert_string_equal(back.tag, j.tag);
	ft_journal_release(&back);
	free(buf);
	assert_int_equal(ft_journal_parse(HDR, &back), 0);
	assert_string_equal(back.tag, "");
	ft_journal_release(&back);
}

static void test_retire_and_torn_line(void **state)
{
	const char *text = HDR "+\t0\tinstance\tftrig-42\t\t\t\t\n"
			       "+\t1\ttrigger\t\tsched\tsched_switch\t\ttraceon\n"
			       "+\t2\tenable\tftrig-42\tsched\tsched_switch\t\t\n"
			       "-\t1\n"
			       "+\t3\ttrigger\t\tsched\tsched_wak";
	struct ft_journal j;

	assert_int_equal(ft_journal_parse(text, &j), 0);
	assert_int_equal(j.nobjs, 2);
	assert_int_equal(j.objs[0].kind, FT_OBJ_INSTANCE);
	assert_string_equal(j.objs[0].instance, "ftrig-42");
	assert_int_equal(j.objs[1].kind, FT_OBJ_ENABLE);
	assert_int_equal(j.next_seq, 3);
	ft_journal_release(&j);
}

/* "=" records: notes of live objects (identity, state to put back), torn ones ignored. */
static void test_notes(void **state)
{
	const char *text = HDR "+\t0\tinstance\tftrig-42\t\t\t\t\n"
			       "=\t0\tino=123\n"
			       "+\t1\ttrigger\t\tsched\tsched_switch\t\tenable_event:a:b\n"
			       "=\t1\ttarget_enable=0\n"
			       "=\t1\ttrace_clock=local\n"
			       "=\t7\tino=9\n"
			       "+\t2\tmount\t\tbpffs\t\t\t/sys/fs/bpf\n"
			       "=\t2\tino=5";
	struct ft_journal j;
	char buf[32], *out = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(ft_journal_parse(text, &j), 0);
	assert_int_equal(j.nobjs, 3);
	assert_true(ft_obj_note(&j.objs[0], "ino", buf, sizeof(buf)));
	assert_string_equal(buf, "123");
	assert_false(ft_obj_note(&j.objs[0], "in", buf, sizeof(buf)));
	assert_true(ft_obj_note(&j.objs[1], "target_enable", buf, sizeof(buf)));
	assert_string_equal(buf, "0");
	assert_true(ft_obj_note(&j.objs[1], "trace_clock", buf, sizeof(buf)));
	assert_string_equal(buf, "local");
	assert_int_equal(j.objs[2].kind, FT_OBJ_MOUNT);
	assert_false(ft_obj_note(&j.objs[2], "ino", buf, sizeof(buf))); /* torn */
	assert_int_equal(ft_obj_rank(&j.objs[2]), FT_OBJ_LAST_RANK);
	ft_obj_describe(&j.objs[2], buf, sizeof(buf));
	assert_string_equal(buf, "bpffs mount on /sys/fs/bpf");
	ft_journal_release(&j);

	f = open_memstream(&out, &len);
	assert_int_equal(ft_journal_format_note(f, 4, "a=b\tc"), 0);
	fclose(f);
	assert_string_equal(out, "=\t4\ta=b\\tc\n");
	free(out);
}

static void test_rejects_garbage(void **state)
{
	struct ft_journal j;

	assert_int_equal(ft_journal_parse("not a journal\n", &j), -EINVAL);
	ft_journal_release(&j);
	assert_int_equal(ft_journal_parse("", &j), -EINVAL);
	ft_journal_release(&j);
	assert_int_equal(ft_journal_parse(HDR "+\t1\tbogus\t\t\t\t\t\n", &j), -EINVAL);
	ft_journal_release(&j);
	assert_int_equal(ft_journal_parse(HDR "?\t1\n", &j), -EINVAL);
	ft_journal_release(&j);
}

static void test_ranks(void **state)
{
	struct ft_obj trig = { .kind = FT_OBJ_TRIGGER, .file = "", .text = "x" };
	struct ft_obj en = { .kind = FT_OBJ_ENABLE, .file = "", .text = "" };
	struct ft_obj filt = { .kind = FT_OBJ_FILTER, .file = "", .text = "common_pid == 1" };
	struct ft_obj synth = { .kind = FT_OBJ_DYNEVENT,
				.file = "dynamic_events",
				.text = "s:lat u64 d" };
	struct ft_obj synth2 = { .kind = FT_OBJ_DYNEVENT,
				 .file = "synthetic_events",
				 .text = "lat u64 d" };
	struct ft_obj ep = { .kind = FT_OBJ_DYNEVENT,
			     .file = "dynamic_events",
			     .text = "e:ftrig/x sched.sched_switch" };
	struct ft_obj kp = { .kind = FT_OBJ_DYNEVENT,
			     .file = "kprobe_events",
			     .text = "p:ftrig/open do_sys_openat2" };
	struct ft_obj inst = { .kind = FT_OBJ_INSTANCE, .file = "", .text = "" };
	struct ft_obj bpf = { .kind = FT_OBJ_BPF, .file = "", .text = "/sys/fs/bpf/ftrig/x" };

	assert_true(ft_obj_rank(&bpf) < ft_obj_rank(&trig));
	assert_int_equal(ft_obj_rank(&inst), FT_OBJ_LAST_RANK);

	assert_true(ft_obj_rank(&trig) < ft_obj_rank(&en));
	assert_true(ft_obj_rank(&en) < ft_obj_rank(&synth));
	assert_int_equal(ft_obj_rank(&filt), ft_obj_rank(&en));
	assert_int_equal(ft_obj_rank(&synth), ft_obj_rank(&synth2));
	assert_true(ft_obj_rank(&synth) < ft_obj_rank(&ep));
	assert_true(ft_obj_rank(&ep) < ft_obj_rank(&kp));
	assert_true(ft_obj_rank(&kp) < ft_obj_rank(&inst));
}

static void test_describe(void **state)
{
	struct ft_obj o = { .kind = FT_OBJ_TRIGGER,
			    .instance = "",
			    .system = "sched",
			    .event = "sched_switch",
			    .file = "",
			    .text = "traceoff" };
	char buf[256];

	ft_obj_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "trigger 'traceoff' on sched:sched_switch (top level)");
	o.kind = FT_OBJ_INSTANCE;
	o.instance = "ftrig-9";
	ft_obj_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "instance ftrig-9");
	o.kind = FT_OBJ_FILTER;
	o.text = "prev_pid == 1";
	ft_obj_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "filter 'prev_pid == 1' on sched:sched_switch (ftrig-9)");
}

/* SEC-7: a damaged or planted journal is refused whole, naming the line and the field. */
static void test_rejects_hostile_fields(void **state)
{
	static const char *const bad[] = {
		HDR "+\t0\tinstance\t../../../../tmp/victim\t\t\t\t\n",
		HDR "+\t0\tinstance\t..\t\t\t\t\n",
		HDR "+\t0\tinstance\ta/b\t\t\t\t\n",
		HDR "+\t0\ttrigger\t\t../..\tsched_switch\t\ttraceon\n",
		HDR "+\t0\ttrigger\t\tsched\t..\t\ttraceon\n",
		HDR "+\t0\tenable\tx/../..\tsched\tsched_switch\t\t\n",
		HDR "+\t0\tfilter\t\tsched\tsched_switch\t\t\n",
		HDR "+\t0\tdynevent\t\tftrig\tp1\t../../etc/passwd\tp:ftrig/p1 x\n",
		HDR "+\t0\tdynevent\t\t..\tp1\tuprobe_events\tp:ftrig/p1 x\n",
		HDR "+\t0\tbpf\t\tsyscalls\tsys_enter_getppid\t\t/sys/fs/bpf/ftrig/..\n",
		HDR "+\t0\tbpf\t\tsyscalls\tsys_enter_getppid\t\t/sys/fs/bpf/x/ftrig/../y\n",
		HDR "+\t0\tbpf\t\tsyscalls\tsys_enter_getppid\t\t/sys/fs/bpf/other\n",
		HDR "+\t0\tmount\t\text4\t\t\t/sys/fs/bpf\n",
		HDR "+\t0\tmount\t\tbpffs\t\t\t/sys/fs/bpf/../..\n",
		HDR "+\t0\texport\t\tsched\tsched_switch\t\t-1\n",
		HDR "+\t0\texport\t\tsched\tsched_switch\t\t1234567890\n",
		HDR "+\t0\texport\t..\tsched\tsched_switch\t\t\n",
		HDR "+\t0\texport\t\t../x\tsched_switch\t\t\n",
		HDR "+\tx1\tinstance\tftrig-1\t\t\t\t\n",
		HDR "+\t-1\tinstance\tftrig-1\t\t\t\t\n",
		HDR "-\t1x\n",
		HDR "=\t0\tino=1\x01\n",
		"ftrig-journal 1\t-5\t1\tb00t\n",
		"ftrig-journal 1\t5\t1\tb00t/..\n",
		"ftrig-journal 1\t5\t1\tb00t\trelative/tag\n",
	};
	struct ft_journal j;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = ft_journal_parse(bad[i], &j);

		if (ret != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(j.why, "line "));
		ft_journal_release(&j);
	}
}

/* Every record main writes is accepted by the validator. */
static void test_accepts_what_ftrig_writes(void **state)
{
	const char *text =
		"ftrig-journal 1\t0\t0\t4c1b6c56-7d2e-4b9c-9d1f-0a6b1e2f3c4d\t/etc/ftrig/a.ftrig\n"
		"+\t0\tinstance\tftrig-42\t\t\t\t\n"
		"=\t0\tino=123\n"
		"+\t1\ttrigger\tftrig-42\tsched\tsched_switch\t\thist:keys=pid if a == \"\\t\"\n"
		"=\t1\ttarget_enable=0 trace_clock=local\n"
		"+\t2\tenable\t\tsyscalls\tsys_enter_getuid\t\t\n"
		"+\t3\tfilter\tmine\tsched\tsched_wakeup\t\tpid == 1\n"
		"+\t4\tdynevent\t\tftrig\tp1\tuprobe_events\tp:ftrig/p1 /bin/true:0x10\n"
		"+\t5\tdynevent\t\tsynthetic\tlat\tdynamic_events\ts:lat u64 d\n"
		"+\t6\tdynevent\t\tftrig_9\teprobe\tdynamic_events\te:ftrig_9/eprobe a/b\n"
		"+\t7\tmount\t\tbpffs\t\t\t/sys/fs/bpf\n"
		"+\t8\tbpf\t\tsyscalls\tsys_enter_getppid\t\t/sys/fs/bpf/ftrig/"
		"syscalls-sys_enter_getppid\n"
		"+\t9\texport\tlat\tsched\tsched_switch\t\t20\n"
		"+\t10\texport\t\tkmem\tkmalloc\t\t\n"
		"-\t2\n";
	struct ft_journal j;
	char d[200];

	assert_int_equal(ft_journal_parse(text, &j), 0);
	assert_int_equal(j.nobjs, 10);
	/* an export is a record only: undone first, described for people */
	assert_int_equal(ft_obj_rank(&j.objs[8]), 0);
	ft_obj_describe(&j.objs[8], d, sizeof(d));
	assert_string_equal(d,
			    "export of sched:sched_switch (lat) to ftrig serve, at most 20 series");
	ft_obj_describe(&j.objs[9], d, sizeof(d));
	assert_string_equal(d, "export of kmem:kmalloc (top level) to ftrig serve");
	ft_journal_release(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_escapes),
		cmocka_unit_test(test_header_tag),
		cmocka_unit_test(test_retire_and_torn_line),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_rejects_garbage),
		cmocka_unit_test(test_ranks),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_rejects_hostile_fields),
		cmocka_unit_test(test_accepts_what_ftrig_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
