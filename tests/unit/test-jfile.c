// SPDX-License-Identifier: GPL-2.0-only
/*
 * Journal files on disk (src/jfile.c): trust of the state directory and of each journal,
 * symlinks refused, whole records or nothing, torn tails cut, new journals never empty, and
 * a lock that follows the name (SEC-1, SEC-2, SEC-7, SEC-9).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "jfile.h"

#define HDR "ftrig-journal 1\t1\t2\tb00t\n"

struct fx {
	char dir[64];
	int dfd;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/ftrig-jfile.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	if (ft_jfile_dir_open(fx->dir, false, &fx->dfd))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	close(fx->dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	if (system(cmd))
		return -1;
	free(fx);
	return 0;
}

static off_t size_of(struct fx *fx, const char *name)
{
	struct stat st;

	return fstatat(fx->dfd, name, &st, 0) ? -1 : st.st_size;
}

/* A state dir others may write, or that is not the user's, is refused (SEC-7). */
static void test_dir_trust(void **state)
{
	struct fx *fx = *state;
	char sub[128];
	int dfd;

	snprintf(sub, sizeof(sub), "%s/open", fx->dir);
	assert_int_equal(ft_jfile_dir_open(sub, false, &dfd), -ENOENT);
	assert_int_equal(ft_jfile_dir_open(sub, true, &dfd), 0);
	close(dfd);
	assert_int_equal(chmod(sub, 01777), 0);
	assert_int_equal(ft_jfile_dir_open(sub, false, &dfd), -EPERM);
	assert_int_equal(dfd, -1);
	assert_int_equal(chmod(sub, 0770), 0);
	assert_int_equal(ft_jfile_dir_open(sub, false, &dfd), -EPERM);
	assert_int_equal(chmod(sub, 0700), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(sub, 65534, 65534), 0);
		assert_int_equal(ft_jfile_dir_open(sub, false, &dfd), -EPERM);
	}
}

/* A symlink is never followed; a journal others may write or own is refused (SEC-7). */
static void test_file_trust(void **state)
{
	struct fx *fx = *state;
	char target[128];
	int fd;

	snprintf(target, sizeof(target), "%s/target", fx->dir);
	assert_int_equal(symlinkat(target, fx->dfd, "persistent.journal"), 0);
	assert_int_equal(ft_jfile_open(fx->dfd, fx->dir, "persistent.journal", O_RDWR | O_APPEND,
				       LOCK_EX, &fd),
			 -ELOOP);
	assert_int_equal(access(target, F_OK), -1);

	fd = openat(fx->dfd, "w.journal", O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fchmodat(fx->dfd, "w.journal", 0666, 0), 0);
	assert_int_equal(ft_jfile_open(fx->dfd, fx->dir, "w.journal", O_RDONLY, 0, &fd), -EPERM);
	assert_int_equal(fchmodat(fx->dfd, "w.journal", 0600, 0), 0);
	assert_int_equal(ft_jfile_open(fx->dfd, fx->dir, "w.journal", O_RDONLY, 0, &fd), 0);
	close(fd);
	if (geteuid() == 0) {
		assert_int_equal(fchownat(fx->dfd, "w.journal", 65534, 65534, 0), 0);
		assert_int_equal(ft_jfile_open(fx->dfd, fx->dir, "w.journal", O_RDONLY, 0, &fd),
				 -EPERM);
	}
}

/* A new journal has its header when it gets its name, and is never made twice (SEC-9). */
static void test_create(void **state)
{
	struct fx *fx = *state;
	char *text;
	int fd, fd2;

	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "1-2.journal", HDR, strlen(HDR), &fd),
			 0);
	assert_int_equal(size_of(fx, "1-2.journal"), (off_t)strlen(HDR));
	assert_int_equal(ft_jfile_read(fd, "j", false, &text), 0);
	assert_string_equal(text, HDR);
	free(text);
	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "1-2.journal", HDR, strlen(HDR), &fd2),
			 -EEXIST);
	/* Locked by its maker. */
	assert_int_equal(
		ft_jfile_open(fx->dfd, fx->dir, "1-2.journal", O_RDONLY, LOCK_EX | LOCK_NB, &fd2),
		-EBUSY);
	close(fd);
}

/* A record that does not fit is not written at all (SEC-2). */
static void test_append_whole_or_nothing(void **state)
{
	struct fx *fx = *state;
	char rec[200];
	struct rlimit old, lim;
	off_t before;
	int fd;

	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "a.journal", HDR, strlen(HDR), &fd), 0);
	assert_int_equal(ft_jfile_append(fd, "a.journal", "-\t1\n", 4), 0);
	before = size_of(fx, "a.journal");
	memset(rec, 'x', sizeof(rec));
	rec[sizeof(rec) - 1] = '\n';
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = (rlim_t)before + 50;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(ft_jfile_append(fd, "a.journal", rec, sizeof(rec)), -EFBIG);
	setrlimit(RLIMIT_FSIZE, &old);
	assert_int_equal(size_of(fx, "a.journal"), before);
	assert_int_equal(ft_jfile_append(fd, "a.journal", "-\t2\n", 4), 0);
	assert_int_equal(size_of(fx, "a.journal"), before + 4);
	close(fd);
}

/* A torn tail (a crash mid-append) is cut before anything is appended. */
static void test_torn_tail_trimmed(void **state)
{
	struct fx *fx = *state;
	const char *torn = HDR "+\t0\tinstance\tftr";
	char *text;
	int fd = openat(fx->dfd, "t.journal", O_CREAT | O_RDWR | O_APPEND, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, torn, strlen(torn)), (ssize_t)strlen(torn));
	assert_int_equal(ft_jfile_read(fd, "t.journal", false, &text), 0);
	assert_string_equal(text, torn);
	free(text);
	assert_int_equal(ft_jfile_read(fd, "t.journal", true, &text), 0);
	assert_string_equal(text, HDR);
	free(text);
	assert_int_equal(size_of(fx, "t.journal"), (off_t)strlen(HDR));
	close(fd);
}

/*
 * SEC-1: a command waiting for the lock while the holder unlinks the journal and another
 * makes a new one gets the file that has the name, not the unlinked one.
 */
static void test_lock_follows_name(void **state)
{
	struct fx *fx = *state;
	int fd, fd2, status, pipefd[2];
	pid_t pid;
	char c;

	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "p.journal", HDR, strlen(HDR), &fd), 0);
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct stat a, b;
		int cfd;

		close(pipefd[0]);
		close(fd); /* the parent's lock is on that open file: not ours to hold */
		if (write(pipefd[1], "r", 1) != 1)
			_exit(4);
		if (ft_jfile_open(fx->dfd, fx->dir, "p.journal", O_RDWR | O_APPEND, LOCK_EX, &cfd))
			_exit(2);
		fstat(cfd, &a);
		if (fstatat(fx->dfd, "p.journal", &b, 0) || a.st_ino != b.st_ino)
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	/* Let the child reach flock(); it may not have, and then it opens the new file anyway. */
	usleep(100 * 1000);
	assert_int_equal(ft_jfile_unlink(fx->dfd, "p.journal", fd), 0);
	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "p.journal", HDR, strlen(HDR), &fd2), 0);
	close(fd2);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Unlink only while the name is the locked file: a replaced one is left alone. */
static void test_unlink_checks_name(void **state)
{
	struct fx *fx = *state;
	int fd, fd2;

	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "u.journal", HDR, strlen(HDR), &fd), 0);
	assert_int_equal(unlinkat(fx->dfd, "u.journal", 0), 0);
	assert_int_equal(ft_jfile_create(fx->dfd, fx->dir, "u.journal", HDR, strlen(HDR), &fd2), 0);
	assert_int_equal(ft_jfile_unlink(fx->dfd, "u.journal", fd), 0);
	assert_true(size_of(fx, "u.journal") > 0);
	assert_int_equal(ft_jfile_unlink(fx->dfd, "u.journal", fd2), 0);
	assert_int_equal(size_of(fx, "u.journal"), -1);
	close(fd);
	close(fd2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dir_trust, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_trust, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_whole_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_follows_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlink_checks_name, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
