/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HISTCTL_H
#define FT_HISTCTL_H

#include <stdbool.h>
#include <stdio.h>

/* `hist start|pause|cont|clear|rm`: hist triggers as persistent, journaled objects. */

struct ft_tfs;
struct ft_ledger;
struct ft_hist_spec;
struct ft_dry;
struct ft_writes;

/* What ft_hist_control() does to a hist trigger. */
enum ft_hist_op { FT_HIST_PAUSE, FT_HIST_CONT, FT_HIST_CLEAR, FT_HIST_RM };

/* Which backend counts a histogram. */
enum ft_hist_backend { FT_BACKEND_HIST, FT_BACKEND_BPF, FT_BACKEND_BOTH };

int ft_hist_backend_choose(struct ft_tfs *t, const struct ft_hist_spec *spec,
			   enum ft_hist_backend *out);
/**
 * struct ft_hist_store - the event lists an expanded request's names point into
 * @n: how many
 * @lists: the events of a system each glob was matched against (ft_tfs_events())
 */
struct ft_hist_store {
	size_t n;
	char **lists[];
};

int ft_hist_spec_expand(struct ft_tfs *t, const struct ft_hist_spec *in, struct ft_hist_spec *out,
			struct ft_hist_store **store);
void ft_hist_spec_store_free(struct ft_hist_store *store);
int ft_hist_start(struct ft_tfs *t, struct ft_ledger *l, const struct ft_hist_spec *spec,
		  struct ft_writes *dry, FILE *out);
int ft_hist_control(struct ft_tfs *t, struct ft_ledger *l, const char *instance, const char *event,
		    const char *name, enum ft_hist_op op, struct ft_dry *dry, FILE *out);

#endif
