/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_DRYRUN_H
#define FT_DRYRUN_H

#include <stddef.h>

#include "ledger.h"
#include "writes.h"

/**
 * struct ft_dry - what a dry run of a removing command works with
 * @s: the journals of the state directory, read without locking or writing anything
 * @ns: how many
 * @persistent: the persistent journal's objects (an empty journal when there is none)
 * @none: the empty journal @persistent points at when there is none
 * @w: the writes the command would make, in order
 */
struct ft_dry {
	struct ft_session_info *s;
	size_t ns;
	const struct ft_journal *persistent;
	struct ft_journal none;
	struct ft_writes w;
};

int ft_dry_open(struct ft_dry *d);
void ft_dry_close(struct ft_dry *d);

#endif
