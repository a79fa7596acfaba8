/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PROBES_ADD_H
#define FT_PROBES_ADD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "probes/probe.h"

struct ft_tfs;
struct ft_ledger;
struct ft_writes;

/**
 * struct ft_probe_add_opts - what `probe add` was asked
 * @kind: FT_PROBE_KPROBE, FT_PROBE_KRETPROBE (-r) or FT_PROBE_EPROBE (-e)
 * @raw: the text is in the kernel's syntax
 * @dry_run: print the definition, write nothing
 * @group: -g
 * @name: -n
 * @text: the probe, its words joined (to free())
 * @max: --max, how many probes a glob of functions may make; 0 for FT_PROBE_GLOB_MAX
 */
struct ft_probe_add_opts {
	enum ft_probe_kind kind;
	bool raw;
	bool dry_run;
	const char *group;
	const char *name;
	char *text;
	unsigned max;
};

int ft_probe_add_parse(int argc, char **argv, struct ft_probe_add_opts *o, char *why, size_t size);
int ft_probe_kernel_support(struct ft_tfs *t, enum ft_probe_kind kind);
int ft_probe_add_prepare(struct ft_tfs *t, const struct ft_probe_add_opts *o,
			 struct ft_probe_spec *s);
int ft_probe_add(struct ft_tfs *t, struct ft_ledger *l, const struct ft_probe_add_opts *o,
		 struct ft_writes *dry, FILE *out, char *made, size_t size);

#endif
