/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SETUP_STEPS_H
#define FT_SETUP_STEPS_H

#include <stdbool.h>
#include <stdio.h>

#include "setup/setup.h"

struct ft_tfs;
struct ft_ledger;
struct ft_writes;

/**
 * struct ft_setup_exec - one run of one line: what its step works with, and what it says back
 * @t: tracefs
 * @s: the file (its instance setting is where the line goes)
 * @l: the line
 * @led: the line's own tagged journal, which the engine opened for it; NULL for a dry run
 *       and for lines whose step journals nothing
 * @dry: for a dry run, where the writes go (nothing is written); NULL to write
 * @out: where a real run says what it made
 * @made: set to the probe event the line creates, "GROUP/NAME" (later lines of the file may
 *        name it; it is known only once the probe's words are checked); "" otherwise
 * @why: set to what is wrong with the line's words when the step returns -EINVAL for them
 *       (a usage error, told as FILE:LINE); "" otherwise
 */
struct ft_setup_exec {
	struct ft_tfs *t;
	const struct ft_setup *s;
	const struct ft_setup_line *l;
	struct ft_ledger *led;
	struct ft_writes *dry;
	FILE *out;
	char made[300];
	char why[1024];
};

/**
 * struct ft_setup_step - one row of the step table: what the engine does with a kind of line
 * @kind: the kind of line
 * @journals: what a line of this kind makes goes into the line's tagged journal, so that
 *            diff sees it and teardown undoes it (ft_ledger_undo_set()); a setting that
 *            journals nothing (buffer-size, dump-dir) is left in place by teardown
 * @run: check the line, then make it through @x->led, or with @x->dry put its writes there;
 *       the same core functions the line's command runs. Returns 0 or -errno (logged, or
 *       for a usage error in @x->why)
 * @there: for a line whose journal holds nothing, whether what it asks for is in place now
 */
struct ft_setup_step {
	enum ft_setup_kind kind;
	bool journals;
	int (*run)(struct ft_setup_exec *x);
	bool (*there)(struct ft_tfs *t, const struct ft_setup *s, const struct ft_setup_line *l);
};

const struct ft_setup_step *ft_setup_step(enum ft_setup_kind kind);

#endif
