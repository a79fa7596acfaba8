/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_H
#define FT_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * The one histogram data model. The hist-file parser (kernel hist triggers) and the BPF
 * backend both produce a struct ft_hist; dumps, diff, stats and the live view only read it.
 * Keys are typed, so nothing downstream re-parses text.
 */

#define FT_HIST_MAX_KEYS 8 /* the kernel's TRACING_MAP_KEYS_MAX (one more than it allows) */
#define FT_HIST_MAX_VALS 16 /* TRACING_MAP_VALS_MAX */

/* What one part of a compound key holds. */
enum ft_key_kind {
	FT_KEY_NUM, /* number: u.num (s.num if signed) */
	FT_KEY_HEX, /* number the kernel printed in hex (.hex) */
	FT_KEY_SYM, /* address u.num with symbol str (.sym, .sym-offset; "mod" kept in str) */
	FT_KEY_STR, /* string str */
	FT_KEY_EXECNAME, /* pid u.num with its comm str (.execname) */
	FT_KEY_SYSCALL, /* syscall number u.num with its name str, NULL if unknown (.syscall) */
	FT_KEY_LOG2, /* log2 bucket "~ 2^n", num = n: lo <= x < hi (.log2; see below) */
	FT_KEY_BUCKET, /* linear bucket "~ a-b": lo = num = a <= x < hi = b + 1 (.buckets=N) */
	FT_KEY_STACK, /* stack trace: frames[0] is the innermost (stacktrace key) */
};

/*
 * The kernel's log2 key is ilog2(roundup_pow_of_two(x)): bucket n holds 2^(n-1) < x <= 2^n,
 * so lo = 2^(n-1) + 1 and hi = 2^n + 1 (bucket 0 holds 0 and 1: lo = 0, hi = 2). Measured on
 * the 6.1 kernel (tests/fixtures/vm-6.1/hist/log2.hist: every byte count in ~ 2^5 is 32).
 * A backend that counts log2 buckets itself must use the same bounds.
 */
uint64_t ft_log2_lo(unsigned n);
uint64_t ft_log2_hi(unsigned n);

/**
 * struct ft_key - one part of an entry's key
 * @kind: what it holds
 * @num: the number (pid, address, syscall number, plain value; signed values as two's
 *       complement with the column's @is_signed set)
 * @lo: bucket lower bound (LOG2, BUCKET)
 * @hi: bucket upper bound, exclusive (LOG2, BUCKET)
 * @str: symbol, string, comm or syscall name; NULL when none
 * @frames: stack frames, innermost first (STACK)
 * @nframes: how many
 */
struct ft_key {
	enum ft_key_kind kind;
	uint32_t nframes; /* beside @kind, not on its own: 48 bytes, not 56 (#21) */
	uint64_t num;
	uint64_t lo, hi;
	const char *str;
	const char **frames;
};

/**
 * struct ft_hist_col - the description of a key or value column
 * @name: field name as the trigger names it ("common_pid", "hitcount", "bytes_req",
 *        "stacktrace", a variable or expression text)
 * @modifier: "execname", "log2", "buckets=100", "hex", "sym", "percent", ... or ""
 * @kind: for keys, the kind every entry's part of this column has
 * @is_signed: numbers in this column are signed
 * @shown: for values, the kernel prints the column (hitcount and fields; not expressions)
 *
 * A value column with modifier "percent" holds hundredths of a percent of the column's total
 * (the kernel prints nothing else), one with "graph" the length of its bar (0..20 '#', 20 for
 * the largest row): the raw numbers are not in the hist file.
 */
struct ft_hist_col {
	const char *name;
	const char *modifier;
	enum ft_key_kind kind;
	bool is_signed;
	bool shown;
};

/**
 * struct ft_hist_action - what an onmax()/onchange() handler printed for one entry
 * @handler: "max" or "changed" (as the kernel labels the line)
 * @value: the tracked variable's value (the maximum, or the last value)
 * @nsaved: how many save() fields follow
 * @names: their names
 * @values: their values as printed (numbers in decimal, strings trimmed)
 * @line: the whole line, as printed without the leading tab
 */
struct ft_hist_action {
	const char *handler;
	uint64_t value;
	size_t nsaved;
	const char **names;
	const char **values;
	const char *line;
};

/**
 * struct ft_hist_entry - one row: a compound key and its values
 * @keys: nkeys parts, in the order of the hist's key columns
 * @vals: nvals values, in the order of the value columns (hitcount first when present)
 *
 * The handler lines printed under a row are beside the rows, not in them
 * (ft_hist_entry_actions()): few hists have any, and a row of a full table of 131,072 is
 * then 16 bytes, not 32 (#21).
 */
struct ft_hist_entry {
	struct ft_key *keys;
	uint64_t *vals;
};

/**
 * struct ft_hist_actions - the handler lines the kernel printed under one row
 * @v: them, or NULL
 * @n: how many
 */
struct ft_hist_actions {
	struct ft_hist_action *v;
	size_t n;
};

/**
 * struct ft_hist - one histogram snapshot
 * @event: "system:event"
 * @instance: instance name, "" for the top level
 * @trigger: the trigger as the kernel lists it (hist backend) or the equivalent (bpf)
 * @name: the hist's name= or ""
 * @filter: the trigger's filter (after " if "), or ""
 * @paused: the trigger is paused (listed "[paused]")
 * @size: the table size (size=), 0 if not known
 * @backend: "hist" or "bpf"
 * @taken: when the snapshot was read (CLOCK_REALTIME)
 * @taken_mono: when the snapshot was read (CLOCK_MONOTONIC), for rates
 * @interval_ns: 0 for a snapshot; for an interval delta (ft_hist_delta()), the time between
 *               the two snapshots it came from, in nanoseconds
 * @nkeys: key columns
 * @keys: their descriptions
 * @nvals: value columns
 * @vals: their descriptions
 * @entries: the rows, in the order the source gave them
 * @nentries: how many rows
 * @hits: the Totals "Hits:" line (events seen)
 * @nentries_total: the Totals "Entries:" line
 * @dropped: the Totals "Dropped:" line (events lost because the table was full)
 * @unindexed: how many times the kernel refused to index a BPF aggregation's new key
 *             though the table had room; the events of such keys are counted apart and
 *             merged into their rows, not lost
 * @index_err: the errno of the latest such refusal (0: none), which says why
 * @missed: a BPF aggregation's events the kernel did not run its program for (a nested run
 *          of BPF on their CPU: bpf_prog_info.recursion_misses), lost like @dropped
 * @extra: lines that belong to the hist but are not rows (onmax/onchange output), kept as is
 * @nextra: how many
 * @unknown: lines the parser did not understand, kept and reported, never fatal
 * @nunknown: how many
 * @overflowed: rows and totals holding a number past 2^64 - 1, which no kernel prints (the
 *              parser saturated it at UINT64_MAX; see src/hist/parse.c)
 * @noverflowed: how many
 * @actions: the handler lines of each entry, by entry index (ft_hist_entry_actions()), or
 *           NULL when no entry has any
 * @arena: private: the memory all strings and arrays above live in
 * @entries_cap: private: entries @entries (and @actions) have room for
 */
struct ft_hist {
	const char *event;
	const char *instance;
	const char *trigger;
	const char *name;
	const char *filter;
	bool paused;
	unsigned size;
	const char *backend;
	struct timespec taken;
	struct timespec taken_mono;
	uint64_t interval_ns;
	size_t nkeys;
	struct ft_hist_col keys[FT_HIST_MAX_KEYS];
	size_t nvals;
	struct ft_hist_col vals[FT_HIST_MAX_VALS];
	struct ft_hist_entry *entries;
	size_t nentries;
	uint64_t hits;
	uint64_t nentries_total;
	uint64_t dropped;
	uint64_t unindexed;
	int index_err;
	uint64_t missed;
	const char **extra;
	size_t nextra;
	const char **unknown;
	size_t nunknown;
	const char **overflowed;
	size_t noverflowed;
	struct ft_hist_actions *actions;
	void *arena;
	size_t entries_cap;
};

struct ft_hist *ft_hist_alloc(const char *event, const char *instance, const char *backend);
struct ft_hist *ft_hist_recycle(struct ft_hist *old, const char *event, const char *instance,
				const char *backend);
void ft_hist_free(struct ft_hist *h);
void ft_hist_free_all(struct ft_hist **v, size_t n);
void *ft_hist_mem(struct ft_hist *h, size_t size);
const struct ft_hist_actions *ft_hist_entry_actions(const struct ft_hist *h,
						    const struct ft_hist_entry *e);
struct ft_hist_actions *ft_hist_entry_actions_add(struct ft_hist *h, const struct ft_hist_entry *e);
const char *ft_hist_strdup(struct ft_hist *h, const char *s);
const char *ft_hist_strndup(struct ft_hist *h, const char *s, size_t n);
struct ft_hist_entry *ft_hist_add_entry(struct ft_hist *h);
struct ft_hist_entry *ft_hist_add_entries(struct ft_hist *h, size_t n);
struct ft_hist_entry *ft_hist_add_entry_keys(struct ft_hist *h, struct ft_key *keys,
					     uint64_t *vals);
int ft_hist_add_line(struct ft_hist *h, const char ***list, size_t *n, const char *line);
uint64_t ft_hist_sum(const struct ft_hist *h, size_t val);
const char *ft_hist_key_unit(const struct ft_hist *h, size_t key);

#endif
