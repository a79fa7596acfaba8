/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_APPLY_INT_H
#define FT_TRIGGERS_APPLY_INT_H

/* What apply.c, apply-list.c and apply-rm.c share, and nobody else. */

struct ft_tfs;
struct ft_trig_ctx;

char **ft_trig_listing(struct ft_tfs *t, const char *inst, const char *sys, const char *ev);
void ft_trig_refused(struct ft_trig_ctx *c, const char *text, int err);

#endif
