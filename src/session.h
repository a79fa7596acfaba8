/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SESSION_H
#define FT_SESSION_H

#include <stdbool.h>

#include "signals.h"

struct ft_tfs;
struct ft_ledger;

/**
 * struct ft_session - what one ftrig run works with: tracefs, the ledger, its own instance
 * @tfs: tracefs
 * @ledger: the journal of what this run creates
 * @instance: the private instance "ftrig-PID" once created, else ""
 */
struct ft_session {
	struct ft_tfs *tfs;
	struct ft_ledger *ledger;
	char instance[32];
};

int ft_session_begin(struct ft_session **out);
const char *ft_session_instance(struct ft_session *s);
int ft_session_end(struct ft_session *s);

#endif
