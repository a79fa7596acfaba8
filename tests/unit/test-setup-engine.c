// SPDX-License-Identifier: GPL-2.0-only
/*
 * The setup engine on a fake tracefs tree: the plan is data (each line's writes, in apply's
 * order, those into the instance the file makes moved there), a dry run writes nothing (no
 * tracefs file, no journal), a usage error in a line's words is told as FILE:LINE, apply
 * journals each line under its own tag and a second plan finds it there, and undo removes it.
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
#include <dirent.h>
#include <unistd.h>

#include "faketfs.h"
#include "ledger.h"
#include "log.h"
#include "setup/engine.h"
#include "setup/plan.h"
#include "util.h"
#include "writes.h"

struct fixture {
	char *tree;
	char state[64];
	char file[128];
	struct ft_setup_run r;
	struct ft_plan p;
};

static char logged[4096];

static void sink(enum ft_log_level level, const char *msg, void *data)
{
	size_t n = strlen(logged);

	snprintf(logged + n, sizeof(logged) - n, "%s\n", msg);
}

static int setup_tree(void **state, const char *fixture)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->tree = fake_tfs_create(fixture);
	assert_non_null(fx->tree);
	strcpy(fx->state, "/tmp/ftrig-state.XXXXXX");
	assert_non_null(mkdtemp(fx->state));
	snprintf(fx->file, sizeof(fx->file), "%s/a.ftrig", fx->state);
	setenv("FTRIG_TRACEFS", fx->tree, 1);
	setenv("FTRIG_STATE_DIR", fx->state, 1);
	logged[0] = '\0';
	ft_log_set_sink(sink, NULL);
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_tree(state, "host-6.18");
}

/* The 6.1 kernel's tree, which has hist triggers. */
static int setup_vm(void **state)
{
	return setup_tree(state, "vm-6.1");
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	ft_log_set_sink(NULL, NULL);
	ft_plan_release(&fx->p);
	ft_setup_run_release(&fx->r);
	fake_tfs_destroy(fx->tree);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->state);
	assert_int_equal(system(cmd), 0);
	unsetenv("FTRIG_TRACEFS");
	unsetenv("FTRIG_STATE_DIR");
	free(fx);
	return 0;
}

/* Write the setup file and load it, with its status. */
static void load(struct fixture *fx, const char *text)
{
	FILE *f = fopen(fx->file, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	ft_setup_run_release(&fx->r);
	assert_int_equal(ft_setup_run_load(&fx->r, fx->file, true), 0);
	ft_setup_run_status(&fx->r);
}

/* Write @k of step @s is @op on DIR/@rel with @text ("" for none). */
static void expect_write(struct fixture *fx, size_t s, size_t k, enum ft_write_op op,
			 const char *rel, const char *text)
{
	const struct ft_write *w;
	char path[512];

	assert_true(s < fx->p.nsteps);
	assert_true(k < fx->p.steps[s].w.n);
	w = &fx->p.steps[s].w.v[k];
	snprintf(path, sizeof(path), "%s/%s", fx->tree, rel);
	assert_int_equal(w->op, op);
	assert_string_equal(w->path, path);
	assert_string_equal(w->text, text);
}

/* Files in the state directory, the setup file aside: a dry run journals nothing. */
static int journals(const struct fixture *fx)
{
	DIR *d = opendir(fx->state);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".journal") != NULL;
	closedir(d);
	return n;
}

static void test_plan_as_data(void **state)
{
	struct fixture *fx = *state;
	ssize_t bad;
	char *enable;

	load(fx, "trigger add sched:sched_process_exit traceoff\n"
		 "enable sched:sched_switch\n"
		 "buffer-size 1024\n"
		 "instance lat\n");
	assert_int_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(bad, -1);
	/* Apply's order: instance, buffer-size, enable, trigger. */
	assert_int_equal(fx->p.nsteps, 4);
	assert_int_equal(fx->p.steps[0].line, 3);
	assert_int_equal(fx->p.steps[0].state, FT_PLAN_MAKE);
	expect_write(fx, 0, 0, FT_WRITE_MKDIR, "instances/lat", "");
	expect_write(fx, 1, 0, FT_WRITE_SET, "instances/lat/buffer_size_kb", "1024");
	/* Checked at the top level, written into the instance the file makes. */
	assert_true(fx->p.steps[2].deferred);
	expect_write(fx, 2, 0, FT_WRITE_SET, "instances/lat/events/sched/sched_switch/enable", "1");
	assert_true(fx->p.steps[3].deferred);
	expect_write(fx, 3, 0, FT_WRITE_APPEND,
		     "instances/lat/events/sched/sched_process_exit/trigger", "traceoff");
	assert_int_equal(fx->p.nextra, 0);
	/* Nothing written: no instance, no enable, no journal. */
	assert_int_equal(access(fx->r.abs, F_OK), 0);
	enable = fake_read(fx->tree, "events/sched/sched_switch/enable");
	assert_string_equal(enable, "0\n");
	free(enable);
	assert_int_equal(journals(fx), 0);
	assert_string_equal(logged, "");
}

/* Reads what @f holds into a string to free. */
static char *slurp(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	return s;
}

/* plan --json: the same plan as data, each write with the line plan prints (#20). */
static void test_plan_json(void **state)
{
	struct fixture *fx = *state;
	FILE *text = tmpfile(), *json = tmpfile();
	char *t, *j, *line, *save = NULL, *at;
	ssize_t bad;

	load(fx, "enable sched:sched_switch\n"
		 "instance lat\n");
	assert_int_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(ft_plan_print(&fx->p, fx->r.s, text), 0);
	assert_int_equal(ft_plan_json(&fx->p, fx->r.s, bad, json), 0);
	t = slurp(text);
	j = slurp(json);
	assert_non_null(strstr(j, "{\"format\":\"ftrig-plan\",\"version\":1,"));
	assert_non_null(strstr(j,
			       "\"line\":2,\"text\":\"instance lat\",\"state\":\"make\","
			       "\"deferred\":false,\"note\":null,\"writes\":[{\"op\":\"mkdir\""));
	assert_non_null(strstr(j, "\"deferred\":true"));
	assert_non_null(strstr(j, "\"removed\":[],\"refused\":null}\n"));
	/* Every command plan prints is a "shell" member, in the same order. */
	at = j;
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		at = strstr(at, "\"shell\":\"");
		assert_non_null(at);
		at += strlen("\"shell\":\"");
		assert_memory_equal(at, line, strcspn(line, "'\\\""));
	}
	free(t);
	free(j);
	fclose(text);
	fclose(json);
}

static void test_usage_error_names_the_line(void **state)
{
	struct fixture *fx = *state;
	char want[512];
	ssize_t bad;

	load(fx, "enable sched:sched_switch\n"
		 "trigger add --bogus sched:sched_switch traceoff\n");
	assert_int_not_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(bad, 1);
	snprintf(want, sizeof(want),
		 "%s:2: unknown option '--bogus' ('ftrig help trigger' shows the options)\n",
		 fx->file);
	assert_string_equal(logged, want);
	/* The steps up to the refused one are in the plan, for plan to print. */
	assert_int_equal(fx->p.nsteps, 2);
	assert_int_equal(journals(fx), 0);
}

static void test_hist_start_usage_error(void **state)
{
	struct fixture *fx = *state;
	char want[512];
	ssize_t bad;

	load(fx, "hist start sched:sched_switch --key prev_pid --size 100x\n");
	assert_int_not_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(bad, 0);
	snprintf(want, sizeof(want),
		 "%s:1: --size takes a number of entries, not '100x' ('ftrig help hist' shows "
		 "the options)\n",
		 fx->file);
	assert_string_equal(logged, want);
}

/* hist start runs ft_hist_start()'s dry run: its hist trigger, as data. */
static void test_hist_start_planned(void **state)
{
	struct fixture *fx = *state;
	const struct ft_write *w;
	char path[512];
	ssize_t bad;

	load(fx, "hist start sched:sched_switch --key prev_pid --backend hist\n");
	assert_int_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(fx->p.nsteps, 1);
	assert_int_equal(fx->p.steps[0].w.n, 1);
	w = &fx->p.steps[0].w.v[0];
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/trigger", fx->tree);
	assert_int_equal(w->op, FT_WRITE_APPEND);
	assert_string_equal(w->path, path);
	assert_non_null(strstr(w->text, "hist:keys=prev_pid"));
	assert_int_equal(journals(fx), 0);
}

static void test_refused_by_the_checks(void **state)
{
	struct fixture *fx = *state;
	ssize_t bad;

	load(fx, "enable sched:no_such_event\n");
	assert_int_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), -ENOENT);
	assert_int_equal(bad, 0);
	assert_non_null(strstr(logged, "no event sched:no_such_event in the top level"));
}

static void test_apply_then_there_then_undo(void **state)
{
	struct fixture *fx = *state;
	FILE *out = tmpfile();
	ssize_t bad;
	char *enable;

	load(fx, "enable sched:sched_switch\n");
	assert_int_equal(fx->r.status[0], FT_LINE_MISSING);
	assert_int_equal(ft_setup_run_apply(&fx->r, out), 0);
	enable = fake_read(fx->tree, "events/sched/sched_switch/enable");
	assert_int_equal(enable[0], '1');
	free(enable);
	/* Journaled under the line's own tag: the next run finds it there. */
	assert_int_equal(journals(fx), 1);
	load(fx, "enable sched:sched_switch\n");
	assert_non_null(ft_setup_run_journal(&fx->r, fx->r.tags[0]));
	assert_int_equal(fx->r.status[0], FT_LINE_OK);
	assert_int_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(fx->p.steps[0].state, FT_PLAN_THERE);
	assert_int_equal(fx->p.steps[0].w.n, 0);
	/* Undone through ft_ledger_undo_set(): the enable is off, the journal gone. */
	assert_int_equal(ft_setup_run_undo(&fx->r, fx->r.tags, 1, out), 0);
	enable = fake_read(fx->tree, "events/sched/sched_switch/enable");
	assert_int_equal(enable[0], '0');
	free(enable);
	assert_int_equal(journals(fx), 0);
	fclose(out);
}

static void test_extra_line(void **state)
{
	struct fixture *fx = *state;
	FILE *out = tmpfile();
	ssize_t bad;

	load(fx, "enable sched:sched_switch\n");
	assert_int_equal(ft_setup_run_apply(&fx->r, out), 0);
	/* The line deleted from the file: the plan removes what it made. */
	load(fx, "# nothing\n");
	assert_int_equal(ft_setup_run_plan(&fx->r, &fx->p, &bad), 0);
	assert_int_equal(fx->p.nsteps, 0);
	assert_int_equal(fx->p.nextra, 1);
	assert_string_equal(fx->p.extra[0].key, "enable sched:sched_switch");
	assert_int_equal(fx->p.extra[0].w.n, 1);
	assert_string_equal(fx->p.extra[0].w.v[0].text, "0");
	/* And apply does. */
	assert_int_equal(ft_setup_run_apply(&fx->r, out), 0);
	assert_int_equal(journals(fx), 0);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_as_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage_error_names_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hist_start_usage_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hist_start_planned, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_refused_by_the_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_then_there_then_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
