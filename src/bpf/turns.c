// SPDX-License-Identifier: GPL-2.0-only
/*
 * The turns of a live view's own aggregation (cfg.rotate, TOP-1): the kernel counts into two
 * tables that take turns; each snapshot switches them, reads the table the events have left
 * into the totals (accum.c) and empties it. Split from load.c, which loads and attaches.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>

#include "bpf/loaded.h"

/* Empty table @gen of a rotating aggregation, whose first @used slots were handed out: no
 * program counts into it (the caller made sure). */
static int empty_turn(struct ft_bpf_agg *a, const struct ft_bpf_table *t, uint64_t used,
		      uint32_t gen)
{
	uint64_t g = gen;
	int ret = ft_bpf_table_empty(t, a->fd_index, used, a->plan.cfg.ksize, &g);

	return ret ? ret : ft_bpf_ctl_set(a, gen ? FT_BPF_CTL_NEXT1 : FT_BPF_CTL_NEXT, 0);
}

/* Add the first @used slots of table @t, which nothing counts into, to the totals a window
 * at a time (the row buffer holds a window's rows, not a table's: #21). */
static int add_table(struct ft_bpf_agg *a, const struct ft_bpf_table *t, uint64_t used)
{
	size_t end = used < t->cap ? (size_t)used : t->cap;
	int ret = 0;

	ft_bpf_accum_turn(a->acc);
	for (size_t at = 0; at < end && !ret; at += FT_BPF_WINDOW) {
		struct ft_bpf_table w = *t;
		size_t want = end - at < FT_BPF_WINDOW ? end - at : FT_BPF_WINDOW;
		uint64_t hits;

		w.base += at * t->stride;
		w.cap = (uint32_t)want;
		ret = ft_bpf_accum_put(a->acc, a->rows,
				       ft_bpf_table_rows(&w, want, a->rows, &hits));
	}
	return ret;
}

/**
 * ft_bpf_agg_turn() - one turn of a rotating aggregation (cfg.rotate)
 * @a: the aggregation
 *
 * The events go to the other table (emptied at the last turn), the table they leave is read
 * once the programs still counting into it are done, added to the totals and emptied. So
 * each interval starts with a whole table, and no event is lost or counted twice.
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_turn(struct ft_bpf_agg *a)
{
	uint64_t gen = 0, used = 0;
	struct ft_bpf_table t = a->table;
	uint32_t cur;
	int ret = 0;

	if (!a->rows && !(a->rows = malloc(FT_BPF_WINDOW * sizeof(*a->rows))))
		return -ENOMEM;
	ret = ft_bpf_ctl_get(a, FT_BPF_CTL_GEN, &gen);
	if (!ret)
		ret = ft_bpf_ctl_set(a, FT_BPF_CTL_GEN, gen + 1);
	if (ret)
		return ret;
	cur = (uint32_t)(gen & 1);
	ft_bpf_wait_programs();
	ret = ft_bpf_ctl_get(a, cur ? FT_BPF_CTL_NEXT1 : FT_BPF_CTL_NEXT, &used);
	if (ret)
		return ret;
	t.cap = a->plan.size;
	t.base += (size_t)cur * a->plan.size * t.stride;
	ret = add_table(a, &t, used);
	ret = empty_turn(a, &t, used, cur) ?: ret;
	ft_bpf_accum_expire(a->acc);
	return ret;
}

/**
 * ft_bpf_agg_rows_now() - the rows a snapshot shows
 * @a: the aggregation
 * @rows: set to the rows: the totals of a rotating aggregation (after a turn), else the
 *        table's (in @a's row buffer, which must have room for the table; a rotating
 *        aggregation's holds a window's, FT_BPF_WINDOW)
 * @n: set to how many
 * @hits: set to their hits summed (all intervals' for a rotating aggregation)
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_rows_now(struct ft_bpf_agg *a, const struct ft_bpf_row **rows, size_t *n,
			uint64_t *hits)
{
	uint64_t used = 0, expired = 0;
	int ret;

	if (!a->acc) {
		ret = ft_bpf_ctl_get(a, FT_BPF_CTL_NEXT, &used);
		*n = ret ? 0 : ft_bpf_table_rows(&a->table, used, a->rows, hits);
		*rows = a->rows;
		return ret;
	}
	ret = ft_bpf_agg_turn(a);
	if (ret)
		return ret;
	*rows = ft_bpf_accum_rows(a->acc, n, hits, &expired);
	return *rows ? 0 : -ENOMEM;
}
#endif
