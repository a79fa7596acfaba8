/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_EXPORT_CSV_H
#define FT_HIST_EXPORT_CSV_H

#include <stdio.h>

#include "hist/hist.h"

void ft_hist_write_csv(FILE *f, const struct ft_hist *h);

#endif
