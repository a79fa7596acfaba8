// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text reader: the session instance's trace_pipe, as the kernel formats it, passed
 * through line by line so that the count limit cuts at an event and lost-event lines are
 * also reported on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pipe/pipe.h"
#include "session.h"
#include "tfs.h"

#define CHUNK (256 * 1024)
#define POLL_MS 100
/* The longest the last read after a stop may take. */
#define DRAIN_MS 500

struct text_reader {
	const struct ft_pipe_opts *o;
	FILE *out;
	bool to_file;
	unsigned long long flush_due; /* ft_pipe_out_tick() */
	struct ft_pipe_stats *st;
	char *buf;
	size_t len;
	bool done;
};

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000;
}

/*
 * Write the complete lines in the buffer, in one write; keep a partial last line for the
 * next read. Lines are looked at only to count events and spot lost-event lines.
 */
static void lines(struct text_reader *r)
{
	size_t pos = 0;

	while (!r->done && pos < r->len) {
		char *nl = memchr(r->buf + pos, '\n', r->len - pos);
		size_t n = nl ? (size_t)(nl - (r->buf + pos)) + 1 : 0;
		const char *l = r->buf + pos;
		unsigned long long lost;
		int cpu;

		if (!nl && !pos && r->len == CHUNK)
			n = r->len; /* a line longer than the buffer: pass it on in pieces */
		else if (!nl)
			break;
		if (l[0] == 'C' && ft_pipe_lost_line(l, n, &cpu, &lost)) {
			ft_warn("CPU %d lost %llu events (ring buffer overrun; try --raw, "
				"--buffer-size or fewer events)",
				cpu, lost);
			r->st->lost += lost;
		} else if (strncmp(l, " => ", 4)) {
			r->st->events++; /* stack trace lines (" => ") belong to the event before */
		}
		pos += n;
		if (r->o->count && r->st->events >= r->o->count)
			r->done = true;
	}
	fwrite(r->buf, 1, pos, r->out);
	memmove(r->buf, r->buf + pos, r->len - pos);
	r->len -= pos;
}

/*
 * After a failed write, fflush would try again, and block again on a full output. A regular
 * file is flushed when its buffer fills, when its lines have waited (ft_pipe_out_tick():
 * read_some() runs at least every POLL_MS, events or not) and at the end.
 */
static void flush_out(struct text_reader *r)
{
	bool failed = ferror(r->out);

	if (!failed && r->to_file)
		failed = !ft_pipe_out_tick(r->out, now_ms(), &r->flush_due);
	else if (!failed)
		failed = fflush(r->out) != 0;
	if (failed || ferror(r->out)) {
		r->st->stopped_by_output = true;
		r->done = true;
	}
}

/* Read what trace_pipe has now. Returns bytes read, 0 when empty, or -errno. */
static ssize_t read_some(struct text_reader *r, int fd)
{
	ssize_t n = read(fd, r->buf + r->len, CHUNK - r->len);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		if (r->to_file)
			flush_out(r);
		return 0;
	}
	r->len += (size_t)n;
	/*
	 * A stop that came between two writes interrupts none: the writes from here on must
	 * not block on a full output for ever (CMD-1).
	 */
	if (ft_stop_signal)
		ft_signals_interrupt(0);
	lines(r);
	flush_out(r);
	return n;
}

static int loop(struct text_reader *r, int fd)
{
	unsigned long long end = r->o->duration_ms ? now_ms() + r->o->duration_ms : 0;
	struct timespec nap = { 0, 10000000 };
	bool spurious = false;
	ssize_t n = 0;

	while (!r->done && !ft_stop_signal) {
		unsigned long long t = now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = POLL_MS;

		if (end && t >= end)
			break;
		if (end && end - t < (unsigned long long)ms)
			ms = (int)(end - t);
		/* A poll that says "readable" of an empty trace_pipe must not make a spin. */
		if (n == 0 && spurious)
			nanosleep(&nap, NULL);
		spurious = n == 0 && poll(&p, 1, ms) > 0;
		n = read_some(r, fd);
		spurious &= n == 0;
		/*
		 * A short read (the kernel gives at most a page a read): let events gather
		 * rather than pay a system call for a few.
		 */
		if (n > 0 && n < 1024 && !r->done)
			nanosleep(&nap, NULL);
		if (n < 0) {
			ft_err("reading trace_pipe: %s", strerror((int)-n));
			return (int)n;
		}
	}
	return n < 0 ? (int)n : 0;
}

/*
 * What the buffer held when the stop came: with recording stopped first the buffer runs
 * empty, and the deadline bounds the rest (a huge buffer, a slow output) (CMD-1).
 */
static int drain(struct text_reader *r, struct ft_session *s, int fd)
{
	unsigned long long end;
	ssize_t n = 0;

	ft_pipe_stop_recording(s);
	end = now_ms() + DRAIN_MS;
	while (!r->done && now_ms() < end && (n = read_some(r, fd)) > 0)
		;
	return n < 0 ? (int)n : 0;
}

/**
 * ft_pipe_out_regular() - whether an output is a regular file
 * @f: the output
 *
 * The readers flush a pipe or a terminal after each batch (someone waits on the lines) and
 * a regular file only when its buffer is full: nobody waits there, and whole 64 KiB writes
 * cost fewer system calls.
 *
 * Return: true for a regular file.
 */
bool ft_pipe_out_regular(FILE *f)
{
	struct stat sb;

	return !fstat(fileno(f), &sb) && S_ISREG(sb.st_mode);
}

/**
 * ft_pipe_out_tick() - flush a regular file's lines once they have waited a while
 * @f: the output, a regular file
 * @now_ms: the time now (CLOCK_MONOTONIC, ms)
 * @due: in and out: when the lines now in @f's buffer are due out (ms), 0 while none are
 *
 * A regular file is written in whole 64 KiB buffers, but lines must not wait in memory for
 * ever when events come slowly: whoever follows the file (tail -f, a script waiting for a
 * line) sees them at most FT_PIPE_FILE_WAIT_MS after they were read. A busy stream fills
 * its buffer first, so its writes stay whole.
 *
 * Return: false when a flush failed (the output is broken), else true.
 */
bool ft_pipe_out_tick(FILE *f, unsigned long long now_ms, unsigned long long *due)
{
	if (!__fpending(f)) {
		*due = 0;
		return true;
	}
	if (!*due)
		*due = now_ms + FT_PIPE_FILE_WAIT_MS;
	if (now_ms < *due)
		return true;
	*due = 0;
	return !fflush(f);
}

/**
 * ft_pipe_read_text() - stream the session instance's trace_pipe
 * @s: the session, whose instance has the events enabled
 * @o: the options (count and duration limits)
 * @out: where the lines go
 * @st: counts of what was written and lost
 *
 * Stops at ft_stop_signal, a limit, or when @out fails; then stops the instance recording and
 * writes what it held, for at most DRAIN_MS. trace_pipe is closed on return, so the instance
 * can go.
 *
 * Return: 0, or -errno when reading failed (logged).
 */
int ft_pipe_read_text(struct ft_session *s, const struct ft_pipe_opts *o, FILE *out,
		      struct ft_pipe_stats *st)
{
	struct text_reader r = {
		.o = o, .out = out, .st = st, .to_file = ft_pipe_out_regular(out)
	};
	char path[PATH_MAX];
	int fd, ret;

	ft_tfs_path(s->tfs, ft_session_instance(s), NULL, NULL, "trace_pipe", path, sizeof(path));
	r.buf = malloc(CHUNK);
	if (!r.buf)
		return -ENOMEM;
	fd = ft_tfs_open_file(s->tfs, ft_session_instance(s), "trace_pipe", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		ret = fd;
		ft_err("cannot open %s: %s", path, strerror(-fd));
		free(r.buf);
		return ret;
	}
	ret = loop(&r, fd);
	if (!ret)
		ret = drain(&r, s, fd);
	close(fd);
	free(r.buf);
	return ret;
}
