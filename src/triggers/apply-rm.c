// SPDX-License-Identifier: GPL-2.0-only
/*
 * Removing triggers: ftrig's own by the exact text written (the ledger undoes them), and
 * somebody else's only when named exactly as listed; and the synthetic events triggers
 * feed, defined and removed with them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dryrun.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "tfs.h"
#include "triggers/apply-int.h"
#include "triggers/apply.h"
#include "triggers/compare.h"
#include "triggers/errors.h"
#include "triggers/parse.h"
#include "triggers/print.h"
#include "undo-writes.h"
#include "writes.h"

/* The text that removes a listed trigger of somebody else ("!" is added by the writer). */
static char *removal_text(const struct ft_trigger *t)
{
	struct ft_trigger r = *t;
	char *s = NULL;

	if (t->cmd != FT_TRIG_HIST) {
		if (t->cmd >= FT_TRIG_ENABLE_EVENT)
			return asprintf(&s, "%s:%s:%s", ft_trig_cmd_name(t->cmd), t->system,
					t->event) < 0
				       ? NULL
				       : s;
		return strdup(ft_trig_cmd_name(t->cmd));
	}
	r.hist.pause = r.hist.cont = r.hist.clear = false;
	return ft_trigger_format(&r);
}

static bool listed_exactly(const char *text, const char *line)
{
	size_t n = strlen(text);

	return !strcmp(text, line) || (!strncmp(line, text, n) && (!strcmp(line + n, " [active]") ||
								   !strcmp(line + n, " [paused]")));
}

static int remove_foreign(struct ft_trig_ctx *c, const struct ft_listed *e, const char *text,
			  struct ft_dry *dry, FILE *out)
{
	struct ft_trigger t;
	char *rm;
	int ret;

	if (e->ours) {
		ft_err("%s: '%s' belongs to ftrig session %d; it goes when that session ends "
		       "(or with 'ftrig cleanup --stale' if the session died)",
		       c->name, e->text, e->pid);
		return -EPERM;
	}
	if (!listed_exactly(text, e->text)) {
		ft_err("%s: '%s' was not created by ftrig; to remove it anyway, name it exactly as "
		       "listed: ftrig trigger rm %s '%s'%s%s",
		       c->name, e->text, c->name, e->text, c->instance ? " --instance " : "",
		       c->instance ? c->instance : "");
		return -EPERM;
	}
	ret = ft_trigger_parse(e->text, &t, NULL);
	rm = ret ? NULL : removal_text(&t);
	ft_trigger_release(&t);
	if (!rm)
		return -ENOMEM;
	if (dry) {
		char rel[300], *line = NULL;

		snprintf(rel, sizeof(rel), "events/%s/%s/trigger", c->system, c->event);
		ret = asprintf(&line, "!%s", rm) < 0
			      ? -ENOMEM
			      : ft_writes_tfs(&dry->w, FT_WRITE_APPEND, ft_tfs_dir(c->tfs),
					      c->instance, rel, line);
		free(line);
		free(rm);
		return ret;
	}
	ret = ft_tfs_trigger_write(c->tfs, c->instance, c->system, c->event, rm, true);
	if (ret)
		ft_trig_refused(c, rm, ret);
	else
		fprintf(out, "removed '%s' from %s (not ftrig's; named as listed)\n", e->text,
			c->name);
	free(rm);
	return ret;
}

/*
 * The persistent ledger's record of a trigger meaning @text on the event of @c; failing
 * that, of the non-hist trigger in the same slot (filters and counts may be left out).
 */
static const struct ft_obj *ledger_find(struct ft_trig_ctx *c, const struct ft_journal *j,
					const char *text)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = j->nobjs; i-- > 0;) {
			const struct ft_obj *o = &j->objs[i];

			if (o->kind == FT_OBJ_TRIGGER &&
			    !strcmp(o->instance, c->instance ? c->instance : "") &&
			    !strcmp(o->system, c->system) && !strcmp(o->event, c->event) &&
			    (pass ? ft_trigger_text_same_slot(o->text, text)
				  : ft_trigger_text_same(o->text, text)))
				return o;
		}
	return NULL;
}

/**
 * ft_trigger_remove() - remove one trigger from the event of @c
 * @c: the event
 * @l: the persistent ledger (NULL for a dry run)
 * @text: the trigger, as written or as listed
 * @dry: for a dry run, the journals to look in and where the writes go; NULL otherwise
 * @out: where to say what was removed
 *
 * A trigger ftrig added is found by meaning and removed with the exact text written. A
 * trigger somebody else added is removed only when @text is exactly its listed line. A dry
 * run makes the same checks and collects the writes in @dry->w instead of making them.
 *
 * Return: 0, -ENOENT (no such trigger), -EPERM (not ftrig's and not named as listed),
 * -EBUSY (another trigger uses it), or another -errno; the cause has been logged.
 */
int ft_trigger_remove(struct ft_trig_ctx *c, struct ft_ledger *l, const char *text,
		      struct ft_dry *dry, FILE *out)
{
	const struct ft_obj *o = ledger_find(c, dry ? dry->persistent : ft_ledger_objects(l), text);
	struct ft_listed *v = NULL;
	size_t n = 0;
	char *written;
	int ret;

	if (o && dry)
		return ft_obj_undo_writes(o, ft_tfs_dir(c->tfs), &dry->w);
	if (o) {
		bool gone;

		written = strdup(o->text);
		ret = ft_ledger_undo_one_gone(l, o->seq, &gone);
		if (ret == -EBUSY)
			ft_err("%s: '%s' is in use (another hist trigger refers to its variables, "
			       "or a synthetic event it feeds is busy); remove that first",
			       c->name, written);
		else if (ret == -ESTALE)
			; /* somebody replaced it; the ledger said so and left theirs */
		else if (ret)
			ft_trig_refused(c, written, ret);
		else if (gone)
			fprintf(out,
				"'%s' was gone from %s already (removed by hand); ftrig forgets "
				"it\n",
				written, c->name);
		else
			fprintf(out, "removed '%s' from %s\n", written, c->name);
		free(written);
		return ret;
	}
	ret = ft_trigger_list(c->tfs, c->instance, c->name, false, &v, &n);
	for (size_t i = 0; !ret && i < n; i++)
		if (ft_trigger_text_same(v[i].text, text)) {
			ret = remove_foreign(c, &v[i], text, dry, out);
			ft_listed_free(v, n);
			return ret;
		}
	ft_listed_free(v, n);
	ft_err("%s has no trigger '%s' ('ftrig trigger ls %s' lists them)", c->name, text, c->name);
	return -ENOENT;
}

/* The synthetic events the ledger holds go with the triggers that fed them. */
static int remove_synth(struct ft_ledger *l, FILE *out)
{
	const struct ft_journal *j = ft_ledger_objects(l);
	int left = 0, ret;

	for (size_t i = j->nobjs; i-- > 0;) {
		const struct ft_obj *o = &j->objs[i];
		char what[1024];
		bool gone;

		if (o->kind != FT_OBJ_DYNEVENT || strcmp(o->system, "synthetic"))
			continue;
		ft_obj_describe(o, what, sizeof(what));
		ret = ft_ledger_undo_one_gone(l, o->seq, &gone);
		if (ret && ret != -ESTALE) {
			ft_err("could not remove %s (in use?)", what);
			left++;
		} else if (!ret) {
			fprintf(out,
				gone ? "%s was gone already; ftrig forgets it\n" : "removed %s\n",
				what);
		}
		j = ft_ledger_objects(l);
	}
	return left;
}

/**
 * ft_triggers_remove_ours() - remove every trigger a ledger holds
 * @l: the ledger (the persistent one for `trigger rm --ours`)
 * @out: where to say what was removed
 *
 * Triggers can depend on each other (a hist trigger whose variables another one reads
 * cannot go first), so passes repeat while they make progress. The synthetic events of the
 * ledger (ft_synth_define()) go after the triggers.
 *
 * Return: 0 when all are gone, else -EBUSY (what is left has been logged).
 */
int ft_triggers_remove_ours(struct ft_ledger *l, FILE *out)
{
	bool progress = true;
	int left = 0, ret;

	while (progress) {
		const struct ft_journal *j = ft_ledger_objects(l);
		unsigned *seqs = calloc(j->nobjs + 1, sizeof(*seqs));
		size_t n = 0;

		progress = false;
		left = 0;
		for (size_t i = j->nobjs; seqs && i-- > 0;)
			if (j->objs[i].kind == FT_OBJ_TRIGGER)
				seqs[n++] = j->objs[i].seq;
		for (size_t i = 0; i < n; i++) {
			char what[1024];
			bool gone;
			ssize_t at = -1;

			j = ft_ledger_objects(l);
			for (size_t k = 0; k < j->nobjs; k++)
				if (j->objs[k].seq == seqs[i])
					at = (ssize_t)k;
			if (at < 0)
				continue;
			ft_obj_describe(&j->objs[at], what, sizeof(what));
			ret = ft_ledger_undo_one_gone(l, seqs[i], &gone);
			if (ret && ret != -ESTALE) {
				left++;
				continue;
			}
			if (!ret) /* -ESTALE: somebody replaced it; left alone, said why */
				fprintf(out,
					gone ? "%s was gone already; ftrig forgets it\n"
					     : "removed %s\n",
					what);
			progress = true;
		}
		free(seqs);
	}
	if (left)
		ft_err("%d trigger(s) could not be removed; 'ftrig trigger ls --all-instances' "
		       "shows them",
		       left);
	else
		left = remove_synth(l, out);
	return left ? -EBUSY : 0;
}

/**
 * ft_triggers_remove_ours_dry() - the writes ft_triggers_remove_ours() would make
 * @j: the journal (the persistent one for `trigger rm --ours`)
 * @dir: the tracing directory
 * @w: where the writes are appended: the triggers newest first, then the synthetic events
 *
 * Return: 0 or -ENOMEM.
 */
int ft_triggers_remove_ours_dry(const struct ft_journal *j, const char *dir, struct ft_writes *w)
{
	int ret = 0;

	for (size_t i = j->nobjs; !ret && i-- > 0;)
		if (j->objs[i].kind == FT_OBJ_TRIGGER)
			ret = ft_obj_undo_writes(&j->objs[i], dir, w);
	for (size_t i = j->nobjs; !ret && i-- > 0;)
		if (j->objs[i].kind == FT_OBJ_DYNEVENT && !strcmp(j->objs[i].system, "synthetic"))
			ret = ft_obj_undo_writes(&j->objs[i], dir, w);
	return ret;
}

/**
 * ft_synth_define() - define a synthetic event, journaled, for triggers to feed
 * @t: tracefs
 * @l: the ledger that owns it (NULL for a dry run)
 * @def: "NAME TYPE FIELD[; TYPE FIELD...]" as synthetic_events takes it
 * @dry: for a dry run, where the write goes instead, else NULL
 * @out: where to say what was done
 *
 * It is written as "s:NAME ..." to dynamic_events, so the ledger removes it with
 * "-:synthetic/NAME" after the triggers that use it.
 *
 * Return: 0, -EINVAL (bad definition), -EEXIST, or the -errno of the write; logged.
 */
int ft_synth_define(struct ft_tfs *t, struct ft_ledger *l, const char *def, struct ft_writes *dry,
		    FILE *out)
{
	char name[128], why[512], *line;
	size_t n = strcspn(def, " \t");
	int ret;

	if (!n || n >= sizeof(name) || !def[n] || !def[n + strspn(def + n, " \t")]) {
		ft_err("'%s' is not a synthetic event: write 'NAME TYPE FIELD[; TYPE FIELD...]', "
		       "e.g. 'wakeup_lat pid_t pid; u64 lat'",
		       def);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, def);
	if (ft_name_probe(name, why, sizeof(why))) {
		ft_err("synthetic event: %s", why);
		return -EINVAL;
	}
	if (ft_tfs_event_exists(t, NULL, "synthetic", name, NULL)) {
		ft_err("synthetic event %s exists already; pick another name", name);
		return -EEXIST;
	}
	if (asprintf(&line, "s:%s", def) < 0)
		return -ENOMEM;
	if (dry) {
		ret = ft_writes_tfs(dry, FT_WRITE_APPEND, ft_tfs_dir(t), NULL, "dynamic_events",
				    line);
		free(line);
		return ret;
	}
	ret = ft_ledger_dynevent_add(l, "dynamic_events", "synthetic", name, line);
	if (ret) {
		char *entry = ft_tfs_error_last(t, NULL);
		struct ft_trig_error e;

		if (entry && !ft_trig_kernel_error(entry, line, &e))
			ft_trig_report(line, &e, "dynamic_events");
		else
			ft_err("cannot define synthetic event '%s': %s", def, strerror(-ret));
		free(entry);
	} else {
		fprintf(out, "defined synthetic event '%s'\n", def);
	}
	free(line);
	return ret;
}
