// SPDX-License-Identifier: GPL-2.0-only
/* The command table and the dispatch from argv to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "commands.h"
#include "config.h"

/* One row per subcommand: name, handler, summary, usage, options. */
static const struct ft_cmd commands[] = {
	{ "info", ft_cmd_info,
	  "Show where tracefs is, what this kernel can do, and what ftrig owns.",
	  "info [--json] [--require FEATURE[,FEATURE...]]",
	  "  --json             print one JSON object\n"
	  "  --require LIST     exit 1 and say what is missing unless the kernel has every\n"
	  "                     feature in LIST (names as 'ftrig info' prints them)\n" },
	{ "list", ft_cmd_list, "List trace events, optionally with their fields.",
	  "list events [GLOB] [--fields] [--json]",
	  "  GLOB               shell pattern on 'system:event', the event or the system\n"
	  "  --fields           show each event's fields (type, offset, size, signedness)\n"
	  "  --json             print JSON\n" },
	{ "cleanup", ft_cmd_cleanup, "Remove what ftrig sessions created and left behind.",
	  "cleanup --stale | --all [--dry-run]",
	  "  --stale            undo the journals of ftrig sessions that died\n"
	  "  --all              also undo persistent objects ftrig created (apply, trigger add)\n"
	  "  --dry-run          say what would be removed, remove nothing\n" },
	{ "pipe", ft_cmd_pipe, "Stream events from ftrig's own instance as text, decoded or JSON.",
	  "pipe EVENT... [--filter EXPR] [--pid PID] [--comm NAME] [--json | --raw]\n"
	  "             [--count N] [--duration TIME] [--buffer-size KB] [-o FILE]",
	  "  EVENT              SYSTEM:EVENT, globs allowed ('sched:*', 'ftrig:*')\n"
	  "  --filter EXPR      kernel filter on every event ('prev_pid == 1')\n"
	  "  --pid PID          only events of this pid\n"
	  "  --comm NAME        only events of tasks named NAME (a glob is allowed)\n"
	  "  --raw              read the per-CPU binary buffers, decode with libtraceevent\n"
	  "  --json             like --raw, one JSON object per event, fields typed\n"
	  "  --count N          stop after N events\n"
	  "  --duration TIME    stop after TIME (10s, 500ms, 2m)\n"
	  "  --buffer-size KB   ring buffer per CPU of ftrig's instance, in KiB\n"
	  "  -o, --output FILE  write to FILE instead of standard output\n" },
	{ "help", NULL, "Show help for ftrig or one command.", "help [COMMAND]", "" },
};

/**
 * ft_cmd_find() - look a subcommand up by name
 * @name: the name
 *
 * Return: its table row, or NULL.
 */
const struct ft_cmd *ft_cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void main_help(FILE *f)
{
	fprintf(f, "usage: ftrig [--version] [--help] COMMAND [ARGS]\n\n"
		   "ftrig manages tracefs probes, triggers and histograms, and cleans up after "
		   "itself.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'ftrig help COMMAND' or 'ftrig COMMAND --help' shows a command's options.\n");
}

static int help(int argc, char **argv)
{
	const struct ft_cmd *cmd;

	if (argc < 2) {
		main_help(stdout);
		return FT_EXIT_OK;
	}
	cmd = ft_cmd_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ftrig: no command '%s'; 'ftrig --help' lists them\n", argv[1]);
		return FT_EXIT_USAGE;
	}
	ft_cmd_help(cmd, stdout);
	return FT_EXIT_OK;
}

/* Whether the arguments ask for help (before any "--"). */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/**
 * ft_main() - run ftrig with a command line
 * @argc: argument count
 * @argv: arguments, argv[0] being the program
 *
 * Return: the exit status: FT_EXIT_OK, FT_EXIT_ERR or FT_EXIT_USAGE.
 */
int ft_main(int argc, char **argv)
{
	const struct ft_cmd *cmd;

	if (argc < 2) {
		main_help(stderr);
		return FT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(1, argv);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ftrig %s\n", FT_VERSION);
		return FT_EXIT_OK;
	}
	cmd = ft_cmd_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ftrig: no command '%s'; 'ftrig --help' lists them\n", argv[1]);
		return FT_EXIT_USAGE;
	}
	if (!cmd->run)
		return help(argc - 1, argv + 1);
	if (wants_help(argc - 1, argv + 1)) {
		ft_cmd_help(cmd, stdout);
		return FT_EXIT_OK;
	}
	optind = 0;
	return cmd->run(cmd, argc - 1, argv + 1);
}
