// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command table and option parsing: exit codes for every kind of command line, and the
 * commands run against a fake tracefs tree (no root needed).
 */
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

#define RUN(...)                                                          \
	({                                                                \
		char *argv[] = { "ftrig", __VA_ARGS__, NULL };            \
		ft_main((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv); \
	})

static void test_table_rows_complete(void **state)
{
	static const char *const names[] = { "info", "list", "cleanup", "help" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct ft_cmd *c = ft_cmd_find(names[i]);

		assert_non_null(c);
		assert_string_equal(c->name, names[i]);
		assert_non_null(c->summary);
		assert_true(strlen(c->summary) > 10);
		assert_non_null(c->usage);
		assert_memory_equal(c->usage, names[i], strlen(names[i]));
	}
	assert_null(ft_cmd_find("nope"));
}

static void test_global_options(void **state)
{
	char *none[] = { "ftrig", NULL };

	assert_int_equal(ft_main(1, none), FT_EXIT_USAGE);
	assert_int_equal(RUN("--version"), FT_EXIT_OK);
	assert_int_equal(RUN("--help"), FT_EXIT_OK);
	assert_int_equal(RUN("help"), FT_EXIT_OK);
	assert_int_equal(RUN("help", "cleanup"), FT_EXIT_OK);
	assert_int_equal(RUN("help", "nope"), FT_EXIT_USAGE);
	assert_int_equal(RUN("nope"), FT_EXIT_USAGE);
	assert_int_equal(RUN("info", "--help"), FT_EXIT_OK);
	assert_int_equal(RUN("list", "events", "-h"), FT_EXIT_OK);
}

static void test_usage_errors(void **state)
{
	assert_int_equal(RUN("info", "--bogus"), FT_EXIT_USAGE);
	assert_int_equal(RUN("info", "-x"), FT_EXIT_USAGE);
	assert_int_equal(RUN("info", "extra"), FT_EXIT_USAGE);
	assert_int_equal(RUN("info", "--require"), FT_EXIT_USAGE);
	assert_int_equal(RUN("list"), FT_EXIT_USAGE);
	assert_int_equal(RUN("list", "things"), FT_EXIT_USAGE);
	assert_int_equal(RUN("list", "events", "a", "b"), FT_EXIT_USAGE);
	assert_int_equal(RUN("cleanup"), FT_EXIT_USAGE);
	assert_int_equal(RUN("cleanup", "--stale", "now"), FT_EXIT_USAGE);
}

/* A state dir of its own beside the fake tree: commands create it, teardown removes it. */
static int fake_setup(void **state)
{
	char *tree = fake_tfs_create("host-6.18"), sd[4200];

	assert_non_null(tree);
	snprintf(sd, sizeof(sd), "%s.state", tree);
	setenv("FTRIG_TRACEFS", tree, 1);
	setenv("FTRIG_STATE_DIR", sd, 1);
	*state = tree;
	return 0;
}

static int fake_teardown(void **state)
{
	fake_tfs_destroy(strdup(getenv("FTRIG_STATE_DIR")));
	fake_tfs_destroy(*state);
	unsetenv("FTRIG_TRACEFS");
	unsetenv("FTRIG_STATE_DIR");
	return 0;
}

static void test_commands_on_fake_tree(void **state)
{
	assert_int_equal(RUN("info"), FT_EXIT_OK);
	assert_int_equal(RUN("info", "--json"), FT_EXIT_OK);
	assert_int_equal(RUN("info", "--require", "uprobe_events,instances"), FT_EXIT_OK);
	assert_int_equal(RUN("info", "--require", "kprobe_events"), FT_EXIT_ERR);
	assert_int_equal(RUN("info", "--require", "warp_drive"), FT_EXIT_USAGE);
	assert_int_equal(RUN("list", "events"), FT_EXIT_OK);
	assert_int_equal(RUN("list", "events", "sched:*", "--fields"), FT_EXIT_OK);
	assert_int_equal(RUN("list", "events", "--json", "--fields", "openat"), FT_EXIT_ERR);
	assert_int_equal(RUN("list", "events", "--json", "--fields", "*openat"), FT_EXIT_OK);
	assert_int_equal(RUN("list", "events", "nothing:here"), FT_EXIT_ERR);
	assert_int_equal(RUN("cleanup", "--stale"), FT_EXIT_OK);
}

static void test_missing_tracefs(void **state)
{
	char sd[] = "/tmp/ftrig-unit-state.XXXXXX";

	/* never the real state dir: cleanup --all must not reach it even by mistake */
	assert_non_null(mkdtemp(sd));
	setenv("FTRIG_STATE_DIR", sd, 1);
	setenv("FTRIG_TRACEFS", "/nonexistent/tracing", 1);
	assert_int_equal(RUN("info"), FT_EXIT_ERR);
	assert_int_equal(RUN("list", "events"), FT_EXIT_ERR);
	assert_int_equal(RUN("cleanup", "--all"), FT_EXIT_ERR);
	unsetenv("FTRIG_TRACEFS");
	unsetenv("FTRIG_STATE_DIR");
	fake_tfs_destroy(strdup(sd));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rows_complete),
		cmocka_unit_test(test_global_options),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test_setup_teardown(test_commands_on_fake_tree, fake_setup,
						fake_teardown),
		cmocka_unit_test(test_missing_tracefs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
