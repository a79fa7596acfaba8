// SPDX-License-Identifier: GPL-2.0-only
/*
 * The setup engine's runs: each line through its step (src/setup/steps.c), dry for plan and
 * for the checks apply makes before it writes anything, real for apply, with the line's own
 * tagged journal opened here and passed down; undoing what lines made; and the plan as data
 * (struct ft_plan), which `plan` prints and tests read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "setup/engine.h"
#include "setup/steps.h"
#include "tfs.h"
#include "undo-writes.h"

/*
 * Line @i through its step. With @dry its writes go there and what it would say is dropped;
 * else it is made, journaled in the line's own journal, and said on @out. @made (may be NULL)
 * is set to the probe event it creates. A usage error in its words is told as FILE:LINE,
 * without the command's usage block (the line is not a command line typed).
 */
static int exec_line(struct ft_setup_run *r, size_t i, struct ft_writes *dry, char *made,
		     size_t size, FILE *out)
{
	const struct ft_setup_line *l = &r->s->lines[i];
	const struct ft_setup_step *st = ft_setup_step(l->kind);
	struct ft_setup_exec x = { .t = r->t, .s = r->s, .l = l, .dry = dry, .out = out };
	char *dropped = NULL;
	size_t len = 0;
	int ret = 0;

	if (dry && !(x.out = open_memstream(&dropped, &len)))
		ret = -ENOMEM;
	else if (!dry && st->journals)
		ret = ft_ledger_open_tagged(&x.led, r->t, ft_ledger_state_dir(), r->tags[i]);
	if (!ret)
		ret = st->run(&x);
	if (ret == -EINVAL && x.why[0])
		ft_err("%s:%u: %.*s ('ftrig help %s' shows the options)", r->s->path, l->lineno,
		       (int)strcspn(x.why, "\n"), x.why, l->argv[0]);
	if (made)
		snprintf(made, size, "%s", x.made);
	ft_ledger_close(x.led);
	if (dry && x.out)
		fclose(x.out);
	free(dropped);
	return ret;
}

/*
 * The dry run of a line that goes into the instance the file is to make: every instance has
 * the top level's events, so the line is checked there (its words without the instance).
 */
static int check_at_top(struct ft_setup_run *r, size_t i, struct ft_writes *w, char *made,
			size_t size)
{
	char *inst = r->s->instance;
	int ret;

	if (r->s->lines[i].kind == FT_SETUP_BUFFER)
		return 0;
	r->s->instance = NULL;
	ret = exec_line(r, i, w, made, size, NULL);
	r->s->instance = inst;
	return ret;
}

/**
 * ft_setup_run_undo_writes() - the undo writes of the journal tagged @tag, as undo goes
 * @r: the run
 * @tag: the tag
 * @w: where the writes are appended
 *
 * Return: 0, -ENOMEM or -EINVAL.
 */
int ft_setup_run_undo_writes(const struct ft_setup_run *r, const char *tag, struct ft_writes *w)
{
	const struct ft_journal *j = ft_setup_run_journal(r, tag);

	return ft_journals_undo_writes(&j, 1, ft_tfs_dir(r->t), w);
}

/*
 * Whether the kernel has hist triggers, where `hist start` (backend auto) uses them: read
 * only (ft_features_detect() tries an eprobe, a write a dry run must not make).
 */
static bool has_hist(struct ft_setup_run *r)
{
	return ft_tfs_exists(r->t, NULL, "events/sched/sched_switch/hist");
}

/*
 * One line's step of the plan: dry-run through its step where the kernel can check it now,
 * else its writes from its words (lines that use what earlier lines create).
 */
static int plan_line(struct ft_setup_run *r, size_t i, struct ft_plan_step *st, int *hist,
		     char *made, size_t size)
{
	const struct ft_setup_line *l = &r->s->lines[i];
	const char *dir = ft_tfs_dir(r->t);
	bool words = ft_setup_words_use_pending(r, i);
	int ret;

	if (r->status[i] == FT_LINE_OK) {
		st->state = FT_PLAN_THERE;
		return 0;
	}
	if (*hist < 0)
		*hist = has_hist(r);
	if (r->status[i] == FT_LINE_PARTIAL) {
		st->state = FT_PLAN_REDO;
		ret = ft_setup_run_undo_writes(r, r->tags[i], &st->w);
		return ret ? ret : ft_setup_line_writes(r->s, l, dir, *hist, &st->w, &st->unknown);
	}
	st->deferred = ft_setup_uses_pending(r, i);
	if (words || (st->deferred && l->kind == FT_SETUP_BUFFER))
		return ft_setup_line_writes(r->s, l, dir, *hist, &st->w, &st->unknown);
	if (!st->deferred)
		return exec_line(r, i, &st->w, made, size, NULL);
	/* Into the instance the file makes: checked at the top level, which has its events. */
	ret = check_at_top(r, i, &st->w, made, size);
	return ret ? ret : ft_writes_into_instance(&st->w, dir, r->s->instance);
}

/**
 * ft_setup_run_plan() - the dry run of apply, as data
 * @r: the run, its file loaded and its status known
 * @p: filled with each line's step in apply's order, then the lines of earlier applies that
 *     are gone from the file; ft_plan_release() it
 * @bad: set to the index of the line refused, or -1
 *
 * Nothing is written, the journals included. On a refused line @p holds the steps up to it.
 *
 * Return: 0, -errno for a refused line (logged; see @bad) or another failure.
 */
int ft_setup_run_plan(struct ft_setup_run *r, struct ft_plan *p, ssize_t *bad)
{
	size_t *order = ft_setup_order(r->s), n = 0;
	char **extra = NULL;
	int ret = order ? 0 : -ENOMEM, hist = -1;

	*bad = -1;
	for (size_t k = 0; !ret && k < r->s->nlines; k++) {
		struct ft_plan_step *st = ft_plan_step_add(p, order[k]);
		char made[300] = "";

		ret = st ? plan_line(r, order[k], st, &hist, made, sizeof(made)) : -ENOMEM;
		if (ret)
			*bad = (ssize_t)order[k];
		else
			ft_setup_note_creations(r, order[k], made);
	}
	n = ret ? 0 : ft_setup_run_extra(r, &extra);
	for (size_t k = 0; k < n && !ret; k++) {
		struct ft_writes *w = ft_plan_extra_add(p, strchr(extra[k], '\n') + 1);

		ret = w ? ft_setup_run_undo_writes(r, extra[k], w) : -ENOMEM;
	}
	free(extra);
	free(order);
	return ret;
}

/*
 * Check every line that apply will run, in apply's order, without writing anything. Lines
 * that use what the file creates are marked in @deferred, to be checked just before their
 * write (still before anything of theirs is written). Returns the index of the first bad
 * line, or -1.
 */
static ssize_t validate(struct ft_setup_run *r, const size_t *order, bool *deferred)
{
	for (size_t k = 0; k < r->s->nlines; k++) {
		struct ft_writes w = { 0 };
		size_t i = order[k];
		char made[300] = "";
		int ret;

		if (r->status[i] == FT_LINE_OK)
			continue;
		deferred[i] = r->status[i] == FT_LINE_PARTIAL || ft_setup_words_use_pending(r, i);
		if (deferred[i])
			continue;
		ret = ft_setup_instance_pending(r) ? check_at_top(r, i, &w, made, sizeof(made))
						   : exec_line(r, i, &w, made, sizeof(made), NULL);
		if (!ret)
			ft_setup_note_creations(r, i, made);
		ft_writes_release(&w);
		if (ret)
			return (ssize_t)i;
	}
	return -1;
}

/* What ft_ledger_undo_set() could not remove, said once per object. */
static size_t tell_left(struct ft_ledger **led, size_t n)
{
	char what[1024];
	size_t left = 0;

	for (size_t k = 0; k < n; k++) {
		const struct ft_journal *j = ft_ledger_objects(led[k]);

		for (size_t o = 0; o < j->nobjs; o++) {
			ft_obj_describe(&j->objs[o], what, sizeof(what));
			ft_err("could not remove %s; 'ftrig teardown' or 'cleanup --all' retries",
			       what);
		}
		left += j->nobjs;
	}
	return left;
}

/*
 * Whether the journal of @tag may hold anything: one that is not there holds nothing to undo,
 * and opening it would make it (and, in a full state directory, say again why it cannot).
 */
static bool journal_exists(const char *tag)
{
	char *path = ft_ledger_tagged_path(ft_ledger_state_dir(), tag);
	bool there = !path || access(path, F_OK) == 0 || errno != ENOENT;

	free(path);
	return there;
}

/**
 * ft_setup_run_undo() - undo what the journals tagged @tags hold, together
 * @r: the run
 * @tags: the tags, in apply's order (the newest journal is undone first within a rank)
 * @n: how many
 * @report: where to say what was removed, or NULL
 *
 * Return: 0 when nothing is left, -EBUSY (what is left has been logged), -ENOMEM.
 */
int ft_setup_run_undo(struct ft_setup_run *r, char **tags, size_t n, FILE *report)
{
	struct ft_ledger **led = calloc(n + 1, sizeof(*led));
	size_t opened = 0, left;

	if (!led)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++)
		if (journal_exists(tags[k]) &&
		    !ft_ledger_open_tagged(&led[opened], r->t, ft_ledger_state_dir(), tags[k]))
			opened++;
	ft_ledger_undo_set(led, opened, report);
	left = tell_left(led, opened);
	for (size_t k = 0; k < opened; k++)
		ft_ledger_close(led[k]);
	free(led);
	return left ? -EBUSY : 0;
}

/* Journal records of a line whose objects are all gone (removed by hand): drop them. */
static void forget_gone(struct ft_setup_run *r, size_t i)
{
	struct ft_ledger *led;
	const struct ft_journal *j;

	if (!journal_exists(r->tags[i]) ||
	    ft_ledger_open_tagged(&led, r->t, ft_ledger_state_dir(), r->tags[i]))
		return;
	j = ft_ledger_objects(led);
	for (size_t o = j->nobjs; o-- > 0;) {
		if (!ft_setup_obj_present(r->t, &j->objs[o]))
			ft_ledger_forget(led, j->objs[o].seq);
		j = ft_ledger_objects(led);
	}
	ft_ledger_close(led);
}

/* apply's writes, in order; on a failure, what this run made is removed again. */
static int apply_lines(struct ft_setup_run *r, const size_t *order, const bool *deferred, FILE *out)
{
	char **made = calloc(r->s->nlines + 1, sizeof(*made));
	size_t nmade = 0, same = 0;
	int ret = made ? 0 : -ENOMEM;

	for (size_t k = 0; made && k < r->s->nlines && !ret; k++) {
		size_t i = order[k];
		const struct ft_setup_line *l = &r->s->lines[i];
		struct ft_writes w = { 0 };

		if (r->status[i] == FT_LINE_OK) {
			same++;
			continue;
		}
		if (r->status[i] == FT_LINE_PARTIAL)
			ft_setup_run_undo(r, &r->tags[i], 1, out);
		else
			forget_gone(r, i);
		made[nmade++] = r->tags[i];
		/* A deferred line's checks, now that what it uses exists. */
		ret = deferred[i] ? exec_line(r, i, &w, NULL, 0, NULL) : 0;
		ft_writes_release(&w);
		if (!ret)
			ret = exec_line(r, i, NULL, NULL, 0, out);
		if (ret) {
			ft_err("%s:%u: failed (see above): %s\nremoving what this apply made; the "
			       "kernel is left as it was",
			       r->s->path, l->lineno, l->key);
			ft_setup_run_undo(r, made, nmade, out);
		}
	}
	if (!ret)
		fprintf(out, "applied %s: %zu line%s made, %zu already there\n", r->s->path, nmade,
			nmade == 1 ? "" : "s", same);
	free(made);
	return ret;
}

/**
 * ft_setup_run_apply() - make what the file says, all or nothing
 * @r: the run, its file loaded and its status known
 * @out: where to say what was made and removed
 *
 * Every line is checked first; then the lines that are not there yet are made in dependency
 * order, each journaled under the file; lines of an earlier apply that the file no longer
 * has are removed.
 *
 * Return: 0, or -errno (a line refused or failed, named FILE:LINE; nothing of this run is
 * left).
 */
int ft_setup_run_apply(struct ft_setup_run *r, FILE *out)
{
	size_t *order = ft_setup_order(r->s), n;
	bool *deferred = calloc(r->s->nlines + 1, sizeof(*deferred));
	char **extra = NULL;
	ssize_t bad;
	int ret = order && deferred ? 0 : -ENOMEM;

	bad = ret ? -1 : validate(r, order, deferred);
	if (bad >= 0) {
		ft_err("%s:%u: refused (see above); nothing was changed", r->s->path,
		       r->s->lines[bad].lineno);
		ret = -EINVAL;
	}
	if (!ret)
		ret = apply_lines(r, order, deferred, out);
	/* The journals of lines gone from the file; none found if they cannot be read. */
	n = ret || ft_setup_run_rescan(r) ? 0 : ft_setup_run_extra(r, &extra);
	if (n)
		ret = ft_setup_run_undo(r, extra, n, out);
	free(extra);
	free(deferred);
	free(order);
	return ret;
}
