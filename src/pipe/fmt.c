// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text line of one decoded event, as ft_pipe_text_event() writes it, at a fraction of its
 * cost. ft_pipe_text_event() has libtraceevent parse a printf format and vsnprintf every
 * column of every event; most of the line does not need that:
 *   - task, pid, CPU and timestamp are integers written here with plain digit loops;
 *   - the latency column ("d..2.") depends only on the record's common_flags and
 *     common_preempt_count bytes: libtraceevent prints it once per pair, and the text is
 *     reused (byte-identical by construction);
 *   - the event's own fields (its print fmt) are still libtraceevent's (TEP_PRINT_INFO).
 * The line is built in one buffer and written with one fwrite(). Events whose common fields
 * are not the usual four go through ft_pipe_text_event() as before.
 */
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "pipe/fmt.h"
#include "pipe/pipe.h"

/**
 * ft_pipe_fmt_init() - a formatter with nothing cached
 * @f: the formatter; ft_pipe_fmt_free() frees what it gathers
 */
void ft_pipe_fmt_init(struct ft_pipe_fmt *f)
{
	memset(f, 0, sizeof(*f));
	trace_seq_init(&f->seq);
	f->flags_off = -1;
}

/**
 * ft_pipe_fmt_free() - free what a formatter holds
 * @f: the formatter (ft_pipe_fmt_init()); it can be initialised again
 */
void ft_pipe_fmt_free(struct ft_pipe_fmt *f)
{
	trace_seq_destroy(&f->seq);
	free(f->lat);
	free(f->line);
	free(f->info);
	f->lat = NULL;
	f->line = NULL;
	f->info = NULL;
}

/* Find common_flags and common_preempt_count, if the common fields are the usual four. */
static void layout(struct ft_pipe_fmt *f, const struct tep_event *ev)
{
	int n = 0;

	f->ev = ev;
	f->flags_off = f->pc_off = -1;
	free(f->info);
	f->info = NULL;
	for (const struct tep_format_field *fl = ev->format.common_fields; fl; fl = fl->next) {
		n++;
		if (!strcmp(fl->name, "common_flags") && fl->size == 1)
			f->flags_off = fl->offset;
		else if (!strcmp(fl->name, "common_preempt_count") && fl->size == 1)
			f->pc_off = fl->offset;
		else if (strcmp(fl->name, "common_type") && strcmp(fl->name, "common_pid"))
			n = 100; /* a field the latency column may read: leave it all to tep */
	}
	if (n != 4 || f->pc_off < 0)
		f->flags_off = -1;
}

/* The latency column of @rec: cached, or printed by libtraceevent and cached. */
static const unsigned char *latency(struct ft_pipe_fmt *f, struct tep_handle *tep,
				    struct tep_record *rec)
{
	const unsigned char *d = rec->data;
	unsigned key = (unsigned)d[f->flags_off] << 8 | d[f->pc_off];
	unsigned char *c;

	if (!f->lat) {
		f->lat = calloc(FT_PIPE_LAT_KEYS, sizeof(*f->lat));
		if (!f->lat)
			return NULL;
	}
	c = f->lat[key];
	if (c[0])
		return c;
	trace_seq_reset(&f->seq);
	tep_print_event(tep, &f->seq, rec, "%s", TEP_PRINT_LATENCY);
	if (f->seq.len > FT_PIPE_LAT_MAX || memchr(f->seq.buffer, '\0', f->seq.len))
		return NULL;
	memcpy(c + 1, f->seq.buffer, f->seq.len);
	c[0] = (unsigned char)(f->seq.len + 1);
	return c;
}

/* Decimal digits of @v, right-aligned ending at @end. Returns where they start. */
static char *digits(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* Append @n bytes of @s; the room is there (the caller sized the line). */
static char *put(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* @v in at least @width columns: padded with @pad on the left, or spaces on the right. */
static char *put_num(char *p, long long v, int width, char pad, bool left)
{
	char tmp[24], *e = tmp + sizeof(tmp), *s;
	int n;

	s = digits(e, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	if (v < 0 && pad == ' ')
		*--s = '-';
	n = (int)(e - s) + (v < 0 && pad == '0');
	if (!left && n < width) {
		if (v < 0 && pad == '0')
			*p++ = '-';
		memset(p, pad, (size_t)(width - n));
		p += width - n;
	} else if (v < 0 && pad == '0') {
		*p++ = '-';
	}
	p = put(p, s, (size_t)(e - s));
	if (left && n < width) {
		memset(p, ' ', (size_t)(width - n));
		p += width - n;
	}
	return p;
}

/*
 * The timestamp as libtraceevent 1.7's "%6.1000d" prints it: microseconds, rounded (the
 * addition wraps as its does), as "%5llu.%06llu" of seconds and microseconds.
 */
static char *put_time(char *p, unsigned long long ts)
{
	unsigned long long us = (ts + 500) / 1000;
	char tmp[24], *e = tmp + sizeof(tmp), *s;

	p = put_num(p, (long long)(us / 1000000ULL), 5, ' ', false);
	*p++ = '.';
	s = digits(e, us % 1000000ULL);
	memset(p, '0', (size_t)(6 - (e - s)));
	p += 6 - (e - s);
	return put(p, s, (size_t)(e - s));
}

/*
 * The event's fields as libtraceevent prints them (TEP_PRINT_INFO): in @f->seq, or in
 * @f->info, kept, for an event whose print fmt has no arguments and no special handling.
 * Sets @f->info_len. Returns false when out of memory.
 */
static bool info(struct ft_pipe_fmt *f, struct tep_handle *tep, struct tep_record *rec,
		 const struct tep_event *ev)
{
	bool fixed = !ev->print_fmt.args && !ev->handler && !ev->flags;

	if (fixed && f->info)
		return true;
	trace_seq_reset(&f->seq);
	tep_print_event(tep, &f->seq, rec, "%s", TEP_PRINT_INFO);
	if (f->seq.state != TRACE_SEQ__GOOD)
		return false;
	f->info_len = f->seq.len;
	if (fixed) {
		f->info = malloc(f->seq.len + 1);
		if (f->info)
			memcpy(f->info, f->seq.buffer, f->seq.len + 1);
	}
	return true;
}

static bool room(struct ft_pipe_fmt *f, size_t need)
{
	char *n;

	if (need <= f->cap)
		return true;
	n = realloc(f->line, need * 2);
	if (!n)
		return false;
	f->line = n;
	f->cap = need * 2;
	return true;
}

/**
 * ft_pipe_fmt_event() - write one event record as ft_pipe_text_event() does, byte for byte
 * @f: the formatter (ft_pipe_fmt_init()), kept between events of one handle
 * @out: the stream
 * @tep: the handle that knows the record's event format
 * @rec: the record
 * @comm: the task name to show for the record's pid, or NULL for "<...>"
 */
void ft_pipe_fmt_event(struct ft_pipe_fmt *f, FILE *out, struct tep_handle *tep,
		       struct tep_record *rec, const char *comm)
{
	struct tep_event *ev = tep_find_event_by_record(tep, rec);
	const unsigned char *lat = NULL;
	size_t clen, nlen;
	char *p;

	if (ev && ev != f->ev)
		layout(f, ev);
	if (ev && f->flags_off >= 0 && rec->size > f->flags_off && rec->size > f->pc_off)
		lat = latency(f, tep, rec);
	if (lat && !info(f, tep, rec, ev))
		lat = NULL;
	clen = strlen(comm ? comm : "<...>");
	nlen = lat ? strlen(ev->name) : 0;
	/* comm, pid, CPU, latency, time: 16 + 1 + 20 + 2 + 11 + 2 + 15 + 1 + 20 + 2 */
	if (!lat || !room(f, clen + nlen + f->info_len + 96)) {
		ft_pipe_text_event(out, tep, rec, comm, &f->seq);
		return;
	}
	comm = comm ? comm : "<...>";
	p = f->line;
	if (clen < 16) {
		memset(p, ' ', 16 - clen);
		p += 16 - clen;
	}
	p = put(p, comm, clen);
	*p++ = '-';
	p = put_num(p, tep_data_pid(tep, rec), 7, ' ', true);
	p = put(p, " [", 2);
	p = put_num(p, rec->cpu, 3, '0', false);
	p = put(p, "] ", 2);
	p = put(p, lat + 1, (size_t)lat[0] - 1);
	*p++ = ' ';
	p = put_time(p, rec->ts);
	p = put(p, ": ", 2);
	p = put(p, ev->name, nlen);
	p = put(p, ": ", 2);
	p = put(p, f->info ? f->info : f->seq.buffer, f->info_len);
	*p++ = '\n';
	fwrite(f->line, 1, (size_t)(p - f->line), out);
}
