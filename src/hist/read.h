/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_READ_H
#define FT_HIST_READ_H

#include <stddef.h>

#include <stdbool.h>

struct ft_tfs;
struct ft_hist;
struct ft_source;
struct ft_event_format;

int ft_hist_event_check(struct ft_tfs *t, const char *instance, const char *system,
			const char *event, bool quiet_nohist);
int ft_hist_read(struct ft_tfs *t, const char *instance, const char *system, const char *event,
		 struct ft_hist ***out, size_t *n);
void ft_hist_apply_format(struct ft_hist *h, const struct ft_event_format *fmt);
struct ft_source *ft_hist_source_alloc(struct ft_tfs *t, const char *instance, const char *system,
				       const char *event, const char *name);

#endif
