// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU reader's output: the pages the reader thread read, decoded with libtraceevent
 * and merged into one stream in timestamp order, with the kernel's lost-event counts
 * reported where the loss happened and, at the end, its totals.
 *
 * Order across CPUs: the instance runs on the "mono" trace clock, the same clock as
 * CLOCK_MONOTONIC. Each round notes the time, then drains every CPU; an event stamped before
 * that time (less a slack for events reserved but not yet committed) can no longer be
 * overtaken by an event still unread on another CPU, so only those are written, and the rest
 * wait for the next round.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#include "log.h"
#include "pipe/raw-int.h"
#include "session.h"
#include "signals.h"
#include "tfs.h"

/* Make the CPU's next event its head; false when none is read yet. */
static bool head(struct reader *r, struct cpu_q *c)
{
	while (!c->loaded) {
		int missed;

		if (c->head == c->tail)
			return false;
		kbuffer_load_subbuffer(c->kb, c->pages[c->head]);
		missed = kbuffer_missed_events(c->kb);
		if (missed)
			c->lost = missed;
		c->ev = kbuffer_read_event(c->kb, &c->ts);
		if (c->ev) {
			c->loaded = true;
			break;
		}
		ft_pipe_raw_page_put(r, c->pages[c->head++]);
	}
	return true;
}

static void advance(struct reader *r, struct cpu_q *c)
{
	c->ev = kbuffer_next_event(c->kb, &c->ts);
	if (!c->ev) {
		c->loaded = false;
		ft_pipe_raw_page_put(r, c->pages[c->head++]);
	}
}

/*
 * The task name for a pid: the live process, else the kernel's saved_cmdlines. The last
 * name found is kept: a burst of one task's events then makes no lookup (a name registered
 * with the handle stays where it is).
 */
static const char *comm_of(struct reader *r, int pid)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	if (r->last_comm && pid == r->last_pid)
		return r->last_comm;
	if (pid == 0 || tep_is_pid_registered(r->tep, pid)) {
		r->last_pid = pid;
		r->last_comm = tep_data_comm_from_pid(r->tep, pid);
		return r->last_comm;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		tep_register_comm(r->tep, buf, pid);
	} else if (!r->cmdlines_loaded) {
		char *cl = ft_tfs_read(r->s->tfs, NULL, "saved_cmdlines", NULL);

		if (cl)
			tep_parse_saved_cmdlines(r->tep, cl);
		free(cl);
		r->cmdlines_loaded = true;
	}
	if (!tep_is_pid_registered(r->tep, pid))
		return NULL;
	return tep_data_comm_from_pid(r->tep, pid);
}

/*
 * A page read while the writer filled the buffer carries the "missed" flag but, when the
 * page had no room left, not the count: the total then comes from the CPU's stats at the end
 * (ft_pipe_lost_totals()), and the position is marked here with a null count.
 */
static void report_lost(struct reader *r, struct cpu_q *c)
{
	if (c->lost > 0)
		ft_warn("CPU %d lost %lld events (ring buffer overrun; try --buffer-size or fewer "
			"events)",
			c->cpu, c->lost);
	else if (!c->unknown_warned)
		ft_warn("CPU %d is losing events (ring buffer overrun); the total comes at the end",
			c->cpu);
	c->unknown_warned |= c->lost < 0;
	if (r->o->mode == FT_PIPE_JSON)
		ft_pipe_json_lost(&r->j, c->cpu, c->lost, c->ts);
	if (c->lost > 0)
		c->counted += (unsigned long long)c->lost;
	c->lost = 0;
}

/* What a CPU's stats file says was lost: overwritten (overrun) plus dropped events. */
static unsigned long long kernel_lost(struct reader *r, int cpu)
{
	static const char *const lost[] = { "overrun", "dropped events", NULL };

	return ft_pipe_cpu_stats(r->s, cpu, lost);
}

/**
 * ft_pipe_raw_lost_totals() - report what the kernel counted lost and the pages did not
 * @r: the reader, at the end of its run; the run's lost count is set
 */
void ft_pipe_raw_lost_totals(struct reader *r)
{
	for (int i = 0; i < r->ncpus; i++) {
		struct cpu_q *c = &r->cpus[i];
		unsigned long long k = kernel_lost(r, c->cpu);

		if (k > c->counted) {
			ft_warn("CPU %d lost %llu events in all (the kernel's count)", c->cpu, k);
			if (r->o->mode == FT_PIPE_JSON)
				ft_pipe_json_lost(&r->j, c->cpu, (long long)(k - c->counted),
						  now_ns());
			c->counted = k;
		}
		r->st->lost += c->counted;
	}
	fflush(r->out);
}

static void emit(struct reader *r, struct cpu_q *c)
{
	struct tep_record rec = { .ts = c->ts, .cpu = c->cpu, .data = c->ev };
	const char *comm;

	if (c->lost)
		report_lost(r, c);
	rec.size = kbuffer_event_size(c->kb);
	rec.record_size = rec.size;
	if (!tep_find_event_by_record(r->tep, &rec))
		return; /* an event of a format that could not be parsed */
	comm = comm_of(r, tep_data_pid(r->tep, &rec));
	if (r->o->render)
		r->o->render(r->o->render_data, r->out, r->tep, &rec, comm);
	else if (r->o->mode == FT_PIPE_JSON)
		ft_pipe_json_event(&r->j, r->tep, &rec, comm);
	else
		ft_pipe_fmt_event(&r->fmt, r->out, r->tep, &rec, comm);
	r->st->events++;
	if (r->o->count && r->st->events >= r->o->count)
		r->done = true;
}

/*
 * Whether a batch must end before it has written all it may: a failed write (EINTR from a
 * stop while the output blocks), @until passed (0: no limit), or, unless this is the last
 * batch, a stop signal. Up to MEM_CAP of events can wait to be written, minutes of JSON
 * on a slow output: a stop must not wait for them (CMD-1). The clock is read every 256
 * events.
 */
static bool cut(struct reader *r, unsigned long long until, bool last, unsigned *k)
{
	if (ferror(r->out) || (!last && ft_stop_signal))
		return true;
	if (!until || ++*k % 256)
		return false;
	return now_ns() >= until;
}

/* Write, in timestamp order, the read events stamped at or before @upto, until cut(). */
static void merge(struct reader *r, unsigned long long upto, unsigned long long until, bool last)
{
	unsigned k = 0;

	r->cmdlines_loaded = false;
	while (!r->done) {
		struct cpu_q *best = NULL;

		if (cut(r, until, last, &k)) {
			r->cut = true;
			break;
		}

		for (int i = 0; i < r->ncpus; i++) {
			struct cpu_q *c = &r->cpus[i];

			if (head(r, c) && c->ts <= upto && (!best || c->ts < best->ts))
				best = c;
		}
		if (!best)
			break;
		emit(r, best);
		advance(r, best);
	}
}

/**
 * ft_pipe_raw_unwritten() - count, and let go of, the events read and not written
 * @r: the reader, after its last batch was cut short
 *
 * Return: how many events the pages taken still held.
 */
unsigned long long ft_pipe_raw_unwritten(struct reader *r)
{
	unsigned long long n = 0;

	for (int i = 0; i < r->ncpus; i++)
		for (struct cpu_q *c = &r->cpus[i]; head(r, c); advance(r, c))
			n++;
	return n;
}

/**
 * ft_pipe_raw_write_out() - write one batch of events in order and flush
 * @r: the reader
 * @upto: write the events stamped at or before it
 * @until: CLOCK_MONOTONIC time (ns) the batch must end by, 0 for no limit
 * @last: the batch after the stop: a stop signal does not cut it short
 */
void ft_pipe_raw_write_out(struct reader *r, unsigned long long upto, unsigned long long until,
			   bool last)
{
	merge(r, upto, until, last);
	/*
	 * A stop that came between two writes interrupts none: the writes from here on must
	 * not block on a full output for ever (CMD-1).
	 */
	if (ft_stop_signal)
		ft_signals_interrupt(0);
	/*
	 * After a failed write, fflush would try again, and block again on a full output. A
	 * regular file is flushed when its buffer fills and at the end (ft_pipe_out_regular()).
	 */
	if (ferror(r->out) || ((!r->to_file || last) && fflush(r->out)) || ferror(r->out)) {
		r->st->stopped_by_output = true;
		r->done = true;
	}
}
