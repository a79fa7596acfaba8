// SPDX-License-Identifier: GPL-2.0-only
/* What every subcommand shares: option parsing with our own messages, usage errors, help. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "names.h"
#include "opts.h"

/**
 * ft_usage_error() - tell the user how the command line is wrong, and how it should look
 * @cmd: the subcommand
 * @fmt: printf format of the complaint
 *
 * A @cmd without usage text (words typed inside the live view) gets the complaint alone,
 * through the log sink, so that nothing is written over the screen.
 *
 * Return: FT_EXIT_USAGE, so callers can `return ft_usage_error(...)`.
 */
int ft_usage_error(const struct ft_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	/* Words typed inside the live view (TOP-7): one line to the log sink, no usage block. */
	if (!cmd->usage) {
		char msg[512];

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		ft_err("%s", msg);
		return FT_EXIT_USAGE;
	}
	fprintf(stderr, "ftrig %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: ftrig %s\n(see 'ftrig help %s')\n", cmd->usage, cmd->name);
	return FT_EXIT_USAGE;
}

/*
 * Every --instance of every command names an instance by the one rule tfs.c applies too,
 * refused here as a usage error before anything is read, journaled or written (SEC-6, T26).
 */
static bool bad_instance(const struct option *longopts, int c, char *why, size_t size)
{
	char name[512];

	for (const struct option *o = longopts; o->name; o++)
		if (o->val == c && !strcmp(o->name, "instance") &&
		    ft_name_instance(optarg, name, sizeof(name))) {
			snprintf(why, size, "--instance: %s", name);
			return true;
		}
	return false;
}

/*
 * The short options, one meaning per letter in every command (#20): a letter abbreviates the
 * long option named here and nothing else, so `-n` cannot be a dry run in one command and a
 * count in the next. A command's long option gets its letter only when it is the one named
 * here; the others are long only. ftrig top parses its own words (several event groups) and
 * takes -b, -n and -d from this table by hand; -v goes before the command (main.c).
 * Letters follow top(1) (-b -n -d), trace-cmd and perf probe (-r -e -g), and ftrig's own
 * dump (-f -o).
 */
struct short_opt {
	char letter;
	const char *name;
};

static const struct short_opt shorts_table[] = {
	{ 'b', "batch" },  { 'd', "delay" },  { 'e', "event" },
	{ 'f', "format" }, { 'g', "group" },  { 'n', "iterations" },
	{ 'o', "output" }, { 'r', "return" }, { 0, NULL },
};

/*
 * The classic tools (funccount, syscount...) are there for bcc's users and take bcc's
 * letters, one meaning each among the tools (man ftrig-tools): -d is how long to trace, as in
 * bcc, where top's -d is its interval, as in top(1); it is the only letter of both tables.
 */
static const struct short_opt bcc_table[] = {
	{ 'c', "comm" },    { 'd', "duration" },   { 'i', "interval" }, { 'j', "json" },
	{ 'L', "latency" }, { 'p', "pid" },	   { 'P', "process" },	{ 'T', "timestamp" },
	{ 'x', "failed" },  { 'D', "disks" },	   { 'F', "flags" },	{ 'm', "milliseconds" },
	{ 'Q', "queued" },  { 'M', "max-events" }, { 'n', "name" },	{ 0, NULL },
};

static char letter_of(const struct short_opt *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t->letter;
	return 0;
}

/*
 * An unknown -X whose letter a long option of this command used to take (before #20 every
 * letter val became a short option): name the long form, so old scripts learn the fix.
 */
static void unknown_short(const struct option *longopts, int c, char *why, size_t size)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == c) {
			snprintf(why, size, "unknown option '-%c' (use --%s%s)", c, o->name,
				 o->has_arg ? " VALUE" : "");
			return;
		}
	snprintf(why, size, "unknown option '-%c'", c);
}

/* ft_getopt_why() with the short options of @table. */
static int getopt_in(const struct short_opt *table, const char *name, int argc, char **argv,
		     const struct option *longopts, char *why, size_t size)
{
	char shorts[64] = ":";
	size_t n = 1;
	int c;

	why[0] = '\0';
	for (const struct option *o = longopts; o->name && n + 2 < sizeof(shorts); o++) {
		if (o->val < 'A' || o->val > 'z' || letter_of(table, o->name) != o->val)
			continue;
		shorts[n++] = (char)o->val;
		if (o->has_arg)
			shorts[n++] = ':';
	}
	shorts[n] = '\0';
	opterr = 0;
	c = getopt_long(argc, argv, shorts, longopts, NULL);
	if (c == ':')
		snprintf(why, size, "option '%s' needs a value", argv[optind - 1]);
	else if (c == '?' && optopt == 'v')
		snprintf(why, size,
			 "unknown option '-v' (-v goes before the command: 'ftrig -v %s ...')",
			 name);
	else if (c == '?' && optopt)
		unknown_short(longopts, optopt, why, size);
	else if (c == '?')
		snprintf(why, size, "unknown option '%s'", argv[optind - 1]);
	else if (c > 0 && optarg)
		bad_instance(longopts, c, why, size);
	return why[0] ? -1 : c;
}

/**
 * ft_getopt_why() - getopt_long() for a command's words, saying what is wrong in @why
 * @name: the command, for the message
 * @argc: argument count
 * @argv: arguments, argv[0] being the command or its verb
 * @longopts: long options; one whose val is its letter in the short table has that short form
 * @why: set to "" on success and to what is wrong with the words on an error
 * @size: size of @why
 *
 * For the parsers below the commands, which setup files' lines run too: they tell a usage
 * error as FILE:LINE, the commands as a usage error with the synopsis (ft_getopt()).
 *
 * Return: the option's val, or -1 at the end of the options or on error (@why not empty).
 */
int ft_getopt_why(const char *name, int argc, char **argv, const struct option *longopts, char *why,
		  size_t size)
{
	return getopt_in(shorts_table, name, argc, argv, longopts, why, size);
}

/**
 * ft_getopt() - getopt_long() for a subcommand, reporting unknown options our way
 * @cmd: the subcommand, for the message
 * @argc: argument count
 * @argv: arguments, argv[0] being the subcommand
 * @longopts: long options; one whose val is its letter in the short table has that short form
 * @bad: set to 1 when the command line is wrong (a message has been printed)
 *
 * Return: the option's val, or -1 at the end of the options or on error (check @bad).
 */
int ft_getopt(const struct ft_cmd *cmd, int argc, char **argv, const struct option *longopts,
	      int *bad)
{
	char why[1024];
	int c = getopt_in(cmd->run == ft_cmd_tool ? bcc_table : shorts_table, cmd->name, argc, argv,
			  longopts, why, sizeof(why));

	if (why[0]) {
		ft_usage_error(cmd, "%s", why);
		*bad = 1;
	}
	return c;
}

/**
 * ft_cmd_help() - print a subcommand's synopsis, summary and options
 * @cmd: the subcommand
 * @f: where to print
 */
void ft_cmd_help(const struct ft_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: ftrig %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->options && *cmd->options)
		fprintf(f, "\noptions:\n%s", cmd->options);
	fprintf(f, "\nSee man ftrig for the whole tour.\n");
}
