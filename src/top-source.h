/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOP_SOURCE_H
#define FT_TOP_SOURCE_H

#include <stddef.h>

struct ft_source;
struct ft_top_view;

int ft_top_tick(struct ft_top_view *v, struct ft_source **src, size_t n);

#endif
