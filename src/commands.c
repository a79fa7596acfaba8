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
	{ "hist", ft_cmd_hist,
	  "Show, dump, compare and summarise kernel histograms (hist triggers).",
	  "hist show EVENT [--name NAME] [--instance I]\n"
	  "       ftrig hist dump EVENT|--all [--format json|csv|folded|text] [-o FILE]\n"
	  "                  [--every 10s [--count N]] [--dir DIR] [--name NAME] [--instance I]\n"
	  "       ftrig hist diff A B [--top N] [--value NAME] [--name NAME]\n"
	  "       ftrig hist stats FILE|EVENT [--key NAME] [--value NAME] [--name NAME] [--json]",
	  "  show               print the event's hists as the kernel does\n"
	  "  dump               write them as data (default JSON; schema in man ftrig-hist)\n"
	  "  diff               per-key change between two dumps (JSON or hist text), largest\n"
	  "                     first, with the keys that appeared and disappeared\n"
	  "  stats              count, min, max, mean, p50 p90 p99 p99.9 of a numeric key\n"
	  "  EVENT              SYSTEM:EVENT, e.g. kmem:kmalloc\n"
	  "  --name NAME        the hist with name=NAME when the event has several\n"
	  "  --instance I       read from the instance I instead of the top level\n"
	  "  -f, --format F     json, csv, folded (flame graphs) or text (the kernel's layout)\n"
	  "  -o, --output FILE  write to FILE instead of standard output\n"
	  "  --every DUR        a snapshot every DUR (10s, 500ms, 1m) into --dir, until\n"
	  "                     --count snapshots or Ctrl-C; the kernel's table is not cleared\n"
	  "  --dir DIR          one timestamped file per event and snapshot in DIR\n"
	  "  --all              every event that has a hist trigger, in every instance\n"
	  "  --top N            diff: only the N largest changes\n"
	  "  --value NAME       diff, stats: the value to compare or weigh by [hitcount]\n"
	  "  --key NAME         stats: the key to summarise [the first numeric key]\n"
	  "  --json             stats: print one JSON object\n" },
	{ "cleanup", ft_cmd_cleanup, "Remove what ftrig sessions created and left behind.",
	  "cleanup --stale | --all [--dry-run]",
	  "  --stale            undo the journals of ftrig sessions that died\n"
	  "  --all              also undo persistent objects ftrig created (apply, trigger add)\n"
	  "  --dry-run          say what would be removed, remove nothing\n" },
	{ "top", ft_cmd_top, "Live view of kernel histograms: rates, sort, filter, percentiles.",
	  "top [EVENT [--key F[.MOD]]... [--val V]... [--filter EXPR] [--backend B]]...\n"
	  "       ftrig top --latency START,END [--key ...]\n"
	  "       ftrig top --attach EVENT [--name N] [--instance I]\n"
	  "       ftrig top ... [-b [-n N] [-d SECS] [--json]]",
	  "  (no arguments)     system calls per process, live\n"
	  "  EVENT              SYSTEM:EVENT to count; each EVENT is one tab (up to 9), the\n"
	  "                     options after it apply to it\n"
	  "  --key F[.MOD]      key field (.execname .syscall .log2 .buckets=N .hex .sym ...)\n"
	  "  --val V            value field to sum (hitcount is always counted)\n"
	  "  --filter EXPR      only events matching the kernel filter EXPR\n"
	  "  --backend B        auto (hist trigger where the kernel has them, else BPF), hist,\n"
	  "                     bpf\n"
	  "  --latency S,E      the time from event S to event E\n"
	  "  --attach EVENT     watch a hist trigger that exists (any owner), read only: never\n"
	  "                     cleared, paused or removed\n"
	  "  --name N           the hist with name=N, when the event has several\n"
	  "  --instance I       the hist in instance I\n"
	  "  -b, --batch        print the table as text each interval instead of the screen\n"
	  "  -n, --iterations N batch: stop after N tables (default: until Ctrl-C)\n"
	  "  -d, --delay SECS   the interval, 0.1 to 3600 seconds [1]\n"
	  "  --json             batch, one JSON line per hist and interval\n"
	  "  keys: s r / space c tab 1-9 h + - ? q (see man ftrig-top)\n" },
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
