/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_EVHINT_H
#define FT_EVHINT_H

#include <stddef.h>

struct ft_tfs;

const char *ft_event_hint(struct ft_tfs *t, const char *name, char *buf, size_t size);

#endif
