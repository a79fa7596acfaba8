// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hist verbs that manage hist triggers: start, pause, cont, clear, rm. The hist command's
 * dispatcher (src/cmd-hist.c) calls them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "dryrun.h"
#include "hist/spec.h"
#include "log.h"
#include "cmd-hist.h"
#include "triggers/histctl.h"

/**
 * ft_cmd_hist_start_dry() - `hist start` as a dry run whose writes go to @into
 * @cmd: the hist command's table row
 * @argc: argument count
 * @argv: arguments; argv[0] is "start"
 * @into: where the writes go; NULL for `hist start` itself (a dry run with --dry-run)
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist_start_dry(const struct ft_cmd *cmd, int argc, char **argv, struct ft_writes *into)
{
	struct ft_writes own = { 0 }, *dry = into;
	struct ft_hist_spec spec;
	struct ft_ledger *l;
	struct ft_tfs *t;
	char err[256];
	int n = 0, ret;

	/* --dry-run is ours; everything else is the spec's (shared with top). */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry = dry ? dry : &own;
		else
			argv[n++] = argv[i];
	}
	if (ft_hist_spec_parse(n, argv, &spec, err, sizeof(err)))
		return ft_usage_error(cmd, "%s", err);
	if (ft_trig_open_all(&t, &l, !dry))
		return FT_EXIT_ERR;
	ret = ft_hist_start(t, l, &spec, dry, stdout);
	if (!ret && dry == &own)
		ret = ft_writes_print(&own, stdout);
	ft_writes_release(&own);
	ft_trig_close_all(t, l);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

/**
 * ft_cmd_hist_start() - `hist start`: a histogram as a persistent hist trigger
 * @cmd: the hist command's table row
 * @argc: argument count
 * @argv: arguments; argv[0] is "start"
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist_start(const struct ft_cmd *cmd, int argc, char **argv)
{
	return ft_cmd_hist_start_dry(cmd, argc, argv, NULL);
}

/* hist pause|cont|clear|rm EVENT [--name N] [--instance I] [--dry-run] */
static int control(const struct ft_cmd *cmd, int argc, char **argv, enum ft_hist_op op)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'N' },
					      { "instance", required_argument, NULL, 'i' },
					      { "dry-run", no_argument, NULL, 'n' },
					      { NULL, 0, NULL, 0 } };
	const char *name = NULL, *inst = NULL;
	bool dry_run = false;
	struct ft_ledger *l;
	struct ft_tfs *t;
	struct ft_dry dry;
	int c, bad = 0, ret;

	optind = 0;
	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 'N')
			name = optarg;
		if (c == 'i')
			inst = optarg;
		dry_run |= c == 'n';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (argc - optind != 1)
		return ft_usage_error(cmd, "hist %s takes one EVENT", argv[0]);
	if (ft_trig_open_all(&t, &l, !dry_run))
		return FT_EXIT_ERR;
	ret = dry_run ? ft_dry_open(&dry) : 0;
	if (!ret)
		ret = ft_hist_control(t, l, inst, argv[optind], name, op, dry_run ? &dry : NULL,
				      stdout);
	if (!ret && dry_run)
		ret = ft_writes_print(&dry.w, stdout);
	if (dry_run)
		ft_dry_close(&dry);
	ft_trig_close_all(t, l);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

/**
 * ft_cmd_hist_pause() - `hist pause EVENT [--name N] [--instance I]`
 * @cmd: the hist command's table row
 * @argc: argument count
 * @argv: arguments; argv[0] is "pause"
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist_pause(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_PAUSE);
}

/**
 * ft_cmd_hist_cont() - `hist cont EVENT [--name N] [--instance I]`
 * @cmd: the hist command's table row
 * @argc: argument count
 * @argv: arguments; argv[0] is "cont"
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist_cont(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_CONT);
}

/**
 * ft_cmd_hist_clear() - `hist clear EVENT [--name N] [--instance I]`
 * @cmd: the hist command's table row
 * @argc: argument count
 * @argv: arguments; argv[0] is "clear"
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist_clear(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_CLEAR);
}

/**
 * ft_cmd_hist_rm() - `hist rm EVENT [--name N] [--instance I]`: only what ftrig started
 * @cmd: the hist command's table row
 * @argc: argument count
 * @argv: arguments; argv[0] is "rm"
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_hist_rm(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_RM);
}
