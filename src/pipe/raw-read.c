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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pipe/raw-int.h"
#include "signals.h"

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
 * A partly filled page ends a pass: reading the page the writer is on again at once would
 * cost a system call for a few events. Not the @last pass after a stop: a partly filled
 * page is also what the rest of a page read in part before comes as, with full pages after
 * it, and those are the events still in the buffer at the stop.
 */
static int drain(struct reader *r, struct cpu_q *c, struct inq *local, bool last, bool *empty)
{
	size_t cap = MEM_CAP / (size_t)r->psize;
	int n = 0;

	*empty = false;
	while (__atomic_load_n(&r->pages, __ATOMIC_RELAXED) < cap) {
		char *page = malloc((size_t)r->psize);
		ssize_t got;

		if (!page || inq_push(local, page)) {
			free(page);
			return -ENOMEM;
		}
		/* The file is O_NONBLOCK: EAGAIN when the CPU's buffer is empty. */
		got = read(c->fd, page, (size_t)r->psize);
		if (got <= 0) {
			local->n--;
			free(page);
			if (got < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			*empty = true;
			break;
		}
		__atomic_fetch_add(&r->pages, 1, __ATOMIC_RELAXED);
		if (!last && page_partial(page, r->psize)) {
			*empty = true;
			break;
		}
		n++;
	}
	return n;
}

/**
 * ft_pipe_raw_bell() - add one to an eventfd: wake who waits on it
 * @fd: the eventfd
 */
void ft_pipe_raw_bell(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) < 0) {
		/* Only a full counter fails, and then the waiter wakes anyway. */
	}
}

/*
 * Reader thread: one pass over every CPU; hands the pages over and rings the main thread
 * when there were some or @followup (the pass that makes the last pages safe to write).
 * Sets *@handed when it handed any over. Returns full pages, or -errno.
 */
static int drain_all(struct reader *r, bool last, bool followup, bool *handed)
{
	unsigned long long t0 = now_ns();
	struct inq local = { 0 };
	bool all_empty = true, fresh = false;
	int total = 0;

	for (int i = 0; i < r->ncpus; i++) {
		bool empty;
		int n = drain(r, &r->cpus[i], &local, last, &empty);

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
		fresh |= local.n > 0;
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
	pthread_mutex_unlock(&r->mu);
	if (fresh || followup)
		ft_pipe_raw_bell(r->ready_fd);
	*handed = fresh;
	return total;
}

/*
 * Wait in the kernel until a CPU has data or the main thread says stop (@r->stop_fd). With
 * the instance's buffer_percent at 0 (ft_pipe_setup()), poll wakes on the first event, and an
 * idle reader costs nothing. When poll says "readable" but the last pass read nothing, sleep
 * instead: some kernels report an empty buffer as readable, and polling again at once would
 * spin. @pfd has room for every CPU and the stop: a CPU left out (the first 256 only, before)
 * would never wake the reader, and its events would wait for another CPU's.
 */
static void wait_data(struct reader *r, struct pollfd *pfd, bool *spurious)
{
	struct timespec nap = { 0, 10000000 };
	int n = r->ncpus;

	if (*spurious) {
		nanosleep(&nap, NULL);
		*spurious = false;
		return;
	}
	pfd[0] = (struct pollfd){ .fd = r->stop_fd, .events = POLLIN };
	for (int i = 0; i < n; i++)
		pfd[i + 1] = (struct pollfd){ .fd = r->cpus[i].fd, .events = POLLIN };
	*spurious = poll(pfd, (nfds_t)n + 1, -1) > 0 && !pfd[0].revents;
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
	struct timespec gather = { 0, (long)GATHER_NS };
	struct reader *r = arg;
	bool spurious = false, handed = false;
	struct pollfd *pfd = calloc((size_t)r->ncpus + 1, sizeof(*pfd));
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are the main thread's */
	for (;;) {
		bool stop;
		int n;

		pthread_mutex_lock(&r->mu);
		stop = r->stop;
		pthread_mutex_unlock(&r->mu);
		/* After a stop: the last pass, every CPU until it is empty. */
		n = pfd ? drain_all(r, stop, handed, &handed) : -ENOMEM;
		if (n < 0 || stop) {
			pthread_mutex_lock(&r->mu);
			r->err = n < 0 ? n : 0;
			r->reader_done = true;
			pthread_mutex_unlock(&r->mu);
			ft_pipe_raw_bell(r->ready_fd);
			free(pfd);
			return NULL;
		}
		/*
		 * After a pass that ended at the page the kernel writes on, let events gather
		 * (GATHER_NS) rather than wake for each one, then pass again: that pass also makes
		 * the pages just handed over safe to write (it begins past their time, SLACK_NS).
		 * Only when a pass found nothing does the thread sleep until the next event.
		 */
		if (n)
			spurious = false;
		else if (handed)
			nanosleep(&gather, NULL);
		else
			wait_data(r, pfd, &spurious);
	}
}

/*
 * Main thread: wait on the reader thread's eventfd until @deadline (0: no limit), or until a
 * stop signal. The stop signals are held from the check of the flag to the wait, which lets
 * them in (ppoll): one that comes in between is not lost until the next event.
 */
static void wait_ready(struct reader *r, unsigned long long deadline)
{
	struct pollfd pfd = { .fd = r->ready_fd, .events = POLLIN };
	unsigned long long t = deadline ? now_ns() : 0;
	struct timespec ts = { 0, 0 };
	sigset_t old;
	uint64_t v;

	if (deadline && t >= deadline)
		return;
	if (deadline) {
		ts.tv_sec = (time_t)((deadline - t) / 1000000000ULL);
		ts.tv_nsec = (long)((deadline - t) % 1000000000ULL);
	}
	ft_signals_hold(&old);
	if (!ft_stop_signal)
		ppoll(&pfd, 1, deadline ? &ts : NULL, &old);
	ft_signals_release(&old);
	if (read(r->ready_fd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing rang (a timeout or a signal) */
	}
}

/**
 * ft_pipe_raw_take() - the main thread takes the pages the reader thread handed over
 * @r: the reader
 * @deadline: CLOCK_MONOTONIC time (ns) to wait until when none are there yet, 0 for no limit
 *            (a stop signal ends the wait too)
 * @wait: whether to wait at all
 * @err: set to the reader thread's error, or 0
 *
 * Return: the time (ns) events stamped at or before which can be written in order.
 */
unsigned long long ft_pipe_raw_take(struct reader *r, unsigned long long deadline, bool wait,
				    int *err)
{
	unsigned long long safe;
	bool idle;

	pthread_mutex_lock(&r->mu);
	idle = !r->fresh && !r->reader_done;
	pthread_mutex_unlock(&r->mu);
	if (wait && idle)
		wait_ready(r, deadline);
	pthread_mutex_lock(&r->mu);
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
