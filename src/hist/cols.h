/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_COLS_H
#define FT_HIST_COLS_H

#include <stddef.h>

#include "hist/hist.h"

const char *ft_key_type_name(enum ft_key_kind kind);
int ft_key_type_lookup(const char *name);
size_t ft_key_format(const struct ft_hist_col *col, const struct ft_key *k, char *buf, size_t size);
int ft_hist_val_lookup(const struct ft_hist *h, const char *name);
int ft_hist_key_lookup(const struct ft_hist *h, const char *name);
int ft_hist_weight_col(const struct ft_hist *h);

#endif
