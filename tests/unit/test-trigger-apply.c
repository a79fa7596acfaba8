// SPDX-License-Identifier: GPL-2.0-only
/*
 * Triggers on a fake tracefs tree (the 6.1 and 6.18 fixtures): nothing is written for a bad
 * spec or a dry run, the kernel's refusal is shown from error_log, ownership is matched by
 * meaning, foreign triggers need their listed text, and rm --ours retries what is busy.
 */
// wrap: write
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <limits.h>
#include <unistd.h>

#include "faketfs.h"
#include "hist/spec.h"
#include "ledger.h"
#include "log.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "writes.h"
#include "histsvc/histsvc.h"

struct fixture {
	struct fake_env env;
	struct ft_trig_ctx c;
};

/* The fake kernel: a log of appends, and appends that fail (how many, with which errno). */
static char writes[4096], logged[4096];
static int fail_count, fail_errno;

/* tfs.c appends to a trigger file with write(): log "SYS/EVENT <- TEXT", or fail. */
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	char rel[PATH_MAX], *end;
	size_t len = strlen(writes);

	if (!fake_tfs_fd_rel(fd, rel, sizeof(rel)) || strncmp(rel, "events/", 7) ||
	    !(end = strstr(rel, "/trigger")))
		return __real_write(fd, buf, n);
	if (fail_count) {
		fail_count--;
		errno = fail_errno;
		return -1;
	}
	*end = '\0';
	snprintf(writes + len, sizeof(writes) - len, "%s <- %.*s\n", rel + 7, (int)n,
		 (const char *)buf);
	return (ssize_t)n; /* the fake trigger file is set by the test, as the kernel lists it */
}

static void sink(enum ft_log_level level, const char *msg, void *data)
{
	size_t n = strlen(logged);

	snprintf(logged + n, sizeof(logged) - n, "%s\n", msg);
}

static void put(const char *tree, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup_tree(void **state, const char *fixture)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fake_env_open(&fx->env, fixture);
	assert_non_null(fx->env.l);
	assert_int_equal(ft_trig_ctx_open(&fx->c, fx->env.tfs, NULL, "sched:sched_switch"), 0);
	writes[0] = logged[0] = '\0';
	fail_count = 0;
	ft_log_set_sink(sink, NULL);
	*state = fx;
	return 0;
}

static int setup_vm(void **state)
{
	return setup_tree(state, "vm-6.1");
}

static int setup_host(void **state)
{
	return setup_tree(state, "host-6.18");
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	ft_log_set_sink(NULL, NULL);
	ft_trig_ctx_close(&fx->c);
	fake_env_close(&fx->env);
	free(fx);
	return 0;
}

/* out: what ftrig printed; a memstream. */
static char *out_buf;
static size_t out_len;

/* The writes of the last dry run, as data. */
static struct ft_writes dry;

static int add(struct fixture *fx, const char *spec, bool dry_run)
{
	FILE *out = open_memstream(&out_buf, &out_len);
	int ret;

	ft_writes_release(&dry);
	ret = ft_trigger_add(&fx->c, fx->env.l, spec, dry_run ? &dry : NULL, out);
	fclose(out);
	return ret;
}

static void test_bad_spec_writes_nothing(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(add(fx, "hist:keys=nxt_pid", false), -EINVAL);
	free(out_buf);
	assert_string_equal(writes, "");
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
	assert_non_null(strstr(logged,
			       "no field 'nxt_pid' in sched:sched_switch; did you mean "
			       "'next_pid'?\n    hist:keys=nxt_pid\n              ^~~~~~~"));
}

static void test_dry_run(void **state)
{
	struct fixture *fx = *state;
	char want[4200];

	assert_int_equal(add(fx, "  traceoff:3 if next_pid == 1 ", true), 0);
	assert_string_equal(out_buf, "");
	free(out_buf);
	/* The dry run returns the write as data: the file and the exact text. */
	assert_int_equal(dry.n, 1);
	assert_int_equal(dry.v[0].op, FT_WRITE_APPEND);
	snprintf(want, sizeof(want), "%s/events/sched/sched_switch/trigger", fx->env.tree);
	assert_string_equal(dry.v[0].path, want);
	assert_string_equal(dry.v[0].text, "traceoff:3 if next_pid == 1");
	ft_writes_release(&dry);
	assert_string_equal(writes, "");
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
}

/* The kernel refuses: its error_log entry is shown under the spec, nothing is journaled. */
static void test_kernel_refusal(void **state)
{
	struct fixture *fx = *state;

	put(fx->env.tree, "error_log",
	    "[   30.1] hist:sched:sched_switch: error: Couldn't find variable\n"
	    "  Command: hist:keys=next_pid:lat=common_timestamp.usecs-$nosuch\n"
	    "                                                          ^\n");
	fail_count = 1;
	fail_errno = EINVAL;
	assert_int_equal(add(fx, "hist:keys=next_pid:lat=common_timestamp.usecs-$nosuch", false),
			 -EINVAL);
	free(out_buf);
	assert_non_null(strstr(logged,
			       "sched:sched_switch: the kernel refused it: Couldn't find "
			       "variable\n    hist:keys=next_pid:lat=common_timestamp.usecs-$"
			       "nosuch\n                                                   ^\n"));
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
}

/* Added, listed by the kernel in its own form, matched as ftrig's; the rest is not. */
static void test_ownership_and_removal(void **state)
{
	struct fixture *fx = *state;
	struct ft_listed *v;
	size_t n;
	FILE *out;

	assert_int_equal(add(fx, "stacktrace:5 if prev_state == 2", false), 0);
	free(out_buf);
	assert_string_equal(writes, "sched/sched_switch <- stacktrace:5 if prev_state == 2\n");
	put(fx->env.tree, "events/sched/sched_switch/trigger",
	    "stacktrace:count=3 if prev_state == 2\ntraceoff:unlimited\n");
	assert_int_equal(ft_trigger_list(fx->env.tfs, NULL, "sched:sched_switch", false, &v, &n),
			 0);
	assert_int_equal(n, 2);
	assert_true(v[0].ours);
	assert_int_equal(v[0].pid, 0);
	assert_string_equal(v[0].written, "stacktrace:5 if prev_state == 2");
	assert_false(v[1].ours);
	ft_listed_free(v, n);

	writes[0] = '\0';
	out = open_memstream(&out_buf, &out_len);
	/* not ftrig's, and not named as listed: refused, nothing written */
	assert_int_equal(ft_trigger_remove(&fx->c, fx->env.l, "traceoff", NULL, out), -EPERM);
	assert_string_equal(writes, "");
	assert_non_null(strstr(logged, "to remove it anyway, name it exactly as listed: ftrig "
				       "trigger rm sched:sched_switch 'traceoff:unlimited'"));
	/* named as listed: removed */
	assert_int_equal(ft_trigger_remove(&fx->c, fx->env.l, "traceoff:unlimited", NULL, out), 0);
	/* ftrig's own, named by its listed form: removed with the text written */
	assert_int_equal(ft_trigger_remove(&fx->c, fx->env.l, "stacktrace:count=3 if prev_state==2",
					   NULL, out),
			 0);
	fclose(out);
	free(out_buf);
	assert_string_equal(writes, "sched/sched_switch <- !traceoff\n"
				    "sched/sched_switch <- !stacktrace:5 if prev_state == 2\n");
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
}

/* rm --ours: a trigger that is busy at first goes in a later pass. */
static void test_remove_ours_retries(void **state)
{
	struct fixture *fx = *state;
	FILE *out;

	assert_int_equal(add(fx, "traceon", false), 0);
	free(out_buf);
	assert_int_equal(add(fx, "stacktrace", false), 0);
	free(out_buf);
	writes[0] = '\0';
	/* as the kernel lists them; traceon's removal by hand shows in the next test */
	put(fx->env.tree, "events/sched/sched_switch/trigger",
	    "traceon:unlimited\nstacktrace:unlimited\n");
	fail_count = 1; /* the newest, undone first, is busy once */
	fail_errno = EBUSY;
	out = open_memstream(&out_buf, &out_len);
	assert_int_equal(ft_triggers_remove_ours(fx->env.l, out), 0);
	fclose(out);
	assert_string_equal(writes, "sched/sched_switch <- !traceon\n"
				    "sched/sched_switch <- !stacktrace\n");
	assert_non_null(strstr(out_buf, "removed trigger 'stacktrace'"));
	assert_null(strstr(out_buf, "gone already"));
	free(out_buf);
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
}

/* rm --ours of a trigger somebody removed by hand: said to be gone, and forgotten. */
static void test_remove_ours_gone(void **state)
{
	struct fixture *fx = *state;
	FILE *out;

	assert_int_equal(add(fx, "traceon", false), 0);
	free(out_buf);
	put(fx->env.tree, "events/sched/sched_switch/trigger", "# Available triggers:\n");
	out = open_memstream(&out_buf, &out_len);
	assert_int_equal(ft_triggers_remove_ours(fx->env.l, out), 0);
	fclose(out);
	assert_non_null(strstr(out_buf, "trigger 'traceon' on sched:sched_switch (top level) was "
					"gone already; ftrig forgets it"));
	assert_null(strstr(out_buf, "removed"));
	free(out_buf);
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
}

/* A second trigger of a kind the kernel keeps once is refused before writing. */
static void test_duplicate(void **state)
{
	struct fixture *fx = *state;

	put(fx->env.tree, "events/sched/sched_switch/trigger",
	    "enable_event:sched:sched_process_exit:count=2\n");
	assert_int_equal(add(fx, "disable_event:sched:sched_process_exit if next_pid > 1", false),
			 -EEXIST);
	free(out_buf);
	assert_string_equal(writes, "");
	assert_non_null(
		strstr(logged, "the kernel takes one disable_event trigger of each target"));
}

/* Where the kernel has no hist triggers, hist start says so and points at BPF. */
static void test_host_hist(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec spec = { .system = "sched", .event = "sched_switch", .nkeys = 1 };
	FILE *out = open_memstream(&out_buf, &out_len);
	struct ft_histsvc svc;

	spec.keys[0].field = "next_comm";
	spec.keys[0].modifier = "";
	/* auto would go on to BPF: that is the host tests' business */
	ft_histsvc_init(&svc, fx->env.tfs, fx->env.l, NULL);
	assert_int_equal(ft_histsvc_start(&svc, &spec, FT_BACKEND_HIST, NULL, out), -ENOTSUP);
	fclose(out);
	free(out_buf);
	assert_string_equal(writes, "");
	assert_non_null(strstr(logged, "this kernel has no hist triggers"));
	assert_non_null(strstr(logged, "'--backend bpf'"));
	logged[0] = '\0';
	assert_int_equal(add(fx, "enable_hist:sched:sched_switch", false), -EINVAL);
	free(out_buf);
	assert_non_null(strstr(logged, "this kernel has no hist triggers on sched:sched_switch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_spec_writes_nothing, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_refusal, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_ownership_and_removal, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_remove_ours_gone, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_remove_ours_retries, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_host_hist, setup_host, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
