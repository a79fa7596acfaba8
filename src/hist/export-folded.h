/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_EXPORT_FOLDED_H
#define FT_HIST_EXPORT_FOLDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hist/hist.h"

void ft_hist_write_folded(FILE *f, const struct ft_hist *h, size_t val);
bool ft_stack_frame_machinery(const char *frame, bool after_handler);

#endif
