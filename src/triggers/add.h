/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_ADD_H
#define FT_TRIGGERS_ADD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ft_tfs;
struct ft_ledger;
struct ft_writes;
struct option;

/**
 * struct ft_trigger_add_opts - what `trigger add` was asked
 * @instance: --instance, or NULL for the top level
 * @synth: --synth, a synthetic event to define first, or NULL
 * @event: EVENT
 * @spec: SPEC, the trigger's text
 * @dry_run: --dry-run
 */
struct ft_trigger_add_opts {
	const char *instance;
	const char *synth;
	const char *event;
	const char *spec;
	bool dry_run;
};

const struct option *ft_trigger_options(void);
int ft_trigger_add_parse(int argc, char **argv, struct ft_trigger_add_opts *o, char *why,
			 size_t size);
int ft_trigger_add_opts_run(struct ft_tfs *t, struct ft_ledger *l,
			    const struct ft_trigger_add_opts *o, struct ft_writes *dry, FILE *out);

#endif
