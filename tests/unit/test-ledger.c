// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ledger against a fake tracefs tree: journal before write, undo in order, failure paths
 * (a refused write, EBUSY that clears, EBUSY that does not), and replay of dead journals.
 */
// wrap: write unlinkat
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <limits.h>

#include "bpf/ftbpf.h"
#include "faketfs.h"
#include "ledger.h"
#include "signals.h"
#include "tfs.h"
#include "util.h"

struct fixture {
	char *tree;
	char state[64];
	struct ft_tfs *tfs;
};

/* Failure injection: how many calls fail, and with which errno. */
static int append_fail_errno, rmdir_busy_count;

/*
 * The appends that reached tracefs, in order, one "PATH <- TEXT" line each: the fake
 * kernel keeps this log, since a plain file does not list triggers the way tracefs does.
 */
static char writes[4096];

static void log_write(const char *fmt, ...)
{
	size_t n = strlen(writes);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(writes + n, sizeof(writes) - n, fmt, ap);
	va_end(ap);
}

/*
 * tfs.c appends with write() on a file it opened O_APPEND below the tree: log those as
 * "[INST:]SYS/EVENT/FILE <- TEXT" (event files) or "FILE <- TEXT" (the top level's), and fail
 * the event ones on demand. Other writes (the journal's) pass.
 */
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	char rel[PATH_MAX], *ev, *inst = NULL;
	const char *r = fake_tfs_fd_rel(fd, rel, sizeof(rel));

	if (!r || !(fcntl(fd, F_GETFL) & O_APPEND))
		return __real_write(fd, buf, n);
	if (!strncmp(rel, "instances/", 10)) {
		inst = rel + 10;
		*strchr(inst, '/') = '\0';
		r = inst + strlen(inst) + 1;
	}
	ev = !strncmp(r, "events/", 7) ? (char *)r + 7 : NULL;
	if (ev && append_fail_errno) {
		errno = append_fail_errno;
		return -1;
	}
	log_write("%s%s%s <- %.*s\n", inst ? inst : "", inst ? ":" : "", ev ? ev : r, (int)n,
		  (const char *)buf);
	return __real_write(fd, buf, n);
}

int __real_unlinkat(int dirfd, const char *path, int flags);
int __wrap_unlinkat(int dirfd, const char *path, int flags);
int __wrap_unlinkat(int dirfd, const char *path, int flags)
{
	if ((flags & AT_REMOVEDIR) && rmdir_busy_count) {
		if (rmdir_busy_count > 0)
			rmdir_busy_count--;
		errno = EBUSY;
		return -1;
	}
	return __real_unlinkat(dirfd, path, flags);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->tree = fake_tfs_create("host-6.18");
	assert_non_null(fx->tree);
	strcpy(fx->state, "/tmp/ftrig-state.XXXXXX");
	assert_non_null(mkdtemp(fx->state));
	setenv("FTRIG_TRACEFS", fx->tree, 1);
	assert_int_equal(ft_tfs_open(&fx->tfs), 0);
	append_fail_errno = 0;
	rmdir_busy_count = 0;
	writes[0] = '\0';
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	ft_tfs_close(fx->tfs);
	fake_tfs_destroy(fx->tree);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->state);
	assert_int_equal(system(cmd), 0);
	unsetenv("FTRIG_TRACEFS");
	free(fx);
	return 0;
}

static size_t count_journals(const char *dir)
{
	struct ft_session_info *s;
	size_t n;

	assert_int_equal(ft_ledger_scan(dir, &s, &n), 0);
	ft_ledger_scan_free(s, n);
	return n;
}

static void test_trigger_journal_then_undo(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	struct ft_session_info *s;
	size_t n;

	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(count_journals(fx->state), 0); /* nothing written, no journal */
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_switch", "traceoff:3"), 0);
	assert_string_equal(writes, "sched/sched_switch/trigger <- traceoff:3\n");

	assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_true(s[0].alive); /* we hold its lock */
	assert_int_equal(s[0].journal.pid, getpid());
	assert_int_equal(s[0].journal.nobjs, 1);
	assert_string_equal(s[0].journal.objs[0].text, "traceoff:3");
	ft_ledger_scan_free(s, n);

	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	assert_string_equal(writes, "sched/sched_switch/trigger <- traceoff:3\n"
				    "sched/sched_switch/trigger <- !traceoff:3\n");
	ft_ledger_close(l);
	assert_int_equal(count_journals(fx->state), 0);
}

/*
 * SEC-10: from the first change on, SIGTERM only sets the flag, held back while a change and
 * its record are made; after it no new object is made (-ECANCELED, nothing journaled or
 * written), and the undo still removes what was made.
 */
static void test_signal_stops_new_objects_not_undo(void **state)
{
	struct fixture *fx = *state;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	struct ft_ledger *l;
	sigset_t held;

	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTERM, &dfl, &old);
	ft_stop_signal = 0;
	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_switch", "traceoff:3"), 0);
	/* Caught now: the signal sets the flag instead of ending the test. */
	ft_signals_hold(&held);
	raise(SIGTERM);
	assert_int_equal(ft_stop_signal, 0); /* held back */
	ft_signals_release(&held);
	assert_int_equal(ft_stop_signal, SIGTERM);

	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_waking", "traceoff:4"),
			 -ECANCELED);
	assert_string_equal(writes, "sched/sched_switch/trigger <- traceoff:3\n");
	assert_int_equal(ft_ledger_objects(l)->nobjs, 1);
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	assert_string_equal(writes, "sched/sched_switch/trigger <- traceoff:3\n"
				    "sched/sched_switch/trigger <- !traceoff:3\n");
	ft_ledger_close(l);
	assert_int_equal(count_journals(fx->state), 0);
	ft_stop_signal = 0;
	sigaction(SIGTERM, &old, NULL);
}

static void test_undo_order(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	char *text, path[512];
	struct stat st;

	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_instance_create(l, "ftrig-test"), 0);
	snprintf(path, sizeof(path), "%s/instances/ftrig-test", fx->tree);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(ft_ledger_dynevent_add(l, "dynamic_events", "ftrig", "rl",
						"p:ftrig/rl /bin/bash:0x1234"),
			 0);
	assert_int_equal(ft_ledger_event_enable(l, NULL, "sched", "sched_switch"), 0);
	assert_int_equal(ft_ledger_trigger_add(l, "", "sched", "sched_switch", "stacktrace"), 0);
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	ft_ledger_close(l);

	/* Triggers first, then the enable, the probe, and the instance last. */
	assert_string_equal(writes, "dynamic_events <- p:ftrig/rl /bin/bash:0x1234\n"
				    "sched/sched_switch/trigger <- stacktrace\n"
				    "sched/sched_switch/trigger <- !stacktrace\n"
				    "dynamic_events <- -:ftrig/rl\n");
	text = fake_read(fx->tree, "events/sched/sched_switch/enable");
	assert_string_equal(text, "0");
	free(text);
	assert_int_equal(stat(path, &st), -1);
}

static void put_file(const char *tree, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* SEC-3: what took the slot or the name of ftrig's object is left alone, and retired. */
static void test_replaced_objects_left_alone(void **state)
{
	struct fixture *fx = *state;
	char path[512], old[520];
	struct ft_ledger *l;
	struct stat st;

	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_instance_create(l, "ftrig-re"), 0);
	assert_int_equal(ft_ledger_trigger_add(l, "", "sched", "sched_switch",
					       "traceoff:2 if prev_pid == 1"),
			 0);
	/* Somebody's in the slot; the instance removed and made again. */
	put_file(fx->tree, "events/sched/sched_switch/trigger",
		 "traceoff:count=9 if prev_pid == 2\n");
	snprintf(path, sizeof(path), "%s/instances/ftrig-re", fx->tree);
	snprintf(old, sizeof(old), "%s.old", path);
	/* Kept elsewhere while the new one is made, so that the inode cannot be reused. */
	assert_int_equal(rename(path, old), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	writes[0] = '\0';
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	assert_string_equal(writes, ""); /* no "!traceoff..." */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(ft_ledger_objects(l)->nobjs, 0);
	ft_ledger_close(l);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(old), 0);

	/* A count that went down is still ftrig's: removed. */
	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_trigger_add(l, "", "sched", "sched_switch",
					       "traceoff:2 if prev_pid == 1"),
			 0);
	put_file(fx->tree, "events/sched/sched_switch/trigger",
		 "traceoff:count=1 if prev_pid == 1\n");
	writes[0] = '\0';
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	assert_string_equal(writes, "sched/sched_switch/trigger <- !traceoff:2 if prev_pid == 1\n");
	ft_ledger_close(l);
}

/* The instance's inode is noted; one that exists already is refused before the journal. */
static void test_instance_noted_and_existing_refused(void **state)
{
	struct fixture *fx = *state;
	struct ft_session_info *s;
	struct ft_ledger *l;
	char path[512], buf[32];
	size_t n;

	snprintf(path, sizeof(path), "%s/instances/theirs", fx->tree);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_instance_create(l, "theirs"), -EEXIST);
	assert_int_equal(count_journals(fx->state), 0); /* nothing journaled */
	assert_int_equal(ft_ledger_instance_create(l, "ftrig-ino"), 0);
	/* A synthetic event is not a probe: removed by name, no definition to compare. */
	assert_int_equal(
		ft_ledger_dynevent_add(l, "dynamic_events", "synthetic", "lat", "s:lat u64 x"), 0);
	assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_true(ft_obj_note(&s[0].journal.objs[0], "ino", buf, sizeof(buf)));
	ft_ledger_scan_free(s, n);
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	ft_ledger_close(l);
	assert_int_equal(rmdir(path), 0);
}

static void test_enable_of_others_left_alone(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	char path[512], *text;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/enable", fx->tree);
	f = fopen(path, "w");
	fputs("1\n", f);
	fclose(f);
	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_event_enable(l, NULL, "sched", "sched_switch"), 0);
	assert_int_equal(count_journals(fx->state), 0);
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	ft_ledger_close(l);
	text = fake_read(fx->tree, "events/sched/sched_switch/enable");
	assert_string_equal(text, "1\n");
	free(text);
}

/* Writes "none\n" (what the kernel shows) into an event's filter file of the fake tree. */
static void fake_filter_none(const char *tree, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/filter", tree);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_filter_journaled_and_cleared(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	char *text;

	fake_filter_none(fx->tree, "none\n");
	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_event_filter(l, NULL, "sched", "sched_switch", "prev_pid == 1"),
			 0);
	assert_int_equal(count_journals(fx->state), 1);
	text = fake_read(fx->tree, "events/sched/sched_switch/filter");
	assert_string_equal(text, "prev_pid == 1");
	free(text);
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	ft_ledger_close(l);
	text = fake_read(fx->tree, "events/sched/sched_switch/filter");
	assert_string_equal(text, "0");
	free(text);
}

static void test_filter_of_others_left_alone(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	char *text;

	fake_filter_none(fx->tree, "prev_pid == 7\n");
	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_event_filter(l, NULL, "sched", "sched_switch", "prev_pid == 1"),
			 -EEXIST);
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	ft_ledger_close(l);
	text = fake_read(fx->tree, "events/sched/sched_switch/filter");
	assert_string_equal(text, "prev_pid == 7\n");
	free(text);
}

static void test_refused_write_is_retired(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	struct ft_session_info *s;
	size_t n;

	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	append_fail_errno = EINVAL;
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_switch", "bogus"), -EINVAL);
	append_fail_errno = 0;
	assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].journal.nobjs, 0);
	ft_ledger_scan_free(s, n);
	ft_ledger_close(l);
	assert_int_equal(count_journals(fx->state), 0);
}

static void test_busy_instance_retried(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;

	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_instance_create(l, "ftrig-busy"), 0);
	rmdir_busy_count = 3;
	assert_int_equal(ft_ledger_undo_all(l, NULL), 0);
	assert_int_equal(rmdir_busy_count, 0);
	ft_ledger_close(l);
	assert_int_equal(count_journals(fx->state), 0);
}

static void test_busy_forever_kept_for_cleanup(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	char *out = NULL;
	size_t len = 0;
	FILE *report;

	assert_int_equal(ft_ledger_open(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_instance_create(l, "ftrig-stuck"), 0);
	rmdir_busy_count = -1;
	assert_int_equal(ft_ledger_undo_all(l, NULL), -EBUSY);
	ft_ledger_close(l);
	assert_int_equal(count_journals(fx->state), 1);

	/* The session is gone (its lock released): cleanup --stale replays the journal. */
	rmdir_busy_count = 0;
	{
		struct ft_session_info *s;
		size_t n;

		assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
		assert_int_equal(n, 1);
		assert_false(s[0].alive);
		report = open_memstream(&out, &len);
		assert_int_equal(ft_ledger_replay(fx->tfs, s[0].path, false, report), 0);
		fclose(report);
		ft_ledger_scan_free(s, n);
	}
	assert_string_equal(out, "removed instance ftrig-stuck\n");
	free(out);
	assert_int_equal(count_journals(fx->state), 0);
}

static void write_journal(const char *path, const char *boot_id, const char *tree)
{
	FILE *f = fopen(path, "w");

	fprintf(f, "ftrig-journal 1\t999999\t1\t%s\n+\t0\tinstance\tftrig-999999\t\t\t\t\n",
		boot_id);
	fclose(f);
	(void)tree;
}

static void test_replay_dead_live_and_other_boot(void **state)
{
	struct fixture *fx = *state;
	char path[512], inst[512], *boot = ft_read_file("/proc/sys/kernel/random/boot_id", NULL);
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/999999-1.journal", fx->state);
	snprintf(inst, sizeof(inst), "%s/instances/ftrig-999999", fx->tree);

	/* A live session holds the lock: replay refuses. */
	mkdir(inst, 0755);
	write_journal(path, ft_strip(boot), fx->tree);
	fd = open(path, O_RDONLY);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(ft_ledger_replay(fx->tfs, path, false, NULL), -EBUSY);
	assert_int_equal(stat(inst, &st), 0);
	close(fd);

	/* Dry run changes nothing. */
	assert_int_equal(ft_ledger_replay(fx->tfs, path, true, NULL), 0);
	assert_int_equal(stat(inst, &st), 0);
	assert_int_equal(stat(path, &st), 0);

	/* Dead: undone and deleted. */
	assert_int_equal(ft_ledger_replay(fx->tfs, path, false, NULL), 0);
	assert_int_equal(stat(inst, &st), -1);
	assert_int_equal(stat(path, &st), -1);

	/* From another boot: its objects are long gone; only the file goes, nothing is touched. */
	mkdir(inst, 0755);
	write_journal(path, "another-boot", fx->tree);
	assert_int_equal(ft_ledger_replay(fx->tfs, path, false, NULL), 0);
	assert_int_equal(stat(inst, &st), 0);
	assert_int_equal(stat(path, &st), -1);
	free(boot);
}

static void test_persistent_ledger(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	const struct ft_journal *j;
	struct ft_session_info *s;
	unsigned seq;
	size_t n;

	assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_switch", "traceon"), 0);
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_process_exit", "traceoff"),
			 0);
	ft_ledger_close(l); /* persistent: nothing is undone */
	assert_string_equal(writes, "sched/sched_switch/trigger <- traceon\n"
				    "sched/sched_process_exit/trigger <- traceoff\n");

	/* The next command sees both, removes one, forgets nothing else. */
	assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
	j = ft_ledger_objects(l);
	assert_int_equal(j->nobjs, 2);
	assert_int_equal(j->pid, 0);
	seq = j->objs[0].seq;
	assert_int_equal(ft_ledger_undo_one(l, seq), 0);
	assert_int_equal(ft_ledger_undo_one(l, seq), -ENOENT);
	assert_int_equal(ft_ledger_objects(l)->nobjs, 1);
	assert_int_equal(
		ft_ledger_bpf_announce(l, "/sys/fs/bpf/ftrig/x", "sched", "sched_switch", &seq), 0);
	assert_int_equal(ft_ledger_forget(l, seq), 0);
	ft_ledger_close(l);
	assert_non_null(strstr(writes, "sched/sched_switch/trigger <- !traceon\n"));

	/* cleanup sees it as persistent (pid 0), not as a dead session. */
	assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].journal.pid, 0);
	assert_int_equal(s[0].journal.nobjs, 1);
	assert_string_equal(s[0].journal.objs[0].text, "traceoff");
	assert_int_equal(ft_ledger_replay(fx->tfs, s[0].path, false, NULL), 0);
	ft_ledger_scan_free(s, n);
	assert_non_null(strstr(writes, "sched/sched_process_exit/trigger <- !traceoff\n"));
}

/*
 * A tagged journal (a setup file's line) is a persistent journal of its own: scan shows it
 * with its tag and pid 0, it goes when empty, and persistent.journal is not touched.
 */
static void test_tagged_ledger(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	struct ft_session_info *s;
	const char *tag = "/etc/ftrig/lat.ftrig\ntrigger add sched:sched_switch traceon";
	char *path = ft_ledger_tagged_path(fx->state, tag);
	size_t n;

	assert_non_null(path);
	assert_non_null(strstr(path, "/setup-"));
	assert_int_equal(ft_ledger_open_tagged(&l, fx->tfs, fx->state, tag), 0);
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_switch", "traceon"), 0);
	ft_ledger_close(l);
	assert_int_equal(access(path, F_OK), 0);

	assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].journal.pid, 0);
	assert_string_equal(s[0].journal.tag, tag);
	assert_string_equal(s[0].path, path);
	ft_ledger_scan_free(s, n);

	assert_int_equal(ft_ledger_open_tagged(&l, fx->tfs, fx->state, tag), 0);
	assert_int_equal(ft_ledger_objects(l)->nobjs, 1);
	assert_int_equal(ft_ledger_undo_one(l, ft_ledger_objects(l)->objs[0].seq), 0);
	ft_ledger_close(l);
	assert_int_equal(access(path, F_OK), -1);
	assert_non_null(strstr(writes, "sched/sched_switch/trigger <- !traceon\n"));
	assert_int_equal(count_journals(fx->state), 0);
	free(path);
}

/* Append retired "+"/"-" record pairs to the journal @path until it is @size bytes. */
static void pad_retired(const char *path, off_t size)
{
	FILE *f = fopen(path, "a");
	struct stat st;

	assert_non_null(f);
	for (unsigned seq = 1000; !fstat(fileno(f), &st) && st.st_size < size; seq++) {
		fprintf(f,
			"+\t%u\tbpf\t\tsyscalls\tsys_enter_getppid\t\t"
			"/sys/fs/bpf/ftrig/aggregation_name\n-\t%u\n",
			seq, seq);
		fflush(f);
	}
	fclose(f);
}

/*
 * persistent.journal does not grow for as long as the machine runs: kept while small (the
 * next command would make it again, with a sync, before its first kernel write), deleted
 * when a command closes it empty once its retired records passed 64 KiB. Before, it kept a
 * record pair for every object ever made.
 */
static void test_persistent_journal_bounded(void **state)
{
	struct fixture *fx = *state;
	struct ft_ledger *l;
	char path[256];
	struct stat st;
	unsigned seq;
	int rounds = 0;
	off_t size;

	snprintf(path, sizeof(path), "%s/persistent.journal", fx->state);
	assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_trigger_add(l, NULL, "sched", "sched_switch", "traceon"), 0);
	assert_int_equal(ft_ledger_undo_one(l, ft_ledger_objects(l)->objs[0].seq), 0);
	ft_ledger_close(l);
	assert_int_equal(stat(path, &st), 0); /* small and empty: kept */

	/* a `hist start` and a `hist rm` at a time, until the journal is past 64 KiB */
	do {
		assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
		assert_int_equal(ft_ledger_bpf_announce(l, "/sys/fs/bpf/ftrig/aggregation_name",
							"syscalls", "sys_enter_getppid", &seq),
				 0);
		ft_ledger_close(l);
		assert_int_equal(stat(path, &st), 0); /* holding an object: kept, however big */
		assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
		assert_int_equal(ft_ledger_objects(l)->nobjs, 1);
		assert_int_equal(ft_ledger_forget(l, seq), 0);
		ft_ledger_close(l);
		rounds++;
	} while (!stat(path, &st) && rounds < 10000);
	assert_true(rounds > 10 && rounds < 10000);
	assert_int_equal(count_journals(fx->state), 0);

	/* the next command starts a new one */
	assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_objects(l)->nobjs, 0);
	ft_ledger_close(l);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < 256);

	/* Past 64 KiB of retired records, a command that writes nothing (refused before its
	 * first kernel write) leaves the journal as it found it; the next that writes deletes
	 * it. */
	pad_retired(path, 70 * 1024);
	assert_int_equal(stat(path, &st), 0);
	size = st.st_size;
	assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_objects(l)->nobjs, 0);
	ft_ledger_close(l);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, size);
	assert_int_equal(ft_ledger_open_persistent(&l, fx->tfs, fx->state), 0);
	assert_int_equal(ft_ledger_bpf_announce(l, "/sys/fs/bpf/ftrig/aggregation_name", "syscalls",
						"sys_enter_getppid", &seq),
			 0);
	assert_int_equal(ft_ledger_forget(l, seq), 0);
	ft_ledger_close(l);
	assert_int_equal(stat(path, &st), -1);
}

static void test_bpf_unpin_refuses_foreign_paths(void **state)
{
	assert_int_equal(ft_bpf_unpin("/sys/fs/bpf/somebody_else"), -EPERM);
	assert_int_equal(ft_bpf_unpin("/sys/fs/bpf/ftrig/../other"), -EPERM);
	assert_int_equal(ft_bpf_unpin("/tmp/ftrig"), -EPERM);
}

/*
 * SEC-9: an empty journal (an ftrig killed before its header was on disk) is not listed and
 * warned about forever: cleanup removes it, unless somebody holds its lock (a session that
 * is making it right now).
 */
static void test_empty_journal_removed(void **state)
{
	struct fixture *fx = *state;
	char dead[128], live[128];
	struct ft_session_info *s;
	struct stat st;
	int fd;
	size_t n;

	snprintf(dead, sizeof(dead), "%s/123-4.journal", fx->state);
	snprintf(live, sizeof(live), "%s/124-5.journal", fx->state);
	mkdir(fx->state, 0700);
	close(open(dead, O_CREAT | O_WRONLY, 0600));
	fd = open(live, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);

	assert_int_equal(ft_ledger_scan(fx->state, &s, &n), 0);
	assert_int_equal(n, 0);
	ft_ledger_scan_free(s, n);
	assert_int_equal(ft_ledger_remove_empty(fx->state, true, NULL), 1);
	assert_int_equal(stat(dead, &st), 0);
	assert_int_equal(ft_ledger_remove_empty(fx->state, false, NULL), 1);
	assert_int_equal(stat(dead, &st), -1);
	assert_int_equal(stat(live, &st), 0);
	close(fd);
	assert_int_equal(ft_ledger_replay(fx->tfs, live, false, NULL), 0);
	assert_int_equal(stat(live, &st), -1);
	assert_string_equal(writes, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trigger_journal_then_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_stops_new_objects_not_undo, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_undo_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replaced_objects_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instance_noted_and_existing_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_enable_of_others_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_journaled_and_cleared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_of_others_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_write_is_retired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_instance_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_forever_kept_for_cleanup, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_replay_dead_live_and_other_boot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_persistent_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tagged_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persistent_journal_bounded, setup, teardown),
		cmocka_unit_test(test_bpf_unpin_refuses_foreign_paths),
		cmocka_unit_test_setup_teardown(test_empty_journal_removed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
