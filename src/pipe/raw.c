// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU reader: trace_pipe_raw of every CPU of the session's instance, read through
 * libtracefs in sub-buffer pages, decoded with libtraceevent, merged into one stream in
 * timestamp order, with the kernel's lost-event counts reported where the loss happened.
 *
 * Order across CPUs: the instance runs on the "mono" trace clock, the same clock as
 * CLOCK_MONOTONIC. Each round notes the time, then drains every CPU; an event stamped before
 * that time (less a slack for events reserved but not yet committed) can no longer be
 * overtaken by an event still unread on another CPU, so only those are written, and the rest
 * wait for the next round.
 *
 * Reading and decoding run in two threads: a reader thread only moves pages out of the
 * kernel's ring buffers into memory (cheap, a page at a time), and the main thread decodes
 * and writes. A burst faster than decoding then waits in memory (up to MEM_CAP) instead of
 * being overwritten in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <traceevent/trace-seq.h>
#include <tracefs.h>

#include "json.h"
#include "log.h"
#include "pipe/pipe.h"
#include "session.h"
#include "tfs.h"

/* How long an event may sit between reserving its timestamp and its commit. */
#define SLACK_NS 2000000ULL
/* The longest a round waits for data, so limits and signals are seen in time. */
#define POLL_MS 100
/* The longest the last batch after a stop may take. */
#define DRAIN_MS 500
/* Memory for pages read and not yet written; beyond it the kernel's buffer has to hold. */
#define MEM_CAP (256UL << 20)

/* One CPU: its file, the pages read and not yet written, and the event at their head. */
struct cpu_q {
	int cpu;
	struct tracefs_cpu *tcpu;
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
	struct ft_json j;
	struct trace_seq seq;
	struct ft_pipe_stats *st;
	bool cmdlines_loaded;
	bool done;
	bool cut;
	/* shared with the reader thread, under @mu */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct inq *in;
	bool fresh;
	bool stop;
	bool reader_done;
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

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Parse the instance's page header and the formats of the enabled events. */
static int load_formats(struct reader *r, char **enabled)
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
	for (char **e = enabled; *e; e++) {
		char *colon = strchr(*e, ':');

		*colon = '\0';
		text = ft_tfs_event_read(r->s->tfs, inst, *e, colon + 1, "format", &len);
		if (!text || tep_parse_event(r->tep, text, len, *e))
			ft_warn("cannot decode %s:%s; its events will be skipped", *e, colon + 1);
		*colon = ':';
		free(text);
	}
	r->psize = tep_get_sub_buffer_size(r->tep);
	if (r->psize <= 0)
		r->psize = getpagesize();
	return 0;
}

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

static void page_put(struct reader *r, char *p)
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
		page_put(r, c->pages[c->head++]);
	}
	return true;
}

static void advance(struct reader *r, struct cpu_q *c)
{
	c->ev = kbuffer_next_event(c->kb, &c->ts);
	if (!c->ev) {
		c->loaded = false;
		page_put(r, c->pages[c->head++]);
	}
}

/* The task name for a pid: the live process, else the kernel's saved_cmdlines. */
static const char *comm_of(struct reader *r, int pid)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	if (pid == 0 || tep_is_pid_registered(r->tep, pid))
		return tep_data_comm_from_pid(r->tep, pid);
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
	char rel[64], *text, *p;
	unsigned long long n = 0;

	snprintf(rel, sizeof(rel), "per_cpu/cpu%d/stats", cpu);
	text = ft_tfs_read(r->s->tfs, ft_session_instance(r->s), rel, NULL);
	if (!text)
		return 0;
	if ((p = strstr(text, "\noverrun: ")) || !strncmp(p = text, "overrun: ", 9))
		n += strtoull(strchr(p, ':') + 1, NULL, 10);
	if ((p = strstr(text, "dropped events: ")))
		n += strtoull(p + 16, NULL, 10);
	free(text);
	return n;
}

/* The kernel's own totals: whatever the pages did not count is reported now. */
static void lost_totals(struct reader *r)
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
	if (r->o->mode == FT_PIPE_JSON)
		ft_pipe_json_event(&r->j, r->tep, &rec, comm);
	else
		ft_pipe_text_event(r->out, r->tep, &rec, comm, &r->seq);
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

/* The reader thread: pages out of the kernel as they come, until told to stop. */
static void *reader_main(void *arg)
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

/* Main thread: wait for pages (at most until @deadline), take them; returns the safe time. */
static unsigned long long take(struct reader *r, unsigned long long deadline, int *err)
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
				page_put(r, r->in[i].v[k]);
		r->in[i].n = 0;
	}
	r->fresh = false;
	safe = r->reader_done && !r->err ? ULLONG_MAX : r->safe;
	*err = r->err;
	pthread_mutex_unlock(&r->mu);
	return safe;
}

static void write_out(struct reader *r, unsigned long long upto, unsigned long long until,
		      bool last)
{
	merge(r, upto, until, last);
	/*
	 * A stop that came between two writes interrupts none: the writes from here on must
	 * not block on a full output for ever (CMD-1).
	 */
	if (ft_stop_signal)
		ft_signals_interrupt(0);
	/* After a failed write, fflush would try again, and block again on a full output. */
	if (ferror(r->out) || fflush(r->out) || ferror(r->out)) {
		r->st->stopped_by_output = true;
		r->done = true;
	}
}

static int stream(struct reader *r)
{
	unsigned long long end = r->o->duration_ms ? now_ns() + r->o->duration_ms * 1000000ULL : 0;
	pthread_condattr_t ca;
	int err = 0;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&r->mu, NULL);
	r->in = calloc((size_t)r->ncpus, sizeof(*r->in));
	if (!r->in || pthread_create(&r->thread, NULL, reader_main, r)) {
		ft_err("cannot start the reader thread");
		return -ENOMEM;
	}
	while (!r->done && !ft_stop_signal && !err) {
		unsigned long long t = now_ns(), deadline = t + POLL_MS * 1000000ULL;

		if (end && t >= end)
			break;
		if (end && end < deadline)
			deadline = end;
		write_out(r, take(r, deadline, &err), end, false);
	}
	/* The reader's last pass must find the buffers running empty (CMD-1). */
	ft_pipe_stop_recording(r->s);
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	/* Flush what was read: the reader's last pass, then everything in order. */
	r->cut = false; /* a round cut by the stop: the last batch goes on from there */
	if (!r->done && !err)
		write_out(r, take(r, 0, &err), now_ns() + DRAIN_MS * 1000000ULL, true);
	if (r->cut && !r->done)
		ft_warn("stopped before writing every event read (the output was slower than the "
			"events came)");
	return err;
}

static void reader_release(struct reader *r)
{
	for (int i = 0; i < r->ncpus; i++) {
		struct cpu_q *c = &r->cpus[i];

		for (size_t p = c->head; p < c->tail; p++)
			free(c->pages[p]);
		free(c->pages);
		kbuffer_free(c->kb);
		/*
		 * libtracefs 1.6 leaves the descriptor open despite what its manual says, and an
		 * open trace_pipe_raw keeps the instance busy: close it here, whatever the version.
		 */
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
	trace_seq_destroy(&r->seq);
	if (r->tep)
		tep_free(r->tep);
}

/**
 * ft_pipe_read_raw() - stream the session instance's events from trace_pipe_raw
 * @s: the session, whose instance has the events enabled
 * @o: the options (mode, count and duration limits)
 * @enabled: the events enabled, "system:event" each, NULL-terminated (their formats are
 *           parsed; the strings are modified and restored)
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

	trace_seq_init(&r.seq);
	ft_json_init(&r.j, out, false);
	ret = load_formats(&r, enabled);
	if (!ret)
		ret = open_cpus(&r);
	if (!ret)
		ret = stream(&r);
	if (!ret)
		lost_totals(&r);
	reader_release(&r);
	return ret;
}
