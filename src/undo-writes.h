/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UNDO_WRITES_H
#define FT_UNDO_WRITES_H

#include "writes.h"

#include <stddef.h>

struct ft_obj;
struct ft_journal;

int ft_obj_undo_writes(const struct ft_obj *o, const char *dir, struct ft_writes *w);
int ft_journals_undo_writes(const struct ft_journal *const *j, size_t n, const char *dir,
			    struct ft_writes *w);

#endif
