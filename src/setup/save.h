/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SETUP_SAVE_H
#define FT_SETUP_SAVE_H

#include <stddef.h>

#include "ledger.h"

struct ft_tfs;

int ft_setup_save(struct ft_tfs *t, const struct ft_session_info *j, size_t nj, char **text);

#endif
