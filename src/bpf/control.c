// SPDX-License-Identifier: GPL-2.0-only
/*
 * Controlling a loaded or reopened aggregation: its control words, pause and continue, and
 * clear (the table emptied and the statistics zeroed, as the kernel clears a hist).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <linux/membarrier.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/loaded.h"

enum stat_fold { STAT_SUM, STAT_MAX, STAT_ZERO, STAT_PUT };

/* One statistic's per-CPU values summed or maxed into @out, zeroed, or (STAT_PUT) set to
 * @out on the first CPU and zero on the others: the one access to the statistics array. */
static int stat_fold(struct ft_bpf_agg *a, uint32_t which, uint64_t *out, enum stat_fold how)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v;
	int ret = 0;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (how == STAT_PUT)
		v[0] = *out;
	if (how == STAT_ZERO || how == STAT_PUT)
		ret = bpf_map_update_elem(a->fd_stats, &which, v, BPF_ANY) ? -errno : 0;
	else if (bpf_map_lookup_elem(a->fd_stats, &which, v))
		ret = -errno;
	for (int i = 0; !ret && how == STAT_SUM && i < ncpu; i++)
		*out += v[i];
	for (int i = 0; !ret && how == STAT_MAX && i < ncpu; i++)
		*out = v[i] > *out ? v[i] : *out;
	free(v);
	return ret;
}

/**
 * ft_bpf_stat_sum() - one statistic summed over the possible CPUs, or zeroed
 * @a: the aggregation
 * @which: enum ft_bpf_stat
 * @sum: the sum is added to it (unless @zero)
 * @zero: zero the statistic instead
 *
 * Return: 0 or -errno.
 */
int ft_bpf_stat_sum(struct ft_bpf_agg *a, uint32_t which, uint64_t *sum, bool zero)
{
	return stat_fold(a, which, sum, zero ? STAT_ZERO : STAT_SUM);
}

/**
 * ft_bpf_stat_any() - one statistic that is a value, not a count: the largest CPU's
 * @a: the aggregation
 * @which: enum ft_bpf_stat (FT_STAT_INDEX_ERR)
 * @v: set to it, 0 when no CPU set it
 *
 * Return: 0 or -errno (-ENOENT: a map pinned by a build without it).
 */
int ft_bpf_stat_any(struct ft_bpf_agg *a, uint32_t which, uint64_t *v)
{
	*v = 0;
	return stat_fold(a, which, v, STAT_MAX);
}

/* The runs of one program the kernel skipped (0 before 5.12, which does not count them). */
static uint64_t prog_misses(int fd)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);

	return fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) ? info.recursion_misses : 0;
}

/* The runs the kernel skipped of every program of @a since they were loaded: those this
 * process loaded, or the programs pinned in its directory (prog_*) when reopened. */
static uint64_t misses_since_load(struct ft_bpf_agg *a)
{
	uint64_t n = 0;
	struct dirent *de;
	DIR *d;

	for (int w = 0; a->obj && w < 2; w++)
		for (int r = 0; r < 4; r++)
			if (a->used[w][r])
				n += prog_misses(bpf_program__fd(ft_bpf_prog_for(a, w, r)));
	if (a->obj || !*a->dir || !(d = opendir(a->dir)))
		return n;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		int fd;

		if (strncmp(de->d_name, "prog_", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s", a->dir, de->d_name);
		fd = bpf_obj_get(path);
		n += prog_misses(fd);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return n;
}

/**
 * ft_bpf_agg_misses() - events the kernel did not run the aggregation's programs for
 * @a: the aggregation
 *
 * A tracepoint's BPF program is skipped when BPF already runs on the CPU (the classic
 * tracepoint's bpf_prog_active, a raw tracepoint program's own recursion guard): an event
 * from an interrupt of another tracing program, or from within one. The kernel counts these
 * per program (bpf_prog_info.recursion_misses: from 5.12, and from 6.7 for classic
 * tracepoints); they are lost events, counted since the last clear.
 *
 * Return: the count; 0 where the kernel does not count them.
 */
uint64_t ft_bpf_agg_misses(struct ft_bpf_agg *a)
{
	uint64_t n = misses_since_load(a), base = 0;

	/* a map pinned by an older build has no base: since the load, then */
	ft_bpf_stat_sum(a, FT_STAT_MISS_BASE, &base, false);
	return n > base ? n - base : 0;
}

/**
 * ft_bpf_ctl_get() - read a word of an aggregation's control array
 * @a: the aggregation
 * @which: FT_BPF_CTL_*
 * @v: set to its value
 *
 * Return: 0 or -errno.
 */
int ft_bpf_ctl_get(struct ft_bpf_agg *a, uint32_t which, uint64_t *v)
{
	return bpf_map_lookup_elem(a->fd_ctl, &which, v) ? -errno : 0;
}

/**
 * ft_bpf_ctl_set() - write a word of an aggregation's control array
 * @a: the aggregation
 * @which: FT_BPF_CTL_*
 * @v: the value
 *
 * Return: 0 or -errno.
 */
int ft_bpf_ctl_set(struct ft_bpf_agg *a, uint32_t which, uint64_t v)
{
	return bpf_map_update_elem(a->fd_ctl, &which, &v, BPF_ANY) ? -errno : 0;
}

/**
 * ft_bpf_agg_pause() - stop or resume counting (hist pause / cont)
 * @a: the aggregation
 * @pause: true to pause
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_pause(struct ft_bpf_agg *a, bool pause)
{
	return ft_bpf_ctl_set(a, FT_BPF_CTL_PAUSED, pause);
}

/**
 * ft_bpf_wait_programs() - wait until no program runs that began before
 *
 * They run under RCU, and a global membarrier is a synchronize_rcu(). Where it is refused
 * (nohz_full), a pause longer than any run.
 */
void ft_bpf_wait_programs(void)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		usleep(10000);
}

/* Unindex and zero the first @used slots of a paused table (mapped writable for this). */
static int empty_table(struct ft_bpf_agg *a, uint64_t used)
{
	struct ft_bpf_table w;
	int ret = ft_bpf_table_map(a->fd_slots, a->plan.size, a->plan.cfg.ksize,
				   PROT_READ | PROT_WRITE, &w);

	if (!ret) {
		ret = ft_bpf_table_empty(&w, a->fd_index, used, a->plan.cfg.ksize, NULL);
		ft_bpf_table_unmap(&w);
	}
	return ret;
}

/* Forget every CPU's front (agg.bpf.c): its slot may go to another key now. Adds 2, so the
 * low bit (the table of a rotating aggregation) stays. */
static int new_gen(struct ft_bpf_agg *a)
{
	uint64_t gen = 0;
	int ret = ft_bpf_ctl_get(a, FT_BPF_CTL_GEN, &gen);

	return ret ? ret : ft_bpf_ctl_set(a, FT_BPF_CTL_GEN, gen + 2);
}

/**
 * ft_bpf_agg_clear() - empty the table and zero the hits and drops (hist clear)
 * @a: the aggregation
 *
 * As the kernel clears a hist: paused, and once the events already counting are done.
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_clear(struct ft_bpf_agg *a)
{
	uint64_t paused = 0, used = 0;
	int ret = ft_bpf_ctl_get(a, FT_BPF_CTL_PAUSED, &paused);

	if (!ret)
		ret = ft_bpf_ctl_set(a, FT_BPF_CTL_PAUSED, 1);
	if (ret)
		return ret;
	ft_bpf_wait_programs();
	ret = new_gen(a);
	if (!ret)
		ret = ft_bpf_ctl_get(a, FT_BPF_CTL_NEXT, &used);
	if (!ret)
		ret = empty_table(a, used);
	if (!ret)
		ret = ft_bpf_ctl_set(a, FT_BPF_CTL_NEXT, 0);
	if (!ret)
		ret = ft_bpf_stat_sum(a, FT_STAT_DROPPED, NULL, true);
	/* an older build's pinned map has no such statistics: nothing to zero there */
	for (uint32_t s = FT_STAT_UNINDEXED; !ret && s < FT_STAT_MISS_BASE; s++)
		ft_bpf_stat_sum(a, s, NULL, true);
	if (!ret) {
		uint64_t base = misses_since_load(a);

		stat_fold(a, FT_STAT_MISS_BASE, &base, STAT_PUT);
	}
	return ft_bpf_ctl_set(a, FT_BPF_CTL_PAUSED, paused) ?: ret;
}
#endif
