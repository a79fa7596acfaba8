/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of the BPF plan share: plan.c (spec -> plan), plan-field.c (a name -> where
 * its number lives), plan-filter.c (the filter) and fit.c (a plan against other events).
 * Pure, like them.
 */
#ifndef FT_BPF_PLAN_INT_H
#define FT_BPF_PLAN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bpf/ftbpf.h"

struct ft_event_format;
struct ft_hist_spec;

/*
 * Errors say what is wrong, and what can do it instead on this kernel: hist triggers where it
 * has them (ctx.hist_can), else what ftrig does without them (CMD-5, #16).
 */
#define HIST_CAN "; hist triggers can do this (--backend hist)"
#define NO_HIST "; this kernel has no hist triggers: 'ftrig pipe' shows each event with its fields"
#define ADVICE (c->hist_can ? HIST_CAN : NO_HIST)

/* Context of one translation, so helpers stay small. */
struct ctx {
	const struct ft_hist_spec *spec;
	struct ft_bpf_plan *plan;
	char *err;
	size_t errsize;
	bool hist_can;
};

int ft_bpf_plan_fail(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ft_bpf_plan_resolve(struct ctx *c, const struct ft_event_format *fmt, bool probe,
			const char *name, struct ft_bpf_num *n);
int ft_bpf_plan_filter(struct ctx *c, const struct ft_event_format *fmt, bool probe,
		       const char *filter);

/* A string the aggregator copies into the key (comm, a string field). */
static inline bool is_string(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_COMM || n->src == FT_SRC_STRFIELD || n->src == FT_SRC_DYNSTR;
}

/* A stack, kept by its id in the stack map. */
static inline bool is_stack(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_KSTACK || n->src == FT_SRC_USTACK;
}

/* Read from the event's record, not a value BPF knows by itself ("pid", "cpu"). */
static inline bool reads_record(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_FIELD || n->src == FT_SRC_STRFIELD || n->src == FT_SRC_DYNSTR;
}

#endif
