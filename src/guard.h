/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_GUARD_H
#define FT_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What the ledger checks before it undoes an object (is the object in the kernel still the
 * one ftrig made?) and what it puts back after (the state a trigger changed when it fired).
 */

struct ft_tfs;
struct ft_obj;
struct ft_journal;
struct ft_probe_spec;

/**
 * struct ft_guard_state - what an object's side effects look like just before its removal
 * @target_enable: enable_event/disable_event: the target's enable file ("0", "1*", ...), or ""
 * @may_have_fired: the trigger's count went down, or it has no count to tell
 * @gone: the trigger file no longer lists it (removed by hand): its removal finds nothing
 */
struct ft_guard_state {
	char target_enable[8];
	bool may_have_fired;
	bool gone;
};

int ft_guard_note(struct ft_tfs *t, const struct ft_obj *o, const struct ft_journal *j, char *note,
		  size_t size);
int ft_guard_identity(struct ft_tfs *t, const struct ft_obj *o, struct ft_guard_state *st);
bool ft_guard_probe_is(const char *written, const struct ft_probe_spec *listed);
void ft_guard_restore(struct ft_tfs *t, const struct ft_obj *o, const struct ft_guard_state *st);

#endif
