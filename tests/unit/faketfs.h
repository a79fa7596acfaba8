/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_FAKETFS_H
#define FT_FAKETFS_H

char *fake_tfs_create(const char *fixture);
void fake_tfs_destroy(char *dir);
char *fixture_read(const char *relpath);
char *fake_read(const char *dir, const char *relpath);
#include <stddef.h>
const char *fake_tfs_fd_rel(int fd, char *buf, size_t size);

struct ft_tfs;
struct ft_ledger;

/**
 * struct fake_env - a fake tree opened as tracefs, with a state dir and its persistent ledger
 * @tree: the tree (FTRIG_TRACEFS)
 * @state: the state dir (FTRIG_STATE_DIR)
 * @tfs: tracefs, opened on @tree
 * @l: the persistent ledger in @state
 */
struct fake_env {
	char *tree;
	char state[64];
	struct ft_tfs *tfs;
	struct ft_ledger *l;
};

void fake_env_open(struct fake_env *e, const char *fixture);
void fake_env_close(struct fake_env *e);

#endif
