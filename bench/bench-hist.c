// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: parse a hist file at the kernel's maximum size (131072 entries, three keys:
 * common_pid.execname, id.syscall, common_cpu; values hitcount and bytes) and compare with
 * the time `cat` needs to read the same file. The text is made by the text exporter, which
 * writes byte for byte what the 6.1 kernel prints (the unit tests check that on every fixture).
 *
 * usage: bench-hist [ENTRIES [RUNS]]     (make bench-hist)
 *        bench-hist --file HIST [RUNS]   a live hist file: the kernel's part and ftrig's
 * Prints the file size, cat's time, the parse time (best and median of RUNS), MB/s, the
 * ratio parse / cat, and whether the 50 ms target is met. Exit 1 if the parse is wrong.
 *
 * Times are CPU time (user + system: cat's from its rusage, the parse's from this thread's
 * clock), which other load on a shared machine does not inflate as it inflates wall time
 * (wall-clock medians are printed too). System time counts: most of a parse's used to be the
 * page faults of the memory its model fills.
 */
#include <sys/resource.h>
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hist/export-text.h"
#include "hist/parse.h"
#include "util.h"

extern char **environ;

static const char *const syscalls[] = {
	"sys_read", "sys_write", "sys_openat",		"sys_close",
	"sys_mmap", "sys_futex", "sys_clock_nanosleep", "sys_epoll_wait"
};
static const char *const comms[] = { "sh",     "kworker/0:1",	 "rcu_preempt", "postgres: writer",
				     "chrome", "systemd-journal" };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int set_cols(struct ft_hist *h)
{
	static const char *const kn[] = { "common_pid", "id", "common_cpu" };
	static const char *const km[] = { "execname", "syscall", "" };
	static const enum ft_key_kind kk[] = { FT_KEY_EXECNAME, FT_KEY_SYSCALL, FT_KEY_NUM };

	h->nkeys = 3;
	h->nvals = 2;
	for (size_t i = 0; i < 3; i++)
		h->keys[i] = (struct ft_hist_col){ kn[i], km[i], kk[i], false, false };
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	h->vals[1] = (struct ft_hist_col){ "bytes", "", FT_KEY_NUM, false, true };
	h->trigger = "hist:keys=common_pid.execname,id.syscall,common_cpu:vals=hitcount,bytes:"
		     "sort=hitcount:size=131072 [active]";
	return 0;
}

/* A hist with @n distinct keys, as a kernel table at size=131072 would hold. */
static struct ft_hist *make_hist(size_t n)
{
	struct ft_hist *h = ft_hist_alloc("raw_syscalls:sys_enter", "", "hist");

	if (!h || set_cols(h))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);
		size_t sc = i % 8;

		if (!e)
			return NULL;
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_EXECNAME,
					      .num = 1000 + i / 16,
					      .str = comms[(i / 16) % 6] };
		e->keys[1] = (struct ft_key){ .kind = FT_KEY_SYSCALL,
					      .num = sc * 7,
					      .str = syscalls[sc] };
		e->keys[2] = (struct ft_key){ .kind = FT_KEY_NUM, .num = (i / 8) % 2 };
		e->vals[0] = 1 + (i * 2654435761u) % 100000;
		e->vals[1] = e->vals[0] * 64;
		h->hits += e->vals[0];
	}
	h->nentries_total = n;
	return h;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

/* cat @path >/dev/null: its CPU time, and the wall time in *@wall. */
static double run_cat(const char *path, double *wall)
{
	char *argv[] = { "cat", (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	double t0 = now_ms();
	struct rusage ru;
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	if (posix_spawnp(&pid, "cat", &fa, NULL, argv, environ))
		return -1;
	posix_spawn_file_actions_destroy(&fa);
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	*wall = now_ms() - t0;
	return tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Parse @text once; checks the result; sets *@t to the run's CPU ms, *@w to its wall ms. */
static int parse_once(const char *text, size_t len, size_t want, uint64_t hits, double *t,
		      double *w)
{
	struct ft_hist **v;
	size_t n;
	double t0 = now_ms(), c0 = cpu_ms();
	int ret = ft_hist_parse(text, len, "raw_syscalls:sys_enter", NULL, &v, &n);

	*t = cpu_ms() - c0;
	*w = now_ms() - t0;
	if (ret || n != 1 || v[0]->nentries != want || v[0]->nunknown ||
	    ft_hist_sum(v[0], 0) != hits) {
		fprintf(stderr, "bench-hist: the parse is wrong (%d, %zu hists)\n", ret, n);
		return -1;
	}
	ft_hist_free_all(v, n);
	return 0;
}

/*
 * A live hist file (the VM's kernel has hist triggers): each run times cat of it (the kernel
 * making the text, and copying it), ft_read_file() of it (the same, into ftrig's buffer) and
 * the parse of what was read, so that the line says which part of `ftrig hist dump`'s reading
 * is the kernel's and which ftrig's.
 */
static int live(const char *path, int runs)
{
	double tc[64], tr[64], tp[64], rc[64], wc;
	size_t len = 0, entries = 0;

	for (int r = 0; r < runs; r++) {
		struct ft_hist **v;
		size_t n;
		double c0 = cpu_ms();
		char *text = ft_read_file(path, &len);

		tr[r] = cpu_ms() - c0;
		tc[r] = run_cat(path, &wc);
		if (!text)
			return 1;
		c0 = cpu_ms();
		if (ft_hist_parse(text, len, "live", NULL, &v, &n) || !n || v[0]->nunknown) {
			fprintf(stderr, "bench-hist: %s does not parse as one hist\n", path);
			return 1;
		}
		tp[r] = cpu_ms() - c0;
		entries = v[0]->nentries;
		ft_hist_free_all(v, n);
		free(text);
		rc[r] = tc[r] / (tr[r] + tp[r]);
	}
	printf("ratios cat / parse per run:");
	for (int r = 0; r < runs; r++)
		printf(" %.4f", rc[r]);
	printf("\nlive hist file: %zu entries, %.1f MB\n", entries, (double)len / 1e6);
	printf("cat FILE >/dev/null    median %8.2f ms  (CPU time: the kernel's text, copied)\n",
	       median(tc, runs));
	printf("read() whole file      median %8.2f ms  (the same, into ftrig's buffer)\n",
	       median(tr, runs));
	printf("ftrig parse            median %8.2f ms  (ftrig's part)\n", median(tp, runs));
	return 0;
}

/* A generated file of ENTRIES entries, parsed RUNS times. */
static int generated(int argc, char **argv)
{
	size_t entries = argc > 1 ? strtoul(argv[1], NULL, 10) : 131072, len;
	int runs = argc > 2 ? atoi(argv[2]) : 15;
	char path[] = "/tmp/ftrig-bench-hist.XXXXXX", *text;
	double tp[64], tc[64], tr[64], wp[64], wc[64], rc[64], mb;
	struct ft_hist *h = make_hist(entries);
	int fd = mkstemp(path);
	FILE *f;

	runs = runs < 1 ? 1 : runs > 64 ? 64 : runs;
	if (!h || fd < 0 || !(f = fdopen(fd, "w")))
		return 1;
	ft_hist_write_text(f, h);
	fclose(f);
	text = ft_read_file(path, &len);
	if (!text)
		return 1;
	/* cat, read() and the parse take turns in each run: drift hits them alike, and each
	 * run's ratio cat / parse is one figure of the spread. */
	for (int r = 0; r < runs; r++) {
		double c0 = cpu_ms();

		free(ft_read_file(path, NULL));
		tr[r] = cpu_ms() - c0;
		tc[r] = run_cat(path, &wc[r]);
		if (parse_once(text, len, entries, h->hits, &tp[r], &wp[r])) {
			unlink(path);
			return 1;
		}
		rc[r] = tc[r] / tp[r];
	}
	unlink(path);
	printf("ratios cat / parse per run:");
	for (int r = 0; r < runs; r++)
		printf(" %.4f", rc[r]);
	printf("\n");
	mb = (double)len / 1e6;
	printf("hist file: %zu entries, 3 keys, 2 values, %.1f MB (generated in the 6.1 kernel's "
	       "layout)\n",
	       entries, mb);
	printf("wall time: cat %.2f ms, parse %.2f ms (medians)\n", median(wc, runs),
	       median(wp, runs));
	printf("cat FILE >/dev/null    median %8.2f ms  (CPU time, process included)\n",
	       median(tc, runs));
	printf("read() whole file      median %8.2f ms\n", median(tr, runs));
	/* median() sorts: tp[0] is the best run afterwards */
	printf("ftrig parse            median %8.2f ms  best %.2f ms  %.0f MB/s\n",
	       median(tp, runs), tp[0], mb / (median(tp, runs) / 1e3));
	printf("ratio parse / cat      %.2f   (parse / read(): %.2f)\n",
	       median(tp, runs) / median(tc, runs), median(tp, runs) / median(tr, runs));
	printf("target: %zu entries in < 50 ms: %s (best %.2f ms)\n", entries,
	       tp[0] < 50 ? "met" : "NOT met", tp[0]);
	free(text);
	ft_hist_free(h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--file")) {
		int runs = argc > 3 ? atoi(argv[3]) : 5;

		return live(argv[2], runs < 1 ? 1 : runs > 64 ? 64 : runs);
	}
	return generated(argc, argv);
}
