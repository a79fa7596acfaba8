// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watching a histogram that exists, whoever made it (`top --attach`): read only, never
 * cleared, paused or removed. Which one is never guessed: beside other sessions an event may
 * carry several (another session's pinned BPF aggregation, somebody's hist trigger), and
 * watching the first found would show a stranger's table under the user's command. One
 * candidate is watched; several are refused, each named, with how to pick one (--name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "journal.h"
#include "ledger.h"
#include "log.h"
#include "source.h"
#include "triggers/apply.h"

/* The hists on the event that --attach (with its --name) could mean. */
struct cands {
	char event[260];
	char **bpf; /* pinned aggregations' names */
	size_t nb;
	struct ft_listed *v; /* the event's triggers, of which nh are hists of the name */
	size_t n, nh;
	char synth[128]; /* the latency the event takes part in, when nh counts it */
	bool latency;
};

static void cands_free(struct ft_histsvc *svc, struct cands *c)
{
	svc->bpf->list_free(c->bpf);
	if (c->v)
		svc->hist->list_free(c->v, c->n);
}

/*
 * The candidates: pinned aggregations (top level only: BPF knows no instances), and either
 * the latency the event starts, ends or counts (its start and end triggers are its plumbing,
 * not hists of their own) or the event's hist triggers. A kernel without hist triggers has
 * none of the latter.
 */
static int cands_find(struct ft_histsvc *svc, const struct ft_hist_spec *spec, struct cands *c)
{
	int ret = 0;

	snprintf(c->event, sizeof(c->event), "%s:%s", spec->system, spec->event);
	if (!spec->instance || !*spec->instance)
		ret = svc->bpf->find(spec->system, spec->event, spec->name, &c->bpf, &c->nb);
	if (ret)
		return ret;
	if (!svc->hist->latency_find(svc->tfs, spec->instance, c->event, spec->name, c->synth,
				     sizeof(c->synth))) {
		c->latency = true;
		c->nh = 1;
		return 0;
	}
	if (svc->hist->list(svc->tfs, spec->instance, c->event, &c->v, &c->n)) {
		c->v = NULL;
		c->n = 0;
	}
	for (size_t i = 0; i < c->n; i++)
		c->nh += svc->hist->is_hist(c->v[i].text, spec->name);
	return 0;
}

/* Who made the pin @name, as the journals of this state dir say (else unknown). */
static void pin_owner(const struct ft_session_info *s, size_t ns, const char *name, char *buf,
		      size_t size)
{
	snprintf(buf, size, "owner unknown: no journal of this state dir holds it");
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].journal.nobjs; k++) {
			const struct ft_obj *o = &s[i].journal.objs[k];
			const char *base = strrchr(o->text, '/');

			if (o->kind != FT_OBJ_BPF || strcmp(base ? base + 1 : o->text, name))
				continue;
			if (s[i].journal.pid)
				snprintf(buf, size, "ftrig session %u", (unsigned)s[i].journal.pid);
			else
				snprintf(buf, size, "ftrig, persistent (hist start)");
			return;
		}
}

/* Who made the hist trigger @e, as its listing says. */
static void trig_owner(const struct ft_listed *e, char *buf, size_t size)
{
	if (!e->ours)
		snprintf(buf, size, "not ftrig's");
	else if (e->pid)
		snprintf(buf, size, "ftrig session %d", e->pid);
	else
		snprintf(buf, size, "ftrig, persistent (hist start)");
}

/* The name= of hist trigger @text, or "" (NAME holds it). */
static void trig_name(const char *text, char *buf, size_t size)
{
	const char *at = strstr(text, ":name=");

	*buf = 0;
	if (at)
		snprintf(buf, size, "%.*s", (int)strcspn(at + 6, ": "), at + 6);
}

/* Each candidate of @c on a line of @f. */
static void cands_print(struct ft_histsvc *svc, const struct ft_hist_spec *spec,
			const struct cands *c, FILE *f)
{
	struct ft_session_info *s = NULL;
	char who[128], name[128];
	size_t ns = 0;

	if (c->nb && ft_ledger_scan(ft_ledger_state_dir(), &s, &ns))
		s = NULL, ns = 0;
	for (size_t i = 0; i < c->nb; i++) {
		pin_owner(s, ns, c->bpf[i], who, sizeof(who));
		fprintf(f, "\n  pinned BPF aggregation, name %s (%s)", c->bpf[i], who);
	}
	ft_ledger_scan_free(s, ns);
	if (c->latency)
		fprintf(f, "\n  latency on hist triggers, name %s (synthetic:%s)", c->synth,
			c->synth);
	for (size_t i = 0; !c->latency && i < c->n; i++) {
		if (!svc->hist->is_hist(c->v[i].text, spec->name))
			continue;
		trig_name(c->v[i].text, name, sizeof(name));
		trig_owner(&c->v[i], who, sizeof(who));
		fprintf(f, "\n  hist trigger, %s%s (%s): %s", *name ? "name " : "no name", name,
			who, c->v[i].text);
	}
}

/* Several candidates: which they are, and how to pick one. */
static int refuse(struct ft_histsvc *svc, const struct ft_hist_spec *spec, const struct cands *c)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&msg, &len);

	if (!f)
		return -ENOMEM;
	fprintf(f, "--attach %s%s%s%s: %zu hists to watch, not one:", c->event,
		spec->name ? " --name " : "", spec->name ? spec->name : "",
		spec->instance && *spec->instance ? " (in its instance)" : "", c->nb + c->nh);
	cands_print(svc, spec, c, f);
	fprintf(f, "\nsay which with --name NAME%s",
		spec->name ? " (a name both have: remove "
			     "or rename one)"
			   : "");
	if (fclose(f)) {
		free(msg);
		return -ENOMEM;
	}
	ft_err("%s", msg);
	free(msg);
	return -ENOTUNIQ;
}

/* Whether any pinned aggregation, of whatever name, counts @spec's event. */
static bool has_aggs(struct ft_histsvc *svc, const struct ft_hist_spec *spec)
{
	char **all = NULL;
	size_t n = 0;

	if ((spec->instance && *spec->instance) ||
	    svc->bpf->find(spec->system, spec->event, NULL, &all, &n))
		n = 0;
	svc->bpf->list_free(all);
	return n > 0;
}

/*
 * Whether --name @spec->name is a misspelling rather than a hist still to come: the event
 * has hists (hist triggers or pinned aggregations), none of that name. Then it is said as
 * the control verbs say it, with the names that come close, on every kernel; not as "no hist
 * trigger with that name" from the first refresh on a kernel with hist triggers only.
 */
static bool misnamed(struct ft_histsvc *svc, const struct ft_hist_spec *spec, const struct cands *c)
{
	if (!spec->name || c->latency || c->nb || c->nh)
		return false;
	for (size_t i = 0; i < c->n; i++)
		if (svc->hist->is_hist(c->v[i].text, NULL))
			return true;
	return has_aggs(svc, spec);
}

/* The one candidate when it is a pinned aggregation. */
static int attach_bpf(struct ft_histsvc *svc, const char *name, struct ft_source **out)
{
	struct ft_bpf_agg *a = NULL;
	int ret = svc->bpf->open(name, &a);

	if (ret)
		return ret;
	*out = svc->bpf->source(a);
	if (!*out)
		svc->bpf->destroy(a);
	return *out ? 0 : -ENOMEM;
}

/**
 * ft_histsvc_attach() - a source watching the one histogram of an event that exists
 * @svc: the service
 * @spec: which: only the event, @spec->instance and @spec->name (the hist's name: a pinned
 *        aggregation's, a hist trigger's name=, a latency's synthetic event)
 * @out: set to the source; free it with ft_source_destroy()
 *
 * The candidates are the event's pinned BPF aggregations and its hist triggers (a latency's
 * synthetic event's hist, found by its start or end event too), of @spec->name when given.
 * Exactly one is watched, read only: never cleared, paused or removed. Several are refused,
 * each named with its owner, rather than one taken: another session's table is not the
 * user's. None: the event's hist source, which says why there is nothing.
 *
 * Return: 0, -ENOTUNIQ when there are several (a usage error: --name picks), or -errno; the
 * cause has been logged.
 */
int ft_histsvc_attach(struct ft_histsvc *svc, const struct ft_hist_spec *spec,
		      struct ft_source **out)
{
	struct cands c = { .nb = 0 };
	int ret;

	*out = NULL;
	ret = cands_find(svc, spec, &c);
	if (!ret && c.nb + c.nh > 1)
		ret = refuse(svc, spec, &c);
	else if (!ret && c.nb) {
		ret = attach_bpf(svc, c.bpf[0], out);
		if (ret == -ENOENT) /* unpinned since it was listed (another session's hist rm) */
			ft_err("%s: the BPF aggregation '%s' was removed as it was being opened; "
			       "'ftrig trigger ls %s' lists what is left",
			       c.event, c.bpf[0], c.event);
		else if (ret)
			ft_err("%s: cannot open the BPF aggregation '%s': %s", c.event, c.bpf[0],
			       strerror(-ret));
	}
	if (!ret && !*out && misnamed(svc, spec, &c)) {
		ft_histsvc_no_such_name(svc, spec->instance, spec->system, spec->event, spec->name,
					c.v, c.n);
		ret = -ENOENT;
	}
	cands_free(svc, &c);
	if (ret || *out)
		return ret;
	ret = ft_histsvc_event_check(svc->tfs, spec->instance, spec->system, spec->event, false);
	if (ret)
		return ret;
	if (c.latency)
		*out = svc->hist->source(svc->tfs, spec->instance, "synthetic", c.synth,
					 spec->name);
	else
		*out = svc->hist->source(svc->tfs, spec->instance, spec->system, spec->event,
					 spec->name);
	return *out ? 0 : -ENOMEM;
}
