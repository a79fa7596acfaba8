/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_LEDGER_INT_H
#define FT_LEDGER_INT_H

/* What src/ledger.c and src/ledger-scan.c share; nobody else looks inside a ledger. */

#include <stdbool.h>

#include "ledger.h"

/**
 * struct ft_ledger - a journal file and the objects it still holds
 * @tfs: where undo writes go
 * @dir: the state directory
 * @name: the journal's name in it
 * @path: dir/name, for messages
 * @dfd: the state directory, opened when it was found trustworthy; -1 until then
 * @fd: the open journal, locked; -1 until the first record is written
 * @j: the objects created and not yet undone
 * @persistent: the shared persistent journal, which its users delete when they are done
 *              with it only once it is empty and has grown (close_deletes() in ledger.c;
 *              cleanup --all does once it is empty: src/jfile.c says why that is safe)
 * @appended: this ledger wrote a record to its journal (ft_ledger_append())
 */
struct ft_ledger {
	struct ft_tfs *tfs;
	char *dir;
	char *name;
	char *path;
	int dfd;
	int fd;
	struct ft_journal j;
	bool persistent;
	bool appended;
};

void ft_ledger_boot_id(char *buf, size_t size);
int ft_ledger_append(struct ft_ledger *l, const char *text, size_t len);
int ft_ledger_start(struct ft_ledger *l);
int ft_ledger_retire(struct ft_ledger *l, unsigned seq);
struct ft_ledger *ft_ledger_alloc(struct ft_tfs *tfs, const char *dir, const char *name);

#endif
