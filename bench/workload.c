// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exact-count workload: makes a known number of known calls, so that every tool's counts
 * can be checked for exactness, and prints what it did.
 *
 * usage: workload [--comm NAME] [--pre-sleep MS] [--time] STEP...
 *        workload --exec FILE [--] CMD [ARG...]
 *   --getppid N          N getppid system calls
 *   --thread-getppid N   N getppid calls in a second thread (its id is not the process's);
 *                        prints "thread TID" first
 *   --int80 N            N getppid calls through int 0x80 (compat calls; x86_64 only)
 *   --compat-probe       whether this kernel runs compat (32-bit) system calls: one int 0x80
 *                        getppid in a child process; prints "compat yes" or "compat no: WHY"
 *                        and exits 0 either way (2 where the question has no meaning)
 *   --syscall NR:N       N calls of system call NR with every argument -1 (bad file
 *                        descriptors and addresses: refused before doing anything)
 *   --read N:SIZE        N reads of SIZE bytes from /dev/zero
 *   --read-sizes N       one read of each size 1..N bytes from /dev/zero (N distinct keys
 *                        for a hist keyed by the read size)
 *   --sleep N:USEC       N sleeps of USEC microseconds (nanosleep)
 *   --call N             N calls of workload_target(i, 3 * i) (for uprobes: returns 7 * i + 1)
 *   --twin N             N calls of workload_twin(i), a second function for uprobe globs
 *                        ('workload_t*' matches both)
 *   --open N:PATH        N openat() calls of PATH (opened read-only, then closed)
 *   --tick N:USEC        N getppid calls, call i due at START + i * USEC (absolute deadlines);
 *                        prints "tick start START_NS" before the first call, then
 *                        "tick N x USEC us (max late L us)" at the end
 *   --tick-log FILE      (before --tick) write the time in ns of each tick's call to FILE,
 *                        one a line, in call order
 * Steps run in the order given. --comm sets the process name (max 15 characters) before the
 * first step; --pre-sleep waits before the first step, so a tracer can attach. --time adds a
 * line "time STEP NS" after each later step: its duration in ns (CLOCK_MONOTONIC), and a line
 * "cpu STEP NS": the CPU time the process spent in it (user and system), which other load on
 * a shared machine does not inflate as it does the wall time; and for --getppid a line
 * "cpumin getppid NS": the CPU time of its calls at the rate of its best chunk of 2000.
 * --exec writes the CLOCK_MONOTONIC time in ns to FILE and execs CMD: the benchmarks start a
 * tool through it to know when the tool began, on the clock --tick uses.
 */
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>

/* Not static, never inlined, one symbol: what uprobe tests probe by name. */
__attribute__((noinline, used)) long workload_target(long i, long arg);
__attribute__((noinline, used)) long workload_target(long i, long arg)
{
	__asm__ volatile("" ::: "memory");
	return 2 * arg + i + 1;
}

__attribute__((noinline, used)) long workload_twin(long i);
__attribute__((noinline, used)) long workload_twin(long i)
{
	__asm__ volatile("" ::: "memory");
	return i + 2;
}

static long long clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int parse_pair(const char *s, long *n, long *m)
{
	char *end;

	*n = strtol(s, &end, 10);
	if (*end != ':' || *n < 0)
		return -1;
	*m = strtol(end + 1, &end, 10);
	return *end || *m < 0 ? -1 : 0;
}

static int step_read(long n, long size)
{
	char *buf = malloc(size ? (size_t)size : 1);
	int fd = open("/dev/zero", O_RDONLY);

	if (!buf || fd < 0)
		return -1;
	for (long i = 0; i < n; i++)
		if (read(fd, buf, (size_t)size) != size)
			return -1;
	close(fd);
	free(buf);
	printf("read %ld x %ld bytes\n", n, size);
	return 0;
}

static void step_sleep(long n, long usec)
{
	struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };

	for (long i = 0; i < n; i++)
		nanosleep(&ts, NULL);
	printf("sleep %ld x %ld us\n", n, usec);
}

static int step_open(long n, const char *path)
{
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return -1;
		close(fd);
	}
	printf("open %ld x %s\n", n, path);
	return 0;
}

/*
 * The attach-time benchmark counts how many of these calls a tool missed after it was started:
 * absolute deadlines keep call i at START + i * USEC however long each call took, and the
 * lateness is reported because it bounds the error of that estimate.
 */
static int step_tick(long n, long usec, const char *log)
{
	long long start = now_ns(), late, max_late = 0, *at = calloc((size_t)n + 1, sizeof(*at));
	struct timespec ts;
	FILE *f;

	if (!at)
		return -1;

	printf("tick start %lld\n", start);
	for (long i = 0; i < n; i++) {
		long long due = start + (long long)i * usec * 1000;

		ts.tv_sec = (time_t)(due / 1000000000LL);
		ts.tv_nsec = (long)(due % 1000000000LL);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		at[i] = now_ns();
		syscall(SYS_getppid);
		late = at[i] - due;
		if (late > max_late)
			max_late = late;
	}
	printf("tick %ld x %ld us (max late %lld us)\n", n, usec, max_late / 1000);
	f = log ? fopen(log, "w") : NULL;
	for (long i = 0; f && i < n; i++)
		fprintf(f, "%lld\n", at[i]);
	free(at);
	if (log && (!f || fclose(f)))
		return -1;
	return 0;
}

/* Writes the start stamp and becomes the command; returns only if that failed. */
static int exec_stamped(const char *file, char **argv)
{
	FILE *f;

	if (!argv[0])
		return -1;
	f = fopen(file, "w");
	if (!f)
		return -1;
	fprintf(f, "%lld\n", now_ns());
	if (fclose(f))
		return -1;
	execvp(argv[0], argv);
	perror(argv[0]);
	return -1;
}

/* The long name of option @c, for the "time" lines. */
static int opt_index(const struct option *opts, int c)
{
	int i = 0;

	while (opts[i].name && opts[i].val != c)
		i++;
	return i;
}

/* N getppid calls through int 0x80: compat (32-bit) calls, which the syscalls:* events leave
 * out; their number (64) is semget's among native calls. */
static int step_int80(long n)
{
#if defined(__x86_64__)
	for (long i = 0; i < n; i++) {
		long ret;

		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(64L)
				 : "memory", "r8", "r9", "r10", "r11");
	}
	printf("int80 getppid %ld\n", n);
	return 0;
#else
	return n ? -1 : 0;
#endif
}

/* A kernel may be built with IA32 emulation and still refuse it: ia32_emulation=0 on the
 * command line, or a hypervisor that does not deliver int 0x80 (seen: SIGSEGV on 6.18). Only
 * trying tells, and the try may kill the process, so a child makes it. */
static int compat_probe(void)
{
#if defined(__x86_64__)
	int status;
	pid_t child = fork();

	if (child < 0)
		return 2;
	if (child == 0) {
		long ret;

		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(64L)
				 : "memory", "r8", "r9", "r10", "r11");
		_exit(ret == (long)getppid() ? 0 : 1);
	}
	if (waitpid(child, &status, 0) != child)
		return 2;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		printf("compat yes\n");
	else if (WIFSIGNALED(status))
		printf("compat no: int 0x80 killed the process with signal %d\n", WTERMSIG(status));
	else
		printf("compat no: int 0x80 did not return getppid()\n");
	return 0;
#else
	printf("compat no: not x86_64\n");
	return 2;
#endif
}

static int step_read_sizes(long n)
{
	char *buf = malloc(n > 0 ? (size_t)n : 1);
	int fd = open("/dev/zero", O_RDONLY);

	if (!buf || fd < 0)
		return -1;
	for (long size = 1; size <= n; size++)
		if (read(fd, buf, (size_t)size) != size)
			return -1;
	close(fd);
	free(buf);
	printf("read-sizes 1..%ld\n", n);
	return 0;
}

/*
 * N getppid calls. Timed, they are made in chunks of GETPPID_CHUNK, each timed in CPU time,
 * and "cpumin getppid NS" says what N calls cost at the best chunk's rate: on a shared
 * machine the whole loop's CPU time also holds other load's cache misses, interrupts and
 * other users' tracers coming and going, which the best chunk of a run leaves out.
 */
#define GETPPID_CHUNK 2000
static void step_getppid(long n, int timed)
{
	long long best = -1;

	for (long i = 0; i < n;) {
		long k = n - i < GETPPID_CHUNK ? n - i : GETPPID_CHUNK;
		long long c0 = timed ? clock_ns(CLOCK_PROCESS_CPUTIME_ID) : 0, dt;

		for (long j = 0; j < k; j++)
			syscall(SYS_getppid);
		i += k;
		dt = timed ? clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0 : 0;
		if (timed && k == GETPPID_CHUNK && (best < 0 || dt < best))
			best = dt;
	}
	printf("getppid %ld\n", n);
	if (best >= 0)
		printf("cpumin getppid %lld\n", best * n / GETPPID_CHUNK);
}

static void *thread_getppid(void *arg)
{
	long n = *(const long *)arg;

	printf("thread %ld\n", (long)syscall(SYS_gettid));
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return NULL;
}

/* N getppid calls in a thread of their own: its id (common_pid) differs from the process's. */
static int step_thread_getppid(long n)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_getppid, &n) || pthread_join(t, NULL))
		return -1;
	printf("thread-getppid %ld\n", n);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: workload [--comm NAME] [--pre-sleep MS] [--time] [--getppid N] "
			"[--thread-getppid N] [--int80 N] [--compat-probe] [--syscall NR:N] "
			"[--read N:SIZE] [--read-sizes N] [--sleep "
			"N:USEC] [--call N] [--twin N] "
			"[--open N:PATH] "
			"[--tick-log FILE] [--tick N:USEC]...\n"
			"       workload --exec FILE [--] CMD [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "comm", required_argument, NULL, 'c' },
		{ "pre-sleep", required_argument, NULL, 'p' },
		{ "getppid", required_argument, NULL, 'g' },
		{ "thread-getppid", required_argument, NULL, 'G' },
		{ "int80", required_argument, NULL, 'i' },
		{ "compat-probe", no_argument, NULL, 'C' },
		{ "syscall", required_argument, NULL, 'y' },
		{ "read", required_argument, NULL, 'r' },
		{ "read-sizes", required_argument, NULL, 'R' },
		{ "sleep", required_argument, NULL, 's' },
		{ "call", required_argument, NULL, 'f' },
		{ "twin", required_argument, NULL, 'w' },
		{ "open", required_argument, NULL, 'o' },
		{ "tick", required_argument, NULL, 't' },
		{ "time", no_argument, NULL, 'T' },
		{ "exec", required_argument, NULL, 'x' },
		{ "tick-log", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	long n, m, sum = 0;
	long long t0 = 0, c0 = 0;
	int c, started = 0, timed = 0;
	const char *tick_log = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* "+": stop at the first non-option, so what follows --exec FILE is the command's own. */
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'x') {
			if (optind < argc && !strcmp(argv[optind], "--"))
				optind++;
			exec_stamped(optarg, argv + optind);
			return usage();
		}
		if (c == 'C')
			return compat_probe();
		if (c == 'T') {
			timed = 1;
			continue;
		}
		if (c == 'L') {
			tick_log = optarg;
			continue;
		}
		if (c == 'c') {
			prctl(PR_SET_NAME, optarg);
			continue;
		}
		if (c == 'p') {
			usleep((useconds_t)atol(optarg) * 1000);
			continue;
		}
		if (!started++)
			printf("pid %d\n", (int)getpid());
		t0 = now_ns();
		c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		switch (c) {
		case 'g':
			step_getppid(atol(optarg), timed);
			break;
		case 'G':
			if (step_thread_getppid(atol(optarg)))
				return usage();
			break;
		case 'i':
			if (step_int80(atol(optarg)))
				return usage();
			break;
		case 'y':
			if (parse_pair(optarg, &n, &m))
				return usage();
			for (long i = 0; i < m; i++)
				syscall(n, -1L, -1L, -1L, -1L, -1L, -1L);
			printf("syscall %ld x %ld\n", n, m);
			break;
		case 'r':
			if (parse_pair(optarg, &n, &m) || step_read(n, m))
				return usage();
			break;
		case 'R':
			if (step_read_sizes(atol(optarg)))
				return usage();
			break;
		case 's':
			if (parse_pair(optarg, &n, &m))
				return usage();
			step_sleep(n, m);
			break;
		case 'f':
			n = atol(optarg);
			for (long i = 0; i < n; i++)
				sum += workload_target(i, 3 * i);
			printf("call %ld (sum %ld)\n", n, sum);
			break;
		case 'w':
			n = atol(optarg);
			for (long i = 0; i < n; i++)
				sum += workload_twin(i);
			printf("twin %ld\n", n);
			break;
		case 'o':
			n = strtol(optarg, NULL, 10);
			if (!strchr(optarg, ':') || step_open(n, strchr(optarg, ':') + 1))
				return usage();
			break;
		case 't':
			if (parse_pair(optarg, &n, &m) || step_tick(n, m, tick_log))
				return usage();
			break;
		default:
			return usage();
		}
		if (timed) {
			const char *name = opts[opt_index(opts, c)].name;

			printf("time %s %lld\n", name, now_ns() - t0);
			printf("cpu %s %lld\n", name, clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0);
		}
	}
	return optind < argc ? usage() : 0;
}
