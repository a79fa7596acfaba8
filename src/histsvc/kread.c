// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hist-trigger backend's reading side: an event's hist file, read through tfs.c and
 * parsed into struct ft_hist, and the ft_source the live view and the dumps read it through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "histsvc/histsvc.h"
#include "hist/hist.h"
#include "kfeat.h"
#include "hist/parse.h"
#include "log.h"
#include "source.h"
#include "evhint.h"
#include "tfs.h"

/**
 * ft_hist_apply_format() - take what the event's format says about the hist's key fields
 * @h: the hist
 * @fmt: the event's format, may be NULL
 *
 * The kernel prints every number unsigned; a key on a signed field (a syscall's ret) is marked
 * signed so that it is shown as the negative number it is.
 */
void ft_hist_apply_format(struct ft_hist *h, const struct ft_event_format *fmt)
{
	for (size_t i = 0; fmt && i < h->nkeys; i++) {
		const struct ft_field *f = ft_format_field(fmt, h->keys[i].name);

		if (f && h->keys[i].kind == FT_KEY_NUM)
			h->keys[i].is_signed = f->is_signed;
	}
}

static struct ft_event_format *read_format(struct ft_tfs *t, const char *inst, const char *sys,
					   const char *ev)
{
	struct ft_event_format *fmt = NULL;
	char *text;

	text = ft_tfs_event_read(t, inst, sys, ev, "format", NULL);
	if (text && ft_format_parse(sys, text, &fmt))
		fmt = NULL;
	free(text);
	return fmt;
}

/**
 * ft_histsvc_event_check() - whether an event can have kernel hists here; says why not
 * @t: tracefs
 * @instance: instance name, NULL or "" for the top level
 * @system: event system
 * @event: event name
 * @quiet_nohist: do not log a kernel without hist triggers (the caller has another source,
 *                a BPF aggregation, to fall back on)
 *
 * A kernel without CONFIG_HIST_TRIGGERS has no "hist" file in any event folder.
 *
 * Return: 0, -ENOENT (no such instance or event; logged) or -EOPNOTSUPP (no hist triggers).
 */
int ft_histsvc_event_check(struct ft_tfs *t, const char *instance, const char *system,
			   const char *event, bool quiet_nohist)
{
	if (instance && *instance && !ft_tfs_exists(t, instance, "events")) {
		ft_err("no instance '%s' under %s/instances", instance, ft_tfs_dir(t));
		return -ENOENT;
	}
	if (!ft_tfs_event_exists(t, instance, system, event, "format")) {
		char name[520], hint[512];

		snprintf(name, sizeof(name), "%s:%s", system, event);
		ft_event_hint(t, name, hint, sizeof(hint)); /* CMD-9 */
		ft_err("no event %s%s", name, *hint ? hint : "; 'ftrig list events' shows them");
		return -ENOENT;
	}
	if (ft_tfs_event_exists(t, instance, system, event, "hist"))
		return 0;
	if (!quiet_nohist)
		/* CMD-5: advice for the command at hand, not the feature's (--backend is no
		 * option of show or dump). */
		ft_err("this kernel has no hist triggers (CONFIG_HIST_TRIGGERS is off: no 'hist' "
		       "file in %s/events/%s/%s), and no BPF aggregation counts %s:%s; start one "
		       "with 'ftrig hist start %s:%s --key FIELD'",
		       ft_tfs_dir(t), system, event, system, event, system, event);
	return -EOPNOTSUPP;
}

/*
 * Read and parse the hist file, stamping each hist; @fmt gives signedness, or NULL to read the
 * event's format once for this call (the live view's source keeps its own, since the format
 * never changes while the event exists and parsing it is libtraceevent work every second).
 */
static int read_hists(struct ft_tfs *t, const char *instance, const char *system, const char *event,
		      struct ft_event_format **fmt, struct ft_hist ***out, size_t *n)
{
	char name[512];
	struct timespec now, mono;
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	*n = 0;
	text = ft_tfs_event_read(t, instance, system, event, "hist", &len);
	clock_gettime(CLOCK_REALTIME, &now);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	if (!text)
		return -errno;
	snprintf(name, sizeof(name), "%s:%s", system, event);
	ret = ft_hist_parse(text, len, name, instance, out, n);
	free(text);
	if (ret)
		return ret;
	if (*n && !*fmt)
		*fmt = read_format(t, instance, system, event);
	for (size_t i = 0; i < *n; i++) {
		(*out)[i]->taken = now;
		(*out)[i]->taken_mono = mono;
		ft_hist_apply_format((*out)[i], *fmt);
		for (size_t u = 0; u < (*out)[i]->nunknown; u++)
			ft_dbg("%s: hist line not understood: %s", name, (*out)[i]->unknown[u]);
	}
	return 0;
}

struct hist_source {
	struct ft_source src; /* first: the live view holds a struct ft_source * */
	struct ft_tfs *t;
	char *instance, *system, *event, *name;
	struct ft_event_format *fmt; /* read at the first snapshot, kept */
};

/* The hist named @name, or the first; the others are freed. */
static struct ft_hist *pick(struct ft_hist **v, size_t n, const char *name)
{
	struct ft_hist *h = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!h && (!name || !strcmp(v[i]->name, name)))
			h = v[i];
		else
			ft_hist_free(v[i]);
	}
	free(v);
	return h;
}

static int hist_snapshot(struct ft_source *src, struct ft_hist **out)
{
	struct hist_source *hs = (struct hist_source *)src;
	struct ft_hist **v;
	size_t n;
	int ret = read_hists(hs->t, hs->instance, hs->system, hs->event, &hs->fmt, &v, &n);

	if (ret)
		return ret;
	*out = pick(v, n, hs->name);
	return *out ? 0 : hs->name ? -ESRCH : -ENOENT;
}

static int hist_collect(struct ft_source *src, struct ft_hist ***out, size_t *n)
{
	struct hist_source *hs = (struct hist_source *)src;

	return read_hists(hs->t, hs->instance, hs->system, hs->event, &hs->fmt, out, n);
}

static void hist_destroy(struct ft_source *src)
{
	struct hist_source *hs = (struct hist_source *)src;

	free(hs->src.label);
	free(hs->instance);
	free(hs->system);
	free(hs->event);
	free(hs->name);
	ft_format_free(hs->fmt);
	free(hs);
}

static const struct ft_source_ops hist_ops = {
	.backend = "hist",
	.snapshot = hist_snapshot,
	.collect = hist_collect,
	.destroy = hist_destroy,
};

/**
 * ft_hist_source_alloc() - a source that snapshots one kernel hist trigger's table
 * @t: tracefs; must outlive the source
 * @instance: instance name, NULL or "" for the top level
 * @system: event system
 * @event: event name
 * @name: the hist's name= when the event has several hists, NULL for the first one listed
 *
 * Each ft_source_snapshot() reads the event's hist file anew (never clearing the table) and
 * returns the chosen hist: -ENOENT when the event has no hist file or no hist trigger, -ESRCH
 * when none has that name. ft_source_collect() returns every hist the file lists, whatever
 * their names.
 *
 * Return: the source (free with ft_source_destroy()), or NULL with errno set.
 */
struct ft_source *ft_hist_source_alloc(struct ft_tfs *t, const char *instance, const char *system,
				       const char *event, const char *name)
{
	struct hist_source *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return NULL;
	hs->src.ops = &hist_ops;
	hs->t = t;
	hs->instance = strdup(instance ? instance : "");
	hs->system = strdup(system);
	hs->event = strdup(event);
	hs->name = name ? strdup(name) : NULL;
	if (asprintf(&hs->src.label, "%s:%s%s%s%s%s (hist)", system, event, name ? " name=" : "",
		     name ? name : "", instance && *instance ? " instance=" : "",
		     instance ? instance : "") < 0)
		hs->src.label = NULL;
	if (!hs->instance || !hs->system || !hs->event || (name && !hs->name) || !hs->src.label) {
		hist_destroy(&hs->src);
		errno = ENOMEM;
		return NULL;
	}
	return &hs->src;
}
