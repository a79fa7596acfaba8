// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the live view says about figures it cannot give in full (pure): events the table had
 * no room for, and what to do about it (TOP-1). A drop counter alone said nothing to a user
 * whose new processes never appeared.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hist/hist.h"
#include "ui/top.h"

#define SIZE_MAX_KERNEL 131072 /* the largest size= a hist trigger takes (2^17) */

/**
 * ft_top_drop_notice() - what the shown interval lost, and what fixes it
 * @t: the tab
 * @buf: where the notice goes ("" when nothing was lost in the latest interval)
 * @size: its size
 *
 * A BPF aggregation of top's own starts each interval with an empty table: only more keys in
 * one interval than --size lose events, so a larger size or a shorter interval fixes it. A
 * kernel hist trigger (or a pinned aggregation) keeps every key it ever saw, so once full it
 * stays full: a larger --size delays that, and the BPF backend does not have it.
 *
 * Return: true when there is a notice.
 */
bool ft_top_drop_notice(const struct ft_top_tab *t, char *buf, size_t size)
{
	const struct ft_hist *h = t->cur, *l = t->last;
	unsigned now = h && h->size ? h->size : 2048, more;

	*buf = '\0';
	if (!h || !l || !l->dropped)
		return false;
	more = now >= SIZE_MAX_KERNEL ? now : 2 * now;
	if (!strcmp(h->backend, "bpf") && !(h->name && *h->name))
		snprintf(buf, size,
			 "%" PRIu64 " events not counted: more than %u keys in one interval; "
			 "restart with --size %u, or refresh more often (-d, or the - key)",
			 l->dropped, now, more);
	else if (!strcmp(h->backend, "bpf"))
		snprintf(buf, size,
			 "%" PRIu64
			 " events not counted: the aggregation's table is full (%u keys, "
			 "kept until cleared); 'ftrig hist clear' empties it, or start it again "
			 "with --size %u",
			 l->dropped, now, more);
	else
		snprintf(buf, size,
			 "%" PRIu64
			 " events not counted: the hist trigger's table is full (%u keys, "
			 "kept until cleared); restart with --size %u, or --backend bpf (a fresh "
			 "table every refresh)",
			 l->dropped, now, more);
	return true;
}
