/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_H
#define FT_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/agg.h"
#include "bpf/table.h"
#include "hist/hist.h"

/*
 * The BPF backend: one generic aggregator (agg.bpf.c) specialised per histogram through its
 * read-only configuration. A plan (pure, unit-tested) is what a ft_hist_spec and the event's
 * format turn into; an aggregation (agg.c) is a loaded and attached plan, temporary (dies
 * with its process) or pinned under /sys/fs/bpf/ftrig/NAME/ (outlives it).
 */

struct ft_hist_spec;
struct ft_event_format;
struct ft_ledger;
struct ft_source;
struct ft_tfs;

#define FT_BPF_TEXT 64

/**
 * struct ft_bpf_colinfo - how a key or value column is presented in the ft_hist
 * @name: the column's field name, as the spec named it
 * @modifier: its modifier ("log2", "execname", "buckets=10", ...) or ""
 * @kind: enum ft_key_kind of the key parts in this column
 * @is_signed: signed numbers
 */
struct ft_bpf_colinfo {
	char name[FT_BPF_TEXT];
	char modifier[32];
	uint8_t kind;
	uint8_t is_signed;
};

/* Which program serves an event: tracepoints get the record, probes get pt_regs. */
enum ft_bpf_attach {
	FT_ATTACH_TRACEPOINT, /* a tracepoint, by its tracefs event id */
	FT_ATTACH_PROBE_EVENT, /* a kprobe/uprobe event defined in tracefs, by its event id */
	FT_ATTACH_KPROBE, /* a plain kprobe ("kprobe:FUNC") without a tracefs event */
	FT_ATTACH_KRETPROBE, /* a plain kretprobe ("kretprobe:FUNC") */
	FT_ATTACH_RAW, /* a raw tracepoint, by name (an attachment's kind, never a plan's) */
};

/* How one event is counted (ft_bpf_raw_route()); the value is also the index of its
 * program's version (classic, raw gate, program A's second raw gate). */
enum ft_bpf_route {
	FT_ROUTE_CLASSIC,
	FT_ROUTE_RAW_SYSCALL,
	FT_ROUTE_RAW_SYSCALL_2,
	FT_ROUTE_RAW_PLAIN, /* program A on the event's own raw tracepoint */
};

/**
 * struct ft_bpf_plan - everything an aggregation needs, in a flat form that is also pinned
 *                      beside it (so `hist dump` can read a pinned aggregation with no spec)
 * @cfg: the aggregator's read-only configuration
 * @system: event system (the start event in latency mode)
 * @event: event name
 * @end_system: latency mode: the end event's system, else ""
 * @end_event: latency mode: the end event's name
 * @name: the aggregation's name ("" for a temporary one)
 * @trigger: the equivalent hist trigger text, for headers and `trigger ls`
 * @attach_a: enum ft_bpf_attach of the event (or start event)
 * @attach_b: enum ft_bpf_attach of the end event (latency mode)
 * @size: table entries (the spec's size, or 2048)
 * @nkeys: key columns (cfg.nparts)
 * @nvals: value columns: hitcount, then cfg.nsums sums
 * @keys: key columns
 * @vals: value columns
 * @nsort: sort keys
 * @sort: sort keys' column names
 * @descending: per sort key
 * @cond_names: the field each filter condition reads
 * @nevents: events program A counts (more than one: the spec's further events)
 * @title: what the aggregation is shown as: "SYSTEM:EVENT", or the pattern that chose its
 *         events ("syscalls:sys_enter_get*")
 */
struct ft_bpf_plan {
	struct ft_bpf_cfg cfg;
	char system[FT_BPF_TEXT];
	char event[FT_BPF_TEXT];
	char end_system[FT_BPF_TEXT];
	char end_event[FT_BPF_TEXT];
	char name[FT_BPF_TEXT];
	char trigger[512];
	uint8_t attach_a;
	uint8_t attach_b;
	uint32_t size;
	uint32_t nkeys;
	uint32_t nvals;
	struct ft_bpf_colinfo keys[FT_BPF_MAX_PARTS];
	struct ft_bpf_colinfo vals[1 + FT_BPF_MAX_SUMS];
	uint32_t nsort;
	char sort[2][FT_BPF_TEXT];
	uint8_t descending[2];
	char cond_names[FT_BPF_MAX_CONDS][FT_BPF_TEXT];
	uint32_t nevents;
	char title[2 * FT_BPF_TEXT];
};

/* plan.c (with plan-field.c, plan-filter.c): spec + format(s) -> plan (pure). */
int ft_bpf_plan_make(const struct ft_hist_spec *spec, const struct ft_event_format *fmt,
		     const struct ft_event_format *end_fmt, bool hist_can, struct ft_bpf_plan *plan,
		     char *err, size_t errsize);
bool ft_bpf_is_probe_event(const struct ft_event_format *fmt);
bool ft_bpf_plan_small(const struct ft_bpf_plan *plan);
bool ft_bpf_plan_lite(const struct ft_bpf_plan *plan);
bool ft_bpf_plan_stacks(const struct ft_bpf_plan *plan);
uint32_t ft_bpf_plan_stack_buckets(const struct ft_bpf_plan *plan);

/* fetch.c: the register a probe event's field is fetched from (pure). */
char *ft_bpf_probe_def(const char *listing, const char *sys, const char *event);
int ft_bpf_fetch_reg(const char *def, const char *field, int *offset, char *why, size_t size);

/* fit.c: the events of a glob against its plan. */
int ft_bpf_plan_fits(const struct ft_bpf_plan *plan, const struct ft_event_format *fmt,
		     const char **missing, bool *first_lacks, char *err, size_t errsize);
bool ft_bpf_plan_names_common(const struct ft_bpf_plan *plan);
int ft_bpf_plan_fit_all(const struct ft_hist_spec *spec, bool hist_can, struct ft_bpf_plan *plan,
			struct ft_event_format **fmts, size_t *n,
			const struct ft_event_format *end_fmt, char *err, size_t errsize);

/* members.c: the events of an aggregation of several, pinned beside it. */
struct ft_hist_event;
int ft_bpf_members_pin(const char *dir, const struct ft_hist_event *ev, size_t n);
bool ft_bpf_members_has(const char *dir, uint32_t n, const char *sys, const char *event);
const char *ft_bpf_members_name(const char *dir, uint32_t index, char *buf, size_t size);

/* loadmsg.c: what a failed load tells the user (pure). */
const char *ft_bpf_vlog_tail(const char *log, int lines);
const char *ft_bpf_load_msg(int ret, const char *vlog, const char *event, bool root, bool hist_can,
			    char *buf, size_t size);

/* raw.c: which events a plan counts on raw tracepoints (pure). */
bool ft_bpf_plan_raw(struct ft_bpf_plan *pl, const struct ft_event_format *const *fmts, size_t n,
		     const struct ft_event_format *end_fmt);
int ft_bpf_raw_route(const struct ft_bpf_plan *pl, int which, const struct ft_event_format *fmt);
const char *ft_bpf_raw_tp(const struct ft_bpf_plan *pl, int which);
bool ft_bpf_raw_layout_known(const struct ft_bpf_plan *pl, const struct ft_event_format *first,
			     const char *sys, const char *ev);

/* accum.c: a rotating aggregation's totals, summed over its intervals (pure). */
struct ft_bpf_accum;
struct ft_bpf_accum *ft_bpf_accum_alloc(uint32_t ksize, size_t limit);
void ft_bpf_accum_free(struct ft_bpf_accum *a);
int ft_bpf_accum_add(struct ft_bpf_accum *a, const struct ft_bpf_row *rows, size_t n);
void ft_bpf_accum_turn(struct ft_bpf_accum *a);
int ft_bpf_accum_put(struct ft_bpf_accum *a, const struct ft_bpf_row *rows, size_t n);
size_t ft_bpf_accum_window(const struct ft_bpf_accum *a, size_t first, struct ft_bpf_row *rows,
			   size_t max);
void ft_bpf_accum_counts(const struct ft_bpf_accum *a, uint64_t *hits, uint64_t *expired);
size_t ft_bpf_accum_expire(struct ft_bpf_accum *a);
const struct ft_bpf_row *ft_bpf_accum_rows(struct ft_bpf_accum *a, size_t *n, uint64_t *hits,
					   uint64_t *expired);

/**
 * struct ft_bpf_resolver - what the conversion asks the kernel side for
 * @stack: the frames of stack @id (innermost first) into @ips; returns how many, or <0
 * @sym: the symbol of kernel address @addr ("func+0x1a" when @offset) into @buf; NULL if none
 * @usym: the symbol of user address @addr in process @pid ("func+0x1a") into @buf; NULL if none
 * @event: "SYSTEM:EVENT" of the aggregation's event number @index into @buf; NULL if unknown
 * @data: passed to each
 */
struct ft_bpf_resolver {
	int (*stack)(void *data, int64_t id, uint64_t *ips, size_t max);
	const char *(*sym)(void *data, uint64_t addr, bool offset, char *buf, size_t size);
	const char *(*usym)(void *data, uint32_t pid, uint64_t addr, char *buf, size_t size);
	const char *(*event)(void *data, uint64_t index, char *buf, size_t size);
	void *data;
};

/* convert.c: map contents -> ft_hist (pure). */
int ft_bpf_hist_build(const struct ft_bpf_plan *plan, const struct ft_bpf_row *rows, size_t n,
		      uint64_t hits, uint64_t dropped, const struct ft_bpf_resolver *res,
		      struct ft_hist **out);
int ft_bpf_hist_merge_keys(struct ft_hist *h);
int ft_bpf_hist_build_unsorted(const struct ft_bpf_plan *plan, const struct ft_bpf_row *rows,
			       size_t n, uint64_t hits, uint64_t dropped,
			       const struct ft_bpf_resolver *res, struct ft_hist *reuse,
			       struct ft_hist **out);

/**
 * struct ft_bpf_rows_reader - rows handed over a window at a time
 * @next: sets *rows to the next window's rows (valid until the next call) and returns how
 *        many; 0 once all were handed over, or -errno
 * @hits: the hits of the rows handed over so far, summed (set by @next)
 * @data: @next's own
 */
struct ft_bpf_rows_reader {
	long (*next)(struct ft_bpf_rows_reader *rd, const struct ft_bpf_row **rows);
	uint64_t hits;
	void *data;
};

int ft_bpf_hist_build_windows(const struct ft_bpf_plan *plan, struct ft_bpf_rows_reader *rd,
			      uint64_t dropped, const struct ft_bpf_resolver *res,
			      struct ft_hist *reuse, struct ft_hist **out);
/**
 * ft_bpf_entry_vals() - an entry's values from its table row: hitcount, then the sums
 * @plan: the table's plan (its nvals values)
 * @vals: the entry's values
 * @row: the row
 *
 * Inline: a live view's refresh does it for each of up to 131,072 rows.
 */
static inline void ft_bpf_entry_vals(const struct ft_bpf_plan *plan, uint64_t *vals,
				     const struct ft_bpf_row *row)
{
	vals[0] = row->val.hits;
	for (size_t k = 1; k < plan->nvals; k++)
		vals[k] = row->val.sums[k - 1];
}

int ft_bpf_hist_add_rows(struct ft_hist *h, const struct ft_bpf_plan *plan,
			 const struct ft_bpf_row *rows, size_t n,
			 const struct ft_bpf_resolver *res);
/* update.c */
int ft_bpf_hist_update_windows(const struct ft_bpf_plan *plan, struct ft_bpf_rows_reader *rd,
			       uint64_t dropped, const struct ft_bpf_resolver *res,
			       struct ft_hist *h);
const char *ft_syscall_name(uint64_t nr);
int ft_syscall_nr(const char *name);

/* agg.c: loading, attaching, pinning, reading (needs libbpf and root). */
struct ft_bpf_agg;

int ft_bpf_spec_check(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		      struct ft_event_format *fmt, struct ft_event_format *end_fmt,
		      struct ft_bpf_plan *plan, char *err, size_t errsize);
int ft_bpf_agg_create(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		      struct ft_event_format *fmt, struct ft_event_format *end_fmt, bool hist_can,
		      struct ft_bpf_agg **out);
int ft_bpf_agg_pin(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name);
int ft_bpf_agg_open_pinned(const char *name, struct ft_bpf_agg **out);
int ft_bpf_agg_snapshot(struct ft_bpf_agg *a, struct ft_hist **out);
int ft_bpf_agg_pause(struct ft_bpf_agg *a, bool pause);
int ft_bpf_agg_clear(struct ft_bpf_agg *a);
const struct ft_bpf_plan *ft_bpf_agg_plan(const struct ft_bpf_agg *a);
void ft_bpf_agg_destroy(struct ft_bpf_agg *a);
int ft_bpf_agg_remove(struct ft_ledger *l, const char *name);
const char *ft_bpffs_root(void);
int ft_bpf_pin_dir(const char *name, char *buf, size_t size);
int ft_bpf_pinned_list(char ***names, size_t *n);
void ft_bpf_pinned_list_free(char **names);
struct ft_source *ft_bpf_source_alloc(struct ft_bpf_agg *a);

/* pin.c: removing pins (also the ledger's undo operations, src/undo-ops.c). */
struct ft_obj;
int ft_bpf_unpin(const char *dir);
int ft_bpf_undo_pin(const struct ft_obj *o);
int ft_bpffs_undo_mount(const struct ft_obj *o);

int ft_bpf_find(const char *sys, const char *event, const char *name, char ***out, size_t *n);

#endif
