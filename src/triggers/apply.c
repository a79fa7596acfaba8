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
#include "tfs.h"
#include "triggers/apply.h"
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
	i = events ? ft_trig_suggest(ev, (const char *const *)events, n) : -1;
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
	const char *sep = strpbrk(event, ":/");
	char why[512], *text;

	memset(c, 0, sizeof(*c));
	c->tfs = t;
	c->instance = instance && *instance ? instance : NULL;
	if (!sep || sep == event || !sep[1] || strpbrk(sep + 1, ":/") ||
	    (size_t)(sep - event) >= sizeof(c->system) || strlen(sep + 1) >= sizeof(c->event)) {
		ft_err("'%s' is not an event: write SYSTEM:EVENT (e.g. sched:sched_switch)", event);
		return -EINVAL;
	}
	snprintf(c->system, sizeof(c->system), "%.*s", (int)(sep - event), event);
	snprintf(c->event, sizeof(c->event), "%s", sep + 1);
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
 * ft_trig_report() - log an error about a trigger, with a caret under the offending token
 * @text: the trigger as the user gave it
 * @err: what is wrong, and where
 * @what: put before the message (the event, when the message does not name it), or NULL
 */
void ft_trig_report(const char *text, const struct ft_trig_error *err, const char *what)
{
	char *caret = ft_trig_caret(text, err, "    ");
	size_t n = caret ? strlen(caret) : 0;

	if (n && caret[n - 1] == '\n')
		caret[n - 1] = '\0';
	ft_err("%s%s%s\n%s", what ? what : "", what ? ": " : "", err->msg, caret ? caret : "");
	free(caret);
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

static void free_lines(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* The lines of the event's trigger file (NULL-terminated, free with free_lines()). */
static char **listing(struct ft_tfs *t, const char *inst, const char *sys, const char *ev)
{
	char *text, *save = NULL, **v = NULL;
	size_t n = 0;

	text = ft_tfs_event_read(t, inst, sys, ev, "trigger", NULL);
	if (!text)
		return NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char **nv;

		l = ft_strip(l);
		if (l[0] == '#' || !*l)
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n++] = strdup(l);
		v[n] = NULL;
	}
	free(text);
	return v;
}

/* enable_X and disable_X of one target share the kernel's trigger type (ETT_*_ENABLE). */
static int slot_kind(enum ft_trig_cmd cmd)
{
	if (cmd == FT_TRIG_DISABLE_EVENT)
		return FT_TRIG_ENABLE_EVENT;
	if (cmd == FT_TRIG_DISABLE_HIST)
		return FT_TRIG_ENABLE_HIST;
	return cmd;
}

/* Whether a listed trigger takes the place @t needs: the kernel allows one per kind. */
static bool same_slot(const struct ft_trigger *t, const char *listed)
{
	struct ft_trigger l;
	bool same = false;

	if (!ft_trigger_parse(listed, &l, NULL) && slot_kind(l.cmd) == slot_kind(t->cmd) &&
	    t->cmd != FT_TRIG_HIST)
		same = t->cmd < FT_TRIG_ENABLE_EVENT ||
		       (!strcmp(l.system, t->system) && !strcmp(l.event, t->event));
	ft_trigger_release(&l);
	return same;
}

/* Refuses a trigger the event has already; says whether @t pauses/continues/clears one. */
static int check_duplicate(struct ft_trig_ctx *c, const struct ft_trigger *t, const char *text,
			   bool *control)
{
	char **lines = listing(c->tfs, c->instance, c->system, c->event);
	struct ft_trigger l;
	int ret = 0;

	*control = false;
	for (size_t i = 0; lines && lines[i] && !ret && !*control; i++) {
		memset(&l, 0, sizeof(l));
		if (same_slot(t, lines[i])) {
			ft_err("%s already has '%s', and the kernel takes one %s trigger%s per "
			       "event; remove it first (ftrig trigger rm %s '%s'%s%s)",
			       c->name, lines[i], ft_trig_cmd_name(t->cmd),
			       t->cmd >= FT_TRIG_ENABLE_EVENT ? " of each target" : "", c->name,
			       lines[i], c->instance ? " --instance " : "",
			       c->instance ? c->instance : "");
			ret = -EEXIST;
		} else if (!ft_trigger_parse(lines[i], &l, NULL) && ft_trigger_same(t, &l)) {
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
	free_lines(lines);
	return ret;
}

/*
 * The kernel said no: show its error_log entry against @text. A filter the kernel cannot
 * parse is refused with EINVAL or, for some syntax errors ("(a == 1"), ENOENT, with the
 * reason in error_log either way; EEXIST leaves no entry: an event holds one trigger of
 * each command.
 */
static void refused(struct ft_trig_ctx *c, const char *text, int err)
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
	char **lines = listing(c->tfs, c->instance, c->system, c->event);
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
	free_lines(lines);
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
		refused(c, s, ret);
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

/* Marks @e as ftrig's when a journal holds a trigger that means the same. */
static void find_owner(struct ft_listed *e, const struct ft_session_info *s, size_t ns)
{
	for (size_t i = 0; i < ns && !e->ours; i++) {
		const struct ft_journal *j = &s[i].journal;

		for (size_t k = 0; k < j->nobjs && !e->ours; k++) {
			const struct ft_obj *o = &j->objs[k];

			if (o->kind != FT_OBJ_TRIGGER || strcmp(o->instance, e->instance) ||
			    strcmp(o->system, e->system) || strcmp(o->event, e->event) ||
			    !ft_trigger_text_same(o->text, e->text))
				continue;
			e->ours = true;
			e->pid = (int)j->pid;
			e->seq = o->seq;
			e->written = strdup(o->text);
		}
	}
}

struct lister {
	struct ft_tfs *t;
	struct ft_session_info *s;
	size_t ns;
	struct ft_listed *v;
	size_t n;
};

static int list_event(struct lister *L, const char *inst, const char *sys, const char *ev)
{
	char **lines = listing(L->t, inst, sys, ev);

	for (size_t i = 0; lines && lines[i]; i++) {
		struct ft_listed *nv = realloc(L->v, (L->n + 1) * sizeof(*nv)), *e;

		if (!nv) {
			free_lines(lines);
			return -ENOMEM;
		}
		L->v = nv;
		e = &nv[L->n++];
		*e = (struct ft_listed){ .instance = strdup(inst),
					 .system = strdup(sys),
					 .event = strdup(ev),
					 .text = strdup(lines[i]) };
		find_owner(e, L->s, L->ns);
	}
	free_lines(lines);
	return 0;
}

static int list_instance(struct lister *L, const char *inst, const char *event)
{
	char **systems;
	int ret = 0;

	if (event) {
		const char *sep = strpbrk(event, ":/");
		char sys[128];

		if (!sep)
			return -EINVAL;
		snprintf(sys, sizeof(sys), "%.*s", (int)(sep - event), event);
		return list_event(L, inst, sys, sep + 1);
	}
	systems = ft_tfs_systems(L->t);
	for (size_t s = 0; systems && systems[s] && !ret; s++) {
		char **events = ft_tfs_events(L->t, systems[s]);

		for (size_t e = 0; events && events[e] && !ret; e++)
			ret = list_event(L, inst, systems[s], events[e]);
		ft_tfs_list_free(events);
	}
	ft_tfs_list_free(systems);
	return ret;
}

/**
 * ft_trigger_list() - the triggers trigger files list, each with its owner
 * @t: tracefs
 * @instance: the instance to look in, NULL or "" for the top level
 * @event: "system:event", or NULL for every event
 * @all_instances: look in the top level and every instance (@instance is ignored)
 * @out: set to the triggers; free with ft_listed_free()
 * @n: set to how many
 *
 * Ownership comes from every ftrig journal in the state directory (persistent and
 * sessions), matched by meaning (ft_trigger_text_same()).
 *
 * Return: 0 or -errno.
 */
int ft_trigger_list(struct ft_tfs *t, const char *instance, const char *event, bool all_instances,
		    struct ft_listed **out, size_t *n)
{
	struct lister L = { .t = t };
	int ret;

	ft_ledger_scan(ft_ledger_state_dir(), &L.s, &L.ns);
	ret = list_instance(&L, all_instances || !instance ? "" : instance, event);
	if (all_instances) {
		char **insts = ft_tfs_instances(t);

		for (size_t i = 0; insts && insts[i] && !ret; i++)
			ret = list_instance(&L, insts[i], event);
		ft_tfs_list_free(insts);
	}
	ft_ledger_scan_free(L.s, L.ns);
	if (ret) {
		ft_listed_free(L.v, L.n);
		return ret;
	}
	*out = L.v;
	*n = L.n;
	return 0;
}

/**
 * ft_listed_free() - free what ft_trigger_list() returned
 * @v: the triggers (NULL allowed)
 * @n: how many
 */
void ft_listed_free(struct ft_listed *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].instance);
		free(v[i].system);
		free(v[i].event);
		free(v[i].text);
		free(v[i].written);
	}
	free(v);
}

/* The text that removes a listed trigger of somebody else ("!" is added by the writer). */
static char *removal_text(const struct ft_trigger *t)
{
	struct ft_trigger r = *t;
	char *s = NULL;

	if (t->cmd != FT_TRIG_HIST) {
		if (t->cmd >= FT_TRIG_ENABLE_EVENT)
			return asprintf(&s, "%s:%s:%s", ft_trig_cmd_name(t->cmd), t->system,
					t->event) < 0
				       ? NULL
				       : s;
		return strdup(ft_trig_cmd_name(t->cmd));
	}
	r.hist.pause = r.hist.cont = r.hist.clear = false;
	return ft_trigger_format(&r);
}

static bool listed_exactly(const char *text, const char *line)
{
	size_t n = strlen(text);

	return !strcmp(text, line) || (!strncmp(line, text, n) && (!strcmp(line + n, " [active]") ||
								   !strcmp(line + n, " [paused]")));
}

static int remove_foreign(struct ft_trig_ctx *c, const struct ft_listed *e, const char *text,
			  struct ft_dry *dry, FILE *out)
{
	struct ft_trigger t;
	char *rm;
	int ret;

	if (e->ours) {
		ft_err("%s: '%s' belongs to ftrig session %d; it goes when that session ends "
		       "(or with 'ftrig cleanup --stale' if the session died)",
		       c->name, e->text, e->pid);
		return -EPERM;
	}
	if (!listed_exactly(text, e->text)) {
		ft_err("%s: '%s' was not created by ftrig; to remove it anyway, name it exactly as "
		       "listed: ftrig trigger rm %s '%s'%s%s",
		       c->name, e->text, c->name, e->text, c->instance ? " --instance " : "",
		       c->instance ? c->instance : "");
		return -EPERM;
	}
	ret = ft_trigger_parse(e->text, &t, NULL);
	rm = ret ? NULL : removal_text(&t);
	ft_trigger_release(&t);
	if (!rm)
		return -ENOMEM;
	if (dry) {
		char rel[300], *line = NULL;

		snprintf(rel, sizeof(rel), "events/%s/%s/trigger", c->system, c->event);
		ret = asprintf(&line, "!%s", rm) < 0
			      ? -ENOMEM
			      : ft_writes_tfs(&dry->w, FT_WRITE_APPEND, ft_tfs_dir(c->tfs),
					      c->instance, rel, line);
		free(line);
		free(rm);
		return ret;
	}
	ret = ft_tfs_trigger_write(c->tfs, c->instance, c->system, c->event, rm, true);
	if (ret)
		refused(c, rm, ret);
	else
		fprintf(out, "removed '%s' from %s (not ftrig's; named as listed)\n", e->text,
			c->name);
	free(rm);
	return ret;
}

/*
 * The persistent ledger's record of a trigger meaning @text on the event of @c; failing
 * that, of the non-hist trigger in the same slot (filters and counts may be left out).
 */
static const struct ft_obj *ledger_find(struct ft_trig_ctx *c, const struct ft_journal *j,
					const char *text)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = j->nobjs; i-- > 0;) {
			const struct ft_obj *o = &j->objs[i];

			if (o->kind == FT_OBJ_TRIGGER &&
			    !strcmp(o->instance, c->instance ? c->instance : "") &&
			    !strcmp(o->system, c->system) && !strcmp(o->event, c->event) &&
			    (pass ? ft_trigger_same_slot(o->text, text)
				  : ft_trigger_text_same(o->text, text)))
				return o;
		}
	return NULL;
}

/**
 * ft_trigger_remove() - remove one trigger from the event of @c
 * @c: the event
 * @l: the persistent ledger (NULL for a dry run)
 * @text: the trigger, as written or as listed
 * @dry: for a dry run, the journals to look in and where the writes go; NULL otherwise
 * @out: where to say what was removed
 *
 * A trigger ftrig added is found by meaning and removed with the exact text written. A
 * trigger somebody else added is removed only when @text is exactly its listed line. A dry
 * run makes the same checks and collects the writes in @dry->w instead of making them.
 *
 * Return: 0, -ENOENT (no such trigger), -EPERM (not ftrig's and not named as listed),
 * -EBUSY (another trigger uses it), or another -errno; the cause has been logged.
 */
int ft_trigger_remove(struct ft_trig_ctx *c, struct ft_ledger *l, const char *text,
		      struct ft_dry *dry, FILE *out)
{
	const struct ft_obj *o = ledger_find(c, dry ? dry->persistent : ft_ledger_objects(l), text);
	struct ft_listed *v = NULL;
	size_t n = 0;
	char *written;
	int ret;

	if (o && dry)
		return ft_obj_undo_writes(o, ft_tfs_dir(c->tfs), &dry->w);
	if (o) {
		written = strdup(o->text);
		ret = ft_ledger_undo_one(l, o->seq);
		if (ret == -EBUSY)
			ft_err("%s: '%s' is in use (another hist trigger refers to its variables, "
			       "or a synthetic event it feeds is busy); remove that first",
			       c->name, written);
		else if (ret == -ESTALE)
			; /* somebody replaced it; the ledger said so and left theirs */
		else if (ret)
			refused(c, written, ret);
		else
			fprintf(out, "removed '%s' from %s\n", written, c->name);
		free(written);
		return ret;
	}
	ret = ft_trigger_list(c->tfs, c->instance, c->name, false, &v, &n);
	for (size_t i = 0; !ret && i < n; i++)
		if (ft_trigger_text_same(v[i].text, text)) {
			ret = remove_foreign(c, &v[i], text, dry, out);
			ft_listed_free(v, n);
			return ret;
		}
	ft_listed_free(v, n);
	ft_err("%s has no trigger '%s' ('ftrig trigger ls %s' lists them)", c->name, text, c->name);
	return -ENOENT;
}

/* The synthetic events the ledger holds go with the triggers that fed them. */
static int remove_synth(struct ft_ledger *l, FILE *out)
{
	const struct ft_journal *j = ft_ledger_objects(l);
	int left = 0, ret;

	for (size_t i = j->nobjs; i-- > 0;) {
		const struct ft_obj *o = &j->objs[i];
		char what[1024];

		if (o->kind != FT_OBJ_DYNEVENT || strcmp(o->system, "synthetic"))
			continue;
		ft_obj_describe(o, what, sizeof(what));
		ret = ft_ledger_undo_one(l, o->seq);
		if (ret && ret != -ESTALE) {
			ft_err("could not remove %s (in use?)", what);
			left++;
		} else if (!ret) {
			fprintf(out, "removed %s\n", what);
		}
		j = ft_ledger_objects(l);
	}
	return left;
}

/**
 * ft_triggers_remove_ours() - remove every trigger a ledger holds
 * @l: the ledger (the persistent one for `trigger rm --ours`)
 * @out: where to say what was removed
 *
 * Triggers can depend on each other (a hist trigger whose variables another one reads
 * cannot go first), so passes repeat while they make progress. The synthetic events of the
 * ledger (ft_synth_define()) go after the triggers.
 *
 * Return: 0 when all are gone, else -EBUSY (what is left has been logged).
 */
int ft_triggers_remove_ours(struct ft_ledger *l, FILE *out)
{
	bool progress = true;
	int left = 0, ret;

	while (progress) {
		const struct ft_journal *j = ft_ledger_objects(l);
		unsigned *seqs = calloc(j->nobjs + 1, sizeof(*seqs));
		size_t n = 0;

		progress = false;
		left = 0;
		for (size_t i = j->nobjs; seqs && i-- > 0;)
			if (j->objs[i].kind == FT_OBJ_TRIGGER)
				seqs[n++] = j->objs[i].seq;
		for (size_t i = 0; i < n; i++) {
			char what[1024];
			ssize_t at = -1;

			j = ft_ledger_objects(l);
			for (size_t k = 0; k < j->nobjs; k++)
				if (j->objs[k].seq == seqs[i])
					at = (ssize_t)k;
			if (at < 0)
				continue;
			ft_obj_describe(&j->objs[at], what, sizeof(what));
			ret = ft_ledger_undo_one(l, seqs[i]);
			if (ret && ret != -ESTALE) {
				left++;
				continue;
			}
			if (!ret) /* -ESTALE: somebody replaced it; left alone, said why */
				fprintf(out, "removed %s\n", what);
			progress = true;
		}
		free(seqs);
	}
	if (left)
		ft_err("%d trigger(s) could not be removed; 'ftrig trigger ls --all-instances' "
		       "shows them",
		       left);
	else
		left = remove_synth(l, out);
	return left ? -EBUSY : 0;
}

/**
 * ft_triggers_remove_ours_dry() - the writes ft_triggers_remove_ours() would make
 * @j: the journal (the persistent one for `trigger rm --ours`)
 * @dir: the tracing directory
 * @w: where the writes are appended: the triggers newest first, then the synthetic events
 *
 * Return: 0 or -ENOMEM.
 */
int ft_triggers_remove_ours_dry(const struct ft_journal *j, const char *dir, struct ft_writes *w)
{
	int ret = 0;

	for (size_t i = j->nobjs; !ret && i-- > 0;)
		if (j->objs[i].kind == FT_OBJ_TRIGGER)
			ret = ft_obj_undo_writes(&j->objs[i], dir, w);
	for (size_t i = j->nobjs; !ret && i-- > 0;)
		if (j->objs[i].kind == FT_OBJ_DYNEVENT && !strcmp(j->objs[i].system, "synthetic"))
			ret = ft_obj_undo_writes(&j->objs[i], dir, w);
	return ret;
}

/**
 * ft_synth_define() - define a synthetic event, journaled, for triggers to feed
 * @t: tracefs
 * @l: the ledger that owns it (NULL for a dry run)
 * @def: "NAME TYPE FIELD[; TYPE FIELD...]" as synthetic_events takes it
 * @dry: for a dry run, where the write goes instead, else NULL
 * @out: where to say what was done
 *
 * It is written as "s:NAME ..." to dynamic_events, so the ledger removes it with
 * "-:synthetic/NAME" after the triggers that use it.
 *
 * Return: 0, -EINVAL (bad definition), -EEXIST, or the -errno of the write; logged.
 */
int ft_synth_define(struct ft_tfs *t, struct ft_ledger *l, const char *def, struct ft_writes *dry,
		    FILE *out)
{
	char name[128], why[512], *line;
	size_t n = strcspn(def, " \t");
	int ret;

	if (!n || n >= sizeof(name) || !def[n] || !def[n + strspn(def + n, " \t")]) {
		ft_err("'%s' is not a synthetic event: write 'NAME TYPE FIELD[; TYPE FIELD...]', "
		       "e.g. 'wakeup_lat pid_t pid; u64 lat'",
		       def);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, def);
	if (ft_name_probe(name, why, sizeof(why))) {
		ft_err("synthetic event: %s", why);
		return -EINVAL;
	}
	if (ft_tfs_event_exists(t, NULL, "synthetic", name, NULL)) {
		ft_err("synthetic event %s exists already; pick another name", name);
		return -EEXIST;
	}
	if (asprintf(&line, "s:%s", def) < 0)
		return -ENOMEM;
	if (dry) {
		ret = ft_writes_tfs(dry, FT_WRITE_APPEND, ft_tfs_dir(t), NULL, "dynamic_events",
				    line);
		free(line);
		return ret;
	}
	ret = ft_ledger_dynevent_add(l, "dynamic_events", "synthetic", name, line);
	if (ret) {
		char *entry = ft_tfs_error_last(t, NULL);
		struct ft_trig_error e;

		if (entry && !ft_trig_kernel_error(entry, line, &e))
			ft_trig_report(line, &e, "dynamic_events");
		else
			ft_err("cannot define synthetic event '%s': %s", def, strerror(-ret));
		free(entry);
	} else {
		fprintf(out, "defined synthetic event '%s'\n", def);
	}
	free(line);
	return ret;
}
