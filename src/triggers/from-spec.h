/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_FROM_SPEC_H
#define FT_TRIGGERS_FROM_SPEC_H

#include "triggers/model.h"

/* What `hist start` asks for (struct ft_hist_spec) -> a hist trigger of the model. */

struct ft_hist_spec;

int ft_trigger_from_hist_spec(const struct ft_hist_spec *spec, struct ft_trigger *t);

#endif
