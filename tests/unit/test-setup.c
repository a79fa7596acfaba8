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
#include <unistd.h>

#include <cmocka.h>

#include "setup/plan.h"
#include "serve/export.h"
#include "setup/setup.h"
#include "writes.h"

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
	/* strtoul() would take -5 as 18446744073709551611 (S11). */
	expect_error("instance a\nbuffer-size -5\n", "t.ftrig:2: buffer-size takes kilobytes");
	expect_error("instance a\nbuffer-size +5\n", "t.ftrig:2: buffer-size takes kilobytes");
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
	size_t *o = ft_setup_order(s);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(o);
	for (size_t i = 0; i < s->nlines; i++)
		fprintf(f, "%s:%u: %s\n", s->path, s->lines[o[i]].lineno, s->lines[o[i]].key);
	fclose(f);
	free(o);
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

/* A NUL byte is found with its line, instead of ending the text there (S17). */
static void test_nul_line(void **state)
{
	static const char text[] = "instance a\nenable a:b\0 more\n";

	assert_int_equal(ft_setup_nul_line(text, sizeof(text) - 1), 2);
	assert_int_equal(ft_setup_nul_line(text, 11), 0);
	assert_int_equal(ft_setup_nul_line("\0", 1), 1);
}

/* Every write prints as the shell command that makes it, its text quoted for sh. */
static void test_write_format(void **state)
{
	struct ft_writes w = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(ft_writes_tfs(&w, FT_WRITE_APPEND, "/t", "i", "events/a/b/trigger",
				       "traceoff if comm == \"it's\""),
			 0);
	assert_int_equal(ft_writes_tfs(&w, FT_WRITE_SET, "/t", NULL, "events/a/b/enable", "1"), 0);
	assert_int_equal(ft_writes_tfs(&w, FT_WRITE_MKDIR, "/t", "i", "", NULL), 0);
	assert_int_equal(ft_writes_tfs(&w, FT_WRITE_RMDIR, "/t", "i", "", NULL), 0);
	assert_int_equal(ft_writes_add(&w, FT_WRITE_MKDIR_P, "/var/tmp/d", NULL), 0);
	assert_int_equal(ft_writes_add(&w, FT_WRITE_BPF_PIN, "/b/ftrig/n", "the BPF aggregator"),
			 0);
	assert_int_equal(ft_writes_add(&w, FT_WRITE_BPF_UNPIN, "/b/ftrig/n", NULL), 0);
	assert_int_equal(w.n, 7);
	assert_string_equal(w.v[0].path, "/t/instances/i/events/a/b/trigger");
	assert_string_equal(w.v[2].path, "/t/instances/i");
	assert_int_equal(ft_writes_print(&w, f), 0);
	fclose(f);
	assert_string_equal(buf, "echo 'traceoff if comm == \"it'\\''s\"' >> "
				 "/t/instances/i/events/a/b/trigger\n"
				 "echo '1' > /t/events/a/b/enable\n"
				 "mkdir /t/instances/i\n"
				 "rmdir /t/instances/i\n"
				 "mkdir -p /var/tmp/d\n"
				 "load the BPF aggregator and pin it at /b/ftrig/n\n"
				 "rm -r /b/ftrig/n\n");
	free(buf);
	ft_writes_release(&w);
	assert_int_equal(w.n, 0);
}

/* The writes of lines that use what the file creates, from their words alone (SET-2). */
static void test_line_writes(void **state)
{
	struct ft_setup *s = parse_ok("instance i\n"
				      "buffer-size 1024\n"
				      "synth 'lat u64 lat'\n"
				      "enable a:b\n"
				      "enable --instance j c:d\n"
				      "trigger add g:p 'traceoff if x == 1'\n"
				      "trigger add --synth 'l2 u64 v' a:b 'hist:keys=pid'\n"
				      "hist start g:p --key x --name h\n"
				      "hist start g:p --key x --backend bpf --name h2\n"
				      "probe add -g g /bin/true:main\n");
	static const char *const want[] = {
		"mkdir /t/instances/i",
		"echo '1024' > /t/instances/i/buffer_size_kb",
		"echo 's:lat u64 lat' >> /t/dynamic_events",
		"echo '1' > /t/instances/i/events/a/b/enable",
		"echo '1' > /t/instances/j/events/c/d/enable",
		"echo 'traceoff if x == 1' >> /t/instances/i/events/g/p/trigger",
		"echo 's:l2 u64 v' >> /t/dynamic_events\n"
		"echo 'hist:keys=pid' >> /t/instances/i/events/a/b/trigger",
		"echo 'hist:keys=x:name=h' >> /t/instances/i/events/g/p/trigger",
		"load the BPF aggregator on g:p and pin it at /b/ftrig/h2",
		"",
	};

	setenv("FTRIG_BPFFS", "/b", 1);
	assert_int_equal(s->nlines, 10);
	for (size_t i = 0; i < s->nlines; i++) {
		struct ft_writes w = { 0 };
		const char *unknown = NULL;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_int_equal(ft_setup_line_writes(s, &s->lines[i], "/t", true, &w, &unknown),
				 0);
		assert_int_equal(ft_writes_print(&w, f), 0);
		fclose(f);
		if (len)
			buf[len - 1] = '\0';
		if (strcmp(buf, want[i]))
			fail_msg("line %zu: '%s', expected '%s'", i + 1, buf, want[i]);
		/* Only a probe's definition needs what it attaches to. */
		assert_true((unknown != NULL) == (s->lines[i].kind == FT_SETUP_PROBE));
		free(buf);
		ft_writes_release(&w);
	}
	unsetenv("FTRIG_BPFFS");
	ft_setup_free(s);
}

/* A kernel without hist triggers: hist start goes to BPF, as the backend choice would. */
static void test_line_writes_no_hist(void **state)
{
	struct ft_setup *s = parse_ok("hist start g:p --key x\n");
	struct ft_writes w = { 0 };
	const char *unknown = NULL;

	setenv("FTRIG_BPFFS", "/b", 1);
	assert_int_equal(ft_setup_line_writes(s, &s->lines[0], "/t", false, &w, &unknown), 0);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.v[0].op, FT_WRITE_BPF_PIN);
	assert_string_equal(w.v[0].path, "/b/ftrig/g-p");
	ft_writes_release(&w);
	unsetenv("FTRIG_BPFFS");
	ft_setup_free(s);
}

/* Writes checked at the top level move into the instance; others stay. */
static void test_into_instance(void **state)
{
	struct ft_writes w = { 0 };

	assert_int_equal(ft_writes_tfs(&w, FT_WRITE_APPEND, "/t", NULL, "events/a/b/trigger", "x"),
			 0);
	assert_int_equal(ft_writes_tfs(&w, FT_WRITE_APPEND, "/t", NULL, "dynamic_events", "s:y"),
			 0);
	assert_int_equal(ft_writes_into_instance(&w, "/t", "i"), 0);
	assert_string_equal(w.v[0].path, "/t/instances/i/events/a/b/trigger");
	assert_string_equal(w.v[1].path, "/t/dynamic_events");
	ft_writes_release(&w);
}

/* plan's printing: each line as a comment, what apply does with it, then its writes. */
static void test_plan_print(void **state)
{
	struct ft_setup *s = parse_ok("instance i\nenable a:b\nprobe add /x:y\n");
	struct ft_plan p = { 0 };
	struct ft_plan_step *st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st = ft_plan_step_add(&p, 0);
	st->state = FT_PLAN_THERE;
	st = ft_plan_step_add(&p, 2);
	st->unknown = "its definition is known once what it attaches to exists";
	st = ft_plan_step_add(&p, 1);
	st->deferred = true;
	ft_writes_tfs(&st->w, FT_WRITE_SET, "/t", "i", "events/a/b/enable", "1");
	ft_writes_tfs(ft_plan_extra_add(&p, "enable c:d"), FT_WRITE_SET, "/t", "i",
		      "events/c/d/enable", "0");
	assert_int_equal(ft_plan_print(&p, s, f), 0);
	fclose(f);
	assert_string_equal(buf, "# t.ftrig:1: instance i (already applied: nothing to do)\n"
				 "# t.ftrig:3: probe add /x:y\n"
				 "#   its definition is known once what it attaches to exists\n"
				 "# t.ftrig:2: enable --instance i a:b\n"
				 "#   uses what an earlier line creates: checked once that exists, "
				 "before this line writes anything\n"
				 "echo '1' > /t/instances/i/events/a/b/enable\n"
				 "# no longer in t.ftrig: enable c:d\n"
				 "echo '0' > /t/instances/i/events/c/d/enable\n");
	free(buf);
	ft_plan_release(&p);
	ft_setup_free(s);
}

/* dump-dir: refused before any write where mkdir -p cannot make it (S13, SET-4). */
static void test_dump_dir_check(void **state)
{
	char dir[] = "/tmp/ftrig-unit-dump.XXXXXX", sub[300], file[300], why[512];
	bool there = true;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ft_setup_dump_dir_check(dir, &there, why, sizeof(why)), 0);
	assert_true(there);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	assert_int_equal(ft_setup_dump_dir_check(sub, &there, why, sizeof(why)), 0);
	assert_false(there);
	snprintf(file, sizeof(file), "%s/f", dir);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	snprintf(sub, sizeof(sub), "%s/f/x", dir);
	assert_int_equal(ft_setup_dump_dir_check(sub, &there, why, sizeof(why)), -ENOTDIR);
	assert_non_null(strstr(why, "f is not a directory"));
	assert_int_equal(ft_setup_dump_dir_check("/proc/x", &there, why, sizeof(why)), -EPERM);
	assert_false(there);
	assert_non_null(strstr(why, "/proc is on proc"));
	assert_int_equal(ft_setup_dump_dir_check("/proc", &there, NULL, 0), -EPERM);
	assert_int_equal(ft_setup_dump_dir_check("/sys/x/y", &there, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "name a directory on disk"));
	unlink(file);
	rmdir(dir);
}

/* The export line and serve's --attach word (src/serve/export.c). */
static void test_export_words(void **state)
{
	char *ok[] = { "export", "--instance", "lat", "sched:sched_switch", "--limit=20" };
	char *bad1[] = { "export", "sched:sched_switch", "--limit", "20x" };
	char *bad2[] = { "export", "lat/sched:sched_switch" };
	char *bad3[] = { "export", "--limit" };
	struct ft_export e;
	char why[300], in[32], sys[32], ev[32];

	(void)state;
	assert_int_equal(ft_export_parse(5, ok, &e, why, sizeof(why)), 0);
	assert_string_equal(e.instance, "lat");
	assert_string_equal(e.system, "sched");
	assert_string_equal(e.event, "sched_switch");
	assert_string_equal(e.limit, "20");
	assert_int_equal(ft_export_parse(4, bad1, &e, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "--limit takes a number of series"));
	assert_int_equal(ft_export_parse(2, bad2, &e, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "named with --instance"));
	assert_int_equal(ft_export_parse(2, bad3, &e, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "--limit needs a value");
	assert_int_equal(ft_export_parse(1, ok, &e, why, sizeof(why)), -EINVAL);

	assert_int_equal(ft_export_where_parse("lat/sched:sched_switch", in, sizeof(in), sys,
					       sizeof(sys), ev, sizeof(ev)),
			 0);
	assert_string_equal(in, "lat");
	assert_string_equal(sys, "sched");
	assert_int_equal(ft_export_where_parse("sched/sched_switch", in, sizeof(in), sys,
					       sizeof(sys), ev, sizeof(ev)),
			 0);
	assert_string_equal(in, "");
	assert_string_equal(ev, "sched_switch");
	for (const char *const *b = (const char *const[]){ "a/b/c:d", "a:b/c", "/a:b", "a:", ":b",
							   "ab", "a/b:c:d", NULL };
	     *b; b++)
		assert_int_equal(
			ft_export_where_parse(*b, in, sizeof(in), sys, sizeof(sys), ev, sizeof(ev)),
			-EINVAL);
	/* a file with a bad export line is refused whole, naming the line */
	{
		struct ft_setup *s;
		char err[512];

		assert_int_equal(ft_setup_parse("t.ftrig", "enable a:b\nexport a:b --limit x\n", &s,
						err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "t.ftrig:2: --limit takes"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_words),
		cmocka_unit_test(test_words_comments_continuations),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_quote_round_trip),
		cmocka_unit_test(test_plan_order),
		cmocka_unit_test(test_nul_line),
		cmocka_unit_test(test_write_format),
		cmocka_unit_test(test_line_writes),
		cmocka_unit_test(test_line_writes_no_hist),
		cmocka_unit_test(test_into_instance),
		cmocka_unit_test(test_plan_print),
		cmocka_unit_test(test_dump_dir_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
