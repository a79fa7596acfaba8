// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event globs of a request ("syscalls:sys_enter_*"), replaced by the events they match, in
 * tracefs' order: one table counts them all (BPF's).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "tfs.h"
#include "util.h"

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool listed(const struct ft_hist_spec *s, const char *sys, const char *ev)
{
	if (s->system && !strcmp(s->system, sys) && !strcmp(s->event, ev))
		return true;
	for (size_t i = 0; i < s->nmore; i++)
		if (!strcmp(s->more[i].system, sys) && !strcmp(s->more[i].event, ev))
			return true;
	return false;
}

/* Append the events of @sys matching @glob to @out's events (the first becomes @out's own). */
static int expand_one(struct ft_tfs *t, const char *sys, const char *glob, struct ft_hist_spec *out,
		      char **names)
{
	size_t found = 0;
	int ret = 0;

	for (size_t i = 0; !ret && names && names[i]; i++) {
		if (!ft_glob_match(glob, names[i]))
			continue;
		found++;
		if (listed(out, sys, names[i]))
			continue;
		if (!out->system) {
			out->system = sys, out->event = names[i];
		} else if (out->nmore < FT_HIST_MAX_MORE) {
			out->more[out->nmore++] = (struct ft_hist_event){ sys, names[i] };
		} else {
			ft_err("%s:%s: more than %d events in one aggregation", sys, glob,
			       FT_HIST_MAX_MORE + 1);
			ret = -E2BIG;
		}
	}
	if (!ret && !found) {
		ft_err("no event matches %s:%s in %s; 'ftrig list events %s:*' lists them", sys,
		       glob, ft_tfs_dir(t), sys);
		ret = -ENOENT;
	}
	return ret;
}

/**
 * ft_hist_spec_expand() - a request with its event globs replaced by the events they match
 * @t: tracefs, where the events are listed
 * @in: the request; its event and further events may be globs ("syscalls:sys_enter_*")
 * @out: set to @in with every glob replaced by the matching events, in tracefs' order
 * @store: set to what @out's names point into: free with ft_hist_spec_store_free() after
 *         the last use of @out
 *
 * Return: 0, or -errno after logging why (-ENOENT: a glob matches nothing).
 */
int ft_hist_spec_expand(struct ft_tfs *t, const struct ft_hist_spec *in, struct ft_hist_spec *out,
			struct ft_hist_store **store)
{
	size_t n = in->nmore + 1;
	int ret = 0;

	*out = *in;
	out->system = out->event = NULL;
	out->nmore = 0;
	*store = calloc(1, sizeof(**store) + n * sizeof((*store)->lists[0]));
	if (!*store)
		return -ENOMEM;
	for (size_t i = 0; !ret && i < n; i++) {
		struct ft_hist_event e =
			i ? in->more[i - 1] : (struct ft_hist_event){ in->system, in->event };

		if (!is_glob(e.event)) {
			ret = expand_one(t, e.system, e.event, out,
					 (char *[]){ (char *)e.event, NULL });
			continue;
		}
		if (!i)
			out->title = e.event;
		(*store)->lists[(*store)->n] = ft_tfs_events(t, e.system);
		ret = expand_one(t, e.system, e.event, out, (*store)->lists[(*store)->n++]);
	}
	return ret;
}

/**
 * ft_hist_spec_store_free() - free what ft_hist_spec_expand() made; NULL is allowed
 * @store: its @store
 */
void ft_hist_spec_store_free(struct ft_hist_store *store)
{
	for (size_t i = 0; store && i < store->n; i++)
		ft_tfs_list_free(store->lists[i]);
	free(store);
}
