// SPDX-License-Identifier: GPL-2.0-only
/*
 * The aggregations a scrape exports, read through the histogram service. ftrig's own are
 * found in the ledger: the persistent journals of this boot (`hist start`, `trigger add`,
 * `apply`), not those of running sessions (a `top`'s tables are its own and go with it).
 * An event's hists are read once and kept when the ledger holds them: a pinned BPF
 * aggregation by its pin, a hist trigger by its text, compared by meaning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "journal.h"
#include "ledger.h"
#include "serve/gather.h"
#include "triggers/compare.h"
#include "triggers/latency.h"

/* Append @w's hists (the event's own, not a latency's synthetic one) to @v. */
static int read_event(struct ft_histsvc *svc, const struct ft_hist_where *w, bool own_only,
		      struct ft_hist ***v, size_t *n)
{
	struct ft_hist_where rw = *w;
	struct ft_hist **got = NULL, **nv;
	size_t ng = 0;
	int ret;

	rw.own_only = own_only;
	ret = ft_histsvc_collect(svc, &rw, &got, &ng);
	if (ret)
		return ret;
	nv = realloc(*v, (*n + ng) * sizeof(*nv));
	if (!nv) {
		ft_hist_free_all(got, ng);
		return -ENOMEM;
	}
	*v = nv;
	memcpy(*v + *n, got, ng * sizeof(*got));
	*n += ng;
	free(got);
	return 0;
}

static bool same_place(const struct ft_obj *o, const struct ft_hist *h)
{
	size_t sl = strlen(o->system);

	return !strcmp(o->instance, h->instance) && !strncmp(h->event, o->system, sl) &&
	       h->event[sl] == ':' && !strcmp(h->event + sl + 1, o->event);
}

/* Whether the ledger object @o is the aggregation @h. */
static bool is_obj(const struct ft_obj *o, const struct ft_hist *h)
{
	const char *base;

	if (!same_place(o, h))
		return false;
	if (o->kind == FT_OBJ_BPF) {
		base = strrchr(o->text, '/');
		return !strcmp(h->backend, "bpf") && !strcmp(base ? base + 1 : o->text, h->name);
	}
	return o->kind == FT_OBJ_TRIGGER && !strcmp(h->backend, "hist") &&
	       ft_trigger_text_same(o->text, h->trigger);
}

/*
 * An aggregation of its own: a pinned one, or a hist trigger but a latency's start and end
 * triggers (per-thread timestamps, the onmatch that feeds its synthetic event), which are
 * its plumbing: the latency is the synthetic event's histogram.
 */
static bool is_agg(const struct ft_obj *o)
{
	char synth[128];

	if (o->kind == FT_OBJ_BPF)
		return true;
	return o->kind == FT_OBJ_TRIGGER && !strncmp(o->text, "hist:", 5) &&
	       !ft_latency_synth_of(o->text, synth, sizeof(synth));
}

/* The owned objects of the journals in @s, as pointers. */
static const struct ft_obj **owned_objs(const struct ft_session_info *s, size_t ns, size_t *n)
{
	const struct ft_obj **o = NULL, **no;

	*n = 0;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].journal.pid || s[i].other_boot)
			continue;
		for (size_t k = 0; k < s[i].journal.nobjs; k++) {
			if (!is_agg(&s[i].journal.objs[k]))
				continue;
			no = realloc(o, (*n + 1) * sizeof(*no));
			if (!no)
				break;
			o = no;
			o[(*n)++] = &s[i].journal.objs[k];
		}
	}
	return o;
}

/* Read each event an owned object is on once, keep what the ledger holds. */
static int read_owned(struct ft_histsvc *svc, const struct ft_obj **o, size_t no,
		      struct ft_hist ***v, size_t *n, size_t *failed)
{
	for (size_t i = 0; i < no; i++) {
		struct ft_hist_where w = { .instance = o[i]->instance };
		size_t from = *n, k = from;
		bool done = false;
		int ret;

		for (size_t p = 0; p < i; p++)
			done |= !strcmp(o[p]->instance, o[i]->instance) &&
				!strcmp(o[p]->system, o[i]->system) &&
				!strcmp(o[p]->event, o[i]->event);
		if (done)
			continue;
		snprintf(w.system, sizeof(w.system), "%s", o[i]->system);
		snprintf(w.event, sizeof(w.event), "%s", o[i]->event);
		ret = read_event(svc, &w, true, v, n);
		if (ret == -ENOMEM)
			return ret;
		*failed += ret != 0;
		for (size_t h = from; h < *n; h++) {
			bool ours = false;

			for (size_t p = i; p < no && !ours; p++)
				ours = is_obj(o[p], (*v)[h]);
			if (ours)
				(*v)[k++] = (*v)[h];
			else
				ft_hist_free((*v)[h]);
		}
		*n = k;
	}
	return 0;
}

/**
 * ft_serve_gather() - read what a scrape exports
 * @svc: the histogram service
 * @what: the events asked for, or none for every ftrig-owned aggregation
 * @v: set to the hists (free with ft_hist_free_all())
 * @n: set to how many
 * @failed: incremented for each event that could not be read (said through the log)
 *
 * Return: 0, or -ENOMEM.
 */
int ft_serve_gather(struct ft_histsvc *svc, const struct ft_serve_what *what, struct ft_hist ***v,
		    size_t *n, size_t *failed)
{
	struct ft_session_info *s = NULL;
	const struct ft_obj **o;
	size_t ns = 0, no = 0;
	int ret = 0;

	*v = NULL;
	*n = 0;
	for (size_t i = 0; i < what->nattach && ret != -ENOMEM; i++) {
		ret = read_event(svc, &what->attach[i], false, v, n);
		*failed += ret && ret != -ENOMEM;
	}
	if (what->nattach)
		return ret == -ENOMEM ? ret : 0;
	if (ft_ledger_scan(ft_ledger_state_dir(), &s, &ns)) {
		(*failed)++;
		return 0;
	}
	o = owned_objs(s, ns, &no);
	ret = read_owned(svc, o, no, v, n, failed);
	free(o);
	ft_ledger_scan_free(s, ns);
	return ret;
}
