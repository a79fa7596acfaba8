/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_CMD_H
#define FT_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { FT_EXIT_OK = 0, FT_EXIT_ERR = 1, FT_EXIT_USAGE = 2 };

struct ft_cmd;
typedef int (*ft_cmd_fn)(const struct ft_cmd *cmd, int argc, char **argv);

/**
 * struct ft_verb - one sub-verb of a command (`hist show`, `trigger ls`)
 * @name: the verb
 * @alias: another name for it ("list" for "ls"), or NULL
 * @run: its handler; argv[0] is the verb; returns an FT_EXIT_* code
 */
struct ft_verb {
	const char *name;
	const char *alias;
	ft_cmd_fn run;
};

/**
 * struct ft_verbs - the sub-verbs of a command, and what it says when the verb is wrong
 * @v: the verbs
 * @n: how many
 * @missing: the usage error when no verb is given
 * @unknown: the usage error for an unknown verb: [0] before the verb, [1] after it
 */
struct ft_verbs {
	const struct ft_verb *v;
	size_t n;
	const char *missing;
	const char *unknown[2];
};

/**
 * struct ft_cmd - one row of the command table
 * @name: the subcommand
 * @run: its handler; argv[0] is the subcommand; returns an FT_EXIT_* code
 * @summary: one line saying what it does
 * @usage: its synopsis after "ftrig "
 * @options: one line per option, for `ftrig help CMD`
 * @verbs: its sub-verbs, which ft_cmd_verbs() (then @run) dispatches to; NULL for none
 */
struct ft_cmd {
	const char *name;
	ft_cmd_fn run;
	const char *summary;
	const char *usage;
	const char *options;
	const struct ft_verbs *verbs;
};

int ft_usage_error(const struct ft_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ft_getopt(const struct ft_cmd *cmd, int argc, char **argv, const struct option *longopts,
	      int *bad);
void ft_cmd_help(const struct ft_cmd *cmd, FILE *f);

int ft_cmd_info(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_list(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_cleanup(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_verbs(const struct ft_cmd *cmd, int argc, char **argv);

/* The sub-verbs of hist (src/cmd-hist.c), probe (src/cmd-probe.c), trigger (src/cmd-trigger.c). */
extern const struct ft_verbs ft_hist_verbs;
extern const struct ft_verbs ft_probe_verbs;
extern const struct ft_verbs ft_trigger_verbs;

/* src/cmd-trigger.c: what the trigger and hist commands share. */
struct ft_tfs;
struct ft_ledger;
struct ft_session;
int ft_trig_open_all(struct ft_tfs **t, struct ft_ledger **l, bool writes);
void ft_trig_close_all(struct ft_tfs *t, struct ft_ledger *l);
int ft_cmd_pipe(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_record(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_report(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_tool(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_top(const struct ft_cmd *cmd, int argc, char **argv);
int ft_top_in_session(const struct ft_cmd *cmd, struct ft_session *s, int argc, char **argv);
int ft_cmd_serve(const struct ft_cmd *cmd, int argc, char **argv);

/* src/cmd-setup.c: setup files. */
int ft_cmd_plan(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_apply(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_diff(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_teardown(const struct ft_cmd *cmd, int argc, char **argv);
int ft_cmd_save(const struct ft_cmd *cmd, int argc, char **argv);

#endif
