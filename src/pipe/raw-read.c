// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU reader's thread: it only moves pages out of the kernel's ring buffers into
 * memory (cheap, a page at a time) and hands them to the main thread, which decodes and
 * writes (raw-merge.c). A burst faster than decoding then waits in memory (up to MEM_CAP)
 * instead of being overwritten in the kernel. Each pass notes the time it began: once every
 * CPU ran empty, events stamped before it (less SLACK_NS) are safe to write in order.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tracefs.h>

#include "log.h"
#include "pipe/raw-int.h"

/**
 * ft_pipe_raw_page_put() - free a page read and written (or dropped)
 * @r: the reader
 * @p: the page
 */
void ft_pipe_raw_page_put(struct reader *r, char *p)
{
	free(p);
	__atomic_fetch_sub(&r->pages, 1, __ATOMIC_RELAXED);
}

static int q_push(struct cpu_q *c, char *page)
{
	char **np;

	if (c->head == c->tail)
		c->head = c->tail = 0;
	if (c->tail == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		np = realloc(c->pages, cap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		c->pages = np;
		c->cap = cap;
	}
	c->pages[c->tail++] = page;
	return 0;
}

static int inq_push(struct inq *q, char *page)
{
	char **nv;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;

		nv = realloc(q->v, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		q->v = nv;
		q->cap = cap;
	}
	q->v[q->n++] = page;
	return 0;
}

/*
 * Whether a page read from trace_pipe_raw is partly filled: the writer was still on it and
 * the kernel copied out what was there. Its header is the timestamp (u64) and the commit
 * (a long) holding the data size, with the missed-events flags in bits 31 and 30.
 */
static bool page_partial(const char *page, int psize)
{
	unsigned long commit;

	memcpy(&commit, page + 8, sizeof(commit));
	commit &= (1UL << 30) - 1;
	return commit + 8 + sizeof(commit) + 256 < (unsigned long)psize;
}

/*
 * Reader thread: read what one CPU has into @local. Returns full pages read, or -errno;
 * sets *@empty when the CPU had nothing more (rather than the memory cap stopping the read).
 * A partly filled page ends the pass: reading the page the writer is on again at once would
 * cost a system call for a few events, so the next read waits for the kernel's watermark.
 */
static int drain(struct reader *r, struct cpu_q *c, struct inq *local, bool *empty)
{
	size_t cap = MEM_CAP / (size_t)r->psize;
	int n = 0;

	*empty = false;
	while (__atomic_load_n(&r->pages, __ATOMIC_RELAXED) < cap) {
		char *page = malloc((size_t)r->psize);
		int got;

		if (!page || inq_push(local, page)) {
			free(page);
			return -ENOMEM;
		}
		got = tracefs_cpu_read(c->tcpu, page, true);
		if (got <= 0) {
			local->n--;
			free(page);
			if (got < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			*empty = true;
			break;
		}
		__atomic_fetch_add(&r->pages, 1, __ATOMIC_RELAXED);
		if (page_partial(page, r->psize)) {
			*empty = true;
			break;
		}
		n++;
	}
	return n;
}

/* Reader thread: one pass over every CPU; hands the pages over. Returns pages, or -errno. */
static int drain_all(struct reader *r)
{
	unsigned long long t0 = now_ns();
	struct inq local = { 0 };
	bool all_empty = true;
	int total = 0;

	for (int i = 0; i < r->ncpus; i++) {
		bool empty;
		int n = drain(r, &r->cpus[i], &local, &empty);

		all_empty &= empty;
		if (n < 0) {
			ft_err("reading trace_pipe_raw of CPU %d: %s", r->cpus[i].cpu,
			       strerror(-n));
			free(local.v);
			return n;
		}
		pthread_mutex_lock(&r->mu);
		for (size_t k = 0; k < local.n; k++)
			if (inq_push(&r->in[i], local.v[k]))
				n = -ENOMEM;
		r->fresh |= local.n > 0;
		pthread_mutex_unlock(&r->mu);
		local.n = 0;
		if (n < 0) {
			free(local.v);
			return n;
		}
		total += n;
	}
	free(local.v);
	pthread_mutex_lock(&r->mu);
	if (all_empty)
		r->safe = t0 - SLACK_NS;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return total;
}

/*
 * Wait until a CPU has data (the kernel's watermark) or @ms pass. When poll says "readable"
 * but the last pass read nothing, sleep instead: some kernels report an empty buffer as
 * readable, and polling again at once would spin.
 */
static void wait_data(struct reader *r, int ms, bool *spurious)
{
	struct timespec nap = { 0, 10000000 };
	struct pollfd pfd[256];
	int n = r->ncpus < 256 ? r->ncpus : 256;

	if (*spurious) {
		nanosleep(&nap, NULL);
		*spurious = false;
		return;
	}
	for (int i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = r->cpus[i].fd, .events = POLLIN };
	*spurious = poll(pfd, (nfds_t)n, ms) > 0;
}

/**
 * ft_pipe_raw_reader_main() - the reader thread: pages out of the kernel as they come
 * @arg: the struct reader
 *
 * Runs until told to stop (@stop under @mu), then makes one last pass and says it is done.
 *
 * Return: NULL; an error is left in the reader's @err.
 */
void *ft_pipe_raw_reader_main(void *arg)
{
	struct reader *r = arg;
	bool spurious = false;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are the main thread's */
	for (;;) {
		bool stop;
		int n;

		pthread_mutex_lock(&r->mu);
		stop = r->stop;
		pthread_mutex_unlock(&r->mu);
		n = drain_all(r); /* after a stop: the last pass, what was there at the stop */
		if (n < 0 || stop) {
			pthread_mutex_lock(&r->mu);
			r->err = n < 0 ? n : 0;
			r->reader_done = true;
			pthread_cond_signal(&r->cv);
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		if (!n)
			wait_data(r, POLL_MS / 2, &spurious);
		else
			spurious = false;
	}
}

/**
 * ft_pipe_raw_take() - the main thread takes the pages the reader thread handed over
 * @r: the reader
 * @deadline: CLOCK_MONOTONIC time (ns) to wait until when none are there yet
 * @err: set to the reader thread's error, or 0
 *
 * Return: the time (ns) events stamped at or before which can be written in order.
 */
unsigned long long ft_pipe_raw_take(struct reader *r, unsigned long long deadline, int *err)
{
	unsigned long long safe;

	pthread_mutex_lock(&r->mu);
	if (!r->fresh && !r->reader_done) {
		struct timespec ts = { (time_t)(deadline / 1000000000ULL),
				       (long)(deadline % 1000000000ULL) };

		pthread_cond_timedwait(&r->cv, &r->mu, &ts);
	}
	for (int i = 0; i < r->ncpus; i++) {
		for (size_t k = 0; k < r->in[i].n; k++)
			if (q_push(&r->cpus[i], r->in[i].v[k]))
				ft_pipe_raw_page_put(r, r->in[i].v[k]);
		r->in[i].n = 0;
	}
	r->fresh = false;
	safe = r->reader_done && !r->err ? ULLONG_MAX : r->safe;
	*err = r->err;
	pthread_mutex_unlock(&r->mu);
	return safe;
}
