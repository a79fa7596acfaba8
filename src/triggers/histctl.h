/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HISTCTL_H
#define FT_HISTCTL_H

#include <stdio.h>

/*
 * What `hist pause|cont|clear|rm` do to a histogram. The histogram service
 * (src/histsvc/histsvc.h) does it; ft_latency_control() acts on a latency's synthetic event
 * through ft_hist_control().
 */

struct ft_tfs;
struct ft_ledger;
struct ft_dry;

/* What ft_hist_control() does to a hist trigger. */
enum ft_hist_op { FT_HIST_PAUSE, FT_HIST_CONT, FT_HIST_CLEAR, FT_HIST_RM };

int ft_hist_control(struct ft_tfs *t, struct ft_ledger *l, const char *instance, const char *event,
		    const char *name, enum ft_hist_op op, struct ft_dry *dry, FILE *out);

#endif
