/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_EXPORT_H
#define FT_HIST_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "hist/hist.h"

/* The dump formats (man ftrig-hist documents each). */
enum ft_hist_format {
	FT_HIST_FMT_JSON,
	FT_HIST_FMT_CSV,
	FT_HIST_FMT_FOLDED,
	FT_HIST_FMT_TEXT,
};

int ft_hist_format_lookup(const char *name);
const char *ft_hist_format_ext(enum ft_hist_format fmt);
int ft_hist_write(FILE *f, enum ft_hist_format fmt, struct ft_hist *const *v, size_t n);

#endif
