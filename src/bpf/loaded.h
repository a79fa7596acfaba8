/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_LOADED_H
#define FT_BPF_LOADED_H

/*
 * A loaded (or reopened) aggregation, what the files of the BPF backend's kernel side share
 * about it (load.c, pinned.c, control.c, snapshot.c, turns.c; private to src/bpf).
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/ftbpf.h"

struct bpf_object;
struct bpf_link;
struct bpf_map;
struct bpf_program;
struct ft_ksyms;

/**
 * struct ft_bpf_agg - a loaded (or reopened) aggregation
 * @obj: the aggregator's object (full or small build), when this process loaded it; NULL
 *       when reopened from pins
 * @links: the attachments: program A's event, B's (latency mode), A's further events
 * @nlinks: how many
 * @fd_index, @fd_slots, @fd_stats, @fd_ctl, @fd_stacks: its maps (owned when reopened):
 *     slot_of, slots, stats, ctl, stacks
 * @table: the slots, mapped
 * @pinned: pinned by this process: links are disconnected, not detached, when freed
 * @used: which programs are loaded: [A or B][enum ft_bpf_route: classic, raw gate, A's
 *        second raw gate, A on plain raw tracepoints]
 * @plan: the plan
 * @vlog: the verifier's log of a failed load
 * @members: the events program A counts, when more than one (pinned as "events")
 * @nmembers: how many
 * @ksyms: /proc/kallsyms' text symbols, loaded when a key first needs them
 * @dir: reopened from pins: the pin directory (where its events are named)
 * @rows: the rows of a snapshot, kept for the next one (a live view takes one a second); a
 *        rotating aggregation's hold FT_BPF_WINDOW rows
 * @acc: cfg.rotate: the totals of the intervals read so far (turns.c)
 * @built: the live view's last snapshot of a table that does not rotate, when it is in the
 *         table's order with nothing merged: handed back for the next, it is updated in
 *         place (update.c). Compared, never read through: the view may have freed it
 *
 * The functions below are documented where they are defined.
 */
struct ft_bpf_agg {
	struct bpf_object *obj;
	struct bpf_link **links;
	size_t nlinks;
	int fd_index, fd_slots, fd_stats, fd_ctl, fd_stacks;
	struct ft_bpf_table table;
	bool pinned;
	bool used[2][4];
	struct ft_bpf_plan plan;
	char *vlog;
	struct ft_hist_event *members;
	size_t nmembers;
	struct ft_ksyms *ksyms;
	char dir[PATH_MAX];
	struct ft_bpf_row *rows;
	struct ft_bpf_accum *acc;
	const struct ft_hist *built;
};

/* Slots or rows a live view reads at a time (#21): its buffers hold a window's rows. */
#define FT_BPF_WINDOW 4096

#define VLOG_SIZE (256 * 1024) /* bytes of the verifier's log kept */

/* load.c; ft_bpf_log_init() also for snooper.c, which loads its own program */
void ft_bpf_log_init(void);
struct ft_bpf_agg *ft_bpf_agg_alloc(void);
struct bpf_program *ft_bpf_prog_for(struct ft_bpf_agg *a, int which, int route);
struct bpf_map *ft_bpf_map_of(struct ft_bpf_agg *a, const char *name);

/* detach.c */
void ft_bpf_destroy_links(struct ft_bpf_agg *a);

/* control.c */
int ft_bpf_stat_sum(struct ft_bpf_agg *a, uint32_t which, uint64_t *sum, bool zero);
int ft_bpf_stat_any(struct ft_bpf_agg *a, uint32_t which, uint64_t *v);
uint64_t ft_bpf_agg_misses(struct ft_bpf_agg *a);
int ft_bpf_ctl_get(struct ft_bpf_agg *a, uint32_t which, uint64_t *v);
int ft_bpf_ctl_set(struct ft_bpf_agg *a, uint32_t which, uint64_t v);
void ft_bpf_wait_programs(void);

/* turns.c */
int ft_bpf_agg_turn(struct ft_bpf_agg *a);
int ft_bpf_agg_rows_now(struct ft_bpf_agg *a, const struct ft_bpf_row **rows, size_t *n,
			uint64_t *hits);

#endif
