// SPDX-License-Identifier: GPL-2.0-only
/*
 * The turns of a live view's own aggregation (cfg.rotate, TOP-1): the kernel counts into two
 * tables that take turns; each snapshot switches them, reads the table the events have left
 * into the totals (accum.c) and empties it. Split from load.c, which loads and attaches.
 */
#include <errno.h>
#include <stdint.h>
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

/*
 * One turn of a rotating aggregation (cfg.rotate): the events go to the other table (emptied
 * at the last turn), the table they leave is read once the programs still counting into it
 * are done, added to the totals and emptied. So each interval starts with a whole table, and
 * no event is lost or counted twice.
 */
static int take_turn(struct ft_bpf_agg *a)
{
	uint64_t gen = 0, used = 0, hits;
	struct ft_bpf_table t = a->table;
	uint32_t cur;
	size_t n;
	int ret = ft_bpf_ctl_get(a, FT_BPF_CTL_GEN, &gen);

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
	n = ft_bpf_table_rows(&t, used, a->rows, &hits);
	ret = ft_bpf_accum_add(a->acc, a->rows, n);
	ret = empty_turn(a, &t, used, cur) ?: ret;
	ft_bpf_accum_expire(a->acc);
	return ret;
}

/**
 * ft_bpf_agg_rows_now() - the rows a snapshot shows
 * @a: the aggregation
 * @rows: set to the rows: the totals of a rotating aggregation (after a turn), else the
 *        table's (in @a's row buffer, which must have room for the table)
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
	ret = take_turn(a);
	if (ret)
		return ret;
	*rows = ft_bpf_accum_rows(a->acc, n, hits, &expired);
	return *rows ? 0 : -ENOMEM;
}
#endif
