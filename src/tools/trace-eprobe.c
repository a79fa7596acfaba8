// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tracepoint probe whose %s prints a pointer field ('t:syscalls:sys_enter_openat "%s",
 * args->filename'): the tracepoint records the pointer, not the string, so trace reads an
 * event probe on it instead, which fetches the string behind the pointer when the event
 * fires. Each field the message prints or the filter compares is fetched under its own name,
 * so the message and the filter read the eprobe's fields as they would the tracepoint's; a
 * number keeps the field's size and sign, so it prints as it would from the tracepoint. Pure.
 *
 * User or kernel memory: a pointer whose type says __user, and every pointer of the syscalls
 * system (a system call's char * arguments point into the calling process; the kernel's
 * format files drop the __user), is read as a ustring; '@user' after the field says so for
 * any other event; the rest are read as kernel strings.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "tools/trace.h"

#define BAD(...) (snprintf(err, errsz, __VA_ARGS__), -EINVAL)

/**
 * ft_trace_needs_eprobe() - whether a tracepoint probe prints a string behind a pointer
 * @p: a tracepoint probe
 * @fmt: its event's format
 *
 * Return: true when a %s names a field that is not a string (a pointer, since a number is
 * refused): only an event probe can read what it points to.
 */
bool ft_trace_needs_eprobe(const struct ft_trace_probe *p, const struct ft_event_format *fmt)
{
	for (size_t i = 0; p->kind == FT_TRACE_TRACEPOINT && i < p->nargs; i++) {
		const struct ft_field *f = ft_format_field(fmt, p->args[i].field);
		const char *conv = p->args[i].conv;

		if (f && conv[strlen(conv) - 1] == 's' && !f->is_string && strchr(f->type, '*'))
			return true;
	}
	return false;
}

/* How a %s of @f (printed as @a) is read: "string" or "ustring"; NULL for a number. */
static const char *string_type(const struct ft_event_format *fmt, const struct ft_field *f,
			       const struct ft_trace_probe *p)
{
	bool user = strstr(f->type, "__user") || !strcmp(fmt->system, "syscalls");

	for (size_t i = 0; i < p->nargs; i++) {
		const struct ft_trace_arg *a = &p->args[i];

		if (strcmp(a->field, f->name) || a->conv[strlen(a->conv) - 1] != 's')
			continue;
		if (f->is_string)
			return "string";
		return user || !strcmp(a->type, "ustring") ? "ustring" : "string";
	}
	return NULL;
}

/* The fetch argument of field @f, appended to @buf at *@n. */
static int fetch_field(const struct ft_trace_probe *p, const struct ft_event_format *fmt,
		       const struct ft_field *f, char *buf, size_t size, size_t *n, char *err,
		       size_t errsz)
{
	const char *str = string_type(fmt, f, p);

	if (str && !f->is_string)
		*n += (size_t)snprintf(buf + *n, size - *n, " %s=+0($%s):%s", f->name, f->name,
				       str);
	else if (str || f->is_string)
		*n += (size_t)snprintf(buf + *n, size - *n, " %s=$%s:string", f->name, f->name);
	else if (!f->is_array && (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8))
		*n += (size_t)snprintf(buf + *n, size - *n, " %s=$%s:%c%d", f->name, f->name,
				       f->is_signed ? 's' : 'u', f->size * 8);
	else
		return BAD("the field %s (%s) cannot be fetched by an event probe: leave it out "
			   "of the message and the filter",
			   f->name, f->type);
	if (*n >= size)
		return BAD("the event probe on %s fetches too much", p->target);
	return 0;
}

/* Whether field @name was fetched already: it appears as " NAME=" in @buf. */
static bool fetched(const char *buf, const char *name)
{
	size_t len = strlen(name);

	for (const char *s = strstr(buf, name); s; s = strstr(s + 1, name))
		if (s > buf && s[-1] == ' ' && s[len] == '=')
			return true;
	return false;
}

/* Fetch @name (@len long) if it is one of the event's own fields and not fetched yet. */
static int fetch_name(const struct ft_trace_probe *p, const struct ft_event_format *fmt,
		      const char *name, size_t len, char *buf, size_t size, size_t *n, char *err,
		      size_t errsz)
{
	char w[64];
	const struct ft_field *f;

	if (len >= sizeof(w))
		return 0;
	snprintf(w, sizeof(w), "%.*s", (int)len, name);
	f = ft_format_field(fmt, w);
	if (!f || f->common || fetched(buf, w))
		return 0;
	return fetch_field(p, fmt, f, buf, size, n, err, errsz);
}

/**
 * ft_trace_eprobe_text() - a tracepoint probe as an event probe's definition (probe add -e)
 * @p: a tracepoint probe, parsed (its filter's fields are the event's names)
 * @fmt: its event's format
 * @buf: set to "SYSTEM:EVENT FIELD=FETCH:TYPE ...": every field the message prints and the
 *       filter compares, under its own name, the strings behind pointers fetched
 * @size: size of @buf
 * @err: set to what is wrong on error
 * @errsz: size of @err
 *
 * Return: 0, or -EINVAL (see @err).
 */
int ft_trace_eprobe_text(const struct ft_trace_probe *p, const struct ft_event_format *fmt,
			 char *buf, size_t size, char *err, size_t errsz)
{
	size_t n = (size_t)snprintf(buf, size, "%s", p->target);
	int ret = 0;

	for (size_t i = 0; !ret && i < p->nargs; i++)
		ret = fetch_name(p, fmt, p->args[i].field, strlen(p->args[i].field), buf, size, &n,
				 err, errsz);
	if (!ret) /* the COMM column, as from the tracepoint (trace.c takes a field so named) */
		ret = fetch_name(p, fmt, "comm", 4, buf, size, &n, err, errsz);
	for (const char *s = p->filter; !ret && *s;) {
		size_t len = 1;

		if (*s == '"' || *s == '\'') /* a string compared with, not a field */
			for (; s[len] && s[len] != *s; len += s[len] == '\\' && s[len + 1] ? 2 : 1)
				;
		else if (isalpha((unsigned char)*s) || *s == '_')
			len = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"0123456789_");
		else if (isdigit((unsigned char)*s)) /* 0x1f is no field */
			len = strspn(s, "0123456789abcdefABCDEFxX");
		if (isalpha((unsigned char)*s) || *s == '_')
			ret = fetch_name(p, fmt, s, len, buf, size, &n, err, errsz);
		s += s[len] ? len + (*s == '"' || *s == '\'') : len;
	}
	return ret;
}
