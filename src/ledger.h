/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_LEDGER_H
#define FT_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "journal.h"

struct ft_tfs;

struct ft_ledger;

/* A session's ledger, or the persistent one. */
const char *ft_ledger_state_dir(void);
int ft_ledger_open(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir);
int ft_ledger_open_persistent(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir);
int ft_ledger_open_tagged(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir,
			  const char *tag);
char *ft_ledger_tagged_path(const char *state_dir, const char *tag);
const struct ft_journal *ft_ledger_objects(const struct ft_ledger *l);
int ft_ledger_undo_one(struct ft_ledger *l, unsigned seq);
int ft_ledger_undo_one_gone(struct ft_ledger *l, unsigned seq, bool *gone);
int ft_ledger_forget(struct ft_ledger *l, unsigned seq);
int ft_ledger_undo_orphan_mounts(struct ft_ledger *l, bool dry_run, FILE *report);
int ft_ledger_bpf_announce(struct ft_ledger *l, const char *pin_dir, const char *sys,
			   const char *event, unsigned *seq);
int ft_ledger_mount_announce(struct ft_ledger *l, const char *fstype, const char *where,
			     unsigned *seq);
int ft_ledger_instance_create(struct ft_ledger *l, const char *name);
int ft_ledger_trigger_add(struct ft_ledger *l, const char *inst, const char *sys, const char *event,
			  const char *text);
int ft_ledger_export_add(struct ft_ledger *l, const char *inst, const char *sys, const char *event,
			 const char *limit);
int ft_ledger_event_enable(struct ft_ledger *l, const char *inst, const char *sys,
			   const char *event);
int ft_ledger_event_filter(struct ft_ledger *l, const char *inst, const char *sys,
			   const char *event, const char *expr);
int ft_ledger_dynevent_add(struct ft_ledger *l, const char *file, const char *group,
			   const char *name, const char *definition);
int ft_ledger_dynevents_add(struct ft_ledger *l, const char *file, const char *group,
			    char *const *names, char *const *defs, size_t n, size_t *made);
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

/**
 * struct ft_undo_op - how the ledger undoes a kind of object that is not a tracefs file
 * @kind: the kind (FT_OBJ_BPF, FT_OBJ_MOUNT)
 * @undo: remove @o; returns 0, -ENOENT when it is gone already, or -errno
 */
struct ft_undo_op {
	enum ft_obj_kind kind;
	int (*undo)(const struct ft_obj *o);
};

/*
 * The undo operations of the backends beside tracefs, each the backend's own function: a
 * const table resolved by the linker (src/undo-ops.c), so that the ledger undoes pinned BPF
 * objects without depending on src/bpf/, and no registry is mutable state.
 */
extern const struct ft_undo_op ft_undo_ops[];
extern const size_t ft_undo_nops;

#endif
