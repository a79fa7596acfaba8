/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_CMD_PROBE_H
#define FT_CMD_PROBE_H

/* What src/cmd-probe.c's verb table takes from the files beside it. */

struct ft_cmd;

int ft_cmd_probe_rm(const struct ft_cmd *cmd, int argc, char **argv);

#endif
