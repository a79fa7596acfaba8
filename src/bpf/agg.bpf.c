// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic aggregator. One object, specialised per use through its read-only
 * configuration (struct ft_bpf_cfg in .rodata, set before load): the verifier sees the
 * configuration as constants, so unused key kinds, sums and conditions cost nothing.
 *
 * It reads tracepoint fields by offset and size from the event's format file, never through
 * kernel type information, so the same object loads on every kernel here without CO-RE
 * relocations. Programs A run at the event (or the latency start), programs B at the latency
 * end; the tp_ ones are for tracepoints, the kp_ ones for kprobe/uprobe events and plain
 * probes (their context is pt_regs, so they see no record fields).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "agg.h"

const volatile struct ft_bpf_cfg cfg = {};

/* The table. Its key size is set before load to the plan's packed key size (cfg.ksize), so
 * it is declared by sizes, without BTF types that would then disagree. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2048);
	__uint(key_size, FT_BPF_KEY_MAX);
	__uint(value_size, sizeof(struct ft_bpf_val));
} counts SEC(".maps");

/* Where a key is built: too large for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FT_BPF_KEY_MAX);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FT_STAT_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FT_BPF_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} starts SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline void stat_add(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		(*v)++;
}

static __always_inline int paused(void)
{
	__u32 k = FT_BPF_CTL_PAUSED;
	__u32 *v = bpf_map_lookup_elem(&ctl, &k);

	return v && *v;
}

/* A record field, zero- or sign-extended to 64 bits. Reads 8 bytes and masks, so one read
 * serves every size (probe reads never fault, and records sit in larger buffers). */
static __always_inline __u64 field(void *ctx, const volatile struct ft_bpf_num *n)
{
	__u64 v = 0;
	__u32 shift = 64 - 8 * n->size;

	bpf_probe_read_kernel(&v, sizeof(v), (char *)ctx + n->offset);
	if (n->size >= 8)
		return v;
	v <<= shift;
	return n->is_signed ? (__u64)((__s64)v >> shift) : v >> shift;
}

static __always_inline __u64 number(void *ctx, const volatile struct ft_bpf_num *n, int tp,
				    __u64 lat)
{
	switch (n->src) {
	case FT_SRC_FIELD:
		return tp ? field(ctx, n) : 0;
	case FT_SRC_TID:
		return (__u32)bpf_get_current_pid_tgid();
	case FT_SRC_PID:
		return bpf_get_current_pid_tgid() >> 32;
	case FT_SRC_CPU:
		return bpf_get_smp_processor_id();
	case FT_SRC_LAT:
		return n->usecs ? lat / 1000 : lat;
	}
	return 0;
}

static __always_inline int compare(__u64 a, const volatile struct ft_bpf_cond *c)
{
	__u64 b = c->value;
	int sgn = c->num.is_signed;

	switch (c->op) {
	case FT_OP_EQ:
		return a == b;
	case FT_OP_NE:
		return a != b;
	case FT_OP_LT:
		return sgn ? (__s64)a < (__s64)b : a < b;
	case FT_OP_LE:
		return sgn ? (__s64)a <= (__s64)b : a <= b;
	case FT_OP_GT:
		return sgn ? (__s64)a > (__s64)b : a > b;
	case FT_OP_GE:
		return sgn ? (__s64)a >= (__s64)b : a >= b;
	case FT_OP_AND:
		return (a & b) != 0;
	}
	return 0;
}

/* The filter: an OR of groups of ANDed conditions. */
static __always_inline int pass(void *ctx, int tp)
{
	int group = 1;

#pragma unroll
	for (int i = 0; i < FT_BPF_MAX_CONDS; i++) {
		if (i >= cfg.nconds)
			break;
		if (group && !compare(number(ctx, &cfg.conds[i].num, tp, 0), &cfg.conds[i]))
			group = 0;
		if (cfg.conds[i].or_next || i == cfg.nconds - 1) {
			if (group)
				return 1;
			group = 1;
		}
	}
	return cfg.nconds == 0;
}

static __always_inline __u64 ilog2_roundup(__u64 x)
{
	__u64 r = 0;

	if (x <= 1)
		return 0;
	x--;
#pragma unroll
	for (int i = 32; i > 0; i /= 2) {
		if (x >> i) {
			x >>= i;
			r += i;
		}
	}
	return r + 1;
}

static __always_inline void make_part(void *ctx, char *k, int i, int tp, __u64 lat)
{
	const volatile struct ft_bpf_part *p = &cfg.parts[i];
	char *at = k + p->koff;
	__u64 v;

	switch (p->num.src) {
	case FT_SRC_COMM:
		bpf_get_current_comm(at, FT_BPF_COMM);
		return;
	case FT_SRC_STRFIELD:
		if (tp)
			bpf_probe_read_kernel_str(at, p->klen, (char *)ctx + p->num.offset);
		return;
	case FT_SRC_DYNSTR:
		if (tp) {
			__u32 loc = 0;

			bpf_probe_read_kernel(&loc, sizeof(loc), (char *)ctx + p->num.offset);
			bpf_probe_read_kernel_str(at, p->klen, (char *)ctx + (loc & 0xffff));
		}
		return;
	case FT_SRC_KSTACK:
		*(__u64 *)at = (__u64)(__s64)bpf_get_stackid(ctx, &stacks, 0);
		return;
	case FT_SRC_USTACK:
		*(__u64 *)at = (__u64)(__s64)bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
		return;
	}
	v = number(ctx, &p->num, tp, lat);
	if (p->mod == FT_MOD_LOG2)
		v = ilog2_roundup(v);
	else if (p->mod == FT_MOD_BUCKETS && p->step)
		v = v / p->step * p->step;
	*(__u64 *)at = v;
}

static __always_inline void count(void *ctx, int tp, __u64 lat)
{
	struct ft_bpf_val *v, nv = {};
	__u32 zero = 0;
	char *k = bpf_map_lookup_elem(&scratch, &zero);

	if (!k)
		return;
		/* Strings are read up to their NUL only: the rest of the key must be zero to hash
	 * the same every time. */
#pragma unroll
	for (int i = 0; i < FT_BPF_KEY_MAX / 8; i++)
		if (i < cfg.ksize / 8)
			((__u64 *)k)[i] = 0;
#pragma unroll
	for (int i = 0; i < FT_BPF_MAX_PARTS; i++)
		if (i < cfg.nparts)
			make_part(ctx, k, i, tp, lat);
	stat_add(FT_STAT_HITS);
	v = bpf_map_lookup_elem(&counts, k);
	if (!v) {
		/* A full table says E2BIG (ENOMEM on some kernels); EEXIST means another CPU
		 * inserted the key first. Whatever else keeps the event out is a drop too. */
		long err = bpf_map_update_elem(&counts, k, &nv, BPF_NOEXIST);

		v = err && err != -17 /* EEXIST */ ? NULL : bpf_map_lookup_elem(&counts, k);
		if (!v) {
			stat_add(FT_STAT_DROPPED);
			return;
		}
	}
	__sync_fetch_and_add(&v->hits, 1);
#pragma unroll
	for (int i = 0; i < FT_BPF_MAX_SUMS; i++)
		if (i < cfg.nsums)
			__sync_fetch_and_add(&v->sums[i], number(ctx, &cfg.sums[i], tp, lat));
	if (cfg.want_comm)
		bpf_get_current_comm(v->comm, sizeof(v->comm));
	if (cfg.want_tgid)
		v->tgid = bpf_get_current_pid_tgid() >> 32;
}

/* Program A: count the event, or in latency mode remember when this thread started. */
static __always_inline int run_a(void *ctx, int tp)
{
	__u32 tid;
	__u64 now;

	if (paused() || !pass(ctx, tp))
		return 0;
	if (!cfg.latency) {
		count(ctx, tp, 0);
		return 0;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&starts, &tid, &now, BPF_ANY);
	return 0;
}

/* Program B (latency mode): the thread's end event; count the time since its start. */
static __always_inline int run_b(void *ctx, int tp)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *t0 = bpf_map_lookup_elem(&starts, &tid);
	__u64 lat;

	if (!t0)
		return 0;
	lat = bpf_ktime_get_ns() - *t0;
	bpf_map_delete_elem(&starts, &tid);
	if (!paused())
		count(ctx, tp, lat);
	return 0;
}

SEC("tracepoint")
int tp_a(void *ctx)
{
	return run_a(ctx, 1);
}

SEC("tracepoint")
int tp_b(void *ctx)
{
	return run_b(ctx, 1);
}

SEC("kprobe")
int kp_a(void *ctx)
{
	return run_a(ctx, 0);
}

SEC("kprobe")
int kp_b(void *ctx)
{
	return run_b(ctx, 0);
}
