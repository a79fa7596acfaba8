// SPDX-License-Identifier: GPL-2.0-only
/*
 * The service's BPF backend on the kernel: src/bpf/'s API as struct ft_histsvc_bpf. Unit
 * tests hand the service another table instead, to stand in for the kernel and libbpf.
 */
#include "bpf/ftbpf.h"
#include "histsvc/histsvc.h"
#include "kfeat.h"

static int check(struct ft_tfs *t, const struct ft_hist_spec *spec, struct ft_event_format *fmt,
		 struct ft_event_format *end_fmt, char *why, size_t size)
{
	return ft_bpf_spec_check(t, spec, fmt, end_fmt, NULL, why, size);
}

static const struct ft_histsvc_bpf kernel_bpf = {
	.usable = ft_bpf_usable,
	.check = check,
	.create = ft_bpf_agg_create,
	.pin = ft_bpf_agg_pin,
	.open = ft_bpf_agg_open_pinned,
	.snapshot = ft_bpf_agg_snapshot,
	.pause = ft_bpf_agg_pause,
	.clear = ft_bpf_agg_clear,
	.plan = ft_bpf_agg_plan,
	.destroy = ft_bpf_agg_destroy,
	.remove = ft_bpf_agg_remove,
	.pin_dir = ft_bpf_pin_dir,
	.list = ft_bpf_pinned_list,
	.find = ft_bpf_find,
	.list_free = ft_bpf_pinned_list_free,
	.source = ft_bpf_source_alloc,
};

/**
 * ft_histsvc_bpf_kernel() - the BPF backend that loads into this kernel (src/bpf/)
 *
 * Return: the table (static).
 */
const struct ft_histsvc_bpf *ft_histsvc_bpf_kernel(void)
{
	return &kernel_bpf;
}
