// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF backend's view of the events a request names: their formats read from tracefs,
 * and the plan made from the spec and checked against each (no libbpf needed: `--backend
 * auto` asks ft_bpf_spec_check() in any build).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "bpf/events.h"
#include "format.h"
#include "hist/spec.h"
#include "kfeat.h"
#include "tfs.h"

/* Where a probe's fields come from: BPF reads those fetched from registers (CMD-5). */
static void add_probe_def(struct ft_tfs *tfs, const char *sys, const char *ev,
			  struct ft_event_format *fmt)
{
	static const char *const lists[] = { "dynamic_events", "uprobe_events", "kprobe_events" };
	char *text;

	for (int i = 0; ft_bpf_is_probe_event(fmt) && !fmt->probe_def && i < 3; i++) {
		text = ft_tfs_read(tfs, NULL, lists[i], NULL);
		fmt->probe_def = text ? ft_bpf_probe_def(text, sys, ev) : NULL;
		free(text);
	}
}

/* An event's format; none (NULL) for a plain probe, which has no tracefs event. */
static int read_format(struct ft_tfs *tfs, const char *sys, const char *ev,
		       struct ft_event_format **fmt, char *err, size_t errsize)
{
	int ret;

	*fmt = NULL;
	if (!strcmp(sys, "kprobe") || !strcmp(sys, "kretprobe"))
		return 0;
	ret = ft_tfs_event_format(tfs, NULL, sys, ev, fmt);
	/* The parser fails only for memory; anything else is the read's. */
	if (ret && ret != -ENOMEM) {
		snprintf(err, errsize, "no event %s:%s in %s (%s)", sys, ev, ft_tfs_dir(tfs),
			 strerror(-ret));
		return ret;
	}
	if (ret)
		snprintf(err, errsize, "cannot parse the format of %s:%s: %s", sys, ev,
			 strerror(-ret));
	else
		add_probe_def(tfs, sys, ev, *fmt);
	return ret;
}

/* A copy of @f that owns its strings, or NULL. */
static struct ft_event_format *format_dup(const struct ft_event_format *f)
{
	struct ft_event_format *d = calloc(1, sizeof(*d));
	bool ok = d != NULL;

	if (ok) {
		d->id = f->id;
		d->system = strdup(f->system);
		d->name = strdup(f->name);
		d->probe_def = f->probe_def ? strdup(f->probe_def) : NULL;
		d->fields = f->nfields ? calloc(f->nfields, sizeof(*d->fields)) : NULL;
		ok = d->system && d->name && (!f->probe_def || d->probe_def) &&
		     (!f->nfields || d->fields);
	}
	for (size_t i = 0; ok && i < f->nfields; i++) {
		d->fields[i] = f->fields[i];
		d->fields[i].name = strdup(f->fields[i].name);
		d->fields[i].type = strdup(f->fields[i].type);
		d->nfields = i + 1;
		ok = d->fields[i].name && d->fields[i].type;
	}
	if (!ok)
		ft_format_free(d);
	return ok ? d : NULL;
}

/*
 * The format of @sys:@ev into @out: the one the command read already (@given, when it is
 * that event's: borrowed, and said so in @borrowed; copied when @copy), else read here.
 * Reading a format file waits for the kernel's event_mutex, which others' attaching and
 * detaching hold for up to a hundred milliseconds on a busy machine: once per command.
 */
static int given_format(struct ft_tfs *tfs, const char *sys, const char *ev,
			struct ft_event_format *given, bool copy, struct ft_event_format **out,
			bool *borrowed, char *err, size_t errsize)
{
	if (given && given->system && given->name && !strcmp(given->system, sys) &&
	    !strcmp(given->name, ev)) {
		add_probe_def(tfs, sys, ev, given);
		*out = copy ? format_dup(given) : given;
		*borrowed = !copy;
		return *out ? 0 : -ENOMEM;
	}
	return read_format(tfs, sys, ev, out, err, errsize);
}

/**
 * ft_bpf_formats_free() - free the formats of a request; they are zeroed
 * @f: the formats
 */
void ft_bpf_formats_free(struct ft_bpf_formats *f)
{
	for (size_t i = f->borrowed ? 1 : 0; i < f->n; i++)
		ft_format_free(f->a[i]);
	free(f->a);
	if (!f->borrowed_b)
		ft_format_free(f->b);
	*f = (struct ft_bpf_formats){ 0 };
}

/* An event known by name only (id -1, no fields), after checking that it exists. */
static int name_only(struct ft_tfs *tfs, const struct ft_hist_event *e,
		     struct ft_event_format **fmt, char *err, size_t errsize)
{
	if (!ft_tfs_event_exists(tfs, NULL, e->system, e->event, NULL)) {
		snprintf(err, errsize, "no event %s:%s in %s", e->system, e->event,
			 ft_tfs_dir(tfs));
		return -ENOENT;
	}
	*fmt = calloc(1, sizeof(**fmt));
	if (*fmt) {
		(*fmt)->system = strdup(e->system);
		(*fmt)->name = strdup(e->event);
		(*fmt)->id = -1;
	}
	return *fmt && (*fmt)->system && (*fmt)->name ? 0 : -ENOMEM;
}

/*
 * Whether @sys:@ev is a dynamic event (a probe, synthetic event or eprobe): its name may be
 * a kernel tracepoint's, which is not it. The list is read once, into *@dyn (freed by the
 * caller).
 */
static bool dynamic_event(struct ft_tfs *tfs, char **dyn, const char *sys, const char *ev)
{
	char pat[2 * FT_BPF_TEXT + 3];
	const char *at;
	size_t len;

	if (!strcmp(sys, "syscalls"))
		return false;
	if (!*dyn)
		*dyn = ft_tfs_read(tfs, NULL, "dynamic_events", NULL);
	if (!*dyn)
		return true; /* unknown: its format is read */
	len = (size_t)snprintf(pat, sizeof(pat), ":%s/%s", sys, ev);
	for (at = strstr(*dyn, pat); at; at = strstr(at + 1, pat))
		if (at[len] == ' ' || at[len] == '\n' || !at[len])
			return true;
	return false;
}

/*
 * Whether this kernel has hist triggers, for advice (CMD-5): the event's trigger file lists
 * them while it has no trigger, the README documents them while the kernel has them.
 */
static bool hist_here(struct ft_tfs *tfs, const char *sys, const char *ev)
{
	char rel[PATH_MAX], avail[256], *text;
	bool has = false;

	snprintf(rel, sizeof(rel), "events/%s/%s/trigger", sys, ev);
	text = ft_tfs_read(tfs, NULL, rel, NULL);
	if (text && !ft_parse_available_triggers(text, avail, sizeof(avail))) {
		snprintf(rel, sizeof(rel), " %s ", avail);
		has = strstr(rel, " hist ") != NULL;
	} else {
		free(text);
		text = ft_tfs_read(tfs, NULL, "README", NULL);
		has = text && strstr(text, "hist trigger");
	}
	free(text);
	return has;
}

/**
 * ft_bpf_plan_for() - the plan of @spec, checked against every event it names
 * @tfs: tracefs, where the formats are read
 * @spec: the request
 * @fmt: the format of @spec's event if the command read it already (it is used, not read
 *       again, and stays the caller's), or NULL
 * @end_fmt: likewise, the format of its latency's end event, or NULL
 * @plan: set to its plan
 * @raw: syscall events whose layout the raw gate knows are only checked to exist
 * @f: set to the events' formats, to free with ft_bpf_formats_free() (also on failure)
 * @err: set to what is wrong, for the user
 * @errsize: size of @err
 *
 * Return: 0 or -errno.
 */
int ft_bpf_plan_for(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		    struct ft_event_format *fmt, struct ft_event_format *end_fmt,
		    struct ft_bpf_plan *plan, bool raw, struct ft_bpf_formats *f, char *err,
		    size_t errsize)
{
	/* Whether this kernel has hist triggers changes only the advice of a refusal: asked when
	 * there is one (reading a trigger file waits for the kernel's event_mutex, which others'
	 * attaching and detaching hold for milliseconds at a time). */
	bool hist = false;
	char *dyn = NULL;
	int ret;

	*f = (struct ft_bpf_formats){ .a = calloc(spec->nmore + 1, sizeof(*f->a)) };
	if (!f->a)
		return -ENOMEM;
	/* Copied when there are more: fitting several may drop the first, and free it. */
	ret = given_format(tfs, spec->system, spec->event, fmt, spec->nmore > 0, &f->a[f->n++],
			   &f->borrowed, err, errsize);
	if (!ret && spec->end_event)
		ret = given_format(tfs, spec->end_system ? spec->end_system : spec->system,
				   spec->end_event, end_fmt, false, &f->b, &f->borrowed_b, err,
				   errsize);
	if (!ret) {
		ret = ft_bpf_plan_make(spec, f->a[0], f->b, hist, plan, err, errsize);
		if (ret && ret != -ENOMEM && (hist = hist_here(tfs, spec->system, spec->event)))
			ret = ft_bpf_plan_make(spec, f->a[0], f->b, hist, plan, err, errsize);
	}
	for (size_t i = 0; !ret && i < spec->nmore; i++) {
		const struct ft_hist_event *e = &spec->more[i];

		if (raw && ft_bpf_raw_layout_known(plan, f->a[0], e->system, e->event) &&
		    !dynamic_event(tfs, &dyn, e->system, e->event)) {
			ret = name_only(tfs, e, &f->a[f->n++], err, errsize);
			continue;
		}
		ret = read_format(tfs, e->system, e->event, &f->a[f->n++], err, errsize);
		if (!ret && !f->a[f->n - 1])
			ret = -EINVAL,
			snprintf(err, errsize, "plain probes cannot join an aggregation");
	}
	free(dyn);
	/* A plan is made again only when --skip-missing leaves the first event out. */
	if (!ret && f->n > 1)
		ret = ft_bpf_plan_fit_all(
			spec, spec->skip_missing && hist_here(tfs, spec->system, spec->event), plan,
			f->a, &f->n, f->b, err, errsize);
	if (!ret)
		plan->nevents = (uint32_t)f->n;
	return ret;
}

/**
 * ft_bpf_spec_check() - whether the BPF backend can count a spec here, without loading
 * @tfs: tracefs, where the events' formats are read
 * @spec: the request
 * @fmt: the format of @spec's event if the command read it already, or NULL
 * @end_fmt: likewise, the format of its latency's end event, or NULL
 * @plan: set to the plan when it can; may be NULL
 * @err: set to the reason when it cannot (what `--backend auto` weighs, and shows)
 * @errsize: size of @err
 *
 * Checks the events and the spec only; whether this kernel loads BPF at all is
 * ft_bpf_usable()'s question.
 *
 * Return: 0, -EOPNOTSUPP when ftrig was built without the backend, or -errno.
 */
int ft_bpf_spec_check(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		      struct ft_event_format *fmt, struct ft_event_format *end_fmt,
		      struct ft_bpf_plan *plan, char *err, size_t errsize)
{
	struct ft_bpf_plan own;
	struct ft_bpf_formats f;
	int ret;

	if (!HAVE_BPF_OBJECTS) {
		snprintf(err, errsize, "this ftrig was built without the BPF backend");
		return -EOPNOTSUPP;
	}
	ret = ft_bpf_plan_for(tfs, spec, fmt, end_fmt, plan ? plan : &own, false, &f, err, errsize);
	ft_bpf_formats_free(&f);
	return ret;
}
