/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_EXPORT_JSON_H
#define FT_HIST_EXPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hist/hist.h"

struct ft_json;

#define FT_HIST_JSON_FORMAT "ftrig-hist"
#define FT_HIST_JSON_VERSION 1

void ft_hist_json_key(struct ft_json *j, const char *name, const struct ft_hist_col *c,
		      const struct ft_key *k);
void ft_hist_write_json(FILE *f, struct ft_hist *const *v, size_t n, bool pretty);

#endif
