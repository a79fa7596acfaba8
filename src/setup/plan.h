/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SETUP_PLAN_H
#define FT_SETUP_PLAN_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "setup/setup.h"
#include "writes.h"

/*
 * The dry run of apply as data (`plan` prints it, tests assert on it): per line of a setup
 * file, in apply's order, whether apply would make it, and the exact writes.
 */

/* What apply does with a line. */
enum ft_plan_state {
	FT_PLAN_MAKE, /* not there: the writes make it */
	FT_PLAN_THERE, /* made by an earlier apply and still there: nothing to do */
	FT_PLAN_REDO, /* partly there: the writes remove the rest and make it again */
};

/**
 * struct ft_plan_step - what apply would do for one line
 * @line: index into the setup's lines
 * @state: what apply does with it
 * @deferred: it names what an earlier line creates, so its checks run once that exists
 *            (still before any write of its own)
 * @unknown: why its exact writes cannot be known before the earlier lines are made, or NULL
 * @w: the exact writes, in order
 */
struct ft_plan_step {
	size_t line;
	enum ft_plan_state state;
	bool deferred;
	const char *unknown;
	struct ft_writes w;
};

/**
 * struct ft_plan_extra - what an earlier apply made for a line the file no longer has
 * @key: the line's words
 * @w: the writes that remove it
 */
struct ft_plan_extra {
	char *key;
	struct ft_writes w;
};

/**
 * struct ft_plan - the dry run of apply
 * @steps: one per line, in apply's order
 * @nsteps: how many
 * @extra: lines of earlier applies that are gone from the file: apply removes what they made
 * @nextra: how many
 */
struct ft_plan {
	struct ft_plan_step *steps;
	size_t nsteps;
	struct ft_plan_extra *extra;
	size_t nextra;
};

struct ft_plan_step *ft_plan_step_add(struct ft_plan *p, size_t line);
struct ft_writes *ft_plan_extra_add(struct ft_plan *p, const char *key);
int ft_plan_print(const struct ft_plan *p, const struct ft_setup *s, FILE *f);
int ft_plan_json(const struct ft_plan *p, const struct ft_setup *s, ssize_t refused, FILE *f);
void ft_plan_release(struct ft_plan *p);
int ft_writes_into_instance(struct ft_writes *w, const char *dir, const char *inst);
int ft_setup_line_writes(const struct ft_setup *s, const struct ft_setup_line *l, const char *dir,
			 bool hist_triggers, struct ft_writes *w, const char **unknown);

#endif
