// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading what exists: every hist of an event (its hist triggers, a latency's histogram on
 * its synthetic event, and the pinned BPF aggregations counting it), through the source
 * interface; and every event that has any, for `hist dump --all` and `trigger ls`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "hist/hist.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "source.h"
#include "suggest.h"
#include "tfs.h"
#include "triggers/latency.h"

/*
 * A pinned aggregation read as `hist show` and dumps show it: sorted as the kernel sorts a
 * hist (the live view's BPF source keeps the map's order, which it sorts its own way).
 */
struct agg_source {
	struct ft_source src; /* first */
	const struct ft_histsvc_bpf *bpf;
	struct ft_bpf_agg *a;
};

static int agg_snapshot(struct ft_source *src, struct ft_hist **out)
{
	struct agg_source *s = (struct agg_source *)src;

	return s->bpf->snapshot(s->a, out);
}

static void agg_destroy(struct ft_source *src)
{
	struct agg_source *s = (struct agg_source *)src;

	s->bpf->destroy(s->a);
	free(s);
}

static const struct ft_source_ops agg_ops = {
	.backend = "bpf",
	.snapshot = agg_snapshot,
	.destroy = agg_destroy,
};

/* Open the pinned aggregation @name as a source. */
static int agg_source_open(struct ft_histsvc *svc, const char *name, struct ft_source **out)
{
	struct agg_source *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = svc->bpf->open(name, &s->a);
	if (ret) {
		free(s);
		return ret;
	}
	s->src.ops = &agg_ops;
	s->bpf = svc->bpf;
	*out = &s->src;
	return 0;
}

/* Append what @src holds to @v. */
static int add_source(struct ft_source *src, struct ft_hist ***v, size_t *n)
{
	struct ft_hist **sv = NULL, **nv;
	size_t sn = 0;
	int ret = ft_source_collect(src, &sv, &sn);

	if (ret || !sn)
		return ret;
	nv = realloc(*v, (*n + sn) * sizeof(**v));
	if (!nv) {
		ft_hist_free_all(sv, sn);
		return -ENOMEM;
	}
	*v = nv;
	memcpy(*v + *n, sv, sn * sizeof(*sv));
	*n += sn;
	free(sv);
	return 0;
}

/* Append snapshots of the pinned BPF aggregations @names to @v. */
static int add_bpf(struct ft_histsvc *svc, char **names, size_t nb, const char *name,
		   struct ft_suggest *sg, struct ft_hist ***v, size_t *n)
{
	for (size_t i = 0; i < nb; i++) {
		struct ft_source *src;
		int ret;

		if (name && strcmp(names[i], name)) {
			ft_suggest_add(sg, names[i], strlen(names[i]));
			continue;
		}
		ret = agg_source_open(svc, names[i], &src);
		/* Unpinned since it was listed (another session's `hist rm`): it is not there,
		 * which is no failure of this read. */
		if (ret == -ENOENT)
			continue;
		if (!ret) {
			ret = add_source(src, v, n);
			ft_source_destroy(src);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* The kernel hists of an event, through its hist source; NULL @name: all of them. */
static int add_kernel(struct ft_histsvc *svc, const char *instance, const char *system,
		      const char *event, struct ft_hist ***v, size_t *n)
{
	struct ft_source *src = svc->hist->source(svc->tfs, instance, system, event, NULL);
	int ret;

	if (!src)
		return -errno;
	ret = add_source(src, v, n);
	ft_source_destroy(src);
	return ret;
}

/* Keep the hists named @name (all when NULL); the others' names go to @sg. */
static size_t keep_named(struct ft_hist **v, size_t n, const char *name, struct ft_suggest *sg)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (name && strcmp(v[i]->name, name)) {
			if (*v[i]->name)
				ft_suggest_add(sg, v[i]->name, strlen(v[i]->name));
			ft_hist_free(v[i]);
		} else
			v[k++] = v[i];
	}
	return k;
}

/* A latency on hist triggers is counted on its synthetic event: @v's starts and ends of
 * latencies bring the synthetic event's hists (CMD-4). */
static int add_latency(struct ft_histsvc *svc, const char *instance, struct ft_hist ***v, size_t *n)
{
	size_t was = *n;

	for (size_t i = 0; i < was; i++) {
		char synth[128];

		if (!(*v)[i]->trigger ||
		    !ft_latency_synth_of((*v)[i]->trigger, synth, sizeof(synth)))
			continue;
		if (add_kernel(svc, instance, "synthetic", synth, v, n) == -ENOMEM)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Why there is nothing to read: with a name, the names of the event's hists that come close
 * (@sg, filled as they were left out), or where to list them.
 */
static void say_none(const struct ft_hist_where *w, struct ft_suggest *sg)
{
	char hint[512];

	if (w->name && sg->n)
		ft_err("no hist named '%s' on %s:%s; did you mean %s?", w->name, w->system,
		       w->event, ft_suggest_list(sg, hint, sizeof(hint)));
	else if (w->name)
		ft_err("no hist named '%s' on %s:%s ('ftrig trigger ls %s:%s' lists its hists)",
		       w->name, w->system, w->event, w->system, w->event);
	else
		ft_err("no hist trigger on %s:%s; start one with 'ftrig hist start %s:%s "
		       "--key FIELD'",
		       w->system, w->event, w->system, w->event);
}

/**
 * ft_histsvc_collect() - every hist of an event, or only the one named
 * @svc: the service
 * @w: the event, instance and name
 * @v: set to the hists (free with ft_hist_free_all()); NULL on failure
 * @n: set to how many
 *
 * The kernel's hist triggers (and the histogram of a latency the event starts or ends,
 * unless @w->own_only) and the pinned BPF aggregations counting the event alike, each
 * stamped with the time it was read.
 *
 * Return: 0, or -errno after saying why there is none (-ENOENT when there is none).
 */
int ft_histsvc_collect(struct ft_histsvc *svc, const struct ft_hist_where *w, struct ft_hist ***v,
		       size_t *n)
{
	struct ft_suggest sg;
	char **bpf = NULL;
	size_t nb = 0;
	int ret = 0;

	*v = NULL;
	*n = 0;
	ft_suggest_init(&sg, w->name ? w->name : "");
	/* All the event's aggregations, so that one of another name counts as one here. */
	if (!w->instance || !*w->instance)
		ret = svc->bpf->find(w->system, w->event, NULL, &bpf, &nb);
	if (!ret)
		ret = ft_histsvc_event_check(svc->tfs, w->instance, w->system, w->event, nb > 0);
	if (!ret) {
		ret = add_kernel(svc, w->instance, w->system, w->event, v, n);
		if (!ret && !w->own_only)
			ret = add_latency(svc, w->instance, v, n);
		if (!ret)
			*n = keep_named(*v, *n, w->name, &sg);
	} else if (ret == -EOPNOTSUPP && nb) {
		ret = 0;
	}
	if (!ret)
		ret = add_bpf(svc, bpf, nb, w->name, &sg, v, n);
	svc->bpf->list_free(bpf);
	if (ret || !*n) {
		ft_hist_free_all(*v, *n);
		*v = NULL;
		*n = 0;
	}
	if (ret) {
		if (ret != -ENOENT && ret != -EOPNOTSUPP)
			ft_err("cannot read the hist of %s:%s: %s", w->system, w->event,
			       strerror(-ret));
		return ret;
	}
	if (!*n) {
		say_none(w, &sg);
		return -ENOENT;
	}
	return 0;
}

/* Append @sys:@ev (in instance @inst, "" for the top level) to the targets. */
static int add_target(struct ft_hist_target **v, size_t *n, const char *inst, const char *sys,
		      const char *ev)
{
	struct ft_hist_target *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	snprintf(nv[*n].w.system, sizeof(nv[*n].w.system), "%s", sys);
	snprintf(nv[*n].w.event, sizeof(nv[*n].w.event), "%s", ev);
	snprintf(nv[*n].inst, sizeof(nv[*n].inst), "%s", inst ? inst : "");
	(*n)++;
	return 0;
}

static void add_if_hist(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			struct ft_hist_target **v, size_t *n)
{
	char *text, *line;

	text = ft_tfs_event_read(t, inst, sys, ev, "trigger", NULL);
	line = text;
	while (line && strncmp(line, "hist:", 5)) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	/* a latency's histogram is listed once, under its synthetic event */
	if (line && !add_target(v, n, inst, sys, ev))
		(*v)[*n - 1].w.own_only = true;
	free(text);
}

static void scan_instance(struct ft_tfs *t, const char *inst, struct ft_hist_target **v, size_t *n)
{
	/* An instance has the same events as the top level: list those, read the instance's. */
	char **systems = ft_tfs_systems(t), **events;

	for (int s = 0; systems && systems[s]; s++) {
		events = ft_tfs_events(t, systems[s]);
		for (int e = 0; events && events[e]; e++)
			add_if_hist(t, inst, systems[s], events[e], v, n);
		ft_tfs_list_free(events);
	}
	ft_tfs_list_free(systems);
}

/* Add the events pinned BPF aggregations count, once each, at the top level. */
static void add_bpf_targets(const char *name, const struct ft_bpf_plan *p, void *data)
{
	struct {
		struct ft_hist_target **v;
		size_t *n;
	} *tg = data;
	bool seen = false;

	for (size_t k = 0; k < *tg->n; k++)
		seen |= !(*tg->v)[k].inst[0] && !strcmp((*tg->v)[k].w.system, p->system) &&
			!strcmp((*tg->v)[k].w.event, p->event);
	if (!seen)
		add_target(tg->v, tg->n, NULL, p->system, p->event);
}

/**
 * ft_histsvc_find_all() - every event that has a hist, in every instance
 * @svc: the service
 * @v: set to the events (free with free()); each @w.instance points into its element
 * @n: set to how many
 *
 * The events of the top level and of every instance with a hist trigger, and every event a
 * pinned BPF aggregation counts.
 *
 * Return: 0, -ENOENT (none; said) or -EOPNOTSUPP (no hist triggers here and nothing pinned;
 * said).
 */
int ft_histsvc_find_all(struct ft_histsvc *svc, struct ft_hist_target **v, size_t *n)
{
	struct ft_tfs *t = svc->tfs;
	bool kernel_hist = ft_tfs_event_exists(t, NULL, "sched", "sched_switch", "hist") ||
			   ft_tfs_event_exists(t, NULL, "syscalls", "sys_enter_openat", "hist");
	char **inst = kernel_hist ? ft_tfs_instances(t) : NULL;
	struct {
		struct ft_hist_target **v;
		size_t *n;
	} tg = { v, n };

	*v = NULL;
	*n = 0;
	if (kernel_hist) {
		scan_instance(t, NULL, v, n);
		for (int i = 0; inst && inst[i]; i++)
			scan_instance(t, inst[i], v, n);
	}
	ft_histsvc_each_agg(svc, NULL, NULL, add_bpf_targets, &tg);
	ft_tfs_list_free(inst);
	for (size_t i = 0; i < *n; i++)
		(*v)[i].w.instance = (*v)[i].inst;
	if (!*n && !kernel_hist)
		ft_err("this kernel has no hist triggers (no 'hist' file in its event folders) and "
		       "no BPF aggregation is pinned: start one with 'ftrig hist start EVENT --key "
		       "FIELD --backend bpf'");
	else if (!*n)
		ft_err("no event has a hist trigger; start one with 'ftrig hist start EVENT --key "
		       "FIELD'");
	return *n ? 0 : kernel_hist ? -ENOENT : -EOPNOTSUPP;
}

/**
 * ft_histsvc_each_agg() - call @fn for each pinned BPF aggregation
 * @svc: the service
 * @system: with @event, only those counting this event (one of several, too); NULL for all
 * @event: the event's name
 * @fn: called with each one's pinned name and plan (valid during the call only)
 * @data: passed to @fn
 *
 * Those that do not open (half pinned, or removed meanwhile) are left out.
 */
void ft_histsvc_each_agg(struct ft_histsvc *svc, const char *system, const char *event,
			 ft_histsvc_agg_fn fn, void *data)
{
	char **names = NULL;
	size_t nn = 0;

	if (system)
		svc->bpf->find(system, event, NULL, &names, &nn);
	else
		svc->bpf->list(&names, &nn);
	for (size_t i = 0; i < nn; i++) {
		const struct ft_bpf_plan *p;
		struct ft_bpf_agg *a;

		if (svc->bpf->open(names[i], &a))
			continue;
		p = svc->bpf->plan(a);
		if (p)
			fn(names[i], p, data);
		svc->bpf->destroy(a);
	}
	svc->bpf->list_free(names);
}
