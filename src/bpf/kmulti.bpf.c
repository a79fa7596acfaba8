// SPDX-License-Identifier: GPL-2.0-only
/*
 * funccount's counter on kernels with BPF kprobe-multi (fprobe): one program attached by one
 * link to every function of a glob, where the per-event path needs one kprobe event and one
 * perf link per function. The attachment's cookie says which function fired (its index in
 * the list user space attached), so no address is resolved to a name: the names counted are
 * the names attached. Counts are per CPU, summed when read: exact, with no atomic operation
 * on the hot path.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpfcomm.h"
#include "kmulti.h"

const volatile struct ft_kmulti_cfg cfg = {};

/* One slot per function; max_entries is set before load to the number of functions. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

/* Whether the current task passes -p and -c. */
static __always_inline int wanted(void)
{
	char comm[16];

	if (cfg.tid && (__u32)bpf_get_current_pid_tgid() != cfg.tid)
		return 0;
	if (!cfg.has_comm)
		return 1;
	return !bpf_get_current_comm(comm, sizeof(comm)) && ft_comm_is(comm, cfg.comm);
}

SEC("kprobe.multi")
int kmulti_count(void *ctx)
{
	__u32 slot;
	__u64 *n;

	if (!wanted())
		return 0;
	slot = (__u32)bpf_get_attach_cookie(ctx);
	n = bpf_map_lookup_elem(&counts, &slot);
	if (n)
		*n += 1;
	return 0;
}
