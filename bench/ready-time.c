// SPDX-License-Identifier: GPL-2.0-only
/*
 * How long a tool takes from its exec to saying it is ready: runs COMMAND with its output
 * (stdout and stderr) through a pipe into OUT, and prints on stdout the milliseconds from just
 * before the fork to the first output line containing PATTERN ("Tracing ...", bpftrace's
 * BEGIN). SIGINT and SIGTERM are passed on to the command (back at their defaults there, as a
 * shell's background job would not have them); exits with the command's status.
 *
 * usage: ready-time PATTERN OUT COMMAND [ARG...]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t child;

static void pass_on(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	char buf[65536], line[4096];
	size_t ll = 0;
	int p[2], out, st = 0, seen = 0;
	struct sigaction sa = { .sa_handler = pass_on };
	double t0;
	ssize_t n;

	if (argc < 4) {
		fprintf(stderr, "usage: ready-time PATTERN OUT COMMAND [ARG...]\n");
		return 2;
	}
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || pipe(p)) {
		perror(argv[2]);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	t0 = now_ms();
	child = fork();
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (write(out, buf, (size_t)n) != n)
			break;
		for (ssize_t i = 0; i < n && !seen; i++) {
			if (buf[i] != '\n' && ll < sizeof(line) - 1) {
				line[ll++] = buf[i];
				continue;
			}
			line[ll] = '\0';
			ll = 0;
			if (strstr(line, argv[1])) {
				printf("%.3f\n", now_ms() - t0);
				fflush(stdout);
				seen = 1;
			}
		}
	}
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	close(out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
