// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF backend's entry points in a build without it (configure --disable-bpf, or libbpf,
 * clang or bpftool missing): each says so.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#if !HAVE_BPF_OBJECTS
#include "bpf/ftbpf.h"
#include "log.h"

struct ft_bpf_agg {
	int unused;
};

static int not_built(void)
{
	ft_err("this ftrig was built without the BPF backend (configure --disable-bpf, or "
	       "libbpf, clang or bpftool missing): use --backend hist");
	return -EOPNOTSUPP;
}

int ft_bpf_agg_create(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		      struct ft_event_format *fmt, struct ft_event_format *end_fmt, bool hist_can,
		      struct ft_bpf_agg **out)
{
	return not_built();
}

int ft_bpf_agg_pin(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name)
{
	return not_built();
}

int ft_bpf_agg_open_pinned(const char *name, struct ft_bpf_agg **out)
{
	return not_built();
}

int ft_bpf_agg_snapshot(struct ft_bpf_agg *a, struct ft_hist **out)
{
	return not_built();
}

int ft_bpf_agg_pause(struct ft_bpf_agg *a, bool pause)
{
	return not_built();
}

int ft_bpf_agg_clear(struct ft_bpf_agg *a)
{
	return not_built();
}

const struct ft_bpf_plan *ft_bpf_agg_plan(const struct ft_bpf_agg *a)
{
	return NULL;
}

void ft_bpf_agg_destroy(struct ft_bpf_agg *a)
{
}

struct ft_source *ft_bpf_source_alloc(struct ft_bpf_agg *a)
{
	errno = EOPNOTSUPP;
	return NULL;
}
#endif
