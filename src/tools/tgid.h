/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOOLS_TGID_H
#define FT_TOOLS_TGID_H
/*
 * Thread to process for the tools that print a PID column from records that carry only the
 * thread (common_pid): trace, and the snoop tools on hist triggers.
 */

#define FT_TGID_SLOTS 1024

/**
 * struct ft_tgid_cache - thread ids and their processes, one per slot (tid % FT_TGID_SLOTS)
 * @slot: the entries; a tid of 0 is an empty slot
 */
struct ft_tgid_cache {
	struct {
		int tid, tgid;
	} slot[FT_TGID_SLOTS];
};

void ft_tgid_note(struct ft_tgid_cache *c, int tid, int tgid);
int ft_tgid_of(struct ft_tgid_cache *c, int tid);

#endif
