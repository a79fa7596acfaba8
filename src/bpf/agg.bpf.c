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
 *
 * Built three times: in full, small (FT_AGG_SMALL, see agg.h) with the loops cut to the common
 * plans' sizes and no string or stack key parts, and lite (FT_AGG_LITE) for plans of a key
 * and a count: fewer instructions to load and verify.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "agg.h"

#if defined(FT_AGG_LITE)
#define LOOP_SUMS 0
#define LOOP_CONDS 0
#define LOOP_PARTS FT_BPF_LITE_PARTS
#define LOOP_MATCH 0 /* no latency */
#define KEY_MAX FT_BPF_SMALL_KEY
#define HAS_STRINGS 0
#elif defined(FT_AGG_SMALL)
#define LOOP_SUMS FT_BPF_SMALL_SUMS
#define LOOP_CONDS FT_BPF_SMALL_CONDS
#define LOOP_PARTS FT_BPF_MAX_PARTS
#define LOOP_MATCH FT_BPF_MAX_MATCH
#define KEY_MAX FT_BPF_SMALL_KEY
#define HAS_STRINGS 0 /* and stacks */
#else
#define LOOP_SUMS FT_BPF_MAX_SUMS
#define LOOP_CONDS FT_BPF_MAX_CONDS
#define LOOP_PARTS FT_BPF_MAX_PARTS
#define LOOP_MATCH FT_BPF_MAX_MATCH
#define KEY_MAX FT_BPF_KEY_MAX
#define HAS_STRINGS 1
#endif

const volatile struct ft_bpf_cfg cfg = {};

#include "agg-maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline void stat_add(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		(*v)++;
}

static __always_inline void stat_set(__u32 which, __u64 to)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		*v = to;
}

static __always_inline int paused(void)
{
	__u32 k = FT_BPF_CTL_PAUSED;
	__u64 *v = bpf_map_lookup_elem(&ctl, &k);

	return v && *v;
}

/* Where the program runs, and what it has read there. */
enum ctx_kind { CTX_REGS, CTX_TP, CTX_RAW };

/**
 * struct ev - one firing of the event
 * @ctx: the program's context: the record (CTX_TP), pt_regs (CTX_REGS) or the raw
 *       tracepoint's arguments (CTX_RAW)
 * @kind: enum ctx_kind
 * @lat: latency mode, at the end event: the time since the start event (ns)
 * @nr: CTX_RAW: the system call number the gate let through
 * @regs: CTX_RAW: the window of pt_regs the configuration asked for
 * @task: CTX_RAW with the gate's task_btf: the current task (its BTF type), else NULL
 */
struct ev {
	void *ctx;
	int kind;
	__u64 lat;
	__u64 nr;
	__u64 regs[FT_BPF_REGS / 8];
	const char *task;
};

/* The current thread's id (@process 0) or its process's: loaded from the task where the raw
 * gate @which holds it and knows the offset, else from the helper (a call at every event). */
static __always_inline __u32 task_id(struct ev *e, __u32 which, int process)
{
	__u16 off = process ? cfg.raw[which].task_tgid : cfg.raw[which].task_pid;

	/* Tested on the configuration, not on @e->task: 6.1's verifier does not take the
	 * helper's task as never NULL, and would walk a NULL branch too (see in_compat()). */
	if (e->kind == CTX_RAW && cfg.raw[which].task_btf && off)
		return *(const __u32 *)(e->task + off);
	return process ? bpf_get_current_pid_tgid() >> 32 : (__u32)bpf_get_current_pid_tgid();
}

/* Zero- or sign-extend the low @n->size bytes of @v. */
static __always_inline __u64 extend(__u64 v, const volatile struct ft_bpf_num *n)
{
	__u32 shift = 64 - 8 * n->size;

	if (n->size >= 8)
		return v;
	v <<= shift;
	return n->is_signed ? (__u64)((__s64)v >> shift) : v >> shift;
}

/* A record field. Reads 8 bytes and masks, so one read serves every size (probe reads never
 * fault, and records sit in larger buffers). */
static __always_inline __u64 field(void *ctx, const volatile struct ft_bpf_num *n)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), (char *)ctx + n->offset);
	return extend(v, n);
}

/* A word of the pt_regs window read at the raw tracepoint (offsets are rodata constants). */
static __always_inline __u64 reg(struct ev *e, __u32 which, __u32 off)
{
	__u32 i = (off - cfg.raw[which].regs_lo) / 8;

	return i < FT_BPF_REGS / 8 ? e->regs[i] : 0;
}

/* A record field at a raw tracepoint: what the record would have copied it from. */
static __always_inline __u64 raw_field(struct ev *e, const volatile struct ft_bpf_num *n,
				       __u32 which)
{
	__u32 k = n->offset / 8;
	__u16 w = k < FT_BPF_WORDS ? cfg.raw[which].words[k] : 0;

	/* The verifier takes context reads at constant offsets only; argument 1 (the call
	 * number at sys_enter, the return value at sys_exit) is the only one used. */
	if (w & FT_RAW_ARG)
		return extend(((__u64 *)e->ctx)[1], n);
	if (w & FT_RAW_REG)
		return extend(reg(e, which, w & 0xff), n);
	return 0;
}

/* The tag of the event that fired (agg.h): the attachment's cookie, or at a raw syscall gate
 * the tag of the call's event (program A's gates only: B counts one end event). @which is
 * the raw program (cfg.raw's index). */
static __always_inline __u32 tag(struct ev *e, __u32 which)
{
	if (e->kind != CTX_RAW)
		return (__u32)bpf_get_attach_cookie(e->ctx);
	if (which == 1 || which == 3 || e->nr >= FT_BPF_NSYS)
		return 0;
	return cfg.tags[which == 2][e->nr];
}

static __always_inline __u64 number(struct ev *e, const volatile struct ft_bpf_num *n, __u32 which)
{
	switch (n->src) {
	case FT_SRC_FIELD:
		if (e->kind == CTX_RAW)
			return raw_field(e, n, which);
		return e->kind == CTX_TP ? field(e->ctx, n) : 0;
	case FT_SRC_TID:
		return task_id(e, which, 0);
	case FT_SRC_PID:
		return task_id(e, which, 1);
	case FT_SRC_CPU:
		return bpf_get_smp_processor_id();
	case FT_SRC_LAT:
		return n->usecs ? e->lat / 1000 : e->lat;
	case FT_SRC_TYPE:
		return FT_TAG_ID(tag(e, which));
	case FT_SRC_EVENT:
		return FT_TAG_INDEX(tag(e, which));
	case FT_SRC_REGS:
		/* The register the probe fetched the field from, as the record would hold it. */
		return e->kind == CTX_REGS ? field(e->ctx, n) : 0;
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

/* The filter (at program A, @which 0, or 2 at its second raw gate): an OR of groups of
 * ANDed conditions. */
static __always_inline int pass(struct ev *e, __u32 which)
{
	int group = 1;

#pragma unroll
	for (int i = 0; i < LOOP_CONDS; i++) {
		if (i >= cfg.nconds)
			break;
		if (group && !compare(number(e, &cfg.conds[i].num, which), &cfg.conds[i]))
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

static __always_inline void make_part(struct ev *e, char *k, int i, __u32 which)
{
	const volatile struct ft_bpf_part *p = &cfg.parts[i];
	char *at = k + p->koff;
	__u64 v;

	switch (p->num.src) {
	case FT_SRC_COMM:
		bpf_get_current_comm(at, FT_BPF_COMM);
		return;
#if HAS_STRINGS
	case FT_SRC_STRFIELD:
		if (e->kind == CTX_TP)
			bpf_probe_read_kernel_str(at, p->klen, (char *)e->ctx + p->num.offset);
		return;
	case FT_SRC_DYNSTR:
		if (e->kind == CTX_TP) {
			__u32 loc = 0;

			bpf_probe_read_kernel(&loc, sizeof(loc), (char *)e->ctx + p->num.offset);
			bpf_probe_read_kernel_str(at, p->klen, (char *)e->ctx + (loc & 0xffff));
		}
		return;
	case FT_SRC_KSTACK:
		*(__u64 *)at = (__u64)(__s64)bpf_get_stackid(e->ctx, &stacks, 0);
		return;
	case FT_SRC_USTACK:
		*(__u64 *)at = (__u64)(__s64)bpf_get_stackid(e->ctx, &stacks, BPF_F_USER_STACK);
		return;
#endif
	}
	v = number(e, &p->num, which);
	if (p->mod == FT_MOD_LOG2)
		v = ilog2_roundup(v);
	else if (p->mod == FT_MOD_BUCKETS && p->step)
		v = v / p->step * p->step;
	*(__u64 *)at = v;
}

/*
 * A new entry for key @k in table @gen: the next free slot, its key and creator written, then
 * indexed. A slot is never handed out twice (until the table is emptied), so no lock is
 * needed; when another CPU indexed the same key first, its slot is taken and this one stays
 * unused (no hits, so readers skip it). An index insert the kernel refuses otherwise (a bucket
 * lock busy, see FT_STAT_UNINDEXED) is no full table: the event is counted in its own slot,
 * unindexed, which readers merge into the key's row. NULL when the table is full.
 */
static __always_inline struct ft_bpf_val *new_entry(const char *k, __u32 ksize, __u32 gen,
						    __u32 *at)
{
	__u32 next = gen ? FT_BPF_CTL_NEXT1 : FT_BPF_CTL_NEXT, n, *won;
	struct ft_bpf_val *v;
	__u64 *used = bpf_map_lookup_elem(&ctl, &next);
	int err;

	if (!used)
		return NULL;
	n = (__u32)__sync_fetch_and_add(used, 1);
	if (n >= cfg.cap)
		return NULL;
	n += gen * cfg.cap;
	v = bpf_map_lookup_elem(&slots, &n);
	if (!v)
		return NULL;
	/* The comm (.execname) and process of an entry are those of the event that made it,
	 * as the kernel's hist saves them when it inserts an entry: read once per entry. */
	if (cfg.want_comm)
		bpf_get_current_comm(v->comm, sizeof(v->comm));
	if (cfg.want_tgid)
		v->tgid = bpf_get_current_pid_tgid() >> 32;
#pragma unroll
	for (int i = 0; i < KEY_MAX / 8; i++)
		if (i < ksize / 8)
			((__u64 *)(v + 1))[i] = ((const __u64 *)k)[i];
	/* Read as an int: before 6.4 the verifier calls the map's update directly, which
	 * returned int, so only the low half of the register is the result (-E2BIG came back
	 * as 0xfffffff9, and -EEXIST did not compare equal to -17). */
	err = (int)bpf_map_update_elem(&slot_of, k, &n, BPF_NOEXIST);
	*at = n;
	if (!err)
		return v;
	if (err != -17 /* EEXIST */) {
		stat_add(FT_STAT_UNINDEXED);
		stat_set(FT_STAT_INDEX_ERR, (__u64)(__u32)-err);
		return v;
	}
	won = bpf_map_lookup_elem(&slot_of, k);
	if (!won)
		return NULL;
	*at = *won;
	return bpf_map_lookup_elem(&slots, won);
}

/* The control word FT_BPF_CTL_GEN: its low bit is the table counted into (cfg.rotate), and
 * it changes whenever a slot may change hands (a clear, a turn). */
static __always_inline __u64 gen_now(void)
{
	__u32 k = FT_BPF_CTL_GEN;
	__u64 *v = bpf_map_lookup_elem(&ctl, &k);

	return v ? *v : 0;
}

/* The slot of key @k from this CPU's front, when it holds @k under @gen; NULL otherwise
 * (@f then set to the front to fill, or NULL when the key is too large for it). */
static __always_inline struct ft_bpf_val *front_slot(const char *k, __u32 ksize, __u64 gen,
						     struct ft_bpf_front **f)
{
	__u32 zero = 0;

	*f = NULL;
	if (ksize > FT_BPF_FRONT_KEY)
		return NULL;
	*f = bpf_map_lookup_elem(&front, &zero);
	if (!*f || (*f)->gen != gen + 1)
		return NULL;
#pragma unroll
	for (int i = 0; i < FT_BPF_FRONT_KEY / 8; i++)
		if (i < ksize / 8 && (*f)->key[i] != ((const __u64 *)k)[i])
			return NULL;
	return bpf_map_lookup_elem(&slots, &(*f)->slot);
}

/* Remember slot @n as key @k's under @gen in this CPU's front @f. */
static __always_inline void front_fill(struct ft_bpf_front *f, const char *k, __u32 ksize,
				       __u64 gen, __u32 n)
{
#pragma unroll
	for (int i = 0; i < FT_BPF_FRONT_KEY / 8; i++)
		if (i < ksize / 8)
			f->key[i] = ((const __u64 *)k)[i];
	f->slot = n;
	/* gen + 1: a zeroed front matches no key */
	f->gen = gen + 1;
}

/* Count one event under the key its parts make (program B's in latency mode). */
static __always_inline void count(struct ev *e, __u32 which)
{
	__u64 small[FT_BPF_SMALL_KEY / 8 + 1], word = gen_now();
	/* Read once: each read of the volatile configuration is an instruction at every event
	 * (the verifier knows the value, but keeps the load). */
	__u32 ksize = cfg.ksize, nparts = cfg.nparts;
	__u32 zero = 0, *slot, n = 0, gen = cfg.rotate ? (__u32)(word & 1) : 0;
	struct ft_bpf_front *f;
	struct ft_bpf_val *v;
	char *k;

	/* Keys of numbers and a comm are made on the stack; the room of three strings is more
	 * than the 512-byte stack has. cfg.ksize is a constant: one branch is loaded. */
	if (ksize + 8 <= sizeof(small))
		k = (char *)small;
	else
		k = HAS_STRINGS ? bpf_map_lookup_elem(&scratch, &zero) : NULL;
	if (!k)
		return;
		/* Strings are read up to their NUL only: the rest of the key must be zero to hash
	 * the same every time. */
#pragma unroll
	for (int i = 0; i < KEY_MAX / 8; i++)
		if (i < ksize / 8)
			((__u64 *)k)[i] = 0;
#pragma unroll
	for (int i = 0; i < LOOP_PARTS; i++)
		if (i < nparts)
			make_part(e, k, i, which);
	/* The index's keys end with the table's number when there are two (its key size says
	 * so; with one table this word is not part of the key). */
	*(__u64 *)(k + ksize) = gen;
	v = front_slot(k, ksize, word, &f);
	if (!v) {
		slot = bpf_map_lookup_elem(&slot_of, k);
		if (slot)
			n = *slot;
		v = slot ? bpf_map_lookup_elem(&slots, &n) : new_entry(k, ksize, gen, &n);
		if (!v) {
			stat_add(FT_STAT_DROPPED);
			return;
		}
		if (f)
			front_fill(f, k, ksize, word, n);
	}
	__sync_fetch_and_add(&v->hits, 1);
	/* A live view shows a process under the name it has now: the comm of its latest event
	 * (TOP-8), which follows an exec or a rename within the interval. */
	if (cfg.rotate && cfg.want_comm)
		bpf_get_current_comm(v->comm, sizeof(v->comm));
#pragma unroll
	for (int i = 0; i < LOOP_SUMS; i++)
		if (i < cfg.nsums)
			__sync_fetch_and_add(&v->sums[i], number(e, &cfg.sums[i], which));
}

/* Latency mode: what a start and its end have in common, read at program @which: the
 * thread, or the values of the match fields (a block request's dev and sector). */
static __always_inline void match_key(struct ev *e, __u64 *k, __u32 which)
{
	k[0] = task_id(e, which, 0);
#pragma unroll
	for (int i = 0; i < LOOP_MATCH; i++) {
		if (i >= cfg.nmatch)
			break;
		k[i] = number(e, &cfg.match[which][i], which);
	}
}

/* Program A: count the event, or in latency mode remember when its start happened. @which
 * is 0, or 2 at A's second raw gate (cfg.raw[2]; never in latency mode, one start event). */
static __always_inline int run_a(struct ev *e, __u32 which)
{
	__u64 k[FT_BPF_MAX_MATCH] = {}, now;

	if (paused() || !pass(e, which))
		return 0;
	if (!cfg.latency) {
		count(e, which);
		return 0;
	}
	match_key(e, k, 0);
	now = bpf_ktime_get_ns();
	/* A start not remembered (the pending starts full) loses its end's sample: dropped,
	 * as an event a full table has no room for. */
	if (bpf_map_update_elem(&starts, k, &now, BPF_ANY))
		stat_add(FT_STAT_DROPPED);
	return 0;
}

/* Program B (latency mode): the end event; count the time since its start. */
static __always_inline int run_b(struct ev *e)
{
	__u64 k[FT_BPF_MAX_MATCH] = {}, *t0;

	match_key(e, k, 1);
	t0 = bpf_map_lookup_elem(&starts, k);
	if (!t0)
		return 0;
	e->lat = bpf_ktime_get_ns() - *t0;
	bpf_map_delete_elem(&starts, k);
	if (!paused())
		count(e, 1);
	return 0;
}

/* Whether call number @nr is one program @which counts. */
static __always_inline int sys_selected(__u64 nr, __u32 which)
{
	return nr < FT_BPF_NSYS && (cfg.raw[which].ids[nr / 8] >> (nr % 8)) & 1;
}

/* Whether the current task (@e->task where the gate has BTF) is in a compat (32-bit) system
 * call. The branch is the configuration's, a constant: the verifier of 6.1 refuses one load
 * instruction reached with the task and with the stack (the compiler merges the two). */
static __always_inline int in_compat(const volatile struct ft_bpf_raw *r, struct ev *e)
{
	__u32 status = 0;

	/* The verifier checks the offset against task_struct's BTF type. */
	if (r->task_btf)
		return (*(const __u32 *)(e->task + r->task_status) & r->ts_compat) != 0;
	bpf_probe_read_kernel(&status, sizeof(status),
			      (char *)bpf_get_current_task() + r->task_status);
	return (status & r->ts_compat) != 0;
}

/*
 * A program on raw_syscalls' raw tracepoint: the call number first (at sys_enter it is an
 * argument, so calls not counted leave before any read), then the pt_regs window the
 * configuration needs, read at once.
 */
static __always_inline int run_raw(__u64 *ctx, __u32 which)
{
	const volatile struct ft_bpf_raw *r = &cfg.raw[which];
	/* A plain raw tracepoint may have one argument: the kernel refuses a program reading
	 * past them (which 3 reads none). */
	__u64 nr = which == 3 ? 0 : ctx[1];
	struct ev e;

	/* Every system call runs the sys_enter gate: the number is tested before anything is
	 * written. */
	if (r->gate == FT_GATE_SYS_ENTER && !sys_selected(nr, which))
		return 0;
	/* Not zeroed: only the window read below is ever read (the plan keeps every pt_regs
	 * number inside it), and zeroing 168 bytes would cost every event. */
	e.ctx = ctx, e.kind = CTX_RAW, e.lat = 0, e.nr = nr;
	if (r->regs_len && bpf_probe_read_kernel(e.regs, r->regs_len, (char *)ctx[0] + r->regs_lo))
		return 0;
	if (r->gate == FT_GATE_SYS_EXIT)
		e.nr = reg(&e, which, r->nr_off);
	if (r->gate == FT_GATE_SYS_EXIT && !sys_selected(e.nr, which))
		return 0;
	e.task = r->task_btf ? (const char *)bpf_get_current_task_btf() : 0;
	if (r->ts_compat && in_compat(r, &e))
		return 0;
	return which == 1 ? run_b(&e) : run_a(&e, which);
}

/* A program on a tracepoint (the record) or a probe (pt_regs): no gate, nothing to read
 * first. */
static __always_inline int run_ctx(void *ctx, int kind, __u32 which)
{
	struct ev e;

	e.ctx = ctx, e.kind = kind, e.lat = 0, e.nr = 0, e.task = 0;
	return which ? run_b(&e) : run_a(&e, 0);
}

SEC("tracepoint")
int tp_a(void *ctx)
{
	return run_ctx(ctx, CTX_TP, 0);
}

SEC("tracepoint")
int tp_b(void *ctx)
{
	return run_ctx(ctx, CTX_TP, 1);
}

SEC("kprobe")
int kp_a(void *ctx)
{
	return run_ctx(ctx, CTX_REGS, 0);
}

SEC("kprobe")
int kp_b(void *ctx)
{
	return run_ctx(ctx, CTX_REGS, 1);
}

SEC("raw_tp")
int raw_a(__u64 *ctx)
{
	return run_raw(ctx, 0);
}

SEC("raw_tp")
int raw_b(__u64 *ctx)
{
	return run_raw(ctx, 1);
}

/* Program A's second gate: syscall events of the other direction than raw_a's. */
SEC("raw_tp")
int raw_a2(__u64 *ctx)
{
	return run_raw(ctx, 2);
}

/* Program A on the raw tracepoints of events whose records it does not read. */
SEC("raw_tp")
int raw_a3(__u64 *ctx)
{
	return run_raw(ctx, 3);
}
