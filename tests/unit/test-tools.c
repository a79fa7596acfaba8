// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tools' shared options (src/tools/opts.c): bcc's letters with one meaning each, the
 * values checked, a tool taking only its own; and a recipe's spec words.
 */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_good),
		cmocka_unit_test(test_opts_bad),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
