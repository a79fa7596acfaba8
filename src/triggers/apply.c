// SPDX-License-Identifier: GPL-2.0-only
/*
 * Triggers on the running kernel. Adding validates first (nothing is written for a bad
 * spec), journals, writes by appending (truncating a trigger file drops hist triggers), and
 * when the kernel still refuses shows its error_log message under the user's own text.
 * Listing matches each listed line with ftrig's journals by meaning, since the kernel lists
 * a canonical form, not what was written. Removal takes ftrig's own triggers by the exact
 * text written, and somebody else's only when named exactly as listed.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dryrun.h"
#include "format.h"
#include "kfeat.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "suggest.h"
#include "tfs.h"
#include "triggers/apply-int.h"
#include "triggers/apply.h"
#include "triggers/compare.h"
#include "triggers/errors.h"
#include "triggers/parse.h"
#include "triggers/print.h"
#include "triggers/validate.h"
#include "undo-writes.h"
#include "util.h"

static bool ctx_event_exists(const char *sys, const char *ev, void *data)
{
	struct ft_trig_ctx *c = data;

	/* a dry run's synthetic event, defined only on paper */
	if (c->pending[0] && !strcmp(sys, "synthetic") && !strcmp(ev, c->pending))
		return true;
	return ft_tfs_event_exists(c->tfs, c->instance, sys, ev, NULL);
}

/* "no event sys:evnt; did you mean sys:event?" */
static void no_event(struct ft_tfs *t, const char *sys, const char *ev)
{
	char **events = ft_tfs_events(t, sys);
	size_t n = 0;
	int i;

	while (events && events[n])
		n++;
	i = events ? ft_suggest_best(ev, (const char *const *)events, n) : -1;
	if (i >= 0)
		ft_err("no event %s:%s; did you mean %s:%s?", sys, ev, sys, events[i]);
	else
		ft_err("no event %s:%s ('ftrig list events' lists them)", sys, ev);
	ft_tfs_list_free(events);
}

/**
 * ft_trig_ctx_open() - look up an event for trigger work
 * @c: filled in; close with ft_trig_ctx_close()
 * @t: tracefs
 * @instance: instance name, NULL or "" for the top level
 * @event: "system:event" or "system/event"
 *
 * Return: 0, -EINVAL (not an event name), -ENOENT (no such event or instance); the cause
 * has been logged.
 */
int ft_trig_ctx_open(struct ft_trig_ctx *c, struct ft_tfs *t, const char *instance,
		     const char *event)
{
	char why[512], *text;

	memset(c, 0, sizeof(*c));
	c->tfs = t;
	c->instance = instance && *instance ? instance : NULL;
	if (ft_event_split_copy(event, c->system, sizeof(c->system), c->event, sizeof(c->event))) {
		ft_err("'%s' is not an event: write SYSTEM:EVENT (e.g. sched:sched_switch)", event);
		return -EINVAL;
	}
	if (ft_name_system(c->system, why, sizeof(why)) ||
	    ft_name_event(c->event, why, sizeof(why)) ||
	    (c->instance && ft_name_instance(c->instance, why, sizeof(why)))) {
		ft_err("%s", why);
		return -EINVAL;
	}
	snprintf(c->name, sizeof(c->name), "%s:%s", c->system, c->event);
	if (c->instance && !ft_tfs_instance_exists(t, c->instance)) {
		ft_err("no instance '%s' in %s/instances", c->instance, ft_tfs_dir(t));
		return -ENOENT;
	}
	if (!ft_tfs_event_exists(t, c->instance, c->system, c->event, "trigger")) {
		no_event(t, c->system, c->event);
		return -ENOENT;
	}
	ft_tfs_event_format(t, c->instance, c->system, c->event, &c->fmt);
	c->readme = ft_tfs_read(t, NULL, "README", NULL);
	text = ft_tfs_event_read(t, c->instance, c->system, c->event, "trigger", NULL);
	if (!text || ft_parse_available_triggers(text, c->available, sizeof(c->available))) {
		/* The event has triggers, so it shows them instead of the list: ask another. */
		free(text);
		text = ft_tfs_event_read(t, NULL, "sched", "sched_switch", "trigger", NULL);
		if (!text || ft_parse_available_triggers(text, c->available, sizeof(c->available)))
			c->available[0] = '\0';
	}
	free(text);
	c->env = (struct ft_trig_env){
		c->name,   c->fmt,	     c->available[0] ? c->available : NULL,
		c->readme, ctx_event_exists, c
	};
	return 0;
}

/**
 * ft_trig_ctx_close() - free what ft_trig_ctx_open() read
 * @c: the context
 */
void ft_trig_ctx_close(struct ft_trig_ctx *c)
{
	ft_format_free(c->fmt);
	free(c->readme);
	c->fmt = NULL;
	c->readme = NULL;
}

/**
 * ft_trigger_check() - parse and validate a trigger for the event of @c
 * @c: the event
 * @text: the trigger
 * @out: set to the parsed trigger (release with ft_trigger_release()); may be NULL
 *
 * Return: 0, or -EINVAL after logging why with a caret.
 */
int ft_trigger_check(struct ft_trig_ctx *c, const char *text, struct ft_trigger *out)
{
	struct ft_trig_error err;
	struct ft_trigger t;
	int ret = ft_trigger_parse(text, &t, &err);

	if (!ret)
		ret = ft_trigger_validate(&t, &c->env, &err);
	if (ret) {
		ft_trig_report(text, &err, NULL);
		ft_trigger_release(&t);
		return ret;
	}
	/* What the kernel takes but hardly means is said, never refused. */
	if (err.warn[0])
		ft_warn("%s: %s", c->name, err.warn);
	if (t.cmd == FT_TRIG_HIST && t.hist.size &&
	    ft_hist_size_rounded(t.hist.size) != t.hist.size)
		ft_warn("%s: size=%lu becomes %lu (the kernel rounds up to a power of two)",
			c->name, t.hist.size, ft_hist_size_rounded(t.hist.size));
	if (out)
		*out = t;
	else
		ft_trigger_release(&t);
	return 0;
}

/* Refuses a trigger the event has already; says whether @t pauses/continues/clears one. */
static int check_duplicate(struct ft_trig_ctx *c, const struct ft_trigger *t, const char *text,
			   bool *control)
{
	char **lines = ft_trig_listing(c->tfs, c->instance, c->system, c->event);
	struct ft_trigger l;
	int ret = 0;

	*control = false;
	for (size_t i = 0; lines && lines[i] && !ret && !*control; i++) {
		if (ft_trigger_parse(lines[i], &l, NULL)) {
			ft_trigger_release(&l);
			continue;
		}
		if (ft_trigger_same_slot(t, &l)) {
			ft_err("%s already has '%s', and the kernel takes one %s trigger%s per "
			       "event; remove it first (ftrig trigger rm %s '%s'%s%s)",
			       c->name, lines[i], ft_trig_cmd_name(t->cmd),
			       t->cmd >= FT_TRIG_ENABLE_EVENT ? " of each target" : "", c->name,
			       lines[i], c->instance ? " --instance " : "",
			       c->instance ? c->instance : "");
			ret = -EEXIST;
		} else if (ft_trigger_same(t, &l)) {
			if (t->cmd == FT_TRIG_HIST &&
			    (t->hist.pause || t->hist.cont || t->hist.clear))
				*control = true;
			else
				ft_err("%s already has '%s' (listed as '%s')", c->name, text,
				       lines[i]);
			ret = *control ? 0 : -EEXIST;
		}
		ft_trigger_release(&l);
	}
	if (!ret && !*control && t->cmd == FT_TRIG_HIST && (t->hist.cont || t->hist.clear)) {
		ft_err("%s: no such hist trigger to %s ('ftrig trigger ls %s' lists them)", c->name,
		       t->hist.cont ? "continue" : "clear", c->name);
		ret = -ENOENT;
	}
	ft_tfs_list_free(lines);
	return ret;
}

/**
 * ft_trig_refused() - log why the kernel refused a write to the trigger file of @c
 * @c: the event
 * @text: what was written (without the "!" of a removal)
 * @err: the -errno of the write
 *
 * The kernel's error_log entry is shown against @text. A filter the kernel cannot parse is
 * refused with EINVAL or, for some syntax errors ("(a == 1"), ENOENT, with the reason in
 * error_log either way; EEXIST leaves no entry: an event holds one trigger of each command.
 */
void ft_trig_refused(struct ft_trig_ctx *c, const char *text, int err)
{
	bool logged = err == -EINVAL || err == -ENOENT;
	char *entry = logged ? ft_tfs_error_last(c->tfs, c->instance) : NULL;
	struct ft_trig_error e;
	char path[PATH_MAX], why[1024];

	if (err == -ECANCELED) {
		/* The ledger said why (a journal it cannot write, a stop signal); the kernel was
		 * never asked. */
		ft_err("%s: '%s' was not written", c->name, text);
	} else if (entry && !ft_trig_kernel_error(entry, text, &e)) {
		ft_trig_report(text, &e, c->name);
	} else if (logged && strstr(text, " if ")) {
		/* 6.1 logs no reason for a trigger's filter (only for an event's filter file). */
		ft_err("%s: the kernel refused '%s' and logged no reason, which it does not for "
		       "trigger filters on this kernel; the filter is the likely cause: "
		       "'ftrig pipe %s --filter '...' --count 1' shows the kernel's reason for it",
		       c->name, text, c->name);
	} else if (err == -EEXIST) {
		ft_err("%s: the kernel refused '%s': the event has a trigger of that command "
		       "already (one of each per event%s); 'ftrig trigger ls %s%s%s' lists it",
		       c->name, text, c->instance ? ", in this instance" : "", c->name,
		       c->instance ? " --instance " : "", c->instance ? c->instance : "");
	} else {
		ft_tfs_path(c->tfs, c->instance, c->system, c->event, "trigger", path,
			    sizeof(path));
		ft_err("%s: the kernel refused '%s': %s", c->name, text,
		       ft_tfs_strerror(err, path, why, sizeof(why)));
	}
	free(entry);
}

/*
 * Says how the kernel lists the new trigger, and warns when that is not the canonical form
 * ftrig predicts: ownership is matched through that form.
 */
static void report_listed(struct ft_trig_ctx *c, const struct ft_trigger *t, FILE *out)
{
	char **lines = ft_trig_listing(c->tfs, c->instance, c->system, c->event);
	char *canon = ft_trigger_canonical(t, true);
	const char *fired = NULL;
	bool found = false;

	for (size_t i = 0; canon && lines && lines[i] && !found; i++)
		found = !strcmp(lines[i], canon);
	/* Not a surprise: it fired between the write and this read (CMD-10). */
	for (size_t i = 0; canon && !found && lines && lines[i] && !fired; i++)
		fired = ft_trigger_listed_as(t, lines[i]) ? lines[i] : NULL;
	if (found)
		fprintf(out, "listed as '%s'\n", canon);
	else if (fired)
		fprintf(out, "listed as '%s' (it has fired since it was written)\n", fired);
	else if (canon)
		ft_warn("%s: the kernel does not list the trigger as ftrig expected ('%s'); "
			"'ftrig trigger ls' may not recognise it as ftrig's",
			c->name, canon);
	free(canon);
	ft_tfs_list_free(lines);
}

/**
 * ft_trigger_add() - validate a trigger, journal it and write it
 * @c: the event (ft_trig_ctx_open())
 * @l: the ledger that owns it (the persistent one for `trigger add`, a session's otherwise)
 * @text: the trigger as the user wrote it; exactly this is written and journaled
 * @dry: for a dry run, where the write goes (after the same checks), else NULL
 * @out: where to say what was done
 *
 * A hist trigger with pause, cont or clear for a hist trigger that exists is a control
 * write: it is done but not journaled, since it creates nothing.
 *
 * Return: 0, -EINVAL (bad spec or the kernel refused; logged with a caret), -EEXIST, or
 * another -errno (logged).
 */
int ft_trigger_add(struct ft_trig_ctx *c, struct ft_ledger *l, const char *text,
		   struct ft_writes *dry, FILE *out)
{
	struct ft_trigger t = { 0 };
	bool control;
	char *buf = strdup(text), *s;
	int ret;

	if (!buf)
		return -ENOMEM;
	s = ft_strip(buf);
	ret = ft_trigger_check(c, s, &t);
	if (!ret)
		ret = check_duplicate(c, &t, s, &control);
	if (ret)
		goto out;
	if (dry) {
		char rel[300];

		snprintf(rel, sizeof(rel), "events/%s/%s/trigger", c->system, c->event);
		ret = ft_writes_tfs(dry, FT_WRITE_APPEND, ft_tfs_dir(c->tfs), c->instance, rel, s);
		goto out;
	}
	if (control)
		ret = ft_tfs_trigger_write(c->tfs, c->instance, c->system, c->event, s, false);
	else
		ret = ft_ledger_trigger_add(l, c->instance, c->system, c->event, s);
	if (ret) {
		ft_trig_refused(c, s, ret);
	} else {
		fprintf(out, "%s '%s' on %s%s%s\n", control ? "applied" : "added", s, c->name,
			c->instance ? " in instance " : "", c->instance ? c->instance : "");
		if (!control)
			report_listed(c, &t, out);
	}
out:
	ft_trigger_release(&t);
	free(buf);
	return ret;
}
