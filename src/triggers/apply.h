/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_APPLY_H
#define FT_TRIGGERS_APPLY_H

#include <stdbool.h>
#include <stdio.h>

#include "triggers/model.h"
#include "triggers/validate.h"

/*
 * Triggers on the running kernel: validate and add (journaled), list with ownership, and
 * remove. The setup-file code (apply/teardown) and `trigger`/`hist` commands share these.
 */

struct ft_tfs;
struct ft_ledger;
struct ft_journal;
struct ft_dry;
struct ft_writes;

/**
 * struct ft_trig_ctx - the event a trigger goes on, and what validation needs of it
 * @tfs: tracefs
 * @instance: instance name, NULL or "" for the top level
 * @system: event system
 * @event: event name
 * @name: "system:event"
 * @env: the validator's view of the event and kernel (points into the members below)
 * @fmt: the event's format, NULL when unreadable
 * @readme: the tracefs README
 * @available: the trigger commands the kernel offers, space separated, or ""
 * @pending: a synthetic event a dry run would define first (--synth), taken as existing; ""
 */
struct ft_trig_ctx {
	struct ft_tfs *tfs;
	const char *instance;
	char system[128];
	char event[128];
	char name[260];
	struct ft_trig_env env;
	struct ft_event_format *fmt;
	char *readme;
	char available[256];
	char pending[128];
};

/**
 * struct ft_listed - a trigger as a trigger file lists it, and who made it
 * @instance: "" for the top level
 * @system: event system
 * @event: event name
 * @text: the line listed
 * @ours: an ftrig journal holds it
 * @pid: the journal's session pid; 0 for the persistent journal (trigger add, hist start)
 * @seq: the journal record's number
 * @written: the exact text ftrig wrote (what removal needs), when @ours
 */
struct ft_listed {
	char *instance;
	char *system;
	char *event;
	char *text;
	bool ours;
	int pid;
	unsigned seq;
	char *written;
};

int ft_trig_ctx_open(struct ft_trig_ctx *c, struct ft_tfs *t, const char *instance,
		     const char *event);
void ft_trig_ctx_close(struct ft_trig_ctx *c);
int ft_trigger_check(struct ft_trig_ctx *c, const char *text, struct ft_trigger *out);
int ft_trigger_add(struct ft_trig_ctx *c, struct ft_ledger *l, const char *text,
		   struct ft_writes *dry, FILE *out);
int ft_trigger_list(struct ft_tfs *t, const char *instance, const char *event, bool all_instances,
		    struct ft_listed **out, size_t *n);
void ft_listed_free(struct ft_listed *v, size_t n);
int ft_trigger_remove(struct ft_trig_ctx *c, struct ft_ledger *l, const char *text,
		      struct ft_dry *dry, FILE *out);
int ft_triggers_remove_ours(struct ft_ledger *l, FILE *out);
int ft_triggers_remove_ours_dry(const struct ft_journal *j, const char *dir, struct ft_writes *w);
int ft_synth_define(struct ft_tfs *t, struct ft_ledger *l, const char *def, struct ft_writes *dry,
		    FILE *out);

#endif
