/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_COMMANDS_H
#define FT_COMMANDS_H

struct ft_cmd;

const struct ft_cmd *ft_cmd_find(const char *name);
int ft_main(int argc, char **argv);

#endif
