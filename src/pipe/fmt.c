// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text line of one decoded event, as ft_pipe_text_event() writes it, at a fraction of its
 * cost. ft_pipe_text_event() has libtraceevent parse a printf format and vsnprintf every
 * column of every event; most of the line does not need that:
 *   - task, pid, CPU and timestamp are integers written here with plain digit loops;
 *   - the latency column ("d..2.") depends only on the record's common_flags and
 *     common_preempt_count bytes: libtraceevent prints it once per pair, and the text is
 *     reused (byte-identical by construction);
 *   - the event's own fields (its print fmt) are still libtraceevent's (TEP_PRINT_INFO);
 *   - what the line needs of an event's format (the offsets of the latency bytes, the name's
 *     length, the fields' text of a print fmt without arguments) is looked up once per event
 *     id, so events of several formats interleaved do not look it up again.
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
}

/**
 * ft_pipe_fmt_free() - free what a formatter holds
 * @f: the formatter (ft_pipe_fmt_init()); it can be initialised again
 */
void ft_pipe_fmt_free(struct ft_pipe_fmt *f)
{
	trace_seq_destroy(&f->seq);
	for (size_t i = 0; i < f->nevs; i++)
		free(f->evs[i].info);
	free(f->evs);
	free(f->lat);
	free(f->line);
	f->evs = NULL;
	f->nevs = 0;
	f->lat = NULL;
	f->line = NULL;
}

/* Find common_flags and common_preempt_count, if the common fields are the usual four. */
static void layout(struct ft_pipe_fmt_ev *e, const struct tep_event *ev)
{
	int n = 0;

	e->ev = ev;
	e->flags_off = e->pc_off = -1;
	e->name_len = strlen(ev->name);
	for (const struct tep_format_field *fl = ev->format.common_fields; fl; fl = fl->next) {
		n++;
		if (!strcmp(fl->name, "common_flags") && fl->size == 1)
			e->flags_off = fl->offset;
		else if (!strcmp(fl->name, "common_preempt_count") && fl->size == 1)
			e->pc_off = fl->offset;
		else if (strcmp(fl->name, "common_type") && strcmp(fl->name, "common_pid"))
			n = 100; /* a field the latency column may read: leave it all to tep */
	}
	if (n != 4 || e->pc_off < 0)
		e->flags_off = -1;
}

/* The cache entry of @ev, laid out the first time; NULL when out of memory. */
static struct ft_pipe_fmt_ev *lookup(struct ft_pipe_fmt *f, const struct tep_event *ev)
{
	size_t id = (size_t)ev->id;

	if (ev->id < 0 || id > 0xffff)
		return NULL;
	if (id >= f->nevs) {
		size_t n = id + 64;
		struct ft_pipe_fmt_ev *v = realloc(f->evs, n * sizeof(*v));

		if (!v)
			return NULL;
		memset(v + f->nevs, 0, (n - f->nevs) * sizeof(*v));
		f->evs = v;
		f->nevs = n;
	}
	if (f->evs[id].ev != ev) {
		free(f->evs[id].info);
		memset(&f->evs[id], 0, sizeof(f->evs[id]));
		layout(&f->evs[id], ev);
	}
	return &f->evs[id];
}

/* The latency column of @rec: cached, or printed by libtraceevent and cached. */
static const unsigned char *latency(struct ft_pipe_fmt *f, const struct ft_pipe_fmt_ev *e,
				    struct tep_handle *tep, struct tep_record *rec)
{
	const unsigned char *d = rec->data;
	unsigned key = (unsigned)d[e->flags_off] << 8 | d[e->pc_off];
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
 * @e->info, kept, for an event whose print fmt has no arguments and no special handling.
 * Returns the text and sets *@len, or NULL when out of memory.
 */
static const char *info(struct ft_pipe_fmt *f, struct ft_pipe_fmt_ev *e, struct tep_handle *tep,
			struct tep_record *rec, size_t *len)
{
	const struct tep_event *ev = e->ev;
	bool fixed = !ev->print_fmt.args && !ev->handler && !ev->flags;

	if (fixed && e->info) {
		*len = e->info_len;
		return e->info;
	}
	trace_seq_reset(&f->seq);
	tep_print_event(tep, &f->seq, rec, "%s", TEP_PRINT_INFO);
	if (f->seq.state != TRACE_SEQ__GOOD)
		return NULL;
	*len = f->seq.len;
	if (fixed) {
		e->info = malloc(f->seq.len + 1);
		if (e->info)
			memcpy(e->info, f->seq.buffer, f->seq.len + 1);
		e->info_len = f->seq.len;
	}
	return f->seq.buffer;
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
	struct ft_pipe_fmt_ev *e = ev ? lookup(f, ev) : NULL;
	const unsigned char *lat = NULL;
	const char *text = NULL;
	size_t clen, tlen = 0;
	char *p;

	if (e && e->flags_off >= 0 && rec->size > e->flags_off && rec->size > e->pc_off)
		lat = latency(f, e, tep, rec);
	if (lat)
		text = info(f, e, tep, rec, &tlen);
	clen = strlen(comm ? comm : "<...>");
	/* comm, pid, CPU, latency, time: 16 + 1 + 20 + 2 + 11 + 2 + 15 + 1 + 20 + 2 */
	if (!text || !room(f, clen + e->name_len + tlen + 96)) {
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
	p = put(p, ev->name, e->name_len);
	p = put(p, ": ", 2);
	p = put(p, text, tlen);
	*p++ = '\n';
	fwrite(f->line, 1, (size_t)(p - f->line), out);
}
