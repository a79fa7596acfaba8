// SPDX-License-Identifier: GPL-2.0-only
/*
 * execsnoop's and opensnoop's pure parts: their options (the shared parser with their rows'
 * letters), a successful exec's argument area split into arguments (src/bpf/snooper.c), and
 * the lines and JSON objects they print (src/tools/execsnoop.c, src/tools/opensnoop.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bpf/snooper.h"
#include "cmd.h"
#include "commands.h"
#include "tools/tools.h"

/* The rows of src/cmd-tools.c. */
static const struct ft_tool es = { "execsnoop", "pcdTjx=", 0, 0, NULL };
static const struct ft_tool os = { "opensnoop", "pcdTjx=", 0, 0, NULL };

#define PARSE(t, o, ...)                                                                  \
	({                                                                                \
		char *argv[] = { (char *)(t)->name, __VA_ARGS__, NULL };                  \
		ft_tool_opts_parse(ft_cmd_find((t)->name), (t),                           \
				   (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv, (o)); \
	})

static void test_opts(void **state)
{
	struct ft_tool_opts o;

	(void)state;
	assert_int_equal(PARSE(&es, &o, "-x", "-p", "12", "-c", "bash", "-d", "2.5", "-T", "-j"),
			 0);
	assert_true(o.failed && o.timestamp && o.json);
	assert_int_equal(o.pid, 12);
	assert_string_equal(o.comm, "bash");
	assert_true(o.duration == 2.5);
	assert_int_equal(o.nargs, 0);
	assert_int_equal(PARSE(&os, &o, "--failed", "--pid=7", "--comm", "cat", "--timestamp"), 0);
	assert_true(o.failed && o.timestamp && !o.json);
	assert_int_equal(o.pid, 7);
	/* none of the counting tools' options, no operands, values checked */
	assert_int_equal(PARSE(&es, &o, "-i", "1"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&es, &o, "--live"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "--backend", "hist"), 0);
	assert_string_equal(o.backend, "hist");
	assert_int_equal(PARSE(&es, &o, "--backend", "both"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "--backend", "x"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "-L"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "--top", "3"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&es, &o, "/bin/true"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "-p", "0"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "-p", "x"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&os, &o, "-d", "0"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&es, &o, "-c", "0123456789abcdef"), FT_EXIT_USAGE);
	assert_int_equal(PARSE(&es, &o, "-c"), FT_EXIT_USAGE);
}

/* An argument area of @n bytes, as the new program's memory has it. */
static void blob(struct ft_snoop_rec *r, const char *area, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->flags = FT_SNOOP_BLOB;
	r->blob = (uint32_t)n;
	memcpy(r->args, area, n);
}

static void test_split(void **state)
{
	static const char area[] = "/bin/true\0snoopmark\0007\0two words";
	struct ft_snoop_rec *r = calloc(1, sizeof(*r));
	char big[sizeof(r->args)];
	size_t at = 0;

	(void)state;
	assert_non_null(r);
	/* argv[0] dropped (the file name is its own column), each NUL-ended one a slot */
	blob(r, area, sizeof(area));
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, 3);
	assert_string_equal(r->args[0], "snoopmark");
	assert_string_equal(r->args[1], "7");
	assert_string_equal(r->args[2], "two words");
	assert_false(r->flags & (FT_SNOOP_BLOB | FT_SNOOP_TRUNC));
	assert_int_equal(r->blob, 0);
	/* the area cut in the middle of its last argument: what is there */
	blob(r, area, sizeof(area) - 4);
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, 3);
	assert_string_equal(r->args[2], "two wo");
	/* only argv[0] */
	blob(r, "prog", 5);
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, 0);
	/* more than FT_SNOOP_ARGS after argv[0]: the first ones, marked */
	for (int i = 0; i <= FT_SNOOP_ARGS + 1; i++)
		at += (size_t)snprintf(big + at, sizeof(big) - at, "a%d", i) + 1;
	blob(r, big, at);
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, FT_SNOOP_ARGS);
	assert_string_equal(r->args[0], "a1");
	assert_string_equal(r->args[FT_SNOOP_ARGS - 1], "a20");
	assert_true(r->flags & FT_SNOOP_TRUNC);
	/* exactly FT_SNOOP_ARGS: not marked */
	blob(r, big, at - 4);
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, FT_SNOOP_ARGS);
	assert_false(r->flags & FT_SNOOP_TRUNC);
	/* an argument longer than a slot is cut to it */
	memset(big, 'x', sizeof(big));
	big[0] = 'p';
	big[1] = '\0';
	big[2 + 300] = '\0';
	blob(r, big, 2 + 301);
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, 1);
	assert_int_equal(strlen(r->args[0]), FT_SNOOP_ARG - 1);
	/* a record read at the entry is left as it is */
	memset(r, 0, sizeof(*r));
	r->argc = 1;
	strcpy(r->args[0], "kept");
	ft_snoop_rec_split(r);
	assert_int_equal(r->argc, 1);
	assert_string_equal(r->args[0], "kept");
	free(r);
}

/* What @fn printed of @r with @o, in @buf. */
#define PRINTED(buf, fn, r, o, rel, wall)                     \
	({                                                    \
		FILE *f_ = fmemopen((buf), sizeof(buf), "w"); \
		assert_non_null(f_);                          \
		fn((r), (o), (rel), (wall), f_);              \
		fclose(f_);                                   \
		(const char *)(buf);                          \
	})
#define HEADER(buf, fn, o)                                    \
	({                                                    \
		FILE *f_ = fmemopen((buf), sizeof(buf), "w"); \
		assert_non_null(f_);                          \
		fn((o), f_);                                  \
		fclose(f_);                                   \
		(const char *)(buf);                          \
	})

static struct ft_snoop_rec *exec_rec(void)
{
	struct ft_snoop_rec *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->kind = FT_SNOOP_EXEC;
	r->pid = 4242;
	r->tid = 4242;
	r->ppid = 17;
	strcpy(r->comm, "true");
	strcpy(r->file, "/bin/true");
	strcpy(r->args[0], "snoopmark");
	strcpy(r->args[1], "two words");
	r->argc = 2;
	return r;
}

static void test_execsnoop_text(void **state)
{
	struct ft_tool_opts o = { 0 };
	struct ft_snoop_rec *r = exec_rec();
	char buf[4096];

	(void)state;
	/* bcc's columns; -T the time of day of the return */
	assert_string_equal(HEADER(buf, ft_execsnoop_header, &o),
			    "PCOMM            PID     PPID    RET ARGS\n");
	assert_string_equal(PRINTED(buf, ft_execsnoop_line, r, &o, 1.5, 0),
			    "true             4242    17        0 /bin/true snoopmark two words\n");
	o.timestamp = true;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(HEADER(buf, ft_execsnoop_header, &o),
			    "TIME     PCOMM            PID     PPID    RET ARGS\n");
	assert_string_equal(
		PRINTED(buf, ft_execsnoop_line, r, &o, 1.5, 3723.9),
		"01:02:03 true             4242    17        0 /bin/true snoopmark two words\n");
	/* a failure's -errno, a name that could not be read, more arguments than kept */
	o.timestamp = false;
	r->ret = -2;
	r->flags = FT_SNOOP_NOFILE | FT_SNOOP_TRUNC;
	strcpy(r->comm, "fifteen-chars-x");
	assert_string_equal(PRINTED(buf, ft_execsnoop_line, r, &o, 0, 0),
			    "fifteen-chars-x  4242    17       -2 ? snoopmark two words ...\n");
	/* hist triggers do not know the parent: "-", not a number */
	r->flags = FT_SNOOP_NOPPID;
	assert_string_equal(PRINTED(buf, ft_execsnoop_line, r, &o, 0, 0),
			    "fifteen-chars-x  4242    -        -2 /bin/true snoopmark two words\n");
	o.json = true;
	assert_non_null(strstr(PRINTED(buf, ft_execsnoop_line, r, &o, 0, 0), "\"ppid\":null,"));
	free(r);
}

static void test_execsnoop_json(void **state)
{
	struct ft_tool_opts o = { .json = true };
	struct ft_snoop_rec *r = exec_rec();
	char buf[4096];

	(void)state;
	assert_string_equal(PRINTED(buf, ft_execsnoop_line, r, &o, 0, 1700000000.25),
			    "{\"time\":1700000000.25,\"pcomm\":\"true\",\"pid\":4242,\"tid\":4242,"
			    "\"ppid\":17,\"ret\":0,\"filename\":\"/bin/true\","
			    "\"args\":[\"snoopmark\",\"two words\"],\"truncated\":false}\n");
	r->ret = -13;
	r->argc = 0;
	r->flags = FT_SNOOP_NOFILE | FT_SNOOP_TRUNC;
	strcpy(r->comm, "sh\"x");
	assert_string_equal(PRINTED(buf, ft_execsnoop_line, r, &o, 0, 2),
			    "{\"time\":2,\"pcomm\":\"sh\\\"x\",\"pid\":4242,\"tid\":4242,"
			    "\"ppid\":17,\"ret\":-13,\"filename\":null,\"args\":[],"
			    "\"truncated\":true}\n");
	free(r);
}

static void test_opensnoop(void **state)
{
	struct ft_tool_opts o = { 0 };
	struct ft_snoop_rec r;
	char buf[1024];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.kind = FT_SNOOP_OPEN;
	r.pid = 301;
	r.tid = 302;
	r.ret = 3;
	strcpy(r.comm, "cat");
	strcpy(r.file, "/etc/hosts");
	assert_string_equal(HEADER(buf, ft_opensnoop_header, &o),
			    "PID    COMM               FD ERR PATH\n");
	assert_string_equal(PRINTED(buf, ft_opensnoop_line, &r, &o, 0, 0),
			    "301    cat                 3   0 /etc/hosts\n");
	/* a failure: FD -1, ERR the errno; -T the seconds since tracing began */
	r.ret = -2;
	o.timestamp = true;
	assert_string_equal(HEADER(buf, ft_opensnoop_header, &o),
			    "TIME(s)        PID    COMM               FD ERR PATH\n");
	assert_string_equal(PRINTED(buf, ft_opensnoop_line, &r, &o, 1.25, 0),
			    "1.250000000    301    cat                -1   2 /etc/hosts\n");
	o.timestamp = false;
	r.flags = FT_SNOOP_NOFILE;
	assert_string_equal(PRINTED(buf, ft_opensnoop_line, &r, &o, 0, 0),
			    "301    cat                -1   2 ?\n");
	o.json = true;
	assert_string_equal(PRINTED(buf, ft_opensnoop_line, &r, &o, 0, 5.5),
			    "{\"time\":5.5,\"pid\":301,\"tid\":302,\"comm\":\"cat\",\"fd\":-1,"
			    "\"err\":2,\"path\":null}\n");
	r.flags = 0;
	r.ret = 4;
	assert_string_equal(PRINTED(buf, ft_opensnoop_line, &r, &o, 0, 5.5),
			    "{\"time\":5.5,\"pid\":301,\"tid\":302,\"comm\":\"cat\",\"fd\":4,"
			    "\"err\":0,\"path\":\"/etc/hosts\"}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts),	       cmocka_unit_test(test_split),
		cmocka_unit_test(test_execsnoop_text), cmocka_unit_test(test_execsnoop_json),
		cmocka_unit_test(test_opensnoop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
