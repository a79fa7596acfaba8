// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracefs boundary against a fake tree (SEC-6, #15): names that would leave it are
 * refused before any write, and no write goes through a symlink, with openat2() and with the
 * component-by-component fallback used where the kernel lacks it.
 */
// wrap: syscall
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include <tracefs.h>

#include "faketfs.h"
#include "format.h"
#include "log.h"
#include "tfs.h"
#include "util.h"

/* Pretend the kernel has no openat2() (before 5.6), to reach the fallback. */
static bool no_openat2;

long __real_syscall(long n, ...);
long __wrap_syscall(long n, ...);
long __wrap_syscall(long n, ...)
{
	long a[5];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < 5; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_openat2 && no_openat2) {
		errno = ENOSYS;
		return -1;
	}
	return __real_syscall(n, a[0], a[1], a[2], a[3], a[4]);
}

struct fixture {
	struct fake_env env;
	char *tree; /* env's */
	char victim[64];
	struct ft_tfs *tfs; /* env's */
};

static const char victim_text[] = "# Available triggers:\n# traceon traceoff\n";

static void put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *dir, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

/*
 * A victim tree outside tracefs that looks like an instance, reached from the fake tracefs
 * by a symlinked instance "x" and a symlinked trigger file of instance "y".
 */
static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char path[PATH_MAX];

	fake_env_open(&fx->env, "host-6.18");
	assert_non_null(fx->env.tfs);
	fx->tree = fx->env.tree;
	fx->tfs = fx->env.tfs;
	strcpy(fx->victim, "/tmp/ftrig-victim.XXXXXX");
	assert_non_null(mkdtemp(fx->victim));
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch", fx->victim);
	assert_int_equal(ft_mkdir_p(path, 0755), 0);
	put(fx->victim, "events/sched/sched_switch/trigger", victim_text);
	put(fx->victim, "file", victim_text);
	link_to(fx->victim, fx->tree, "instances/x");
	snprintf(path, sizeof(path), "%s/instances/y/events/sched/sched_switch", fx->tree);
	assert_int_equal(ft_mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/file", fx->victim);
	link_to(path, fx->tree, "instances/y/events/sched/sched_switch/trigger");
	link_to(path, fx->tree, "instances/y/buffer_size_kb");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	fake_env_close(&fx->env);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->victim);
	assert_int_equal(system(cmd), 0);
	free(fx);
	no_openat2 = false;
	return 0;
}

static void victim_untouched(struct fixture *fx)
{
	char *a = fake_read(fx->victim, "events/sched/sched_switch/trigger");
	char *b = fake_read(fx->victim, "file");

	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, victim_text);
	assert_string_equal(b, victim_text);
	free(a);
	free(b);
}

static void no_way_out(void **state)
{
	struct fixture *fx = *state;
	struct ft_tfs *t = fx->tfs;
	char *s;

	/* Names that climb out are refused before anything is opened. */
	assert_int_equal(ft_tfs_trigger_write(t, "..", "sched", "sched_switch", "traceon", false),
			 -EINVAL);
	assert_int_equal(ft_tfs_trigger_write(t, "../../../../tmp/x", "sched", "sched_switch",
					      "traceon", false),
			 -EINVAL);
	assert_int_equal(ft_tfs_event_enable(t, NULL, "..", "..", true), -EINVAL);
	assert_int_equal(ft_tfs_event_filter(t, NULL, "sched", "../x", "0"), -EINVAL);
	assert_int_equal(ft_tfs_instance_set(t, "x", "../file", "1"), -EINVAL);
	assert_int_equal(ft_tfs_instance_create(t, ".."), -EINVAL);
	assert_int_equal(ft_tfs_instance_destroy(t, "a/b"), -EINVAL);
	assert_int_equal(ft_tfs_dynevent_write(t, "../file", "p:x/y z"), -EINVAL);
	assert_null(ft_tfs_read(t, NULL, "../README", NULL));
	assert_false(ft_tfs_instance_exists(t, ".."));

	/* Valid names, but the path goes through a symlink: not followed. */
	assert_true(ft_tfs_trigger_write(t, "x", "sched", "sched_switch", "traceon", false) < 0);
	assert_true(ft_tfs_trigger_write(t, "y", "sched", "sched_switch", "traceon", false) < 0);
	assert_true(ft_tfs_instance_set(t, "y", "buffer_size_kb", "1") < 0);
	assert_false(ft_tfs_instance_exists(t, "x"));
	assert_null(ft_tfs_event_read(t, "x", "sched", "sched_switch", "trigger", NULL));
	assert_true(ft_tfs_open_file(t, "x", "events/sched/sched_switch/trigger", O_RDONLY) < 0);
	assert_true(ft_tfs_instance_destroy(t, "x") < 0);
	victim_untouched(fx);

	/* What is inside the tree still works. */
	assert_int_equal(ft_tfs_trigger_write(t, NULL, "sched", "sched_switch", "traceon", false),
			 0);
	s = ft_tfs_event_read(t, NULL, "sched", "sched_switch", "trigger", NULL);
	assert_non_null(s);
	assert_non_null(strstr(s, "traceon"));
	free(s);
	assert_int_equal(ft_tfs_instance_create(t, "fresh"), 0);
	assert_int_equal(ft_tfs_instance_create(t, "fresh"), -EEXIST);
	assert_true(ft_tfs_instance_exists(t, "fresh"));
	assert_int_equal(ft_tfs_instance_destroy(t, "fresh"), 0);
}

static void test_openat2(void **state)
{
	no_way_out(state);
}

static void test_fallback(void **state)
{
	no_openat2 = true;
	no_way_out(state);
}

static char logged[4096];

static void sink(enum ft_log_level level, const char *msg, void *data)
{
	size_t n = strlen(logged);

	snprintf(logged + n, sizeof(logged) - n, "%d %s\n", (int)level, msg);
}

/* Provoke a warning of each library: one from libtracefs, one from libtraceevent's parser. */
static void provoke(void)
{
	struct ft_event_format *fmt = NULL;

	logged[0] = '\0';
	assert_int_equal(tracefs_instance_destroy(NULL), -1);
	assert_int_not_equal(ft_format_parse("s", "garbage\n", &fmt), 0);
	ft_format_free(fmt);
}

/*
 * The libraries' warnings reach the log sink (the live view's, while curses owns the
 * screen), never stderr: at debug level, as ftrig says what failed in its own words.
 */
static void test_library_warnings(void **state)
{
	(void)state;
	ft_tfs_log_libraries();
	ft_log_set_sink(sink, NULL);
	ft_log_set_verbosity(FT_LOG_DEBUG);
	provoke();
	assert_non_null(strstr(logged, "3 libtracefs: Cannot remove top instance\n"));
	assert_non_null(
		strstr(logged, "3 libtraceevent: Error: expected 'name' but read 'garbage'"));
	/* without --debug, the sink drops them */
	ft_log_set_verbosity(FT_LOG_INFO);
	provoke();
	assert_string_equal(logged, "");
	ft_log_set_sink(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_openat2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
		cmocka_unit_test(test_library_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
