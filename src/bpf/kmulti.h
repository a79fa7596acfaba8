/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_KMULTI_H
#define FT_BPF_KMULTI_H

/*
 * The contract between the kprobe-multi counter (kmulti.bpf.c: one program, one BPF link on
 * every function of a glob) and user space (kmulti.c): the read-only configuration. The
 * attachment's cookie of each function is its index in the list of functions, which is also
 * its slot in the counts map. Only fixed-width types, so both compilers lay it out the same.
 */
#include <linux/types.h>

/**
 * struct ft_kmulti_cfg - the program's read-only configuration, set before load
 * @tid: only this thread (-p, as the per-event path's common_pid filter), 0 for all
 * @has_comm: only tasks named @comm (-c)
 * @comm: the name, NUL padded
 */
struct ft_kmulti_cfg {
	__u32 tid;
	__u32 has_comm;
	char comm[16];
};

#endif
