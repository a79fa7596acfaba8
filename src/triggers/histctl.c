// SPDX-License-Identifier: GPL-2.0-only
/*
 * hist start / pause / cont / clear / rm. A started histogram is a hist trigger written
 * through the grammar model and journaled in the persistent ledger; the control verbs find
 * it again in the event's trigger file (by --name, or as the event's only hist trigger)
 * and write its listed form back with pause, cont or clear, which the kernel applies to the
 * hist trigger that matches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "dryrun.h"
#include "format.h"
#include "hist/spec.h"
#include "kfeat.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "evhint.h"
#include "triggers/histctl.h"
#include "triggers/latency.h"
#include "triggers/trigger.h"
#include "util.h"

/* Whether the hist-trigger side can count @spec here; @why says why not. */
static bool hist_can(struct ft_tfs *t, const struct ft_hist_spec *spec, bool *kernel_has, char *why,
		     size_t size)
{
	struct ft_trigger trig;
	struct ft_trig_ctx c;
	struct ft_trig_error err = { 0 };
	char event[260], words[300];
	bool ok;

	snprintf(event, sizeof(event), "%s:%s", spec->system, spec->event);
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
	if (ft_trig_ctx_open(&c, t, spec->instance, event)) {
		snprintf(why, size, "no event %s", event);
		return false;
	}
	snprintf(words, sizeof(words), " %s ", c.available);
	*kernel_has = !c.available[0] || strstr(words, " hist ") != NULL;
	ok = *kernel_has;
	if (!ok)
		snprintf(why, size,
			 "this kernel has no hist triggers (CONFIG_HIST_TRIGGERS is off)");
	/* 'event' names the event a BPF aggregation of several counted (FIG-2): a hist
	 * trigger counts one, and has no such key. */
	for (size_t i = 0; ok && i < spec->nkeys; i++)
		if (!strcmp(spec->keys[i].field, "event") &&
		    !(c.fmt && ft_format_field(c.fmt, "event"))) {
			ok = false;
			snprintf(why, size,
				 "'--key event' names the event of each count, and a hist trigger "
				 "counts one event (every row would be %s); BPF counts several "
				 "events, each under its name",
				 event);
		}
	if (ok && spec->end_event) {
		ok = ft_latency_can(t, spec, why, size);
	} else if (ok && ft_trigger_from_hist_spec(spec, &trig) == 0) {
		ok = ft_trigger_validate(&trig, &c.env, &err) == 0;
		if (!ok)
			snprintf(why, size, "%s", err.msg);
		ft_trigger_release(&trig);
	} else if (ok) {
		ok = false;
		snprintf(why, size, "it cannot be written as one hist trigger");
	}
	ft_trig_ctx_close(&c);
	return ok;
}

/* Whether the BPF backend can count @spec here; @why says why not. */
static bool bpf_can(struct ft_tfs *t, const struct ft_hist_spec *spec, char *why, size_t size)
{
	struct ft_hist_spec *first;
	bool ok;

	if (!ft_bpf_usable(why, size))
		return false;
	if (!spec->nmore)
		return ft_bpf_spec_check(t, spec, NULL, why, size) == 0;
	/* The further events are checked where they are attached, with their formats read
	 * once: reading hundreds twice would double the time to attach. */
	first = malloc(sizeof(*first));
	if (!first)
		return snprintf(why, size, "out of memory"), false;
	*first = *spec;
	first->nmore = 0;
	ok = ft_bpf_spec_check(t, first, NULL, why, size) == 0;
	free(first);
	return ok;
}

/**
 * ft_hist_backend_choose() - which backend counts @spec on this kernel
 * @t: tracefs
 * @spec: the request; @spec->backend is "auto" (or NULL), "hist", "bpf" or "both"
 * @out: set to the backend
 *
 * auto takes hist triggers where the kernel has them and the spec fits one, BPF otherwise,
 * and says which it chose when it had to fall back. An explicit choice that cannot work says
 * why, and what the other backend could do.
 *
 * Return: 0, -ENOENT (no such event), or -ENOTSUP after logging why.
 */
int ft_hist_backend_choose(struct ft_tfs *t, const struct ft_hist_spec *spec,
			   enum ft_hist_backend *out)
{
	const char *b = spec->backend ? spec->backend : "auto";
	char hwhy[300] = "", bwhy[600] = "";
	bool kernel_hist, hist, want_hist, want_bpf, bpf;

	/* One cause, one message (CMD-12): no backend is asked about an event that is not. */
	snprintf(hwhy, sizeof(hwhy), "events/%s/%s/format", spec->system, spec->event);
	if (!ft_tfs_exists(t, spec->instance, hwhy)) {
		snprintf(hwhy, sizeof(hwhy), "%s:%s", spec->system, spec->event);
		ft_err("no event %s%s", hwhy,
		       *ft_event_hint(t, hwhy, bwhy, sizeof(bwhy))
			       ? bwhy
			       : "; 'ftrig list events' shows them");
		return -ENOENT;
	}
	hwhy[0] = '\0';
	hist = hist_can(t, spec, &kernel_hist, hwhy, sizeof(hwhy));
	want_hist = !strcmp(b, "hist") || !strcmp(b, "both");
	want_bpf = !strcmp(b, "bpf") || !strcmp(b, "both");
	bpf = (want_bpf || !hist || !kernel_hist) && bpf_can(t, spec, bwhy, sizeof(bwhy));

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
	*out = !strcmp(b, "both")    ? FT_BACKEND_BOTH
	       : (want_bpf || !hist) ? FT_BACKEND_BPF
				     : FT_BACKEND_HIST;
	if (!want_bpf && *out == FT_BACKEND_BPF)
		ft_info("counting %s:%s with BPF: %s", spec->system,
			spec->title ? spec->title : spec->event, hwhy);
	return 0;
}

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool listed(const struct ft_hist_spec *s, const char *sys, const char *ev)
{
	if (s->system && !strcmp(s->system, sys) && !strcmp(s->event, ev))
		return true;
	for (size_t i = 0; i < s->nmore; i++)
		if (!strcmp(s->more[i].system, sys) && !strcmp(s->more[i].event, ev))
			return true;
	return false;
}

/* Append the events of @sys matching @glob to @out's events (the first becomes @out's own). */
static int expand_one(struct ft_tfs *t, const char *sys, const char *glob, struct ft_hist_spec *out,
		      char **names)
{
	size_t found = 0;
	int ret = 0;

	for (size_t i = 0; !ret && names && names[i]; i++) {
		if (!ft_glob_match(glob, names[i]))
			continue;
		found++;
		if (listed(out, sys, names[i]))
			continue;
		if (!out->system) {
			out->system = sys, out->event = names[i];
		} else if (out->nmore < FT_HIST_MAX_MORE) {
			out->more[out->nmore++] = (struct ft_hist_event){ sys, names[i] };
		} else {
			ft_err("%s:%s: more than %d events in one aggregation", sys, glob,
			       FT_HIST_MAX_MORE + 1);
			ret = -E2BIG;
		}
	}
	if (!ret && !found) {
		ft_err("no event matches %s:%s in %s; 'ftrig list events %s:*' lists them", sys,
		       glob, ft_tfs_dir(t), sys);
		ret = -ENOENT;
	}
	return ret;
}

/**
 * ft_hist_spec_expand() - a request with its event globs replaced by the events they match
 * @t: tracefs, where the events are listed
 * @in: the request; its event and further events may be globs ("syscalls:sys_enter_*")
 * @out: set to @in with every glob replaced by the matching events, in tracefs' order
 * @store: set to what @out's names point into: free with ft_hist_spec_store_free() after
 *         the last use of @out
 *
 * Return: 0, or -errno after logging why (-ENOENT: a glob matches nothing).
 */
int ft_hist_spec_expand(struct ft_tfs *t, const struct ft_hist_spec *in, struct ft_hist_spec *out,
			struct ft_hist_store **store)
{
	size_t n = in->nmore + 1;
	int ret = 0;

	*out = *in;
	out->system = out->event = NULL;
	out->nmore = 0;
	*store = calloc(1, sizeof(**store) + n * sizeof((*store)->lists[0]));
	if (!*store)
		return -ENOMEM;
	for (size_t i = 0; !ret && i < n; i++) {
		struct ft_hist_event e =
			i ? in->more[i - 1] : (struct ft_hist_event){ in->system, in->event };

		if (!is_glob(e.event)) {
			ret = expand_one(t, e.system, e.event, out,
					 (char *[]){ (char *)e.event, NULL });
			continue;
		}
		if (!i)
			out->title = e.event;
		(*store)->lists[(*store)->n] = ft_tfs_events(t, e.system);
		ret = expand_one(t, e.system, e.event, out, (*store)->lists[(*store)->n++]);
	}
	return ret;
}

/**
 * ft_hist_spec_store_free() - free what ft_hist_spec_expand() made; NULL is allowed
 * @store: its @store
 */
void ft_hist_spec_store_free(struct ft_hist_store *store)
{
	for (size_t i = 0; store && i < store->n; i++)
		ft_tfs_list_free(store->lists[i]);
	free(store);
}

/* The name a BPF aggregation is pinned under: --name, else SYSTEM-EVENT; -ENAMETOOLONG. */
static int bpf_name(const struct ft_hist_spec *spec, char *buf, size_t size)
{
	int n = spec->name ? snprintf(buf, size, "%s", spec->name)
			   : snprintf(buf, size, "%s-%s", spec->system, spec->event);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* A pinned, journaled BPF aggregation: it outlives the command like a hist trigger. */
static int bpf_start(struct ft_tfs *t, struct ft_ledger *l, const struct ft_hist_spec *spec,
		     bool kernel_hist, struct ft_writes *dry, FILE *out)
{
	struct ft_bpf_agg *a;
	char name[512], dir[1024], why[512];
	int ret;

	/* Checked whole before anything is loaded or pinned: never cut short (H31). */
	if (bpf_name(spec, name, sizeof(name)) || ft_name_agg(name, why, sizeof(why))) {
		ft_err("cannot name a BPF aggregation so: %s",
		       spec->name ? why : "SYSTEM-EVENT is too long; give a --name");
		return -EINVAL;
	}
	ret = ft_bpf_pin_dir(name, dir, sizeof(dir));
	if (ret)
		return ret;
	if (dry) {
		char what[600];

		snprintf(what, sizeof(what), "the BPF aggregator on %s:%s%s", spec->system,
			 spec->event, spec->nmore ? " and more events" : "");
		return ft_writes_add(dry, FT_WRITE_BPF_PIN, dir, what);
	}
	ret = ft_bpf_agg_create(t, spec, kernel_hist, &a);
	if (ret)
		return ret;
	ret = ft_bpf_agg_pin(a, l, name);
	if (ret == -EEXIST)
		ft_err("give this one another --name, or remove the old one with 'ftrig hist rm "
		       "%s:%s --name %s'",
		       spec->system, spec->event, name);
	else if (!ret && spec->nmore)
		fprintf(out, "counting %s:%s (%u events) with BPF as '%s' (%s)\n", spec->system,
			spec->title ? spec->title : spec->event, ft_bpf_agg_plan(a)->nevents, name,
			ft_bpf_agg_plan(a)->trigger);
	else if (!ret)
		fprintf(out, "counting %s:%s with BPF as '%s' (%s)\n", spec->system, spec->event,
			name, ft_bpf_agg_plan(a)->trigger);
	ft_bpf_agg_destroy(a);
	return ret;
}

static int hist_trigger_start(struct ft_tfs *t, struct ft_ledger *l,
			      const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out)
{
	struct ft_trigger trig;
	struct ft_trig_ctx c;
	char event[260], *text;
	int ret;

	if (spec->end_event)
		return ft_latency_start(t, l, spec, dry, out);
	snprintf(event, sizeof(event), "%s:%s", spec->system, spec->event);
	ret = ft_trigger_from_hist_spec(spec, &trig);
	if (ret) {
		ft_err("%s: cannot express this histogram as one hist trigger", event);
		return ret;
	}
	text = ft_trigger_format(&trig);
	ft_trigger_release(&trig);
	if (!text)
		return -ENOMEM;
	ret = ft_trig_ctx_open(&c, t, spec->instance, event);
	if (!ret) {
		ret = ft_trigger_add(&c, l, text, dry, out);
		ft_trig_ctx_close(&c);
	}
	free(text);
	return ret;
}

/**
 * ft_hist_start() - start a histogram that outlives the command
 * @t: tracefs
 * @l: the persistent ledger
 * @spec: what to count (ft_hist_spec_parse())
 * @dry: for a dry run, where the writes go instead (nothing is changed); else NULL
 * @out: where to say what was done
 *
 * A hist trigger, a pinned BPF aggregation, or both (to cross-check them: `hist show` then
 * compares their counts), as ft_hist_backend_choose() decides.
 *
 * Return: 0, or -errno after logging why (-ENOTSUP: no backend for it here).
 */
int ft_hist_start(struct ft_tfs *t, struct ft_ledger *l, const struct ft_hist_spec *spec,
		  struct ft_writes *dry, FILE *out)
{
	enum ft_hist_backend backend;
	struct ft_hist_spec *all = malloc(sizeof(*all));
	struct ft_hist_store *store = NULL;
	int ret = all ? ft_hist_spec_expand(t, spec, all, &store) : -ENOMEM;

	if (!ret)
		ret = ft_hist_backend_choose(t, all, &backend);
	if (!ret && backend != FT_BACKEND_BPF)
		ret = hist_trigger_start(t, l, all, dry, out);
	if (!ret && backend != FT_BACKEND_HIST)
		ret = bpf_start(t, l, all, backend == FT_BACKEND_BOTH, dry, out);
	ft_hist_spec_store_free(store);
	free(all);
	return ret;
}

/* The hist trigger the control verbs act on: by name, or the event's only one. */
static int pick(struct ft_trig_ctx *c, const char *name, struct ft_listed *v, size_t n, bool quiet,
		struct ft_listed **hit)
{
	size_t found = 0;

	*hit = NULL;
	for (size_t i = 0; i < n; i++) {
		struct ft_trigger t;
		bool match = false;

		if (!ft_trigger_parse(v[i].text, &t, NULL) && t.cmd == FT_TRIG_HIST)
			match = !name || (t.hist.name && !strcmp(t.hist.name, name));
		ft_trigger_release(&t);
		if (match && !found++)
			*hit = &v[i];
	}
	if (found == 1)
		return 0;
	if (!found && quiet)
		return -ENOENT;
	if (!found) {
		ft_err("%s has no hist trigger%s%s ('ftrig trigger ls %s' lists its triggers)",
		       c->name, name ? " named " : "", name ? name : "", c->name);
		return -ENOENT;
	}
	ft_err("%s has %zu hist triggers: say which with --name NAME, or use 'ftrig trigger "
	       "add %s' with its text and :pause, :cont or :clear",
	       c->name, found, c->name);
	return -EINVAL;
}

static int control_write(struct ft_trig_ctx *c, const struct ft_listed *e, enum ft_hist_op op,
			 struct ft_dry *dry, FILE *out)
{
	static const char *const verbs[] = { "paused", "continued", "cleared" };
	struct ft_trigger t;
	char *text;
	int ret = ft_trigger_parse(e->text, &t, NULL);

	if (ret)
		return ret;
	t.hist.pause = op == FT_HIST_PAUSE;
	t.hist.cont = op == FT_HIST_CONT;
	t.hist.clear = op == FT_HIST_CLEAR;
	text = ft_trigger_format(&t);
	ft_trigger_release(&t);
	if (!text)
		return -ENOMEM;
	if (dry) {
		char rel[300];

		snprintf(rel, sizeof(rel), "events/%s/%s/trigger", c->system, c->event);
		ret = ft_writes_tfs(&dry->w, FT_WRITE_APPEND, ft_tfs_dir(c->tfs), c->instance, rel,
				    text);
		free(text);
		return ret;
	}
	ret = ft_tfs_trigger_write(c->tfs, c->instance, c->system, c->event, text, false);
	if (ret)
		ft_err("%s: cannot write '%s': %s", c->name, text, strerror(-ret));
	else
		fprintf(out, "%s '%s' on %s\n", verbs[op], e->text, c->name);
	free(text);
	return ret;
}

/* pause, cont, clear or rm one pinned BPF aggregation. */
/* What bpf_control() would change: the pin directory, or the control and table maps in it. */
static int bpf_control_dry(const char *name, enum ft_hist_op op, struct ft_dry *dry)
{
	static const char *const what[] = {
		"set the paused flag", "clear the paused flag",
		"pause, empty the table, zero the hits and drops, restore the paused flag"
	};
	char dir[512];
	int ret = ft_bpf_pin_dir(name, dir, sizeof(dir));

	if (ret)
		return ret;
	if (op == FT_HIST_RM)
		return ft_writes_add(&dry->w, FT_WRITE_BPF_UNPIN, dir, NULL);
	return ft_writes_add(&dry->w, FT_WRITE_BPF_MAP, dir, what[op]);
}

static int bpf_control(struct ft_ledger *l, const char *event, const char *name, enum ft_hist_op op,
		       FILE *out)
{
	static const char *const verbs[] = { "paused", "continued", "cleared", "removed" };
	struct ft_bpf_agg *a;
	int ret;

	if (op == FT_HIST_RM) {
		ret = ft_bpf_agg_remove(l, name);
	} else {
		ret = ft_bpf_agg_open_pinned(name, &a);
		if (!ret) {
			ret = op == FT_HIST_CLEAR ? ft_bpf_agg_clear(a)
						  : ft_bpf_agg_pause(a, op == FT_HIST_PAUSE);
			ft_bpf_agg_destroy(a);
		}
	}
	if (ret)
		ft_err("%s: cannot act on the BPF aggregation '%s': %s", event, name,
		       strerror(-ret));
	else
		fprintf(out, "%s the BPF aggregation '%s' on %s\n", verbs[op], name, event);
	return ret;
}

/* The pinned BPF aggregations the verb acts on (top level only: BPF knows no instances). */
static int bpf_targets(struct ft_trig_ctx *c, const char *name, char ***bpf, size_t *nb)
{
	int ret;

	*bpf = NULL;
	*nb = 0;
	if (c->instance && *c->instance)
		return 0;
	ret = ft_bpf_find(c->system, c->event, name, bpf, nb);
	if (!ret && *nb > 1) {
		ft_err("%s has %zu BPF aggregations: say which with --name (one of: %s, ...)",
		       c->name, *nb, (*bpf)[0]);
		ret = -EINVAL;
	}
	return ret;
}

/*
 * `hist rm` of an aggregation ftrig journaled whose pins do not open (SEC-8): a `hist start`
 * or `hist rm` killed half way through pinning or unpinning leaves some of the pins, which
 * ft_bpf_find() skips; the ledger's record says it is ftrig's and removes what is left.
 * Records of @c's event are taken, or with @name the record of that pin name on any event.
 * Returns how many were removed, or -errno.
 */
static int remove_half_pinned(struct ft_trig_ctx *c, struct ft_ledger *l, struct ft_dry *dry,
			      const char *name, FILE *out)
{
	const struct ft_journal *j = dry ? dry->persistent : ft_ledger_objects(l);
	int removed = 0;

	for (size_t i = j->nobjs; i-- > 0;) {
		const struct ft_obj *o = &j->objs[i];
		const char *base = strrchr(o->text, '/');
		struct ft_bpf_agg *a;
		char pname[256];
		int ret;

		/* A pin's name is unique: with --name, any of its events finds it (CMD-4), even
		 * one the record does not name (the end event of a latency). */
		if (o->kind != FT_OBJ_BPF || !base || (name && strcmp(base + 1, name)) ||
		    (!name && (strcmp(o->system, c->system) || strcmp(o->event, c->event))))
			continue;
		snprintf(pname, sizeof(pname), "%s", base + 1);
		if (!ft_bpf_agg_open_pinned(pname, &a)) {
			ft_bpf_agg_destroy(a);
			continue;
		}
		if (dry) { /* a dry run has no ledger: it says what the removal would unpin */
			ret = bpf_control_dry(pname, FT_HIST_RM, dry);
			if (ret)
				return ret;
			removed++;
			continue;
		}
		ret = ft_bpf_agg_remove(l, pname);
		if (ret && ret != -ENOENT) {
			ft_err("%s: cannot remove what is left of the BPF aggregation '%s': %s",
			       c->name, pname, strerror(-ret));
			return ret;
		}
		fprintf(out, "removed the half-pinned BPF aggregation '%s' on %s\n", pname,
			c->name);
		removed++;
		j = ft_ledger_objects(l);
		i = j->nobjs;
	}
	return removed;
}

/*
 * A latency on hist triggers, found by its start, end or synthetic event (CMD-4): its
 * histogram or all of it (ft_latency_control()), and a BPF aggregation of the same name
 * counting the event (--backend both) alike. -ENOENT when @event takes part in none.
 */
static int latency_control(struct ft_tfs *t, struct ft_ledger *l, const char *instance,
			   const char *event, const char *name, enum ft_hist_op op,
			   struct ft_dry *dry, FILE *out)
{
	char synth[128], sys[128], **bpf = NULL;
	const char *colon = strchr(event, ':');
	size_t nb = 0;
	int ret =
		ft_latency_control(t, l, instance, event, name, op, dry, out, synth, sizeof(synth));

	if (ret || (instance && *instance) || !colon)
		return ret;
	snprintf(sys, sizeof(sys), "%.*s", (int)(colon - event), event);
	if (!ft_bpf_find(sys, colon + 1, name ? name : synth, &bpf, &nb) && nb)
		ret = dry ? bpf_control_dry(bpf[0], op, dry)
			  : bpf_control(l, event, bpf[0], op, out);
	ft_bpf_pinned_list_free(bpf);
	return ret;
}

/**
 * ft_hist_control() - pause, continue, clear or remove a hist trigger
 * @t: tracefs
 * @l: the persistent ledger (for rm)
 * @instance: instance, NULL or "" for the top level
 * @event: "system:event"
 * @name: the hist trigger's name=, or NULL for the event's only hist trigger
 * @op: what to do
 * @dry: for a dry run, the journals and where the writes go (@l is NULL); NULL otherwise
 * @out: where to say what was done
 *
 * pause/cont/clear act on any hist trigger; rm only on one ftrig created (others are
 * removed with `trigger rm EVENT 'LISTED TEXT'`). A pinned BPF aggregation on the event
 * (of that name) is treated the same way, and with --backend both, the two together.
 *
 * Return: 0, or -errno after logging why.
 */
int ft_hist_control(struct ft_tfs *t, struct ft_ledger *l, const char *instance, const char *event,
		    const char *name, enum ft_hist_op op, struct ft_dry *dry, FILE *out)
{
	struct ft_listed *v = NULL, *e = NULL;
	struct ft_trig_ctx c;
	char **bpf = NULL;
	size_t n = 0, nb = 0;
	int ret = latency_control(t, l, instance, event, name, op, dry, out), half = 0;

	if (ret != -ENOENT)
		return ret;
	ret = ft_trig_ctx_open(&c, t, instance, event);
	if (ret)
		return ret;
	ret = ft_trigger_list(t, c.instance, c.name, false, &v, &n);
	if (!ret)
		ret = bpf_targets(&c, name, &bpf, &nb);
	if (!ret && op == FT_HIST_RM && !nb && !c.instance)
		half = remove_half_pinned(&c, l, dry, name, out);
	if (half < 0)
		ret = half;
	if (!ret)
		ret = pick(&c, name, v, n, nb > 0 || half > 0, &e);
	if (ret == -ENOENT && (nb > 0 || half > 0))
		ret = 0; /* only a BPF aggregation */
	if (ret)
		goto out;
	if (nb > 0)
		ret = dry ? bpf_control_dry(bpf[0], op, dry)
			  : bpf_control(l, c.name, bpf[0], op, out);
	if (ret || !e)
		goto out;
	if (op != FT_HIST_RM) {
		ret = control_write(&c, e, op, dry, out);
	} else if (!e->ours || e->pid) {
		ft_err("%s: '%s' was not started by 'ftrig hist start'%s; remove it with: ftrig "
		       "trigger rm %s '%s'%s%s",
		       c.name, e->text, e->ours ? " (a running session owns it)" : "", c.name,
		       e->text, c.instance ? " --instance " : "", c.instance ? c.instance : "");
		ret = -EPERM;
	} else {
		ret = ft_trigger_remove(&c, l, e->written, dry, out);
	}
out:
	ft_bpf_pinned_list_free(bpf);
	ft_listed_free(v, n);
	ft_trig_ctx_close(&c);
	return ret;
}
