// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dry run of a command that removes what ftrig owns: it reads the journals (never opens
 * them for writing: opening the persistent ledger creates and locks it) and collects the
 * writes the real command would make.
 */
#include <string.h>

#include "dryrun.h"

/**
 * ft_dry_open() - read the state directory for a dry run
 * @d: filled in; release with ft_dry_close()
 *
 * Return: 0 or -errno.
 */
int ft_dry_open(struct ft_dry *d)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->persistent = &d->none;
	ret = ft_ledger_scan(ft_ledger_state_dir(), &d->s, &d->ns);
	for (size_t i = 0; !ret && i < d->ns; i++) {
		const char *base = strrchr(d->s[i].path, '/');

		if (d->s[i].journal.pid == 0 && !d->s[i].journal.tag[0] && base &&
		    !strcmp(base, "/persistent.journal"))
			d->persistent = &d->s[i].journal;
	}
	return ret;
}

/**
 * ft_dry_close() - free what ft_dry_open() read and the writes collected
 * @d: the dry run
 */
void ft_dry_close(struct ft_dry *d)
{
	ft_ledger_scan_free(d->s, d->ns);
	ft_writes_release(&d->w);
	d->s = NULL;
	d->ns = 0;
	d->persistent = &d->none;
}
