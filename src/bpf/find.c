// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding pinned BPF aggregations by event and name, the way hist triggers are found, so
 * that hist show/dump/pause/cont/clear/rm, trigger ls and top --attach treat both alike.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "config.h"
#include "log.h"

/* Whether the aggregation @name (plan @p) counts @sys:@event: its first event, a latency
 * aggregation's end event (CMD-4: found by any of its events, as the man page says), or one
 * of the others pinned beside it. */
static bool counts(const char *name, const struct ft_bpf_plan *p, const char *sys,
		   const char *event)
{
	char dir[PATH_MAX];

	if (!strcmp(p->system, sys) && !strcmp(p->event, event))
		return true;
	if (p->cfg.latency && !strcmp(p->end_system, sys) && !strcmp(p->end_event, event))
		return true;
	return p->nevents > 1 && !ft_bpf_pin_dir(name, dir, sizeof(dir)) &&
	       ft_bpf_members_has(dir, p->nevents, sys, event);
}

/**
 * ft_bpf_find() - the pinned aggregations counting an event (as one of several, too)
 * @sys: the event's system
 * @event: the event's name
 * @name: only the aggregation of that name, or NULL for every one on the event
 * @out: set to a NULL-terminated array of their names (free with ft_bpf_pinned_list_free())
 * @n: set to how many
 *
 * An aggregation whose pins cannot be opened is skipped with a warning. A build without the
 * BPF backend finds none.
 *
 * Return: 0 (also when none is found) or -errno.
 */
int ft_bpf_find(const char *sys, const char *event, const char *name, char ***out, size_t *n)
{
	char **all = NULL;
	size_t nall = 0, k = 0;
	int ret;

	*out = NULL;
	*n = 0;
	if (!HAVE_BPF_OBJECTS)
		return 0;
	ret = ft_bpf_pinned_list(&all, &nall);
	if (ret || !all)
		return ret;
	for (size_t i = 0; i < nall; i++) {
		const struct ft_bpf_plan *p;
		struct ft_bpf_agg *a;
		bool match = false;

		/* Only the one asked for is opened: another's trouble is not this command's. */
		ret = name && strcmp(all[i], name) ? -ENOENT : ft_bpf_agg_open_pinned(all[i], &a);
		if (ret == -ENOENT) {
			/* not this one, or gone since it was listed */
		} else if (ret && ret != -EPROTO) { /* -EPROTO has said why */
			ft_warn("skipped the pinned BPF aggregation '%s': it cannot be opened (%s)",
				all[i], strerror(-ret));
		} else if (!ret) {
			p = ft_bpf_agg_plan(a);
			match = p && (!name || !strcmp(all[i], name)) &&
				counts(all[i], p, sys, event);
			ft_bpf_agg_destroy(a);
		}
		if (match) {
			all[k++] = all[i];
		} else {
			free(all[i]);
		}
	}
	all[k] = NULL;
	*out = all;
	*n = k;
	return 0;
}
