// SPDX-License-Identifier: GPL-2.0-only
/*
 * Process churn, as a busy build machine makes it: many short-lived processes, each making
 * a few getppid calls and exiting, to fill any table that is keyed by process and never
 * forgets one (TOP-1).
 *
 * usage: churn COUNT PER_SECOND [PROGRESS_FILE]
 *   COUNT        processes to start in all, one after the other (each waited for)
 *   PER_SECOND   at most this many started a second (0: as fast as they go); a live view
 *                that renews its table every interval must never see more in one interval
 *                than its table holds
 *   PROGRESS_FILE  rewritten with the number of processes done after each one, so a test
 *                waits for a number, not a time
 * Each child is named "churn" and makes 3 getppid calls. Prints "churn COUNT" at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void progress(const char *path, long done)
{
	char tmp[4096];
	FILE *f;

	if (!path)
		return;
	/* Written aside and renamed: a reader never sees half a number. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%ld\n", done);
	fclose(f);
	rename(tmp, path);
}

/* Sleep until @i processes are due at @per_s a second since @t0. */
static void pace(const struct timespec *t0, long i, long per_s)
{
	struct timespec due = *t0;
	long long ns;

	if (per_s <= 0)
		return;
	ns = (long long)i * 1000000000LL / per_s;
	due.tv_sec += (time_t)(ns / 1000000000LL);
	due.tv_nsec += (long)(ns % 1000000000LL);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL))
		;
}

int main(int argc, char **argv)
{
	long count, per_s, i;
	struct timespec t0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: churn COUNT PER_SECOND [PROGRESS_FILE]\n");
		return 2;
	}
	count = strtol(argv[1], NULL, 10);
	per_s = strtol(argv[2], NULL, 10);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		pid_t pid;

		pace(&t0, i, per_s);
		pid = fork();
		if (pid < 0) {
			perror("churn: fork");
			return 1;
		}
		if (!pid) {
			prctl(PR_SET_NAME, "churn");
			for (int k = 0; k < 3; k++)
				syscall(SYS_getppid);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		if (i % 50 == 49 || i == count - 1)
			progress(argc > 3 ? argv[3] : NULL, i + 1);
	}
	printf("churn %ld\n", count);
	return 0;
}
