// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU reader's pages as they are, for `ftrig record`: the same reader thread as the
 * decoding reader (raw-read.c) moves sub-buffer pages out of trace_pipe_raw, and this main
 * loop hands each page, undecoded, to a callback. Nothing is merged or decoded except to
 * count the events and the losses the pages carry, so what the callback stores is what the
 * kernel wrote: a trace.dat's CPU data is exactly these pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <tracefs.h>

#include "log.h"
#include "pipe/pages.h"
#include "pipe/raw-int.h"
#include "session.h"
#include "signals.h"
#include "tfs.h"

/* The sub-buffer size, from the instance's page header. */
static int page_size(struct reader *r)
{
	const char *inst = ft_session_instance(r->s);
	size_t len;
	char *text;

	r->tep = tep_alloc();
	if (!r->tep)
		return -ENOMEM;
	text = ft_tfs_read(r->s->tfs, inst, "events/header_page", &len);
	if (!text) {
		ft_err("cannot read events/header_page of %s: %s", inst, strerror(errno));
		return -EIO;
	}
	tep_parse_header_page(r->tep, text, len, (int)sizeof(long));
	free(text);
	r->psize = tep_get_sub_buffer_size(r->tep);
	if (r->psize <= 0)
		r->psize = getpagesize();
	return 0;
}

/* Every CPU's trace_pipe_raw, non-blocking, as the decoding reader opens them. */
static int open_cpus(struct reader *r)
{
	enum kbuffer_long_size ls = sizeof(long) == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4;
	enum kbuffer_endian en = tep_is_bigendian() ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE;
	long n = sysconf(_SC_NPROCESSORS_CONF);
	char path[PATH_MAX];

	r->cpus = calloc((size_t)(n > 0 ? n : 1), sizeof(*r->cpus));
	if (!r->cpus)
		return -ENOMEM;
	for (int cpu = 0; cpu < n; cpu++) {
		struct cpu_q *c = &r->cpus[r->ncpus];

		snprintf(path, sizeof(path), "per_cpu/cpu%d/trace_pipe_raw", cpu);
		c->fd = ft_tfs_open_file(r->s->tfs, ft_session_instance(r->s), path,
					 O_RDONLY | O_NONBLOCK);
		if (c->fd < 0)
			continue; /* an offline or absent CPU */
		c->tcpu = tracefs_cpu_alloc_fd(c->fd, r->psize, true);
		c->kb = kbuffer_alloc(ls, en);
		if (!c->tcpu || !c->kb) {
			close(c->fd);
			return -ENOMEM;
		}
		c->cpu = cpu;
		r->ncpus++;
	}
	if (!r->ncpus) {
		ft_err("cannot open any trace_pipe_raw of instance %s: %s",
		       ft_session_instance(r->s), strerror(errno));
		return -EIO;
	}
	return 0;
}

/* Count a page's events and the loss its header reports before it. */
static void count(struct reader *r, struct cpu_q *c, char *page)
{
	unsigned long long ts;
	int missed;

	kbuffer_load_subbuffer(c->kb, page);
	missed = kbuffer_missed_events(c->kb);
	if (missed > 0)
		c->counted += (unsigned long long)missed;
	for (void *ev = kbuffer_read_event(c->kb, &ts); ev; ev = kbuffer_next_event(c->kb, &ts))
		r->st->events++;
}

/* Hand every page taken so far to @fn, in each CPU's order. */
static int hand_over(struct reader *r, ft_pipe_page_fn fn, void *arg)
{
	int ret = 0;

	for (int i = 0; i < r->ncpus; i++) {
		struct cpu_q *c = &r->cpus[i];

		for (; c->head < c->tail; c->head++) {
			char *page = c->pages[c->head];

			if (!ret) {
				count(r, c, page);
				ret = fn(arg, c->cpu, page, (size_t)r->psize);
			}
			ft_pipe_raw_page_put(r, page);
		}
		c->head = c->tail = 0;
	}
	return ret;
}

static int start(struct reader *r)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&r->mu, NULL);
	r->in = calloc((size_t)r->ncpus, sizeof(*r->in));
	if (!r->in || pthread_create(&r->thread, NULL, ft_pipe_raw_reader_main, r)) {
		ft_err("cannot start the reader thread");
		return -ENOMEM;
	}
	return 0;
}

static int run(struct reader *r, ft_pipe_page_fn fn, void *arg)
{
	unsigned long long end = r->o->duration_ms ? now_ns() + r->o->duration_ms * 1000000ULL : 0;
	int err = 0, ret = 0;

	if (start(r))
		return -ENOMEM;
	while (!ft_stop_signal && !err && !ret) {
		unsigned long long t = now_ns(), deadline = t + POLL_MS * 1000000ULL;

		if (end && t >= end)
			break;
		if (end && end < deadline)
			deadline = end;
		ft_pipe_raw_take(r, deadline, &err);
		ret = hand_over(r, fn, arg);
	}
	/* As the decoding reader: the last pass must find the buffers running empty. */
	ft_pipe_stop_recording(r->s);
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	if (!err && !ret) {
		ft_pipe_raw_take(r, 0, &err);
		ret = hand_over(r, fn, arg);
	}
	return err ? err : ret;
}

static void release(struct reader *r)
{
	for (int i = 0; i < r->ncpus; i++) {
		struct cpu_q *c = &r->cpus[i];

		for (size_t p = c->head; p < c->tail; p++)
			free(c->pages[p]);
		free(c->pages);
		kbuffer_free(c->kb);
		/* libtracefs 1.6 leaves the descriptor open; an open one keeps the instance busy */
		tracefs_cpu_free_fd(c->tcpu);
		close(c->fd);
	}
	for (int i = 0; r->in && i < r->ncpus; i++) {
		for (size_t k = 0; k < r->in[i].n; k++)
			free(r->in[i].v[k]);
		free(r->in[i].v);
	}
	if (r->in) {
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
	}
	free(r->in);
	free(r->cpus);
	if (r->tep)
		tep_free(r->tep);
}

/**
 * ft_pipe_read_pages() - hand the session instance's ring-buffer pages to a callback
 * @s: the session, whose instance has the events enabled
 * @o: the options (the duration limit; a count limit is not taken: pages hold many events)
 * @fn: called with every page read, CPU by CPU in the order read; a non-zero return stops
 * @arg: passed to @fn
 * @st: set to the events the pages held and the events the kernel lost
 *
 * Stops at ft_stop_signal, the duration limit, or an error of @fn; then turns recording off
 * in the instance and hands over what was left in the buffers. The pages are read by the
 * decoding reader's thread (raw-read.c); all files are closed on return, so the instance can
 * go.
 *
 * Return: 0, or -errno from reading (logged) or from @fn.
 */
int ft_pipe_read_pages(struct ft_session *s, const struct ft_pipe_opts *o, ft_pipe_page_fn fn,
		       void *arg, struct ft_pipe_stats *st)
{
	struct reader r = { .s = s, .o = o, .st = st, .out = stdout };
	int ret;

	trace_seq_init(&r.seq);
	ret = page_size(&r);
	if (!ret)
		ret = open_cpus(&r);
	if (!ret)
		ret = run(&r, fn, arg);
	if (!ret)
		ft_pipe_raw_lost_totals(&r);
	trace_seq_destroy(&r.seq);
	release(&r);
	return ret;
}
