// SPDX-License-Identifier: GPL-2.0-only
/* Names that become tracefs and bpffs path components (SEC-6, SEC-7c, H31, #15). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf/ftbpf.h"
#include "ledger.h"
#include "names.h"

static void refused(enum ft_name_kind kind, const char *name, const char *msg)
{
	char why[512] = "";

	if (ft_name_check(kind, name, why, sizeof(why)) != -EINVAL)
		fail_msg("kind %d: '%s' accepted", kind, name);
	if (!strstr(why, msg))
		fail_msg("kind %d: '%s': message '%s' lacks '%s'", kind, name, why, msg);
}

static void accepted(enum ft_name_kind kind, const char *name)
{
	char why[512] = "";

	if (ft_name_check(kind, name, why, sizeof(why)))
		fail_msg("kind %d: '%s' refused: %s", kind, name, why);
}

/* Every kind refuses what would leave its directory, whatever else it allows. */
static void test_no_kind_climbs_out(void **state)
{
	static const char *const evil[] = { "..",   ".",    "a/b", "../../../../tmp/x", "/etc", "",
					    "a\tb", "a\nb", "a b" };

	for (int k = FT_NAME_INSTANCE; k <= FT_NAME_AGG; k++) {
		for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++)
			refused(k, evil[i], "");
		refused(k, NULL, "empty");
	}
	refused(FT_NAME_INSTANCE, "..", "'.' and '..'");
	refused(FT_NAME_INSTANCE, "a/b", "without '/'");
	refused(FT_NAME_INSTANCE, "a\033b", "control character");
}

static void test_instance(void **state)
{
	char longname[300];

	accepted(FT_NAME_INSTANCE, "lat");
	accepted(FT_NAME_INSTANCE, "ftrig-1234");
	accepted(FT_NAME_INSTANCE, "my.inst");
	accepted(FT_NAME_INSTANCE, "...");
	memset(longname, 'i', 255);
	longname[255] = '\0';
	accepted(FT_NAME_INSTANCE, longname);
	longname[255] = 'i';
	longname[256] = '\0';
	refused(FT_NAME_INSTANCE, longname, "the limit is 255");
}

static void test_existing_events(void **state)
{
	accepted(FT_NAME_SYSTEM, "sched");
	accepted(FT_NAME_SYSTEM, "9p");
	accepted(FT_NAME_SYSTEM, "ftrig_123");
	accepted(FT_NAME_EVENT, "sys_enter_openat");
	accepted(FT_NAME_EVENT, "sched_switch");
	refused(FT_NAME_SYSTEM, "sch*", "ftrig list events");
	refused(FT_NAME_EVENT, "a:b", "ftrig list events");
	refused(FT_NAME_EVENT, "..", "'.' and '..'");
}

/* The kernel's is_good_name() and is_good_system_name(), and MAX_EVENT_NAME_LEN. */
static void test_new_dynamic_events(void **state)
{
	char n64[65];

	accepted(FT_NAME_GROUP, "ftrig");
	accepted(FT_NAME_GROUP, "ftrig_42");
	accepted(FT_NAME_GROUP, "my-group");
	refused(FT_NAME_GROUP, "1grp", "not a digit first");
	refused(FT_NAME_GROUP, "a.b", "letters, digits, '_' and '-'");
	accepted(FT_NAME_PROBE, "open_1");
	accepted(FT_NAME_PROBE, "_x");
	refused(FT_NAME_PROBE, "a-b", "letters, digits and '_'");
	refused(FT_NAME_PROBE, "9x", "not a digit first");
	memset(n64, 'p', 63);
	n64[63] = '\0';
	accepted(FT_NAME_PROBE, n64);
	n64[63] = 'p';
	n64[64] = '\0';
	refused(FT_NAME_PROBE, n64, "the limit is 63");
}

/* H31: a long name is refused, never cut short; SEC-7c: '..' never names a pin dir. */
static void test_agg(void **state)
{
	char n300[301];

	accepted(FT_NAME_AGG, "relhalf");
	accepted(FT_NAME_AGG, "syscalls-sys_enter_getppid");
	accepted(FT_NAME_AGG, "ft1234a");
	refused(FT_NAME_AGG, "bad.name", "bpffs refuses");
	refused(FT_NAME_AGG, "..", "'.' and '..'");
	memset(n300, 'a', 300);
	n300[300] = '\0';
	refused(FT_NAME_AGG, n300, "300 bytes long and the limit is 63");
}

static void test_relpath(void **state)
{
	assert_int_equal(ft_name_relpath("README", NULL, 0), 0);
	assert_int_equal(ft_name_relpath("per_cpu/cpu0/trace_pipe_raw", NULL, 0), 0);
	assert_int_equal(ft_name_relpath("events/header_page", NULL, 0), 0);
	assert_int_equal(ft_name_relpath("../x", NULL, 0), -EINVAL);
	assert_int_equal(ft_name_relpath("a/../x", NULL, 0), -EINVAL);
	assert_int_equal(ft_name_relpath("a//x", NULL, 0), -EINVAL);
	assert_int_equal(ft_name_relpath("a/", NULL, 0), -EINVAL);
	assert_int_equal(ft_name_relpath("/etc/passwd", NULL, 0), -EINVAL);
	assert_int_equal(ft_name_relpath("", NULL, 0), -EINVAL);
	assert_int_equal(ft_name_relpath(NULL, NULL, 0), -EINVAL);
}

/* Make @path (a file, or a directory when it ends in '/') under @root. */
static void make(const char *root, const char *path)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, path);
	if (p[strlen(p) - 1] == '/') {
		assert_int_equal(mkdir(p, 0700), 0);
		return;
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static bool there(const char *root, const char *path)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, path);
	return access(p, F_OK) == 0;
}

/*
 * SEC-7c: ft_bpf_unpin() removes one directory right below bpffs/ftrig and the pins in it,
 * and nothing else: not ftrig/.. (every pin at the root of bpffs), not through a symlink.
 */
static void test_unpin_guard(void **state)
{
	char root[] = "/tmp/ftrig-bpffs.XXXXXX", p[512], cmd[600];

	assert_non_null(mkdtemp(root));
	setenv("FTRIG_BPFFS", root, 1);
	make(root, "ftrig/");
	make(root, "someone_elses_pin");
	make(root, "other/");
	make(root, "other/pin");
	make(root, "ftrig/mine/");
	make(root, "ftrig/mine/link_0");
	snprintf(p, sizeof(p), "%s/other", root);
	assert_int_equal(symlink(p, strcat(strcpy(cmd, root), "/ftrig/evil")), 0);

	static const char *const refused_paths[] = {
		"/ftrig/..",	  "/ftrig/../",	 "/ftrig/.", "/ftrig/",	 "/ftrig/mine/..",
		"/ftrig/a/../..", "/ftrig/evil", "/other",   "/ftrigx/y"
	};
	for (size_t i = 0; i < sizeof(refused_paths) / sizeof(refused_paths[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", root, refused_paths[i]);
		if (ft_bpf_unpin(p) != -EPERM)
			fail_msg("'%s' was not refused", p);
	}
	assert_true(there(root, "someone_elses_pin"));
	assert_true(there(root, "other/pin"));
	assert_true(there(root, "ftrig/mine/link_0"));

	snprintf(p, sizeof(p), "%s/ftrig/mine", root);
	assert_int_equal(ft_bpf_unpin(p), 0);
	assert_false(there(root, "ftrig/mine"));
	assert_int_equal(ft_bpf_unpin(p), -ENOENT);
	assert_true(there(root, "ftrig"));

	/* H31: a name too long to keep whole names no pin dir at all. */
	memset(cmd, 'a', 300);
	cmd[300] = '\0';
	assert_int_equal(ft_bpf_pin_dir(cmd, p, sizeof(p)), -EINVAL);
	assert_int_equal(ft_bpf_pin_dir("..", p, sizeof(p)), -EINVAL);

	unsetenv("FTRIG_BPFFS");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

/* An event's name splits at its first ':' or '/' into two non-empty parts, and no more. */
static void test_event_split(void **state)
{
	static const struct {
		const char *name, *sys, *ev; /* sys NULL: refused */
	} cases[] = {
		{ "sched:sched_switch", "sched", "sched_switch" },
		{ "sched/sched_switch", "sched", "sched_switch" },
		{ "a:b", "a", "b" },
		{ "sched", NULL, NULL },
		{ "", NULL, NULL },
		{ ":sched_switch", NULL, NULL },
		{ "/sched_switch", NULL, NULL },
		{ "sched:", NULL, NULL },
		{ "sched/", NULL, NULL },
		{ "a:b:c", NULL, NULL },
		{ "a/b:c", NULL, NULL },
		{ "a:b/c", NULL, NULL },
		{ "../..", "..", ".." }, /* a form, not a check of the parts (ft_name_event()) */
	};
	char sys[16] = "old", ev[16] = "old";
	const char *e = NULL;
	size_t n = 99;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = ft_event_split(cases[i].name, &n, &e);

		if (!cases[i].sys) {
			assert_int_equal(ret, -EINVAL);
			assert_int_equal(ft_event_split_copy(cases[i].name, sys, sizeof(sys), ev,
							     sizeof(ev)),
					 -EINVAL);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(n, strlen(cases[i].sys));
		assert_memory_equal(cases[i].name, cases[i].sys, n);
		assert_string_equal(e, cases[i].ev);
		assert_int_equal(
			ft_event_split_copy(cases[i].name, sys, sizeof(sys), ev, sizeof(ev)), 0);
		assert_string_equal(sys, cases[i].sys);
		assert_string_equal(ev, cases[i].ev);
	}
	/* A part that does not fit (its NUL included): refused, the buffers untouched. */
	strcpy(sys, "old");
	strcpy(ev, "old");
	assert_int_equal(ft_event_split_copy("sched:sched_switch", sys, 5, ev, sizeof(ev)),
			 -ENAMETOOLONG);
	assert_int_equal(ft_event_split_copy("sched:sched_switch", sys, sizeof(sys), ev, 12),
			 -ENAMETOOLONG);
	assert_string_equal(sys, "old");
	assert_string_equal(ev, "old");
	assert_int_equal(ft_event_split_copy("sched:sched_switch", sys, 6, ev, 13), 0);
	assert_string_equal(sys, "sched");
	assert_string_equal(ev, "sched_switch");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_kind_climbs_out),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_existing_events),
		cmocka_unit_test(test_new_dynamic_events),
		cmocka_unit_test(test_agg),
		cmocka_unit_test(test_relpath),
		cmocka_unit_test(test_unpin_guard),
		cmocka_unit_test(test_event_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
