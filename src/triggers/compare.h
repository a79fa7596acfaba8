/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_COMPARE_H
#define FT_TRIGGERS_COMPARE_H

#include <stdbool.h>

#include "triggers/model.h"

/* Whether two triggers are the same trigger, or take the same place of an event. */

bool ft_trigger_same(const struct ft_trigger *a, const struct ft_trigger *b);
bool ft_trigger_text_same(const char *a, const char *b);
bool ft_trigger_fired_from(const struct ft_trigger *t, const struct ft_trigger *l);
bool ft_trigger_listed_as(const struct ft_trigger *t, const char *line);
bool ft_trigger_same_slot(const struct ft_trigger *a, const struct ft_trigger *b);
bool ft_trigger_text_same_slot(const char *a, const char *b);

#endif
