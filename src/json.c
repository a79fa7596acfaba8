// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small streaming JSON writer: enough for --json output, no allocation, no DOM.
 * Keys are passed with each value; NULL keys are for array elements.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "json.h"

/**
 * ft_json_init() - start writing JSON to @f
 * @j: the writer to set up
 * @f: the stream; the caller keeps ownership
 * @pretty: indent and break lines (for people) rather than one line (for JSON lines)
 */
void ft_json_init(struct ft_json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->depth = 0;
	j->count[0] = 0;
	j->pretty = pretty;
}

/**
 * ft_json_escape() - write @s as a quoted JSON string
 * @f: the stream
 * @s: a NUL-terminated string; NULL is written as null
 */
void ft_json_escape(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;
		size_t n = 0;

		/* A run that needs no escape goes out in one write, not a call per byte. */
		while ((unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
			n++;
		if (n) {
			fwrite(s, 1, n, f);
			s += n - 1;
			continue;
		}
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void indent(struct ft_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputc('\t', j->f);
}

/* Comma, newline and "key": before a value. */
static void member(struct ft_json *j, const char *key)
{
	if (j->count[j->depth]++)
		fputc(',', j->f);
	if (j->depth)
		indent(j);
	if (key) {
		ft_json_escape(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void begin(struct ft_json *j, const char *key, char open)
{
	member(j, key);
	fputc(open, j->f);
	if (j->depth < FT_JSON_MAX_DEPTH - 1)
		j->depth++;
	j->count[j->depth] = 0;
}

/**
 * ft_json_begin_obj() - open an object
 * @j: the writer
 * @key: member name inside an object, NULL inside an array or at the top
 */
void ft_json_begin_obj(struct ft_json *j, const char *key)
{
	begin(j, key, '{');
}

/**
 * ft_json_begin_arr() - open an array
 * @j: the writer
 * @key: member name inside an object, NULL inside an array or at the top
 */
void ft_json_begin_arr(struct ft_json *j, const char *key)
{
	begin(j, key, '[');
}

/**
 * ft_json_end() - close the innermost object or array
 * @j: the writer
 * @close: '}' or ']'
 *
 * Closing the outermost value also ends the line.
 */
void ft_json_end(struct ft_json *j, char close)
{
	bool empty = j->count[j->depth] == 0;

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(close, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

/**
 * ft_json_str() - write a string member
 * @j: the writer
 * @key: member name, or NULL in an array
 * @val: the string, NULL for null
 */
void ft_json_str(struct ft_json *j, const char *key, const char *val)
{
	member(j, key);
	ft_json_escape(j->f, val);
}

/**
 * ft_json_int() - write an integer member
 * @j: the writer
 * @key: member name, or NULL in an array
 * @val: the number
 */
void ft_json_int(struct ft_json *j, const char *key, int64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRId64, val);
}

/**
 * ft_json_uint() - write an unsigned 64-bit number member (kernel counters and addresses)
 * @j: the writer
 * @key: member name inside an object, NULL inside an array
 * @val: the number
 */
void ft_json_uint(struct ft_json *j, const char *key, uint64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

/**
 * ft_json_double() - write a floating-point number member; NaN and infinities become null
 * @j: the writer
 * @key: member name inside an object, NULL inside an array
 * @val: the number
 */
void ft_json_double(struct ft_json *j, const char *key, double val)
{
	member(j, key);
	char buf[32];

	if (val != val || val > 1e308 || val < -1e308) {
		fputs("null", j->f);
		return;
	}
	/* The shortest text that reads back as the same double: 1.00054824, not
	 * 1.0005482400000001 (FIG-9). */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, val);
		if (strtod(buf, NULL) == val)
			break;
	}
	fputs(buf, j->f);
}

/**
 * ft_json_null() - write a null member
 * @j: the writer
 * @key: member name inside an object, NULL inside an array
 */
void ft_json_null(struct ft_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

/**
 * ft_json_bool() - write a boolean member
 * @j: the writer
 * @key: member name, or NULL in an array
 * @val: the value
 */
void ft_json_bool(struct ft_json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}
