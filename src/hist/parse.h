/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_PARSE_H
#define FT_HIST_PARSE_H

#include <stddef.h>

#include "hist/hist.h"

int ft_hist_parse(const char *text, size_t len, const char *event, const char *instance,
		  struct ft_hist ***out, size_t *n);

#endif
