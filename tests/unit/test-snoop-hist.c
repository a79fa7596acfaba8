// SPDX-License-Identifier: GPL-2.0-only
/*
 * execsnoop's and opensnoop's hist-trigger texts (the probes, synthetic events and triggers
 * of src/tools/snoop-htext.c, as the VM tests 92 and 93 run them on 6.1) and their synthetic
 * events' records read back into the BPF backend's record.
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

#include "bpf/snoop.h"
#include "tools/snoop-hist.h"

static void test_open_texts(void **state)
{
	static const long tids[] = { 7, 9 };
	struct ft_snoop_hist_opts o = { FT_SNOOP_OPEN, "ftrig_42", tids, 1, "cat", true };
	struct ft_snoop_hist h;
	char err[256];

	(void)state;
	assert_int_equal(ft_snoop_hist_make(&o, &h, err, sizeof(err)), 0);
	assert_string_equal(h.synth, "ftrig_42_open");
	assert_string_equal(h.synth_ok, "");
	assert_int_equal(h.ndefs, 1);
	assert_string_equal(h.defs[0], "ftrig_42_open char comm[]; char file[]; s64 ret");
	assert_int_equal(h.nprobes, 2);
	assert_string_equal(h.probes[0], "p:ftrig_42/open do_sys_openat2 comm=$comm:string "
					 "path=+0(%si):ustring");
	assert_string_equal(h.probes[1], "r64:ftrig_42/open_ret do_sys_openat2 ret=$retval:s64");
	assert_int_equal(h.ntrig, 2);
	assert_int_equal(h.nentry, 1);
	assert_string_equal(h.trig_ev[0], "ftrig_42:open");
	/* -c and -p filter the entry, -x the return */
	assert_string_equal(h.trig[0], "hist:keys=common_pid:ftrig_42_open_c0=comm,ftrig_42_open_f0"
				       "=path:size=8192 if comm == \"cat\" && common_pid == 7");
	ft_snoop_hist_release(&h);
	/* a process of two threads, no -c */
	o.ntids = 2;
	o.comm = NULL;
	assert_int_equal(ft_snoop_hist_make(&o, &h, err, sizeof(err)), 0);
	assert_non_null(strstr(h.trig[0], ":size=8192 if (common_pid == 7 || common_pid == 9)"));
	o.comm = "cat";
	assert_string_equal(h.trig_ev[1], "ftrig_42:open_ret");
	assert_string_equal(h.trig[1], "hist:keys=common_pid:onmatch(ftrig_42.open).trace("
				       "ftrig_42_open,$ftrig_42_open_c0,$ftrig_42_open_f0,ret) if "
				       "ret < 0");
	ft_snoop_hist_release(&h);
	assert_null(h.defs[0]);
	/* a name the filter cannot quote */
	o.comm = "a\"b";
	assert_int_equal(ft_snoop_hist_make(&o, &h, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no quotes"));
	ft_snoop_hist_release(&h);
}

/* The number of ',' separated parameters of the trace() in @trig, the event included. */
static int trace_params(const char *trig)
{
	const char *p = strstr(trig, ".trace(");
	int n = 1;

	assert_non_null(p);
	for (; *p && *p != ')'; p++)
		n += *p == ',';
	return n;
}

static void test_exec_texts(void **state)
{
	struct ft_snoop_hist_opts o = { FT_SNOOP_EXEC, "ftrig_42", NULL, 0, NULL, false };
	struct ft_snoop_hist h;
	char err[256];

	(void)state;
	assert_int_equal(ft_snoop_hist_make(&o, &h, err, sizeof(err)), 0);
	assert_string_equal(h.synth_ok, "ftrig_42_exec_ok");
	assert_int_equal(h.ndefs, 2);
	assert_string_equal(h.defs[1], "ftrig_42_exec_ok char comm[]; char file[]; u64 argc; "
				       "char a1[]; char a2[]; char a3[]; char a4[]; char a5[]");
	assert_int_equal(h.nprobes, 5);
	assert_string_equal(h.probes[0],
			    "e:ftrig_42/execve syscalls.sys_enter_execve comm=$comm:string "
			    "file=+0($filename):ustring a1=+0(+8($argv)):ustring "
			    "a2=+0(+16($argv)):ustring a3=+0(+24($argv)):ustring "
			    "a4=+0(+32($argv)):ustring a5=+0(+40($argv)):ustring p1=+8($argv):u64 "
			    "p2=+16($argv):u64 p3=+24($argv):u64 p4=+32($argv):u64 "
			    "p5=+40($argv):u64 p6=+48($argv):u64");
	assert_string_equal(h.probes[2], "p:ftrig_42/exec_new start_thread comm=$comm:string "
					 "argc=+0(%dx):u64 a1=+0(+16(%dx)):ustring "
					 "a2=+0(+24(%dx)):ustring a3=+0(+32(%dx)):ustring "
					 "a4=+0(+40(%dx)):ustring a5=+0(+48(%dx)):ustring");
	assert_string_equal(h.probes[3], "e:ftrig_42/execve_ret syscalls.sys_exit_execve "
					 "ret=$ret:s64 comm=$comm:string");
	assert_int_equal(h.ntrig, 6);
	assert_int_equal(h.nentry, 2);
	assert_string_equal(h.trig_ev[1], "ftrig_42:execveat");
	assert_string_equal(h.trig_ev[3], "ftrig_42:exec_new");
	assert_string_equal(h.trig[3], "hist:keys=common_pid:onmatch(ftrig_42.execve).trace("
				       "ftrig_42_exec_ok,comm,$ftrig_42_exec_f0,argc,a1,a2,a3,a4,"
				       "a5)");
	/* the two hists on start_thread differ in their values, or the kernel takes one */
	assert_non_null(strstr(h.trig[5], "hist:keys=common_pid:vals=hitcount,argc:onmatch("
					  "ftrig_42.execveat)"));
	/* the failed exec's trace(): 15 parameters, within ftrig's bound of 16 (one more
	 * argument takes two) */
	assert_string_equal(h.trig_ev[2], "ftrig_42:execve_ret");
	assert_int_equal(trace_params(h.trig[2]), 15);
	assert_non_null(strstr(h.trig[2], ",ret) if ret < 0"));
	ft_snoop_hist_release(&h);
	/* -x: no successful exec is made known */
	o.failed = true;
	assert_int_equal(ft_snoop_hist_make(&o, &h, err, sizeof(err)), 0);
	assert_int_equal(h.ndefs, 1);
	assert_int_equal(h.nprobes, 4);
	assert_int_equal(h.ntrig, 4);
	ft_snoop_hist_release(&h);
}

/* A record as a table of fields, for ft_snoop_hist_rec(). */
struct field {
	const char *name;
	const char *str;
	int64_t num;
};

static int get(void *ctx, const char *name, const char **str, size_t *len, int64_t *num)
{
	for (const struct field *f = ctx; f->name; f++)
		if (!strcmp(f->name, name)) {
			*str = f->str;
			*len = f->str ? strlen(f->str) + 1 : 0;
			*num = f->num;
			return 0;
		}
	return -ENOENT;
}

static void test_rec(void **state)
{
	/* the fields of the synthetic events' formats on 6.1 */
	struct field open[] = { { "common_pid", NULL, 301 },
				{ "comm", "cat", 0 },
				{ "file", "/etc/hosts", 0 },
				{ "ret", NULL, -2 },
				{ NULL, NULL, 0 } };
	struct field ok[] = { { "common_pid", NULL, 500 },
			      { "comm", "true", 0 },
			      { "file", "/bin/true", 0 },
			      { "argc", NULL, 7 },
			      { "a1", "snoopmark", 0 },
			      { "a2", "1", 0 },
			      { "a3", "two words", 0 },
			      { "a4", "x", 0 },
			      { "a5", "y", 0 },
			      { NULL, NULL, 0 } };
	/* a failed exec of argv[0..2]: what follows the NULL pointer is another field's text */
	struct field bad[] = {
		{ "common_pid", NULL, 501 }, { "comm", "sh", 0 },    { "file", "", 0 },
		{ "a1", "failmark", 0 },     { "a2", "3", 0 },	     { "a3", "SHLVL=2", 0 },
		{ "p1", NULL, 0x7ff0 },	     { "p2", NULL, 0x7ff8 }, { "p3", NULL, 0 },
		{ "p4", NULL, 0x7fe0 },	     { "ret", NULL, -2 },    { NULL, NULL, 0 }
	};
	struct ft_snoop_rec *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	assert_int_equal(ft_snoop_hist_rec(FT_SNOOP_OPEN, false, get, open, r), 0);
	assert_int_equal(r->tid, 301);
	assert_int_equal(r->ret, -2);
	assert_string_equal(r->comm, "cat");
	assert_string_equal(r->file, "/etc/hosts");
	assert_int_equal(r->flags, FT_SNOOP_NOPPID);
	assert_int_equal(ft_snoop_hist_rec(FT_SNOOP_EXEC, true, get, ok, r), 0);
	assert_int_equal(r->ret, 0);
	assert_int_equal(r->argc, 5);
	assert_string_equal(r->args[2], "two words");
	assert_string_equal(r->args[4], "y");
	assert_int_equal(r->flags, FT_SNOOP_NOPPID | FT_SNOOP_TRUNC);
	assert_int_equal(ft_snoop_hist_rec(FT_SNOOP_EXEC, false, get, bad, r), 0);
	assert_int_equal(r->ret, -2);
	assert_int_equal(r->argc, 2);
	assert_string_equal(r->args[1], "3");
	assert_string_equal(r->args[2], "");
	assert_int_equal(r->flags, FT_SNOOP_NOPPID | FT_SNOOP_NOFILE);
	/* no thread, or a failed call without its return: not a record */
	assert_int_equal(ft_snoop_hist_rec(FT_SNOOP_OPEN, false, get, open + 1, r), -ENOENT);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_texts),
		cmocka_unit_test(test_exec_texts),
		cmocka_unit_test(test_rec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
