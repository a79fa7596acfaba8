/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PROBES_GLOB_H
#define FT_PROBES_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ft_tfs;
struct ft_ledger;
struct ft_writes;
struct ft_probe_add_opts;

/* How many kprobes one glob makes unless --max says more (bcc's default probe quota too). */
#define FT_PROBE_GLOB_MAX 1000

/**
 * struct ft_probe_set - the probes one glob made
 * @group: their group
 * @names: their event names, @n of them
 * @funcs: the kernel function of each
 * @n: how many
 */
struct ft_probe_set {
	char *group;
	char **names;
	char **funcs;
	size_t n;
};

int ft_probe_glob_match(const char *list, const char *pattern, char ***out, size_t *n);
void ft_probe_names_free(char **v, size_t n);
int ft_probe_glob_kernel(struct ft_tfs *t, const char *pattern, unsigned max, char ***fn,
			 size_t *n);
int ft_probe_add_glob(struct ft_tfs *t, struct ft_ledger *l, const struct ft_probe_add_opts *o,
		      struct ft_writes *dry, FILE *out, struct ft_probe_set *set);
void ft_probe_set_release(struct ft_probe_set *set);

#endif
