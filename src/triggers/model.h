/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_MODEL_H
#define FT_TRIGGERS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The event trigger grammar (Documentation/trace/events.rst, histogram.rst) as data: one
 * model for every trigger an event's `trigger` file takes, whether parsed from what a user
 * writes or from what the kernel lists (parse.h), formatted back (print.h), compared by
 * meaning (compare.h) or checked against the event and the kernel (validate.h). Those
 * modules depend on this one and on each other only in that order.
 */

/* The trigger commands. */
enum ft_trig_cmd {
	FT_TRIG_TRACEON,
	FT_TRIG_TRACEOFF,
	FT_TRIG_STACKTRACE,
	FT_TRIG_SNAPSHOT,
	FT_TRIG_ENABLE_EVENT,
	FT_TRIG_DISABLE_EVENT,
	FT_TRIG_ENABLE_HIST,
	FT_TRIG_DISABLE_HIST,
	FT_TRIG_HIST,
	FT_TRIG_NCMDS,
};

#define FT_TRIG_MAX_KEYS 8 /* more than any kernel allows: the validator has the limit */
#define FT_TRIG_MAX_VALS 16
#define FT_TRIG_MAX_VARS 32 /* TRACING_MAP_VARS_MAX is 16; a few spare for the validator */
#define FT_TRIG_MAX_SORT 4
#define FT_TRIG_MAX_ACTIONS 8
#define FT_TRIG_MAX_PARAMS 16

/**
 * struct ft_hfield - a key, value, variable or sort key of a hist trigger
 * @var: the variable it assigns ("ts0" of "ts0=common_timestamp"), or NULL
 * @name: a field ("next_pid", "common_timestamp", "stacktrace"), a variable reference
 *        ("$ts0"), a number, or an arithmetic expression ("common_timestamp.usecs-$ts0")
 * @mod: the modifier after the dot ("hex", "buckets=10"), or NULL; an expression keeps its
 *       modifiers inside @name; a sort key has one only as listed (the key's modifier)
 * @dir: sort keys: 1 for .ascending, -1 for .descending, 0 when not given
 * @expr: @name is an expression (operators), not a single operand
 * @pos: byte offset of the item in the parsed text (for carets), -1 if not from text
 */
struct ft_hfield {
	char *var;
	char *name;
	char *mod;
	int dir;
	bool expr;
	int pos;
};

/* The handlers of hist trigger actions. */
enum ft_handler { FT_HANDLER_ONMATCH, FT_HANDLER_ONMAX, FT_HANDLER_ONCHANGE };

/**
 * struct ft_haction - one handler.action of a hist trigger
 * @handler: onmatch, onmax or onchange
 * @arg: the handler's argument: "system.event" for onmatch, "$var" for onmax/onchange
 * @action: "trace", "save", "snapshot", or a synthetic event's name (onmatch's short form
 *          of trace)
 * @params: the action's parameters (for trace with the keyword, the synthetic event first)
 * @nparams: how many
 * @pos: byte offset of the handler in the parsed text
 */
struct ft_haction {
	enum ft_handler handler;
	char *arg;
	char *action;
	char *params[FT_TRIG_MAX_PARAMS];
	size_t nparams;
	int pos;
};

/**
 * struct ft_hist_trigger - the parameters of a hist trigger
 * @name: name= (shared histograms), or NULL
 * @keys: keys, in order
 * @nkeys: how many
 * @vals: values except the implicit hitcount (an explicit "hitcount" is not kept)
 * @nvals: how many
 * @vars: variable assignments given as their own parameters ("ts0=common_timestamp")
 * @nvars: how many
 * @sort: sort keys with their direction
 * @nsort: how many (none means the kernel's default, hitcount)
 * @size: size= as given, 0 for the default (2048)
 * @clock: clock=, or NULL
 * @pause: "pause" was given (or the listing says [paused])
 * @cont: "cont" or "continue" was given
 * @clear: "clear" was given
 * @nohitcount: "nohitcount" (or "NOHC") was given
 * @actions: handler.action parameters, in order
 * @nactions: how many
 * @keys_given: how many keys= parameters the text has (the kernel keeps the last)
 */
struct ft_hist_trigger {
	char *name;
	struct ft_hfield keys[FT_TRIG_MAX_KEYS];
	size_t nkeys;
	struct ft_hfield vals[FT_TRIG_MAX_VALS];
	size_t nvals;
	struct ft_hfield vars[FT_TRIG_MAX_VARS];
	size_t nvars;
	struct ft_hfield sort[FT_TRIG_MAX_SORT];
	size_t nsort;
	unsigned long size;
	char *clock;
	bool pause, cont, clear, nohitcount;
	struct ft_haction actions[FT_TRIG_MAX_ACTIONS];
	size_t nactions;
	unsigned keys_given;
};

/* Loose spellings the kernel's trigger parser takes (trigger_process_regex()). */
enum ft_trig_quirk {
	FT_TRIG_QUIRK_NONE,
	FT_TRIG_QUIRK_EMPTY_COUNT, /* "traceoff:" */
	FT_TRIG_QUIRK_EXTRA_PARAMS, /* "traceoff:5:6": the kernel reads the first count */
	FT_TRIG_QUIRK_SPACE, /* "traceoff 5": a blank separates like ':' */
};

/**
 * struct ft_trigger - one event trigger
 * @cmd: the command
 * @count: how many more times it fires; -1 for no limit
 * @system: enable_event/disable_event/enable_hist/disable_hist: the target's system
 * @event: their target event
 * @filter: the text after "if", trimmed, or NULL
 * @filter_pos: byte offset of @filter in the parsed text
 * @hist: the hist parameters when @cmd is FT_TRIG_HIST
 * @listed: parsed from a trigger file listing ("count=N", ":unlimited", "[active]")
 * @paused: the listing says "[paused]"
 * @quirk: something written loosely that the kernel takes all the same (validation warns)
 */
struct ft_trigger {
	enum ft_trig_cmd cmd;
	long count;
	char *system;
	char *event;
	char *filter;
	int filter_pos;
	struct ft_hist_trigger hist;
	bool listed;
	bool paused;
	enum ft_trig_quirk quirk;
};

/**
 * struct ft_trig_error - why a trigger was refused
 * @pos: byte offset in the text the user gave of the offending token, -1 if none
 * @len: the token's length (0: just a caret)
 * @msg: what is wrong and what to do
 * @warn: when the trigger is accepted: something the kernel takes but that makes little
 *        sense (a string summed as a value), or "" (the validator never refuses what the
 *        kernel takes, except where the issue of the check says so)
 */
struct ft_trig_error {
	int pos;
	int len;
	char msg[512];
	char warn[256];
};

const char *ft_trig_cmd_name(enum ft_trig_cmd cmd);
int ft_trig_cmd_lookup(const char *name);
void ft_trigger_init(struct ft_trigger *t);
void ft_trigger_release(struct ft_trigger *t);
void ft_hfields_release(struct ft_hfield *f, size_t n);

#endif
