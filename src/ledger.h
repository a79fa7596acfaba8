/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_LEDGER_H
#define FT_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct ft_tfs;

/*
 * Kinds of kernel object ftrig creates. The undo order (ft_obj_rank()): pinned BPF programs
 * first (their perf events hold probes), then triggers (they hold events), then enables and
 * event filters, then
 * dynamic events (synthetic before eprobes before k/uprobes), then instances and the bpffs
 * mount ftrig made for its pins.
 */
enum ft_obj_kind {
	FT_OBJ_BPF,
	FT_OBJ_TRIGGER,
	FT_OBJ_ENABLE,
	FT_OBJ_FILTER,
	FT_OBJ_DYNEVENT,
	FT_OBJ_INSTANCE,
	FT_OBJ_MOUNT,
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
 *        directory under bpffs; else ""
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

struct ft_ledger;

/* Pure journal text handling (unit-tested). */
int ft_journal_parse(const char *text, struct ft_journal *j);
void ft_journal_release(struct ft_journal *j);
int ft_journal_format_obj(FILE *f, const struct ft_obj *o);
int ft_journal_format_header(FILE *f, const struct ft_journal *j);
int ft_obj_rank(const struct ft_obj *o);
const char *ft_obj_kind_name(enum ft_obj_kind kind);
int ft_obj_describe(const struct ft_obj *o, char *buf, size_t size);
bool ft_obj_note(const struct ft_obj *o, const char *key, char *buf, size_t size);
int ft_journal_format_note(FILE *f, unsigned seq, const char *note);

/* A session's ledger, or the persistent one. */
const char *ft_ledger_state_dir(void);
int ft_ledger_open(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir);
int ft_ledger_open_persistent(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir);
int ft_ledger_open_tagged(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir,
			  const char *tag);
char *ft_ledger_tagged_path(const char *state_dir, const char *tag);
const struct ft_journal *ft_ledger_objects(const struct ft_ledger *l);
int ft_ledger_undo_one(struct ft_ledger *l, unsigned seq);
int ft_ledger_forget(struct ft_ledger *l, unsigned seq);
int ft_ledger_bpf_announce(struct ft_ledger *l, const char *pin_dir, const char *sys,
			   const char *event, unsigned *seq);
int ft_ledger_mount_announce(struct ft_ledger *l, const char *fstype, const char *where,
			     unsigned *seq);
int ft_ledger_instance_create(struct ft_ledger *l, const char *name);
int ft_ledger_trigger_add(struct ft_ledger *l, const char *inst, const char *sys, const char *event,
			  const char *text);
int ft_ledger_event_enable(struct ft_ledger *l, const char *inst, const char *sys,
			   const char *event);
int ft_ledger_event_filter(struct ft_ledger *l, const char *inst, const char *sys,
			   const char *event, const char *expr);
int ft_ledger_dynevent_add(struct ft_ledger *l, const char *file, const char *group,
			   const char *name, const char *definition);
int ft_ledger_undo_all(struct ft_ledger *l, FILE *report);
size_t ft_ledger_undo_set(struct ft_ledger *const *l, size_t n, FILE *report);
void ft_ledger_close(struct ft_ledger *l);

/**
 * struct ft_session_info - a journal found in the state directory
 * @path: the journal file
 * @alive: its session still runs (it holds the journal's lock)
 * @other_boot: written during an earlier boot, so its objects are gone with that boot
 * @journal: what it records
 */
struct ft_session_info {
	char *path;
	bool alive;
	bool other_boot;
	struct ft_journal journal;
};

int ft_ledger_scan(const char *state_dir, struct ft_session_info **out, size_t *n);
void ft_ledger_scan_free(struct ft_session_info *s, size_t n);
int ft_ledger_replay(struct ft_tfs *tfs, const char *path, bool dry_run, FILE *report);
int ft_ledger_remove_empty(const char *state_dir, bool dry_run, FILE *report);

/* src/bpf/pin.c: remove a pin directory ftrig made under bpffs (programs, links, maps). */
int ft_bpf_unpin(const char *dir);
int ft_bpffs_unmount(const char *where);
void ft_bpf_pin_root_tidy(void);

#endif
