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

#include "hist/spec.h"
#include "log.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "triggers/histctl.h"
#include "triggers/trigger.h"

/**
 * ft_hist_backend_choose() - which backend counts @spec on this kernel
 * @t: tracefs
 * @spec: the request; @spec->backend is "auto" (or NULL), "hist", "bpf" or "both"
 * @out: set to the backend
 *
 * auto takes hist triggers where the event offers them. The BPF backend plugs in here: until
 * it exists, asking for it (or needing it) is an error that says so.
 *
 * Return: 0, or -ENOTSUP after logging why.
 */
int ft_hist_backend_choose(struct ft_tfs *t, const struct ft_hist_spec *spec,
			   enum ft_hist_backend *out)
{
	const char *b = spec->backend ? spec->backend : "auto";
	struct ft_trig_ctx c;
	char event[260], words[300];
	bool hist;

	snprintf(event, sizeof(event), "%s:%s", spec->system, spec->event);
	if (ft_trig_ctx_open(&c, t, spec->instance, event))
		return -ENOENT;
	snprintf(words, sizeof(words), " %s ", c.available);
	hist = !c.available[0] || strstr(words, " hist ") != NULL;
	ft_trig_ctx_close(&c);
	if (!strcmp(b, "bpf") || !strcmp(b, "both")) {
		ft_err("--backend %s: the BPF aggregator is not part of this build yet; use "
		       "--backend hist",
		       b);
		return -ENOTSUP;
	}
	if (!hist) {
		ft_err("no hist triggers on this kernel (CONFIG_HIST_TRIGGERS is off): %s cannot "
		       "be counted in ftrace; use '--backend bpf' to count it with BPF",
		       event);
		return -ENOTSUP;
	}
	*out = FT_BACKEND_HIST;
	return 0;
}

/**
 * ft_hist_start() - start a histogram as a persistent hist trigger
 * @t: tracefs
 * @l: the persistent ledger
 * @spec: what to count (ft_hist_spec_parse())
 * @dry_run: print the tracefs write, change nothing
 * @out: where to say what was done
 *
 * Return: 0, or -errno after logging why (-ENOTSUP: no backend for it here).
 */
int ft_hist_start(struct ft_tfs *t, struct ft_ledger *l, const struct ft_hist_spec *spec,
		  bool dry_run, FILE *out)
{
	enum ft_hist_backend backend;
	struct ft_trigger trig;
	struct ft_trig_ctx c;
	char event[260], *text;
	int ret;

	ret = ft_hist_backend_choose(t, spec, &backend);
	if (ret)
		return ret;
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
		ret = ft_trigger_add(&c, l, text, dry_run, out);
		ft_trig_ctx_close(&c);
	}
	free(text);
	return ret;
}

/* The hist trigger the control verbs act on: by name, or the event's only one. */
static int pick(struct ft_trig_ctx *c, const char *name, struct ft_listed *v, size_t n,
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
			 FILE *out)
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
	ret = ft_tfs_trigger_write(c->tfs, c->instance, c->system, c->event, text, false);
	if (ret)
		ft_err("%s: cannot write '%s': %s", c->name, text, strerror(-ret));
	else
		fprintf(out, "%s '%s' on %s\n", verbs[op], e->text, c->name);
	free(text);
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
 * @out: where to say what was done
 *
 * pause/cont/clear act on any hist trigger; rm only on one ftrig created (others are
 * removed with `trigger rm EVENT 'LISTED TEXT'`).
 *
 * Return: 0, or -errno after logging why.
 */
int ft_hist_control(struct ft_tfs *t, struct ft_ledger *l, const char *instance, const char *event,
		    const char *name, enum ft_hist_op op, FILE *out)
{
	struct ft_listed *v = NULL, *e;
	struct ft_trig_ctx c;
	size_t n = 0;
	int ret = ft_trig_ctx_open(&c, t, instance, event);

	if (ret)
		return ret;
	ret = ft_trigger_list(t, c.instance, c.name, false, &v, &n);
	if (!ret)
		ret = pick(&c, name, v, n, &e);
	if (ret)
		goto out;
	if (op != FT_HIST_RM) {
		ret = control_write(&c, e, op, out);
	} else if (!e->ours || e->pid) {
		ft_err("%s: '%s' was not started by 'ftrig hist start'%s; remove it with: ftrig "
		       "trigger rm %s '%s'",
		       c.name, e->text, e->ours ? " (a running session owns it)" : "", c.name,
		       e->text);
		ret = -EPERM;
	} else {
		ret = ft_trigger_remove(&c, l, e->written, out);
	}
out:
	ft_listed_free(v, n);
	ft_trig_ctx_close(&c);
	return ret;
}
