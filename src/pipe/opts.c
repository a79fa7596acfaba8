// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig pipe: the pure parts. Command line, durations, the filter the options add up to,
 * event patterns, and the kernel's "lost events" line of trace_pipe. No I/O here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "pipe/pipe.h"
#include "util.h"

static int bad(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number in [min, max], the whole string. */
static int parse_num(const char *s, unsigned long long min, unsigned long long max,
		     unsigned long long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end || *v < min || *v > max ? -EINVAL : 0;
}

static int check_comm(const char *c, char *err, size_t size)
{
	if (!*c || strlen(c) > FT_COMM_MAX)
		return bad(err, size, "--comm '%s': a task name has 1 to %d characters", c,
			   FT_COMM_MAX);
	if (strpbrk(c, "\"\\"))
		return bad(err, size, "--comm '%s': quotes and backslashes cannot be matched", c);
	return 0;
}

/* One option with its value; returns 0 or -EINVAL with @err filled. */
static int take(struct ft_pipe_opts *o, int c, const char *arg, char *err, size_t size)
{
	unsigned long long v;

	switch (c) {
	case 'f':
		if (!*arg)
			return bad(err, size, "--filter needs an expression, e.g. 'prev_pid == 1'");
		o->filter = arg;
		return 0;
	case 'p':
		if (parse_num(arg, 1, 4194304, &v))
			return bad(err, size, "--pid '%s': give a process id (a positive number)",
				   arg);
		o->pid = (long)v;
		return 0;
	case 'c':
		o->comm = arg;
		return check_comm(arg, err, size);
	case 'n':
		if (parse_num(arg, 1, ~0ULL, &o->count))
			return bad(err, size, "--count '%s': give a positive number of events",
				   arg);
		return 0;
	case 'd':
		if (ft_duration_parse(arg, &o->duration_ms))
			return bad(err, size,
				   "--duration '%s': give a duration like 10s, 500ms, 2m", arg);
		return 0;
	case 'b':
		if (parse_num(arg, 4, 4194304, &v))
			return bad(err, size,
				   "--buffer-size '%s': give KiB per CPU, from 4 to 4194304", arg);
		o->buffer_kb = (unsigned long)v;
		return 0;
	case 'o':
		if (!*arg)
			return bad(err, size, "-o needs a file name");
		o->output = arg;
		return 0;
	}
	return bad(err, size, "unknown option");
}

/**
 * ft_pipe_opts_parse() - parse the command line of `ftrig pipe`
 * @o: filled in (zeroed first)
 * @argc: argument count
 * @argv: arguments, argv[0] being "pipe"; getopt may permute them
 * @err: where a complaint goes, naming the problem and the fix
 * @size: size of @err
 *
 * Return: 0, or -EINVAL with @err filled.
 */
int ft_pipe_opts_parse(struct ft_pipe_opts *o, int argc, char **argv, char *err, size_t size)
{
	static const struct option lo[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "raw", no_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	bool raw = false, json = false;
	int c;

	*o = (struct ft_pipe_opts){ 0 };
	optind = 0;
	while ((c = ft_getopt_why("pipe", argc, argv, lo, err, size)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'r')
			raw = true;
		else if (take(o, c, optarg, err, size))
			return -EINVAL;
	}
	/* Two output modes at once is a mistake to say, not to settle silently (I13). */
	if (raw && json)
		return bad(err, size,
			   "--raw and --json are two output formats; give one (--json is --raw's "
			   "decoding as JSON)");
	if (err[0])
		return -EINVAL;
	o->mode = json ? FT_PIPE_JSON : raw ? FT_PIPE_RAW : FT_PIPE_TEXT;
	o->events = argv + optind;
	o->nevents = (size_t)(argc - optind);
	if (!o->nevents)
		return bad(err, size,
			   "name the events to stream, e.g. 'sched:sched_switch' or "
			   "'syscalls:sys_enter_*' ('ftrig list events' shows them)");
	for (size_t i = 0; i < o->nevents; i++)
		if (!*o->events[i])
			return bad(err, size, "an empty event name; give SYSTEM:EVENT");
	return 0;
}

/**
 * ft_pipe_filter_compose() - the filter expression the options add up to
 * @o: the options
 *
 * --filter, --pid and --comm are joined with &&. COMM is the kernel's name for the current
 * task's name in any event's filter (an event may have its own field called "comm").
 *
 * Return: a string to free, NULL with errno 0 when there is no filter, or NULL with errno
 * ENOMEM.
 */
char *ft_pipe_filter_compose(const struct ft_pipe_opts *o)
{
	char *s = NULL, *t;
	int n = 0;

	errno = 0;
	if (o->filter)
		n = asprintf(&s, "(%s)", o->filter);
	if (n >= 0 && o->pid) {
		n = asprintf(&t, "%s%scommon_pid == %ld", s ? s : "", s ? " && " : "", o->pid);
		free(s);
		s = n >= 0 ? t : NULL;
	}
	if (n >= 0 && o->comm) {
		n = asprintf(&t, "%s%sCOMM %s \"%s\"", s ? s : "", s ? " && " : "",
			     strpbrk(o->comm, "*?[") ? "~" : "==", o->comm);
		free(s);
		s = n >= 0 ? t : NULL;
	}
	if (n < 0) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	if (s && o->filter && !o->pid && !o->comm) {
		/* Only the user's own words: keep them as written, so errors point at them. */
		free(s);
		s = strdup(o->filter);
	}
	return s;
}

/**
 * ft_pipe_event_matches() - whether an event is named by a pattern
 * @pattern: "system:event" with shell globs in either part; without a colon it matches the
 *           event name or the system name
 * @sys: the event's system
 * @event: the event's name
 *
 * Return: true if it matches.
 */
bool ft_pipe_event_matches(const char *pattern, const char *sys, const char *event)
{
	const char *colon = strchr(pattern, ':');
	char psys[256];

	if (!colon)
		return ft_glob_match(pattern, event) || ft_glob_match(pattern, sys);
	snprintf(psys, sizeof(psys), "%.*s", (int)(colon - pattern), pattern);
	return ft_glob_match(psys, sys) && ft_glob_match(colon + 1, event);
}

/**
 * ft_pipe_stats_field() - a number of a CPU's ring buffer stats file
 * @text: the file's text (per_cpu/cpuN/stats: "entries: 12\noverrun: 0\n...")
 * @field: the name as the file spells it: "entries" (in the buffer, not read yet),
 *         "overrun", "dropped events"
 *
 * Only a whole name at the start of a line matches: "overrun" is not "commit overrun".
 *
 * Return: the number, 0 when the field is not there.
 */
unsigned long long ft_pipe_stats_field(const char *text, const char *field)
{
	size_t len = strlen(field);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, field, len) && p[len] == ':')
			return strtoull(p + len + 1, NULL, 10);
	return 0;
}

/**
 * ft_pipe_lost_line() - recognise the kernel's "CPU:N [LOST M EVENTS]" line of trace_pipe
 * @line: one line, without or with its newline
 * @len: its length
 * @cpu: set to N
 * @n: set to M
 *
 * Return: 1 if @line is such a line, else 0.
 */
int ft_pipe_lost_line(const char *line, size_t len, int *cpu, unsigned long long *n)
{
	char buf[96];
	int used = 0;

	if (len < 4 || len >= sizeof(buf) || strncmp(line, "CPU:", 4))
		return 0;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (sscanf(buf, "CPU:%d [LOST %llu EVENTS]%n", cpu, n, &used) != 2 || !used)
		return 0;
	return buf[used] == '\0' || buf[used] == '\n';
}
