// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whether two triggers are the same, the one question behind ownership (a listed trigger
 * is ftrig's when it means what a journal says was written), duplicates (an event holds one
 * trigger of each slot) and undo by identity (src/guard.c). Meaning is the canonical form
 * without what changes while a trigger lives (print.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "triggers/compare.h"
#include "triggers/parse.h"
#include "triggers/print.h"

/**
 * ft_trigger_same() - whether two triggers mean the same trigger
 * @a: one (parsed from what ftrig wrote, or from a listing)
 * @b: the other
 *
 * Compares the canonical forms, ignoring what changes while a trigger lives: the remaining
 * count of a counted trigger, the paused/active state, and blanks in the filter.
 *
 * Return: true if they are the same trigger.
 */
bool ft_trigger_same(const struct ft_trigger *a, const struct ft_trigger *b)
{
	char *sa = ft_trigger_meaning(a), *sb = ft_trigger_meaning(b);
	bool same = sa && sb && !strcmp(sa, sb);

	free(sa);
	free(sb);
	return same;
}

/**
 * ft_trigger_fired_from() - whether a listed trigger is one written, perhaps since fired
 * @t: the trigger as written
 * @l: a trigger as the event's trigger file lists it
 *
 * The same trigger in the listing may have fired between the write and the read (a
 * kretprobe's 'stacktrace:1' lists as 'stacktrace:count=0'): a count that went down is the
 * same trigger; a count above the one written is another.
 *
 * Return: true if @l is @t.
 */
bool ft_trigger_fired_from(const struct ft_trigger *t, const struct ft_trigger *l)
{
	return ft_trigger_same(t, l) && (t->count < 0 || (l->count >= 0 && l->count <= t->count));
}

/**
 * ft_trigger_listed_as() - ft_trigger_fired_from() on a line of a trigger file
 * @t: the trigger as written
 * @line: a line of the event's trigger file
 *
 * Return: true if @line lists @t.
 */
bool ft_trigger_listed_as(const struct ft_trigger *t, const char *line)
{
	struct ft_trigger l;
	bool same;

	if (ft_trigger_parse(line, &l, NULL))
		return false;
	same = ft_trigger_fired_from(t, &l);
	ft_trigger_release(&l);
	return same;
}

/**
 * ft_trigger_text_same() - ft_trigger_same() on two texts
 * @a: a trigger as written or listed
 * @b: another
 *
 * Return: true if both parse and mean the same trigger, or neither parses and they are
 * equal apart from surrounding blanks.
 */
bool ft_trigger_text_same(const char *a, const char *b)
{
	struct ft_trigger ta, tb;
	int ra = ft_trigger_parse(a, &ta, NULL), rb = ft_trigger_parse(b, &tb, NULL);
	bool same;

	if (!ra && !rb) {
		same = ft_trigger_same(&ta, &tb);
	} else {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		same = ra && rb && strlen(a) == strlen(b) && !strcmp(a, b);
	}
	ft_trigger_release(&ta);
	ft_trigger_release(&tb);
	return same;
}

/* enable_X and disable_X of one target share the kernel's trigger type (ETT_*_ENABLE). */
static enum ft_trig_cmd slot_kind(enum ft_trig_cmd cmd)
{
	if (cmd == FT_TRIG_DISABLE_EVENT)
		return FT_TRIG_ENABLE_EVENT;
	if (cmd == FT_TRIG_DISABLE_HIST)
		return FT_TRIG_ENABLE_HIST;
	return cmd;
}

/**
 * ft_trigger_same_slot() - whether two non-hist triggers take one place of an event
 * @a: a trigger
 * @b: another
 *
 * An event holds at most one trigger of each kind, as the kernel's register and unregister
 * functions match them: by command (enable_X and disable_X are one kind) and, for those,
 * target event, whatever the count and filter. So "traceoff" names, and its removal
 * removes, the event's "traceoff:count=2 if pid == 1", and "disable_event:S:E" its
 * "enable_event:S:E". Hist triggers are matched by meaning instead.
 *
 * Return: true if neither is a hist trigger and they share kind and target.
 */
bool ft_trigger_same_slot(const struct ft_trigger *a, const struct ft_trigger *b)
{
	return a->cmd != FT_TRIG_HIST && slot_kind(a->cmd) == slot_kind(b->cmd) &&
	       (a->cmd < FT_TRIG_ENABLE_EVENT ||
		(!strcmp(a->system, b->system) && !strcmp(a->event, b->event)));
}

/**
 * ft_trigger_text_same_slot() - ft_trigger_same_slot() on two texts
 * @a: a trigger as written or listed
 * @b: another
 *
 * Return: true if both parse and take the same place.
 */
bool ft_trigger_text_same_slot(const char *a, const char *b)
{
	struct ft_trigger ta, tb;
	int ra = ft_trigger_parse(a, &ta, NULL), rb = ft_trigger_parse(b, &tb, NULL);
	bool same = !ra && !rb && ft_trigger_same_slot(&ta, &tb);

	ft_trigger_release(&ta);
	ft_trigger_release(&tb);
	return same;
}
