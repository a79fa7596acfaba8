// SPDX-License-Identifier: GPL-2.0-only
/*
 * hist pause / cont / clear / rm. The control verbs find a hist trigger again in the
 * event's trigger file (by --name, or as the event's only hist trigger) and write its listed
 * form back with pause, cont or clear, which the kernel applies to the hist trigger that
 * matches; a pinned BPF aggregation on the event (of that name) is treated alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "dryrun.h"
#include "histsvc/histsvc.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "suggest.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "writes.h"

/**
 * ft_histsvc_no_such_name() - say that an event has no hist of a name, and which come close
 * @svc: the service
 * @instance: the instance, NULL or "" for the top level
 * @system: the event's system
 * @event: the event
 * @name: the name asked for
 * @v: the event's triggers as listed (their hists' name= are suggested); NULL with @n 0
 * @n: how many
 *
 * The names close to @name among its hist triggers' and its pinned BPF aggregations', or where
 * to list them: what the control verbs and `top --attach` say when --name matches nothing.
 */
void ft_histsvc_no_such_name(struct ft_histsvc *svc, const char *instance, const char *system,
			     const char *event, const char *name, const struct ft_listed *v,
			     size_t n)
{
	char **bpf = NULL, hint[512];
	struct ft_suggest sg;
	size_t nb = 0;

	ft_suggest_init(&sg, name);
	for (size_t i = 0; i < n; i++) {
		const char *at =
			svc->hist->is_hist(v[i].text, NULL) ? strstr(v[i].text, ":name=") : NULL;

		if (at)
			ft_suggest_add(&sg, at + 6, strcspn(at + 6, ": "));
	}
	if ((!instance || !*instance) && !svc->bpf->find(system, event, NULL, &bpf, &nb))
		for (size_t i = 0; i < nb; i++)
			ft_suggest_add(&sg, bpf[i], strlen(bpf[i]));
	svc->bpf->list_free(bpf);
	if (sg.n)
		ft_err("%s:%s has no hist named %s; did you mean %s?", system, event, name,
		       ft_suggest_list(&sg, hint, sizeof(hint)));
	else
		ft_err("%s:%s has no hist named %s ('ftrig trigger ls %s:%s' lists its triggers)",
		       system, event, name, system, event);
}

/* The hist trigger the control verbs act on: by name, or the event's only one. */
static int pick(struct ft_histsvc *svc, struct ft_trig_ctx *c, const char *name,
		struct ft_listed *v, size_t n, bool quiet, struct ft_listed **hit)
{
	size_t found = 0;

	*hit = NULL;
	for (size_t i = 0; i < n; i++)
		if (svc->hist->is_hist(v[i].text, name) && !found++)
			*hit = &v[i];
	if (found == 1)
		return 0;
	if (!found && quiet)
		return -ENOENT;
	if (!found && name) {
		ft_histsvc_no_such_name(svc, c->instance, c->system, c->event, name, v, n);
		return -ENOENT;
	}
	if (!found) {
		ft_err("%s has no hist trigger ('ftrig trigger ls %s' lists its triggers)", c->name,
		       c->name);
		return -ENOENT;
	}
	ft_err("%s has %zu hist triggers: say which with --name NAME, or use 'ftrig trigger "
	       "add %s' with its text and :pause, :cont or :clear",
	       c->name, found, c->name);
	return -EINVAL;
}

/* What bpf_control() would change: the pin directory, or the control and table maps in it. */
static int bpf_control_dry(struct ft_histsvc *svc, const char *name, enum ft_hist_op op,
			   struct ft_dry *dry)
{
	static const char *const what[] = {
		"set the paused flag", "clear the paused flag",
		"pause, empty the table, zero the hits and drops, restore the paused flag"
	};
	char dir[512];
	int ret = svc->bpf->pin_dir(name, dir, sizeof(dir));

	if (ret)
		return ret;
	if (op == FT_HIST_RM)
		return ft_writes_add(&dry->w, FT_WRITE_BPF_UNPIN, dir, NULL);
	return ft_writes_add(&dry->w, FT_WRITE_BPF_MAP, dir, what[op]);
}

/* pause, cont, clear or rm one pinned BPF aggregation. */
static int bpf_control(struct ft_histsvc *svc, const char *event, const char *name,
		       enum ft_hist_op op, FILE *out)
{
	static const char *const verbs[] = { "paused", "continued", "cleared", "removed" };
	const struct ft_histsvc_bpf *bpf = svc->bpf;
	struct ft_bpf_agg *a;
	int ret;

	if (op == FT_HIST_RM) {
		ret = bpf->remove(svc->ledger, name);
	} else {
		ret = bpf->open(name, &a);
		if (!ret) {
			ret = op == FT_HIST_CLEAR ? bpf->clear(a)
						  : bpf->pause(a, op == FT_HIST_PAUSE);
			bpf->destroy(a);
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
static int bpf_targets(struct ft_histsvc *svc, struct ft_trig_ctx *c, const char *name, char ***bpf,
		       size_t *nb)
{
	int ret;

	*bpf = NULL;
	*nb = 0;
	if (c->instance && *c->instance)
		return 0;
	ret = svc->bpf->find(c->system, c->event, name, bpf, nb);
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
static int remove_half_pinned(struct ft_histsvc *svc, struct ft_trig_ctx *c, struct ft_dry *dry,
			      const char *name, FILE *out)
{
	const struct ft_journal *j = dry ? dry->persistent : ft_ledger_objects(svc->ledger);
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
		if (!svc->bpf->open(pname, &a)) {
			svc->bpf->destroy(a);
			continue;
		}
		if (dry) { /* a dry run has no ledger: it says what the removal would unpin */
			ret = bpf_control_dry(svc, pname, FT_HIST_RM, dry);
			if (ret)
				return ret;
			removed++;
			continue;
		}
		ret = svc->bpf->remove(svc->ledger, pname);
		if (ret && ret != -ENOENT) {
			ft_err("%s: cannot remove what is left of the BPF aggregation '%s': %s",
			       c->name, pname, strerror(-ret));
			return ret;
		}
		fprintf(out, "removed the half-pinned BPF aggregation '%s' on %s\n", pname,
			c->name);
		removed++;
		j = ft_ledger_objects(svc->ledger);
		i = j->nobjs;
	}
	return removed;
}

/*
 * A latency on hist triggers, found by its start, end or synthetic event (CMD-4): its
 * histogram (pause, cont, clear act on the synthetic event's) or all of it (rm:
 * the backend's latency_rm), and a BPF aggregation of the same name counting the event
 * (--backend both) alike. -ENOENT when @event takes part in none.
 */
static int latency_control(struct ft_histsvc *svc, const char *instance, const char *event,
			   const char *name, enum ft_hist_op op, struct ft_dry *dry, FILE *out)
{
	char synth[128], sys[128], target[200], **bpf = NULL;
	size_t nb = 0, syslen;
	const char *ev;
	int ret;

	if (op == FT_HIST_RM) {
		ret = svc->hist->latency_rm(svc->tfs, svc->ledger, instance, event, name, dry, out,
					    synth, sizeof(synth));
	} else if (svc->hist->latency_find(svc->tfs, instance, event, name, synth, sizeof(synth))) {
		ret = -ENOENT;
	} else {
		snprintf(target, sizeof(target), "synthetic:%s", synth);
		ret = strcmp(target, event)
			      ? ft_histsvc_control(svc, instance, target, name, op, dry, out)
			      : -ENOENT;
	}
	if (ret || (instance && *instance) || ft_event_split(event, &syslen, &ev))
		return ret;
	snprintf(sys, sizeof(sys), "%.*s", (int)syslen, event);
	if (!svc->bpf->find(sys, ev, name ? name : synth, &bpf, &nb) && nb)
		ret = dry ? bpf_control_dry(svc, bpf[0], op, dry)
			  : bpf_control(svc, event, bpf[0], op, out);
	svc->bpf->list_free(bpf);
	return ret;
}

/**
 * ft_histsvc_control() - pause, continue, clear or remove a histogram
 * @svc: the service; its ledger is the persistent one (for rm), NULL for a dry run
 * @instance: instance, NULL or "" for the top level
 * @event: "system:event"
 * @name: the hist trigger's name=, or NULL for the event's only hist trigger
 * @op: what to do
 * @dry: for a dry run, the journals and where the writes go; NULL otherwise
 * @out: where to say what was done
 *
 * pause/cont/clear act on any hist trigger; rm only on one ftrig created (others are
 * removed with `trigger rm EVENT 'LISTED TEXT'`). A pinned BPF aggregation on the event
 * (of that name) is treated the same way, and with --backend both, the two together.
 *
 * Return: 0, or -errno after logging why.
 */
int ft_histsvc_control(struct ft_histsvc *svc, const char *instance, const char *event,
		       const char *name, enum ft_hist_op op, struct ft_dry *dry, FILE *out)
{
	struct ft_listed *v = NULL, *e = NULL;
	struct ft_trig_ctx c;
	char **bpf = NULL;
	size_t n = 0, nb = 0;
	int ret = latency_control(svc, instance, event, name, op, dry, out), half = 0;

	if (ret != -ENOENT)
		return ret;
	ret = svc->hist->open(&c, svc->tfs, instance, event);
	if (ret)
		return ret;
	ret = svc->hist->list(svc->tfs, c.instance, c.name, &v, &n);
	if (!ret)
		ret = bpf_targets(svc, &c, name, &bpf, &nb);
	if (!ret && op == FT_HIST_RM && !nb && !c.instance)
		half = remove_half_pinned(svc, &c, dry, name, out);
	if (half < 0)
		ret = half;
	if (!ret)
		ret = pick(svc, &c, name, v, n, nb > 0 || half > 0, &e);
	if (ret == -ENOENT && (nb > 0 || half > 0))
		ret = 0; /* only a BPF aggregation */
	if (ret)
		goto out;
	if (nb > 0)
		ret = dry ? bpf_control_dry(svc, bpf[0], op, dry)
			  : bpf_control(svc, c.name, bpf[0], op, out);
	if (ret || !e)
		goto out;
	if (op != FT_HIST_RM) {
		ret = svc->hist->control(&c, e->text, op, dry, out);
	} else if (!e->ours || e->pid) {
		ft_err("%s: '%s' was not started by 'ftrig hist start'%s; remove it with: ftrig "
		       "trigger rm %s '%s'%s%s",
		       c.name, e->text, e->ours ? " (a running session owns it)" : "", c.name,
		       e->text, c.instance ? " --instance " : "", c.instance ? c.instance : "");
		ret = -EPERM;
	} else {
		ret = svc->hist->remove(&c, svc->ledger, e->written, dry, out);
	}
out:
	svc->bpf->list_free(bpf);
	svc->hist->list_free(v, n);
	svc->hist->close(&c);
	return ret;
}
