/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOOLS_SNOOP_HIST_H
#define FT_TOOLS_SNOOP_HIST_H

/*
 * execsnoop and opensnoop on hist triggers (src/tools/snoop-hist.c runs them): a probe at
 * each call's entry fetches the strings behind its user pointers, its hist trigger saves them
 * as variables keyed by the thread, and the return's hist trigger feeds them with the return
 * value to a synthetic event (onmatch().trace()), which the session's instance records. The
 * texts of those objects, and a record of the synthetic event read back, are made here (pure).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ft_snoop_rec;

/*
 * An exec's arguments after argv[0] shown: a failed exec's trace() passes at most 16
 * parameters (ftrig's trigger model): the event, comm, the file name, each argument's text and
 * pointer, the pointer after them, and ret.
 */
#define FT_SNOOP_HIST_ARGS 5
#define FT_SNOOP_HIST_PENDING \
	8192 /* threads an entry hist keeps (its size): the kernel's
				    * tables never delete an entry */
#define FT_SNOOP_HIST_PROBES 5
#define FT_SNOOP_HIST_TRIGS 6

/**
 * struct ft_snoop_hist - the objects of one snoop tool on hist triggers
 * @synth: the synthetic event of calls that return (an exec's that failed)
 * @synth_ok: an exec's that succeeded, fed at start_thread(); "" for opens
 * @defs: their definitions, as synthetic_events takes them
 * @ndefs: how many
 * @probes: the dynamic events, in the kernel's syntax
 * @nprobes: how many
 * @trig_ev: the event of each hist trigger ("GROUP:NAME"): the entries' first (@nentry)
 * @trig: the hist triggers
 * @ntrig: how many
 * @nentry: how many of them are entries' (their tables keep the calls in flight)
 */
struct ft_snoop_hist {
	char synth[64];
	char synth_ok[64];
	char *defs[2];
	size_t ndefs;
	char *probes[FT_SNOOP_HIST_PROBES];
	size_t nprobes;
	char trig_ev[FT_SNOOP_HIST_TRIGS][96];
	char *trig[FT_SNOOP_HIST_TRIGS];
	size_t ntrig;
	size_t nentry;
};

/**
 * struct ft_snoop_hist_opts - what the texts filter on
 * @kind: enum ft_snoop_kind
 * @group: the session's probe group (also the synthetic event's name, with a suffix)
 * @tids: -p: only these threads (common_pid: the process's when it began), NULL for all
 * @ntids: how many
 * @comm: only tasks of this name at the entry, NULL for all
 * @failed: only calls that failed
 */
struct ft_snoop_hist_opts {
	int kind;
	const char *group;
	const long *tids;
	size_t ntids;
	const char *comm;
	bool failed;
};

int ft_snoop_hist_make(const struct ft_snoop_hist_opts *o, struct ft_snoop_hist *h, char *err,
		       size_t size);
void ft_snoop_hist_release(struct ft_snoop_hist *h);

/**
 * ft_snoop_field_fn - a field of the synthetic event's record
 * @ctx: the caller's
 * @name: the field
 * @str: set to a string field's bytes (not always NUL-terminated), else NULL
 * @len: set to their length
 * @num: set to a number field's value, sign-extended
 *
 * Return: 0, or -ENOENT when the record has no such field.
 */
typedef int (*ft_snoop_field_fn)(void *ctx, const char *name, const char **str, size_t *len,
				 int64_t *num);

int ft_snoop_hist_rec(int kind, bool ok, ft_snoop_field_fn get, void *ctx, struct ft_snoop_rec *r);

#endif
