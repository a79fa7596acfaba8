/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PROBE_LISTING_H
#define FT_PROBE_LISTING_H

#include <stdbool.h>

struct ft_suggest;

bool ft_profile_lookup(const char *text, bool user, const char *name, unsigned long long *hits,
		       unsigned long long *misses);
bool ft_symlist_find(const char *text, bool kallsyms, const char *sym, struct ft_suggest *near);

#endif
