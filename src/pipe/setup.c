// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preparing the session's own instance for ftrig pipe: the event patterns resolved against
 * what the kernel has (before anything is written), then the instance's clock and buffer
 * size, the filter, and the enables, each journaled by the ledger.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evhint.h"
#include "format.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "pipe/pipe.h"
#include "session.h"
#include "suggest.h"
#include "tfs.h"

/* The events resolved, and for each the pattern of @o->events that named it first. */
struct names {
	char **v;
	size_t *from;
	size_t n;
	size_t pattern;
};

static int names_add(struct names *l, const char *sys, const char *ev)
{
	size_t *nf;
	char *s, **nv;

	if (asprintf(&s, "%s:%s", sys, ev) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i], s)) {
			free(s);
			return 0;
		}
	}
	nv = realloc(l->v, (l->n + 2) * sizeof(*nv));
	if (nv)
		l->v = nv;
	nf = nv ? realloc(l->from, (l->n + 1) * sizeof(*nf)) : NULL;
	if (!nf) {
		free(s);
		return -ENOMEM;
	}
	l->from = nf;
	l->from[l->n] = l->pattern;
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return 0;
}

static void names_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Events of one system that @pattern names and that can be enabled. */
static int match_system(struct ft_tfs *t, const char *pattern, const char *sys, struct names *l,
			unsigned *hits)
{
	char **events = ft_tfs_events(t, sys);
	int ret = 0;

	for (int e = 0; !ret && events && events[e]; e++) {
		if (!ft_pipe_event_matches(pattern, sys, events[e]))
			continue;
		if (!ft_tfs_event_exists(t, NULL, sys, events[e], "enable"))
			continue; /* ftrace's own entries cannot be enabled */
		(*hits)++;
		ret = names_add(l, sys, events[e]);
	}
	ft_tfs_list_free(events);
	return ret;
}

/*
 * A pattern without globs, "system:event", that names an event which can be enabled: added
 * without listing any directory. Listing events/ makes the kernel create an eventfs entry for
 * each of its ~150 systems and, for a system, each of its events (~700 for syscalls): most of
 * pipe's start-up CPU under an emulator, for one stat here. Returns 1 if added.
 */
static int literal(struct ft_tfs *t, const char *p, struct names *l)
{
	const char *colon = strchr(p, ':');
	char sys[NAME_MAX + 1], ev[NAME_MAX + 1];

	if (!colon || strpbrk(p, "*?[\\") || strchr(colon + 1, ':') ||
	    ft_event_split_copy(p, sys, sizeof(sys), ev, sizeof(ev)) ||
	    !ft_tfs_event_exists(t, NULL, sys, ev, "enable"))
		return 0;
	return names_add(l, sys, ev) ? -ENOMEM : 1;
}

static int resolve(struct ft_tfs *t, const struct ft_pipe_opts *o, struct names *l)
{
	char **systems = NULL;
	int ret = 0;

	for (size_t i = 0; !ret && i < o->nevents; i++) {
		const char *p = o->events[i], *colon = strchr(p, ':');
		size_t slen = colon ? (size_t)(colon - p) : 0;
		unsigned hits = 0;

		l->pattern = i;
		ret = literal(t, p, l);
		if (ret) {
			ret = ret < 0 ? ret : 0;
			continue;
		}
		if (!systems && !(systems = ft_tfs_systems(t))) {
			ft_err("no event systems under %s/events; is this a tracefs?",
			       ft_tfs_dir(t));
			return -ENOENT;
		}
		for (int s = 0; !ret && systems[s]; s++) {
			/* A literal system part: list only that system's events (startup cost). */
			if (colon && !memchr(p, '*', slen) && !memchr(p, '?', slen) &&
			    !memchr(p, '[', slen) &&
			    (strlen(systems[s]) != slen || strncmp(systems[s], p, slen)))
				continue;
			ret = match_system(t, p, systems[s], l, &hits);
		}
		if (!ret && !hits) {
			char hint[512] = "";

			if (!strpbrk(p, "*?[")) /* CMD-9 */
				ft_event_hint(t, p, hint, sizeof(hint));
			ft_err("no event matches '%s'%s", o->events[i],
			       *hint ? hint
				     : "; 'ftrig list events' shows them (SYSTEM:EVENT, globs "
				       "allowed: 'sched:*')");
			ret = -ENOENT;
		}
	}
	ft_tfs_list_free(systems);
	return ret;
}

/*
 * The instance's clock and buffer. The mono clock is what the raw reader orders by. A
 * buffer_percent of 0 makes poll on trace_pipe_raw wake on the first event instead of at half
 * a buffer: the reader then sleeps in the kernel while idle and needs no timeout (on a kernel
 * without the file it still reads, at the kernel's watermark). Both live and die with the
 * private instance: nothing to put back.
 */
static int settings(struct ft_session *s, const char *inst, const struct ft_pipe_opts *o)
{
	char why[256], val[32];
	int ret;

	ret = ft_tfs_instance_set(s->tfs, inst, "trace_clock", "mono");
	if (ret)
		ft_warn("cannot use the mono trace clock (%s); events of different CPUs may come "
			"out of order",
			ft_tfs_strerror(ret, "trace_clock", why, sizeof(why)));
	/* Not for record (its mode is text): it gains from reading whole pages in batches. */
	ret = o->mode == FT_PIPE_TEXT ? 0
				      : ft_tfs_instance_set(s->tfs, inst, "buffer_percent", "0");
	if (ret && ret != -ENOENT)
		ft_warn("cannot set buffer_percent to 0 (%s): events may come in bursts",
			ft_tfs_strerror(ret, "buffer_percent", why, sizeof(why)));
	if (!o->buffer_kb)
		return 0;
	snprintf(val, sizeof(val), "%lu", o->buffer_kb);
	ret = ft_tfs_instance_set(s->tfs, inst, "buffer_size_kb", val);
	if (ret)
		ft_err("cannot set the buffer to %lu KiB per CPU: %s", o->buffer_kb,
		       ft_tfs_strerror(ret, "buffer_size_kb", why, sizeof(why)));
	return ret;
}

/* Names a filter may use besides the event's fields (the kernel's filter_pred specials). */
static bool filter_special(const char *w, size_t n)
{
	static const char *const sp[] = {
		"CPU", "COMM", "common_cpu", "common_comm", "cpu", "comm"
	};

	for (size_t i = 0; i < sizeof(sp) / sizeof(sp[0]); i++)
		if (strlen(sp[i]) == n && !memcmp(sp[i], w, n))
			return true;
	return false;
}

/*
 * CMD-9: "; no field 'prev_pidd' in sched:sched_switch; did you mean prev_pid?" for the first
 * word of a refused filter that is not a field of the event (quoted strings and numbers
 * skipped), or "" when every word is one.
 */
static const char *filter_field_hint(struct ft_tfs *t, const char *sys, const char *ev,
				     const char *expr, char *buf, size_t size)
{
	struct ft_event_format *fmt = NULL;
	char rel[600], *text, hint[256], word[128];
	const char **names = NULL;
	const char *p = expr;

	buf[0] = '\0';
	snprintf(rel, sizeof(rel), "events/%s/%s/format", sys, ev);
	text = ft_tfs_read(t, NULL, rel, NULL);
	if (!text || ft_format_parse(sys, text, &fmt) || !fmt ||
	    !(names = calloc(fmt->nfields + 1, sizeof(*names))))
		goto out;
	for (size_t i = 0; i < fmt->nfields; i++)
		names[i] = fmt->fields[i].name;
	while (*p) {
		const char *w = p;

		if (*p == '"' || *p == '\'') { /* a string: skip it */
			const char *q = strchr(p + 1, *p);

			p = q ? q + 1 : p + strlen(p);
			continue;
		}
		if (!(isalpha((unsigned char)*p) || *p == '_') ||
		    (p > expr && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))) {
			p++;
			continue;
		}
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if ((size_t)(p - w) >= sizeof(word) || filter_special(w, (size_t)(p - w)))
			continue;
		memcpy(word, w, (size_t)(p - w));
		word[p - w] = '\0';
		if (ft_format_field(fmt, word))
			continue;
		ft_suggest_hint(word, names, NULL, fmt->nfields, hint, sizeof(hint));
		snprintf(buf, size, "; no field '%s' in %s:%s%s", word, sys, ev, hint);
		break;
	}
out:
	free(names);
	ft_format_free(fmt);
	free(text);
	return buf;
}

static int filter_one(struct ft_session *s, const char *inst, const char *name, const char *expr)
{
	char sys[NAME_MAX + 1], ev[NAME_MAX + 1], *klog, why[256];
	int ret = ft_event_split_copy(name, sys, sizeof(sys), ev, sizeof(ev));

	if (!ret)
		ret = ft_ledger_event_filter(s->ledger, inst, sys, ev, expr);
	if (!ret)
		return 0;
	if (ret == -EINVAL) {
		char hint[400];

		klog = ft_tfs_error_last(s->tfs, inst);
		filter_field_hint(s->tfs, sys, ev, expr, hint, sizeof(hint));
		if (*hint)
			ft_err("the kernel refused the filter '%s' on %s%s", expr, name, hint);
		else
			ft_err("the kernel refused the filter '%s' on %s%s%s; check the field "
			       "names with 'ftrig list events %s --fields'",
			       expr, name, klog ? ":\n" : "", klog ? klog : "", name);
		free(klog);
	} else {
		ft_err("cannot set the filter of %s: %s", name,
		       ft_tfs_strerror(ret, name, why, sizeof(why)));
	}
	return ret;
}

static int enable_one(struct ft_session *s, const char *inst, const char *name)
{
	char sys[NAME_MAX + 1], ev[NAME_MAX + 1], why[256];
	int ret = ft_event_split_copy(name, sys, sizeof(sys), ev, sizeof(ev));

	if (!ret)
		ret = ft_ledger_event_enable(s->ledger, inst, sys, ev);
	if (ret)
		ft_err("cannot enable %s: %s", name, ft_tfs_strerror(ret, name, why, sizeof(why)));
	return ret;
}

/**
 * ft_pipe_setup() - enable the events @o names in the session's own instance
 * @s: the session; its instance is created here
 * @o: the options: event patterns, filter, pid, comm (or each pattern's own filter), buffer
 *     size
 * @enabled: set to the events enabled, "system:event" each, NULL-terminated, to free with
 *           ft_pipe_names_free(); left NULL on failure
 *
 * Patterns are resolved before anything is written, so a pattern that names nothing leaves
 * the kernel as it was. The top-level buffer is never touched.
 *
 * Return: 0 or -errno; the cause has been logged. What was created stays in the session's
 * ledger for ft_session_end() to undo.
 */
int ft_pipe_setup(struct ft_session *s, const struct ft_pipe_opts *o, char ***enabled)
{
	struct names l = { 0 };
	const char *inst;
	char *expr = NULL;
	int ret;

	*enabled = NULL;
	ret = resolve(s->tfs, o, &l);
	if (!ret) {
		expr = ft_pipe_filter_compose(o);
		if (!expr && errno)
			ret = -ENOMEM;
	}
	inst = ret ? NULL : ft_session_instance(s);
	if (!ret && !inst)
		ret = -errno;
	if (!ret)
		ret = settings(s, inst, o);
	for (size_t i = 0; !ret && i < l.n; i++) {
		const char *f = o->filters ? o->filters[l.from[i]] : expr;

		if (f)
			ret = filter_one(s, inst, l.v[i], f);
	}
	for (size_t i = 0; !ret && i < l.n; i++)
		ret = enable_one(s, inst, l.v[i]);
	free(expr);
	free(l.from);
	if (ret) {
		names_free(l.v);
		return ret;
	}
	*enabled = l.v;
	return 0;
}

/**
 * ft_pipe_names_free() - free the list ft_pipe_setup() returned; NULL is allowed
 * @v: the list
 */
void ft_pipe_names_free(char **v)
{
	names_free(v);
}

/**
 * ft_pipe_stop_recording() - stop the session instance's ring buffer taking events
 * @s: the session, whose instance ft_pipe_setup() made
 *
 * After a stop signal, also makes blocked writes of the output fail from now on
 * (ft_signals_interrupt()), so a reader nobody reads from still ends; --duration armed that
 * already.
 *
 * Called when a reader is told to stop, before it reads what is left: under a sustained rate
 * (and ftrig's own writes are events of raw_syscalls) the buffer never runs empty while the
 * events record, so the last read would never end (CMD-1). tracing_on of the private instance
 * is not journaled: the instance goes away with the session, and the enables ftrig journaled
 * are undone as before.
 *
 * Return: 0 or -errno (logged as a warning; the caller's drain is bounded anyway).
 */
int ft_pipe_stop_recording(struct ft_session *s)
{
	char why[256];
	int ret;

	/* Not at a count limit: a slow reader then still gets every event. */
	if (ft_stop_signal)
		ft_signals_interrupt(0);
	if (!s->instance[0])
		return 0;
	ret = ft_tfs_instance_set(s->tfs, s->instance, "tracing_on", "0");
	if (ret)
		ft_warn("cannot stop recording in %s: %s", s->instance,
			ft_tfs_strerror(ret, "tracing_on", why, sizeof(why)));
	return ret;
}

/**
 * ft_pipe_cpu_stats() - numbers of one CPU's ring buffer stats in the session's instance
 * @s: the session
 * @cpu: the CPU
 * @fields: the names to sum, as the file spells them (ft_pipe_stats_field()), NULL-ended
 *
 * Return: their sum; 0 when the file cannot be read (an offline or absent CPU).
 */
unsigned long long ft_pipe_cpu_stats(struct ft_session *s, int cpu, const char *const *fields)
{
	char rel[64], *text;
	unsigned long long n = 0;

	snprintf(rel, sizeof(rel), "per_cpu/cpu%d/stats", cpu);
	text = ft_tfs_read(s->tfs, ft_session_instance(s), rel, NULL);
	for (size_t i = 0; text && fields[i]; i++)
		n += ft_pipe_stats_field(text, fields[i]);
	free(text);
	return n;
}

/**
 * ft_pipe_left() - the events still in the session instance's ring buffer
 * @s: the session, its instance still there and no longer recording (a reader's stop)
 *
 * The stop's last read is bounded (a slow or blocked output, a huge buffer): what it did not
 * read goes with the instance. Counted here from each CPU's stats ("entries": in the buffer,
 * not read), so that the summary says it rather than a "none lost" that is not so.
 *
 * Return: the count summed over the CPUs; 0 without an instance.
 */
unsigned long long ft_pipe_left(struct ft_session *s)
{
	static const char *const entries[] = { "entries", NULL };
	long n = sysconf(_SC_NPROCESSORS_CONF);
	unsigned long long left = 0;

	if (!s->instance[0])
		return 0;
	for (long cpu = 0; cpu < n; cpu++)
		left += ft_pipe_cpu_stats(s, (int)cpu, entries);
	return left;
}
