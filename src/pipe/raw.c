// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU reader: trace_pipe_raw of every CPU of the session's instance, read in
 * sub-buffer pages, decoded with libtraceevent, merged into one stream in
 * timestamp order (raw-merge.c), with the kernel's lost-event counts reported where the loss
 * happened.
 *
 * Reading and decoding run in two threads: a reader thread only moves pages out of the
 * kernel's ring buffers into memory (raw-read.c), and the main thread decodes and writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <traceevent/trace-seq.h>

#include "json.h"
#include "log.h"
#include "names.h"
#include "pipe/pipe.h"
#include "pipe/raw-int.h"
#include "session.h"
#include "tfs.h"

/**
 * ft_pipe_raw_page_header() - the instance's page header: the sub-buffer size pages are read in
 * @r: the reader; sets @r->tep (a fresh handle) and @r->psize
 *
 * Return: 0, -ENOMEM or -EIO (logged).
 */
int ft_pipe_raw_page_header(struct reader *r)
{
	const char *inst = ft_session_instance(r->s);
	char *text;
	size_t len;

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

/* Parse the instance's page header and the formats of the enabled events. */
static int load_formats(struct reader *r, char **enabled)
{
	const char *inst = ft_session_instance(r->s);
	int ret = ft_pipe_raw_page_header(r);

	for (char **e = enabled; !ret && *e; e++) {
		char sys[NAME_MAX + 1], ev[NAME_MAX + 1], *text;
		size_t len;

		text = ft_event_split_copy(*e, sys, sizeof(sys), ev, sizeof(ev))
			       ? NULL
			       : ft_tfs_event_read(r->s->tfs, inst, sys, ev, "format", &len);
		if (!text || tep_parse_event(r->tep, text, len, sys))
			ft_warn("cannot decode %s; its events will be skipped", *e);
		free(text);
	}
	return ret;
}

/**
 * ft_pipe_raw_open_cpus() - every CPU's trace_pipe_raw of the session instance, non-blocking
 * @r: the reader, its page size known; sets @r->cpus and @r->ncpus (ft_pipe_raw_release()
 *     frees them)
 *
 * Offline or absent CPUs are left out.
 *
 * Return: 0, -ENOMEM, or -EIO when no CPU's file opens (logged).
 */
int ft_pipe_raw_open_cpus(struct reader *r)
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
		c->kb = kbuffer_alloc(ls, en);
		if (!c->kb) {
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

/**
 * ft_pipe_raw_thread_start() - start the reader thread (raw-read.c) on the open CPUs
 * @r: the reader
 *
 * Return: 0, or -ENOMEM (logged).
 */
int ft_pipe_raw_thread_start(struct reader *r)
{
	pthread_mutex_init(&r->mu, NULL);
	r->ready_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	r->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	r->in = calloc((size_t)r->ncpus, sizeof(*r->in));
	if (r->ready_fd < 0 || r->stop_fd < 0 || !r->in ||
	    pthread_create(&r->thread, NULL, ft_pipe_raw_reader_main, r)) {
		ft_err("cannot start the reader thread");
		return -ENOMEM;
	}
	r->started = true;
	return 0;
}

/**
 * ft_pipe_raw_thread_stop() - turn recording off and wait for the reader thread's last pass
 * @r: the reader, its thread started
 *
 * Recording goes off first: the last pass must find the buffers running empty (CMD-1).
 */
void ft_pipe_raw_thread_stop(struct reader *r)
{
	ft_pipe_stop_recording(r->s);
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_mutex_unlock(&r->mu);
	ft_pipe_raw_bell(r->stop_fd);
	pthread_join(r->thread, NULL);
}

static int stream(struct reader *r)
{
	unsigned long long end = r->o->duration_ms ? now_ns() + r->o->duration_ms * 1000000ULL : 0;
	int err = 0;

	if (ft_pipe_raw_thread_start(r))
		return -ENOMEM;
	/*
	 * Each round waits for the reader thread's pages, a stop signal, the end, or the time
	 * a regular file's buffered lines are due out (ft_pipe_out_tick()).
	 */
	while (!r->done && !ft_stop_signal && !err) {
		unsigned long long wait_until = end, due = r->flush_due * 1000000ULL;

		if (end && now_ns() >= end)
			break;
		if (due && (!wait_until || due < wait_until))
			wait_until = due;
		ft_pipe_raw_write_out(r, ft_pipe_raw_take(r, wait_until, true, &err), end, false);
		if (r->to_file && !r->done &&
		    !ft_pipe_out_tick(r->out, now_ns() / 1000000ULL, &r->flush_due)) {
			r->st->stopped_by_output = true;
			r->done = true;
		}
	}
	ft_pipe_raw_thread_stop(r);
	/* Flush what was read: the reader's last pass, then everything in order. */
	r->cut = false; /* a round cut by the stop: the last batch goes on from there */
	if (!r->done && !err)
		ft_pipe_raw_write_out(r, ft_pipe_raw_take(r, 0, false, &err),
				      now_ns() + DRAIN_MS * 1000000ULL, true);
	else if (r->st->stopped_by_output && !err)
		ft_pipe_raw_take(r, 0, false, &err); /* the last pass's pages, to count below */
	if (r->cut && !r->done) {
		r->st->unwritten = ft_pipe_raw_unwritten(r);
		ft_warn("stopped before writing %llu events read (the output was slower than the "
			"events came)",
			r->st->unwritten);
	} else if (r->st->stopped_by_output) {
		/* An output that failed or blocked took none of these: the summary says so. */
		r->st->unwritten = ft_pipe_raw_unwritten(r);
	}
	return err;
}

/**
 * ft_pipe_raw_release() - close the CPUs' files and free what the reader holds
 * @r: the reader (its thread stopped, if it was started)
 */
void ft_pipe_raw_release(struct reader *r)
{
	for (int i = 0; i < r->ncpus; i++) {
		struct cpu_q *c = &r->cpus[i];

		for (size_t p = c->head; p < c->tail; p++)
			free(c->pages[p]);
		free(c->pages);
		kbuffer_free(c->kb);
		/* An open trace_pipe_raw keeps the instance busy. */
		close(c->fd);
	}
	for (int i = 0; r->in && i < r->ncpus; i++) {
		for (size_t k = 0; k < r->in[i].n; k++)
			free(r->in[i].v[k]);
		free(r->in[i].v);
	}
	if (r->started)
		pthread_mutex_destroy(&r->mu);
	if (r->ready_fd > 0)
		close(r->ready_fd);
	if (r->stop_fd > 0)
		close(r->stop_fd);
	free(r->in);
	free(r->cpus);
	ft_pipe_fmt_free(&r->fmt);
	if (r->tep)
		tep_free(r->tep);
}

/**
 * ft_pipe_read_raw() - stream the session instance's events from trace_pipe_raw
 * @s: the session, whose instance has the events enabled
 * @o: the options (mode, count and duration limits)
 * @enabled: the events enabled, "system:event" each, NULL-terminated (their formats are
 *           parsed)
 * @out: where the events go
 * @st: counts of what was written and lost
 *
 * Stops at ft_stop_signal, the count or duration limit, or when @out fails (a closed pipe);
 * then writes what was read. All files are closed on return, so the instance can go.
 *
 * Return: 0, or -errno when reading failed (logged).
 */
int ft_pipe_read_raw(struct ft_session *s, const struct ft_pipe_opts *o, char **enabled, FILE *out,
		     struct ft_pipe_stats *st)
{
	struct reader r = { .s = s, .o = o, .out = out, .st = st };
	int ret;

	r.to_file = ft_pipe_out_regular(out);
	ft_pipe_fmt_init(&r.fmt);
	ft_json_init(&r.j, out, false);
	ret = load_formats(&r, enabled);
	if (!ret)
		ret = ft_pipe_raw_open_cpus(&r);
	if (!ret)
		ret = stream(&r);
	if (!ret)
		ft_pipe_raw_lost_totals(&r);
	ft_pipe_raw_release(&r);
	return ret;
}
