/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of the per-CPU reader share: raw.c (set-up, the main loop), raw-read.c (the
 * reader thread: pages out of the kernel) and raw-merge.c (the pages decoded, in timestamp
 * order, to the output).
 */
#ifndef FT_PIPE_RAW_INT_H
#define FT_PIPE_RAW_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "json.h"
#include "pipe/fmt.h"
#include "pipe/pipe.h"

struct kbuffer;
struct tep_handle;

/* How long an event may sit between reserving its timestamp and its commit. */
#define SLACK_NS 2000000ULL
/* How long the reader thread lets events gather after a pass that ended at a partial page. */
#define GATHER_NS 10000000ULL
/* The longest the last batch after a stop may take. */
#define DRAIN_MS 500
/* Memory for pages read and not yet written; beyond it the kernel's buffer has to hold. */
#define MEM_CAP (256UL << 20)

/* One CPU: its file, the pages read and not yet written, and the event at their head. */
struct cpu_q {
	int cpu;
	int fd;
	char **pages;
	size_t head, tail, cap;
	struct kbuffer *kb;
	bool loaded;
	void *ev;
	unsigned long long ts;
	long long lost;
	unsigned long long counted;
	bool unknown_warned;
};

struct reader {
	struct ft_session *s;
	const struct ft_pipe_opts *o;
	struct tep_handle *tep;
	struct cpu_q *cpus;
	int ncpus;
	int psize;
	FILE *out;
	bool to_file;
	unsigned long long flush_due; /* ft_pipe_out_tick() */
	struct ft_json j;
	struct ft_pipe_fmt fmt;
	struct ft_pipe_stats *st;
	bool cmdlines_loaded;
	int last_pid;
	const char *last_comm;
	bool done;
	bool cut;
	/* shared with the reader thread, under @mu */
	pthread_t thread;
	pthread_mutex_t mu;
	/* eventfds: the reader thread says "pages or done" on one, is told to stop on the other */
	int ready_fd;
	int stop_fd;
	struct inq *in;
	bool fresh;
	bool stop;
	bool reader_done;
	bool started;
	int err;
	unsigned long long safe;
	/* pages in memory, changed atomically by both threads */
	size_t pages;
};

/* Pages the reader thread handed over and the main thread has not taken yet, per CPU. */
struct inq {
	char **v;
	size_t n, cap;
};

static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

void ft_pipe_raw_page_put(struct reader *r, char *p);
void *ft_pipe_raw_reader_main(void *arg);
unsigned long long ft_pipe_raw_take(struct reader *r, unsigned long long deadline, bool wait,
				    int *err);
void ft_pipe_raw_bell(int fd);
void ft_pipe_raw_write_out(struct reader *r, unsigned long long upto, unsigned long long until,
			   bool last);
void ft_pipe_raw_lost_totals(struct reader *r);
unsigned long long ft_pipe_raw_unwritten(struct reader *r);

int ft_pipe_raw_page_header(struct reader *r);
int ft_pipe_raw_open_cpus(struct reader *r);
int ft_pipe_raw_thread_start(struct reader *r);
void ft_pipe_raw_thread_stop(struct reader *r);
void ft_pipe_raw_release(struct reader *r);

#endif
