/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_KMULTI_SRC_H
#define FT_BPF_KMULTI_SRC_H

#include <stddef.h>

struct ft_source;

/**
 * struct ft_kmulti_opts - what a kprobe-multi count counts
 * @funcs: the kernel functions, each once (a glob's matches, ft_probe_glob_kernel())
 * @n: how many
 * @title: what the counts are shown as in messages (the glob)
 * @tid: only this thread (-p), 0 for all
 * @comm: only tasks of this name (-c), NULL for all
 */
struct ft_kmulti_opts {
	char *const *funcs;
	size_t n;
	const char *title;
	long tid;
	const char *comm;
};

int ft_bpf_kmulti_source(const struct ft_kmulti_opts *o, struct ft_source **out);

#endif
