/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_EXPORT_TEXT_H
#define FT_HIST_EXPORT_TEXT_H

#include <stdio.h>

#include "hist/hist.h"

void ft_hist_write_text(FILE *f, const struct ft_hist *h);

#endif
