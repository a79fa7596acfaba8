// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pure parsers and formatters: /proc/mounts, feature detection texts, event formats (all on
 * fixtures captured from the real kernels), and the JSON writer.
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

#include "faketfs.h"
#include "format.h"
#include "json.h"
#include "kfeat.h"
#include "tfs.h"

static void test_mounts(void **state)
{
	const char *m = "sysfs /sys sysfs rw 0 0\n"
			"nodev /mnt/trace\\040dir tracefs rw 0 0\n"
			"tracefs /sys/kernel/tracing tracefs rw,nosuid 0 0\n"
			"debugfs /sys/kernel/debug debugfs rw 0 0\n"
			"x /tracefsish tracefsx rw 0 0\n";
	char p[256];

	assert_int_equal(ft_mounts_find(m, "tracefs", "/sys/kernel/tracing", p, sizeof(p)), 0);
	assert_string_equal(p, "/sys/kernel/tracing");
	assert_int_equal(ft_mounts_find(m, "tracefs", NULL, p, sizeof(p)), 0);
	assert_string_equal(p, "/mnt/trace dir");
	assert_int_equal(ft_mounts_find(m, "debugfs", NULL, p, sizeof(p)), 0);
	assert_string_equal(p, "/sys/kernel/debug");
	assert_int_equal(ft_mounts_find("proc /proc proc rw 0 0\n", "tracefs", NULL, p, sizeof(p)),
			 -ENOENT);
}

static void test_available_triggers(void **state)
{
	char *text = fixture_read("host-6.18/events/sched/sched_switch/trigger");
	struct ft_features f = { 0 };

	assert_non_null(text);
	assert_int_equal(ft_parse_available_triggers(text, f.triggers, sizeof(f.triggers)), 0);
	assert_string_equal(f.triggers, "traceon traceoff stacktrace enable_event disable_event");
	assert_true(ft_trigger_available(&f, "traceon"));
	assert_true(ft_trigger_available(&f, "disable_event"));
	assert_false(ft_trigger_available(&f, "hist"));
	assert_false(ft_trigger_available(&f, "event"));
	assert_false(ft_trigger_available(&f, "trace"));
	assert_int_equal(
		ft_parse_available_triggers("traceon:unlimited\n", f.triggers, sizeof(f.triggers)),
		-ENOENT);
	free(text);
}

/* The 6.1 kernel's fixtures, captured by `tests/vm/run.sh --capture`. */
static void test_vm_fixtures(void **state)
{
	char *readme = fixture_read("vm-6.1/README");
	char *trig = fixture_read("vm-6.1/events/sched/sched_switch/trigger");
	struct ft_features f = { 0 };

	if (!readme || !trig) {
		free(readme);
		free(trig);
		skip();
	}
	assert_true(ft_readme_has_eprobes(readme));
	assert_int_equal(ft_parse_available_triggers(trig, f.triggers, sizeof(f.triggers)), 0);
	assert_true(ft_trigger_available(&f, "hist"));
	assert_true(ft_trigger_available(&f, "snapshot"));
	assert_true(ft_trigger_available(&f, "enable_hist"));
	free(readme);
	free(trig);
}

static void test_readme_eprobes(void **state)
{
	char *readme = fixture_read("host-6.18/README");

	assert_non_null(readme);
	assert_true(ft_readme_has_eprobes(readme));
	assert_false(ft_readme_has_eprobes("  kprobe_events\t\t- Add/remove/show kprobes\n"));
	free(readme);
}

static void test_format_sched_switch(void **state)
{
	char *text = fixture_read("host-6.18/events/sched/sched_switch/format");
	struct ft_event_format *f;
	const struct ft_field *fl;

	assert_non_null(text);
	assert_int_equal(ft_format_parse("sched", text, &f), 0);
	assert_string_equal(f->system, "sched");
	assert_string_equal(f->name, "sched_switch");
	assert_int_equal(f->id, 372);
	fl = ft_format_field(f, "next_pid");
	assert_non_null(fl);
	assert_int_equal(fl->offset, 56);
	assert_int_equal(fl->size, 4);
	assert_true(fl->is_signed);
	assert_false(fl->common);
	fl = ft_format_field(f, "prev_comm");
	assert_non_null(fl);
	assert_true(fl->is_string);
	assert_int_equal(fl->size, 16);
	fl = ft_format_field(f, "common_pid");
	assert_non_null(fl);
	assert_true(fl->common);
	assert_null(ft_format_field(f, "nxt_pid"));
	ft_format_free(f);
	free(text);
}

static void test_format_openat(void **state)
{
	char *text = fixture_read("host-6.18/events/syscalls/sys_enter_openat/format");
	struct ft_event_format *f;
	const struct ft_field *fl;

	assert_non_null(text);
	assert_int_equal(ft_format_parse("syscalls", text, &f), 0);
	fl = ft_format_field(f, "filename");
	assert_non_null(fl);
	assert_int_equal(fl->size, 8);
	assert_non_null(ft_format_field(f, "flags"));
	ft_format_free(f);
	free(text);
	assert_int_equal(ft_format_parse("x", "garbage", &f), -EINVAL);
}

static void test_json(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct ft_json j;

	ft_json_init(&j, out, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_str(&j, "s", "a\"b\\c\n\x01");
	ft_json_int(&j, "n", -5);
	ft_json_bool(&j, "b", true);
	ft_json_begin_arr(&j, "a");
	ft_json_end(&j, ']');
	ft_json_begin_arr(&j, "c");
	ft_json_str(&j, NULL, "x");
	ft_json_str(&j, NULL, NULL);
	ft_json_end(&j, ']');
	ft_json_end(&j, '}');
	fclose(out);
	assert_string_equal(buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":-5,\"b\":true,\"a\":[],"
				 "\"c\":[\"x\",null]}\n");
	free(buf);

	/* FIG-9: doubles in their shortest exact form, not 17 digits */
	buf = NULL;
	out = open_memstream(&buf, &len);
	ft_json_init(&j, out, false);
	ft_json_begin_arr(&j, NULL);
	ft_json_double(&j, NULL, 1000548240 / 1e9);
	ft_json_double(&j, NULL, 0.1 + 0.2);
	ft_json_double(&j, NULL, 2.5);
	ft_json_double(&j, NULL, 0.0 / 0.0);
	ft_json_end(&j, ']');
	fclose(out);
	assert_string_equal(buf, "[1.00054824,0.30000000000000004,2.5,null]\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_available_triggers),
		cmocka_unit_test(test_vm_fixtures),
		cmocka_unit_test(test_readme_eprobes),
		cmocka_unit_test(test_format_sched_switch),
		cmocka_unit_test(test_format_openat),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
