// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which backend counts a histogram: the names --backend takes, the event a command reads
 * once, and the choice between a kernel hist trigger and a BPF aggregation, with the reasons
 * a person can act on when neither fits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evhint.h"
#include "format.h"
#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "tfs.h"
#include "triggers/apply.h"

static const char *const backend_names[] = { "auto", "hist", "bpf", "both" };

/**
 * ft_backend_lookup() - a --backend name
 * @name: "auto", "hist", "bpf" or "both"; NULL is "auto"
 *
 * Return: the enum ft_backend, or -EINVAL.
 */
int ft_backend_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(backend_names) / sizeof(backend_names[0]); i++)
		if (!name || !strcmp(name, backend_names[i]))
			return name ? (int)i : FT_BACKEND_AUTO;
	return -EINVAL;
}

/**
 * ft_backend_name() - what --backend calls a backend
 * @b: the backend
 *
 * Return: "auto", "hist", "bpf" or "both" (static).
 */
const char *ft_backend_name(enum ft_backend b)
{
	return backend_names[b];
}

/**
 * ft_histsvc_init() - a service on tracefs, with the kernel's hist-trigger and BPF backends
 * @svc: the service, filled in
 * @t: tracefs; must outlive the service
 * @l: the ledger new objects are journaled in, or NULL when nothing is created
 * @s: the session of `top` (its private instance), or NULL
 */
void ft_histsvc_init(struct ft_histsvc *svc, struct ft_tfs *t, struct ft_ledger *l,
		     struct ft_session *s)
{
	*svc = (struct ft_histsvc){ t, l, s, ft_histsvc_hist_kernel(), ft_histsvc_bpf_kernel() };
}

/**
 * ft_histsvc_event_get() - the event's trigger context, read at the first call
 * @svc: the service
 * @ev: the command's event; later calls return what the first one read
 * @instance: instance, NULL or "" for the top level
 * @system: event system
 * @event: event name
 *
 * Return: the context, or NULL when the event cannot be read (ft_trig_ctx_open() said why).
 */
struct ft_trig_ctx *ft_histsvc_event_get(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
					 const char *instance, const char *system,
					 const char *event)
{
	char name[260];

	if (!ev->state) {
		snprintf(name, sizeof(name), "%s:%s", system, event);
		ev->state = svc->hist->open(&ev->ctx, svc->tfs, instance, name) ? -1 : 1;
		ev->hist = svc->hist;
	}
	return ev->state > 0 ? &ev->ctx : NULL;
}

/**
 * ft_histsvc_event_format() - the format of the command's event, if it has been read
 * @ev: the command's event
 *
 * Both backends take it, so that the event's format file is read and parsed once per
 * command whatever they check and create.
 *
 * Return: the format (the event's; valid until ft_histsvc_event_release()), or NULL when
 * it has not been read or could not be.
 */
struct ft_event_format *ft_histsvc_event_format(const struct ft_histsvc_event *ev)
{
	return ev->state > 0 ? ev->ctx.fmt : ev->fmt;
}

/**
 * ft_histsvc_event_end() - the context of a latency's end event, read at the first call
 * @svc: the service
 * @ev: the command's events; later calls return what the first one read
 * @spec: the request, with its end event
 *
 * Return: the context, or NULL when the end event cannot be read (said why).
 */
struct ft_trig_ctx *ft_histsvc_event_end(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
					 const struct ft_hist_spec *spec)
{
	char name[260];

	if (!ev->end_state) {
		snprintf(name, sizeof(name), "%s:%s", spec->end_system, spec->end_event);
		ev->end_state = svc->hist->open(&ev->end, svc->tfs, spec->instance, name) ? -1 : 1;
		ev->hist = svc->hist;
	}
	return ev->end_state > 0 ? &ev->end : NULL;
}

/**
 * ft_histsvc_event_end_format() - the format of a latency's end event, if it has been read
 * @ev: the command's events
 *
 * Return: the format (valid until ft_histsvc_event_release()), or NULL.
 */
struct ft_event_format *ft_histsvc_event_end_format(const struct ft_histsvc_event *ev)
{
	return ev->end_state > 0 ? ev->end.fmt : NULL;
}

/**
 * ft_histsvc_event_release() - free what ft_histsvc_event_get() and _end() read
 * @ev: the event; read again at its next use
 */
void ft_histsvc_event_release(struct ft_histsvc_event *ev)
{
	if (ev->state > 0)
		ev->hist->close(&ev->ctx);
	if (ev->end_state > 0)
		ev->hist->close(&ev->end);
	ev->state = ev->end_state = 0;
	ft_format_free(ev->fmt);
	ev->fmt = NULL;
}

/* Whether the hist-trigger side can count @spec here; @why says why not. */
static bool hist_can(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		     const struct ft_hist_spec *spec, bool *kernel_has, char *why, size_t size)
{
	struct ft_trig_ctx *c, *end = NULL;
	char words[300];
	bool ok;

	*kernel_has = false;
	if (spec->nmore) {
		*kernel_has = true;
		snprintf(why, size,
			 "a hist trigger counts one event; %zu events in one table need BPF "
			 "(--backend bpf; '--key event' counts each under its name), or one hist "
			 "trigger per event ('hist start' each)",
			 spec->nmore + 1);
		return false;
	}
	c = ft_histsvc_event_get(svc, ev, spec->instance, spec->system, spec->event);
	if (!c) {
		snprintf(why, size, "no event %s:%s", spec->system, spec->event);
		return false;
	}
	snprintf(words, sizeof(words), " %s ", c->available);
	*kernel_has = !c->available[0] || strstr(words, " hist ") != NULL;
	ok = *kernel_has;
	if (!ok)
		snprintf(why, size,
			 "this kernel has no hist triggers (CONFIG_HIST_TRIGGERS is off)");
	/* 'event' names the event a BPF aggregation of several counted (FIG-2): a hist
	 * trigger counts one, and has no such key. */
	for (size_t i = 0; ok && i < spec->nkeys; i++)
		if ((!strcmp(spec->keys[i].field, "event") &&
		     !(c->fmt && ft_format_field(c->fmt, "event"))) ||
		    !strcmp(spec->keys[i].field, "common_event")) {
			ok = false;
			snprintf(why, size,
				 "'--key event' names the event of each count, and a hist trigger "
				 "counts one event (every row would be %s); BPF counts several "
				 "events, each under its name",
				 c->name);
		}
	if (ok && spec->end_event && !(end = ft_histsvc_event_end(svc, ev, spec))) {
		snprintf(why, size, "no event %s:%s", spec->end_system, spec->end_event);
		return false;
	}
	return ok && svc->hist->check(c, end, spec, why, size) == 0;
}

/* Whether the BPF backend can count @spec here; @why says why not. */
static bool bpf_can(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		    const struct ft_hist_spec *spec, char *why, size_t size)
{
	struct ft_hist_spec *first;
	bool ok;

	if (!svc->bpf->usable(why, size))
		return false;
	if (!spec->nmore)
		return svc->bpf->check(svc->tfs, spec, ft_histsvc_event_format(ev),
				       ft_histsvc_event_end_format(ev), why, size) == 0;
	/* The further events are checked where they are attached, with their formats read
	 * once: reading hundreds twice would double the time to attach. */
	first = malloc(sizeof(*first));
	if (!first)
		return snprintf(why, size, "out of memory"), false;
	*first = *spec;
	first->nmore = 0;
	ok = svc->bpf->check(svc->tfs, first, NULL, NULL, why, size) == 0;
	free(first);
	return ok;
}

/*
 * --backend bpf for one event: whether BPF counts @spec, with the event's format read alone.
 * The trigger side is asked nothing (its files are read only to explain a refusal: false
 * sends the caller the usual way, which says why).
 */
static bool bpf_alone(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		      const struct ft_hist_spec *spec, char *why, size_t size)
{
	if (spec->end_event || spec->nmore || ev->state || ev->fmt ||
	    ft_tfs_event_format(svc->tfs, spec->instance, spec->system, spec->event, &ev->fmt))
		return false;
	return bpf_can(svc, ev, spec, why, size);
}

/* One cause, one message (CMD-12): no backend is asked about an event that is not. */
static int event_exists(struct ft_tfs *t, const struct ft_hist_spec *spec)
{
	char rel[300], hint[600];

	snprintf(rel, sizeof(rel), "events/%s/%s/format", spec->system, spec->event);
	if (ft_tfs_exists(t, spec->instance, rel))
		return 0;
	snprintf(rel, sizeof(rel), "%s:%s", spec->system, spec->event);
	ft_err("no event %s%s", rel,
	       *ft_event_hint(t, rel, hint, sizeof(hint)) ? hint
							  : "; 'ftrig list events' shows them");
	return -ENOENT;
}

/*
 * The choice for @want. @live: the live view's own table, for which auto prefers BPF where
 * BPF can count the spec: its two tables take turns each refresh, so the view never goes
 * blind on a busy machine, while a hist trigger keeps every key until it is full and cannot be
 * emptied without losing or counting twice the events of the gap (#16, TOP-1). Elsewhere auto
 * prefers hist triggers, which other tools see and which outlive nothing of ftrig's.
 */
static int choose(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		  const struct ft_hist_spec *spec, enum ft_backend want, bool live,
		  enum ft_backend *out)
{
	const char *b = ft_backend_name(want);
	char hwhy[300] = "", bwhy[600] = "";
	bool kernel_hist, hist, want_hist, want_bpf, bpf;

	if (event_exists(svc->tfs, spec))
		return -ENOENT;
	if (want == FT_BACKEND_BPF && bpf_alone(svc, ev, spec, bwhy, sizeof(bwhy))) {
		*out = FT_BACKEND_BPF;
		return 0;
	}
	hist = hist_can(svc, ev, spec, &kernel_hist, hwhy, sizeof(hwhy));
	want_hist = want == FT_BACKEND_HIST || want == FT_BACKEND_BOTH;
	want_bpf = want == FT_BACKEND_BPF || want == FT_BACKEND_BOTH;
	bpf = (want_bpf || !hist || !kernel_hist || (live && want == FT_BACKEND_AUTO)) &&
	      bpf_can(svc, ev, spec, bwhy, sizeof(bwhy));

	/* BPF is advised only where it can count it (CMD-5). */
	if (want_hist && !hist) {
		ft_err("--backend %s: %s:%s cannot be counted with hist triggers: %s%s%s", b,
		       spec->system, spec->event, hwhy,
		       kernel_hist ? ""
		       : bpf	   ? "; use '--backend bpf' to count it with BPF"
				   : "; nor with BPF: ",
		       kernel_hist || bpf ? "" : bwhy);
		return -ENOTSUP;
	}
	if (want_bpf && !bpf) {
		ft_err("--backend %s: %s:%s cannot be counted with BPF: %s%s", b, spec->system,
		       spec->event, bwhy, hist ? "; '--backend hist' can count it" : "");
		return -ENOTSUP;
	}
	if (!want_hist && !want_bpf && !hist && !bpf) {
		ft_err("%s:%s cannot be counted here: hist triggers: %s; BPF: %s", spec->system,
		       spec->event, hwhy, bwhy);
		return -ENOTSUP;
	}
	if (want == FT_BACKEND_BOTH)
		*out = FT_BACKEND_BOTH;
	else if (want_bpf || !hist || (live && !want_hist && bpf))
		*out = FT_BACKEND_BPF;
	else
		*out = FT_BACKEND_HIST;
	/* Said where hist triggers cannot count it, not where the live view prefers BPF. */
	if (!want_bpf && *out == FT_BACKEND_BPF && (!live || !hist))
		ft_info("counting %s:%s with BPF: %s", spec->system,
			spec->title ? spec->title : spec->event, hwhy);
	return 0;
}

/**
 * ft_histsvc_choose() - which backend counts @spec on this kernel
 * @svc: the service
 * @ev: the event @spec counts, read once for the command (ft_histsvc_event_get())
 * @spec: the request
 * @want: what --backend asked for
 * @out: set to FT_BACKEND_HIST, FT_BACKEND_BPF or FT_BACKEND_BOTH
 *
 * auto takes hist triggers where the kernel has them and the spec fits one, BPF otherwise,
 * and says which it chose when it had to fall back. An explicit choice that cannot work says
 * why, and what the other backend could do.
 *
 * Return: 0, -ENOENT (no such event), or -ENOTSUP after logging why.
 */
int ft_histsvc_choose(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
		      const struct ft_hist_spec *spec, enum ft_backend want, enum ft_backend *out)
{
	return choose(svc, ev, spec, want, false, out);
}

/**
 * ft_histsvc_choose_live() - which backend counts @spec for the live view's own table
 * @svc: the service
 * @ev: the event @spec counts, read once for the command (ft_histsvc_event_get())
 * @spec: the request
 * @want: what --backend asked for
 * @out: set to FT_BACKEND_HIST or FT_BACKEND_BPF
 *
 * As ft_histsvc_choose(), except that auto takes BPF where BPF can count @spec and hist
 * triggers only where it cannot: BPF's per-interval tables never fill, a hist trigger's do.
 *
 * Return: 0, -ENOENT (no such event), or -ENOTSUP after logging why.
 */
int ft_histsvc_choose_live(struct ft_histsvc *svc, struct ft_histsvc_event *ev,
			   const struct ft_hist_spec *spec, enum ft_backend want,
			   enum ft_backend *out)
{
	return choose(svc, ev, spec, want, true, out);
}
