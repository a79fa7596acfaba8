/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_CMD_HIST_H
#define FT_CMD_HIST_H

/* What the files of `ftrig hist` (cmd-hist.c, cmd-hist-file.c) share. */

#include "cmd.h"
#include "histsvc/histsvc.h"

int ft_hist_where_parse(const struct ft_cmd *cmd, const char *arg, struct ft_hist_where *w);

int ft_cmd_hist_diff(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_hist_stats(const struct ft_cmd *cmd, int argc, char **argv);

#endif
