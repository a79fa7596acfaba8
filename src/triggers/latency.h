/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_LATENCY_H
#define FT_TRIGGERS_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * --latency START,END with hist triggers, as Documentation/trace/histogram.rst's wakeup
 * latency example does it: a synthetic event S carrying the latency, the start event's hist
 * saving the time per match key (S_t0), the end event's hist computing the time since
 * (S_lat) and, on a match, feeding S (onmatch().trace()), and S's hist counting it.
 */

struct ft_hist_spec;
struct ft_event_format;
struct ft_tfs;
struct ft_ledger;
struct ft_writes;
struct ft_journal;
struct ft_dry;
struct ft_trig_ctx;

/**
 * struct ft_latency - the four writes of a latency on hist triggers
 * @synth: the synthetic event's name
 * @def: its definition, "S u64 lat[; TYPE FIELD...]" (the end event's fields keyed on)
 * @start: the start event's hist trigger
 * @end: the end event's hist trigger
 * @hist: the synthetic event's hist trigger: the latency's histogram
 */
struct ft_latency {
	char synth[64];
	char *def;
	char *start;
	char *end;
	char *hist;
};

int ft_latency_make(const struct ft_hist_spec *spec, const struct ft_event_format *end_fmt,
		    struct ft_latency *out, char *err, size_t errsize);
void ft_latency_release(struct ft_latency *lat);
bool ft_latency_synth_of(const char *trigger, char *synth, size_t size);
bool ft_latency_owns(const char *system, const char *event, const char *text, const char *synth);

bool ft_latency_can(const struct ft_trig_ctx *end, const struct ft_hist_spec *spec, char *why,
		    size_t size);
int ft_latency_start(struct ft_trig_ctx *start, struct ft_trig_ctx *end, struct ft_ledger *l,
		     const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out);
int ft_latency_find(struct ft_tfs *t, const char *instance, const char *event, const char *name,
		    char *synth, size_t size);
int ft_latency_remove(struct ft_ledger *l, const struct ft_journal *dry_journal, const char *dir,
		      const char *synth, struct ft_writes *dry, FILE *out);
int ft_latency_rm(struct ft_tfs *t, struct ft_ledger *l, const char *instance, const char *event,
		  const char *name, struct ft_dry *dry, FILE *out, char *synth, size_t size);

#endif
