// SPDX-License-Identifier: GPL-2.0-only
/*
 * The aggregations a scrape exports, read through the histogram service. What is exported
 * is found in the ledger: the persistent journals of this boot (`hist start`, `trigger add`,
 * `apply`), not those of running sessions (a `top`'s tables are its own and go with it).
 * Once an applied file declares exports, those are what is exported: the file says what the
 * fleet sees, and an event's every aggregation is read, ftrig's or not (like --attach).
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

/* Append @w's hists (the event's own, not a latency's synthetic one) to @g, with @limit. */
static int read_event(struct ft_histsvc *svc, const struct ft_hist_where *w, bool own_only,
		      long limit, struct ft_serve_got *g)
{
	struct ft_hist_where rw = *w;
	struct ft_hist **got = NULL, **nv;
	size_t ng = 0;
	long *nl;
	int ret;

	rw.own_only = own_only;
	ret = ft_histsvc_collect(svc, &rw, &got, &ng);
	if (ret)
		return ret;
	nv = realloc(g->v, (g->n + ng) * sizeof(*nv));
	if (nv)
		g->v = nv;
	nl = nv ? realloc(g->limit, (g->n + ng) * sizeof(*nl)) : NULL;
	if (!nl) {
		ft_hist_free_all(got, ng);
		return -ENOMEM;
	}
	g->limit = nl;
	memcpy(g->v + g->n, got, ng * sizeof(*got));
	for (size_t i = 0; i < ng; i++)
		g->limit[g->n + i] = limit;
	g->n += ng;
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

/* The objects of the persistent journals in @s that @want, as pointers. */
static const struct ft_obj **owned_objs(const struct ft_session_info *s, size_t ns,
					bool (*want)(const struct ft_obj *o), size_t *n)
{
	const struct ft_obj **o = NULL, **no;

	*n = 0;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].journal.pid || s[i].other_boot)
			continue;
		for (size_t k = 0; k < s[i].journal.nobjs; k++) {
			if (!want(&s[i].journal.objs[k]))
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

static bool is_export(const struct ft_obj *o)
{
	return o->kind == FT_OBJ_EXPORT;
}

/* Whether an object before @o[@i] is on the same event: that event was read already. */
static bool read_before(const struct ft_obj **o, size_t i)
{
	for (size_t p = 0; p < i; p++)
		if (!strcmp(o[p]->instance, o[i]->instance) &&
		    !strcmp(o[p]->system, o[i]->system) && !strcmp(o[p]->event, o[i]->event))
			return true;
	return false;
}

static struct ft_hist_where where_of(const struct ft_obj *o)
{
	struct ft_hist_where w = { .instance = o->instance };

	snprintf(w.system, sizeof(w.system), "%s", o->system);
	snprintf(w.event, sizeof(w.event), "%s", o->event);
	return w;
}

/*
 * Read each event an owned object is on once; keep what the ledger holds, or with @exports
 * everything on the exported events, limited as their lines say.
 */
static int read_owned(struct ft_histsvc *svc, const struct ft_obj **o, size_t no, bool exports,
		      struct ft_serve_got *g, size_t *failed)
{
	for (size_t i = 0; i < no; i++) {
		struct ft_hist_where w = where_of(o[i]);
		long limit = exports && *o[i]->text ? strtol(o[i]->text, NULL, 10) : -1;
		size_t from = g->n, k = from;
		int ret;

		if (read_before(o, i))
			continue;
		ret = read_event(svc, &w, !exports, limit, g);
		if (ret == -ENOMEM)
			return ret;
		*failed += ret != 0;
		for (size_t h = from; !exports && h < g->n; h++) {
			bool ours = false;

			for (size_t p = i; p < no && !ours; p++)
				ours = is_obj(o[p], g->v[h]);
			if (ours)
				g->v[k++] = g->v[h];
			else
				ft_hist_free(g->v[h]);
		}
		if (!exports)
			g->n = k;
	}
	return 0;
}

/**
 * ft_serve_gather() - read what a scrape exports
 * @svc: the histogram service
 * @what: the events asked for, or none for what the ledger says (see gather.h)
 * @g: filled with the hists (release with ft_serve_got_release(), also on failure)
 * @failed: incremented for each event that could not be read (said through the log)
 *
 * Return: 0, or -ENOMEM.
 */
int ft_serve_gather(struct ft_histsvc *svc, const struct ft_serve_what *what,
		    struct ft_serve_got *g, size_t *failed)
{
	struct ft_session_info *s = NULL;
	const struct ft_obj **o;
	size_t ns = 0, no = 0;
	bool exports;
	int ret = 0;

	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < what->nattach && ret != -ENOMEM; i++) {
		ret = read_event(svc, &what->attach[i], false, -1, g);
		*failed += ret && ret != -ENOMEM;
	}
	if (what->nattach)
		return ret == -ENOMEM ? ret : 0;
	if (ft_ledger_scan(ft_ledger_state_dir(), &s, &ns)) {
		(*failed)++;
		return 0;
	}
	o = owned_objs(s, ns, is_export, &no);
	exports = no > 0;
	if (!exports) {
		free(o);
		o = owned_objs(s, ns, is_agg, &no);
	}
	ret = read_owned(svc, o, no, exports, g, failed);
	free(o);
	ft_ledger_scan_free(s, ns);
	return ret;
}

/**
 * ft_serve_got_release() - free what ft_serve_gather() read
 * @g: it; zeroed
 */
void ft_serve_got_release(struct ft_serve_got *g)
{
	ft_hist_free_all(g->v, g->n);
	free(g->limit);
	memset(g, 0, sizeof(*g));
}
