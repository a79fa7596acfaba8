/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_PARSE_H
#define FT_TRIGGERS_PARSE_H

#include "triggers/model.h"

/* Trigger text, as a user writes it or as the kernel lists it -> the model. */

int ft_trigger_parse(const char *text, struct ft_trigger *t, struct ft_trig_error *err);

#endif
