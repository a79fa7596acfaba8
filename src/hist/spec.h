/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_SPEC_H
#define FT_HIST_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "hist/hist.h"

/*
 * What a user asks `hist start` / `top` for, independent of the backend that will count it:
 * the hist backend turns it into a hist trigger (src/triggers/), the BPF backend into the
 * read-only configuration of its aggregator (src/bpf/).
 */

/**
 * struct ft_hist_keyspec - one key
 * @field: event field, or "common_pid", "common_cpu"... , "stacktrace", "common_stacktrace",
 *         "comm", "cpu", "ustack" (the last ones BPF only)
 * @modifier: "", "hex", "sym", "sym-offset", "syscall", "execname", "log2", "buckets=N",
 *            "usecs"
 */
struct ft_hist_keyspec {
	const char *field;
	const char *modifier;
};

/**
 * struct ft_hist_valspec - one value
 * @field: "hitcount" or a numeric event field
 * @modifier: "", "hex", "percent", "graph"
 */
struct ft_hist_valspec {
	const char *field;
	const char *modifier;
};

/**
 * struct ft_hist_sortspec - one sort key
 * @field: a key or value field name
 * @descending: sort from the largest
 */
struct ft_hist_sortspec {
	const char *field;
	bool descending;
};

#define FT_HIST_MAX_MORE 1023 /* further events of one BPF aggregation */
#define FT_HIST_MAX_MATCH \
	3 /* fields a latency's start and end are matched on (the kernel's
			      * hist triggers take at most 3 keys) */

/**
 * struct ft_hist_event - an event named in a request
 * @system: its system
 * @event: its name, or a glob of names (ft_hist_spec_expand())
 */
struct ft_hist_event {
	const char *system;
	const char *event;
};

/**
 * struct ft_hist_spec - a histogram request
 * @system: event system
 * @event: event name
 * @instance: instance, NULL for the default (DESIGN.md: the session's or the top level)
 * @name: the hist's name= (shared hists, and how pause/cont/clear/rm find it), or NULL
 * @keys: key parts, at least one
 * @nkeys: how many
 * @vals: values; none means hitcount only
 * @nvals: how many
 * @sort: sort keys, at most two as the kernel allows
 * @nsort: how many
 * @size: table size (a power of two, 128..131072), 0 for the kernel's default (2048)
 * @filter: the "if" filter, or NULL
 * @end_system: latency mode: the end event's system (the start event is @system:@event),
 *              or NULL when not in latency mode
 * @end_event: latency mode: the end event's name
 * @match_start: latency mode: the start event's fields its end is found by (the start
 *               event's key), in the order of @match_end
 * @match_end: the end event's fields that must equal them
 * @nmatch: how many; 0 matches start and end by thread (common_pid on both sides)
 * @backend: "auto", "hist", "bpf" or "both" (--backend), NULL for auto
 * @more: further events counted into the same table (BPF only); @event may also be a glob
 *        until expanded
 * @nmore: how many
 * @skip_missing: --skip-missing: events of a glob where a key, value or filter name is not
 *                the field it is in the others are left out, not refused (BPF)
 * @title: the pattern the events were chosen by (the event part of a glob), for titles; NULL
 *         when the events were named one by one
 * @rotate: BPF, for a live view's own aggregation that one reader reads every interval: the
 *          kernel counts into two tables that take turns, the reader sums them (agg.h
 *          cfg.rotate); never pinned
 *
 * Strings are not owned by the spec: they point at the command line or the caller's memory.
 */
struct ft_hist_spec {
	const char *system;
	const char *event;
	const char *instance;
	const char *name;
	struct ft_hist_keyspec keys[FT_HIST_MAX_KEYS];
	size_t nkeys;
	struct ft_hist_valspec vals[FT_HIST_MAX_VALS];
	size_t nvals;
	struct ft_hist_sortspec sort[2];
	size_t nsort;
	unsigned size;
	const char *filter;
	const char *end_system;
	const char *end_event;
	const char *match_start[FT_HIST_MAX_MATCH];
	const char *match_end[FT_HIST_MAX_MATCH];
	size_t nmatch;
	const char *backend;
	struct ft_hist_event more[FT_HIST_MAX_MORE];
	size_t nmore;
	bool skip_missing;
	const char *title;
	bool rotate;
};

int ft_hist_latency_parse(char *v, struct ft_hist_spec *spec, char *err, size_t errsize);
int ft_hist_match_parse(char *v, struct ft_hist_spec *spec, char *err, size_t errsize);
int ft_hist_spec_parse(int argc, char **argv, struct ft_hist_spec *spec, char *err, size_t errsize);

#endif
