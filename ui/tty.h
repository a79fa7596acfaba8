/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UI_TTY_H
#define FT_UI_TTY_H

#include "ui/top.h"

int ft_ui_run(struct ft_top_view *v, ft_top_refresh_fn refresh, ft_top_respec_fn respec,
	      void *data);

#endif
