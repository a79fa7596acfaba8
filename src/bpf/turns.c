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
#include <sys/mman.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>

#include "bpf/loaded.h"

/*
 * Add the first @used slots of table @gen, which nothing counts into, to the totals and empty
 * them, a window at a time: the whole of both tables mapped counts 18 MB in the process's
 * memory at 131,072 entries, and the row buffer holds a window's rows, not a table's (#21).
 * A window not added (out of memory) is emptied all the same, as nothing could read it later.
 */
static int add_table(struct ft_bpf_agg *a, uint32_t gen, uint64_t used)
{
	size_t stride = FT_BPF_SLOT(a->plan.cfg.ksize), first = (size_t)gen * a->plan.size;
	size_t end = used < a->plan.size ? (size_t)used : a->plan.size;
	uint64_t g = gen;
	int ret = 0;

	ft_bpf_accum_turn(a->acc);
	for (size_t at = 0; at < end; at += FT_BPF_WINDOW) {
		size_t skip, want = end - at < FT_BPF_WINDOW ? end - at : FT_BPF_WINDOW;
		struct ft_bpf_table w, t;
		uint64_t hits;
		int err = ft_bpf_table_window(a->fd_slots, stride, first + at, want,
					      PROT_READ | PROT_WRITE, &w, &skip);

		if (err)
			return err;
		t = w;
		t.base += skip;
		if (!ret)
			ret = ft_bpf_accum_put(a->acc, a->rows,
					       ft_bpf_table_rows(&t, want, a->rows, &hits));
		err = ft_bpf_table_empty(&t, a->fd_index, want, a->plan.cfg.ksize, &g);
		ft_bpf_table_unmap(&w);
		if (err)
			return err;
	}
	return ft_bpf_ctl_set(a, gen ? FT_BPF_CTL_NEXT1 : FT_BPF_CTL_NEXT, 0) ?: ret;
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
	ret = add_table(a, cur, used);
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
