// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live sources, what `ftrig top` watches: a spec and a backend choice in, a struct ft_source
 * out. New hists (hist trigger or BPF) are created in the session, so that the session's end
 * removes them; watching an existing one (--attach) is attach.c.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "session.h"
#include "source.h"

/*
 * A hist trigger of the session, in its private instance: the session's end removes it. The
 * event is read again there, where the trigger goes.
 */
static int new_hist(struct ft_histsvc *svc, struct ft_hist_spec *sp, enum ft_backend want,
		    struct ft_source **out)
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
	if (!sp->instance && !(sp->instance = ft_session_instance(svc->session))) {
		if (quiet)
			fclose(quiet);
		return -errno;
	}
	ret = quiet ? ft_histsvc_start(svc, sp, want, NULL, quiet) : -errno;
	if (quiet)
		fclose(quiet);
	if (ret)
		return ret;
	*out = sp->end_event
		       ? svc->hist->source(svc->tfs, sp->instance, "synthetic", sp->name, sp->name)
		       : svc->hist->source(svc->tfs, sp->instance, sp->system, sp->event, sp->name);
	if (sp->name == lat)
		sp->name = NULL;
	return *out ? 0 : -ENOMEM;
}

/*
 * A BPF aggregation of this process, not pinned: it goes when the source is destroyed. Its
 * two tables take turns, one per refresh, so that a busy machine's stream of new processes
 * never fills it (TOP-1).
 */
static int new_bpf(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		   const struct ft_hist_spec *spec, struct ft_source **out)
{
	struct ft_hist_spec sp = *spec;
	struct ft_bpf_agg *a;
	int ret;

	sp.rotate = true;
	ret = svc->bpf->create(svc->tfs, &sp, ft_histsvc_event_format(ev),
			       ft_histsvc_event_end_format(ev), false, &a);
	if (ret)
		return ret;
	*out = svc->bpf->source(a);
	if (!*out) {
		svc->bpf->destroy(a);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ft_histsvc_source() - a new histogram, watched live, gone with the session
 * @svc: the service of a session (@svc->session): tracefs, the ledger new kernel objects
 *       are journaled in, the private instance new hist triggers go into
 * @spec: what to count; its events may be globs (one table counts them all: BPF's)
 * @want: what --backend asked for: auto, hist or bpf
 * @out: set to the source; free it with ft_source_destroy() before ft_session_end()
 *
 * A hist trigger in the session's instance (journaled in the session's ledger, so the
 * session's end removes it) or an unpinned BPF aggregation (gone with the source), as
 * ft_histsvc_choose_live() decides for @want.
 *
 * Return: 0 or -errno; the cause has been logged.
 */
int ft_histsvc_source(struct ft_histsvc *svc, const struct ft_hist_spec *spec, enum ft_backend want,
		      struct ft_source **out)
{
	struct ft_histsvc_event ev = { .state = 0 };
	struct ft_hist_store *store = NULL;
	struct ft_hist_spec sp;
	enum ft_backend b;
	int ret;

	*out = NULL;
	ret = ft_hist_spec_expand(svc->tfs, spec, &sp, &store);
	if (!ret)
		ret = ft_histsvc_choose_live(svc, &ev, &sp, want, &b);
	if (!ret && b == FT_BACKEND_BPF)
		ret = new_bpf(svc, &ev, &sp, out);
	ft_histsvc_event_release(&ev);
	if (!ret && b != FT_BACKEND_BPF)
		ret = new_hist(svc, &sp, want, out);
	ft_hist_spec_store_free(store);
	if (ret == -ENOMEM)
		ft_err("out of memory");
	return ret;
}
