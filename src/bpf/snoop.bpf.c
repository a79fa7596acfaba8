// SPDX-License-Identifier: GPL-2.0-only
/*
 * The snoop program: execsnoop's and opensnoop's calls, each entry joined with its return in
 * the kernel, one record per call sent to user space through a ring buffer.
 *
 * At the syscalls:sys_enter_* tracepoint it reads the strings behind the call's user
 * pointers (an exec's filename and argv, an open's path), where the event's format file says
 * they are (the attachment's cookie, snoop.h), and keeps them in a map of calls in flight;
 * at the sys_exit_* tracepoint of the same call it adds the return value and sends the
 * record. A path not yet paged in at the entry cannot be read there (a tracepoint program
 * must not fault): an open's is read again at its return, when the kernel has copied it in;
 * a failed exec's too (its memory is still the caller's).
 *
 * The map is keyed by the kind and the thread for opens, by the kind and the process for
 * execs: a successful exec from a thread other than the leader returns as the leader.
 * Nothing is lost without being counted: a full map at an entry and a full ring buffer at a
 * return each add to a counter user space reports.
 *
 * Strings a program passes to exec are often in pages of its binary that a child after
 * fork() has not touched (fork copies no page table entries of file mappings): they cannot
 * be read at the entry. So a successful exec's arguments are read at its return from the new
 * program's argument area, where the kernel has just copied them (and its file name, when
 * the entry could not read it, from right above its environment, where the kernel puts it
 * too: AT_EXECFN). Only these and the task's parent are read through kernel type information
 * (CO-RE, the running kernel's BTF), as bcc's execsnoop reads PPID.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "bpfcomm.h"
#include "snoop.h"

/* The fields of the kernel's structs read here; CO-RE finds their offsets. */
struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
	unsigned long env_end;
} __attribute__((preserve_access_index));

struct task_struct {
	struct task_struct *real_parent;
	struct mm_struct *mm;
	int tgid;
} __attribute__((preserve_access_index));

const volatile struct ft_snoop_cfg cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FT_SNOOP_PENDING);
	__type(key, __u64);
	__type(value, struct ft_snoop_rec);
} pending SEC(".maps");

/* Where a record is built: far too large for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_snoop_rec);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FT_SNOOP_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline void count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&stats, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline int comm_ok(const char *comm)
{
	return !cfg.has_comm || ft_comm_is(comm, cfg.comm);
}

static __always_inline __u64 key_of(__u32 kind, __u64 pid_tgid)
{
	return (__u64)kind << 32 | (kind == FT_SNOOP_EXEC ? pid_tgid >> 32 : (__u32)pid_tgid);
}

static __always_inline __u64 ctx_word(void *ctx, __u32 offset)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), (char *)ctx + offset);
	return v;
}

/* argv[1...] into @r->args, as far as they can be read. */
static __always_inline void read_args(struct ft_snoop_rec *r, __u64 argv)
{
	for (int i = 0; i < FT_SNOOP_ARGS; i++) {
		__u64 p = 0;

		if (bpf_probe_read_user(&p, sizeof(p), (void *)(argv + (i + 1) * 8)) || !p)
			return;
		if (bpf_probe_read_user_str(r->args[i], FT_SNOOP_ARG, (void *)p) < 0)
			return;
		r->argc = i + 1;
	}
	__u64 p = 0;

	if (!bpf_probe_read_user(&p, sizeof(p), (void *)(argv + (FT_SNOOP_ARGS + 1) * 8)) && p)
		r->flags |= FT_SNOOP_TRUNC;
}

SEC("tracepoint")
int snoop_enter(void *ctx)
{
	__u64 c = bpf_get_attach_cookie(ctx), pid_tgid = bpf_get_current_pid_tgid(), key;
	__u32 kind = FT_SNOOP_C_KIND(c), zero = 0;
	struct task_struct *task;
	struct ft_snoop_rec *r;

	if (cfg.tgid && (__u32)(pid_tgid >> 32) != cfg.tgid)
		return 0;
	r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return 0;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	if (!comm_ok(r->comm))
		return 0;
	r->pid = pid_tgid >> 32;
	r->tid = (__u32)pid_tgid;
	r->kind = kind;
	r->flags = 0;
	r->argc = 0;
	r->blob = 0;
	r->ret = 0;
	task = (struct task_struct *)bpf_get_current_task();
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->ptr = ctx_word(ctx, FT_SNOOP_C_A(c));
	r->file[0] = '\0';
	if (bpf_probe_read_user_str(r->file, sizeof(r->file), (void *)r->ptr) < 0)
		r->flags |= FT_SNOOP_NOFILE;
	if (kind == FT_SNOOP_EXEC)
		read_args(r, ctx_word(ctx, FT_SNOOP_C_B(c)));
	key = key_of(kind, pid_tgid);
	if (bpf_map_update_elem(&pending, &key, r, BPF_ANY))
		count(FT_SNOOP_LOST_PENDING);
	return 0;
}

/* A successful exec's arguments (and file name) from the new program's memory. */
static __always_inline void read_new_args(struct ft_snoop_rec *r)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 start = BPF_CORE_READ(mm, arg_start), len = BPF_CORE_READ(mm, arg_end) - start;

	if (len > sizeof(r->args)) {
		len = sizeof(r->args);
		r->flags |= FT_SNOOP_TRUNC;
	}
	if (!bpf_probe_read_user(r->args, len, (void *)start)) {
		r->flags |= FT_SNOOP_BLOB;
		r->blob = len;
	}
	if (r->flags & FT_SNOOP_NOFILE) {
		/* AT_EXECFN: the kernel puts the file name right above the environment. */
		void *execfn = (void *)BPF_CORE_READ(mm, env_end);

		if (bpf_probe_read_user_str(r->file, sizeof(r->file), execfn) >= 0)
			r->flags = (r->flags & ~FT_SNOOP_NOFILE) | FT_SNOOP_LATE;
	}
}

SEC("tracepoint")
int snoop_exit(void *ctx)
{
	__u64 c = bpf_get_attach_cookie(ctx), key;
	__u32 kind = FT_SNOOP_C_KIND(c);
	struct ft_snoop_rec *r;
	long ret;

	key = key_of(kind, bpf_get_current_pid_tgid());
	r = bpf_map_lookup_elem(&pending, &key);
	if (!r)
		return 0; /* its entry was before the program was attached, or filtered out */
	ret = (long)ctx_word(ctx, FT_SNOOP_C_B(c));
	if (cfg.failed && ret >= 0)
		goto out;
	r->ret = ret;
	r->ts = bpf_ktime_get_ns();
	/* bcc's PCOMM: the name after the exec (the caller's, when it failed). */
	if (kind == FT_SNOOP_EXEC)
		bpf_get_current_comm(r->comm, sizeof(r->comm));
	if (kind == FT_SNOOP_EXEC && ret == 0)
		read_new_args(r);
	/* An exec that succeeded runs another program: its argv pointers are gone. */
	if ((r->flags & FT_SNOOP_NOFILE) && (kind == FT_SNOOP_OPEN || ret < 0) &&
	    bpf_probe_read_user_str(r->file, sizeof(r->file), (void *)r->ptr) >= 0)
		r->flags = (r->flags & ~FT_SNOOP_NOFILE) | FT_SNOOP_LATE;
	if (bpf_ringbuf_output(&ring, r, kind == FT_SNOOP_EXEC ? sizeof(*r) : FT_SNOOP_OPEN_SIZE,
			       0))
		count(FT_SNOOP_LOST_RING);
out:
	bpf_map_delete_elem(&pending, &key);
	return 0;
}
