/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_LOAD_H
#define FT_HIST_LOAD_H

#include <stddef.h>

#include "hist/hist.h"

int ft_hist_load_json(const char *text, size_t len, struct ft_hist ***out, size_t *n, char *err,
		      size_t errsize);
int ft_hist_load(const char *text, size_t len, struct ft_hist ***out, size_t *n, char *err,
		 size_t errsize);

#endif
