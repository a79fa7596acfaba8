// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF backend's pure parts: hist spec + event format -> aggregator configuration (on
 * formats captured from the host and VM kernels), and map contents -> ft_hist.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf/ftbpf.h"
#include "faketfs.h"
#include "format.h"
#include "bpf/ksym.h"
#include "config.h"
#include "hist/spec.h"
#include "tfs.h"
#include "util.h"

static struct ft_event_format *fmt(const char *kernel, const char *sys, const char *ev)
{
	char rel[256], *text;
	struct ft_event_format *f = NULL;

	snprintf(rel, sizeof(rel), "%s/events/%s/%s/format", kernel, sys, ev);
	text = fixture_read(rel);
	assert_non_null(text);
	assert_int_equal(ft_format_parse(sys, text, &f), 0);
	free(text);
	return f;
}

/* Put @v in part @i of a packed key, where the plan says it sits. */
static void put(const struct ft_bpf_plan *p, unsigned char *key, int i, uint64_t v)
{
	memcpy(key + p->cfg.parts[i].koff, &v, sizeof(v));
}

static const char *const kernels[] = { "host-6.18", "vm-6.1" };

static void test_plan_exit_read(void **state)
{
	for (size_t k = 0; k < 2; k++) {
		struct ft_event_format *f = fmt(kernels[k], "syscalls", "sys_exit_read");
		const struct ft_field *ret = ft_format_field(f, "ret");
		struct ft_hist_spec s = { .system = "syscalls",
					  .event = "sys_exit_read",
					  .keys = { { "common_pid", "execname" },
						    { "ret", "log2" } },
					  .nkeys = 2 };
		struct ft_bpf_plan p;
		char err[256];

		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
		assert_int_equal(p.attach_a, FT_ATTACH_TRACEPOINT);
		assert_int_equal(p.cfg.nparts, 2);
		assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_TID);
		assert_int_equal(p.cfg.want_comm, 1);
		assert_int_equal(p.keys[0].kind, FT_KEY_EXECNAME);
		/* ret: long, at offset 16 in both kernels' formats */
		assert_int_equal(ret->offset, 16);
		assert_int_equal(p.cfg.parts[1].num.src, FT_SRC_FIELD);
		assert_int_equal(p.cfg.parts[1].num.offset, 16);
		assert_int_equal(p.cfg.parts[1].num.size, 8);
		assert_int_equal(p.cfg.parts[1].num.is_signed, 1);
		assert_int_equal(p.cfg.parts[1].mod, FT_MOD_LOG2);
		assert_int_equal(p.keys[1].kind, FT_KEY_LOG2);
		assert_int_equal(p.nvals, 1);
		assert_string_equal(p.vals[0].name, "hitcount");
		assert_int_equal(p.size, 2048);
		assert_string_equal(
			p.trigger,
			"hist:keys=common_pid.execname,ret.log2:vals=hitcount:size=2048");
		ft_format_free(f);
	}
}

static void test_plan_sched_switch(void **state)
{
	struct ft_event_format *f = fmt("vm-6.1", "sched", "sched_switch");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "next_comm", "" }, { "prev_state", "buckets=4" } },
				  .nkeys = 2,
				  .vals = { { "prev_prio", "" } },
				  .nvals = 1,
				  .sort = { { "prev_prio", true } },
				  .nsort = 1,
				  .size = 4096,
				  .filter = "prev_pid > 10 && next_pid != 0 || prev_prio < -1" };
	const struct ft_field *nc = ft_format_field(f, "next_comm");
	struct ft_bpf_plan p;
	char err[256];

	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_STRFIELD);
	assert_int_equal(p.cfg.parts[0].num.offset, nc->offset);
	assert_int_equal(p.cfg.parts[0].num.size, 16);
	assert_int_equal(p.keys[0].kind, FT_KEY_STR);
	assert_int_equal(p.cfg.parts[1].mod, FT_MOD_BUCKETS);
	assert_int_equal(p.cfg.parts[1].step, 4);
	/* packed key: the 16-byte string, then the 8-byte number */
	assert_int_equal(p.cfg.parts[0].koff, 0);
	assert_int_equal(p.cfg.parts[0].klen, 16);
	assert_int_equal(p.cfg.parts[1].koff, 16);
	assert_int_equal(p.cfg.parts[1].klen, 8);
	assert_int_equal(p.cfg.ksize, 24);
	assert_int_equal(p.cfg.nsums, 1);
	assert_int_equal(p.cfg.sums[0].offset, ft_format_field(f, "prev_prio")->offset);
	assert_int_equal(p.nvals, 2);
	assert_int_equal(p.cfg.nconds, 3);
	assert_int_equal(p.cfg.conds[0].op, FT_OP_GT);
	assert_int_equal(p.cfg.conds[0].or_next, 0);
	assert_int_equal(p.cfg.conds[1].op, FT_OP_NE);
	assert_int_equal(p.cfg.conds[1].or_next, 1);
	assert_int_equal(p.cfg.conds[2].op, FT_OP_LT);
	assert_int_equal(p.cfg.conds[2].num.is_signed, 1);
	assert_int_equal((int64_t)p.cfg.conds[2].value, -1);
	assert_int_equal(p.cfg.conds[0].num.offset, ft_format_field(f, "prev_pid")->offset);
	assert_int_equal(p.size, 4096);
	assert_int_equal(p.nsort, 1);
	assert_int_equal(p.descending[0], 1);
	ft_format_free(f);
}

static void test_plan_latency(void **state)
{
	struct ft_event_format *a = fmt("host-6.18", "syscalls", "sys_enter_read");
	struct ft_event_format *b = fmt("host-6.18", "syscalls", "sys_exit_read");
	struct ft_hist_spec s = { .system = "syscalls",
				  .event = "sys_enter_read",
				  .end_system = "syscalls",
				  .end_event = "sys_exit_read",
				  .keys = { { "comm", "" } },
				  .nkeys = 1,
				  .filter = "fd == 3" };
	struct ft_bpf_plan p;
	char err[256];

	assert_int_equal(ft_bpf_plan_make(&s, a, b, true, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.latency, 1);
	assert_int_equal(p.cfg.nparts, 2);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_COMM);
	assert_int_equal(p.cfg.parts[1].num.src, FT_SRC_LAT);
	assert_int_equal(p.cfg.parts[1].num.usecs, 1);
	assert_int_equal(p.cfg.parts[1].mod, FT_MOD_LOG2);
	assert_string_equal(p.keys[1].name, "lat");
	assert_int_equal(p.cfg.parts[1].koff, FT_BPF_COMM);
	assert_int_equal(p.cfg.ksize, FT_BPF_COMM + 8);
	{
		unsigned char key[FT_BPF_KEY_MAX] = "reader";
		struct ft_bpf_row row = { .key = key, .val = { .hits = 4 } };
		struct ft_hist *h;

		put(&p, key, 1, 10);
		assert_int_equal(ft_bpf_hist_build(&p, &row, 1, 4, 0, NULL, &h), 0);
		assert_string_equal(h->entries[0].keys[0].str, "reader");
		/* "~ 2^10" holds 513..1024, as the kernel's .log2 rounds up */
		assert_int_equal(h->entries[0].keys[1].lo, 513);
		assert_int_equal(h->entries[0].keys[1].hi, 1025);
		assert_int_equal(h->entries[0].vals[0], 4);
		ft_hist_free(h);
	}
	{
		/* A key counted in a slot the index refused (FT_STAT_UNINDEXED) beside its
		 * indexed slot: one row once merged, its counts summed, the other key kept. */
		unsigned char k1[FT_BPF_KEY_MAX] = "reader", k2[FT_BPF_KEY_MAX] = "writer";
		struct ft_bpf_row rows[3] = { { .key = k1, .val = { .hits = 4 } },
					      { .key = k2, .val = { .hits = 2 } },
					      { .key = k1, .val = { .hits = 1 } } };
		struct ft_hist *h;

		put(&p, k1, 1, 10);
		put(&p, k2, 1, 10);
		assert_int_equal(ft_bpf_hist_build(&p, rows, 3, 7, 0, NULL, &h), 0);
		assert_int_equal(h->nentries, 3);
		assert_int_equal(ft_bpf_hist_merge_keys(h), 0);
		assert_int_equal(h->nentries, 2);
		assert_string_equal(h->entries[0].keys[0].str, "reader");
		assert_int_equal(h->entries[0].vals[0], 5);
		assert_string_equal(h->entries[1].keys[0].str, "writer");
		assert_int_equal(h->entries[1].vals[0], 2);
		ft_hist_free(h);
	}
	/* the filter is on the start event: fd exists in sys_enter_read only */
	assert_int_equal(p.cfg.conds[0].num.offset, ft_format_field(a, "fd")->offset);
	/* keys are read at the end event: sys_exit_read has ret, not fd */
	s.keys[0] = (struct ft_hist_keyspec){ "fd", "" };
	assert_int_equal(ft_bpf_plan_make(&s, a, b, true, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no field 'fd' in syscalls:sys_exit_read (its fields: "));
	ft_format_free(a);
	ft_format_free(b);
}

/* Each refused spec names its problem; those hist triggers can do point to them. */
static void test_plan_errors(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "syscalls", "sys_exit_read");
	struct ft_event_format *up = fmt("host-6.18", "ftrig_fixture", "workload_target");
	static const struct {
		struct ft_hist_keyspec key;
		const char *filter;
		const char *want;
		bool hist;
	} cases[] = {
		{ { "rett", "" }, NULL, "no field 'rett' in syscalls:sys_exit_read", false },
		{ { "common_timestamp", "usecs" }, NULL, "no common_timestamp", true },
		{ { "ret", "percent" }, NULL, "no key modifier .percent", true },
		{ { "ret", "execname" }, NULL, ".execname applies to common_pid", false },
		{ { "ret", "buckets=0" }, NULL, "buckets needs a size above 0", false },
		{ { "comm", "log2" }, NULL, "is a string and takes no .log2", false },
		{ { "ret", "" }, "(ret > 1)", "without parentheses", true },
		{ { "ret", "" }, "comm == \"x\"", "without parentheses or strings", true },
		{ { "ret", "" }, "ret >", "'ret' needs a number", false },
		{ { "ret", "" }, "ret = 1", "expected ==, !=", false },
		{ { "ret", "" }, "ret == 1 &", "expected && or ||", false },
	};
	struct ft_bpf_plan p;
	char err[512];

	for (size_t i = 0; i < FT_ARRAY_SIZE(cases); i++) {
		struct ft_hist_spec s = { .system = "syscalls",
					  .event = "sys_exit_read",
					  .keys = { cases[i].key },
					  .nkeys = 1,
					  .filter = cases[i].filter };

		err[0] = '\0';
		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)),
				 -EINVAL);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
		assert_int_equal(strstr(err, "--backend hist") != NULL, cases[i].hist);
	}
	{
		struct ft_hist_spec s = {
			.system = "syscalls",
			.event = "sys_exit_read",
			.keys = { { "ret", "" }, { "comm", "" }, { "cpu", "" }, { "tid", "" } },
			.nkeys = 4
		};

		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "at most 3 keys"));
	}
	/* a uprobe event: the program sees registers, so its fields are out of reach */
	assert_true(ft_bpf_is_probe_event(up));
	assert_false(ft_bpf_is_probe_event(f));
	{
		struct ft_hist_spec s = { .system = "ftrig_fixture",
					  .event = "workload_target",
					  .keys = { { "__probe_ip", "hex" } },
					  .nkeys = 1 };

		assert_int_equal(ft_bpf_plan_make(&s, up, NULL, true, &p, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "registers"));
		s.keys[0] = (struct ft_hist_keyspec){ "common_pid", "execname" };
		s.keys[1] = (struct ft_hist_keyspec){ "ustack", "" };
		s.nkeys = 2;
		assert_int_equal(ft_bpf_plan_make(&s, up, NULL, true, &p, err, sizeof(err)), 0);
		assert_int_equal(p.attach_a, FT_ATTACH_PROBE_EVENT);
		assert_int_equal(p.cfg.parts[1].num.src, FT_SRC_USTACK);
	}
	ft_format_free(f);
	ft_format_free(up);
}

/* A uprobe's arguments fetched from registers: what the program reads in pt_regs (CMD-5). */
static struct ft_event_format *probe_fmt(const char *name, const char *def)
{
	static const char text[] =
		"name: %s\nID: 3000\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
		"\tfield:s64 i;\toffset:16;\tsize:8;\tsigned:1;\n"
		"\tfield:u32 a;\toffset:24;\tsize:4;\tsigned:0;\n"
		"\tfield:u64 d;\toffset:28;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"(%%lx) i=%%Ld a=%%u d=%%Lu\", REC->__probe_ip, REC->i, REC->a, "
		"REC->d\n";
	char buf[1024];
	struct ft_event_format *f = NULL;

	snprintf(buf, sizeof(buf), text, name);
	assert_int_equal(ft_format_parse("g", buf, &f), 0);
	f->probe_def = def ? strdup(def) : NULL;
	return f;
}

static void test_probe_fetch_regs(void **state)
{
	static const char listing[] = "p:g/acw2 /bin/w:0x10 i=%si\n"
				      "r:g/ret /bin/w:0x10 i=$retval:s64\n"
				      "p:g/acw /bin/w:0x0000000000001dd0 i=%di a=$arg2:u32 "
				      "d=+0(%sp):u64\n";
	static const struct {
		const char *def, *field;
		int ret, off;
		const char *why;
	} cases[] = {
		{ "p:g/e /b:0x1 i=%di", "i", 0, 112, NULL },
		{ "p:g/e /b:0x1 x=%ax i=$arg2:s64", "i", 0, 104, NULL },
		{ "p:g/e /b:0x1 i=$arg6", "i", 0, 64, NULL },
		{ "r:g/e /b:0x1 i=$retval", "i", 0, 80, NULL },
		{ "r10:g/e do_x i=$retval:u32", "i", 0, 80, NULL },
		{ "p:g/e /b:0x1 i=$retval", "i", -EINVAL, 0, "from memory" },
		{ "r:g/e /b:0x1 i=$arg1", "i", -EINVAL, 0, "at the function's entry" },
		{ "p:g/e /b:0x1 i=+0(%di):u64", "i", -EINVAL, 0, "fetched as '+0(%di)'" },
		{ "p:g/e /b:0x1 i=$arg7", "i", -EINVAL, 0, "from memory" },
		{ "p:g/e /b:0x1 i=$stack0", "i", -EINVAL, 0, "from memory" },
		{ "p:g/e /b:0x1 i=%bogus", "i", -EINVAL, 0, "from memory" },
		{ "p:g/e /b:0x1 i=%di:string", "i", -EINVAL, 0, "a string" },
		{ "p:g/e /b:0x1 i=%di:b4@2/64", "i", -EINVAL, 0, "bitfield" },
		{ "p:g/e /b:0x1 ii=%di", "i", -ENOENT, 0, NULL },
		{ "p:g/e /b:i=%di", "i", -ENOENT, 0, NULL },
	};
	struct ft_event_format *up, *up2;
	struct ft_bpf_plan p;
	char why[300], err[1024], *def;
	int off;

	def = ft_bpf_probe_def(listing, "g", "acw");
	assert_non_null(def);
	assert_string_equal(def,
			    "p:g/acw /bin/w:0x0000000000001dd0 i=%di a=$arg2:u32 d=+0(%sp):u64");
	assert_null(ft_bpf_probe_def(listing, "g", "ac"));
	assert_null(ft_bpf_probe_def(listing, "h", "acw"));
	for (size_t i = 0; i < FT_ARRAY_SIZE(cases); i++) {
		why[0] = '\0', off = -1;
		if (ft_bpf_fetch_reg(cases[i].def, cases[i].field, &off, why, sizeof(why)) !=
		    cases[i].ret)
			fail_msg("case %zu (%s): %s", i, cases[i].def, why);
		if (!cases[i].ret)
			assert_int_equal(off, cases[i].off);
		if (cases[i].why && !strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, why, cases[i].why);
	}

	up = probe_fmt("acw", def);
	free(def);
	for (int hist = 0; hist < 2; hist++) {
		struct ft_hist_spec s = { .system = "g",
					  .event = "acw",
					  .keys = { { "i", "log2" }, { "a", "" } },
					  .nkeys = 2,
					  .filter = "a > 3" };

		assert_int_equal(ft_bpf_plan_make(&s, up, NULL, hist, &p, err, sizeof(err)), 0);
		assert_int_equal(p.attach_a, FT_ATTACH_PROBE_EVENT);
		assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_REGS);
		assert_int_equal(p.cfg.parts[0].num.offset, 112);
		assert_int_equal(p.cfg.parts[0].num.size, 8);
		assert_int_equal(p.cfg.parts[0].num.is_signed, 1);
		assert_int_equal(p.cfg.parts[1].num.offset, 104);
		assert_int_equal(p.cfg.parts[1].num.size, 4);
		assert_int_equal(p.cfg.conds[0].num.src, FT_SRC_REGS);
		/* from memory: refused, and --backend hist only where the kernel has it */
		s.keys[1] = (struct ft_hist_keyspec){ "d", "" };
		s.filter = NULL;
		assert_int_equal(ft_bpf_plan_make(&s, up, NULL, hist, &p, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(
			strstr(err, "'d' of g:acw is fetched as '+0(%sp)', read from memory"));
		assert_true(!strstr(err, "--backend hist") == !hist);
	}
	/* Another event of the aggregation must fetch it from the same register. */
	{
		struct ft_hist_spec s = {
			.system = "g", .event = "acw", .keys = { { "i", "" } }, .nkeys = 1
		};
		const char *missing;
		bool first_lacks;

		assert_int_equal(ft_bpf_plan_make(&s, up, NULL, false, &p, err, sizeof(err)), 0);
		up2 = probe_fmt("acw2", "p:g/acw2 /bin/w:0x10 i=$arg1 a=%si d=%dx");
		assert_int_equal(
			ft_bpf_plan_fits(&p, up2, &missing, &first_lacks, err, sizeof(err)), 0);
		ft_format_free(up2);
		up2 = probe_fmt("acw2", "p:g/acw2 /bin/w:0x10 i=%si a=%si d=%dx");
		assert_int_equal(
			ft_bpf_plan_fits(&p, up2, &missing, &first_lacks, err, sizeof(err)),
			-EINVAL);
		assert_non_null(strstr(err, "not fetched from the register"));
		ft_format_free(up2);
	}
	ft_format_free(up);
}

/* One program on many events: only where every field it reads sits at the same place. */
static void test_plan_fits(void **state)
{
	for (size_t k = 0; k < 2; k++) {
		struct ft_event_format *g = fmt(kernels[k], "syscalls", "sys_enter_getppid");
		struct ft_event_format *r = fmt(kernels[k], "syscalls", "sys_enter_read");
		struct ft_event_format *x = fmt(kernels[k], "syscalls", "sys_exit_read");
		struct ft_event_format *up = fmt("host-6.18", "ftrig_fixture", "workload_target");
		struct ft_hist_spec s = { .system = "syscalls",
					  .event = "sys_enter_read",
					  .keys = { { "__syscall_nr", "syscall" }, { "comm", "" } },
					  .nkeys = 2 };
		struct ft_bpf_plan p;
		const char *miss;
		bool lacks;
		char err[512];

		assert_int_equal(ft_bpf_plan_make(&s, r, NULL, true, &p, err, sizeof(err)), 0);
		assert_int_equal(p.nevents, 1);
		assert_int_equal(ft_bpf_plan_fits(&p, g, &miss, &lacks, err, sizeof(err)), 0);
		assert_int_equal(ft_bpf_plan_fits(&p, x, &miss, &lacks, err, sizeof(err)), 0);
		assert_int_equal(ft_bpf_plan_fits(&p, up, &miss, &lacks, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "is not of the kind of syscalls:sys_enter_read"));
		/* fd is in sys_enter_read only; count is not where ret is in sys_exit_read */
		s.filter = "fd == 3";
		assert_int_equal(ft_bpf_plan_make(&s, r, NULL, true, &p, err, sizeof(err)), 0);
		assert_string_equal(p.cond_names[0], "fd");
		assert_int_equal(ft_bpf_plan_fits(&p, g, &miss, &lacks, err, sizeof(err)), -ENOENT);
		assert_string_equal(err, "syscalls:sys_enter_getppid has no field 'fd'");
		assert_string_equal(miss, "fd");
		assert_false(lacks);
		s.filter = NULL;
		s.vals[0] = (struct ft_hist_valspec){ "count", "" };
		s.nvals = 1;
		assert_int_equal(ft_bpf_plan_make(&s, r, NULL, true, &p, err, sizeof(err)), 0);
		assert_int_equal(ft_bpf_plan_fits(&p, r, &miss, &lacks, err, sizeof(err)), 0);
		assert_int_equal(ft_bpf_plan_fits(&p, x, &miss, &lacks, err, sizeof(err)), -ENOENT);
		ft_format_free(g);
		ft_format_free(r);
		ft_format_free(x);
		ft_format_free(up);
	}
}

/* A resolver with two kernel symbols and one stack. */
static int fake_stack(void *data, int64_t id, uint64_t *ips, size_t max)
{
	if (id != 7)
		return -ENOENT;
	ips[0] = 0x1010;
	ips[1] = 0x2000;
	return 2;
}

static const char *fake_sym(void *data, uint64_t addr, bool offset, char *buf, size_t size)
{
	const char *name = addr >= 0x2000 ? "do_two" : addr >= 0x1000 ? "do_one" : NULL;

	if (!name)
		return NULL;
	if (offset)
		snprintf(buf, size, "%s+0x%llx", name,
			 (unsigned long long)(addr - (addr >= 0x2000 ? 0x2000 : 0x1000)));
	else
		snprintf(buf, size, "%s", name);
	return buf;
}

static void test_convert(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "raw_syscalls", "sys_exit");
	struct ft_hist_spec s = {
		.system = "raw_syscalls",
		.event = "sys_exit",
		.keys = { { "common_pid", "execname" }, { "id", "syscall" }, { "ret", "log2" } },
		.nkeys = 3,
		.vals = { { "ret", "" } },
		.nvals = 1
	};
	struct ft_bpf_resolver res = { .stack = fake_stack, .sym = fake_sym };
	unsigned char keys[3][FT_BPF_KEY_MAX] = { { 0 } };
	struct ft_bpf_row rows[3];
	struct ft_bpf_plan p;
	struct ft_hist *h;
	char err[256];

	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 3; i++) {
		rows[i].key = keys[i];
		put(&p, keys[i], 0, 100 + (uint64_t)i);
		strcpy(rows[i].val.comm, i ? "other" : "workload");
		put(&p, keys[i], 1, i == 1 ? 110 : 0); /* getppid, read */
		put(&p, keys[i], 2, 12);
		rows[i].val.hits = (uint64_t)(30 - 10 * i);
		rows[i].val.sums[0] = 4096 * rows[i].val.hits;
	}
	assert_int_equal(ft_bpf_hist_build(&p, rows, 3, 61, 1, &res, &h), 0);
	assert_string_equal(h->backend, "bpf");
	assert_string_equal(h->event, "raw_syscalls:sys_exit");
	assert_int_equal(h->nkeys, 3);
	assert_int_equal(h->nvals, 2);
	assert_string_equal(h->keys[0].modifier, "execname");
	assert_string_equal(h->vals[1].name, "ret");
	assert_int_equal(h->hits, 61);
	assert_int_equal(h->dropped, 1);
	assert_int_equal(h->nentries, 3);
	/* sorted by hitcount, smallest first, as the kernel sorts by default */
	assert_int_equal(h->entries[0].vals[0], 10);
	assert_int_equal(h->entries[2].vals[0], 30);
	assert_int_equal(h->entries[2].keys[0].kind, FT_KEY_EXECNAME);
	assert_int_equal(h->entries[2].keys[0].num, 100);
	assert_string_equal(h->entries[2].keys[0].str, "workload");
	assert_string_equal(h->entries[1].keys[1].str,
			    "sys_getppid"); /* as the kernel prints it (FIG-9) */
	assert_string_equal(h->entries[2].keys[1].str, "sys_read");
	assert_int_equal(h->entries[2].keys[2].kind, FT_KEY_LOG2);
	assert_int_equal(h->entries[2].keys[2].num, 12);
	assert_int_equal(h->entries[2].keys[2].lo, 2049);
	assert_int_equal(h->entries[2].keys[2].hi, 4097);
	assert_int_equal(h->entries[2].vals[1], 30 * 4096);
	ft_hist_free(h);
	ft_format_free(f);
}

/* Stacks 1..3: the same code under the tracepoint's iterator or not; one of tracing frames
 * only; 4: deeper than a hist trigger keeps (20 frames of do_one). */
static int iter_stack(void *data, int64_t id, uint64_t *ips, size_t max)
{
	int n = 0;

	if (id == 1 || id == 3)
		ips[n++] = 0x3000; /* __traceiter_sched_switch */
	if (id == 1 || id == 2) {
		ips[n++] = 0x1010;
		ips[n++] = 0x2000;
	}
	for (int i = 0; id == 4 && i < 20; i++)
		ips[n++] = 0x1000 + (uint64_t)i;
	return id >= 1 && id <= 4 ? n : -ENOENT;
}

static const char *iter_sym(void *data, uint64_t addr, bool offset, char *buf, size_t size)
{
	if (addr >= 0x3000) {
		snprintf(buf, size, "__traceiter_sched_switch+0x%llx/0x60",
			 (unsigned long long)(addr - 0x3000));
		return buf;
	}
	return fake_sym(data, addr, offset, buf, size);
}

/* BPF stacks are the traced code's, as hist triggers give them (FIG-4, FIG-5): the tracing
 * frames skipped, at most the hist trigger's 16 frames, stacks equal once made merged, an
 * empty one named. */
static void test_convert_stack_skip(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "sched", "sched_switch");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "stacktrace", "" } },
				  .nkeys = 1 };
	struct ft_bpf_resolver res = { .stack = iter_stack, .sym = iter_sym };
	unsigned char keys[4][FT_BPF_KEY_MAX] = { { 0 } };
	struct ft_bpf_row rows[4];
	struct ft_bpf_plan p;
	struct ft_hist *h;
	char err[256];

	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 4; i++) {
		rows[i].key = keys[i];
		put(&p, keys[i], 0, (uint64_t)i + 1);
		rows[i].val.hits = (uint64_t)(i + 1) * 10;
	}
	assert_int_equal(ft_bpf_hist_build(&p, rows, 4, 100, 0, &res, &h), 0);
	assert_int_equal(h->nentries, 3);
	assert_int_equal(h->nentries_total, 3);
	/* by hitcount: (no stack) 30, do_one;do_two 10 + 20, the deep one 40 */
	assert_int_equal(h->entries[0].vals[0], 30);
	assert_int_equal(h->entries[1].vals[0], 30);
	assert_int_equal(h->entries[2].vals[0], 40);
	for (int i = 0; i < 2; i++) {
		const struct ft_key *k = &h->entries[i].keys[0];

		if (k->nframes == 1) {
			assert_string_equal(k->frames[0], "(no stack)");
		} else {
			assert_int_equal(k->nframes, 2);
			assert_string_equal(k->frames[0], "do_one+0x10");
			assert_int_equal(k->num, 0);
		}
	}
	assert_int_equal(h->entries[2].keys[0].nframes, 16);
	ft_hist_free(h);
	ft_format_free(f);
}

static void test_convert_stack_sym(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "sched", "sched_switch");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "stacktrace", "" },
					    { "prev_state", "sym-offset" },
					    { "prev_pid", "buckets=10" } },
				  .nkeys = 3,
				  .sort = { { "prev_pid", true } },
				  .nsort = 1 };
	struct ft_bpf_resolver res = { .stack = fake_stack, .sym = fake_sym };
	unsigned char keys[2][FT_BPF_KEY_MAX] = { { 0 } };
	struct ft_bpf_row rows[2];
	struct ft_bpf_plan p;
	struct ft_hist *h;
	char err[256];

	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
	memset(rows, 0, sizeof(rows));
	rows[0].key = keys[0];
	rows[1].key = keys[1];
	put(&p, keys[0], 0, 7);
	put(&p, keys[0], 1, 0x2004);
	put(&p, keys[0], 2, 20);
	rows[0].val.hits = 5;
	put(&p, keys[1], 0, (uint64_t)-14); /* -EFAULT from bpf_get_stackid */
	put(&p, keys[1], 2, 30);
	rows[1].val.hits = 9;
	assert_int_equal(ft_bpf_hist_build(&p, rows, 2, 14, 0, &res, &h), 0);
	/* sorted by prev_pid, largest first */
	assert_int_equal(h->entries[0].keys[2].num, 30);
	assert_int_equal(h->entries[0].keys[2].lo, 30);
	assert_int_equal(h->entries[0].keys[2].hi, 40);
	assert_string_equal(h->entries[0].keys[0].str, "[stack lost]");
	assert_int_equal(h->entries[1].keys[0].kind, FT_KEY_STACK);
	assert_int_equal(h->entries[1].keys[0].nframes, 2);
	assert_string_equal(h->entries[1].keys[0].frames[0], "do_one+0x10");
	assert_string_equal(h->entries[1].keys[0].frames[1], "do_two+0x0");
	assert_string_equal(h->entries[1].keys[1].str, "do_two+0x4");
	assert_null(h->entries[0].keys[1].str);
	ft_hist_free(h);
	ft_format_free(f);
}

/* A reader of 7 rows a window of test_convert_windows()'s @rows; -EIO once past @fail. */
struct seven {
	const struct ft_bpf_row *rows;
	size_t n, at, fail;
};

static long next_seven(struct ft_bpf_rows_reader *rd, const struct ft_bpf_row **rows)
{
	struct seven *s = rd->data;
	size_t n = s->n - s->at < 7 ? s->n - s->at : 7;

	if (s->at >= s->fail)
		return -EIO;
	*rows = s->rows + s->at;
	for (size_t i = 0; i < n; i++)
		rd->hits += s->rows[s->at + i].val.hits;
	s->at += n;
	return (long)n;
}

/*
 * A hist built from rows read a window at a time (a live view's, #21) is the one built from
 * them all at once, in the same memory refresh after refresh; a reader's error is returned.
 */
static void test_convert_windows(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "raw_syscalls", "sys_exit");
	struct ft_hist_spec s = { .system = "raw_syscalls",
				  .event = "sys_exit",
				  .keys = { { "id", "" } },
				  .nkeys = 1,
				  .vals = { { "ret", "" } },
				  .nvals = 1 };
	enum { N = 100 };
	static unsigned char keys[N][FT_BPF_KEY_MAX];
	static struct ft_bpf_row rows[N];
	struct ft_hist *all, *h = NULL;
	struct ft_bpf_plan p;
	char err[256];

	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
	for (size_t r = 0; r < N; r++) {
		rows[r].key = keys[r];
		put(&p, keys[r], 0, 1000 - r);
		rows[r].val.hits = r + 1;
		rows[r].val.sums[0] = r * 3;
	}
	assert_int_equal(
		ft_bpf_hist_build_unsorted(&p, rows, N, N * (N + 1) / 2 + 4, 4, NULL, NULL, &all),
		0);
	for (int again = 0; again < 3; again++) {
		struct seven sv = { rows, N, 0, N + 1 };
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };

		assert_int_equal(ft_bpf_hist_build_windows(&p, &rd, 4, NULL, h, &h), 0);
		assert_int_equal(h->nentries, all->nentries);
		assert_int_equal(h->hits, all->hits);
		assert_int_equal(h->dropped, 4);
		for (size_t i = 0; i < N; i++) {
			assert_int_equal(h->entries[i].keys[0].num, all->entries[i].keys[0].num);
			assert_int_equal(h->entries[i].vals[0], all->entries[i].vals[0]);
			assert_int_equal(h->entries[i].vals[1], all->entries[i].vals[1]);
		}
	}
	{
		struct seven sv = { rows, N, 0, 21 };
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };

		assert_int_equal(ft_bpf_hist_build_windows(&p, &rd, 0, NULL, h, &h), -EIO);
	}
	ft_hist_free(all);
	ft_format_free(f);
}

/* Whether @h and @all hold the same entries (one numeric key, two values) and totals. */
static void same_hist(const struct ft_hist *h, const struct ft_hist *all)
{
	assert_int_equal(h->nentries, all->nentries);
	assert_int_equal(h->nentries_total, all->nentries_total);
	assert_int_equal(h->hits, all->hits);
	assert_int_equal(h->dropped, all->dropped);
	for (size_t i = 0; i < all->nentries; i++) {
		assert_int_equal(h->entries[i].keys[0].num, all->entries[i].keys[0].num);
		assert_int_equal(h->entries[i].vals[0], all->entries[i].vals[0]);
		assert_int_equal(h->entries[i].vals[1], all->entries[i].vals[1]);
	}
}

/*
 * A live view's hist of a table that does not rotate, brought up to date in place (#21): the
 * same entries as one built anew from the table a refresh later (counts grown, new rows
 * after the old ones); refused (1) when another key stands where an entry's was (a slot's
 * first count landed between two counted ones, or the table was emptied and filled again),
 * when there are fewer rows (emptied), and for a string key; a reader's error is returned.
 */
static void test_update_windows(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "raw_syscalls", "sys_exit");
	struct ft_hist_spec s = { .system = "raw_syscalls",
				  .event = "sys_exit",
				  .keys = { { "id", "" } },
				  .nkeys = 1,
				  .vals = { { "ret", "" } },
				  .nvals = 1 };
	enum { N = 60, MORE = 12 };
	static unsigned char keys[N + MORE][FT_BPF_KEY_MAX];
	static struct ft_bpf_row rows[N + MORE];
	struct ft_hist *all, *h = NULL;
	struct ft_bpf_plan p;
	char err[256];

	(void)state;
	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
	for (size_t r = 0; r < N + MORE; r++) {
		rows[r].key = keys[r];
		put(&p, keys[r], 0, 500 + r);
		rows[r].val.hits = r + 1;
		rows[r].val.sums[0] = r * 3;
	}
	{
		struct seven sv = { rows, N, 0, N + 1 };
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };

		assert_int_equal(ft_bpf_hist_build_windows(&p, &rd, 4, NULL, NULL, &h), 0);
	}
	/* a refresh later: every count grew, MORE rows were added after the others */
	for (size_t r = 0; r < N + MORE; r++) {
		rows[r].val.hits += 10 * r;
		rows[r].val.sums[0] += r;
	}
	for (int refresh = 0; refresh < 2; refresh++) {
		struct seven sv = { rows, N + MORE, 0, N + MORE + 1 }, sa = sv;
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };
		struct ft_bpf_rows_reader ra = { .next = next_seven, .data = &sa };

		assert_int_equal(ft_bpf_hist_update_windows(&p, &rd, 6, NULL, h), 0);
		assert_int_equal(ft_bpf_hist_build_windows(&p, &ra, 6, NULL, NULL, &all), 0);
		same_hist(h, all);
		ft_hist_free(all);
		rows[3].val.hits++;
	}
	/* another key where entry 20's was; then fewer rows than entries */
	for (int c = 0; c < 2; c++) {
		struct seven sv = { rows, c ? N - 1 : N + MORE, 0, N + MORE + 1 };
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };

		put(&p, keys[20], 0, c ? 520 : 7);
		assert_int_equal(ft_bpf_hist_update_windows(&p, &rd, 0, NULL, h), 1);
	}
	{
		struct seven sv = { rows, N + MORE, 0, 14 };
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };

		assert_int_equal(ft_bpf_hist_update_windows(&p, &rd, 0, NULL, h), -EIO);
	}
	ft_hist_free(h);
	ft_format_free(f);
}

/*
 * test_update_windows() for keys that are not numbers: an execname is updated while its
 * comm is the same (a pid's comm is its creator's, written once), refused once another comm
 * stands there; a string key is never updated (its text is more bytes than its number).
 */
static void test_update_text_keys(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "sched", "sched_switch");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "common_pid", "execname" } },
				  .nkeys = 1 };
	enum { N = 20 };
	static unsigned char keys[N][FT_BPF_KEY_MAX];
	static struct ft_bpf_row rows[N];
	struct ft_hist *h = NULL;
	struct ft_bpf_plan p;
	char err[256];

	(void)state;
	for (int str = 0; str < 2; str++) {
		struct seven sv = { rows, N, 0, N + 1 };
		struct ft_bpf_rows_reader rd = { .next = next_seven, .data = &sv };

		if (str)
			s.keys[0] = (struct ft_hist_keyspec){ "prev_comm", "" };
		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
		for (size_t r = 0; r < N; r++) {
			rows[r].key = keys[r];
			if (str)
				snprintf((char *)keys[r] + p.cfg.parts[0].koff, 16, "task%zu", r);
			else
				put(&p, keys[r], 0, 100 + r);
			snprintf(rows[r].val.comm, sizeof(rows[r].val.comm), "comm%zu", r);
			rows[r].val.hits = r + 1;
		}
		assert_int_equal(ft_bpf_hist_build_windows(&p, &rd, 0, NULL, NULL, &h), 0);
		sv.at = 0;
		rows[5].val.hits += 3;
		assert_int_equal(ft_bpf_hist_update_windows(&p, &rd, 0, NULL, h), str ? 1 : 0);
		if (!str) {
			assert_int_equal(h->entries[5].vals[0], 9);
			assert_string_equal(h->entries[5].keys[0].str, "comm5");
			sv.at = 0;
			snprintf(rows[9].val.comm, sizeof(rows[9].val.comm), "other");
			assert_int_equal(ft_bpf_hist_update_windows(&p, &rd, 0, NULL, h), 1);
		}
		ft_hist_free(h);
	}
	ft_format_free(f);
}

/*
 * Rows in the kernel's order for each kind of sort: hitcount (the default), another value,
 * a signed key, two sort keys, and a string key; ties keep the map's order (a stable sort).
 */
static void test_convert_order(void **state)
{
	static const struct {
		const char *sort[2];
		bool desc[2];
		size_t n;
	} sorts[] = {
		{ { NULL }, { false }, 0 },
		{ { "hitcount" }, { true }, 1 },
		{ { "next_pid" }, { false }, 1 },
		{ { "prev_prio" }, { false }, 1 },
		{ { "prev_prio", "hitcount" }, { true, false }, 2 },
		{ { "prev_comm" }, { true }, 1 },
	};
	struct ft_event_format *f = fmt("host-6.18", "sched", "sched_switch");
	enum { N = 300 };
	static unsigned char keys[N][FT_BPF_KEY_MAX];
	static struct ft_bpf_row rows[N];

	for (size_t t = 0; t < sizeof(sorts) / sizeof(sorts[0]); t++) {
		struct ft_hist_spec s = {
			.system = "sched",
			.event = "sched_switch",
			.keys = { { "prev_pid", "" }, { "prev_prio", "" }, { "prev_comm", "" } },
			.nkeys = 3,
			.vals = { { "next_pid", "" } },
			.nvals = 1,
			.nsort = sorts[t].n
		};
		struct ft_bpf_plan p;
		struct ft_hist *h;
		char err[256];

		for (size_t i = 0; i < sorts[t].n; i++)
			s.sort[i] = (struct ft_hist_sortspec){ sorts[t].sort[i], sorts[t].desc[i] };
		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, true, &p, err, sizeof(err)), 0);
		memset(rows, 0, sizeof(rows));
		for (size_t r = 0; r < N; r++) {
			rows[r].key = keys[r];
			put(&p, keys[r], 0, r); /* the row, to check ties */
			put(&p, keys[r], 1, (uint64_t)(int64_t)((int)(r * 7 % 11) - 5));
			snprintf((char *)keys[r] + p.cfg.parts[2].koff, 16, "c%zu", r % 4);
			rows[r].val.hits = r * 13 % 5;
			rows[r].val.sums[0] = r * 29 % 7;
		}
		assert_int_equal(ft_bpf_hist_build(&p, rows, N, 0, 0, NULL, &h), 0);
		assert_int_equal(h->nentries, N);
		for (size_t i = 1; i < N; i++) {
			const struct ft_hist_entry *a = &h->entries[i - 1], *b = &h->entries[i];
			int64_t pa = (int64_t)a->keys[1].num, pb = (int64_t)b->keys[1].num;
			int c = 0;

			for (size_t k = 0; !c && k < (sorts[t].n ? sorts[t].n : 1); k++) {
				const char *by = sorts[t].n ? sorts[t].sort[k] : "hitcount";

				if (!strcmp(by, "hitcount"))
					c = (a->vals[0] > b->vals[0]) - (a->vals[0] < b->vals[0]);
				else if (!strcmp(by, "next_pid"))
					c = (a->vals[1] > b->vals[1]) - (a->vals[1] < b->vals[1]);
				else if (!strcmp(by, "prev_prio"))
					c = (pa > pb) - (pa < pb);
				else
					c = strcmp(a->keys[2].str, b->keys[2].str);
				c = sorts[t].n && sorts[t].desc[k] ? -c : c;
			}
			assert_true(c < 0 || (c == 0 && a->keys[0].num < b->keys[0].num));
		}
		ft_hist_free(h);
		/* Unsorted: the same entries, in the rows' order. */
		assert_int_equal(ft_bpf_hist_build_unsorted(&p, rows, N, 0, 0, NULL, NULL, &h), 0);
		/* Built again in the memory of the one before (a live view's refreshes, TOP-1):
		 * the same entries each time. */
		for (int again = 0; again < 3; again++) {
			assert_int_equal(h->nentries, N);
			for (size_t i = 0; i < N; i++) {
				assert_int_equal(h->entries[i].keys[0].num, i);
				assert_int_equal(h->entries[i].vals[0], i * 13 % 5);
				assert_int_equal(h->entries[i].vals[1], i * 29 % 7);
			}
			assert_int_equal(ft_bpf_hist_build_unsorted(&p, rows, N, 0, 0, NULL, h, &h),
					 0);
		}
		ft_hist_free(h);
	}
	ft_format_free(f);
}

/*
 * A format the command read already is used, not read again (the file is gone by then),
 * and stays the caller's: checked twice, freed once.
 */
static void spec_check_given(struct ft_tfs *t, const char *tree, const struct ft_hist_spec *s)
{
	struct ft_event_format *fmt = NULL;
	struct ft_bpf_plan p;
	char path[4096], err[512] = "";

	assert_int_equal(ft_tfs_event_format(t, NULL, "sched", "sched_switch", &fmt), 0);
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/format", tree);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(ft_bpf_spec_check(t, s, fmt, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_STRFIELD);
	assert_int_equal(ft_bpf_spec_check(t, s, fmt, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(ft_bpf_spec_check(t, s, NULL, NULL, NULL, err, sizeof(err)), -ENOENT);
	ft_format_free(fmt);
}

/* The check `--backend auto` asks, on a tracefs tree made of captured files. */
static void test_spec_check(void **state)
{
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "next_comm", "" } },
				  .nkeys = 1 };
	struct ft_bpf_plan p;
	struct fake_env env;
	struct ft_tfs *t;
	char err[512] = "";

	fake_env_open(&env, "vm-6.1");
	assert_non_null(t = env.tfs);
	if (!HAVE_BPF_OBJECTS) {
		assert_int_equal(ft_bpf_spec_check(t, &s, NULL, NULL, &p, err, sizeof(err)),
				 -EOPNOTSUPP);
		assert_non_null(strstr(err, "built without the BPF backend"));
	} else {
		assert_int_equal(ft_bpf_spec_check(t, &s, NULL, NULL, &p, err, sizeof(err)), 0);
		assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_STRFIELD);
		s.keys[0].field = "next_cmm";
		assert_int_equal(ft_bpf_spec_check(t, &s, NULL, NULL, NULL, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "no field 'next_cmm' in sched:sched_switch"));
		s.event = "sched_swatch";
		assert_int_equal(ft_bpf_spec_check(t, &s, NULL, NULL, NULL, err, sizeof(err)),
				 -ENOENT);
		assert_non_null(strstr(err, "no event sched:sched_swatch"));
		s.event = "sched_switch";
		s.keys[0].field = "next_comm";
		spec_check_given(t, env.tree, &s);
	}
	fake_env_close(&env);
}

/* A plan for @spec on the event @f (made and checked here). */
static void make(const struct ft_hist_spec *spec, const struct ft_event_format *f,
		 const struct ft_event_format *end, struct ft_bpf_plan *p)
{
	char err[256];

	assert_int_equal(ft_bpf_plan_make(spec, f, end, true, p, err, sizeof(err)), 0);
}

/* The common fields the kernel overwrites before a BPF program runs (FIG-1, #16): the event's
 * id comes from the attachment's tag, the flags and preempt count are refused with advice that
 * works on the kernel at hand (CMD-5). */
static void test_plan_common_fields(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "sched", "sched_switch");
	struct ft_event_format *up = fmt("host-6.18", "ftrig_fixture", "workload_target");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "common_type", "" } },
				  .nkeys = 1 };
	struct ft_bpf_plan p;
	char err[512];

	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, false, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_TYPE);
	assert_int_equal(p.keys[0].kind, FT_KEY_NUM);
	s.keys[0] = (struct ft_hist_keyspec){ "event", "" };
	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, false, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_EVENT);
	assert_int_equal(p.keys[0].kind, FT_KEY_STR);
	assert_string_equal(p.title, "sched:sched_switch");
	s.title = "sched_sw*";
	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, false, &p, err, sizeof(err)), 0);
	assert_string_equal(p.title, "sched:sched_sw*");
	s.title = NULL;
	s.keys[0] = (struct ft_hist_keyspec){ "event", "hex" };
	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, false, &p, err, sizeof(err)), -EINVAL);
	s.keys[0] = (struct ft_hist_keyspec){ "comm", "" };
	s.filter = "common_type == 305";
	assert_int_equal(ft_bpf_plan_make(&s, f, NULL, false, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.conds[0].num.src, FT_SRC_TYPE);
	for (int hist = 0; hist < 2; hist++) {
		s.filter = NULL;
		s.keys[0] = (struct ft_hist_keyspec){ "common_preempt_count", "" };
		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, hist, &p, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "overwrites the common fields"));
		assert_true(!strstr(err, "--backend hist") == !hist);
		s.keys[0] = (struct ft_hist_keyspec){ "comm", "" };
		s.filter = "common_flags & 1";
		assert_int_equal(ft_bpf_plan_make(&s, f, NULL, hist, &p, err, sizeof(err)),
				 -EINVAL);
		assert_true(!strstr(err, "--backend hist") == !hist);
		/* a probe's own argument: advice for this kernel */
		s.filter = NULL;
		s.system = "ftrig_fixture", s.event = "workload_target";
		s.keys[0] = (struct ft_hist_keyspec){ "__probe_ip", "" };
		assert_int_equal(ft_bpf_plan_make(&s, up, NULL, hist, &p, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "BPF sees only the probe's registers"));
		assert_true(!strstr(err, "--backend hist") == !hist);
		assert_true(!strstr(err, "ftrig pipe") == !!hist);
		s.system = "sched", s.event = "sched_switch";
	}
	ft_format_free(f);
	ft_format_free(up);
}

/* A name is resolved in every event: a field in some and not in others is refused, whichever
 * the first is (FIG-2, #16). */
static void test_plan_fits_pseudo(void **state)
{
	struct ft_event_format *w = fmt("host-6.18", "sched", "sched_waking");
	struct ft_event_format *i = fmt("host-6.18", "sched", "sched_wake_idle_without_ipi");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_wake_idle_without_ipi",
				  .keys = { { "pid", "" } },
				  .nkeys = 1 };
	struct ft_bpf_plan p;
	const char *miss;
	bool lacks;
	char err[512];

	/* no pid in the first: pid is the current process there, a field in sched_waking */
	make(&s, i, NULL, &p);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_PID);
	assert_int_equal(ft_bpf_plan_fits(&p, w, &miss, &lacks, err, sizeof(err)), -ENOENT);
	assert_string_equal(miss, "pid");
	assert_true(lacks);
	/* the other way round */
	s.event = "sched_waking";
	make(&s, w, NULL, &p);
	assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_FIELD);
	assert_int_equal(ft_bpf_plan_fits(&p, i, &miss, &lacks, err, sizeof(err)), -ENOENT);
	assert_false(lacks);
	/* names of no event's own: fine */
	s.keys[0] = (struct ft_hist_keyspec){ "common_pid", "" };
	make(&s, w, NULL, &p);
	assert_int_equal(ft_bpf_plan_fits(&p, i, &miss, &lacks, err, sizeof(err)), 0);
	s.keys[0] = (struct ft_hist_keyspec){ "event", "" };
	make(&s, w, NULL, &p);
	assert_int_equal(ft_bpf_plan_fits(&p, i, &miss, &lacks, err, sizeof(err)), 0);
	ft_format_free(w);
	ft_format_free(i);
}

/* A glob's events against its plan: refused naming the events, or with --skip-missing those
 * without the field left out, the plan made again when the first is one of them (FIG-2). */
static void test_plan_fit_all(void **state)
{
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_wake_idle_without_ipi",
				  .keys = { { "pid", "" } },
				  .nkeys = 1 };
	struct ft_event_format *f[2];
	struct ft_bpf_plan p;
	char err[512];
	size_t n;

	for (int skip = 0; skip < 2; skip++) {
		for (int order = 0; order < 2; order++) {
			f[order] = fmt("host-6.18", "sched", "sched_wake_idle_without_ipi");
			f[!order] = fmt("host-6.18", "sched", "sched_waking");
			s.event = f[0]->name;
			s.skip_missing = skip;
			n = 2;
			make(&s, f[0], NULL, &p);
			if (!skip) {
				assert_int_equal(ft_bpf_plan_fit_all(&s, true, &p, f, &n, NULL, err,
								     sizeof(err)),
						 -EINVAL);
				assert_non_null(
					strstr(err, "'pid' is a field of sched:sched_waking"));
				assert_non_null(strstr(err, "sched_wake_idle_without_ipi"));
				assert_non_null(strstr(err, "--skip-missing"));
				assert_int_equal(n, 2);
				ft_format_free(f[1]);
			} else {
				assert_int_equal(ft_bpf_plan_fit_all(&s, true, &p, f, &n, NULL, err,
								     sizeof(err)),
						 0);
				assert_int_equal(n, 1);
				assert_string_equal(f[0]->name, "sched_waking");
				assert_string_equal(p.event, "sched_waking");
				assert_int_equal(p.cfg.parts[0].num.src, FT_SRC_FIELD);
			}
			ft_format_free(f[0]);
		}
	}
}

/* Which plans the aggregator's small build takes: numbers and a comm, few sums and
 * conditions; strings, stacks and more go to the full build. The lite build takes a key of
 * at most two parts and a count, nothing else. */
static void test_plan_small(void **state)
{
	struct ft_event_format *f = fmt("vm-6.1", "sched", "sched_switch");
	struct ft_hist_spec base = { .system = "sched", .event = "sched_switch" };
	struct {
		struct ft_hist_spec s;
		bool small, stacks, lite;
	} cases[] = {
		{ { .keys = { { "common_pid", "execname" } }, .nkeys = 1 }, true, false, true },
		{ { .keys = { { "comm", "" }, { "prev_pid", "log2" } }, .nkeys = 2 },
		  true,
		  false,
		  true },
		{ { .keys = { { "comm", "" }, { "prev_pid", "" }, { "cpu", "" } }, .nkeys = 3 },
		  true,
		  false,
		  false },
		{ { .keys = { { "comm", "" } }, .nkeys = 1, .filter = "prev_pid > 10" },
		  true,
		  false,
		  false },
		{ { .keys = { { "comm", "" } },
		    .nkeys = 1,
		    .vals = { { "prev_prio", "" } },
		    .nvals = 1 },
		  true,
		  false,
		  false },
		/* three numbers, one sum, two conditions: the small build's most */
		{ { .keys = { { "prev_pid", "" }, { "next_pid", "log2" }, { "cpu", "" } },
		    .nkeys = 3,
		    .vals = { { "prev_prio", "" } },
		    .nvals = 1,
		    .filter = "prev_pid > 10 || next_pid != 0" },
		  true,
		  false,
		  false },
		{ { .keys = { { "comm", "" } }, .nkeys = 1 }, true, false, true },
		{ { .keys = { { "next_comm", "" } }, .nkeys = 1 }, false, false, false },
		{ { .keys = { { "stacktrace", "" } }, .nkeys = 1 }, false, true, false },
		{ { .keys = { { "prev_pid", "" } },
		    .nkeys = 1,
		    .vals = { { "prev_prio", "" }, { "next_prio", "" } },
		    .nvals = 2 },
		  false,
		  false,
		  false },
		{ { .keys = { { "prev_pid", "" } },
		    .nkeys = 1,
		    .filter = "prev_pid > 10 && next_pid != 0 && prev_prio < 5" },
		  false,
		  false,
		  false },
	};
	struct ft_bpf_plan p;

	for (size_t i = 0; i < FT_ARRAY_SIZE(cases); i++) {
		cases[i].s.system = base.system;
		cases[i].s.event = base.event;
		make(&cases[i].s, f, NULL, &p);
		assert_int_equal(ft_bpf_plan_small(&p), cases[i].small);
		assert_int_equal(ft_bpf_plan_stacks(&p), cases[i].stacks);
		assert_int_equal(ft_bpf_plan_lite(&p), cases[i].lite);
		if (cases[i].small)
			assert_true(p.cfg.ksize <= FT_BPF_SMALL_KEY);
	}
	ft_format_free(f);
}

/* The stack map has eight buckets a table entry (collisions are stacks lost), 16,384 to 65,536. */
static void test_plan_stack_buckets(void **state)
{
	const uint32_t sizes[] = { 1, 2048, 4096, 8192, 131072 };
	const uint32_t want[] = { 16384, 16384, 32768, 65536, 65536 };
	struct ft_bpf_plan p = { 0 };

	(void)state;
	for (size_t i = 0; i < FT_ARRAY_SIZE(sizes); i++) {
		p.size = sizes[i];
		assert_int_equal(ft_bpf_plan_stack_buckets(&p), want[i]);
	}
}

/* The table as the program leaves it: slots handed out in order, each a value and then the
 * key; a slot without hits (given up to another CPU, or not yet counted) is no entry, and a
 * full table's count of slots handed out passes its size. */
static void test_table_rows(void **state)
{
	enum { KS = 16, CAP = 4 };
	unsigned char mem[CAP][FT_BPF_SLOT(KS)];
	struct ft_bpf_table t = {
		.base = &mem[0][0], .len = sizeof(mem), .stride = sizeof(mem[0]), .cap = CAP
	};
	const uint64_t hits[CAP] = { 3, 0, 7, 1 };
	struct ft_bpf_row rows[CAP];
	uint64_t sum;

	assert_int_equal(sizeof(mem[0]), 64 + KS);
	memset(mem, 0, sizeof(mem));
	for (int i = 0; i < CAP; i++) {
		struct ft_bpf_val v = { .hits = hits[i], .sums = { 10 * (uint64_t)i } };

		memcpy(mem[i], &v, sizeof(v));
		memset(mem[i] + sizeof(v), 'a' + i, KS);
	}
	assert_int_equal(ft_bpf_table_rows(&t, 0, rows, &sum), 0);
	assert_int_equal(sum, 0);
	assert_int_equal(ft_bpf_table_rows(&t, 2, rows, &sum), 1); /* slot 1: no hits */
	assert_int_equal(rows[0].val.hits, 3);
	assert_int_equal(sum, 3);
	assert_int_equal(ft_bpf_table_rows(&t, 1000, rows, &sum), 3); /* full: every slot */
	assert_int_equal(sum, 11);
	assert_int_equal(rows[1].val.hits, 7);
	assert_int_equal(rows[1].val.sums[0], 20);
	assert_ptr_equal(rows[1].key, mem[2] + sizeof(struct ft_bpf_val));
	assert_int_equal(rows[2].key[KS - 1], 'd');
}

/* Kernel symbols from lines of a real /proc/kallsyms: text symbols only, the last at or
 * below the address, aliases resolved the same way every time. */
static void test_ksyms(void **state)
{
	struct ft_ksyms *k = ft_ksyms_load(FT_FIXTURES "/host-6.18/kallsyms-excerpt");
	char buf[128];

	assert_non_null(k);
	/* Of aliases the first the kernel lists, with the size up to the next symbol, as the
	 * kernel's sprint_symbol() writes it (and hist triggers show it). */
	assert_string_equal(ft_ksyms_lookup(k, 0xffffffff81377d40, false, buf, sizeof(buf)),
			    "__do_sys_getppid");
	assert_string_equal(ft_ksyms_lookup(k, 0xffffffff81377d52, true, buf, sizeof(buf)),
			    "__do_sys_getppid+0x12/0x40");
	/* Past the last text symbol before them: data symbols are not taken. */
	assert_string_equal(ft_ksyms_lookup(k, 0xffffffff82400010, true, buf, sizeof(buf)),
			    "__pfx___do_sys_getuid+0x1088290/0x1088280");
	assert_string_equal(ft_ksyms_lookup(k, 0xffffffffc0201004, true, buf, sizeof(buf)),
			    "ftrace_trampoline+0x4 [__builtin__ftrace]");
	assert_null(ft_ksyms_lookup(k, 0xffffffff80000000, false, buf, sizeof(buf)));
	ft_ksyms_free(k);
	assert_null(ft_ksyms_load("/nonexistent/kallsyms"));
	assert_int_equal(errno, ENOENT);
}

/* A refusal names the event and the way to see the verifier's reason, which the tail of
 * its log holds (a log the 6.18 verifier wrote for a program reading its context at a
 * variable offset). */
static void test_load_msg(void **state)
{
	char *vlog = fixture_read("host-6.18/verifier/ctx-var-off.log");
	const char *tail;
	char msg[512];

	assert_non_null(vlog);
	ft_bpf_load_msg(-EACCES, vlog, "sched:sched_switch", true, true, msg, sizeof(msg));
	assert_non_null(strstr(msg, "verifier refused ftrig's aggregator for sched:sched_switch"));
	assert_non_null(strstr(msg, "ftrig -v"));
	assert_non_null(strstr(msg, "--backend hist"));
	tail = ft_bpf_vlog_tail(vlog, 2);
	assert_true(!strncmp(tail, "variable ctx access var_off=(0x0; 0xff) disallowed\n", 51));
	assert_non_null(strstr(tail, "processed 11 insns"));
	assert_ptr_equal(ft_bpf_vlog_tail(vlog, 1000), vlog);
	assert_string_equal(ft_bpf_vlog_tail("a\nb\n\n", 1), "b\n\n");
	assert_string_equal(ft_bpf_vlog_tail("", 3), "");

	/* No log: a privilege, or for root a kernel that forbids it; no hint without hists. */
	ft_bpf_load_msg(-EPERM, "", "sched:sched_switch", false, false, msg, sizeof(msg));
	assert_string_equal(msg, "loading BPF needs root (CAP_BPF and CAP_PERFMON)");
	ft_bpf_load_msg(-EPERM, "", "sched:sched_switch", true, false, msg, sizeof(msg));
	assert_non_null(strstr(msg, "does not let root"));
	assert_non_null(strstr(msg, "bpf_jit_limit"));
	ft_bpf_load_msg(-ENOSYS, "", "a:b", true, false, msg, sizeof(msg));
	assert_non_null(strstr(msg, "no BPF support"));
	free(vlog);
}

#if defined(__x86_64__)
/* x86_64 struct pt_regs offsets: rdx 96, rdi 112, orig_ax 120. */
static void test_raw_sys_enter(void **state)
{
	for (size_t k = 0; k < 2; k++) {
		struct ft_event_format *f[2] = { fmt(kernels[k], "syscalls", "sys_enter_read"),
						 fmt(kernels[k], "syscalls", "sys_enter_getppid") };
		struct ft_hist_spec s = { .system = "syscalls",
					  .event = "sys_enter_read",
					  .keys = { { "count", "" } },
					  .nkeys = 1,
					  .filter = "fd == 3" };
		struct ft_bpf_plan p;

		make(&s, f[0], NULL, &p);
		/* one syscall event is counted at the raw gate too (the cheaper hook) */
		assert_true(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 1, NULL));
		assert_int_equal(ft_bpf_raw_route(&p, 0, f[0]), FT_ROUTE_RAW_SYSCALL);
		assert_int_equal(ft_bpf_raw_route(&p, 0, f[1]), FT_ROUTE_CLASSIC);
		assert_true(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 2, NULL));
		assert_non_null(ft_bpf_raw_tp(&p, 0));
		assert_string_equal(ft_bpf_raw_tp(&p, 0), "sys_enter");
		assert_int_equal(p.cfg.raw[0].gate, FT_GATE_SYS_ENTER);
		assert_int_equal(p.cfg.raw[0].ids[0], 1); /* read is call 0 */
		assert_int_equal(p.cfg.raw[0].ids[110 / 8], 1 << (110 % 8)); /* getppid */
		assert_int_equal(p.cfg.raw[0].words[1], FT_RAW_ARG | 1);
		assert_int_equal(p.cfg.raw[0].words[2], FT_RAW_REG | 112); /* fd: rdi */
		assert_int_equal(p.cfg.raw[0].words[4], FT_RAW_REG | 96); /* count: rdx */
		assert_int_equal(p.cfg.raw[0].regs_lo, 96); /* count (rdx) to fd (rdi) */
		assert_int_equal(p.cfg.raw[0].regs_len, 24);
		assert_int_equal(p.cfg.raw[0].task_status, 16);
		assert_int_equal(p.cfg.raw[0].ts_compat, 2);
		assert_int_equal(ft_bpf_raw_route(&p, 0, f[0]), FT_ROUTE_RAW_SYSCALL);
		assert_int_equal(ft_bpf_raw_route(&p, 0, f[1]), FT_ROUTE_RAW_SYSCALL);
		ft_format_free(f[0]);
		ft_format_free(f[1]);
	}
}

static void test_raw_sys_exit(void **state)
{
	struct ft_event_format *f[2] = { fmt("vm-6.1", "syscalls", "sys_exit_read"),
					 fmt("vm-6.1", "syscalls", "sys_exit_clock_nanosleep") };
	struct ft_event_format *enter = fmt("vm-6.1", "syscalls", "sys_enter_read");
	struct ft_hist_spec s = { .system = "syscalls",
				  .event = "sys_exit_read",
				  .keys = { { "ret", "log2" } },
				  .nkeys = 1 };
	struct ft_bpf_plan p;

	make(&s, f[0], NULL, &p);
	assert_true(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 2, NULL));
	assert_string_equal(ft_bpf_raw_tp(&p, 0), "sys_exit");
	assert_int_equal(p.cfg.raw[0].gate, FT_GATE_SYS_EXIT);
	assert_int_equal(p.cfg.raw[0].words[2], FT_RAW_ARG | 1); /* ret */
	assert_int_equal(p.cfg.raw[0].nr_off, 120);
	assert_int_equal(p.cfg.raw[0].regs_lo, 120); /* the call number: orig_ax */
	assert_int_equal(p.cfg.raw[0].regs_len, 8);
	/* an event of the other direction is not the gate's */
	assert_int_equal(ft_bpf_raw_route(&p, 0, enter), FT_ROUTE_CLASSIC);
	ft_format_free(f[0]);
	ft_format_free(f[1]);
	ft_format_free(enter);
}

/* Syscall events of both directions: program A takes a gate each way, raw[0] the first
 * event's direction and raw[2] the other, each with its own call numbers and tags. */
static void test_raw_both_directions(void **state)
{
	struct ft_event_format *f[3] = { fmt("vm-6.1", "syscalls", "sys_enter_read"),
					 fmt("vm-6.1", "syscalls", "sys_exit_read"),
					 fmt("vm-6.1", "syscalls", "sys_exit_clock_nanosleep") };
	struct ft_hist_spec s = { .system = "syscalls",
				  .event = "sys_enter_read",
				  .keys = { { "event", "" }, { "__syscall_nr", "" } },
				  .nkeys = 2 };
	struct ft_bpf_plan p;
	int rd = ft_syscall_nr("read"), ns = ft_syscall_nr("clock_nanosleep");

	(void)state;
	make(&s, f[0], NULL, &p);
	assert_true(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 3, NULL));
	assert_string_equal(ft_bpf_raw_tp(&p, 0), "sys_enter");
	assert_null(ft_bpf_raw_tp(&p, 1));
	assert_string_equal(ft_bpf_raw_tp(&p, 2), "sys_exit");
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[0]), FT_ROUTE_RAW_SYSCALL);
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[1]), FT_ROUTE_RAW_SYSCALL_2);
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[2]), FT_ROUTE_RAW_SYSCALL_2);
	assert_int_equal(p.cfg.raw[0].ids[ns / 8], 0); /* nanosleep's exit only */
	assert_int_equal(p.cfg.raw[2].ids[ns / 8], 1 << (ns % 8));
	assert_int_equal(p.cfg.raw[2].words[1], FT_RAW_REG | 120); /* __syscall_nr: orig_ax */
	assert_int_equal(p.cfg.tags[0][rd], FT_TAG(0, f[0]->id));
	assert_int_equal(p.cfg.tags[1][rd], FT_TAG(1, f[1]->id));
	assert_int_equal(p.cfg.tags[1][ns], FT_TAG(2, f[2]->id));
	/* the other direction's layout is known when the plan reads at most the call number */
	s.keys[0] = (struct ft_hist_keyspec){ "comm", "" };
	make(&s, f[0], NULL, &p);
	assert_true(ft_bpf_raw_layout_known(&p, f[0], "syscalls", "sys_exit_read"));
	s.keys[1] = (struct ft_hist_keyspec){ "fd", "" };
	make(&s, f[0], NULL, &p);
	assert_false(ft_bpf_raw_layout_known(&p, f[0], "syscalls", "sys_exit_read"));
	for (int i = 0; i < 3; i++)
		ft_format_free(f[i]);
}

/* A syscall event of a call no table of the build knows (a newer kernel's): the uretprobe
 * fixture renamed. */
static struct ft_event_format *unknown_call(void)
{
	static const char text[] =
		"name: sys_enter_no_such_call\nID: 187\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n\nprint fmt: \"\"\n";
	struct ft_event_format *f = NULL;

	assert_int_equal(ft_format_parse("syscalls", text, &f), 0);
	return f;
}

/* Several syscall events share the gate, statmount's and uretprobe's by the table of calls
 * newer than the build's headers; one with no known number stays classic, as do events that
 * are no syscall events. */
static void test_raw_many(void **state)
{
	const char *names[] = { "sys_enter_read", "sys_enter_getppid", "sys_enter_statmount",
				"sys_enter_uretprobe" };
	struct ft_event_format *f[6];
	struct ft_hist_spec s = { .system = "syscalls",
				  .event = "sys_enter_read",
				  .keys = { { "comm", "" } },
				  .nkeys = 1 };
	struct ft_bpf_plan p;
	const char *miss;
	bool lacks;
	char err[256];

	for (int i = 0; i < 4; i++)
		f[i] = fmt("host-6.18", "syscalls", names[i]);
	f[4] = fmt("host-6.18", "raw_syscalls", "sys_enter");
	f[5] = unknown_call();
	make(&s, f[0], NULL, &p);
	for (int i = 1; i < 6; i++)
		assert_int_equal(ft_bpf_plan_fits(&p, f[i], &miss, &lacks, err, sizeof(err)), 0);
	assert_true(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 6, NULL));
	assert_int_equal(p.cfg.raw[0].regs_len, 0); /* comm reads no register */
	assert_int_equal(p.cfg.raw[0].ids[457 / 8], 1 << (457 % 8));
	assert_int_equal(p.cfg.raw[0].ids[335 / 8], 1 << (335 % 8)); /* uretprobe (6.11) */
	/* each call number's event tag: its index here and its id (common_type, FIG-1) */
	assert_true(f[1]->id > 0);
	assert_int_equal(p.cfg.tags[0][ft_syscall_nr("getppid")], FT_TAG(1, f[1]->id));
	assert_int_equal(p.cfg.tags[0][ft_syscall_nr("read")], FT_TAG(0, f[0]->id));
	for (int i = 0; i < 4; i++)
		assert_int_equal(ft_bpf_raw_route(&p, 0, f[i]), FT_ROUTE_RAW_SYSCALL);
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[5]), FT_ROUTE_CLASSIC);
	/* a tracepoint of its own, whose record comm does not read */
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[4]), FT_ROUTE_RAW_PLAIN);
	for (int i = 0; i < 6; i++)
		ft_format_free(f[i]);
}

/* Which further syscall events need no format read: those with a known number, while the
 * plan reads at most the call number (and ret at sys_exit, then of the first's direction). */
static void test_raw_layout_known(void **state)
{
	struct ft_event_format *f = fmt("host-6.18", "syscalls", "sys_enter_read");
	struct ft_hist_spec s = { .system = "syscalls",
				  .event = "sys_enter_read",
				  .keys = { { "__syscall_nr", "syscall" }, { "comm", "" } },
				  .nkeys = 2 };
	struct ft_bpf_plan p;

	make(&s, f, NULL, &p);
	assert_true(ft_bpf_raw_layout_known(&p, f, "syscalls", "sys_enter_getppid"));
	/* the other direction: its second gate, the call number at the same place */
	assert_true(ft_bpf_raw_layout_known(&p, f, "syscalls", "sys_exit_getppid"));
	assert_false(ft_bpf_raw_layout_known(&p, f, "syscalls", "sys_enter_no_such_call"));
	assert_false(ft_bpf_raw_layout_known(&p, f, "sched", "sched_switch"));
	s.keys[1] = (struct ft_hist_keyspec){ "count", "" }; /* an argument: formats are read */
	make(&s, f, NULL, &p);
	assert_false(ft_bpf_raw_layout_known(&p, f, "syscalls", "sys_enter_getppid"));
	ft_format_free(f);
}
#endif

/* Plain tracepoints go to their own raw tracepoints while the plan reads nothing of their
 * records nor which event fired; record fields (a string here) and --key event keep them on
 * their classic tracepoints. */
static void test_raw_plain(void **state)
{
	struct ft_event_format *f[2] = { fmt("vm-6.1", "sched", "sched_switch"),
					 fmt("vm-6.1", "syscalls", "sys_enter_getppid") };
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_switch",
				  .keys = { { "common_pid", "execname" } },
				  .nkeys = 1 };
	struct ft_bpf_plan p;

	make(&s, f[0], NULL, &p);
	assert_true(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 1, NULL));
	assert_int_equal(p.cfg.raw[3].gate, FT_GATE_PLAIN);
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[0]), FT_ROUTE_RAW_PLAIN);
	assert_true(ft_bpf_raw_layout_known(&p, f[0], "xfs", "xfs_buf_free"));
	assert_false(ft_bpf_raw_layout_known(&p, f[0], "ftrace", "function"));
	s.keys[0] = (struct ft_hist_keyspec){ "next_comm", "" };
	make(&s, f[0], NULL, &p);
	assert_false(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 1, NULL));
	assert_int_equal(ft_bpf_raw_route(&p, 0, f[0]), FT_ROUTE_CLASSIC);
	assert_false(ft_bpf_raw_layout_known(&p, f[0], "xfs", "xfs_buf_free"));
	s.keys[0] = (struct ft_hist_keyspec){ "event", "" };
	make(&s, f[0], NULL, &p);
	assert_false(ft_bpf_plan_raw(&p, (const struct ft_event_format *const *)f, 1, NULL));
	ft_format_free(f[0]);
	ft_format_free(f[1]);
}

static void test_syscall_nr(void **state)
{
#if defined(__x86_64__)
	assert_int_equal(ft_syscall_nr("read"), 0);
	assert_int_equal(ft_syscall_nr("getppid"), 110);
	assert_int_equal(ft_syscall_nr("newstat"), 4); /* the event's name of stat */
	assert_int_equal(ft_syscall_nr("umount"), 166); /* umount2 */
	assert_int_equal(ft_syscall_nr("_sysctl"), 156); /* sorts before the letters */
	assert_int_equal(ft_syscall_nr("file_setattr"), 469); /* newer than the headers */
	assert_int_equal(ft_syscall_nr("uretprobe"), 335);
	assert_int_equal(ft_syscall_nr("uprobe"), 336);
	/* .syscall names those too, as the kernel's hist does */
	assert_string_equal(ft_syscall_name(336), "uprobe");
	assert_string_equal(ft_syscall_name(469), "file_setattr");
	assert_null(ft_syscall_name(400));
#endif
	assert_int_equal(ft_syscall_nr("no_such_call"), -1);
	assert_int_equal(ft_syscall_nr(""), -1);
	/* By name finds what by number names, for every call the build knows. */
	for (uint64_t nr = 0; nr < FT_BPF_NSYS; nr++)
		if (ft_syscall_name(nr))
			assert_int_equal(ft_syscall_nr(ft_syscall_name(nr)), (int)nr);
}

/* One interval's row: key @k (8 bytes), @hits, named @comm. */
static struct ft_bpf_row acc_row(const uint64_t *k, uint64_t hits, const char *comm)
{
	struct ft_bpf_row r = { .key = (const unsigned char *)k };

	r.val.hits = hits;
	r.val.sums[0] = 10 * hits;
	snprintf(r.val.comm, sizeof(r.val.comm), "%s", comm);
	return r;
}

/* TOP-1, TOP-8: the intervals of a rotating aggregation summed by key; the newest comm wins;
 * past the limit the idle longest go, never a row of the latest interval. */
static void test_accum(void **state)
{
	static const uint64_t k1 = 1, k2 = 2, k3 = 3, k4 = 4;
	struct ft_bpf_accum *a = ft_bpf_accum_alloc(8, 2);
	const struct ft_bpf_row *rows;
	struct ft_bpf_row in[3];
	uint64_t hits, expired;
	size_t n;

	(void)state;
	assert_non_null(a);
	in[0] = acc_row(&k1, 5, "bash"), in[1] = acc_row(&k2, 7, "sh");
	assert_int_equal(ft_bpf_accum_add(a, in, 2), 0);
	assert_int_equal(ft_bpf_accum_expire(a), 0);
	/* k1 again after an exec: its counts summed, its new name kept */
	in[0] = acc_row(&k1, 3, "topw");
	assert_int_equal(ft_bpf_accum_add(a, in, 1), 0);
	rows = ft_bpf_accum_rows(a, &n, &hits, &expired);
	assert_int_equal(n, 2);
	assert_int_equal(hits, 15);
	for (size_t i = 0; i < n; i++)
		if (*(const uint64_t *)rows[i].key == 1) {
			assert_int_equal(rows[i].val.hits, 8);
			assert_int_equal(rows[i].val.sums[0], 80);
			assert_string_equal(rows[i].val.comm, "topw");
		}
	/* k3 and k4 new: four rows for a limit of 2; k2 (idle longest), then k1 go */
	in[0] = acc_row(&k3, 1, "a"), in[1] = acc_row(&k4, 1, "b");
	assert_int_equal(ft_bpf_accum_add(a, in, 2), 0);
	assert_int_equal(ft_bpf_accum_expire(a), 2);
	rows = ft_bpf_accum_rows(a, &n, &hits, &expired);
	assert_int_equal(n, 2);
	assert_int_equal(expired, 2);
	assert_int_equal(hits, 17); /* the expired rows' events still counted */
	for (size_t i = 0; i < n; i++)
		assert_true(*(const uint64_t *)rows[i].key >= 3);
	/* three rows in the latest interval: all stay, over the limit */
	in[0] = acc_row(&k1, 1, "a"), in[1] = acc_row(&k2, 1, "b"), in[2] = acc_row(&k3, 1, "c");
	assert_int_equal(ft_bpf_accum_add(a, in, 3), 0);
	assert_int_equal(ft_bpf_accum_expire(a), 1);
	rows = ft_bpf_accum_rows(a, &n, &hits, &expired);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(*(const uint64_t *)rows[i].key != 4);
	ft_bpf_accum_free(a);
}

/* Many keys: the index grows, and every key is found again. */
static void test_accum_many(void **state)
{
	enum { N = 5000 };
	uint64_t *keys = malloc(N * sizeof(*keys)), hits, expired;
	struct ft_bpf_row *in = malloc(N * sizeof(*in));
	struct ft_bpf_accum *a = ft_bpf_accum_alloc(8, N);
	const struct ft_bpf_row *rows;
	size_t n;

	(void)state;
	assert_non_null(keys);
	assert_non_null(in);
	assert_non_null(a);
	for (int i = 0; i < N; i++) {
		keys[i] = (uint64_t)i * 7919;
		in[i] = acc_row(&keys[i], 1, "x");
	}
	for (int round = 0; round < 3; round++)
		assert_int_equal(ft_bpf_accum_add(a, in, N), 0);
	rows = ft_bpf_accum_rows(a, &n, &hits, &expired);
	assert_int_equal(n, N);
	assert_int_equal(hits, 3 * N);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].val.hits, 3);
	ft_bpf_accum_free(a);
	free(in);
	free(keys);
}

/* #21: one interval read in windows (a turn, then a put per window) is one round: a row of
 * its first window is as new as one of its last, and expiry spares both; the totals read
 * back a window at a time are every row, once, with the hits of every interval. */
static void test_accum_windows(void **state)
{
	static const uint64_t k1 = 1, k2 = 2, k3 = 3;
	struct ft_bpf_accum *a = ft_bpf_accum_alloc(8, 1);
	struct ft_bpf_row in[2], out[2];
	uint64_t hits, expired, seen = 0, sum = 0;
	size_t n, total = 0;

	(void)state;
	assert_non_null(a);
	in[0] = acc_row(&k1, 5, "old");
	assert_int_equal(ft_bpf_accum_add(a, in, 1), 0);
	/* the next interval in two windows: k2 then k3, both of this round */
	ft_bpf_accum_turn(a);
	in[0] = acc_row(&k2, 2, "a");
	assert_int_equal(ft_bpf_accum_put(a, in, 1), 0);
	in[0] = acc_row(&k3, 3, "b");
	assert_int_equal(ft_bpf_accum_put(a, in, 1), 0);
	/* only k1 is idle: a put counted as a round of its own would have expired k2 */
	assert_int_equal(ft_bpf_accum_expire(a), 1);
	for (size_t at = 0; (n = ft_bpf_accum_window(a, at, out, 1)) > 0; at += n) {
		assert_int_equal(n, 1);
		seen |= 1u << *(const uint64_t *)out[0].key;
		sum += out[0].val.hits;
		total += n;
	}
	assert_int_equal(total, 2);
	assert_int_equal(seen, (1u << 2) | (1u << 3));
	assert_int_equal(sum, 5);
	ft_bpf_accum_counts(a, &hits, &expired);
	assert_int_equal(hits, 10); /* the expired row's events still counted */
	assert_int_equal(expired, 1);
	ft_bpf_accum_free(a);
}

/* #21: expiry takes no copy of the rows: the idle longest go, as many of a round as must,
 * and the rows that stay keep their order. */
static void test_accum_expire_order(void **state)
{
	static const uint64_t k[6] = { 0, 1, 2, 3, 4, 5 };
	struct ft_bpf_accum *a = ft_bpf_accum_alloc(8, 3);
	struct ft_bpf_row in[4], out[4];
	size_t n;

	(void)state;
	assert_non_null(a);
	for (int i = 0; i < 4; i++)
		in[i] = acc_row(&k[i + 1], 1, "x");
	assert_int_equal(ft_bpf_accum_add(a, in, 4), 0);
	assert_int_equal(ft_bpf_accum_expire(a), 0); /* all of the latest interval */
	in[0] = acc_row(&k[5], 1, "y");
	assert_int_equal(ft_bpf_accum_add(a, in, 1), 0);
	assert_int_equal(ft_bpf_accum_expire(a), 2); /* two of the four idle ones */
	n = ft_bpf_accum_window(a, 0, out, 4);
	assert_int_equal(n, 3);
	assert_int_equal(*(const uint64_t *)out[0].key, 3);
	assert_int_equal(*(const uint64_t *)out[1].key, 4);
	assert_int_equal(*(const uint64_t *)out[2].key, 5);
	ft_bpf_accum_free(a);
}

/* Latency matched on fields (FIG-3): each side's field is read where that side fires; the
 * start's is not the end's place; strings are refused. */
static void test_plan_latency_match(void **state)
{
	struct ft_event_format *a = fmt("host-6.18", "sched", "sched_waking");
	struct ft_event_format *b = fmt("host-6.18", "sched", "sched_switch");
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_waking",
				  .end_system = "sched",
				  .end_event = "sched_switch",
				  .match_start = { "pid" },
				  .match_end = { "next_pid" },
				  .nmatch = 1 };
	struct ft_bpf_plan p;
	char err[256];

	(void)state;
	assert_int_equal(ft_bpf_plan_make(&s, a, b, true, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.nmatch, 1);
	assert_int_equal(p.cfg.match[0][0].src, FT_SRC_FIELD);
	assert_int_equal(p.cfg.match[0][0].offset, ft_format_field(a, "pid")->offset);
	assert_int_equal(p.cfg.match[0][0].size, 4);
	assert_int_equal(p.cfg.match[1][0].offset, ft_format_field(b, "next_pid")->offset);
	assert_non_null(strstr(p.trigger, "(latency until sched:sched_switch matched on "
					  "pid=next_pid)"));
	/* without fields, by thread, and said so */
	s.nmatch = 0;
	assert_int_equal(ft_bpf_plan_make(&s, a, b, true, &p, err, sizeof(err)), 0);
	assert_int_equal(p.cfg.nmatch, 0);
	assert_non_null(strstr(p.trigger, "of the same thread)"));
	/* a field of the other side only, and a string */
	s.nmatch = 1;
	s.match_start[0] = "next_pid";
	assert_int_equal(ft_bpf_plan_make(&s, a, b, true, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no field 'next_pid' in sched:sched_waking"));
	s.match_start[0] = "comm", s.match_end[0] = "next_comm";
	assert_int_equal(ft_bpf_plan_make(&s, a, b, true, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "match field 'comm' of sched:sched_waking is not a number: a "
				 "start and its end are matched on numbers (ids, pids, sectors)");
	ft_format_free(a);
	ft_format_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_exit_read),
		cmocka_unit_test(test_plan_sched_switch),
		cmocka_unit_test(test_plan_latency),
		cmocka_unit_test(test_plan_latency_match),
		cmocka_unit_test(test_plan_errors),
		cmocka_unit_test(test_plan_stack_buckets),
		cmocka_unit_test(test_plan_fits),
		cmocka_unit_test(test_convert_stack_skip),
		cmocka_unit_test(test_plan_common_fields),
		cmocka_unit_test(test_probe_fetch_regs),
		cmocka_unit_test(test_plan_fits_pseudo),
		cmocka_unit_test(test_plan_fit_all),
		cmocka_unit_test(test_spec_check),
		cmocka_unit_test(test_plan_small),
		cmocka_unit_test(test_load_msg),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_ksyms),
#if defined(__x86_64__)
		cmocka_unit_test(test_raw_sys_enter),
		cmocka_unit_test(test_raw_sys_exit),
		cmocka_unit_test(test_raw_both_directions),
		cmocka_unit_test(test_raw_many),
		cmocka_unit_test(test_raw_layout_known),
#endif
		cmocka_unit_test(test_raw_plain),
		cmocka_unit_test(test_syscall_nr),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_convert_stack_sym),
		cmocka_unit_test(test_convert_order),
		cmocka_unit_test(test_convert_windows),
		cmocka_unit_test(test_update_windows),
		cmocka_unit_test(test_update_text_keys),
		cmocka_unit_test(test_accum),
		cmocka_unit_test(test_accum_many),
		cmocka_unit_test(test_accum_windows),
		cmocka_unit_test(test_accum_expire_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
