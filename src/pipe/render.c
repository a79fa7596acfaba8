// SPDX-License-Identifier: GPL-2.0-only
/*
 * One decoded event record as a JSON object (every format field typed) or as a line like the
 * kernel's trace output. Pure: a libtraceevent handle and a record in, text on a stream out.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "json.h"
#include "pipe/pipe.h"

/**
 * ft_pipe_field_data() - where a field's data is in a record and how long it is
 * @tep: the handle that decoded the record
 * @rec: the record
 * @fl: one of its event's fields
 * @p: set to the field's data, inside @rec
 * @len: set to its length in bytes
 *
 * __data_loc fields hold a u32: offset in the low 16 bits, length in the high 16; __rel_loc
 * offsets count from the end of the field itself.
 *
 * Return: 0, or -1 when the record is too short for it.
 */
int ft_pipe_field_data(struct tep_handle *tep, struct tep_record *rec,
		       const struct tep_format_field *fl, const unsigned char **p, unsigned *len)
{
	unsigned off = (unsigned)fl->offset, n = (unsigned)fl->size;

	if (fl->flags & TEP_FIELD_IS_DYNAMIC) {
		unsigned v;

		if (off + 4 > (unsigned)rec->size)
			return -1;
		v = (unsigned)tep_read_number(tep, (const char *)rec->data + off, 4);
		n = v >> 16;
		off = v & 0xffff;
		if (fl->flags & TEP_FIELD_IS_RELATIVE)
			off += (unsigned)(fl->offset + fl->size);
	}
	if (off > (unsigned)rec->size || n > (unsigned)rec->size - off)
		return -1;
	*p = (const unsigned char *)rec->data + off;
	*len = n;
	return 0;
}

static void json_number(struct ft_json *j, struct tep_handle *tep, const char *key,
			const unsigned char *p, unsigned size, bool is_signed)
{
	uint64_t v;

	if (size != 1 && size != 2 && size != 4 && size != 8) {
		ft_json_str(j, key, NULL);
		return;
	}
	v = tep_read_number(tep, p, (int)size);
	if (!is_signed) {
		ft_json_uint(j, key, v);
		return;
	}
	switch (size) {
	case 1:
		ft_json_int(j, key, (int8_t)v);
		break;
	case 2:
		ft_json_int(j, key, (int16_t)v);
		break;
	case 4:
		ft_json_int(j, key, (int32_t)v);
		break;
	default:
		ft_json_int(j, key, (int64_t)v);
	}
}

static void json_string(struct ft_json *j, const char *key, const unsigned char *p, unsigned len)
{
	char *s = malloc(len + 1);

	if (!s) {
		ft_json_str(j, key, NULL);
		return;
	}
	memcpy(s, p, len);
	s[len] = '\0';
	ft_json_str(j, key, s);
	free(s);
}

/* One field: strings as strings, arrays as arrays of numbers, the rest as numbers. */
static void json_field(struct ft_json *j, struct tep_handle *tep, struct tep_record *rec,
		       const struct tep_format_field *fl)
{
	bool is_signed = fl->flags & TEP_FIELD_IS_SIGNED;
	const unsigned char *p;
	unsigned len, esize;

	if (ft_pipe_field_data(tep, rec, fl, &p, &len)) {
		ft_json_str(j, fl->name, NULL);
		return;
	}
	if (fl->flags & TEP_FIELD_IS_STRING) {
		json_string(j, fl->name, p, (unsigned)strnlen((const char *)p, len));
		return;
	}
	if (!(fl->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC))) {
		json_number(j, tep, fl->name, p, len, is_signed);
		return;
	}
	esize = fl->elementsize ? fl->elementsize : 1;
	ft_json_begin_arr(j, fl->name);
	for (unsigned i = 0; i + esize <= len; i += esize)
		json_number(j, tep, NULL, p + i, esize, is_signed);
	ft_json_end(j, ']');
}

/**
 * ft_pipe_json_event() - write one event record as a JSON object on its own line
 * @j: the writer; the object starts a new top-level value
 * @tep: the handle that knows the record's event format
 * @rec: the record (data, size, cpu, ts)
 * @comm: the task name to show for the record's pid, or NULL if unknown
 *
 * The object: "type":"event", "system", "event", "cpu", "timestamp_ns", "pid", "comm",
 * "common" (the common_* fields) and "fields" (the event's own fields, typed).
 */
void ft_pipe_json_event(struct ft_json *j, struct tep_handle *tep, struct tep_record *rec,
			const char *comm)
{
	struct tep_event *ev = tep_find_event_by_record(tep, rec);
	FILE *f = j->f;

	ft_json_init(j, f, false);
	ft_json_begin_obj(j, NULL);
	ft_json_str(j, "type", "event");
	ft_json_str(j, "system", ev ? ev->system : NULL);
	ft_json_str(j, "event", ev ? ev->name : NULL);
	ft_json_int(j, "cpu", rec->cpu);
	ft_json_uint(j, "timestamp_ns", rec->ts);
	ft_json_int(j, "pid", tep_data_pid(tep, rec));
	ft_json_str(j, "comm", comm);
	if (ev) {
		ft_json_begin_obj(j, "common");
		for (const struct tep_format_field *fl = ev->format.common_fields; fl;
		     fl = fl->next)
			json_field(j, tep, rec, fl);
		ft_json_end(j, '}');
		ft_json_begin_obj(j, "fields");
		for (const struct tep_format_field *fl = ev->format.fields; fl; fl = fl->next)
			json_field(j, tep, rec, fl);
		ft_json_end(j, '}');
	}
	ft_json_end(j, '}');
}

/**
 * ft_pipe_json_lost() - write a record saying that a CPU's ring buffer lost events
 * @j: the writer; the object starts a new top-level value
 * @cpu: the CPU
 * @n: how many were lost, or -1 when the kernel did not say how many
 * @ts: the timestamp of the first event read after the loss
 */
void ft_pipe_json_lost(struct ft_json *j, int cpu, long long n, unsigned long long ts)
{
	ft_json_init(j, j->f, false);
	ft_json_begin_obj(j, NULL);
	ft_json_str(j, "type", "lost");
	ft_json_int(j, "cpu", cpu);
	if (n >= 0)
		ft_json_int(j, "lost", n);
	else
		ft_json_str(j, "lost", NULL);
	ft_json_uint(j, "timestamp_ns", ts);
	ft_json_end(j, '}');
}

/**
 * ft_pipe_text_event() - write one event record as the kernel's trace output shows it
 * @f: the stream
 * @tep: the handle that knows the record's event format
 * @rec: the record
 * @comm: the task name to show for the record's pid, or NULL for "<...>"
 * @s: a scratch trace_seq the caller keeps between calls (trace_seq_init()), reset here
 *
 * "TASK-PID [CPU] FLAGS SECONDS.MICROS: EVENT: FIELDS", the columns of trace_pipe.
 */
void ft_pipe_text_event(FILE *f, struct tep_handle *tep, struct tep_record *rec, const char *comm,
			struct trace_seq *s)
{
	trace_seq_reset(s);
	tep_print_event(tep, s, rec, "%s %6.1000d: %s: %s\n", TEP_PRINT_LATENCY, TEP_PRINT_TIME,
			TEP_PRINT_NAME, TEP_PRINT_INFO);
	trace_seq_terminate(s);
	fprintf(f, "%16s-%-7d [%03d] ", comm ? comm : "<...>", tep_data_pid(tep, rec), rec->cpu);
	fwrite(s->buffer, 1, s->len, f);
}
