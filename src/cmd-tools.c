// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tools (funccount, syscount, ...): one handler for their rows of the command table, which
 * parses the options they share and runs the tool's recipe (src/tools/).
 */
#include <string.h>

#include "cmd.h"
#include "tools/tools.h"

/*
 * Each tool, the shared options it takes (src/tools/opts.c: '+' --live, '=' --backend,
 * '#' --max, '^' --top, '@' --disk, '%' --tid), and how many operands.
 */
static const struct ft_tool tools[] = {
	{ "funccount", "pcdiTj+=#", 1, 1, ft_tool_funccount },
	{ "syscount", "pcdiTjxLP+=^", 0, 0, ft_tool_syscount },
	{ "funclatency", "pcdiTj+=", 1, 1, ft_tool_funclatency },
	{ "stackcount", "pcdiTj+=", 1, 1, ft_tool_stackcount },
	{ "biolatency", "diTjDQmF@+=", 0, 0, ft_tool_biolatency },
	{ "execsnoop", "pcdTjx=", 0, 0, ft_tool_execsnoop },
	{ "opensnoop", "pcdTjx=", 0, 0, ft_tool_opensnoop },
	{ "trace", "pdTjMn%", 1, 64, ft_tool_trace },
};

/**
 * ft_cmd_tool() - run the tool a command row names
 * @cmd: its row (cmd->name is the tool)
 * @argc: argument count
 * @argv: arguments, argv[0] being the tool
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_tool(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_tool_opts o;

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (strcmp(tools[i].name, cmd->name))
			continue;
		if (ft_tool_opts_parse(cmd, &tools[i], argc, argv, &o))
			return FT_EXIT_USAGE;
		return tools[i].run(cmd, &o);
	}
	return ft_usage_error(cmd, "no tool '%s'", cmd->name);
}
