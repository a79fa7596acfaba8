/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_VALIDATE_H
#define FT_TRIGGERS_VALIDATE_H

#include <stdbool.h>

#include "triggers/model.h"

/*
 * A parsed trigger checked against the event's format and what this kernel offers, before
 * anything is written; only what the kernel would refuse is refused.
 */

struct ft_event_format;

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

int ft_trigger_validate(const struct ft_trigger *t, const struct ft_trig_env *env,
			struct ft_trig_error *err);

#endif
