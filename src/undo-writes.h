/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UNDO_WRITES_H
#define FT_UNDO_WRITES_H

#include "writes.h"

struct ft_obj;

int ft_obj_undo_writes(const struct ft_obj *o, const char *dir, struct ft_writes *w);

#endif
