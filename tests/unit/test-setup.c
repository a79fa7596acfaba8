// SPDX-License-Identifier: GPL-2.0-only
/* Setup files: words, comments, continuations, settings, errors with file:line, plan order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "setup/setup.h"

static struct ft_setup *parse_ok(const char *text)
{
	struct ft_setup *s;
	char err[512] = "";

	if (ft_setup_parse("t.ftrig", text, &s, err, sizeof(err)))
		fail_msg("unexpected error: %s", err);
	return s;
}

static void expect_error(const char *text, const char *msg)
{
	struct ft_setup *s;
	char err[512] = "";

	assert_int_equal(ft_setup_parse("t.ftrig", text, &s, err, sizeof(err)), -EINVAL);
	assert_null(s);
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
}

static void test_words_comments_continuations(void **state)
{
	struct ft_setup *s = parse_ok("# a comment\n"
				      "\n"
				      "  probe add /bin/true:main   # trailing comment\n"
				      "trigger add sched:sched_switch \\\n"
				      "   'traceon if prev_pid == 1' # not a word\n"
				      "ftrig hist start \"sched:sched_wakeup\" --key pid \\\n"
				      "  --filter \"comm == \\\"a b\\\"\"\n"
				      "enable sched:sched_switch\n"
				      "trigger add a:b 'x\n"
				      "y'\n"
				      "probe add /x:y#notacomment\n");

	assert_int_equal(s->nlines, 6);
	assert_int_equal(s->lines[0].lineno, 3);
	assert_int_equal(s->lines[0].kind, FT_SETUP_PROBE);
	assert_int_equal(s->lines[0].argc, 3);
	assert_string_equal(s->lines[0].argv[2], "/bin/true:main");
	assert_null(s->lines[0].argv[3]);
	assert_int_equal(s->lines[1].lineno, 4);
	assert_int_equal(s->lines[1].argc, 4);
	assert_string_equal(s->lines[1].argv[3], "traceon if prev_pid == 1");
	assert_int_equal(s->lines[2].lineno, 6);
	assert_string_equal(s->lines[2].argv[0], "hist");
	assert_string_equal(s->lines[2].argv[2], "sched:sched_wakeup");
	assert_string_equal(s->lines[2].argv[6], "comm == \"a b\"");
	assert_int_equal(s->lines[2].kind, FT_SETUP_TRIGGER);
	assert_int_equal(s->lines[3].lineno, 8);
	assert_int_equal(s->lines[3].kind, FT_SETUP_ENABLE);
	assert_int_equal(s->lines[4].lineno, 9);
	assert_string_equal(s->lines[4].argv[3], "x\ny");
	assert_int_equal(s->lines[5].lineno, 11);
	assert_string_equal(s->lines[5].argv[2], "/x:y#notacomment");
	ft_setup_free(s);
}

static void test_settings(void **state)
{
	struct ft_setup *s = parse_ok("instance lat$\nbuffer-size 8192\ndump-dir /tmp/d\n"
				      "trigger add a:b traceon\n"
				      "trigger add --instance other a:b traceoff\n");
	int argc;
	char **argv;

	assert_string_equal(s->instance, "lat$");
	assert_int_equal(s->buffer_kb, 8192);
	assert_string_equal(s->dump_dir, "/tmp/d");
	argv = ft_setup_exec_argv(s, &s->lines[3], &argc);
	assert_int_equal(argc, 6);
	assert_string_equal(argv[2], "--instance");
	assert_string_equal(argv[3], "lat$");
	assert_string_equal(s->lines[3].key, "trigger add --instance 'lat$' a:b traceon");
	free(argv);
	argv = ft_setup_exec_argv(s, &s->lines[4], &argc);
	assert_int_equal(argc, 6);
	assert_string_equal(argv[3], "other");
	free(argv);
	ft_setup_free(s);
}

static void test_errors_name_the_line(void **state)
{
	expect_error("# 1\n# 2\n# 3\n# 4\n# 5\n# 6\nprobe rm foo\n",
		     "t.ftrig:7: 'probe rm' cannot");
	expect_error("trigger add a:b \\\n 'unclosed\n\n", "t.ftrig:1: the single quote");
	expect_error("\n\nhist start a:b --key x --dry-run\n", "t.ftrig:3: drop --dry-run");
	expect_error("instance a\ninstance b\n", "t.ftrig:2: 'instance' is set twice");
	expect_error("instance\n", "t.ftrig:1: 'instance' takes one value");
	expect_error("instance a/b\n", "not an instance name");
	expect_error("instance a\nbuffer-size lots\n", "t.ftrig:2: buffer-size takes kilobytes");
	expect_error("buffer-size 64\n", "buffer-size needs an instance");
	expect_error("\nenable sched\n", "t.ftrig:2: enable takes SYSTEM:EVENT");
	expect_error("frobnicate\n", "t.ftrig:1: 'frobnicate' cannot");
	expect_error("enable a:b\n# x\nenable  'a:b'\n", "t.ftrig:3: this line repeats line 1");
}

static void test_quote_round_trip(void **state)
{
	char *argv[] = { "trigger", "add", "a:b", "hist:keys=pid if comm == \"it's\"", "", "$x" };
	struct ft_setup *s;
	char *q = ft_setup_quote(6, argv), *line;

	assert_string_equal(q, "trigger add a:b 'hist:keys=pid if comm == \"it'\\''s\"' '' '$x'");
	assert_true(asprintf(&line, "%s\n", q) > 0);
	s = parse_ok(line);
	assert_int_equal(s->lines[0].argc, 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(s->lines[0].argv[i], argv[i]);
	ft_setup_free(s);
	free(line);
	free(q);
}

static void test_plan_order(void **state)
{
	struct ft_setup *s =
		parse_ok("hist start u:x --key a --backend bpf\n"
			 "trigger add c:d 'hist:keys=pid:onmatch(a.b).trace(lat,$ts0)'\n"
			 "trigger add a:b 'hist:keys=pid:ts0=common_timestamp'\n"
			 "enable a:b\n"
			 "synth 'lat u64 lat'\n"
			 "probe add /bin/true:main\n"
			 "instance i\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(ft_setup_plan_format(f, s), 0);
	fclose(f);
	assert_string_equal(buf, "t.ftrig:7: instance i\n"
				 "t.ftrig:6: probe add /bin/true:main\n"
				 "t.ftrig:5: synth 'lat u64 lat'\n"
				 "t.ftrig:4: enable --instance i a:b\n"
				 "t.ftrig:3: trigger add --instance i a:b "
				 "hist:keys=pid:ts0=common_timestamp\n"
				 "t.ftrig:2: trigger add --instance i c:d "
				 "'hist:keys=pid:onmatch(a.b).trace(lat,$ts0)'\n"
				 "t.ftrig:1: hist start u:x --key a --backend bpf\n");
	free(buf);
	ft_setup_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_comments_continuations),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_quote_round_trip),
		cmocka_unit_test(test_plan_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
