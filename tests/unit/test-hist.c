// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hist parser on every hist file captured from the 6.1 kernel (tests/fixtures/vm-6.1/hist,
 * made by `make capture-hist`), the exporters, reading dumps back, diff, deltas, stats, and
 * the hist source on a fake tracefs tree.
 */
#include <errno.h>
#include <math.h>
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
#include "hist/analyze.h"
#include "hist/cols.h"
#include "hist/export.h"
#include "hist/export-csv.h"
#include "hist/export-folded.h"
#include "hist/export-json.h"
#include "hist/load.h"
#include "hist/parse.h"
#include "histsvc/histsvc.h"
#include "source.h"
#include "tfs.h"

#define HIST_DIR "vm-6.1/hist/"

/* Every captured hist file and the number of hists in it. */
static const struct {
	const char *file;
	size_t nhists;
} fixtures[] = {
	{ "big", 1 },
	{ "buckets", 1 },
	{ "exec-strings", 1 },
	{ "execname", 1 },
	{ "filtered", 1 },
	{ "hex-key", 1 },
	{ "log2", 1 },
	{ "multi", 3 },
	{ "named", 1 },
	{ "onchange", 1 },
	{ "onmax", 1 },
	{ "paused", 1 },
	{ "pid-stacktrace", 1 },
	{ "pid-syscall", 1 },
	{ "rename-strings", 1 },
	{ "stacktrace", 1 },
	{ "strings", 1 },
	{ "sym-offset", 1 },
	{ "sym", 1 },
	{ "syscall-ret", 1 },
	{ "syscall", 1 },
	{ "sym-module", 2 },
	{ "vals-hex", 1 },
	{ "vals-percent", 1 },
	{ "wakeup-onmax", 1 },
};

struct parsed {
	char *text;
	size_t len;
	struct ft_hist **v;
	size_t n;
};

static void parse_fixture(const char *name, struct parsed *p)
{
	char rel[256];

	snprintf(rel, sizeof(rel), HIST_DIR "%s.hist", name);
	p->text = fixture_read(rel);
	assert_non_null(p->text);
	p->len = strlen(p->text);
	assert_int_equal(ft_hist_parse(p->text, p->len, "sys:ev", NULL, &p->v, &p->n), 0);
}

static void parsed_free(struct parsed *p)
{
	ft_hist_free_all(p->v, p->n);
	free(p->text);
}

/* Hits == the sum of hitcounts, Entries == the rows read, nothing left unread. */
static void test_fixture_totals(void **state)
{
	for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		struct parsed p;

		parse_fixture(fixtures[f].file, &p);
		assert_int_equal(p.n, fixtures[f].nhists);
		for (size_t i = 0; i < p.n; i++) {
			struct ft_hist *h = p.v[i];
			int hc = ft_hist_val_lookup(h, "hitcount");

			assert_int_equal(h->nunknown, 0);
			assert_true(h->nkeys >= 1);
			assert_true(hc >= 0);
			assert_int_equal(h->nentries, h->nentries_total);
			assert_int_equal(ft_hist_sum(h, (size_t)hc), h->hits);
			assert_int_equal(h->dropped, 0);
		}
		parsed_free(&p);
	}
}

/* Writing a parsed hist in the kernel's layout gives back the kernel's bytes exactly. */
static void test_text_round_trip(void **state)
{
	for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		struct parsed p;
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		parse_fixture(fixtures[f].file, &p);
		m = open_memstream(&buf, &len);
		assert_int_equal(ft_hist_write(m, FT_HIST_FMT_TEXT, p.v, p.n), 0);
		fclose(m);
		if (len != p.len || memcmp(buf, p.text, len))
			fail_msg("%s: text output differs from the kernel's", fixtures[f].file);
		free(buf);
		parsed_free(&p);
	}
}

/* JSON out, JSON in, text out: the kernel's bytes again (nothing lost in the JSON). */
static void test_json_round_trip(void **state)
{
	for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		struct parsed p;
		struct ft_hist **v;
		char *buf = NULL, err[128];
		size_t len = 0, n;
		FILE *m;

		parse_fixture(fixtures[f].file, &p);
		m = open_memstream(&buf, &len);
		ft_hist_write_json(m, p.v, p.n, f % 2);
		fclose(m);
		assert_int_equal(ft_hist_load(buf, len, &v, &n, err, sizeof(err)), 0);
		assert_int_equal(n, p.n);
		free(buf);
		m = open_memstream(&buf, &len);
		ft_hist_write(m, FT_HIST_FMT_TEXT, v, n);
		fclose(m);
		if (len != p.len || memcmp(buf, p.text, len))
			fail_msg("%s: JSON lost something", fixtures[f].file);
		assert_string_equal(v[0]->event, "sys:ev");
		free(buf);
		ft_hist_free_all(v, n);
		parsed_free(&p);
	}
}

static const struct ft_key *key0(struct parsed *p, size_t entry, size_t part)
{
	return &p->v[0]->entries[entry].keys[part];
}

static void test_typed_keys_numbers(void **state)
{
	struct parsed p;

	parse_fixture("execname", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_EXECNAME);
	assert_string_equal(key0(&p, 0, 0)->str, "<idle>");
	assert_int_equal(key0(&p, 0, 0)->num, 0);
	assert_string_equal(p.v[0]->keys[0].modifier, "execname");
	parsed_free(&p);

	parse_fixture("syscall", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_SYSCALL);
	assert_string_equal(key0(&p, 0, 0)->str, "sys_access");
	assert_int_equal(key0(&p, 0, 0)->num, 21);
	parsed_free(&p);

	/* raw_syscalls:sys_exit's id on 6.1 is -1 and printed as "unknown_syscall" */
	parse_fixture("syscall-ret", &p);
	assert_null(key0(&p, 0, 0)->str);
	assert_int_equal(key0(&p, 0, 0)->num, UINT64_MAX);
	assert_int_equal(key0(&p, 0, 1)->kind, FT_KEY_NUM);
	assert_int_equal(key0(&p, 0, 1)->num, 391);
	parsed_free(&p);

	parse_fixture("hex-key", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_HEX);
	assert_int_equal(key0(&p, 0, 0)->num, 0xffffffffa59e9d6eull);
	assert_int_equal(p.v[0]->entries[0].vals[1], 28); /* bytes_req */
	parsed_free(&p);

	parse_fixture("big", &p);
	assert_int_equal(p.v[0]->nkeys, 3);
	assert_string_equal(p.v[0]->keys[2].name, "common_cpu");
	assert_int_equal(key0(&p, 0, 0)->num, 1956);
	assert_int_equal(key0(&p, 0, 1)->num, 158);
	assert_int_equal(key0(&p, 0, 2)->num, 0);
	parsed_free(&p);
}

static void test_typed_keys_symbols_buckets(void **state)
{
	struct parsed p;

	parse_fixture("sym", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_SYM);
	assert_int_equal(key0(&p, 0, 0)->num, 0xffffffffa5a7c3f0ull);
	assert_string_equal(key0(&p, 0, 0)->str, "tomoyo_find_next_domain");
	assert_int_equal(p.v[0]->entries[0].vals[2], 172032); /* bytes_alloc */
	parsed_free(&p);

	parse_fixture("sym-offset", &p);
	assert_string_equal(key0(&p, 0, 0)->str, "load_elf_binary+0x245/0x1780");
	parsed_free(&p);

	/* a module's symbol carries the module's name */
	parse_fixture("sym-module", &p);
	assert_int_equal(key0(&p, 0, 0)->num, 0xffffffffc0350046ull);
	assert_string_equal(key0(&p, 0, 0)->str, "loop_add [loop]");
	assert_string_equal(p.v[1]->entries[0].keys[0].str, "loop_add+0x26/0x320 [loop]");
	assert_string_equal(p.v[1]->keys[0].modifier, "sym-offset");
	assert_string_equal(p.v[0]->filter, "call_site >= 0xffffffffc0000000");
	parsed_free(&p);

	/* log2: "~ 2^6" holds 33..64 (ilog2(roundup_pow_of_two(x))) */
	parse_fixture("log2", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_LOG2);
	assert_int_equal(key0(&p, 0, 0)->num, 6);
	assert_int_equal(key0(&p, 0, 0)->lo, 33);
	assert_int_equal(key0(&p, 0, 0)->hi, 65);
	/* every request in ~ 2^4 got 16 bytes, in ~ 2^5 32 bytes: the bounds are right */
	assert_int_equal(p.v[0]->entries[7].vals[1], 16 * p.v[0]->entries[7].vals[0]);
	assert_int_equal(key0(&p, 7, 0)->hi, 17);
	assert_int_equal(p.v[0]->entries[5].vals[1], 32 * p.v[0]->entries[5].vals[0]);
	parsed_free(&p);

	parse_fixture("buckets", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_BUCKET);
	assert_int_equal(key0(&p, 0, 0)->lo, 0);
	assert_int_equal(key0(&p, 0, 0)->hi, 64);
	assert_int_equal(key0(&p, 9, 0)->lo, 4096);
	assert_int_equal(key0(&p, 9, 0)->hi, 4160);
	parsed_free(&p);
	assert_int_equal(ft_log2_lo(0), 0);
	assert_int_equal(ft_log2_hi(0), 2);
	assert_int_equal(ft_log2_lo(1), 2);
	assert_int_equal(ft_log2_hi(64), UINT64_MAX);
}

/* Strings with ", ", ": ", braces and the next key's name in them. */
static void test_typed_keys_strings(void **state)
{
	static const char *const want[] = { "{ }", "a b, c: {d}", "cat", "p, newcomm: q", "x } y" };
	struct parsed p;

	parse_fixture("rename-strings", &p);
	assert_int_equal(p.v[0]->keys[0].kind, FT_KEY_STR);
	assert_int_equal(p.v[0]->keys[1].kind, FT_KEY_STR);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(key0(&p, i, 1)->str, want[i]);
	assert_string_equal(key0(&p, 2, 0)->str, "exe");
	parsed_free(&p);

	parse_fixture("exec-strings", &p);
	assert_string_equal(key0(&p, 6, 0)->str, "/tmp/odd dir, a:b {c}/run it, now: {1}");
	assert_int_equal(key0(&p, 6, 1)->kind, FT_KEY_NUM);
	assert_int_equal(key0(&p, 6, 1)->num, 1490);
	parsed_free(&p);

	parse_fixture("strings", &p);
	assert_string_equal(key0(&p, 0, 0)->str, "swapper/1");
	assert_string_equal(key0(&p, 0, 1)->str, "sh");
	parsed_free(&p);
}

static void test_typed_keys_stacks(void **state)
{
	struct parsed p;

	parse_fixture("stacktrace", &p);
	assert_int_equal(key0(&p, 0, 0)->kind, FT_KEY_STACK);
	assert_int_equal(key0(&p, 0, 0)->nframes, 8);
	assert_string_equal(key0(&p, 0, 0)->frames[0], "__schedule+0x4f8/0xa00");
	assert_string_equal(key0(&p, 0, 0)->frames[7], "secondary_startup_64_no_verify+0xe5/0xeb");
	assert_int_equal(p.v[0]->entries[0].vals[0], 97);
	assert_int_equal(key0(&p, 1, 0)->nframes, 6);
	parsed_free(&p);

	parse_fixture("pid-stacktrace", &p);
	assert_int_equal(key0(&p, 0, 0)->num, 1373);
	assert_int_equal(key0(&p, 0, 1)->nframes, 7);
	assert_string_equal(key0(&p, 0, 1)->frames[0], "alloc_pipe_info+0xd7/0x220");
	assert_int_equal(p.v[0]->entries[0].vals[1], 1024);
	parsed_free(&p);
}

static void test_values_and_trigger(void **state)
{
	struct parsed p;

	parse_fixture("vals-hex", &p);
	assert_string_equal(p.v[0]->vals[1].modifier, "hex");
	assert_int_equal(p.v[0]->entries[0].vals[1], 0x3542); /* printed "3542": hex */
	parsed_free(&p);

	parse_fixture("vals-percent", &p);
	assert_int_equal(p.v[0]->entries[0].vals[1], 171); /* "  1.71" percent */
	assert_int_equal(p.v[0]->entries[0].vals[2], 8); /* "########" */
	parsed_free(&p);

	parse_fixture("filtered", &p);
	assert_string_equal(p.v[0]->filter, "bytes_req > 256");
	assert_int_equal(p.v[0]->size, 256);
	assert_false(p.v[0]->paused);
	parsed_free(&p);

	parse_fixture("paused", &p);
	assert_true(p.v[0]->paused);
	assert_int_equal(p.v[0]->nentries, 0);
	parsed_free(&p);

	parse_fixture("named", &p);
	assert_string_equal(p.v[0]->name, "ftcap_shared");
	parsed_free(&p);

	parse_fixture("multi", &p);
	assert_int_equal(p.v[0]->keys[0].kind, FT_KEY_LOG2);
	assert_int_equal(p.v[1]->keys[0].kind, FT_KEY_EXECNAME);
	assert_int_equal(p.v[2]->keys[0].kind, FT_KEY_SYM);
	assert_int_equal(p.v[2]->size, 128);
	assert_int_equal(p.v[0]->hits, 11788);
	parsed_free(&p);
}

static void test_handlers(void **state)
{
	const struct ft_hist_action *a;
	struct parsed p;

	parse_fixture("onmax", &p);
	a = &ft_hist_entry_actions(p.v[0], &p.v[0]->entries[0])->v[0];
	assert_int_equal(ft_hist_entry_actions(p.v[0], &p.v[0]->entries[0])->n, 1);
	/* beside the rows: a row without handler lines has none */
	if (p.v[0]->nentries > 1 && !p.v[0]->actions[1].n)
		assert_null(ft_hist_entry_actions(p.v[0], &p.v[0]->entries[1]));
	assert_string_equal(a->handler, "max");
	assert_int_equal(a->value, 4096);
	assert_int_equal(a->nsaved, 2);
	assert_string_equal(a->names[0], "bytes_alloc");
	assert_string_equal(a->values[0], "4096");
	assert_string_equal(a->values[1], "18446744072193819632");
	parsed_free(&p);

	parse_fixture("onchange", &p);
	assert_string_equal(ft_hist_entry_actions(p.v[0], &p.v[0]->entries[0])->v[0].handler,
			    "changed");
	parsed_free(&p);

	parse_fixture("wakeup-onmax", &p);
	a = &ft_hist_entry_actions(p.v[0], &p.v[0]->entries[0])->v[0];
	assert_int_equal(a->value, 240);
	assert_int_equal(a->nsaved, 4);
	assert_string_equal(a->names[0], "next_comm");
	assert_string_equal(a->values[0], "kcompactd0");
	assert_string_equal(a->values[1], "1930");
	assert_string_equal(a->values[3], "sh");
	/* wakeup_lat is an expression: not shown as a value */
	assert_int_equal(p.v[0]->nvals, 1);
	parsed_free(&p);
}

/* Truncated at every byte, and garbage: no crash, unknown lines kept. */
static void test_robustness(void **state)
{
	const char *junk = "garbage first\n# event histogram\n#\n# trigger info: hist:keys=a:vals="
			   "hitcount [active]\n#\n\n{ a:          1 } hitcount:          2\n"
			   "{ b: 1 } hitcount: 1\n{ a: x } hitcount: 1\nwhat is this\nTotals:\n"
			   "    Hits: 2\n    Entries: 1\n    Dropped: 0\n";
	struct ft_hist **v;
	struct parsed p;
	size_t n;

	assert_int_equal(ft_hist_parse(junk, strlen(junk), NULL, NULL, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0]->nunknown, 1);
	assert_int_equal(v[1]->nentries, 1);
	assert_int_equal(v[1]->nunknown, 3);
	assert_string_equal(v[1]->unknown[2], "what is this");
	ft_hist_free_all(v, n);

	assert_int_equal(ft_hist_parse("", 0, NULL, NULL, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v);

	parse_fixture("wakeup-onmax", &p);
	for (size_t len = 0; len <= p.len; len++) {
		assert_int_equal(ft_hist_parse(p.text, len, NULL, NULL, &v, &n), 0);
		ft_hist_free_all(v, n);
	}
	parsed_free(&p);
}

static char *write_to_string(void (*fn)(FILE *, const struct ft_hist *), const struct ft_hist *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	fn(m, h);
	fclose(m);
	return buf;
}

static void test_csv(void **state)
{
	struct parsed p;
	char *out;

	/* FIG-9: several tables each say which hist they are; one table has no such line */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		parse_fixture("multi", &p);
		p.v[1]->backend = "bpf";
		assert_int_equal(ft_hist_write(m, FT_HIST_FMT_CSV, p.v, p.n), 0);
		assert_int_equal(ft_hist_write(m, FT_HIST_FMT_CSV, p.v, 1), 0);
		fclose(m);
		assert_true(buf ==
			    strstr(buf, "# sys:ev backend=hist trigger=hist:keys=bytes_req.log2:"));
		assert_non_null(strstr(buf, "\n\n# sys:ev backend=bpf trigger=hist:keys=common_pid."
					    "execname:"));
		assert_int_equal(strstr(strstr(buf, "call_site.sym") + 1, "# sys:ev") == NULL, 1);
		free(buf);
		parsed_free(&p);
	}
	parse_fixture("sym", &p);
	out = write_to_string(ft_hist_write_csv, p.v[0]);
	assert_non_null(strstr(out,
			       "call_site,call_site_sym,hitcount,bytes_req,bytes_alloc\n"
			       "0xffffffffa5a7c3f0,tomoyo_find_next_domain,42,172032,172032\n"));
	free(out);
	parsed_free(&p);

	parse_fixture("log2", &p);
	out = write_to_string(ft_hist_write_csv, p.v[0]);
	assert_non_null(
		strstr(out, "bytes_req_lo,bytes_req_hi,hitcount,bytes_alloc\n33,65,9,576\n"));
	free(out);
	parsed_free(&p);

	parse_fixture("exec-strings", &p);
	out = write_to_string(ft_hist_write_csv, p.v[0]);
	assert_non_null(strstr(out, "\n\"/tmp/odd dir, a:b {c}/run it, now: {1}\",1490,1\n"));
	free(out);
	parsed_free(&p);

	parse_fixture("vals-percent", &p);
	out = write_to_string(ft_hist_write_csv, p.v[0]);
	assert_non_null(strstr(out, "common_pid,common_pid_comm,hitcount,bytes_req_percent,"
				    "bytes_alloc_graph\n1080,sh,11,1.71,8\n"));
	free(out);
	parsed_free(&p);
}

static void test_folded(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	struct parsed p;
	FILE *m;

	parse_fixture("stacktrace", &p);
	m = open_memstream(&buf, &len);
	ft_hist_write_folded(m, p.v[0], 0);
	fclose(m);
	assert_true(len > 0);
	assert_non_null(
		strstr(buf, "secondary_startup_64_no_verify;start_kernel;arch_call_rest_init;"
			    "rest_init;cpu_startup_entry;do_idle;schedule_idle;__schedule 97\n"));
	assert_true(buf == strstr(buf, "secondary_startup_64_no_verify;start_kernel;"));
	free(buf);
	parsed_free(&p);
}

/* Stacks that differ only in their offsets are one folded line, weights summed (FIG-4). */
static void test_folded_merge(void **state)
{
	static const char *const frames[3][2] = { { "__schedule+0x5a/0x720", "schedule+0x23/0x80" },
						  { "__schedule+0x66/0x720", "schedule+0x23/0x80" },
						  { "(no stack)", NULL } };
	struct ft_hist *h = ft_hist_alloc("sched:sched_switch", "", "bpf");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	assert_non_null(h);
	h->nkeys = 1, h->nvals = 1;
	h->keys[0] =
		(struct ft_hist_col){ .name = "stacktrace", .modifier = "", .kind = FT_KEY_STACK };
	h->vals[0] = (struct ft_hist_col){ .name = "hitcount", .modifier = "" };
	for (int i = 0; i < 3; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		assert_non_null(e);
		e->keys[0].kind = FT_KEY_STACK;
		e->keys[0].frames = (const char **)frames[i];
		e->keys[0].nframes = frames[i][1] ? 2 : 1;
		e->vals[0] = (uint64_t)(i + 1) * 10;
	}
	m = open_memstream(&buf, &len);
	ft_hist_write_folded(m, h, 0);
	fclose(m);
	assert_string_equal(buf, "schedule;__schedule 30\n(no stack) 30\n");
	free(buf);
	ft_hist_free(h);
}

static void test_stats(void **state)
{
	struct ft_hist_stats s;
	struct parsed p;

	parse_fixture("log2", &p);
	assert_int_equal(ft_hist_stats(p.v[0], 0, 0, &s), 0);
	assert_false(s.exact);
	assert_int_equal(s.count, 882);
	assert_float_equal(s.min, 9, 1e-9); /* ~ 2^4 starts at 9 */
	assert_float_equal(s.max, 4096, 1e-9);
	/* 441st of 882: 425 are below 65, the ~ 2^7 bucket (65..128) holds 82 */
	assert_float_equal(s.p50, 65 + 64.0 * 16 / 82, 1e-9);
	assert_float_equal(s.p99, 2049 + 2048.0 * (0.99 * 882 - 716) / 166, 1e-9);
	parsed_free(&p);

	parse_fixture("buckets", &p);
	assert_int_equal(ft_hist_stats(p.v[0], 0, 0, &s), 0);
	assert_float_equal(s.p50, 64 + 64.0 * (457 - 434) / 105, 1e-9);
	assert_float_equal(s.p90, 4096 + 64.0 * (0.9 * 914 - 748) / 166, 1e-9);
	assert_float_equal(s.max, 4159, 1e-9);
	parsed_free(&p);

	/* exact keys: nearest rank; execname keys are not numbers */
	parse_fixture("syscall-ret", &p);
	assert_int_equal(ft_hist_stats(p.v[0], 0, 0, &s), -EINVAL);
	assert_int_equal(ft_hist_stats(p.v[0], 1, 0, &s), 0);
	assert_true(s.exact);
	assert_false(s.is_signed);
	assert_true(s.min == 0);
	/* FIG-7: the largest ret in the file is -2 as the kernel prints it (%llu); a double
	 * made it 2^64 */
	assert_true(s.max == UINT64_C(18446744073709551614));
	assert_true(s.exact_p[0] == 0);
	assert_true(s.exact_p[1] == 457);
	p.v[0]->keys[1].is_signed = true; /* ret is a long */
	assert_int_equal(ft_hist_stats(p.v[0], 1, 0, &s), 0);
	assert_true(s.is_signed);
	assert_true((int64_t)s.min == -25);
	assert_true((int64_t)s.max == INT64_C(140700655235072));
	parsed_free(&p);

	parse_fixture("paused", &p);
	assert_int_equal(ft_hist_stats(p.v[0], 0, 0, &s), -ENODATA);
	assert_true(isnan(ft_hist_percentile(p.v[0], 0, 0, 50)));
	parsed_free(&p);
}

static void test_diff(void **state)
{
	struct ft_hist_diff d;
	struct parsed a, b, c;
	char *t;

	parse_fixture("execname", &a);
	t = fixture_read("vm-6.1/events/sched/sched_switch/hist");
	b.text = t;
	assert_int_equal(ft_hist_parse(t, strlen(t), NULL, NULL, &b.v, &b.n), 0);
	assert_int_equal(ft_hist_diff(a.v[0], b.v[0], NULL, &d), 0);
	/* <idle>: 188 -> 21 is the largest change */
	assert_int_equal(d.v[0].delta, -167);
	assert_string_equal(d.v[0].a->keys[0].str, "<idle>");
	for (size_t i = 1; i < d.n; i++)
		assert_true(llabs(d.v[i - 1].delta) >= llabs(d.v[i].delta));
	assert_int_equal(d.n - d.appeared - d.disappeared + d.unchanged + d.disappeared,
			 a.v[0]->nentries);
	assert_int_equal(d.n - d.disappeared + d.unchanged, b.v[0]->nentries);
	assert_true(d.appeared > 0 && d.disappeared > 0);
	ft_hist_diff_release(&d);
	assert_int_equal(ft_hist_diff(a.v[0], b.v[0], "bytes", &d), -ENOENT);
	parse_fixture("log2", &c);
	assert_int_equal(ft_hist_diff(a.v[0], c.v[0], NULL, &d), -EINVAL);
	parsed_free(&c);
	parsed_free(&a);
	parsed_free(&b);
}

static void test_delta(void **state)
{
	struct parsed a, b;
	struct ft_hist *d;
	char *t = fixture_read("vm-6.1/events/sched/sched_switch/hist");

	parse_fixture("execname", &a);
	b.text = t;
	assert_int_equal(ft_hist_parse(t, strlen(t), NULL, NULL, &b.v, &b.n), 0);
	b.v[0]->taken_mono = (struct timespec){ 10, 0 };
	a.v[0]->taken_mono = (struct timespec){ 12, 0 };
	/* 53 hits then 489: per-key growth, 2 s apart */
	d = ft_hist_delta(b.v[0], a.v[0]);
	assert_non_null(d);
	assert_int_equal(d->hits, 489 - 53);
	assert_int_equal(d->interval_ns, 2000000000);
	assert_int_equal(d->nentries, a.v[0]->nentries);
	assert_string_equal(d->entries[0].keys[0].str, "<idle>");
	assert_int_equal(d->entries[0].vals[0], 188 - 21);
	assert_float_equal(ft_hist_rate(d, &d->entries[0], 0), (188 - 21) / 2.0, 1e-9);
	ft_hist_free(d);
	/* the same snapshot twice: nothing happened */
	d = ft_hist_delta(a.v[0], a.v[0]);
	assert_int_equal(d->hits, 0);
	assert_int_equal(ft_hist_sum(d, 0), 0);
	assert_float_equal(ft_hist_rate(d, &d->entries[0], 0), 0, 0);
	ft_hist_free(d);
	/* fewer hits than before: the table was cleared; the new counts are whole */
	d = ft_hist_delta(a.v[0], b.v[0]);
	assert_int_equal(d->hits, 53);
	assert_int_equal(ft_hist_sum(d, 0), 53);
	ft_hist_free(d);
	parsed_free(&a);
	parsed_free(&b);
}

/* A hist of one number key and hitcount: key @keys[i] counted @counts[i] times. */
static struct ft_hist *num_hist(const uint64_t *keys, const uint64_t *counts, size_t n)
{
	struct ft_hist *h = ft_hist_alloc("syscalls:sys_enter_read", "", "bpf");

	assert_non_null(h);
	h->nkeys = h->nvals = 1;
	h->keys[0] = (struct ft_hist_col){ "count", "", FT_KEY_NUM, false, true };
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		assert_non_null(e);
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_NUM, .num = keys[i] };
		e->vals[0] = counts[i];
		h->hits += counts[i];
	}
	return h;
}

/*
 * Deltas match keys whatever the order: the same order, shifted by an entry that appeared
 * or went, and one key moved far away (delta_match() tries the entry after the last match
 * first, then the index).
 */
static void test_delta_order(void **state)
{
	static const uint64_t pk[] = { 1, 2, 3, 4, 5, 6, 7, 8 }, pc[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	/* 9 is new, 3 went, 7 moved to the end and 8 to the front; 1 grew */
	static const uint64_t ck[] = { 8, 1, 2, 9, 4, 5, 6, 7 }, cc[] = { 1, 5, 1, 2, 1, 1, 1, 4 };
	static const uint64_t want[] = { 0, 4, 0, 2, 0, 0, 0, 3 };
	struct ft_hist *prev = num_hist(pk, pc, 8), *cur = num_hist(ck, cc, 8), *d;

	(void)state;
	d = ft_hist_delta(prev, cur);
	assert_non_null(d);
	assert_int_equal(d->nentries, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(d->entries[i].keys[0].num, ck[i]);
		assert_int_equal(d->entries[i].vals[0], want[i]);
	}
	assert_int_equal(d->hits, 16 - 8);
	ft_hist_free(d);
	/* The same keys in the same order: each found as the one after the last. */
	d = ft_hist_delta(prev, prev);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(d->entries[i].vals[0], 0);
	ft_hist_free(d);
	ft_hist_free(prev);
	ft_hist_free(cur);
}

/*
 * An empty first snapshot matches any columns: a hist file without rows names its keys but
 * not which are strings (biolatency -F keys on rwbs, a char array, with hist triggers: NUM
 * until a row shows STR); a snapshot with rows whose columns differ is still refused.
 */
static void test_delta_empty_prev(void **state)
{
	static const uint64_t k[] = { 1, 2 }, c[] = { 3, 4 };
	struct ft_hist *prev = num_hist(NULL, NULL, 0), *cur = num_hist(k, c, 2), *d;

	(void)state;
	cur->keys[0].kind = FT_KEY_STR;
	d = ft_hist_delta(prev, cur);
	assert_non_null(d);
	assert_int_equal(d->nentries, 2);
	assert_int_equal(d->entries[0].vals[0], 3);
	assert_int_equal(d->entries[1].vals[0], 4);
	assert_int_equal(d->hits, 7);
	ft_hist_free(d);
	ft_hist_free(prev);
	prev = num_hist(k, c, 1);
	errno = 0;
	assert_null(ft_hist_delta(prev, cur));
	assert_int_equal(errno, EINVAL);
	ft_hist_free(prev);
	ft_hist_free(cur);
}

static void write_file(const char *dir, const char *rel, const char *a, const char *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(a, f);
	fputs(b, f);
	fclose(f);
}

/* The source reads the event's hist file through tfs.c and picks a hist by name. */
static void test_source(void **state)
{
	char *multi = fixture_read(HIST_DIR "multi.hist"),
	     *named = fixture_read(HIST_DIR "named.hist");
	struct ft_source *src;
	struct fake_env env;
	struct ft_hist *h;
	struct ft_tfs *t;
	char both[128 * 1024];

	fake_env_open(&env, "vm-6.1");
	assert_non_null(t = env.tfs);
	snprintf(both, sizeof(both), "%s\n\n%s", multi, named);
	write_file(env.tree, "events/sched/sched_switch/hist", both, "");
	src = ft_hist_source_alloc(t, NULL, "sched", "sched_switch", "ftcap_shared");
	assert_int_equal(ft_source_snapshot(src, &h), 0);
	assert_string_equal(h->name, "ftcap_shared");
	assert_string_equal(h->event, "sched:sched_switch");
	assert_string_equal(src->label, "sched:sched_switch name=ftcap_shared (hist)");
	ft_hist_free(h);
	ft_source_destroy(src);
	src = ft_hist_source_alloc(t, NULL, "sched", "sched_switch", NULL);
	assert_int_equal(ft_source_snapshot(src, &h), 0);
	assert_int_equal(h->hits, 11788);
	ft_hist_free(h);
	ft_source_destroy(src);
	src = ft_hist_source_alloc(t, NULL, "sched", "sched_switch", "nope");
	assert_int_equal(ft_source_snapshot(src, &h), -ESRCH);
	ft_source_destroy(src);
	/* the kernel lists no hist: an empty hist file; no hist file at all: no hist triggers */
	write_file(env.tree, "events/sched/sched_switch/hist", "", "");
	src = ft_hist_source_alloc(t, NULL, "sched", "sched_switch", NULL);
	assert_int_equal(ft_source_snapshot(src, &h), -ENOENT);
	ft_source_destroy(src);
	src = ft_hist_source_alloc(t, NULL, "sched", "sched_process_exit", NULL);
	assert_int_equal(ft_source_snapshot(src, &h), -ENOENT);
	ft_source_destroy(src);
	fake_env_close(&env);
	free(multi);
	free(named);
}

/* sys_exit's ret is a long: the format makes the key column signed. */
static void test_signed_from_format(void **state)
{
	char *ret = fixture_read(HIST_DIR "syscall-ret.hist");
	struct ft_source *src;
	struct fake_env env;
	struct ft_hist **v;
	struct ft_tfs *t;
	size_t n;

	fake_env_open(&env, "vm-6.1");
	assert_non_null(t = env.tfs);
	write_file(env.tree, "events/sched/sched_process_exit/hist", ret, "");
	/* sched_process_exit has "int pid" (signed) and no "ret": the column stays unsigned */
	src = ft_hist_source_alloc(t, NULL, "sched", "sched_process_exit", NULL);
	assert_int_equal(ft_source_collect(src, &v, &n), 0);
	ft_source_destroy(src);
	assert_int_equal(n, 1);
	assert_false(v[0]->keys[1].is_signed);
	v[0]->keys[1].name = "pid";
	{
		char *text = fixture_read("vm-6.1/events/sched/sched_process_exit/format");
		struct ft_event_format *fmt;

		assert_int_equal(ft_format_parse("sched", text, &fmt), 0);
		ft_hist_apply_format(v[0], fmt);
		assert_true(v[0]->keys[1].is_signed);
		ft_format_free(fmt);
		free(text);
	}
	ft_hist_free_all(v, n);
	fake_env_close(&env);
	free(ret);
}

/*
 * FIG-7, H20/H21: numbers past 2^64 - 1 (tests/fixtures/derived/hugenum.hist, made from
 * buckets.hist as its README says) are flagged by the parser, saturated rather than wrapped,
 * and refused by the loader that diff and stats use.
 */
static void test_overflow(void **state)
{
	char *text = fixture_read("derived/hugenum.hist"), err[256];
	struct ft_hist **v;
	size_t n;

	assert_non_null(text);
	assert_int_equal(ft_hist_parse(text, strlen(text), "sys:ev", NULL, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0]->nentries, 10); /* the row is kept, not dropped */
	assert_int_equal(v[0]->noverflowed, 2);
	assert_non_null(strstr(v[0]->overflowed[0], "18446744073709551721"));
	assert_true(v[0]->entries[1].vals[0] == UINT64_MAX);
	assert_true(v[0]->hits == UINT64_MAX);
	ft_hist_free_all(v, n);

	err[0] = '\0';
	assert_int_equal(ft_hist_load(text, strlen(text), &v, &n, err, sizeof(err)), -EINVAL);
	assert_null(v);
	assert_non_null(strstr(err, "2^64-1"));
	assert_non_null(strstr(err, "18446744073709551721"));
	free(text);

	/* 2^64 - 1 itself is a u64 and is read as such */
	text = strdup("# event histogram\n#\n# trigger info: hist:keys=x:vals=hitcount [active]\n"
		      "#\n\n{ x: 18446744073709551615 } hitcount:          1\n");
	assert_int_equal(ft_hist_load(text, strlen(text), &v, &n, err, sizeof(err)), 0);
	assert_true(v[0]->entries[0].keys[0].num == UINT64_MAX);
	assert_int_equal(v[0]->noverflowed, 0);
	ft_hist_free_all(v, n);
	free(text);

	/* a JSON dump's value past 2^64 - 1 likewise */
	text = strdup(
		"{\"format\":\"ftrig-hist\",\"version\":1,\"hists\":[{\"keys\":[{\"name\":"
		"\"x\",\"type\":\"number\"}],\"values\":[{\"name\":\"hitcount\"}],"
		"\"entries\":[{\"key\":[{\"value\":1}],\"values\":[18446744073709551616]}]}]}");
	err[0] = '\0';
	assert_int_equal(ft_hist_load(text, strlen(text), &v, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "2^64-1"));
	free(text);
}

/* H17: hist rows without their header are text, not JSON with a bad member name. */
static void test_load_text_not_json(void **state)
{
	size_t len = 20000, n;
	char *text = malloc(len + 64), err[256];
	struct ft_hist **v;

	strcpy(text, "{ comm: ");
	memset(text + 8, 'x', len);
	strcpy(text + 8 + len, " } hitcount: 1\n");
	err[0] = '\0';
	assert_int_equal(ft_hist_load(text, strlen(text), &v, &n, err, sizeof(err)), -EINVAL);
	assert_null(strstr(err, "member name"));
	assert_non_null(strstr(err, "kernel hist file"));
	free(text);
}

static void test_load_errors(void **state)
{
	static const char *const bad[] = {
		"{\"format\":\"other\",\"hists\":[]}",
		"{\"format\":\"ftrig-hist\",\"version\":2,\"hists\":[]}",
		"{\"format\":\"ftrig-hist\",\"version\":1,\"hists\":[{\"keys\":[{\"name\":\"a\","
		"\"type\":\"bogus\"}]}]}",
		"{\"format\":\"ftrig-hist\",\"version\":1,\"hists\":[{\"keys\":[{\"name\":\"a\"}],"
		"\"values\":[],\"entries\":[{\"key\":[],\"values\":[]}]}]}",
		"{\"format\":",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		"just words",
	};
	struct ft_hist **v;
	char err[128];
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ft_hist_load(bad[i], strlen(bad[i]), &v, &n, err, sizeof(err)),
				 -EINVAL);
		assert_true(err[0] != '\0');
		assert_null(v);
	}
}

/* Rows appended at once are rows as one at a time makes them: zeroed, each its own room,
 * no handler lines, the array grown for them; and rows after them still fit. */
static void test_add_entries(void **state)
{
	struct ft_hist *h = ft_hist_alloc("test:ev", "", "bpf");
	struct ft_hist_entry *e;
	struct ft_hist_actions *a;

	(void)state;
	assert_non_null(h);
	h->nkeys = 1;
	h->nvals = 2;
	assert_non_null(ft_hist_add_entry(h));
	a = ft_hist_entry_actions_add(h, &h->entries[0]);
	assert_non_null(a);
	a->n = 1;
	e = ft_hist_add_entries(h, 1000);
	assert_non_null(e);
	assert_ptr_equal(e, &h->entries[1]);
	assert_int_equal(h->nentries, 1001);
	for (size_t i = 0; i < 1000; i++) {
		assert_int_equal(e[i].keys[0].kind, 0);
		assert_int_equal(e[i].keys[0].num, 0);
		assert_int_equal(e[i].vals[0] | e[i].vals[1], 0);
		assert_null(ft_hist_entry_actions(h, &e[i]));
		assert_ptr_equal(e[i].vals, (uint64_t *)(void *)(e[i].keys + 1));
		e[i].keys[0].num = i;
		e[i].vals[0] = i + 1;
		e[i].vals[1] = i + 2;
	}
	assert_non_null(ft_hist_add_entry(h));
	assert_int_equal(h->nentries, 1002);
	for (size_t i = 0; i < 1000; i++) {
		e = &h->entries[i + 1];
		assert_int_equal(e->keys[0].num, i);
		assert_int_equal(e->vals[0], i + 1);
		assert_int_equal(e->vals[1], i + 2);
	}
	assert_int_equal(ft_hist_entry_actions(h, &h->entries[0])->n, 1);
	assert_null(ft_hist_add_entries(h, 0));
	assert_int_equal(h->nentries, 1002);
	ft_hist_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_totals),
		cmocka_unit_test(test_text_round_trip),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_typed_keys_numbers),
		cmocka_unit_test(test_typed_keys_symbols_buckets),
		cmocka_unit_test(test_typed_keys_strings),
		cmocka_unit_test(test_typed_keys_stacks),
		cmocka_unit_test(test_values_and_trigger),
		cmocka_unit_test(test_handlers),
		cmocka_unit_test(test_robustness),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_folded_merge),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_delta_order),
		cmocka_unit_test(test_delta_empty_prev),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_signed_from_format),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_load_text_not_json),
		cmocka_unit_test(test_add_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
