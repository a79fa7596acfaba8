// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ledger's undo: one object now (rm commands), or all of one or several ledgers in
 * dependency order (a session's end, teardown, cleanup). Each removal is checked first by
 * src/guard.c (is it still the object ftrig made?) and made with signals held, so that a
 * Ctrl-C cannot come between the removal and its record in the journal.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "guard.h"
#include "journal.h"
#include "ledger-int.h"
#include "log.h"
#include "signals.h"
#include "tfs.h"

/* EBUSY: the kernel drops references to probes and instances asynchronously; wait, retry. */
#define BUSY_RETRIES 40
#define BUSY_WAIT_NS (50 * 1000 * 1000)

/* An object outside tracefs (pinned BPF, a bpffs mount): its backend's ft_undo_ops entry. */
static int undo_foreign(const struct ft_obj *o)
{
	for (size_t i = 0; i < ft_undo_nops; i++)
		if (ft_undo_ops[i].kind == o->kind)
			return ft_undo_ops[i].undo(o);
	return -EINVAL;
}

/*
 * Undo one object. An object that is already gone counts as undone; one that somebody
 * replaced under its name or in its slot is left alone (-ESTALE, logged by the guard), and
 * what a trigger changed is put back after its removal (src/guard.c says when).
 */
/* Remove @o; *@gone (when not NULL) says that the kernel had lost it already. */
static int undo_obj(struct ft_tfs *t, const struct ft_obj *o, bool *gone)
{
	struct ft_guard_state st;
	char line[512];
	int ret = ft_guard_identity(t, o, &st);

	if (ret)
		return ret;
	switch (o->kind) {
	case FT_OBJ_TRIGGER:
		ret = ft_tfs_trigger_write(t, o->instance, o->system, o->event, o->text, true);
		break;
	case FT_OBJ_ENABLE:
		ret = ft_tfs_event_enable(t, o->instance, o->system, o->event, false);
		break;
	case FT_OBJ_FILTER:
		ret = ft_tfs_event_filter(t, o->instance, o->system, o->event, "0");
		break;
	case FT_OBJ_DYNEVENT:
		if (!strcmp(o->file, "synthetic_events"))
			snprintf(line, sizeof(line), "!%s", o->event);
		else
			snprintf(line, sizeof(line), "-:%s/%s", o->system, o->event);
		ret = ft_tfs_dynevent_write(t, o->file, line);
		break;
	case FT_OBJ_INSTANCE:
		ret = ft_tfs_instance_destroy(t, o->instance);
		break;
	case FT_OBJ_EXPORT:
		ret = 0; /* a record only: dropping it is the undo */
		break;
	default:
		ret = undo_foreign(o);
	}
	if (!ret || ret == -ENOENT)
		ft_guard_restore(t, o, &st);
	if (gone)
		*gone = ret == -ENOENT || (!ret && st.gone);
	return ret == -ENOENT ? 0 : ret;
}

static void forget_at(struct ft_ledger *l, size_t i)
{
	struct ft_obj *o = &l->j.objs[i];

	ft_ledger_retire(l, o->seq);
	ft_obj_release(o);
	memmove(o, o + 1, (l->j.nobjs - i - 1) * sizeof(*o));
	l->j.nobjs--;
}

static ssize_t find_seq(const struct ft_ledger *l, unsigned seq)
{
	for (size_t i = 0; i < l->j.nobjs; i++)
		if (l->j.objs[i].seq == seq)
			return (ssize_t)i;
	return -1;
}

/* Undo the object at @i with the signals held; a removal is never refused (SEC-10). */
static int guarded_undo(struct ft_ledger *l, size_t i, bool *gone)
{
	sigset_t old;
	int ret;

	ft_signals_catch();
	ft_signals_hold(&old);
	ret = undo_obj(l->tfs, &l->j.objs[i], gone);
	ft_signals_release(&old);
	return ret;
}

/**
 * ft_ledger_undo_one() - remove one object now and retire it from the journal
 * @l: the ledger
 * @seq: the object's sequence number (from ft_ledger_objects())
 *
 * For `rm` commands. Objects that depend on it are the caller's business.
 *
 * Return: 0 (also when it was gone already), -ENOENT if the ledger has no such object,
 * -ESTALE if somebody replaced it (it was left alone with a warning, and is retired), or the
 * -errno of the removal (the object stays in the ledger).
 */
int ft_ledger_undo_one(struct ft_ledger *l, unsigned seq)
{
	return ft_ledger_undo_one_gone(l, seq, NULL);
}

/**
 * ft_ledger_undo_one_gone() - ft_ledger_undo_one(), saying whether it was there to remove
 * @l: the ledger
 * @seq: the object's sequence number
 * @gone: set to true when the kernel no longer had it (somebody removed it by hand), so the
 *        caller says "already gone" instead of "removed"; NULL when the caller does not say
 *
 * Return: as ft_ledger_undo_one().
 */
int ft_ledger_undo_one_gone(struct ft_ledger *l, unsigned seq, bool *gone)
{
	ssize_t i = find_seq(l, seq);
	int ret;

	if (gone)
		*gone = false;
	if (i < 0)
		return -ENOENT;
	ret = guarded_undo(l, (size_t)i, gone);
	if (!ret || ret == -ESTALE)
		forget_at(l, (size_t)i);
	return ret;
}

/**
 * ft_ledger_forget() - retire an object without touching the kernel
 * @l: the ledger
 * @seq: the object's sequence number
 *
 * For objects that went by other means (the user removed them, their creation failed).
 *
 * Return: 0 or -ENOENT.
 */
int ft_ledger_forget(struct ft_ledger *l, unsigned seq)
{
	ssize_t i = find_seq(l, seq);

	if (i < 0)
		return -ENOENT;
	forget_at(l, (size_t)i);
	return 0;
}

/* One pass over the objects of one rank, newest first. Returns how many were undone. */
static int undo_pass(struct ft_ledger *l, int rank, bool *busy, FILE *report)
{
	char what[1024], why[1200];
	int done = 0;

	for (size_t i = l->j.nobjs; i-- > 0;) {
		struct ft_obj *o = &l->j.objs[i];
		int ret;

		if (ft_obj_rank(o) != rank)
			continue;
		ret = guarded_undo(l, i, NULL);
		ft_obj_describe(o, what, sizeof(what));
		if (ret == 0 || ret == -ESTALE) {
			if (report && !ret)
				fprintf(report, "removed %s\n", what);
			forget_at(l, i);
			done++;
		} else {
			*busy |= ret == -EBUSY;
			ft_dbg("removing %s: %s", what,
			       ft_tfs_strerror(ret, what, why, sizeof(why)));
		}
	}
	return done;
}

static size_t count_rank(struct ft_ledger *const *l, size_t n, int rank)
{
	size_t count = 0;

	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < l[k]->j.nobjs; i++)
			count += ft_obj_rank(&l[k]->j.objs[i]) == rank;
	return count;
}

/**
 * ft_ledger_undo_set() - remove every object of several ledgers together, in dependency order
 * @l: the ledgers, oldest first (a setup file's lines in apply's order)
 * @n: how many
 * @report: where to print one line per object removed, or NULL
 *
 * Rank by rank (see ft_obj_rank()), over all the ledgers at once, since an object of one may
 * hold an object of another (a trigger of one setup line on the probe of another); within a
 * rank the newest ledger and the newest object go first, as ft_journals_undo_writes() lists
 * them. Each rank is repeated while it makes progress, since triggers can depend on each
 * other; EBUSY is retried for a while because the kernel drops references to probes and
 * instances asynchronously. What cannot be removed stays in its journal; the caller says so.
 *
 * Return: how many objects are left (0 when all are gone).
 */
size_t ft_ledger_undo_set(struct ft_ledger *const *l, size_t n, FILE *report)
{
	struct timespec wait = { 0, BUSY_WAIT_NS };
	size_t left = 0;

	for (int rank = 0; rank <= FT_OBJ_LAST_RANK; rank++) {
		int tries = 0;

		while (count_rank(l, n, rank)) {
			bool busy = false;
			int done = 0;

			for (size_t k = n; k-- > 0;)
				done += undo_pass(l[k], rank, &busy, report);
			if (done > 0)
				continue;
			if (!busy || ++tries > BUSY_RETRIES)
				break;
			nanosleep(&wait, NULL);
		}
	}
	for (size_t k = 0; k < n; k++)
		left += l[k]->j.nobjs;
	return left;
}

/**
 * ft_ledger_undo_all() - remove every object of the ledger, in dependency order
 * @l: the ledger
 * @report: where to print one line per object removed, or NULL
 *
 * As ft_ledger_undo_set() does for one ledger. What cannot be removed stays in the journal,
 * so that `ftrig cleanup --stale` can try again, and is reported.
 *
 * Return: 0 when nothing is left, else -EBUSY.
 */
int ft_ledger_undo_all(struct ft_ledger *l, FILE *report)
{
	char what[1024];

	ft_ledger_undo_set(&l, 1, report);
	for (size_t i = 0; i < l->j.nobjs; i++) {
		ft_obj_describe(&l->j.objs[i], what, sizeof(what));
		ft_err("could not remove %s; it stays in %s for 'ftrig cleanup --stale'", what,
		       l->path);
	}
	return l->j.nobjs ? -EBUSY : 0;
}

/**
 * ft_ledger_undo_orphan_mounts() - undo the mounts of a ledger that holds no pin any more
 * @l: the ledger (the persistent one: `hist start` journals its bpffs mount there)
 * @dry_run: only say what would be undone
 * @report: where "removed ..." (or "would remove ...") lines go; NULL says nothing
 *
 * A bpffs mount is journaled for the pins that follow it. With no FT_OBJ_BPF record left, a
 * mount record is an orphan: the last aggregation was removed, or the `hist start` that
 * journaled it died before its first pin (SIGKILL between the two records). The ledger's
 * lock is held, so no command is between the two records now. The mount itself stays when
 * somebody else pinned there (ft_bpffs_undo_mount() says so); its record goes.
 *
 * Return: how many mount records were retired (or would be).
 */
int ft_ledger_undo_orphan_mounts(struct ft_ledger *l, bool dry_run, FILE *report)
{
	char what[1024];
	int done = 0;

	for (size_t i = 0; i < l->j.nobjs; i++)
		if (l->j.objs[i].kind == FT_OBJ_BPF)
			return 0;
	for (size_t i = l->j.nobjs; i-- > 0;) {
		int ret = 0;

		if (l->j.objs[i].kind != FT_OBJ_MOUNT)
			continue;
		ft_obj_describe(&l->j.objs[i], what, sizeof(what));
		if (!dry_run)
			ret = guarded_undo(l, i, NULL);
		if (report && (!ret || dry_run))
			fprintf(report, "%s %s\n", dry_run ? "would remove" : "removed", what);
		if (dry_run) {
			done++;
			continue;
		}
		if (ret == 0 || ret == -ESTALE) {
			forget_at(l, i);
			done++;
		}
	}
	return done;
}
