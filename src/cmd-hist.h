/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_CMD_HIST_H
#define FT_CMD_HIST_H

/* What the files of `ftrig hist` (cmd-hist.c, cmd-histfile.c) share. */

#include <stdbool.h>
#include <stddef.h>

#include "cmd.h"
#include "hist/hist.h"

struct ft_tfs;

/**
 * struct ft_hist_where - an event named on the command line, and where to read it
 * @system: its system
 * @event: its name
 * @instance: --instance, or NULL for the top level
 * @name: --name, or NULL for every hist of the event
 * @own_only: the event's own hists only, not the histogram of a latency it starts or ends
 *            (which its synthetic event holds): for --all, which reads that one too
 */
struct ft_hist_where {
	char system[256];
	char event[256];
	const char *instance;
	const char *name;
	bool own_only;
};

int ft_hist_where_parse(const struct ft_cmd *cmd, const char *arg, struct ft_hist_where *w);
int ft_hist_where_read(struct ft_tfs *t, const struct ft_hist_where *w, struct ft_hist ***v,
		       size_t *n);
void ft_hist_key_text(const struct ft_hist *h, const struct ft_hist_entry *e, char *buf,
		      size_t size);

/* src/cmd-histctl.c: the verbs that create and control hist triggers. */
int ft_cmd_hist_start(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_hist_pause(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_hist_cont(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_hist_clear(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_hist_rm(const struct ft_cmd *cmd, int argc, char **argv);

int ft_cmd_hist_diff(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_hist_stats(const struct ft_cmd *cmd, int argc, char **argv);

#endif
