// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exact workload of execsnoop's and opensnoop's tests: a known number of execs and opens,
 * of known files with known arguments, a known number of them failing.
 *
 * usage: snoopload [--comm NAME] STEP...
 *   --exec N:PROG        N children, each exec'ing PROG with the arguments "snoopmark" I
 *                        "two words" (I = 1..N), each waited for
 *   --exec-fail N:PATH   N execve calls of PATH (which must not exist) with the arguments
 *                        "failmark" I, here, each failing with ENOENT
 *   --execveat N:PROG    as --exec, through execveat(AT_FDCWD, PROG, ...)
 *   --openat N:PATH      N openat calls of PATH, each closed (a failure is an error)
 *   --openat-fail N:PATH N openat calls of PATH that fail (PATH must not exist)
 *   --open N:PATH        N open calls (the old system call) of PATH
 *   --openat2 N:PATH     N openat2 calls of PATH
 * --comm sets the process name before the first step (the children inherit it until their
 * exec). Each step prints what it did; a step that does not go as said exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_exec(long n, const char *prog, int at)
{
	for (long i = 1; i <= n; i++) {
		char num[32];
		char *argv[] = { (char *)prog, "snoopmark", num, "two words", NULL };
		int status;
		pid_t pid;

		snprintf(num, sizeof(num), "%ld", i);
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			if (at)
				syscall(SYS_execveat, AT_FDCWD, prog, argv, NULL, 0);
			else
				execv(prog, argv);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) == 127)
			return -1;
	}
	printf("%s %ld x %s\n", at ? "execveat" : "exec", n, prog);
	return 0;
}

static int exec_fail(long n, const char *path)
{
	for (long i = 1; i <= n; i++) {
		char num[32];
		char *argv[] = { (char *)path, "failmark", num, NULL };

		snprintf(num, sizeof(num), "%ld", i);
		if (execv(path, argv) != -1 || errno != ENOENT)
			return -1;
	}
	printf("exec-fail %ld x %s\n", n, path);
	return 0;
}

/* One open of @path the way @how says; its return. */
static long open_one(int how, const char *path)
{
	struct open_how oh = { .flags = O_RDONLY };

	switch (how) {
	case 'o':
		return syscall(SYS_open, path, O_RDONLY);
	case '2':
		return syscall(SYS_openat2, AT_FDCWD, path, &oh, sizeof(oh));
	default:
		return syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
	}
}

static int run_open(int how, long n, const char *path, int fail)
{
	const char *call = how == 'o' ? "open" : "openat";

	for (long i = 0; i < n; i++) {
		long fd = open_one(how, path);

		if (fail ? fd != -1 || errno != ENOENT : fd < 0)
			return -1;
		if (fd >= 0)
			close((int)fd);
	}
	printf("%s%s%s %ld x %s\n", call, how == '2' ? "2" : "", fail ? "-fail" : "", n, path);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: snoopload [--comm NAME] STEP... (see the source)\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "comm", required_argument, NULL, 'c' },
		{ "exec", required_argument, NULL, 'e' },
		{ "exec-fail", required_argument, NULL, 'E' },
		{ "execveat", required_argument, NULL, 'a' },
		{ "openat", required_argument, NULL, 't' },
		{ "openat-fail", required_argument, NULL, 'F' },
		{ "open", required_argument, NULL, 'o' },
		{ "openat2", required_argument, NULL, '2' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *path = optarg ? strchr(optarg, ':') : NULL;
		long n = optarg ? strtol(optarg, NULL, 10) : 0;
		int ret;

		if (c == 'c') {
			prctl(PR_SET_NAME, optarg);
			continue;
		}
		if (!path || n < 0)
			return usage();
		path++;
		if (c == 'e' || c == 'a')
			ret = run_exec(n, path, c == 'a');
		else if (c == 'E')
			ret = exec_fail(n, path);
		else if (c == 't' || c == 'F' || c == 'o' || c == '2')
			ret = run_open(c == 'F' ? 't' : c, n, path, c == 'F');
		else
			return usage();
		if (ret) {
			fprintf(stderr, "snoopload: %s failed: %s\n", argv[optind - 1],
				strerror(errno));
			return 1;
		}
	}
	return optind < argc ? usage() : 0;
}
