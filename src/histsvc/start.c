// SPDX-License-Identifier: GPL-2.0-only
/*
 * hist start: a histogram that outlives the command. A hist trigger is written through the
 * grammar model and journaled in the persistent ledger; a BPF aggregation is pinned and
 * journaled the same way; `--backend both` makes both, to cross-check them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "dryrun.h"
#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "names.h"
#include "triggers/apply.h"
#include "writes.h"

/* The name a BPF aggregation is pinned under: --name, else SYSTEM-EVENT; -ENAMETOOLONG. */
static int bpf_name(const struct ft_hist_spec *spec, char *buf, size_t size)
{
	int n = spec->name ? snprintf(buf, size, "%s", spec->name)
			   : snprintf(buf, size, "%s-%s", spec->system, spec->event);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* A pinned, journaled BPF aggregation: it outlives the command like a hist trigger. */
static int bpf_start(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		     const struct ft_hist_spec *spec, bool kernel_hist, struct ft_writes *dry,
		     FILE *out)
{
	const struct ft_histsvc_bpf *bpf = svc->bpf;
	struct ft_bpf_agg *a;
	char name[512], dir[1024], why[512];
	int ret;

	/* Checked whole before anything is loaded or pinned: never cut short (H31). */
	if (bpf_name(spec, name, sizeof(name)) || ft_name_agg(name, why, sizeof(why))) {
		ft_err("cannot name a BPF aggregation so: %s",
		       spec->name ? why : "SYSTEM-EVENT is too long; give a --name");
		return -EINVAL;
	}
	ret = bpf->pin_dir(name, dir, sizeof(dir));
	if (ret)
		return ret;
	if (dry) {
		char what[600];

		snprintf(what, sizeof(what), "the BPF aggregator on %s:%s%s", spec->system,
			 spec->event, spec->nmore ? " and more events" : "");
		return ft_writes_add(dry, FT_WRITE_BPF_PIN, dir, what);
	}
	ret = bpf->create(svc->tfs, spec, ft_histsvc_event_format(ev),
			  ft_histsvc_event_end_format(ev), kernel_hist, &a);
	if (ret)
		return ret;
	ret = bpf->pin(a, svc->ledger, name);
	if (ret == -EEXIST)
		ft_err("give this one another --name, or remove the old one with 'ftrig hist rm "
		       "%s:%s --name %s'",
		       spec->system, spec->event, name);
	else if (!ret && spec->nmore)
		fprintf(out, "counting %s:%s (%u events) with BPF as '%s' (%s)\n", spec->system,
			spec->title ? spec->title : spec->event, bpf->plan(a)->nevents, name,
			bpf->plan(a)->trigger);
	else if (!ret)
		fprintf(out, "counting %s:%s with BPF as '%s' (%s)\n", spec->system, spec->event,
			name, bpf->plan(a)->trigger);
	bpf->destroy(a);
	return ret;
}

static int hist_trigger_start(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
			      const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out)
{
	struct ft_trig_ctx *c =
		ft_histsvc_event_get(svc, ev, spec->instance, spec->system, spec->event);
	struct ft_trig_ctx *end = spec->end_event ? ft_histsvc_event_end(svc, ev, spec) : NULL;

	if (!c || (spec->end_event && !end))
		return -ENOENT;
	return svc->hist->start(c, end, svc->ledger, spec, dry, out);
}

/**
 * ft_histsvc_start() - start a histogram that outlives the command
 * @svc: the service; new objects are journaled in its ledger (none for a dry run)
 * @spec: what to count (ft_hist_spec_parse()); its events may be globs
 * @want: what --backend asked for
 * @dry: for a dry run, where the writes go instead (nothing is changed); else NULL
 * @out: where to say what was done
 *
 * A hist trigger, a pinned BPF aggregation, or both (to cross-check them: `hist show` then
 * compares their counts), as ft_histsvc_choose() decides. The event is read once, for the
 * checks and writes of both backends alike.
 *
 * Return: 0, or -errno after logging why (-ENOTSUP: no backend for it here).
 */
int ft_histsvc_start(struct ft_histsvc *svc, const struct ft_hist_spec *spec, enum ft_backend want,
		     struct ft_writes *dry, FILE *out)
{
	struct ft_histsvc_event ev = { .state = 0 };
	struct ft_hist_spec *all = malloc(sizeof(*all));
	struct ft_hist_store *store = NULL;
	int ret = all ? ft_hist_spec_expand(svc->tfs, spec, all, &store) : -ENOMEM;
	enum ft_backend b;

	if (!ret)
		ret = ft_histsvc_choose(svc, &ev, all, want, &b);
	if (!ret && b != FT_BACKEND_BPF)
		ret = hist_trigger_start(svc, &ev, all, dry, out);
	if (!ret && b != FT_BACKEND_HIST)
		ret = bpf_start(svc, &ev, all, b == FT_BACKEND_BOTH, dry, out);
	ft_histsvc_event_release(&ev);
	ft_hist_spec_store_free(store);
	free(all);
	return ret;
}
