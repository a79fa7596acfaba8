/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UI_TTY_H
#define FT_UI_TTY_H

#include <stddef.h>

struct ft_top_view;
struct ft_source;

int ft_ui_run(struct ft_top_view *v, struct ft_source **src, size_t n);

#endif
