/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_PRINT_H
#define FT_TRIGGERS_PRINT_H

#include <stdbool.h>

#include "triggers/model.h"

/*
 * The model -> text: what ftrig writes into a trigger file, and the canonical form the
 * kernel lists, which is how a listed trigger is matched with what was written (compare.h).
 */

char *ft_trigger_format(const struct ft_trigger *t);
char *ft_trigger_canonical(const struct ft_trigger *t, bool with_state);
char *ft_trigger_meaning(const struct ft_trigger *t);
unsigned long ft_hist_size_rounded(unsigned long size);

#endif
