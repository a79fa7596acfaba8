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
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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
/* At most this many pages per CPU per round, so one busy CPU cannot starve the output. */
#define ROUND_PAGES 512

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
	char **pool;
	size_t npool;
	FILE *out;
	struct ft_json j;
	struct trace_seq seq;
	struct ft_pipe_stats *st;
	bool cmdlines_loaded;
	bool done;
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
	char rel[PATH_MAX], *text;
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

		snprintf(rel, sizeof(rel), "events/%.*s/%s/format", (int)(colon - *e), *e,
			 colon + 1);
		text = ft_tfs_read(r->s->tfs, inst, rel, &len);
		*colon = '\0';
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

		snprintf(path, sizeof(path), "%s/instances/%s/per_cpu/cpu%d/trace_pipe_raw",
			 r->s->tfs->dir, ft_session_instance(r->s), cpu);
		c->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
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

static char *page_get(struct reader *r)
{
	if (r->npool)
		return r->pool[--r->npool];
	return malloc((size_t)r->psize);
}

static void page_put(struct reader *r, char *p)
{
	char **np;

	if (r->npool % 64 == 0) {
		np = realloc(r->pool, (r->npool + 64) * sizeof(*np));
		if (!np) {
			free(p);
			return;
		}
		r->pool = np;
	}
	r->pool[r->npool++] = p;
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

/* Read what one CPU has, up to ROUND_PAGES pages. Returns pages read, or -errno. */
static int drain(struct reader *r, struct cpu_q *c)
{
	int n = 0;

	while (n < ROUND_PAGES) {
		char *page = page_get(r);
		int got;

		if (!page)
			return -ENOMEM;
		got = tracefs_cpu_read(c->tcpu, page, true);
		if (got <= 0) {
			page_put(r, page);
			if (got < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			break;
		}
		if (q_push(c, page)) {
			page_put(r, page);
			return -ENOMEM;
		}
		n++;
	}
	return n;
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
		tracefs_load_cmdlines(r->s->tfs->dir, r->tep);
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

/* Write, in timestamp order, every read event stamped at or before @upto. */
static void merge(struct reader *r, unsigned long long upto)
{
	r->cmdlines_loaded = false;
	while (!r->done) {
		struct cpu_q *best = NULL;

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

/* Wait until a CPU has data (the kernel's watermark) or @ms pass. */
static void wait_data(struct reader *r, int ms)
{
	struct pollfd pfd[256];
	int n = r->ncpus < 256 ? r->ncpus : 256;

	for (int i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = r->cpus[i].fd, .events = POLLIN };
	poll(pfd, (nfds_t)n, ms);
}

static int round_once(struct reader *r, bool last)
{
	unsigned long long t0 = now_ns();
	int total = 0;

	for (int i = 0; i < r->ncpus; i++) {
		int n = drain(r, &r->cpus[i]);

		if (n < 0) {
			ft_err("reading trace_pipe_raw of CPU %d: %s", r->cpus[i].cpu,
			       strerror(-n));
			return n;
		}
		total += n;
	}
	merge(r, last ? ULLONG_MAX : t0 - SLACK_NS);
	if (fflush(r->out) || ferror(r->out)) {
		r->st->stopped_by_output = true;
		r->done = true;
	}
	return total;
}

static int stream(struct reader *r)
{
	unsigned long long end = r->o->duration_ms ? now_ns() + r->o->duration_ms * 1000000ULL : 0;
	int n = 0;

	while (!r->done && !ft_stop_signal) {
		unsigned long long t = now_ns();
		int ms = POLL_MS;

		if (end && t >= end)
			break;
		if (end && (end - t) / 1000000ULL < (unsigned long long)ms)
			ms = (int)((end - t) / 1000000ULL) + 1;
		if (n < r->ncpus)
			wait_data(r, ms);
		n = round_once(r, false);
		if (n < 0)
			return n;
	}
	/* Flush what was read: one more drain, then everything in order. */
	if (!r->done)
		n = round_once(r, true);
	return n < 0 ? n : 0;
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
	free(r->cpus);
	for (size_t i = 0; i < r->npool; i++)
		free(r->pool[i]);
	free(r->pool);
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
