/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_EVENTS_H
#define FT_BPF_EVENTS_H

/* The events of a request and its plan (events.c), for the loader (load.c). */
#include <stdbool.h>
#include <stddef.h>

#include "bpf/ftbpf.h"

struct ft_event_format;
struct ft_hist_spec;
struct ft_tfs;

/**
 * struct ft_bpf_formats - the formats of the events of a request
 * @a: program A's events: the event, the further ones, or the latency start event
 * @n: how many
 * @b: latency mode: the end event's, else NULL
 * @borrowed: @a[0] is the caller's (read once by the command), not freed with the rest
 * @borrowed_b: @b is the caller's likewise
 */
struct ft_bpf_formats {
	struct ft_event_format **a;
	size_t n;
	struct ft_event_format *b;
	bool borrowed;
	bool borrowed_b;
};

void ft_bpf_formats_free(struct ft_bpf_formats *f);
int ft_bpf_plan_for(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		    struct ft_event_format *fmt, struct ft_event_format *end_fmt,
		    struct ft_bpf_plan *plan, bool raw, struct ft_bpf_formats *f, char *err,
		    size_t errsize);

#endif
