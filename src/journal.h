/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_JOURNAL_H
#define FT_JOURNAL_H

/*
 * The ledger's journal as data (src/journal.c, pure): the objects ftrig created and the text
 * of the journal file. Below the ledger, so the guard and the backends that undo their own
 * objects can name an object without the ledger.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Kinds of kernel object ftrig creates. The undo order (ft_obj_rank()): pinned BPF programs
 * first (their perf events hold probes), then triggers (they hold events), then enables and
 * event filters, then
 * dynamic events (synthetic before eprobes before k/uprobes), then instances and the bpffs
 * mount ftrig made for its pins. An export is no kernel object: the record of a setup file's
 * `export` line, which `ftrig serve` reads; its undo drops the record and touches nothing.
 */
enum ft_obj_kind {
	FT_OBJ_BPF,
	FT_OBJ_TRIGGER,
	FT_OBJ_ENABLE,
	FT_OBJ_FILTER,
	FT_OBJ_DYNEVENT,
	FT_OBJ_INSTANCE,
	FT_OBJ_MOUNT,
	FT_OBJ_EXPORT,
	FT_OBJ_NKINDS,
};

/**
 * struct ft_obj - one kernel object ftrig created, as the journal records it
 * @seq: its number in the journal
 * @kind: what it is
 * @instance: the instance it lives in ("" for the top level), or the instance's own name
 * @system: event system, or the dynamic event's group
 * @event: event name, or the dynamic event's name
 * @file: for dynamic events, the tracefs file written ("dynamic_events", ...); else ""
 * @text: the exact text written (trigger, filter, dynamic event definition), or for BPF the pin
 *        directory under bpffs, or for an export its series limit (digits, "" for serve's own);
 *        else ""
 */
struct ft_obj {
	unsigned seq;
	enum ft_obj_kind kind;
	char *instance;
	char *system;
	char *event;
	char *file;
	char *text;
	char *note;
};

/**
 * struct ft_journal - the parsed content of one journal file
 * @pid: the session's pid (0 for the persistent journal)
 * @starttime: the session's start time in clock ticks after boot (/proc/PID/stat field 22)
 * @boot_id: the boot the journal was written in; objects of another boot are gone already
 * @objs: objects created and not yet removed, in the order they were created
 * @nobjs: how many
 * @next_seq: the sequence number the next record gets
 * @tag: what a tagged journal belongs to (a setup file's absolute path), "" for none
 * @why: when ft_journal_parse() refused the text, the line and the field at fault
 */
struct ft_journal {
	pid_t pid;
	unsigned long long starttime;
	char boot_id[40];
	char tag[4096];
	struct ft_obj *objs;
	size_t nobjs;
	unsigned next_seq;
	char why[256];
};

/* ft_obj_rank() gives 0 (undone first) to FT_OBJ_LAST_RANK (instances, undone last). */
#define FT_OBJ_LAST_RANK 6

/* Pure journal text handling (unit-tested). */
int ft_journal_parse(const char *text, struct ft_journal *j);
void ft_journal_release(struct ft_journal *j);
int ft_journal_format_obj(FILE *f, const struct ft_obj *o);
int ft_journal_format_header(FILE *f, const struct ft_journal *j);
int ft_obj_rank(const struct ft_obj *o);
void ft_obj_release(struct ft_obj *o);
const char *ft_obj_kind_name(enum ft_obj_kind kind);
int ft_obj_describe(const struct ft_obj *o, char *buf, size_t size);
bool ft_obj_note(const struct ft_obj *o, const char *key, char *buf, size_t size);
int ft_journal_format_note(FILE *f, unsigned seq, const char *note);

#endif
