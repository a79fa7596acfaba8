/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGER_H
#define FT_TRIGGER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The event trigger grammar (Documentation/trace/events.rst, histogram.rst): one model for
 * every trigger an event's `trigger` file takes, parsed from what a user writes or from what
 * the kernel lists, formatted back either as text to write or in the kernel's canonical
 * listed form, so that a listed trigger is matched to what ftrig wrote by meaning.
 */

struct ft_event_format;
struct ft_hist_spec;

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

/* src/triggers/parse.c */
const char *ft_trig_cmd_name(enum ft_trig_cmd cmd);
int ft_trig_cmd_lookup(const char *name);
int ft_trigger_parse(const char *text, struct ft_trigger *t, struct ft_trig_error *err);
void ft_trigger_release(struct ft_trigger *t);
bool ft_hist_is_modifier(const char *mod);

/* src/triggers/format.c */
char *ft_trigger_format(const struct ft_trigger *t);
char *ft_trigger_canonical(const struct ft_trigger *t, bool with_state);
bool ft_trigger_same(const struct ft_trigger *a, const struct ft_trigger *b);
bool ft_trigger_text_same(const char *a, const char *b);
bool ft_trigger_listed_as(const struct ft_trigger *t, const char *line);
bool ft_trigger_same_slot(const char *a, const char *b);
unsigned long ft_hist_size_rounded(unsigned long size);
char *ft_trig_caret(const char *text, const struct ft_trig_error *err, const char *indent);
int ft_trig_kernel_error(const char *entry, const char *written, struct ft_trig_error *err);

/**
 * struct ft_trig_env - what the validator knows about the kernel and the event
 * @event: "system:event", for messages
 * @fmt: the event's format (NULL: fields are not checked)
 * @available: the trigger commands the kernel offers on this event, space separated (from
 *             the event's trigger file or the features), NULL when unknown
 * @readme: the tracefs README (hist syntax this kernel documents), NULL when unknown
 * @event_exists: whether "system:event" exists; for synthetic events system is "synthetic";
 *                NULL: not checked
 * @data: passed to @event_exists
 */
struct ft_trig_env {
	const char *event;
	const struct ft_event_format *fmt;
	const char *available;
	const char *readme;
	bool (*event_exists)(const char *system, const char *event, void *data);
	void *data;
};

/* src/triggers/from-spec.c */
int ft_trigger_from_hist_spec(const struct ft_hist_spec *spec, struct ft_trigger *t);

/* src/triggers/validate.c */
int ft_trigger_validate(const struct ft_trigger *t, const struct ft_trig_env *env,
			struct ft_trig_error *err);
int ft_trig_suggest(const char *word, const char *const *cands, size_t n);
size_t ft_edit_distance(const char *a, const char *b);

#endif
