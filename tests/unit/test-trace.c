// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ftrig trace`'s probe specs (src/tools/trace-spec.c, trace-filter.c): every form bcc's trace
 * takes into the probe, its fetch arguments and its kernel filter, and the bad ones refused
 * with what to do instead; the messages (trace-msg.c) with C's meaning of each conversion; and
 * a tracepoint's %s of a pointer as an event probe's definition (trace-eprobe.c), against the
 * 6.1 kernel's format files.
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
#include "tools/trace.h"

static struct ft_trace_probe p;
static char err[512];

static const char *text(const char *spec)
{
	static char buf[2048];

	err[0] = '\0';
	if (ft_trace_parse(spec, &p, err, sizeof(err)))
		return NULL;
	if (p.kind == FT_TRACE_TRACEPOINT)
		return p.target;
	assert_int_equal(ft_trace_probe_text(&p, buf, sizeof(buf)), 0);
	return buf;
}

static void test_kernel(void **state)
{
	(void)state;
	assert_string_equal(text("do_sys_openat2 \"%s\", arg2@user"),
			    "do_sys_openat2 v0=+0($arg2):ustring comm=$comm");
	assert_int_equal(p.kind, FT_TRACE_KPROBE);
	assert_string_equal(p.func, "do_sys_openat2");
	assert_string_equal(p.format, "%s");
	assert_string_equal(p.filter, "");
	assert_string_equal(text("p::do_sys_openat2 \"%s\", arg2"),
			    "do_sys_openat2 v0=+0($arg2):string comm=$comm");
	assert_string_equal(text("r::do_sys_openat2 (retval < 0)"),
			    "do_sys_openat2 retval=$retval:s64 comm=$comm");
	assert_int_equal(p.kind, FT_TRACE_KRETPROBE);
	assert_string_equal(p.filter, "retval < 0");
	assert_int_equal(p.nargs, 0);
	assert_string_equal(text("r:do_sys_openat2 (retval<0) \"ret %d\", retval"),
			    "do_sys_openat2 v0=$retval:s32 retval=$retval:s64 comm=$comm");
	assert_string_equal(text("vfs_read+0x10 (arg3 > 20000) \"read %d bytes\", arg3"),
			    "vfs_read+0x10 v0=$arg3:s32 arg3=$arg3:s64 comm=$comm");
	assert_string_equal(p.func, "vfs_read");
	assert_string_equal(p.filter, "arg3 > 20000");
}

static void test_conversions(void **state)
{
	(void)state;
	assert_string_equal(text("f \"%d %i %u %x %lld %llu\", arg1, arg1, arg1, arg1, arg1, "
				 "arg1"),
			    "f v0=$arg1:s32 v1=$arg1:s32 v2=$arg1:u32 v3=$arg1:x32 v4=$arg1:s64 "
			    "v5=$arg1:u64 comm=$comm");
	assert_null(text("f \"%d %i %u %x %lld %llu %llx %ld %lu %lx %c %p\", arg1, arg1, arg1, "
			 "arg1, arg1, arg1, arg1, arg1, arg1"));
	assert_string_equal(err, "the format has 12 conversions but 9 arguments");
	assert_string_equal(text("f \"%llx %ld %lu %lx %c %p %hd %hu\", arg1, arg2, arg3, "
				 "arg4, arg5, arg6, arg1, arg2"),
			    "f v0=$arg1:x64 v1=$arg2:s64 v2=$arg3:u64 v3=$arg4:x64 v4=$arg5:u8 "
			    "v5=$arg6:x64 v6=$arg1:s16 v7=$arg2:u16 comm=$comm");
	assert_string_equal(text("f \"100%% %-8d|\\t\\\"q\\\"\", arg1"),
			    "f v0=$arg1:s32 comm=$comm");
	assert_string_equal(p.format, "100%% %-8d|\t\"q\"");
	assert_string_equal(p.args[0].conv, "-8d");
}

static void test_user(void **state)
{
	(void)state;
	assert_string_equal(text("/bin/bash:readline"), "/bin/bash:readline comm=$comm");
	assert_int_equal(p.kind, FT_TRACE_UPROBE);
	assert_string_equal(p.func, "readline");
	assert_string_equal(text("r:/bin/bash:readline \"%s\", retval"),
			    "/bin/bash:readline v0=+0($retval):string comm=$comm");
	assert_int_equal(p.kind, FT_TRACE_URETPROBE);
	assert_string_equal(text("p:./w:workload_target ((int)arg1 >= 2 && arg2 != 0) \"%d\", "
				 "arg1"),
			    "./w:workload_target v0=$arg1:s32 arg1_s32=$arg1:s32 arg2=$arg2:s64 "
			    "comm=$comm");
	assert_string_equal(p.filter, "arg1_s32 >= 2 && arg2 != 0");
	assert_string_equal(text("p:/lib/libc.so.6:malloc \"%s\", arg1@user"),
			    "/lib/libc.so.6:malloc v0=+0($arg1):string comm=$comm");
	assert_null(text("/x:f ($pid == 3 || (unsigned long) retval & 4)"));
	assert_string_equal(text("r:/x:f ($pid == 3 || (unsigned long) retval & 4)"),
			    "/x:f retval_u64=$retval:u64 comm=$comm");
	assert_string_equal(p.filter, "common_pid == 3 || retval_u64 & 4");
}

static void test_tracepoint(void **state)
{
	(void)state;
	assert_string_equal(text("t:syscalls:sys_enter_openat \"%s\", args->filename"),
			    "syscalls:sys_enter_openat");
	assert_int_equal(p.kind, FT_TRACE_TRACEPOINT);
	assert_string_equal(p.func, "sys_enter_openat");
	assert_string_equal(p.args[0].field, "filename");
	assert_string_equal(p.args[0].fetch, "");
	assert_non_null(text("t:block:block_rq_complete (args->nr_sector > 8 && rwbs ~ \"W*\") "
			     "\"%d %d\", nr_sector, $pid"));
	assert_string_equal(p.filter, "nr_sector > 8 && rwbs ~ \"W*\"");
	assert_string_equal(p.args[0].field, "nr_sector");
	assert_string_equal(p.args[1].field, "common_pid");
}

static void test_bad(void **state)
{
	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{ "", "an empty probe" },
		{ "vfs_*", "one function per probe, not a glob" },
		{ "f(int x)", "no signatures" },
		{ "u:/bin/x:probe", "USDT probes are not supported" },
		{ "t:syscalls", "a tracepoint is t:SYSTEM:EVENT" },
		{ "c:malloc", "'c' is not a path" },
		{ "p::", "say which function" },
		{ "f (retval < 0)", "'retval' in the filter of an entry probe" },
		{ "r::f (retval + 1 > 0)", "it does no arithmetic" },
		{ "f (arg1 = 3)", "'=' in the filter" },
		{ "f (arg9 == 3)", "a probe's filter compares arg1..arg6" },
		{ "f (x == 3)", "'x': a probe's filter compares" },
		{ "f ($uid == 0)", "the filter knows $pid and $cpu" },
		{ "f (STRCMP(\"a\", arg1))", "the kernel's filter calls no functions" },
		{ "f ((int) == 3)", "a cast in the filter" },
		{ "t:a:b ((int)x == 3)", "casts apply to a probe's" },
		{ "f (arg1 == 3", "the filter's closing ')' is missing" },
		{ "f \"%d", "the format's closing '\"' is missing" },
		{ "f \"%d\"", "the format has 1 conversion but 0 arguments" },
		{ "f \"x\", arg1", "the format has 0 conversions but 1 argument" },
		{ "f \"%d\" arg1", "the arguments follow the format after a ','" },
		{ "f \"%K\", arg1", "%K: symbols are not resolved" },
		{ "f \"%f\", arg1", "the conversions are" },
		{ "f \"%ls\", arg1", "the conversions are" },
		{ "f \"%d\", retval", "retval is a return probe's" },
		{ "f \"%d\", arg1@user", "@user goes with %s" },
		{ "f \"%s\", arg1@kernel", "the only qualifier is @user" },
		{ "f \"%d\", (int)arg1", "no casts in arguments" },
		{ "f \"%d\", foo", "a probe's values are arg1..arg6" },
		{ "t:a:b \"%d\", args->", "a tracepoint's arguments are its fields" },
		{ "f \"%d\", ", "an empty or too long argument" },
		{ "f junk", "after the probe come a (filter)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (!ft_trace_parse(bad[i].spec, &p, err, sizeof(err)) || !strstr(err, bad[i].msg))
			fail_msg("'%s': want '%s', got '%s'", bad[i].spec, bad[i].msg, err);
	}
}

static const char *msg(const char *spec, const struct ft_trace_val *v)
{
	static char buf[512];

	assert_int_equal(ft_trace_parse(spec, &p, err, sizeof(err)), 0);
	ft_trace_message(&p, v, buf, sizeof(buf));
	return buf;
}

static void test_message(void **state)
{
	struct ft_trace_val m1[5], m2[5],
		m3[3] = { { .str = "/etc/passwd\0junk", .len = 16 },
			  { .num = 'A' },
			  { .num = 42 } };

	(void)state;
	for (int i = 0; i < 5; i++) {
		m1[i] = (struct ft_trace_val){ .num = (unsigned long long)-1 };
		m2[i] = (struct ft_trace_val){ .num = 0x1ffffffffULL };
	}
	assert_string_equal(msg("f \"%d %u %x %lld %llu\", arg1, arg1, arg1, arg1, arg1", m1),
			    "-1 4294967295 ffffffff -1 18446744073709551615");
	assert_string_equal(msg("f \"%d %lx %llx %hu %hd\", arg1, arg1, arg1, arg1, arg1", m2),
			    "-1 1ffffffff 1ffffffff 65535 -1");
	assert_string_equal(msg("f \"<%s> %c %p\", arg1, arg1, arg1", m3), "</etc/passwd> A 0x2a");
	assert_string_equal(msg("f \"[%5d|%-5d|%05d|%.3d|%#x|%+d|%5s|%-4s]\", arg1, arg1, "
				"arg1, arg1, arg1, arg1, arg1, arg1",
				(struct ft_trace_val[]){ { .num = 42 },
							 { .num = 42 },
							 { .num = 42 },
							 { .num = 42 },
							 { .num = 42 },
							 { .num = 42 },
							 { .str = "ab", .len = 2 },
							 { .str = "ab", .len = 2 } }),
			    "[   42|42   |00042|042|0x2a|+42|   ab|ab  ]");
	assert_string_equal(
		msg("f \"[%.1s]\", arg1", (struct ft_trace_val[]){ { .str = "ab", .len = 2 } }),
		"[a]");
	assert_string_equal(
		msg("f \"%s|%%\", arg1", (struct ft_trace_val[]){ { .str = "abc", .len = 2 } }),
		"ab|%");
	assert_string_equal(msg("f", m1), "");
	/* cut to fit, the whole length returned, as snprintf() */
	{
		char small[6];

		assert_int_equal(ft_trace_parse("f \"ab %d cd\", arg1", &p, err, sizeof(err)), 0);
		assert_int_equal(ft_trace_message(&p, m1, small, sizeof(small)), 8);
		assert_string_equal(small, "ab -1");
		assert_int_equal(ft_trace_message(&p, m1, small, 3), 8);
		assert_string_equal(small, "ab");
		assert_int_equal(ft_trace_message(&p, m1, small, 0), 8);
	}
}

/* The eprobe of @spec on the 6.1 kernel's @system/@event, or NULL when it needs none. */
static const char *eprobe(const char *system, const char *event, const char *spec)
{
	static char buf[2048];
	char path[256], *text;
	struct ft_event_format *fmt = NULL;
	bool needs;

	snprintf(path, sizeof(path), "vm-6.1/events/%s/%s/format", system, event);
	text = fixture_read(path);
	assert_non_null(text);
	assert_int_equal(ft_format_parse(system, text, &fmt), 0);
	free(text);
	assert_int_equal(ft_trace_parse(spec, &p, err, sizeof(err)), 0);
	needs = ft_trace_needs_eprobe(&p, fmt);
	err[0] = '\0';
	if (ft_trace_eprobe_text(&p, fmt, buf, sizeof(buf), err, sizeof(err)))
		snprintf(buf, sizeof(buf), "error: %s", err);
	ft_format_free(fmt);
	return needs || !strncmp(buf, "error", 5) ? buf : NULL;
}

static void test_eprobe(void **state)
{
	(void)state;
	/* syscalls' pointers are user memory; the numbers keep the field's size and sign */
	assert_string_equal(eprobe("syscalls", "sys_enter_openat",
				   "t:syscalls:sys_enter_openat \"%s\", args->filename"),
			    "syscalls:sys_enter_openat filename=+0($filename):ustring");
	assert_string_equal(eprobe("syscalls", "sys_enter_openat",
				   "t:syscalls:sys_enter_openat (args->filename ~ \"*passwd*\" && "
				   "flags != 0 && $pid != 1) \"%d %s\", args->dfd, filename"),
			    "syscalls:sys_enter_openat dfd=$dfd:u64 filename=+0($filename):ustring "
			    "flags=$flags:u64");
	assert_string_equal(p.filter, "filename ~ \"*passwd*\" && flags != 0 && common_pid != 1");
	/* a field's name inside a string compared with is no field; nor is a hex number */
	assert_string_equal(eprobe("syscalls", "sys_enter_openat",
				   "t:syscalls:sys_enter_openat (filename == \"flags\" || mode == "
				   "0x1ff) \"%s\", args->filename"),
			    "syscalls:sys_enter_openat filename=+0($filename):ustring "
			    "mode=$mode:u64");
	assert_null(eprobe("syscalls", "sys_enter_openat",
			   "t:syscalls:sys_enter_openat \"%d %x\", args->dfd, flags"));
	/* elsewhere a pointer is the kernel's, unless @user says otherwise */
	assert_string_equal(eprobe("kmem", "kmalloc", "t:kmem:kmalloc \"%s %d\", ptr, node"),
			    "kmem:kmalloc ptr=+0($ptr):string node=$node:s32");
	assert_string_equal(eprobe("kmem", "kmalloc", "t:kmem:kmalloc \"%s\", args->ptr@user"),
			    "kmem:kmalloc ptr=+0($ptr):ustring");
	assert_string_equal(p.args[0].field, "ptr");
	/* a string field needs no eprobe; in one, it is fetched as a string */
	assert_null(eprobe("sched", "sched_switch",
			   "t:sched:sched_switch \"%s %d\", prev_comm, next_pid"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel), cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_user),   cmocka_unit_test(test_tracepoint),
		cmocka_unit_test(test_bad),    cmocka_unit_test(test_message),
		cmocka_unit_test(test_eprobe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
