// SPDX-License-Identifier: GPL-2.0-only
/*
 * The plainest lossless reader of an instance's binary buffers, the peer of ftrig pipe --raw
 * in bench/pipe.sh: one process per CPU splices trace_pipe_raw into a pipe and the pipe into
 * /dev/null, no decoding. Stops on SIGINT/SIGTERM after a last non-blocking drain.
 *
 * usage: splice-read INSTANCE_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void drain(int in, int p[2], int out)
{
	ssize_t n;

	while ((n = splice(in, NULL, p[1], NULL, 1 << 16, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)) > 0)
		while (n > 0) {
			ssize_t m = splice(p[0], NULL, out, NULL, (size_t)n, SPLICE_F_MOVE);

			if (m <= 0)
				return;
			n -= m;
		}
}

static int reader(const char *dir, int cpu)
{
	char path[4096];
	int in, out, p[2];

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", dir, cpu);
	in = open(path, O_RDONLY | O_NONBLOCK);
	out = open("/dev/null", O_WRONLY);
	if (in < 0 || out < 0 || pipe(p))
		return 1;
	while (!stop) {
		struct pollfd pfd = { .fd = in, .events = POLLIN };

		poll(&pfd, 1, 100);
		drain(in, p, out);
	}
	drain(in, p, out);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	long n = sysconf(_SC_NPROCESSORS_CONF), alive = 0;
	pid_t pids[1024];
	int sent = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: splice-read INSTANCE_DIR\n");
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (int cpu = 0; cpu < n && cpu < 1024; cpu++) {
		pids[cpu] = fork();
		if (pids[cpu] == 0)
			return reader(argv[1], cpu);
		alive += pids[cpu] > 0;
	}
	while (alive > 0) {
		if (wait(NULL) > 0) {
			alive--;
		} else if (errno == EINTR && stop && !sent) {
			for (int cpu = 0; cpu < n && cpu < 1024; cpu++)
				if (pids[cpu] > 0)
					kill(pids[cpu], SIGTERM);
			sent = 1;
		} else if (errno != EINTR) {
			break;
		}
	}
	return 0;
}
