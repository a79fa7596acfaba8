/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SETUP_ENGINE_H
#define FT_SETUP_ENGINE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "ledger.h"
#include "setup/plan.h"
#include "setup/setup.h"

/*
 * The setup engine: a setup file against the kernel and the journals of earlier applies.
 * What a line makes is journaled in a tagged journal of its own whose tag is the file's
 * absolute path and the line's words ("PATH\nKEY"): teardown finds every journal of the file
 * however long ago it was applied, diff and apply know which line made which object, and
 * save can write the lines back. Each line runs through its step (src/setup/steps.c), with
 * that journal passed down.
 */

/* Whether what a line makes is in the kernel now. */
enum ft_line_status { FT_LINE_MISSING, FT_LINE_OK, FT_LINE_PARTIAL };

/**
 * struct ft_setup_run - a setup file, the kernel and the journals, as one command sees them
 * @t: tracefs
 * @s: the parsed file (NULL for teardown of a file that is gone)
 * @abs: its absolute path, the first part of its journals' tags
 * @tags: per line, "ABS\nKEY"
 * @status: per line, whether what it makes is there
 * @j: journals of the state directory
 * @nj: how many
 * @pending: names of instances and events the file creates that do not exist yet
 * @npending: how many
 */
struct ft_setup_run {
	struct ft_tfs *t;
	struct ft_setup *s;
	char *abs;
	char **tags;
	enum ft_line_status *status;
	struct ft_session_info *j;
	size_t nj;
	char **pending;
	size_t npending;
};

int ft_setup_run_load(struct ft_setup_run *r, const char *path, bool need_file);
void ft_setup_run_release(struct ft_setup_run *r);
int ft_setup_run_rescan(struct ft_setup_run *r);
void ft_setup_run_status(struct ft_setup_run *r);
const struct ft_journal *ft_setup_run_journal(const struct ft_setup_run *r, const char *tag);
bool ft_setup_tag_of_file(const char *tag, const char *abs);
size_t ft_setup_run_extra(const struct ft_setup_run *r, char ***out);
bool ft_setup_obj_present(struct ft_tfs *t, const struct ft_obj *o);

void ft_setup_note_creations(struct ft_setup_run *r, size_t i, const char *made);
bool ft_setup_words_use_pending(const struct ft_setup_run *r, size_t i);
bool ft_setup_uses_pending(const struct ft_setup_run *r, size_t i);
bool ft_setup_instance_pending(const struct ft_setup_run *r);

int ft_setup_run_plan(struct ft_setup_run *r, struct ft_plan *p, ssize_t *bad);
int ft_setup_run_apply(struct ft_setup_run *r, FILE *out);
int ft_setup_run_undo(struct ft_setup_run *r, char **tags, size_t n, FILE *report);
int ft_setup_run_undo_writes(const struct ft_setup_run *r, const char *tag, struct ft_writes *w);

#endif
