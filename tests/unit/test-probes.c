// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe specs: ftrig's form and the kernel's (round trip on definitions the kernels listed),
 * fetch-argument checks against what each kernel's README allows, default names, profiles and
 * symbol lists captured from the kernels, and ELF symbol -> file offset on binaries built in
 * the tree (PIE, non-PIE, a stripped shared library), checked by reading the marker bytes at
 * the offset computed.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "commands.h"
#include "faketfs.h"
#include "probes/glob.h"
#include "probes/listing.h"
#include "probes/probe.h"
#include "suggest.h"

/* Parse in ftrig's form, settle names, pretend uprobes resolved to 0x1234, format. */
static char *user_to_kernel(const char *text, enum ft_probe_kind kind, char *err, size_t errsz)
{
	struct ft_probe_spec s;
	char *line = NULL;

	if (!ft_probe_parse(text, kind, &s, err, errsz) &&
	    !ft_probe_name_defaults(&s, NULL, NULL, err, errsz)) {
		if (ft_probe_is_user(s.kind) && !s.resolved) {
			s.file_offset = 0x1234;
			s.resolved = true;
		}
		line = ft_probe_format(&s);
	}
	ft_probe_spec_release(&s);
	return line;
}

static void test_parse_user(void **state)
{
	static const struct {
		const char *text;
		enum ft_probe_kind kind;
		const char *want;
	} cases[] = {
		{ "do_sys_openat2 dfd=$arg1 path=+0($arg2):ustring", FT_PROBE_KPROBE,
		  "p:ftrig/do_sys_openat2 do_sys_openat2 dfd=$arg1 path=+0($arg2):ustring" },
		{ "do_sys_openat2 ret=$retval", FT_PROBE_KRETPROBE,
		  "r:ftrig/do_sys_openat2_ret do_sys_openat2 ret=$retval" },
		{ "vfs_read+4", FT_PROBE_KPROBE, "p:ftrig/vfs_read_4 vfs_read+4" },
		{ "ext4:ext4_sync_file", FT_PROBE_KPROBE,
		  "p:ftrig/ext4_sync_file ext4:ext4_sync_file" },
		{ "/bin/bash:readline", FT_PROBE_KPROBE, "p:ftrig/readline /bin/bash:0x1234" },
		{ "  /usr/lib/libc.so.6:malloc   ret=$retval ", FT_PROBE_KRETPROBE,
		  "r:ftrig/malloc_ret /usr/lib/libc.so.6:0x1234 ret=$retval" },
		{ "./prog:0x4d0 x=%di", FT_PROBE_KPROBE, "p:ftrig/prog_0x4d0 ./prog:0x4d0 x=%di" },
		{ "sched:sched_switch next=$next_pid if next_pid > 1", FT_PROBE_EPROBE,
		  "e:ftrig/sched_switch sched.sched_switch next=$next_pid if next_pid > 1" },
		{ "sched.sched_switch", FT_PROBE_EPROBE,
		  "e:ftrig/sched_switch sched.sched_switch" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *line = user_to_kernel(cases[i].text, cases[i].kind, err, sizeof(err));

		if (!line)
			fail_msg("'%s': %s", cases[i].text, err);
		assert_string_equal(line, cases[i].want);
		free(line);
	}
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		enum ft_probe_kind kind;
		bool raw;
		const char *why;
	} cases[] = {
		{ "", FT_PROBE_KPROBE, false, "say what to probe" },
		{ "vfs_read+x", FT_PROBE_KPROBE, false, "must be a number" },
		{ "mod:", FT_PROBE_KPROBE, false, "not a kernel function" },
		{ "/bin/bash:", FT_PROBE_KPROBE, false, "BINARY:SYMBOL" },
		{ "/bin/bash:readline+z", FT_PROBE_KPROBE, false, "must be a number" },
		{ "/bin/bash:0x12q", FT_PROBE_KPROBE, false, "not a file offset" },
		{ "sched_switch", FT_PROBE_EPROBE, false, "SYSTEM:EVENT" },
		{ "sched:sched_switch if", FT_PROBE_EPROBE, false, "followed by a filter" },
		{ "x:g/n do_sys_openat2", FT_PROBE_KPROBE, true, "not a probe definition" },
		{ "rx:g/n do_sys_openat2", FT_PROBE_KPROBE, true, "not a probe definition" },
		{ "p:g/n", FT_PROBE_KPROBE, true, "no place" },
		{ "p:g/n /bin/bash:readline", FT_PROBE_KPROBE, true, "takes a file offset" },
		{ "f a=%di\n-:other/probe", FT_PROBE_KPROBE, false, "one line" },
		{ "p:g/n f\n-:other/probe", FT_PROBE_KPROBE, true, "one line" },
	};
	struct ft_probe_spec s;
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = cases[i].raw ? ft_probe_parse_raw(cases[i].text, &s, err, sizeof(err))
				       : ft_probe_parse(cases[i].text, cases[i].kind, &s, err,
							sizeof(err));

		if (ret != -EINVAL)
			fail_msg("'%s' gave %d, expected -EINVAL", cases[i].text, ret);
		if (!strstr(err, cases[i].why))
			fail_msg("'%s': '%s' lacks '%s'", cases[i].text, err, cases[i].why);
		ft_probe_spec_release(&s);
	}
	assert_int_equal(ft_probe_parse_raw("s:synthetic/x u64 lat", &s, err, sizeof(err)),
			 -ENOTSUP);
	ft_probe_spec_release(&s);
}

/* Every probe a kernel listed parses, and formats back to the same definition. */
static void roundtrip_file(const char *fixture, size_t want_probes)
{
	char *text = fixture_read(fixture), *save, err[512];
	size_t probes = 0;

	assert_non_null(text);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ft_probe_spec s, again;
		char *out, *out2;
		int ret = ft_probe_parse_raw(line, &s, err, sizeof(err));

		if (ret == -ENOTSUP)
			continue;
		if (ret)
			fail_msg("'%s': %s", line, err);
		assert_non_null(s.group);
		assert_non_null(s.name);
		out = ft_probe_format(&s);
		assert_non_null(out);
		if (!ft_probe_is_user(s.kind)) {
			assert_string_equal(out, line);
		} else {
			/* The kernel pads the offset to 16 digits; the value must survive. */
			assert_int_equal(ft_probe_parse_raw(out, &again, err, sizeof(err)), 0);
			assert_int_equal(again.file_offset, s.file_offset);
			assert_int_equal(again.kind, s.kind);
			out2 = ft_probe_format(&again);
			assert_string_equal(out2, out);
			free(out2);
			ft_probe_spec_release(&again);
		}
		free(out);
		ft_probe_spec_release(&s);
		probes++;
	}
	assert_int_equal(probes, want_probes);
	free(text);
}

static void test_raw_roundtrip(void **state)
{
	struct ft_probe_spec s;
	char err[512];

	roundtrip_file("vm-6.1/probes/dynamic_events", 5);
	roundtrip_file("host-6.18/probes/dynamic_events", 2);
	assert_int_equal(ft_probe_parse_raw("r16:ftcap/open_ret do_sys_openat2 ret=$retval:s64", &s,
					    err, sizeof(err)),
			 0);
	assert_int_equal(s.kind, FT_PROBE_KRETPROBE);
	assert_int_equal(s.maxactive, 16);
	assert_string_equal(s.group, "ftcap");
	assert_string_equal(s.name, "open_ret");
	assert_int_equal(s.nargs, 1);
	ft_probe_spec_release(&s);
	assert_int_equal(
		ft_probe_parse_raw("p:mygrp/open do_sys_openat2%return %ax", &s, err, sizeof(err)),
		0);
	assert_int_equal(s.kind, FT_PROBE_KRETPROBE);
	ft_probe_spec_release(&s);
	assert_int_equal(ft_probe_parse_raw("p /bin/true:0x10%return(0x20)", &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.kind, FT_PROBE_URETPROBE);
	assert_string_equal(s.ref_ctr, "(0x20)");
	assert_null(s.group);
	assert_null(s.name);
	assert_int_equal(ft_probe_name_defaults(&s, NULL, NULL, err, sizeof(err)), 0);
	assert_string_equal(s.name, "true_0x10_ret");
	ft_probe_spec_release(&s);
}

/* Check the arguments of @text (ftrig form) against a kernel's README. */
static int check(const char *readme_fixture, const char *text, enum ft_probe_kind kind, size_t *bad,
		 char *err, size_t errsz, char **first_arg)
{
	char *readme = fixture_read(readme_fixture), perr[256];
	struct ft_probe_caps caps;
	struct ft_probe_spec s;
	int ret;

	assert_non_null(readme);
	ft_probe_caps_from_readme(readme, &caps);
	free(readme);
	assert_true(caps.known);
	if (ft_probe_parse(text, kind, &s, perr, sizeof(perr)))
		fail_msg("'%s' does not parse: %s", text, perr);
	ret = ft_probe_check_args(&s, &caps, bad, err, errsz);
	if (first_arg)
		*first_arg = s.nargs ? strdup(s.args[0]) : NULL;
	ft_probe_spec_release(&s);
	return ret;
}

static void test_fetchargs_good(void **state)
{
	static const struct {
		const char *text;
		enum ft_probe_kind kind;
	} good[] = {
		{ "f a=$arg1 b=$arg2:u32 c=+0($arg2):ustring d=+8(+0(%di)):x64", FT_PROBE_KPROBE },
		{ "f a=%ax:s8 b=%r8:x16 c=$stack c2=$stack3:u64 d=$comm e=@jiffies",
		  FT_PROBE_KPROBE },
		{ "f a=@jiffies+8:u64 b=@0xffffffff81000000 c=+0(%di):string d=-8(%sp):s32",
		  FT_PROBE_KPROBE },
		{ "f a=+0(%di):b3@2/32 b=+0(%si):u8[4] c=%di:symbol d=\\1 e=\\\"x\\\"",
		  FT_PROBE_KPROBE },
		{ "f +u0(%si):u8 %di", FT_PROBE_KPROBE },
		{ "f r=$retval:s64 c=$comm", FT_PROBE_KRETPROBE },
		{ "/bin/true:main a=$arg1 b=$arg2 c=+0($arg3):string d=@+0x10:u32",
		  FT_PROBE_KPROBE },
		{ "/bin/true:0x10 a=%di:s64 b=$stack1", FT_PROBE_KPROBE },
		{ "/bin/true:main r=$retval", FT_PROBE_KRETPROBE },
		{ "sched:sched_switch n=$next_pid c=$next_comm:string p=+0($prev_pid):u8",
		  FT_PROBE_EPROBE },
	};
	const char *readmes[] = { "vm-6.1/README", "host-6.18/README" };
	char err[512];
	size_t bad;

	for (size_t r = 0; r < 2; r++)
		for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
			if (check(readmes[r], good[i].text, good[i].kind, &bad, err, sizeof(err),
				  NULL))
				fail_msg("%s: '%s' refused: %s", readmes[r], good[i].text, err);
}

static void test_fetchargs_bad(void **state)
{
	static const struct {
		const char *text;
		enum ft_probe_kind kind;
		size_t bad;
		const char *why;
	} bad[] = {
		{ "f a=$arg1 b=$arg0", FT_PROBE_KPROBE, 1, "counted from 1" },
		{ "f a=$retval", FT_PROBE_KPROBE, 0, "only at a return probe" },
		{ "f a=$foo", FT_PROBE_KPROBE, 0, "unknown variable '$foo'" },
		{ "f a=$", FT_PROBE_KPROBE, 0, "must be followed by a name" },
		{ "f+8 a=$arg1", FT_PROBE_KPROBE, 0, "only at a function's entry" },
		{ "f a=%di:u33", FT_PROBE_KPROBE, 0, "unknown type 'u33'" },
		{ "f a=%di:string", FT_PROBE_KPROBE, 0, "needs memory" },
		{ "f a=$arg1:ustring", FT_PROBE_KPROBE, 0, "needs memory" },
		{ "f a=+0(%di):b9@0/8", FT_PROBE_KPROBE, 0, "bad bitfield" },
		{ "f a=+0(%di):b3@2/24", FT_PROBE_KPROBE, 0, "bad bitfield" },
		{ "f a=+0(%di):u8[0]", FT_PROBE_KPROBE, 0, "bad array" },
		{ "f a=+0(%di):u8[65]", FT_PROBE_KPROBE, 0, "bad array" },
		{ "f a=+0(%di", FT_PROBE_KPROBE, 0, "')' is missing" },
		{ "f a=+(%di)", FT_PROBE_KPROBE, 0, "offset is missing" },
		{ "f a=+8%di", FT_PROBE_KPROBE, 0, "'(' is missing" },
		{ "f a=di", FT_PROBE_KPROBE, 0, "starts with %REG" },
		{ "f a=%", FT_PROBE_KPROBE, 0, "register name" },
		{ "f a=@", FT_PROBE_KPROBE, 0, "address or symbol" },
		{ "f a=%di b=%si a=%dx", FT_PROBE_KPROBE, 2, "used twice" },
		{ "f 1a=%di", FT_PROBE_KPROBE, 0, "not a valid argument name" },
		{ "f a=%di)", FT_PROBE_KPROBE, 0, "unexpected ')'" },
		{ "f a=\\\"x", FT_PROBE_KPROBE, 0, "closing" },
		{ "/bin/true:0x10 a=$arg1", FT_PROBE_KPROBE, 0, "cannot fetch $argN in uprobes" },
		{ "/bin/true:main a=$arg1", FT_PROBE_KRETPROBE, 0,
		  "cannot fetch $argN in uprobes" },
		{ "/bin/true:main a=@sym", FT_PROBE_KPROBE, 0, "not at symbols" },
		{ "/bin/true:main a=%di:symbol", FT_PROBE_KPROBE, 0, "uprobes cannot use it" },
		{ "sched:sched_switch a=%di", FT_PROBE_EPROBE, 0, "no registers" },
		{ "sched:sched_switch a=@0x10", FT_PROBE_EPROBE, 0, "not memory" },
	};
	char err[512], *arg;
	size_t where;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = check("vm-6.1/README", bad[i].text, bad[i].kind, &where, err, sizeof(err),
				&arg);

		free(arg);
		if (ret != -EINVAL)
			fail_msg("'%s' accepted", bad[i].text);
		if (where != bad[i].bad || !strstr(err, bad[i].why))
			fail_msg("'%s': argument %zu, '%s'; expected %zu, '%s'", bad[i].text, where,
				 err, bad[i].bad, bad[i].why);
	}
}

/* What differs between the kernels comes from their READMEs, not from version numbers. */
static void test_fetchargs_per_kernel(void **state)
{
	char err[512], *arg;
	size_t bad;

	/* 6.18 fetches $argN at kretprobes and has the char type; 6.1 has neither. */
	assert_int_equal(check("host-6.18/README", "f a=$arg1", FT_PROBE_KRETPROBE, &bad, err,
			       sizeof(err), NULL),
			 0);
	assert_int_equal(check("vm-6.1/README", "f a=$arg1", FT_PROBE_KRETPROBE, &bad, err,
			       sizeof(err), NULL),
			 -EINVAL);
	assert_non_null(strstr(err, "at a return probe"));
	assert_int_equal(check("host-6.18/README", "f a=+0(%di):char", FT_PROBE_KPROBE, &bad, err,
			       sizeof(err), NULL),
			 0);
	assert_int_equal(check("vm-6.1/README", "f a=+0(%di):char", FT_PROBE_KPROBE, &bad, err,
			       sizeof(err), NULL),
			 -EINVAL);
	assert_non_null(strstr(err, "no 'char' type"));
	/* Parameters by name need a kernel whose README lists <argname> (BTF probe arguments). */
	{
		struct ft_probe_caps caps;
		struct ft_probe_spec s;

		ft_probe_caps_from_readme(NULL, &caps);
		assert_false(caps.known);
		assert_int_equal(ft_probe_parse("vfs_read f=file->f_path.dentry:x64 n=count",
						FT_PROBE_KPROBE, &s, err, sizeof(err)),
				 0);
		assert_int_equal(ft_probe_check_args(&s, &caps, &bad, err, sizeof(err)), 0);
		caps.btf_args = false;
		assert_int_equal(ft_probe_check_args(&s, &caps, &bad, err, sizeof(err)), -EINVAL);
		ft_probe_spec_release(&s);
	}
	/* uprobe $argN at a symbol's entry becomes the x86-64 argument registers. */
	assert_int_equal(check("host-6.18/README", "/bin/true:main a=$arg1 b=+0($arg2):string",
			       FT_PROBE_KPROBE, &bad, err, sizeof(err), &arg),
			 0);
#if defined(__x86_64__)
	assert_string_equal(arg, "a=%di");
#endif
	free(arg);
}

/*
 * Register names, as the 6.18 host kernel judged them: each written as a uprobe fetch
 * argument "x=%REG" to uprobe_events; the first list was taken, the second refused.
 */
static void test_fetchargs_registers(void **state)
{
	static const char *const taken[] = {
		"di",  "si",  "dx",  "cx",  "r8",  "r9",  "ax",	   "bx", "bp", "sp",	 "ip",
		"r10", "r11", "r12", "r13", "r14", "r15", "flags", "cs", "ss", "orig_ax"
	};
	static const char *const refused[] = { "rdi", "edi", "ds", "es", "fs", "gs", "bogus" };
	char text[64], err[512];
	size_t bad;

	(void)state;
#if !defined(__x86_64__)
	skip();
#endif
	for (size_t i = 0; i < sizeof(taken) / sizeof(*taken); i++) {
		snprintf(text, sizeof(text), "/bin/true:main x=%%%s", taken[i]);
		assert_int_equal(check("host-6.18/README", text, FT_PROBE_KPROBE, &bad, err,
				       sizeof(err), NULL),
				 0);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		snprintf(text, sizeof(text), "/bin/true:main x=%%%s", refused[i]);
		assert_int_equal(check("host-6.18/README", text, FT_PROBE_KPROBE, &bad, err,
				       sizeof(err), NULL),
				 -EINVAL);
		assert_non_null(strstr(err, "no register"));
	}
	snprintf(text, sizeof(text), "/bin/true:main x=%%rdi");
	check("host-6.18/README", text, FT_PROBE_KPROBE, &bad, err, sizeof(err), NULL);
	assert_non_null(strstr(err, "did you mean %di?"));
	/* An error in an argument that names $argN quotes it as written, not as rewritten. */
	{
		char *arg = NULL;

		assert_int_equal(check("host-6.18/README", "/bin/true:main w=+0($arg1):u128",
				       FT_PROBE_KPROBE, &bad, err, sizeof(err), &arg),
				 -EINVAL);
		assert_int_equal(bad, 0);
		assert_string_equal(arg, "w=+0($arg1):u128");
		free(arg);
	}
}

static void test_names(void **state)
{
	struct ft_probe_spec s;
	char err[512], longsym[200];

	assert_int_equal(ft_probe_parse("do_sys_openat2", FT_PROBE_KPROBE, &s, err, sizeof(err)),
			 0);
	assert_int_equal(ft_probe_name_defaults(&s, "mine", "open", err, sizeof(err)), 0);
	assert_string_equal(s.group, "mine");
	assert_string_equal(s.name, "open");
	assert_int_equal(ft_probe_name_defaults(&s, NULL, "9lives", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "name '9lives' is not valid"));
	assert_int_equal(ft_probe_name_defaults(&s, "my-group", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "group 'my-group'"));
	ft_probe_spec_release(&s);

	memset(longsym, 'x', sizeof(longsym) - 1);
	longsym[sizeof(longsym) - 1] = '\0';
	assert_int_equal(ft_probe_parse(longsym, FT_PROBE_KRETPROBE, &s, err, sizeof(err)), 0);
	assert_int_equal(ft_probe_name_defaults(&s, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(strlen(s.name), FT_PROBE_NAME_MAX);
	assert_string_equal(s.name + FT_PROBE_NAME_MAX - 4, "_ret");
	ft_probe_spec_release(&s);

	assert_int_equal(
		ft_probe_parse("/opt/my-app.bin:0x4d0", FT_PROBE_KPROBE, &s, err, sizeof(err)), 0);
	assert_int_equal(ft_probe_name_defaults(&s, NULL, NULL, err, sizeof(err)), 0);
	assert_string_equal(s.name, "my_app_bin_0x4d0");
	ft_probe_spec_release(&s);
}

static void test_profiles(void **state)
{
	char *kp = fixture_read("vm-6.1/probes/kprobe_profile");
	char *up = fixture_read("vm-6.1/probes/uprobe_profile");
	char *hup = fixture_read("host-6.18/probes/uprobe_profile");
	unsigned long long hits = 9, misses = 9;

	assert_non_null(kp);
	assert_non_null(up);
	assert_non_null(hup);
	assert_true(ft_profile_lookup(kp, false, "open", &hits, &misses));
	assert_int_equal(hits, 2);
	assert_int_equal(misses, 0);
	assert_true(ft_profile_lookup(kp, false, "open_ret", &hits, &misses));
	assert_int_equal(hits, 0);
	assert_false(ft_profile_lookup(kp, false, "ope", &hits, &misses));
	assert_true(ft_profile_lookup(up, true, "wt_ret", &hits, &misses));
	assert_int_equal(hits, 0);
	assert_true(ft_profile_lookup(hup, true, "wt", &hits, &misses));
	assert_false(ft_profile_lookup(hup, true, "workload", &hits, &misses));
	free(kp);
	free(up);
	free(hup);
}

static void test_symlists(void **state)
{
	char *aff = fixture_read("vm-6.1/probes/available_filter_functions");
	char *ks = fixture_read("vm-6.1/probes/kallsyms");
	char near[1024];
	struct ft_suggest sg;

	assert_non_null(aff);
	assert_non_null(ks);
	assert_true(ft_symlist_find(aff, false, "do_sys_openat2", NULL));
	assert_true(ft_symlist_find(ks, true, "do_sys_openat2", NULL));
	assert_true(ft_symlist_find(ks, true, "vfs_read", NULL));
	/* Data symbols are not kprobe targets. */
	assert_false(ft_symlist_find(ks, true, "event_exit__openat2", NULL));
	ft_suggest_init(&sg, "do_sys_opnat2");
	assert_false(ft_symlist_find(ks, true, "do_sys_opnat2", &sg));
	assert_non_null(ft_suggest_list(&sg, near, sizeof(near)));
	assert_memory_equal(near, "do_sys_openat2", 14);
	assert_false(ft_symlist_find(aff, false, "nomod:do_sys_openat2", NULL));
	free(aff);
	free(ks);
}

/* A glob against available_filter_functions: sorted, each name once, the text of a kprobe. */
static void test_glob_match(void **state)
{
	char *aff = fixture_read("vm-6.1/probes/available_filter_functions"), *twice, **v;
	size_t n;

	(void)state;
	assert_non_null(aff);
	assert_int_equal(ft_probe_glob_match(aff, "vfs_read*", &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "vfs_read");
	assert_string_equal(v[1], "vfs_readlink");
	assert_string_equal(v[2], "vfs_readv");
	ft_probe_names_free(v, n);
	/* a static function of several files is listed once per file: probed once */
	assert_true(asprintf(&twice, "%s%s", aff, aff) > 0);
	assert_int_equal(ft_probe_glob_match(twice, "*openat2*", &v, &n), 0);
	assert_int_equal(n, 6);
	assert_string_equal(v[0], "__audit_openat2_how");
	assert_string_equal(v[5], "io_openat2_prep");
	ft_probe_names_free(v, n);
	assert_int_equal(ft_probe_glob_match(aff, "nothing_*", &v, &n), 0);
	assert_int_equal(n, 0);
	ft_probe_names_free(v, n);
	assert_true(ft_probe_text_is_glob("vfs_* count=%dx"));
	assert_true(ft_probe_text_is_glob("vfs_rea?"));
	assert_false(ft_probe_text_is_glob("vfs_read buf=+0($arg2):string[*]"));
	free(twice);
	free(aff);
}

static void test_suggest(void **state)
{
	static const char *const fields[] = { "prev_comm", "prev_pid", "prev_prio", "prev_state",
					      "next_comm", "next_pid", "next_prio" };
	struct ft_suggest sg;
	char buf[512];

	ft_suggest_init(&sg, "nxt_pid");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		ft_suggest_add(&sg, fields[i], strlen(fields[i]));
	assert_non_null(ft_suggest_list(&sg, buf, sizeof(buf)));
	assert_memory_equal(buf, "next_pid", 8);
	ft_suggest_init(&sg, "zzzzzzzz");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		ft_suggest_add(&sg, fields[i], strlen(fields[i]));
	assert_null(ft_suggest_list(&sg, buf, sizeof(buf)));

	/* CMD-9's hints: only the closest names, shown as the caller writes them */
	assert_string_equal(ft_suggest_hint("prev_pidd", fields, NULL, 7, buf, sizeof(buf)),
			    "; did you mean prev_pid?");
	assert_string_equal(ft_suggest_hint("zzzzzzzz", fields, NULL, 7, buf, sizeof(buf)), "");
	{
		static const char *const ev[] = { "sys_enter_getpid", "sys_enter_getppid",
						  "sys_enter_getsid" };
		static const char *const full[] = { "syscalls:sys_enter_getpid",
						    "syscalls:sys_enter_getppid",
						    "syscalls:sys_enter_getsid" };

		assert_string_equal(
			ft_suggest_hint("sys_enter_getppd", ev, full, 3, buf, sizeof(buf)),
			"; did you mean syscalls:sys_enter_getppid?");
	}
}

/* The bytes of @path at @off. */
static void bytes_at(const char *path, unsigned long long off, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, n, (off_t)off), (ssize_t)n);
	close(fd);
}

static void resolve_magic(const char *file)
{
	char path[512], err[1024], buf[16];
	unsigned long long off;

	snprintf(path, sizeof(path), "%s/%s", FT_ELF_TARGETS, file);
	if (ft_elf_resolve(path, "ft_elf_magic_a", 0, &off, err, sizeof(err)))
		fail_msg("%s: %s", file, err);
	bytes_at(path, off, buf, 13);
	assert_memory_equal(buf, "FTRIG-MAGIC-A", 13);
	assert_int_equal(ft_elf_resolve(path, "ft_elf_magic_b", 4, &off, err, sizeof(err)), 0);
	bytes_at(path, off, buf, 9);
	assert_memory_equal(buf, "G-MAGIC-B", 9);
	/* The offset form is checked to lie in code, and taken as it is. */
	assert_int_equal(ft_elf_resolve(path, NULL, off, &off, err, sizeof(err)), 0);
	assert_int_equal(ft_elf_resolve(path, NULL, 0, &off, err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "not in the code"));
	assert_int_equal(ft_elf_resolve(path, "ft_elf_magic_a", 13, &off, err, sizeof(err)),
			 -ERANGE);
	assert_non_null(strstr(err, "past the end"));
	assert_int_equal(ft_elf_resolve(path, "ft_elf_magic_c", 0, &off, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "did you mean ft_elf_magic_"));
	assert_int_equal(ft_elf_resolve(path, "puts", 0, &off, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "imported from a shared library"));
}

static void test_elf_resolve(void **state)
{
	char path[512], err[1024], buf[16];
	unsigned long long off = 0, off2;
	const char *p;

	resolve_magic("target-pie");
	resolve_magic("target-nopie");
	resolve_magic("libtarget.so");

	/* Two local functions of one name: ambiguous, each candidate's offset given. */
	snprintf(path, sizeof(path), "%s/target-nopie", FT_ELF_TARGETS);
	assert_int_equal(ft_elf_resolve(path, "ft_elf_dup", 0, &off, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "ambiguous"));
	p = strstr(err, "offsets 0x");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "offsets 0x%llx, 0x%llx", &off, &off2), 2);
	bytes_at(path, off, buf, 10);
	assert_memory_equal(buf, "FTRIG-DUP-", 10);
	bytes_at(path, off2, buf, 10);
	assert_memory_equal(buf, "FTRIG-DUP-", 10);
	assert_true(off != off2);

	/* The stripped library has only .dynsym: local functions are gone. */
	snprintf(path, sizeof(path), "%s/libtarget.so", FT_ELF_TARGETS);
	assert_int_equal(ft_elf_resolve(path, "ft_elf_dup", 0, &off, err, sizeof(err)), -ENOENT);

	snprintf(path, sizeof(path), "%s/vm-6.1/README", FT_FIXTURES);
	assert_int_equal(ft_elf_resolve(path, "main", 0, &off, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "not an ELF"));
	assert_int_equal(ft_elf_resolve("/nonexistent/x", "main", 0, &off, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "cannot open /nonexistent/x"));
}

/*
 * The kernel functions of a glob for a caller that makes no probe (funccount's kprobe-multi
 * path): the same names as the probes' glob, the same bound and the same refusals.
 */
static void test_glob_kernel(void **state)
{
	char *aff = fixture_read("vm-6.1/probes/available_filter_functions"), path[4200], **v;
	struct fake_env env;
	size_t n;
	FILE *f;

	(void)state;
	assert_non_null(aff);
	fake_env_open(&env, "vm-6.1");
	/* no list: refused as the probes' glob refuses it */
	assert_int_equal(ft_probe_glob_kernel(env.tfs, "vfs_read*", 0, &v, &n), -ENOTSUP);
	assert_int_equal(n, 0);
	snprintf(path, sizeof(path), "%s/available_filter_functions", env.tree);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(aff, f);
	fclose(f);
	assert_int_equal(ft_probe_glob_kernel(env.tfs, "vfs_read*", 0, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "vfs_read");
	assert_string_equal(v[2], "vfs_readv");
	ft_probe_names_free(v, n);
	assert_int_equal(ft_probe_glob_kernel(env.tfs, "vfs_read*", 2, &v, &n), -E2BIG);
	ft_probe_names_free(v, n);
	assert_int_equal(ft_probe_glob_kernel(env.tfs, "nothing_*", 0, &v, &n), -ENOENT);
	ft_probe_names_free(v, n);
	fake_env_close(&env);
	free(aff);
}

/* The glob of ft_elf_magic_?: a and b at their markers, a's alias and the IFUNC left out. */
static void glob_magic(const char *file)
{
	char path[512], err[1024], buf[16];
	struct ft_elf_func *f;
	size_t n, ifuncs;

	snprintf(path, sizeof(path), "%s/%s", FT_ELF_TARGETS, file);
	if (ft_elf_functions(path, "*ft_elf_magic_?", &f, &n, &ifuncs, err, sizeof(err)))
		fail_msg("%s: %s", file, err);
	assert_int_equal(n, 2);
	assert_int_equal(ifuncs, 1);
	assert_string_equal(f[0].name, "ft_elf_magic_a");
	assert_string_equal(f[1].name, "ft_elf_magic_b");
	bytes_at(path, f[0].offset, buf, 13);
	assert_memory_equal(buf, "FTRIG-MAGIC-A", 13);
	bytes_at(path, f[1].offset, buf, 13);
	assert_memory_equal(buf, "FTRIG-MAGIC-B", 13);
	ft_elf_funcs_free(f, n);
}

static void test_elf_functions(void **state)
{
	char path[512], err[1024];
	struct ft_elf_func *f;
	size_t n, ifuncs;

	glob_magic("target-pie");
	glob_magic("target-nopie");
	glob_magic("libtarget.so");

	/* Two local functions of one name: one probe (names are event names). */
	snprintf(path, sizeof(path), "%s/target-nopie", FT_ELF_TARGETS);
	assert_int_equal(ft_elf_functions(path, "ft_elf_d*", &f, &n, &ifuncs, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].name, "ft_elf_dup");
	ft_elf_funcs_free(f, n);
	/* No match is not an error here: the caller says what none means. */
	assert_int_equal(ft_elf_functions(path, "nothing*", &f, &n, &ifuncs, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	ft_elf_funcs_free(f, n);

	snprintf(path, sizeof(path), "%s/vm-6.1/README", FT_FIXTURES);
	assert_int_equal(ft_elf_functions(path, "*", &f, &n, &ifuncs, err, sizeof(err)), -ENOEXEC);
	ft_elf_funcs_free(f, n);
	assert_int_equal(ft_elf_functions("/nonexistent/x", "*", &f, &n, &ifuncs, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "cannot open /nonexistent/x"));
}

#define RUN(...)                                                          \
	({                                                                \
		char *argv[] = { "ftrig", __VA_ARGS__, NULL };            \
		ft_main((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv); \
	})

/* Run the command line into @out (its stdout), returning the exit status. */
#define RUN_OUT(out, size, ...)                             \
	({                                                  \
		char tmpl[] = "/tmp/ftrig-test-out.XXXXXX"; \
		int fd = mkstemp(tmpl), saved = dup(1), rc; \
		ssize_t got;                                \
		fflush(stdout);                             \
		dup2(fd, 1);                                \
		rc = RUN(__VA_ARGS__);                      \
		fflush(stdout);                             \
		dup2(saved, 1);                             \
		close(saved);                               \
		got = pread(fd, out, size - 1, 0);          \
		out[got > 0 ? got : 0] = '\0';              \
		close(fd);                                  \
		unlink(tmpl);                               \
		rc;                                         \
	})

static void test_cli_usage(void **state)
{
	const struct ft_cmd *c = ft_cmd_find("probe");

	assert_non_null(c);
	assert_memory_equal(c->usage, "probe", 5);
	assert_int_equal(RUN("probe"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "zap"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "add"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "add", "--bogus", "f"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "add", "-e", "--raw", "e:g/n a.b"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "ls", "x"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "rm"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "rm", "--ours", "x"), FT_EXIT_USAGE);
	assert_int_equal(RUN("probe", "add", "--help"), FT_EXIT_OK);
}

/* On the host kernel's tree (no kprobe_events): what can be checked without writing. */
static void test_cli_fake_tree(void **state)
{
	char *tree = fake_tfs_create("host-6.18"), out[1024], bin[512], want[1024], sd[4200];

	assert_non_null(tree);
	/* a state dir of its own beside the tree: commands may create it */
	snprintf(sd, sizeof(sd), "%s.state", tree);
	setenv("FTRIG_TRACEFS", tree, 1);
	setenv("FTRIG_STATE_DIR", sd, 1);
	assert_int_equal(RUN("probe", "add", "do_sys_openat2"), FT_EXIT_ERR);
	assert_int_equal(RUN_OUT(out, sizeof(out), "probe", "add", "--dry-run", "-e",
				 "sched:sched_switch", "next=$next_pid:s32"),
			 FT_EXIT_OK);
	/* The exact write: the definition and the file it goes to. */
	snprintf(want, sizeof(want),
		 "echo 'e:ftrig/sched_switch sched.sched_switch next=$next_pid:s32' >> "
		 "%s/dynamic_events\n",
		 tree);
	assert_string_equal(out, want);
	assert_int_equal(RUN("probe", "add", "--dry-run", "-e", "sched:sched_switch n=$nxt_pid"),
			 FT_EXIT_ERR);
	assert_int_equal(RUN("probe", "add", "--dry-run", "-e", "sched:no_such_event"),
			 FT_EXIT_ERR);
	snprintf(bin, sizeof(bin), "%s/target-nopie:ft_elf_magic_a", FT_ELF_TARGETS);
	assert_int_equal(
		RUN_OUT(out, sizeof(out), "probe", "add", "--dry-run", "-g", "grp", bin, "x=$arg1"),
		FT_EXIT_OK);
	assert_non_null(strstr(out, "p:grp/ft_elf_magic_a /"));
	assert_non_null(strstr(out, "/target-nopie:0x"));
	assert_int_equal(RUN("probe", "add", "--dry-run", "--name", "9x", bin), FT_EXIT_ERR);
	assert_int_equal(RUN("probe", "ls", "--all"), FT_EXIT_OK);
	unsetenv("FTRIG_TRACEFS");
	unsetenv("FTRIG_STATE_DIR");
	fake_tfs_destroy(strdup(sd));
	fake_tfs_destroy(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_user),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_raw_roundtrip),
		cmocka_unit_test(test_fetchargs_good),
		cmocka_unit_test(test_fetchargs_bad),
		cmocka_unit_test(test_fetchargs_per_kernel),
		cmocka_unit_test(test_fetchargs_registers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_symlists),
		cmocka_unit_test(test_glob_match),
		cmocka_unit_test(test_glob_kernel),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_elf_resolve),
		cmocka_unit_test(test_elf_functions),
		cmocka_unit_test(test_cli_usage),
		cmocka_unit_test(test_cli_fake_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
