// SPDX-License-Identifier: GPL-2.0-only
/*
 * Undo by identity, and the side effects that outlive a trigger (issue #15, SEC-3/4/5).
 *
 * The kernel removes by name or by slot: "!traceoff" removes whatever traceoff trigger the
 * event has, "-:ftrig/x" whatever probe is called x, rmdir whatever instance has the name.
 * Before the ledger writes a removal it asks here whether the object in the kernel is still
 * the one ftrig made, compared by meaning with the journal: the trigger's command, target,
 * filter and a count no higher than written; the probe's place, arguments and filter; the
 * instance's inode number. An object somebody replaced is left alone with a warning.
 *
 * Triggers change things that stay after them. enable_event/disable_event switch their target
 * event when they fire, and the kernel does not switch it back on removal; a hist trigger on
 * common_timestamp switches its instance's trace_clock. The state before the trigger is
 * journaled as a note of its record (ft_guard_note()) and put back after its removal
 * (ft_guard_restore()) under the rules written there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "journal.h"
#include "log.h"
#include "probes/probe.h"
#include "tfs.h"
#include "triggers/compare.h"
#include "triggers/parse.h"
#include "util.h"

static const char *where(const struct ft_obj *o)
{
	return o->instance[0] ? o->instance : "the top level";
}

/* The target's enable file in the trigger's instance: "0", "1", "0*" or "1*" ("" unread). */
static void read_enable(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			char *buf, size_t size)
{
	char *s;

	s = ft_tfs_event_read(t, inst, sys, ev, "enable", NULL);
	snprintf(buf, size, "%s", s ? ft_strip(s) : "");
	free(s);
}

/* The clock in brackets in an instance's trace_clock ("[local] global ..."). */
static int read_clock(struct ft_tfs *t, const char *inst, char *buf, size_t size)
{
	char *s = ft_tfs_read(t, inst, "trace_clock", NULL), *b = s ? strchr(s, '[') : NULL;
	size_t n = b ? strcspn(b + 1, "]") : 0;

	if (n)
		snprintf(buf, size, "%.*s", (int)n, b + 1);
	free(s);
	return n ? 0 : -ENOENT;
}

static bool switches_target(const struct ft_trigger *tr)
{
	return tr->cmd == FT_TRIG_ENABLE_EVENT || tr->cmd == FT_TRIG_DISABLE_EVENT;
}

/**
 * ft_guard_note() - the state a new object may change, as a note for its journal record
 * @t: tracefs
 * @o: the object about to be made
 * @j: the objects of the ledger it goes into (an instance it made holds nobody else's data;
 *     a hist trigger of it that set the clock already knows the clock from before)
 * @note: set to KEY=VALUE words, or "" when there is nothing to put back later
 * @size: size of @note
 *
 * Warns, before the write, about what the write does that cannot be undone: a hist trigger
 * on common_timestamp makes the kernel set trace_clock, and setting a clock clears that
 * buffer (tracing_set_clock() resets it even when the clock stays the same).
 *
 * Return: 0.
 */
int ft_guard_note(struct ft_tfs *t, const struct ft_obj *o, const struct ft_journal *j, char *note,
		  size_t size)
{
	bool own_instance = false;
	struct ft_trigger tr;
	char state[64], clock[64];

	for (size_t i = 0; o->instance[0] && i < j->nobjs; i++)
		own_instance |= j->objs[i].kind == FT_OBJ_INSTANCE &&
				!strcmp(j->objs[i].instance, o->instance);

	note[0] = '\0';
	if (o->kind != FT_OBJ_TRIGGER)
		return 0;
	if (ft_trigger_parse(o->text, &tr, NULL)) {
		ft_trigger_release(&tr);
		return 0;
	}
	if (switches_target(&tr)) {
		read_enable(t, o->instance, tr.system, tr.event, state, sizeof(state));
		if (state[0])
			snprintf(note, size, "target_enable=%s", state);
		if (strchr(state, '*'))
			ft_warn("%s:%s in %s is switched by another trigger already ('%s'); ftrig "
				"cannot tell what to put back, so removing '%s' leaves it as the "
				"kernel leaves it",
				tr.system, tr.event, where(o), state, o->text);
	}
	if (tr.cmd == FT_TRIG_HIST && strstr(o->text, "common_timestamp") &&
	    !read_clock(t, o->instance, clock, sizeof(clock))) {
		const char *to = tr.hist.clock ? tr.hist.clock : "global";
		char was[64], back[160];

		/*
		 * A hist trigger of this ledger set the clock already: the clock from before is
		 * in its note, and whichever of the two goes last puts that back.
		 */
		snprintf(was, sizeof(was), "%s", clock);
		for (size_t i = 0; !strcmp(clock, to) && i < j->nobjs; i++)
			if (j->objs[i].kind == FT_OBJ_TRIGGER &&
			    !strcmp(j->objs[i].instance, o->instance))
				ft_obj_note(&j->objs[i], "trace_clock", was, sizeof(was));
		snprintf(note, size, "trace_clock=%s", was);
		if (own_instance)
			goto out;
		back[0] = '\0';
		if (strcmp(was, to))
			snprintf(back, sizeof(back),
				 "; ftrig sets %s back when the trigger is "
				 "removed, which clears it again",
				 was);
		ft_warn("a hist trigger on common_timestamp makes the kernel set trace_clock of %s "
			"to %s (it is %s now), and setting the clock clears the ring buffer of %s: "
			"the trace data recorded there so far is lost%s",
			where(o), to, clock, where(o), back);
	}
out:
	ft_trigger_release(&tr);
	return 0;
}

/*
 * A non-hist trigger: the kernel removes the event's trigger of that slot whatever it is, so
 * the listed one must mean what ftrig wrote. (A hist trigger is removed only by a text that
 * means the same keys, values, filter and name: the kernel matches it itself.)
 */
static int trigger_identity(struct ft_tfs *t, const struct ft_obj *o, struct ft_guard_state *st)
{
	char *text, *save = NULL, *other = NULL;
	struct ft_trigger w;
	bool ours = false;

	if (ft_trigger_parse(o->text, &w, NULL) || w.cmd == FT_TRIG_HIST) {
		ft_trigger_release(&w);
		return 0;
	}
	text = ft_tfs_event_read(t, o->instance, o->system, o->event, "trigger", NULL);
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l && !ours;
	     l = strtok_r(NULL, "\n", &save)) {
		struct ft_trigger lt;

		l = ft_strip(l);
		if (l[0] == '#' || !ft_trigger_text_same_slot(o->text, l))
			continue;
		if (ft_trigger_parse(l, &lt, NULL)) {
			ft_trigger_release(&lt);
			continue;
		}
		ours = ft_trigger_fired_from(&w, &lt);
		if (ours)
			st->may_have_fired = w.count < 0 || lt.count != w.count;
		else if (!other)
			other = strdup(l);
		ft_trigger_release(&lt);
	}
	if (ours && switches_target(&w))
		read_enable(t, o->instance, w.system, w.event, st->target_enable,
			    sizeof(st->target_enable));
	ft_trigger_release(&w);
	free(text);
	/* Ours, or gone: the removal then finds nothing, and the kernel may not say so. */
	st->gone = !ours && !other;
	if (!other)
		return 0;
	ft_warn("left '%s' on %s:%s (%s) alone: ftrig wrote '%s' there, and somebody replaced it; "
		"the kernel would remove either, so ftrig forgets its own",
		other, o->system, o->event, where(o), o->text);
	free(other);
	return -ESTALE;
}

static bool same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* The kernel lists arguments as written, naming unnamed ones argN itself. */
static bool same_args(const struct ft_probe_spec *w, const struct ft_probe_spec *l)
{
	if (w->nargs != l->nargs)
		return false;
	for (size_t i = 0; i < w->nargs; i++) {
		char wn[80], ln[80];
		const char *wf, *lf;

		if (ft_probe_arg_split(w->args[i], wn, sizeof(wn), &wf) ||
		    ft_probe_arg_split(l->args[i], ln, sizeof(ln), &lf) || strcmp(wf, lf) ||
		    (wn[0] && strcmp(wn, ln)))
			return false;
	}
	return true;
}

static bool same_probe(const struct ft_probe_spec *w, const struct ft_probe_spec *l)
{
	bool user = ft_probe_is_user(w->kind);

	return w->kind == l->kind && same_str(w->target, l->target) &&
	       (user ? w->file_offset == l->file_offset
		     : same_str(w->symbol, l->symbol) && w->offset == l->offset) &&
	       same_str(w->filter, l->filter) && same_args(w, l);
}

/**
 * ft_guard_probe_is() - whether a listed probe is the one a journal record defined
 * @written: the definition ftrig wrote (the record's text)
 * @listed: the probe as the kernel lists it, parsed
 *
 * Return: true if both probe the same place with the same arguments and filter (a written
 * definition that does not parse is taken to be the listed one).
 */
bool ft_guard_probe_is(const char *written, const struct ft_probe_spec *listed)
{
	struct ft_probe_spec w;
	char err[256];
	bool same = ft_probe_parse_raw(written, &w, err, sizeof(err)) || same_probe(&w, listed);

	ft_probe_spec_release(&w);
	return same;
}

/* A probe: the kernel deletes "-:GROUP/NAME" whatever it probes. */
static int probe_identity(struct ft_tfs *t, const struct ft_obj *o)
{
	struct ft_probe_spec w, l;
	char err[256], *text, *save = NULL;
	int ret = 0;

	if (!strcmp(o->file, "synthetic_events") || o->text[0] == 's')
		return 0; /* not a probe: synthetic events are removed by name */
	if (ft_probe_parse_raw(o->text, &w, err, sizeof(err))) {
		ft_probe_spec_release(&w);
		return 0;
	}
	text = ft_tfs_read(t, NULL, o->file, NULL);
	for (char *s = text ? strtok_r(text, "\n", &save) : NULL; s && !ret;
	     s = strtok_r(NULL, "\n", &save)) {
		if (ft_probe_parse_raw(s, &l, err, sizeof(err)) || !same_str(l.group, o->system) ||
		    !same_str(l.name, o->event)) {
			ft_probe_spec_release(&l);
			continue;
		}
		ret = same_probe(&w, &l) ? 0 : -ESTALE;
		if (ret)
			ft_warn("left the probe %s/%s alone: the kernel has '%s', not the '%s' "
				"ftrig defined (somebody replaced it); ftrig forgets its own",
				o->system, o->event, s, o->text);
		ft_probe_spec_release(&l);
	}
	ft_probe_spec_release(&w);
	free(text);
	return ret;
}

/*
 * An instance: its inode number, noted right after mkdir. Without the note, ftrig was stopped
 * between its mkdir and the note: the instance is ftrig's if it is the one made then, which
 * has nothing in it yet; one with events enabled is somebody else's, made under that name.
 */
static int instance_identity(struct ft_tfs *t, const struct ft_obj *o)
{
	unsigned long long ino, was;
	char buf[32], *events;
	int ret = ft_tfs_instance_id(t, o->instance, &ino);
	bool busy;

	if (ret)
		return 0; /* gone: the removal finds nothing */
	if (ft_obj_note(o, "ino", buf, sizeof(buf))) {
		was = strtoull(buf, NULL, 10);
		if (was == ino)
			return 0;
		ft_warn("left instance %s alone: it is not the one ftrig made (inode %llu, not "
			"%llu); somebody removed ftrig's and made another of that name",
			o->instance, ino, was);
		return -ESTALE;
	}
	events = ft_tfs_read(t, o->instance, "set_event", NULL);
	busy = events && *ft_strip(events);
	free(events);
	if (!busy)
		return 0;
	ft_warn("left instance %s alone: ftrig was stopped before it could note which instance it "
		"made, and this one has events enabled, so somebody else made it",
		o->instance);
	return -ESTALE;
}

/* An event filter: clearing it ("0") clears whatever filter the event has. */
static int filter_identity(struct ft_tfs *t, const struct ft_obj *o)
{
	char *now;
	bool other;

	now = ft_tfs_event_read(t, o->instance, o->system, o->event, "filter", NULL);
	other = now && strcmp(ft_strip(now), "none") && strcmp(now, o->text);
	if (other)
		ft_warn("left the filter '%s' of %s:%s (%s) alone: ftrig set '%s', and somebody "
			"replaced it; ftrig forgets its own",
			now, o->system, o->event, where(o), o->text);
	free(now);
	return other ? -ESTALE : 0;
}

/**
 * ft_guard_identity() - whether the kernel still holds the object the journal describes
 * @t: tracefs
 * @o: the journaled object about to be removed
 * @st: set to what ft_guard_restore() needs to know of the state before the removal
 *
 * An object that is gone already passes: its removal finds nothing, which counts as done.
 *
 * Return: 0 (remove it), or -ESTALE (somebody replaced it by one of the same name or slot:
 * leave that alone; the reason has been logged).
 */
int ft_guard_identity(struct ft_tfs *t, const struct ft_obj *o, struct ft_guard_state *st)
{
	memset(st, 0, sizeof(*st));
	st->may_have_fired = true;
	switch (o->kind) {
	case FT_OBJ_TRIGGER:
		return trigger_identity(t, o, st);
	case FT_OBJ_DYNEVENT:
		return probe_identity(t, o);
	case FT_OBJ_INSTANCE:
		return instance_identity(t, o);
	case FT_OBJ_FILTER:
		return filter_identity(t, o);
	default:
		return 0;
	}
}

/* Whether a trigger of the instance other than the one removed still reads the timestamp. */
static bool timestamp_in_use(struct ft_tfs *t, const char *inst)
{
	char **systems = ft_tfs_systems(t);
	bool used = false;

	for (size_t s = 0; systems && systems[s] && !used; s++) {
		char **events = ft_tfs_events(t, systems[s]);

		for (size_t e = 0; events && events[e] && !used; e++) {
			char *text;

			text = ft_tfs_event_read(t, inst, systems[s], events[e], "trigger", NULL);
			/* Only hist triggers can read it; the listing has nothing else to match. */
			used = text && strstr(text, "common_timestamp");
			free(text);
		}
		ft_tfs_list_free(events);
	}
	ft_tfs_list_free(systems);
	return used;
}

/*
 * trace_clock after a hist trigger on common_timestamp: put back the clock noted, when the
 * clock is still the one the trigger set (nobody chose another since) and no other trigger
 * of the instance reads the timestamp (it needs the clock as it is).
 */
static void restore_clock(struct ft_tfs *t, const struct ft_obj *o, const struct ft_trigger *tr)
{
	const char *set = tr->hist.clock ? tr->hist.clock : "global";
	char was[64], now[64];
	int ret;

	if (!ft_obj_note(o, "trace_clock", was, sizeof(was)) ||
	    read_clock(t, o->instance, now, sizeof(now)) || strcmp(now, set) || !strcmp(now, was))
		return;
	if (timestamp_in_use(t, o->instance)) {
		ft_info("left trace_clock of %s at %s: another hist trigger there reads "
			"common_timestamp (it was %s before ftrig's)",
			where(o), now, was);
		return;
	}
	ret = ft_tfs_clock_restore(t, o->instance, was);
	if (ret)
		ft_warn("cannot set trace_clock of %s back to %s: %s", where(o), was,
			strerror(-ret));
	else
		ft_warn("set trace_clock of %s back to %s (ftrig's hist trigger on "
			"common_timestamp "
			"had made it %s); setting the clock cleared that ring buffer",
			where(o), was, now);
}

/*
 * The target of enable_event/disable_event after the trigger's removal. The rule:
 * - only a target that had no soft mode before the trigger ("0" or "1") and has none now
 *   (no other enable/disable trigger holds it) is touched;
 * - only when the trigger may have fired (its count went down, or it has none), and the
 *   state just before the removal is the trigger's own doing: enable_event found the event
 *   off and it is on ("1*"), disable_event found it on and it is off ("0*");
 * - then the event is put back as it was before the trigger.
 * The kernel keeps no record of who switched an event while a trigger held it: `echo 1 >
 * enable` by somebody else during the trigger's life looks the same as the trigger firing,
 * and is undone too (the warning says so). Whatever anybody did after the trigger's removal,
 * or to an event the trigger could not have changed, is left as it is.
 */
static void restore_target(struct ft_tfs *t, const struct ft_obj *o, const struct ft_trigger *tr,
			   const struct ft_guard_state *st)
{
	bool enable = tr->cmd == FT_TRIG_ENABLE_EVENT;
	char was[8], now[8];
	int ret;

	if (!ft_obj_note(o, "target_enable", was, sizeof(was)) || strlen(was) != 1 ||
	    !st->may_have_fired)
		return;
	read_enable(t, o->instance, tr->system, tr->event, now, sizeof(now));
	if (strlen(now) != 1 || now[0] == was[0])
		return;
	if (st->target_enable[0] != (enable ? '1' : '0') || was[0] != (enable ? '0' : '1'))
		return;
	ret = ft_tfs_event_enable(t, o->instance, tr->system, tr->event, was[0] == '1');
	if (ret)
		ft_warn("cannot switch %s:%s in %s back %s: %s", tr->system, tr->event, where(o),
			was[0] == '1' ? "on" : "off", strerror(-ret));
	else
		ft_warn("switched %s:%s in %s back %s, as it was before ftrig's '%s' %s it (if "
			"somebody else switched it meanwhile, do that again)",
			tr->system, tr->event, where(o), was[0] == '1' ? "on" : "off", o->text,
			enable ? "enabled" : "disabled");
}

/**
 * ft_guard_restore() - put back what a removed trigger changed, where that is safe
 * @t: tracefs
 * @o: the trigger just removed (its notes say what it found)
 * @st: what ft_guard_identity() saw just before the removal
 */
void ft_guard_restore(struct ft_tfs *t, const struct ft_obj *o, const struct ft_guard_state *st)
{
	struct ft_trigger tr;

	if (o->kind != FT_OBJ_TRIGGER || !o->note || !o->note[0])
		return;
	if (ft_trigger_parse(o->text, &tr, NULL))
		; /* not a trigger ftrig can read: nothing it knows to put back */
	else if (switches_target(&tr))
		restore_target(t, o, &tr, st);
	else if (tr.cmd == FT_TRIG_HIST)
		restore_clock(t, o, &tr);
	ft_trigger_release(&tr);
}
