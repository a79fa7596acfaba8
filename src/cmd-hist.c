// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig hist: the dispatcher. start, pause, cont, clear and rm live in src/cmd-histctl.c; the
 * verbs that read histograms (show, dump, diff, stats) join from the hist branch.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

/**
 * ft_cmd_hist() - the `hist` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments; argv[1] is the verb
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct {
		const char *name;
		ft_cmd_fn run;
	} verbs[] = {
		{ "start", ft_cmd_hist_start }, { "pause", ft_cmd_hist_pause },
		{ "cont", ft_cmd_hist_cont },	{ "clear", ft_cmd_hist_clear },
		{ "rm", ft_cmd_hist_rm },
	};

	if (argc < 2)
		return ft_usage_error(cmd, "say what to do: start, pause, cont, clear or rm");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(cmd, argc - 1, argv + 1);
	return ft_usage_error(cmd, "unknown verb '%s': start, pause, cont, clear or rm", argv[1]);
}
