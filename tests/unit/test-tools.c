// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tools' shared options (src/tools/opts.c): bcc's letters with one meaning each, the
 * values checked, a tool taking only its own; and a recipe's spec words.
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

#include "cmd.h"
#include "commands.h"
#include "hist/hist.h"
#include "tools/tools.h"

/* o->args point into argv, which is gone after PARSE: only for results other than args. */
#define PARSE(t, o, ...)                                                                  \
	({                                                                                \
		char *argv[] = { (char *)(t)->name, __VA_ARGS__, NULL };                  \
		ft_tool_opts_parse(ft_cmd_find((t)->name), (t),                           \
				   (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv, (o)); \
	})

static const struct ft_tool fc = { "funccount", "pcdiTj+=#", 1, 1, NULL };
static const struct ft_tool sc = { "syscount", "pcdiTjxLP+=^", 0, 0, NULL };
static const struct ft_tool bl = { "biolatency", "diTjDQmF@+=", 0, 0, NULL };

/* What the tools say of events their table did not count as they were: a full table is a
 * loss (a warning); an index insert the kernel refused is counted apart, said with its
 * reason, and never called a full table. */
static void test_table_note(void **state)
{
	struct ft_hist h = { .dropped = 0 };
	char buf[512];

	assert_null(ft_tool_table_note(&h, "bio", true, buf, sizeof(buf)));
	assert_null(ft_tool_table_note(&h, "bio", false, buf, sizeof(buf)));
	h.unindexed = 2;
	h.index_err = EBUSY;
	assert_null(ft_tool_table_note(&h, "bio", true, buf, sizeof(buf)));
	assert_non_null(ft_tool_table_note(&h, "bio", false, buf, sizeof(buf)));
	assert_string_equal(buf, "bio: the kernel refused 2 index inserts (Device or resource "
				 "busy): their events were counted in slots of their own and "
				 "merged, none lost");
	assert_null(strstr(buf, "full"));
	h.index_err = 0;
	assert_non_null(ft_tool_table_note(&h, "bio", false, buf, sizeof(buf)));
	assert_non_null(strstr(buf, "(no reason kept)"));
	h.unindexed = 0;
	h.dropped = 3;
	assert_non_null(ft_tool_table_note(&h, "bio", true, buf, sizeof(buf)));
	assert_string_equal(buf, "bio: 3 events not counted: its table was full (fewer keys: -p, "
				 "-c, a narrower pattern)");
	assert_null(ft_tool_table_note(&h, "bio", false, buf, sizeof(buf)));
	h.missed = 2;
	assert_non_null(ft_tool_table_note(&h, "bio", true, buf, sizeof(buf)));
	assert_string_equal(buf, "bio: 3 events not counted: its table was full (fewer keys: -p, "
				 "-c, a narrower pattern); 2 events not counted: the kernel "
				 "skipped its BPF program (BPF already running on their CPU)");
	h.dropped = 0;
	assert_non_null(ft_tool_table_note(&h, "bio", true, buf, sizeof(buf)));
	assert_string_equal(buf, "bio: 2 events not counted: the kernel skipped its BPF program "
				 "(BPF already running on their CPU)");
	assert_null(ft_tool_table_note(&h, "bio", false, buf, sizeof(buf)));
	(void)state;
}

static void test_opts_good(void **state)
{
	/* out here, not in PARSE's block: o.args points into these words */
	char *words[] = { "funccount", "-p",	    "12",   "-c",    "bash", "-d",
			  "1.5",       "-i",	    "0.5",  "-T",    "-j",   "--max",
			  "50",	       "--backend", "hist", "vfs_*", NULL };
	struct ft_tool_opts o;

	(void)state;
	assert_int_equal(ft_tool_opts_parse(ft_cmd_find("funccount"), &fc,
					    (int)(sizeof(words) / sizeof(words[0])) - 1, words, &o),
			 0);
	assert_int_equal(o.pid, 12);
	assert_string_equal(o.comm, "bash");
	assert_true(o.duration == 1.5 && o.interval == 0.5);
	assert_true(o.timestamp && o.json && !o.live);
	assert_int_equal(o.max, 50);
	assert_string_equal(o.backend, "hist");
	assert_int_equal(o.nargs, 1);
	assert_string_equal(o.args[0], "vfs_*");
	assert_int_equal(PARSE(&sc, &o, "-L", "-P", "-x", "--top", "3", "--pid=7"), 0);
	assert_true(o.latency && o.by_process && o.failed);
	assert_int_equal(o.top, 3);
	assert_int_equal(o.pid, 7);
	assert_int_equal(o.nargs, 0);
}

static void test_opts_bad(void **state)
{
	struct ft_tool_opts o;

	(void)state;
	/* values */
	assert_int_equal(PARSE(&fc, &o, "-p", "0", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "-p", "12x", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "-d", "0.01", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "-i", "nan", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "-c", "a-name-longer-than-15", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "--backend", "both", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "--max", "0", "x:y"), FT_EXIT_USAGE);
	/* a tool takes only its own: -L is syscount's, --max funccount's */
	assert_int_equal(PARSE(&fc, &o, "-L", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&sc, &o, "--max", "5"), FT_EXIT_USAGE);
	/* operands */
	assert_int_equal(PARSE(&fc, &o, "-T"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&sc, &o, "extra"), FT_EXIT_USAGE);
	/* the view has its own interval and end */
	assert_int_equal(PARSE(&sc, &o, "--live", "-i", "1"), FT_EXIT_USAGE);
}

static void test_words(void **state)
{
	struct ft_tool_spec s = { 0 };

	(void)state;
	assert_int_equal(ft_tool_word(&s, "%s:%s", "syscalls", "sys_enter_open*"), 0);
	assert_int_equal(ft_tool_word(&s, "--key"), 0);
	assert_int_equal(ft_tool_size(&s), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.words[0], "syscalls:sys_enter_open*");
	assert_string_equal(s.words[2], "--size");
	/* full: refused, not truncated */
	while (!ft_tool_word(&s, "%0200d", 1))
		;
	assert_true(s.n <= FT_TOOL_MAX_WORDS);
	assert_int_equal(strlen(s.words[s.n - 1]), 200);
}

static void test_opts_biolatency(void **state)
{
	struct ft_tool_opts o;

	(void)state;
	assert_int_equal(PARSE(&bl, &o, "-D", "-Q", "-m", "--disk", "vda"), 0);
	assert_true(o.per_disk && o.queued && o.msecs && !o.per_flags);
	assert_string_equal(o.disk, "vda");
	assert_int_equal(PARSE(&bl, &o, "--flags", "--queued", "--milliseconds", "--disks"), 0);
	assert_true(o.per_disk && o.queued && o.msecs && o.per_flags);
	/* a name of /sys/class/block, never a path */
	assert_int_equal(PARSE(&bl, &o, "--disk", "../vda"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&bl, &o, "--disk", ".."), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&bl, &o, "--disk", ""), FT_EXIT_USAGE);
	/* its letters are its own, and it takes neither -p nor operands */
	assert_int_equal(PARSE(&sc, &o, "-D"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&fc, &o, "-Q", "x:y"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&bl, &o, "-p", "1"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&bl, &o, "vda"), FT_EXIT_USAGE);
}

/* The kernel's log2 bucket: ilog2(roundup_pow_of_two(x)), 0 and 1 in bucket 0. */
static void test_log2_of(void **state)
{
	static const struct {
		uint64_t x;
		unsigned n;
	} cases[] = { { 0, 0 }, { 1, 0 }, { 2, 1 },	{ 3, 2 },     { 4, 2 },		 { 5, 3 },
		      { 8, 3 }, { 9, 4 }, { 1024, 10 }, { 1025, 11 }, { UINT64_MAX, 64 } };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned n = ft_tool_log2_of(cases[i].x);

		assert_int_equal(n, cases[i].n);
		/* the bounds the printers show hold it */
		assert_true(cases[i].x >= ft_log2_lo(n));
		assert_true(cases[i].x < ft_log2_hi(n) || ft_log2_hi(n) == UINT64_MAX);
	}
}

/* Write @text to @dir/@rel, making its directories. */
static void put(const char *dir, const char *rel, const char *text)
{
	char path[512], cmd[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Disk names both ways through a sysfs tree laid out as the kernel's (6.18's vda, loop7). */
static void test_disks(void **state)
{
	char dir[] = "/tmp/ftrig-test-sysfs.XXXXXX", name[64], cmd[128];
	uint64_t dev = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "dev/block/254:0/uevent", "MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n");
	put(dir, "dev/block/7:7/uevent", "MAJOR=7\nMINOR=7\nDEVNAME=loop7\n");
	put(dir, "dev/block/8:1/uevent", "MAJOR=8\nMINOR=1\nDEVTYPE=partition\n");
	put(dir, "class/block/vda/dev", "254:0\n");
	put(dir, "class/block/odd/dev", "garbage\n");
	assert_int_equal(ft_tool_disk_name(dir, 254ULL << 20, name, sizeof(name)), 0);
	assert_string_equal(name, "vda");
	assert_int_equal(ft_tool_disk_name(dir, 7ULL << 20 | 7, name, sizeof(name)), 0);
	assert_string_equal(name, "loop7");
	/* unknown, or no DEVNAME: MAJOR:MINOR */
	assert_int_equal(ft_tool_disk_name(dir, 9ULL << 20 | 3, name, sizeof(name)), -ENOENT);
	assert_string_equal(name, "9:3");
	assert_int_equal(ft_tool_disk_name(dir, 8ULL << 20 | 1, name, sizeof(name)), -ENOENT);
	assert_string_equal(name, "8:1");
	assert_int_equal(ft_tool_disk_dev(dir, "vda", &dev), 0);
	assert_true(dev == 254ULL << 20);
	assert_int_equal(ft_tool_disk_dev(dir, "nosuch", &dev), -ENOENT);
	assert_int_equal(ft_tool_disk_dev(dir, "odd", &dev), -EINVAL);
	assert_int_equal(ft_tool_disk_dev(dir, "../class/block/vda", &dev), -EINVAL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_note),	cmocka_unit_test(test_opts_good),
		cmocka_unit_test(test_opts_bad),	cmocka_unit_test(test_words),
		cmocka_unit_test(test_opts_biolatency), cmocka_unit_test(test_log2_of),
		cmocka_unit_test(test_disks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
