// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor of per-event cost: the smallest BPF program that counts an event, one per hook
 * ftrig can use. Each adds one to a per-CPU array slot and nothing else, so what it costs is
 * what the hook itself costs (the kernel running a BPF program there), which no aggregator
 * on the same hook can go below. bench/floor.c loads it with plain libbpf.
 *
 *   floor_tp   a classic tracepoint program (the event's record built, then the program run)
 *   floor_raw  a raw tracepoint program on raw_syscalls' sys_enter, gated by the call number
 *   floor_btf  the same as a BTF-typed raw tracepoint (tp_btf)
 *   floor_rawc floor_raw with the test an exact count of syscalls:sys_enter_* events needs on
 *              x86_64: a compat (32-bit) call's number means another call, and the syscall
 *              events leave such calls out; the current task's thread_info status has
 *              TS_COMPAT then (in_ia32_syscall()). One helper call, a load and a test: what
 *              ftrig's raw gate cannot do without (#21's per-event target)
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Set before load: the call number the raw programs count, and the only process counted
 * (0: every process; the attach benchmark counts the ticking workload's calls alone). The
 * verifier sees both as constants, so an unused test is not even loaded. */
const volatile __u64 nr = 0;
const volatile __u32 tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline int hit(void)
{
	__u32 k = 0;
	__u64 *v;

	if (tgid && bpf_get_current_pid_tgid() >> 32 != tgid)
		return 0;
	v = bpf_map_lookup_elem(&hits, &k);
	if (v)
		(*v)++;
	return 0;
}

SEC("tracepoint")
int floor_tp(void *ctx)
{
	return hit();
}

/* raw_syscalls:sys_enter's arguments: (struct pt_regs *regs, long id). */
SEC("raw_tp")
int floor_raw(__u64 *ctx)
{
	return ctx[1] == nr ? hit() : 0;
}

/* Only the pointer's BTF type matters to the verifier: the load below is checked against it. */
struct task_struct;

/* task_struct starts with thread_info { flags, syscall_work, status } (5.11 on, x86_64). */
#define TASK_STATUS 16
#define TS_COMPAT 0x0002

SEC("raw_tp")
int floor_rawc(__u64 *ctx)
{
	const char *task;

	if (ctx[1] != nr)
		return 0;
	task = (const char *)bpf_get_current_task_btf();
	return *(const __u32 *)(task + TASK_STATUS) & TS_COMPAT ? 0 : hit();
}

SEC("tp_btf/sys_enter")
int floor_btf(__u64 *ctx)
{
	return ctx[1] == nr ? hit() : 0;
}
