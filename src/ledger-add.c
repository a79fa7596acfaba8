// SPDX-License-Identifier: GPL-2.0-only
/*
 * Making kernel objects through the ledger: each is journaled (a "+" record) before
 * the kernel write that makes it, and retired at once when the write fails. What an object's
 * undo must know (the instance's inode, what a trigger may change) is noted with it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "ledger-int.h"
#include "log.h"
#include "signals.h"
#include "tfs.h"

static int create_obj(struct ft_tfs *t, const struct ft_obj *o)
{
	switch (o->kind) {
	case FT_OBJ_TRIGGER:
		return ft_tfs_trigger_write(t, o->instance, o->system, o->event, o->text, false);
	case FT_OBJ_ENABLE:
		return ft_tfs_event_enable(t, o->instance, o->system, o->event, true);
	case FT_OBJ_FILTER:
		return ft_tfs_event_filter(t, o->instance, o->system, o->event, o->text);
	case FT_OBJ_DYNEVENT:
		return ft_tfs_dynevent_write(t, o->file, o->text);
	case FT_OBJ_INSTANCE:
		return ft_tfs_instance_create(t, o->instance);
	case FT_OBJ_BPF:
	case FT_OBJ_MOUNT:
		return 0; /* the BPF code pins or mounts after the announcement */
	case FT_OBJ_EXPORT:
		return 0; /* the record is all there is */
	default:
		return -EINVAL;
	}
}

/* Append a "=" record for the live object @o and keep the note in memory too. */
static int add_note(struct ft_ledger *l, struct ft_obj *o, const char *note)
{
	char *rec = NULL, *n;
	size_t len = 0;
	FILE *f = open_memstream(&rec, &len);
	int ret;

	if (!f)
		return -ENOMEM;
	ft_journal_format_note(f, o->seq, note);
	fclose(f);
	ret = rec ? ft_ledger_append(l, rec, len) : -ENOMEM;
	free(rec);
	if (!ret && asprintf(&n, "%s%s%s", o->note, *o->note ? " " : "", note) >= 0) {
		free(o->note);
		o->note = n;
	}
	return ret;
}

/*
 * An instance is known by its inode number (ft_tfs_instance_id()), which exists only once it
 * is made: it is noted right after. Failing that, the instance stays in the journal without
 * it, and the guard decides at undo time.
 */
static void note_identity(struct ft_ledger *l, struct ft_obj *o)
{
	unsigned long long ino;
	char note[48];

	if (o->kind != FT_OBJ_INSTANCE || ft_tfs_instance_id(l->tfs, o->instance, &ino))
		return;
	snprintf(note, sizeof(note), "ino=%llu", ino);
	add_note(l, o, note);
}

/*
 * Journal @o, make it, and keep it in the ledger; a failed write is retired at once. @note
 * (what undoing it must know of the state before, or "") goes in the same write as the record.
 */
static int journaled_create_noted(struct ft_ledger *l, struct ft_obj o, const char *note)
{
	struct ft_obj *no;
	char *rec = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	/* A journal that cannot be written is said (naming it) here, not blamed on the kernel. */
	if (ft_ledger_start(l))
		return -ECANCELED;
	o.seq = l->j.next_seq++;
	f = open_memstream(&rec, &len);
	if (!f)
		return -ENOMEM;
	ft_journal_format_obj(f, &o);
	if (note && *note)
		ft_journal_format_note(f, o.seq, note);
	fclose(f);
	ret = ft_ledger_append(l, rec, len);
	free(rec);
	if (ret)
		return -ECANCELED;
	ret = create_obj(l->tfs, &o);
	if (ret) {
		ft_ledger_retire(l, o.seq);
		return ret;
	}
	no = realloc(l->j.objs, (l->j.nobjs + 1) * sizeof(*no));
	if (!no)
		return -ENOMEM;
	l->j.objs = no;
	no[l->j.nobjs] = (struct ft_obj){
		o.seq,		 o.kind,	 strdup(o.instance), strdup(o.system),
		strdup(o.event), strdup(o.file), strdup(o.text),     strdup(note ? note : "")
	};
	l->j.nobjs++;
	note_identity(l, &no[l->j.nobjs - 1]);
	return 0;
}

/* After a stop signal nothing new is made: -ECANCELED, said once here. */
static int stopped(void)
{
	if (!ft_stop_signal)
		return 0;
	ft_err("stopped by %s: nothing more is made, and what this command made is removed",
	       ft_signal_name(ft_stop_signal));
	return -ECANCELED;
}

/*
 * Every change ftrig makes to the kernel comes here (SEC-10): from the first one on, a stop
 * signal only sets the flag, each change and its record are made with the signals held, and
 * after a signal no new object is made: -ECANCELED, so the command's error path removes what it
 * made (apply, trigger add --synth, a session's undo) and nothing is left half done.
 */
static int guarded_create(struct ft_ledger *l, struct ft_obj o, const char *note)
{
	sigset_t old;
	int ret;

	ft_signals_catch();
	ft_signals_hold(&old);
	ret = stopped() ?: journaled_create_noted(l, o, note);
	ft_signals_release(&old);
	return ret;
}

static int journaled_create(struct ft_ledger *l, struct ft_obj o)
{
	return guarded_create(l, o, NULL);
}

/**
 * ft_ledger_instance_create() - journal, then create an instance that must not exist yet
 * @l: the ledger
 * @name: instance name
 *
 * An instance that exists already is refused before anything is journaled, so that a replay
 * can never take it for ftrig's (one made by somebody else between this check and the mkdir
 * makes the mkdir fail, and the record is retired).
 *
 * Return: 0 or -errno (-EEXIST if an instance of that name exists: it is not ours).
 */
int ft_ledger_instance_create(struct ft_ledger *l, const char *name)
{
	unsigned long long ino;
	int ret = ft_tfs_instance_id(l->tfs, name, &ino);

	if (!ret || ret == -ENOTDIR)
		return -EEXIST;
	if (ret != -ENOENT)
		return ret;
	return journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_INSTANCE,
						    .instance = (char *)name,
						    .system = "",
						    .event = "",
						    .file = "",
						    .text = "" });
}

/**
 * ft_ledger_trigger_add() - journal, then write a trigger
 * @l: the ledger
 * @inst: instance name, NULL or "" for the top level
 * @sys: event system
 * @event: event name
 * @text: the trigger; removal later writes "!" and exactly this text
 *
 * What the trigger may change beyond itself (the enable state of an enable_event or
 * disable_event target, the trace_clock a hist trigger on common_timestamp sets) is noted
 * with the record, so that the removal can put it back (src/guard.c).
 *
 * Return: 0 or -errno from the kernel (ft_tfs_error_last() may say more).
 */
int ft_ledger_trigger_add(struct ft_ledger *l, const char *inst, const char *sys, const char *event,
			  const char *text)
{
	struct ft_obj o = { .kind = FT_OBJ_TRIGGER,
			    .instance = (char *)(inst ? inst : ""),
			    .system = (char *)sys,
			    .event = (char *)event,
			    .file = "",
			    .text = (char *)text,
			    .note = "" };
	char note[128];

	ft_guard_note(l->tfs, &o, &l->j, note, sizeof(note));
	return guarded_create(l, o, note);
}

/**
 * ft_ledger_event_enable() - journal, then enable an event in an instance
 * @l: the ledger
 * @inst: instance name, NULL or "" for the top level
 * @sys: event system
 * @event: event name
 *
 * An event somebody else enabled already is left alone and not journaled, so that the undo
 * does not disable what is not ftrig's.
 *
 * Return: 0 or -errno.
 */
int ft_ledger_event_enable(struct ft_ledger *l, const char *inst, const char *sys,
			   const char *event)
{
	char *cur;
	bool on;

	cur = ft_tfs_event_read(l->tfs, inst, sys, event, "enable", NULL);
	on = cur && cur[0] == '1';
	free(cur);
	if (on)
		return 0;
	return journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_ENABLE,
						    .instance = (char *)(inst ? inst : ""),
						    .system = (char *)sys,
						    .event = (char *)event,
						    .file = "",
						    .text = "" });
}

/**
 * ft_ledger_export_add() - record that `ftrig serve` exports the aggregations of an event
 * @l: the ledger (a setup file's tagged journal)
 * @inst: instance name, NULL or "" for the top level
 * @sys: event system
 * @event: event name
 * @limit: the series limit as digits, or "" for serve's own (--limit)
 *
 * Nothing is written to the kernel: the record is what serve reads and what the undo drops.
 *
 * Return: 0 or -errno.
 */
int ft_ledger_export_add(struct ft_ledger *l, const char *inst, const char *sys, const char *event,
			 const char *limit)
{
	return journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_EXPORT,
						    .instance = (char *)(inst ? inst : ""),
						    .system = (char *)sys,
						    .event = (char *)event,
						    .file = "",
						    .text = (char *)limit });
}

/**
 * ft_ledger_event_filter() - journal, then set the filter of an event in an instance
 * @l: the ledger
 * @inst: instance name, NULL or "" for the top level
 * @sys: event system
 * @event: event name
 * @expr: the filter expression; the undo writes "0", which clears it
 *
 * An event that has a filter already is not touched: the filter is somebody else's, and the
 * undo would clear it.
 *
 * Return: 0, -EEXIST if the event has a filter, or -errno from the kernel (-EINVAL: the
 * expression was refused; the event's filter file says why).
 */
int ft_ledger_event_filter(struct ft_ledger *l, const char *inst, const char *sys,
			   const char *event, const char *expr)
{
	char *cur;
	bool none;

	cur = ft_tfs_event_read(l->tfs, inst, sys, event, "filter", NULL);
	none = cur && !strncmp(cur, "none", 4);
	free(cur);
	if (!none)
		return -EEXIST;
	return journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_FILTER,
						    .instance = (char *)(inst ? inst : ""),
						    .system = (char *)sys,
						    .event = (char *)event,
						    .file = "",
						    .text = (char *)expr });
}

/**
 * ft_ledger_dynevent_add() - journal, then define a dynamic event
 * @l: the ledger
 * @file: the tracefs file to write ("dynamic_events", "kprobe_events", ...)
 * @group: the event's group, as the definition names it
 * @name: the event's name, as the definition names it
 * @definition: the line written
 *
 * Return: 0 or -errno.
 */
int ft_ledger_dynevent_add(struct ft_ledger *l, const char *file, const char *group,
			   const char *name, const char *definition)
{
	return journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_DYNEVENT,
						    .instance = "",
						    .system = (char *)group,
						    .event = (char *)name,
						    .file = (char *)file,
						    .text = (char *)definition });
}

/* Keep the objects @o[0..n) in the ledger's memory, as journaled_create_noted() keeps one. */
static int keep_objs(struct ft_ledger *l, const struct ft_obj *o, size_t n)
{
	struct ft_obj *no = realloc(l->j.objs, (l->j.nobjs + n) * sizeof(*no));

	if (!no)
		return -ENOMEM;
	l->j.objs = no;
	for (size_t i = 0; i < n; i++)
		no[l->j.nobjs++] = (struct ft_obj){ o[i].seq,
						    o[i].kind,
						    strdup(o[i].instance),
						    strdup(o[i].system),
						    strdup(o[i].event),
						    strdup(o[i].file),
						    strdup(o[i].text),
						    strdup("") };
	return 0;
}

/* The "-" records of @o[from..n), in one append: the kernel never made them. */
static void retire_batch(struct ft_ledger *l, const struct ft_obj *o, size_t from, size_t n)
{
	char *rec = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&rec, &len);

	if (!f)
		return;
	for (size_t i = from; i < n; i++)
		fprintf(f, "-\t%u\n", o[i].seq);
	fclose(f);
	if (rec && len)
		ft_ledger_append(l, rec, len);
	free(rec);
}

/*
 * Journal the @n definitions in one append, then write them to the kernel in one
 * write(): the kernel runs the lines in order and stops at the first it refuses, so the
 * events made are a prefix, found by looking, and the rest are retired.
 */
static int batch_create(struct ft_ledger *l, struct ft_obj *o, size_t n, size_t *made)
{
	char *rec = NULL, *text = NULL;
	size_t len = 0, tlen = 0, k;
	FILE *f, *g;
	int ret;

	*made = 0;
	if (ft_ledger_start(l))
		return -ECANCELED;
	f = open_memstream(&rec, &len);
	g = open_memstream(&text, &tlen);
	for (size_t i = 0; f && g && i < n; i++) {
		o[i].seq = l->j.next_seq++;
		ft_journal_format_obj(f, &o[i]);
		fprintf(g, "%s\n", o[i].text);
	}
	if (f)
		fclose(f);
	if (g)
		fclose(g);
	ret = f && g && rec && text ? ft_ledger_append(l, rec, len) : -ENOMEM;
	free(rec);
	if (ret) {
		free(text);
		return ret == -ENOMEM ? ret : -ECANCELED;
	}
	ret = ft_tfs_dynevent_write(l->tfs, o[0].file, text);
	free(text);
	for (k = 0; k < n; k++)
		if (ret && !ft_tfs_event_exists(l->tfs, NULL, o[k].system, o[k].event, NULL))
			break;
	retire_batch(l, o, k, n);
	*made = k;
	if (keep_objs(l, o, k))
		return -ENOMEM;
	return ret;
}

/**
 * ft_ledger_dynevents_add() - journal, then define several dynamic events at once
 * @l: the ledger
 * @file: the tracefs file to write ("dynamic_events", "kprobe_events", ...)
 * @group: the events' group, as every definition names it
 * @names: the events' names
 * @defs: the lines written, @defs[i] defining @names[i]
 * @n: how many
 * @made: set to how many were made: @names[0..*made) exist now; on an error, @names[*made]
 *        is the one the kernel refused (the lines after it were not tried)
 *
 * What ft_ledger_dynevent_add() does for one, for many in one journal append and one
 * kernel write, so that hundreds of probes (a glob of kernel functions) take two system
 * calls, not hundreds. The records of those not made are retired.
 *
 * Return: 0 or -errno (-ECANCELED: nothing was written, the cause logged).
 */
int ft_ledger_dynevents_add(struct ft_ledger *l, const char *file, const char *group,
			    char *const *names, char *const *defs, size_t n, size_t *made)
{
	struct ft_obj *o = calloc(n ? n : 1, sizeof(*o));
	sigset_t old;
	int ret;

	*made = 0;
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		o[i] = (struct ft_obj){ .kind = FT_OBJ_DYNEVENT,
					.instance = "",
					.system = (char *)group,
					.event = names[i],
					.file = (char *)file,
					.text = defs[i],
					.note = "" };
	ft_signals_catch();
	ft_signals_hold(&old);
	ret = stopped() ?: n ? batch_create(l, o, n, made) : 0;
	ft_signals_release(&old);
	free(o);
	return ret;
}

/**
 * ft_ledger_bpf_announce() - journal a BPF pin directory before the BPF code pins into it
 * @l: the ledger
 * @pin_dir: the directory under bpffs that will hold the programs, links and maps
 * @sys: the event's system
 * @event: the event's name
 * @seq: set to the record's number; ft_ledger_forget() it if pinning fails
 *
 * Return: 0 or -errno.
 */
int ft_ledger_bpf_announce(struct ft_ledger *l, const char *pin_dir, const char *sys,
			   const char *event, unsigned *seq)
{
	int ret = journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_BPF,
						       .instance = "",
						       .system = (char *)sys,
						       .event = (char *)event,
						       .file = "",
						       .text = (char *)pin_dir });

	if (!ret)
		*seq = l->j.objs[l->j.nobjs - 1].seq;
	return ret;
}

/**
 * ft_ledger_mount_announce() - journal a mount before the BPF code makes it
 * @l: the ledger (the persistent one: the mount stays for the pins in it)
 * @fstype: the file system ("bpffs")
 * @where: the mount point
 * @seq: set to the record's number; ft_ledger_forget() it if the mount fails
 *
 * Undone (ft_bpffs_undo_mount()) after the pins, and only while nothing else is in it.
 *
 * Return: 0 or -errno.
 */
int ft_ledger_mount_announce(struct ft_ledger *l, const char *fstype, const char *where,
			     unsigned *seq)
{
	int ret = journaled_create(l, (struct ft_obj){ .kind = FT_OBJ_MOUNT,
						       .instance = "",
						       .system = (char *)fstype,
						       .event = "",
						       .file = "",
						       .text = (char *)where });

	if (!ret)
		*seq = l->j.objs[l->j.nobjs - 1].seq;
	return ret;
}
