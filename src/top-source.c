// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one place `ftrig top` gets its sources from: a spec and a backend choice in, a struct
 * ft_source out. Watching an existing hist trigger (--attach) reads its hist file and never
 * writes; new hists (hist trigger or BPF) are created in the session, so that the session's
 * end removes them.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "hist/read.h"
#include "hist/spec.h"
#include "kfeat.h"
#include "log.h"
#include "session.h"
#include "source.h"
#include "tfs.h"
#include "top-source.h"
#include "triggers/histctl.h"
#include "triggers/latency.h"

/**
 * ft_top_backend_lookup() - a --backend name
 * @name: "auto", "hist" or "bpf"
 *
 * Return: the enum ft_top_backend, or -EINVAL.
 */
int ft_top_backend_lookup(const char *name)
{
	static const char *const names[] = { "auto", "hist", "bpf" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -EINVAL;
}

/*
 * --attach: a pinned BPF aggregation on the event (of that name) when there is one, else the
 * event's hist trigger; read only either way.
 */
static int attach(const struct ft_hist_spec *spec, struct ft_session *s, struct ft_source **out)
{
	char event[260], synth[128];
	struct ft_bpf_agg *a = NULL;
	char **bpf = NULL;
	size_t nb = 0;
	int ret = 0;

	if (!spec->instance || !*spec->instance)
		ret = ft_bpf_find(spec->system, spec->event, spec->name, &bpf, &nb);
	if (!ret && nb)
		ret = ft_bpf_agg_open_pinned(bpf[0], &a);
	ft_bpf_pinned_list_free(bpf);
	if (ret)
		return ret;
	if (a) {
		*out = ft_bpf_source_alloc(a);
		if (!*out)
			ft_bpf_agg_destroy(a);
		return *out ? 0 : -ENOMEM;
	}
	ret = ft_hist_event_check(s->tfs, spec->instance, spec->system, spec->event, false);
	if (ret)
		return ret;
	/* A latency on hist triggers is watched on its synthetic event, by START or END too
	 * (CMD-4). */
	snprintf(event, sizeof(event), "%s:%s", spec->system, spec->event);
	if (!ft_latency_find(s->tfs, spec->instance, event, spec->name, synth, sizeof(synth)))
		*out = ft_hist_source_alloc(s->tfs, spec->instance, "synthetic", synth, spec->name);
	else
		*out = ft_hist_source_alloc(s->tfs, spec->instance, spec->system, spec->event,
					    spec->name);
	return *out ? 0 : -ENOMEM;
}

/* A hist trigger of the session, in its private instance: the session's end removes it. */
static int new_hist(struct ft_hist_spec *sp, struct ft_session *s, struct ft_source **out)
{
	FILE *quiet = fopen("/dev/null", "w");
	char lat[64];
	int ret;

	/* A latency is counted on a synthetic event, named after the session: synthetic events
	 * are not per instance, and another session may time the same events. */
	if (sp->end_event && !sp->name) {
		snprintf(lat, sizeof(lat), "ftlat%d_%.40s", (int)getpid(), sp->event);
		sp->name = lat;
	}
	if (!sp->instance && !(sp->instance = ft_session_instance(s))) {
		if (quiet)
			fclose(quiet);
		return -errno;
	}
	ret = quiet ? ft_hist_start(s->tfs, s->ledger, sp, NULL, quiet) : -errno;
	if (quiet)
		fclose(quiet);
	if (ret)
		return ret;
	*out = sp->end_event
		       ? ft_hist_source_alloc(s->tfs, sp->instance, "synthetic", sp->name, sp->name)
		       : ft_hist_source_alloc(s->tfs, sp->instance, sp->system, sp->event,
					      sp->name);
	if (sp->name == lat)
		sp->name = NULL;
	return *out ? 0 : -ENOMEM;
}

/*
 * A BPF aggregation of this process, not pinned: it goes when the source is destroyed. Its
 * two tables take turns, one per refresh, so that a busy machine's stream of new processes
 * never fills it (TOP-1).
 */
static int new_bpf(const struct ft_hist_spec *spec, struct ft_session *s, struct ft_source **out)
{
	struct ft_hist_spec sp = *spec;
	struct ft_bpf_agg *a;
	int ret;

	sp.rotate = true;
	ret = ft_bpf_agg_create(s->tfs, &sp, false, &a);

	if (ret)
		return ret;
	*out = ft_bpf_source_alloc(a);
	if (!*out) {
		ft_bpf_agg_destroy(a);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ft_top_source_create() - the source of one of top's tabs
 * @spec: what to watch: for FT_TOP_ATTACH only the event, @spec->instance and @spec->name
 *        (which hist, when the event has several; the first listed otherwise)
 * @backend: where the hist comes from
 * @s: the session: tracefs, and the ledger new kernel objects are journaled in
 * @out: set to the source; free it with ft_source_destroy() before ft_session_end()
 *
 * FT_TOP_ATTACH reads an existing hist trigger, whoever made it, or a pinned BPF
 * aggregation, and never clears, pauses or removes it. A new hist is a hist trigger in the session's instance (journaled in the
 * session's ledger, so the session's end removes it) or an unpinned BPF aggregation (gone
 * with the source), as ft_hist_backend_choose() decides for @backend.
 *
 * Return: 0 or -errno; the cause has been logged.
 */
int ft_top_source_create(const struct ft_hist_spec *spec, enum ft_top_backend backend,
			 struct ft_session *s, struct ft_source **out)
{
	static const char *const names[] = { "auto", "hist", "bpf" };
	struct ft_hist_store *store = NULL;
	struct ft_hist_spec sp;
	enum ft_hist_backend b;
	int ret;

	*out = NULL;
	if (backend == FT_TOP_ATTACH)
		return attach(spec, s, out);
	/* A glob is one tab: the events it matches, counted into one table (BPF's). */
	ret = ft_hist_spec_expand(s->tfs, spec, &sp, &store);
	sp.backend = names[backend];
	if (!ret)
		ret = ft_hist_backend_choose(s->tfs, &sp, &b);
	if (!ret)
		ret = b == FT_BACKEND_BPF ? new_bpf(&sp, s, out) : new_hist(&sp, s, out);
	ft_hist_spec_store_free(store);
	if (ret == -ENOMEM)
		ft_err("out of memory");
	return ret;
}
