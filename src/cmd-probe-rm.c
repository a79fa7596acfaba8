// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig probe rm: remove probes by name, by group or all of ftrig's (--ours). What of ftrig's
 * holds a probe (its triggers, enables, BPF aggregations, eprobes on it) is removed first,
 * through the ledger; what is not ftrig's is named, and the probe stays.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "cmd-probe.h"
#include "dryrun.h"
#include "guard.h"
#include "ledger.h"
#include "log.h"
#include "probes/dynev.h"
#include "probes/listing.h"
#include "probes/probe.h"
#include "suggest.h"
#include "tfs.h"
#include "undo-writes.h"
#include "util.h"

/**
 * struct rm_ctx - what `probe rm` works with
 * @t: tracefs
 * @l: the persistent ledger
 * @all: the probes the kernel has
 * @n: how many
 * @dry: for a dry run (--dry-run), the journals and the writes collected (@l is NULL)
 */
struct rm_ctx {
	struct ft_tfs *t;
	struct ft_ledger *l;
	struct ft_dynev *all;
	size_t n;
	struct ft_dry *dry;
	bool ours;
};

/* The persistent ledger's objects, as the ledger holds them or as a dry run read them. */
static const struct ft_journal *objects(const struct rm_ctx *c)
{
	return c->dry ? c->dry->persistent : ft_ledger_objects(c->l);
}

/*
 * The meaning of a trigger, enough to match what ftrig wrote with what the kernel lists
 * ("traceoff if x" is listed as "traceoff:unlimited if x"; hist triggers gain vals, sort and
 * size): the command, its event target, a hist trigger's keys, and the filter.
 */
static void trigger_meaning(const char *text, char *out, size_t size)
{
	const char *filter = strstr(text, " if ");
	size_t cmd = strcspn(text, ": ");
	const char *keys = NULL;
	size_t tlen = 0, klen = 0;

	if (!strncmp(text, "enable_", 7) || !strncmp(text, "disable_", 8)) {
		const char *t = text + cmd + 1;

		tlen = strcspn(t, ":");
		if (t[tlen] == ':')
			tlen += 1 + strcspn(t + tlen + 1, ": ");
	}
	if (!strncmp(text, "hist", 4)) {
		keys = strstr(text, "keys=");
		keys = keys ? keys + 5 : (keys = strstr(text, "key=")) ? keys + 4 : NULL;
		klen = keys ? strcspn(keys, ": ") : 0;
	}
	snprintf(out, size, "%.*s|%.*s|%.*s|%s", (int)cmd, text, (int)tlen,
		 tlen ? text + cmd + 1 : "", (int)klen, keys ? keys : "", filter ? filter + 4 : "");
	if (filter && strstr(out, " [active]"))
		*strstr(out, " [active]") = '\0';
}

static bool same_trigger(const char *written, const char *listed)
{
	char a[600], b[600];

	trigger_meaning(written, a, sizeof(a));
	trigger_meaning(listed, b, sizeof(b));
	return !strcmp(a, b);
}

/* The persistent-ledger object a holder is, if ftrig made it; else NULL. */
static const struct ft_obj *holder_obj(struct rm_ctx *c, const struct ft_holder *h,
				       const struct ft_dynev *d)
{
	const struct ft_journal *j = objects(c);

	for (size_t i = 0; i < j->nobjs; i++) {
		const struct ft_obj *o = &j->objs[i];
		bool same_inst = !strcmp(o->instance, h->instance);

		if (h->kind == FT_HOLD_ENABLE && o->kind == FT_OBJ_ENABLE && same_inst &&
		    !strcmp(o->system, d->spec.group) && !strcmp(o->event, d->spec.name))
			return o;
		if ((h->kind == FT_HOLD_TRIGGER || h->kind == FT_HOLD_REF) &&
		    o->kind == FT_OBJ_TRIGGER && same_inst && !strcmp(o->system, h->system) &&
		    !strcmp(o->event, h->event) && same_trigger(o->text, h->text))
			return o;
		if (h->kind == FT_HOLD_EPROBE && o->kind == FT_OBJ_DYNEVENT &&
		    !strcmp(o->system, h->system) && !strcmp(o->event, h->event))
			return o;
	}
	return NULL;
}

/* Whether a persistent-ledger object holds @d: acts on it, names it, or is an eprobe on it. */
static bool holds(const struct ft_obj *o, const struct ft_dynev *d)
{
	bool on_it = !strcmp(o->system, d->spec.group) && !strcmp(o->event, d->spec.name);
	struct ft_probe_spec s = { 0 };
	char needle[300], err[256];
	bool attached;

	snprintf(needle, sizeof(needle), ":%s:%s", d->spec.group, d->spec.name);
	switch (o->kind) {
	case FT_OBJ_ENABLE:
	case FT_OBJ_BPF:
		return on_it;
	case FT_OBJ_TRIGGER:
		return on_it || strstr(o->text, needle);
	case FT_OBJ_DYNEVENT:
		if (o->text[0] != 'e' || ft_probe_parse_raw(o->text, &s, err, sizeof(err))) {
			ft_probe_spec_release(&s);
			return false;
		}
		attached = !strcmp(s.target, d->spec.group) && !strcmp(s.symbol, d->spec.name);
		ft_probe_spec_release(&s);
		return attached;
	default:
		return false;
	}
}

/* Undo ftrig's own holders (BPF, triggers, enables, attached eprobes) in the ledger's order. */
static int release_ours(struct rm_ctx *c, const struct ft_dynev *d)
{
	const struct ft_journal *j = objects(c);
	char what[1024];
	int ret = 0;

	for (int rank = 0; !ret && rank <= FT_OBJ_LAST_RANK; rank++) {
		bool again = true;

		while (!ret && again) {
			again = false;
			for (size_t i = j->nobjs; i-- > 0;) {
				const struct ft_obj *o = &j->objs[i];

				if (ft_obj_rank(o) != rank || !holds(o, d))
					continue;
				ft_obj_describe(o, what, sizeof(what));
				if (c->dry) {
					/* Nothing changes: go on with the next older one. */
					ret = ft_obj_undo_writes(o, ft_tfs_dir(c->t), &c->dry->w);
					continue;
				}
				ret = ft_ledger_undo_one(c->l, o->seq);
				if (!ret)
					printf("removed %s\n", what);
				/* the array changed under us: scan it afresh */
				again = !ret || ret == -ESTALE;
				if (ret == -ESTALE)
					ret = 0; /* replaced by somebody: left alone, said why */
				break;
			}
		}
	}
	return ret;
}

/* Name everything that keeps @d busy and is not ftrig's; 0 when all holders are ftrig's. */
static int foreign_holders(struct rm_ctx *c, const struct ft_dynev *d, bool deep)
{
	struct ft_holder *h;
	size_t nh, foreign = 0;
	char what[1024];

	if (ft_probe_holders(c->t, d->spec.group, d->spec.name, deep, c->all, c->n, &h, &nh))
		return -ENOMEM;
	for (size_t i = 0; i < nh; i++) {
		if (holder_obj(c, &h[i], d))
			continue;
		if (!foreign++)
			ft_err("%s:%s is in use by what ftrig did not create, so it stays:",
			       d->spec.group, d->spec.name);
		ft_holder_describe(&h[i], what, sizeof(what));
		ft_err("  %s", what);
	}
	free(h);
	if (foreign)
		ft_err("remove those first (or use the probe's owner's own tools), then run "
		       "'ftrig probe rm %s/%s' again",
		       d->spec.group, d->spec.name);
	return foreign ? -EBUSY : 0;
}

/* Delete the probe itself, through the ledger when it is ftrig's; EBUSY retried a while. */
static int delete_probe(struct rm_ctx *c, const struct ft_dynev *d)
{
	const struct ft_journal *j = objects(c);
	struct timespec wait = { 0, 50 * 1000 * 1000 };
	char line[300];
	int ret = -EBUSY;

	snprintf(line, sizeof(line), "-:%s/%s", d->spec.group, d->spec.name);
	for (size_t i = 0; c->dry && i < j->nobjs; i++)
		if (j->objs[i].kind == FT_OBJ_DYNEVENT &&
		    !strcmp(j->objs[i].system, d->spec.group) &&
		    !strcmp(j->objs[i].event, d->spec.name))
			return ft_obj_undo_writes(&j->objs[i], ft_tfs_dir(c->t), &c->dry->w);
	if (c->dry)
		return ft_writes_tfs(&c->dry->w, FT_WRITE_APPEND, ft_tfs_dir(c->t), NULL,
				     ft_dynev_file(c->t, d->spec.kind), line);
	for (int tries = 0; ret == -EBUSY && tries < 40; tries++) {
		unsigned seq = 0;
		bool ours = false;

		if (tries)
			nanosleep(&wait, NULL);
		for (size_t i = 0; i < j->nobjs; i++)
			if (j->objs[i].kind == FT_OBJ_DYNEVENT &&
			    !strcmp(j->objs[i].system, d->spec.group) &&
			    !strcmp(j->objs[i].event, d->spec.name))
				seq = j->objs[i].seq, ours = true;
		ret = ours ? ft_ledger_undo_one(c->l, seq) : -ESTALE;
		/*
		 * Not ftrig's (any more): removed by name only when the user named it, as any
		 * other probe; --ours leaves a probe somebody put in place of ftrig's alone.
		 */
		if (ret == -ESTALE && !c->ours)
			ret = ft_tfs_dynevent_write(c->t, ft_dynev_file(c->t, d->spec.kind), line);
	}
	return ret;
}

static int rm_one(struct rm_ctx *c, const struct ft_dynev *d)
{
	char why[1024];
	int ret;

	if (d->owner == FT_OWNER_SESSION) {
		ft_err("%s:%s belongs to the running ftrig session %d, which removes it when it "
		       "ends (stop it with 'kill %d')",
		       d->spec.group, d->spec.name, (int)d->pid, (int)d->pid);
		return -EBUSY;
	}
	ret = foreign_holders(c, d, false);
	if (ret)
		return ret;
	ret = release_ours(c, d);
	if (!ret)
		ret = delete_probe(c, d);
	if (ret == -EBUSY && !foreign_holders(c, d, true))
		ft_err("%s:%s is still in use, by something outside tracefs: a perf or BPF user "
		       "(perf record, bpftrace) or a program holding one of its files open",
		       d->spec.group, d->spec.name);
	else if (ret == -ESTALE)
		return 0; /* the guard said why it stays */
	else if (ret && ret != -EBUSY)
		ft_err("cannot remove %s:%s: %s", d->spec.group, d->spec.name,
		       ft_tfs_strerror(ret, "dynamic_events", why, sizeof(why)));
	if (!ret && !c->dry)
		printf("removed %s %s:%s\n", ft_probe_kind_name(d->spec.kind), d->spec.group,
		       d->spec.name);
	return ret;
}

/* The probes `rm` is asked for: names, a whole group, or all of ftrig's persistent ones. */
static int pick(struct rm_ctx *c, const char *group, bool ours, int argc, char **argv,
		const struct ft_dynev **out, size_t *n)
{
	int missing = 0;

	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct ft_probe_spec *s = &c->all[i].spec;

		if ((ours && c->all[i].owner == FT_OWNER_PERSISTENT) ||
		    (group && !strcmp(s->group, group) && argc == 0))
			out[(*n)++] = &c->all[i];
	}
	for (int a = 0; a < argc; a++) {
		char g[256], name[256], near[700];
		const char *sep = strpbrk(argv[a], "/:");
		struct ft_suggest sg;
		bool found = false;

		snprintf(g, sizeof(g), "%.*s", sep ? (int)(sep - argv[a]) : 0, argv[a]);
		snprintf(name, sizeof(name), "%s", sep ? sep + 1 : argv[a]);
		if (!sep)
			snprintf(g, sizeof(g), "%s", group ? group : FT_PROBE_GROUP);
		ft_suggest_init(&sg, argv[a]);
		for (size_t i = 0; i < c->n && !found; i++) {
			const struct ft_probe_spec *s = &c->all[i].spec;
			char full[520];

			found = !strcmp(s->group, g) && !strcmp(s->name, name);
			if (found)
				out[(*n)++] = &c->all[i];
			snprintf(full, sizeof(full), "%s%s%s", sep ? s->group : "", sep ? "/" : "",
				 s->name);
			ft_suggest_add(&sg, full, strlen(full));
		}
		if (!found) {
			ft_err("no probe %s/%s%s%s%s; 'ftrig probe ls --all' lists them", g, name,
			       sg.n ? "; did you mean " : "",
			       sg.n ? ft_suggest_list(&sg, near, sizeof(near)) : "",
			       sg.n ? "?" : "");
			missing++;
		}
	}
	return missing ? -ENOENT : 0;
}

/*
 * --ours: records of probes the kernel does not have (an add killed between its record and
 * its write, or a probe removed by hand, or replaced by somebody's of the same name, which
 * the ledger's guard leaves alone) are retired too, so that the journal holds no more than
 * the kernel. The persistent journal's lock keeps any add from being half way now.
 * Synthetic events are not probes; `trigger rm --ours` removes them.
 */
static void retire_missing(struct rm_ctx *c)
{
	const struct ft_journal *j = ft_ledger_objects(c->l);

	for (size_t i = j->nobjs; i-- > 0;) {
		const struct ft_obj *o = &j->objs[i];
		bool listed = false;

		if (o->kind != FT_OBJ_DYNEVENT || !strcmp(o->system, "synthetic"))
			continue;
		for (size_t k = 0; k < c->n && !listed; k++)
			listed = !strcmp(c->all[k].spec.group, o->system) &&
				 !strcmp(c->all[k].spec.name, o->event) &&
				 ft_guard_probe_is(o->text, &c->all[k].spec);
		/* Retiring shifts only the objects above i: the walk down goes on. */
		if (!listed)
			ft_ledger_undo_one(c->l, o->seq);
	}
}

static int rm_run(struct rm_ctx *c, const char *group, bool ours, int argc, char **argv)
{
	const struct ft_dynev **sel = calloc(c->n + (size_t)argc + 1, sizeof(*sel));
	size_t n = 0;
	int failed = 0;

	if (!sel)
		return FT_EXIT_ERR;
	if (pick(c, group, ours, argc, argv, sel, &n)) {
		free(sel);
		return FT_EXIT_ERR;
	}
	if (!n)
		printf("%sno probes to remove\n", c->dry ? "# " : "");
	/* Event probes first: one may be attached to another probe of the same set. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++)
			if ((sel[i]->spec.kind == FT_PROBE_EPROBE) == (pass == 0))
				failed += rm_one(c, sel[i]) != 0;
	free(sel);
	if (!failed && c->dry && ft_writes_print(&c->dry->w, stdout))
		failed++;
	/* A dry run changes no journal either. */
	if (ours && !c->dry)
		retire_missing(c);
	return failed ? FT_EXIT_ERR : FT_EXIT_OK;
}

/**
 * ft_cmd_probe_rm() - `probe rm`: remove probes, with what of ftrig's holds them
 * @cmd: the command's row
 * @argc: argument count
 * @argv: arguments, argv[0] being "rm"
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR (the cause logged) or FT_EXIT_USAGE.
 */
int ft_cmd_probe_rm(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "group", required_argument, NULL, 'g' },
					      { "ours", no_argument, NULL, 'o' },
					      { "dry-run", no_argument, NULL, 'D' },
					      { NULL, 0, NULL, 0 } };
	struct rm_ctx c = { 0 };
	const char *group = NULL;
	bool ours = false, dry_run = false;
	struct ft_dry dry;
	int ch, bad = 0, ret;

	while ((ch = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (ch == 'g')
			group = optarg;
		ours |= ch == 'o';
		dry_run |= ch == 'D';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind >= argc && !group && !ours)
		return ft_usage_error(cmd, "say what to remove: NAME..., --group GROUP or --ours");
	if (ours && (group || optind < argc))
		return ft_usage_error(cmd, "--ours removes every probe ftrig added; give no names "
					   "or group with it");
	if (ft_tfs_open(&c.t))
		return FT_EXIT_ERR;
	c.ours = ours;
	ret = FT_EXIT_ERR;
	/* A dry run reads the journals without opening the ledger, which would create it. */
	c.dry = dry_run ? &dry : NULL;
	if ((dry_run ? !ft_dry_open(&dry)
		     : !ft_ledger_open_persistent(&c.l, c.t, ft_ledger_state_dir())) &&
	    !ft_dynev_list(c.t, ft_ledger_state_dir(), &c.all, &c.n))
		ret = rm_run(&c, group, ours, argc - optind, argv + optind);
	ft_dynev_free(c.all, c.n);
	if (dry_run)
		ft_dry_close(&dry);
	ft_ledger_close(c.l);
	ft_tfs_close(c.t);
	return ret;
}
