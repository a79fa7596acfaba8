// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU reader's pages as they are, for `ftrig record`: the same reader thread as the
 * decoding reader (raw-read.c) moves sub-buffer pages out of trace_pipe_raw, and this main
 * loop hands each page, undecoded, to a callback. Nothing is merged or decoded except to
 * count the events and the losses the pages carry, so what the callback stores is what the
 * kernel wrote: a trace.dat's CPU data is exactly these pages.
 */
#include <errno.h>
#include <stdlib.h>

#include <traceevent/kbuffer.h>

#include "pipe/pages.h"
#include "pipe/raw-int.h"
#include "signals.h"

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

static int run(struct reader *r, ft_pipe_page_fn fn, void *arg)
{
	unsigned long long end = r->o->duration_ms ? now_ns() + r->o->duration_ms * 1000000ULL : 0;
	int err = 0, ret = 0;

	if (ft_pipe_raw_thread_start(r))
		return -ENOMEM;
	/* Each round waits for the reader thread's pages, a stop signal or the end. */
	while (!ft_stop_signal && !err && !ret) {
		if (end && now_ns() >= end)
			break;
		ft_pipe_raw_take(r, end, true, &err);
		ret = hand_over(r, fn, arg);
	}
	ft_pipe_raw_thread_stop(r);
	if (!err && !ret) {
		ft_pipe_raw_take(r, 0, false, &err);
		ret = hand_over(r, fn, arg);
	}
	return err ? err : ret;
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

	ft_pipe_fmt_init(&r.fmt);
	ret = ft_pipe_raw_page_header(&r);
	if (!ret)
		ret = ft_pipe_raw_open_cpus(&r);
	if (!ret)
		ret = run(&r, fn, arg);
	if (!ret)
		ft_pipe_raw_lost_totals(&r);
	ft_pipe_raw_release(&r);
	return ret;
}
