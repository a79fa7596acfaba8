/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_AGG_H
#define FT_BPF_AGG_H

/*
 * The contract between the generic aggregator (agg.bpf.c, compiled with clang -target bpf)
 * and user space: the read-only configuration set before load, and the layout of the map
 * keys and values. Only fixed-width types, so both compilers lay it out the same.
 */
#include <linux/types.h>

#define FT_BPF_MAX_PARTS 3 /* key parts */
#define FT_BPF_MAX_SUMS 4 /* summed values besides the hitcount */
#define FT_BPF_MAX_CONDS 8 /* filter comparisons */
#define FT_BPF_MAX_MATCH 3 /* fields a latency's end finds its start by */
#define FT_BPF_STR 128 /* most bytes of a string key part (NUL included) */
#define FT_BPF_COMM 16 /* bytes of a comm key part (TASK_COMM_LEN) */
#define FT_BPF_KEY_MAX (FT_BPF_MAX_PARTS * FT_BPF_STR) /* bytes of the largest key */
#define FT_BPF_STACK_DEPTH 32 /* frames kept per stack */
#define FT_BPF_NSYS 1024 /* system call numbers a raw syscall gate can select */
#define FT_BPF_REGS 168 /* bytes of the largest pt_regs window a raw program reads */
#define FT_BPF_WORDS 8 /* record words (8 bytes each) a raw program can stand in for */
#define FT_BPF_NRAW 4 /* raw programs: A's gate, B's, A's other direction, A's plain ones */
#define FT_RAW_ARG 0x8000 /* ft_bpf_raw.words: the raw tracepoint's argument N (| N; N = 1) */
#define FT_RAW_REG 0x4000 /* ft_bpf_raw.words: the pt_regs word at offset N (| N) */

/*
 * The small build of the aggregator (agg-small.bpf.o, the same source with FT_AGG_SMALL):
 * loop bounds for the common plans, keys of numbers and a comm, at most FT_BPF_SMALL_SUMS
 * sums and FT_BPF_SMALL_CONDS conditions, no strings or stacks. The verifier walks every
 * instruction of a program, also those the configuration makes dead, and the full build's
 * unrolled loops are most of its instructions: a plan that fits the small build loads in
 * half the time. ft_bpf_plan_small() says which build a plan needs.
 */
#define FT_BPF_SMALL_SUMS 1
#define FT_BPF_SMALL_CONDS 2
#define FT_BPF_SMALL_KEY 64 /* bytes of a key made on the stack (both builds) */

/*
 * The lite build (agg_lite.bpf.o: the small build with FT_AGG_LITE): at most FT_BPF_LITE_PARTS
 * key parts, no filter, no sums, no latency: the plans of `hist start EVENT --key comm` and of
 * most live views. The kernel removes the instructions the configuration makes dead one run
 * at a time, each removal moving the rest of the program: with a third of the small build's
 * instructions (875 of 2428 for a raw gate), it loads in 0.6 ms where the small build takes
 * 1.0 (6.18), the largest part of the time to attach one event after ftrig's own start.
 * ft_bpf_plan_lite() says whether a plan fits it.
 */
#define FT_BPF_LITE_PARTS 2

/* Where a number or a key part comes from. */
enum ft_bpf_src {
	FT_SRC_NONE,
	FT_SRC_FIELD, /* event record field: offset, size, signedness */
	FT_SRC_TID, /* current thread id (the record's common_pid) */
	FT_SRC_PID, /* current process id (tgid) */
	FT_SRC_CPU, /* the CPU the event fired on */
	FT_SRC_COMM, /* current->comm (string part) */
	FT_SRC_STRFIELD, /* fixed char[] field (string part) */
	FT_SRC_DYNSTR, /* __data_loc char[] field (string part) */
	FT_SRC_KSTACK, /* kernel stack id */
	FT_SRC_USTACK, /* user stack id */
	FT_SRC_LAT, /* latency mode: end time - start time, in ns or us (see @mod of the use) */
	FT_SRC_TYPE, /* the event's id (common_type): its attachment's tag, FT_TAG_ID */
	FT_SRC_EVENT, /* which of the aggregation's events fired: its tag's FT_TAG_INDEX */
	FT_SRC_REGS, /* a probe event's field fetched from a register: offset in pt_regs */
};

/*
 * The tag of an event an aggregation counts: its tracefs id (what common_type holds) and its
 * index among the aggregation's events. A program on a tracepoint finds its record's common
 * fields overwritten (the kernel puts a pt_regs pointer in the first 8 bytes), and one
 * program serves many events: each attachment carries its event's tag as its BPF cookie, and
 * a raw syscall gate finds it by call number in cfg.tags.
 */
#define FT_TAG(index, id) ((__u32)(index) << 16 | ((__u32)(id)&0xffff))
#define FT_TAG_ID(tag) ((tag)&0xffff)
#define FT_TAG_INDEX(tag) ((tag) >> 16)

/* What is done to a number before it becomes a key part. */
enum ft_bpf_mod {
	FT_MOD_NONE,
	FT_MOD_LOG2, /* ilog2(roundup_pow_of_two(x)), as the kernel's .log2 */
	FT_MOD_BUCKETS, /* x / step * step, as the kernel's .buckets=step */
};

/**
 * struct ft_bpf_num - a number read at the event
 * @src: enum ft_bpf_src
 * @size: field size in bytes (1, 2, 4, 8)
 * @is_signed: sign-extend the field
 * @usecs: FT_SRC_LAT in microseconds instead of nanoseconds
 * @offset: field offset in the record
 */
struct ft_bpf_num {
	__u8 src;
	__u8 size;
	__u8 is_signed;
	__u8 usecs;
	__u16 offset;
	__u16 pad;
};

/**
 * struct ft_bpf_part - how one key part is made
 * @num: where it comes from
 * @mod: enum ft_bpf_mod
 * @koff: where the part sits in the key (a multiple of 8)
 * @klen: its bytes in the key: 8 for numbers, the string's room (NUL included) for strings
 * @step: bucket width for FT_MOD_BUCKETS
 *
 * Keys are packed (struct ft_bpf_cfg @ksize bytes), so a key of one number hashes 8 bytes,
 * not the room of three strings.
 */
struct ft_bpf_part {
	struct ft_bpf_num num;
	__u32 mod;
	__u16 koff;
	__u16 klen;
	__u64 step;
};

/* Comparison operators of a filter condition. */
enum ft_bpf_op { FT_OP_EQ, FT_OP_NE, FT_OP_LT, FT_OP_LE, FT_OP_GT, FT_OP_GE, FT_OP_AND };

/**
 * struct ft_bpf_cond - one comparison "number OP value"
 * @num: the number compared (a field or a current-task value)
 * @op: enum ft_bpf_op
 * @or_next: the condition after this one starts a new group: the filter is an OR of groups
 *           of ANDed conditions (&& binds tighter than ||, as in the kernel's filters)
 * @value: the constant (two's complement for signed comparisons)
 */
struct ft_bpf_cond {
	struct ft_bpf_num num;
	__u8 op;
	__u8 or_next;
	__u8 pad[6];
	__u64 value;
};

/* How a raw program decides that its raw tracepoint fired for an event it counts. */
enum ft_bpf_gate {
	FT_GATE_NONE, /* every firing counts */
	FT_GATE_SYS_ENTER, /* sys_enter: the call number is argument 1 */
	FT_GATE_SYS_EXIT, /* sys_exit: the call number is pt_regs' orig_ax */
	FT_GATE_PLAIN, /* the event's own raw tracepoint: every firing counts, nothing is read */
};

/**
 * struct ft_bpf_raw - what a program on a raw tracepoint reads before it counts
 * @gate: enum ft_bpf_gate
 * @task_btf: the kernel has BTF: the task's status word is read through its BTF type (a
 *            plain load), not with a probe read (a helper call at every counted event)
 * @regs_len: bytes of pt_regs to read (0: none), from @regs_lo, at most FT_BPF_REGS
 * @regs_lo: first byte of pt_regs read
 * @nr_off: FT_GATE_SYS_EXIT: offset of orig_ax in pt_regs
 * @task_status: offset in task_struct of thread_info's status word
 * @ts_compat: its bit set while a compat (32-bit) call runs: such calls are left out, as the
 *             syscalls:* events leave them out (their numbers mean other calls)
 * @task_pid: with @task_btf, offset in task_struct of the thread's id (pid), from the
 *            kernel's BTF (taskbtf.c): a tid or pid is loaded from the task the gate holds,
 *            not asked of a helper at every event; 0 when not known
 * @task_tgid: the same for the process's id (tgid)
 * @words: where record word K (bytes 8K..8K+7) comes from: FT_RAW_ARG | N, FT_RAW_REG |
 *         offset, or 0 when the raw tracepoint does not have it
 * @ids: FT_GATE_SYS_*: bit N set when call number N counts
 *
 * Syscall events are not tracepoints of their own: the kernel makes them from the
 * raw_syscalls ones by testing the call number. One program on raw_syscalls:sys_enter (or
 * sys_exit) that tests the number itself serves many syscall events with one attachment.
 */
struct ft_bpf_raw {
	__u8 gate;
	__u8 task_btf;
	__u16 regs_len;
	__u16 regs_lo;
	__u16 nr_off;
	__u16 task_status;
	__u16 ts_compat;
	__u16 task_pid;
	__u16 task_tgid;
	__u16 words[FT_BPF_WORDS];
	__u8 ids[FT_BPF_NSYS / 8];
};

/**
 * struct ft_bpf_cfg - the whole specialisation of one aggregator, in its .rodata
 * @nparts: key parts used
 * @nsums: summed values used
 * @nconds: filter conditions used (0: no filter)
 * @latency: latency mode: program A records the start time per thread (or per the values
 *           of the match fields), B counts
 * @want_comm: keep the comm of the event that made each entry (for .execname)
 * @want_tgid: keep the process id of the event that made each entry (to symbolise user
 *             stacks)
 * @ksize: bytes of a key: the parts' @klen summed (a multiple of 8; the map's key size)
 * @rotate: two tables that take turns (a live view's own aggregation): events count into
 *          the table ctl's FT_BPF_CTL_GEN names, and its one reader flips it, reads the table
 *          the events have left and empties it (TOP-1). The index's keys then end with
 *          8 bytes more, the table's number, and the slots array holds both tables.
 * @cap: entries of one table (the plan's size)
 * @nmatch: latency mode: fields a start and its end are matched by; 0: by thread
 * @match: latency mode: the match fields, [0] read at program A (the start), [1] at B
 * @parts: key parts
 * @sums: summed values
 * @conds: filter conditions (evaluated at program A: the event, or the start event)
 * @raw: programs on raw tracepoints and their gates: [0] program A's (raw_a), [1] B's
 *       (raw_b), [2] A's second gate (raw_a2), of the other direction than [0]'s: syscall
 *       events of both directions in one aggregation take two attachments, not one each;
 *       [3] (raw_a3, FT_GATE_PLAIN) A on the raw tracepoints of other events, when it reads
 *       nothing of their records
 * @tags: program A's raw syscall gates ([0] for raw[0], [1] for raw[2]): the tag (FT_TAG)
 *        of the event call number N counts as; set when the plan reads FT_SRC_TYPE or
 *        FT_SRC_EVENT
 */
struct ft_bpf_cfg {
	__u8 nparts;
	__u8 nsums;
	__u8 nconds;
	__u8 latency;
	__u8 want_comm;
	__u8 want_tgid;
	__u16 ksize;
	__u8 rotate;
	__u8 nmatch;
	__u8 pad[2];
	__u32 cap;
	struct ft_bpf_num match[2][FT_BPF_MAX_MATCH];
	struct ft_bpf_part parts[FT_BPF_MAX_PARTS];
	struct ft_bpf_num sums[FT_BPF_MAX_SUMS];
	struct ft_bpf_cond conds[FT_BPF_MAX_CONDS];
	struct ft_bpf_raw raw[FT_BPF_NRAW];
	__u32 tags[2][FT_BPF_NSYS];
};

/**
 * struct ft_bpf_val - a map value
 * @hits: events counted in this entry
 * @sums: the summed values
 * @comm: the comm of the event that made the entry (when want_comm), as the kernel's hist
 *        keeps it for .execname
 * @tgid: the process id of the event that made the entry (when want_tgid)
 */
struct ft_bpf_val {
	__u64 hits;
	__u64 sums[FT_BPF_MAX_SUMS];
	char comm[16];
	__u32 tgid;
	__u32 pad;
};

/* Bytes of the largest key a CPU's front (struct ft_bpf_front) holds: two numbers, or a comm. */
#define FT_BPF_FRONT_KEY 16

/**
 * struct ft_bpf_front - a CPU's last key and its slot (the program's own; user space never
 *                       reads it)
 * @gen: the control word FT_BPF_CTL_GEN the slot was found under, plus one (0: empty)
 * @slot: the slot's number in the table
 * @pad: zero
 * @key: the key's first FT_BPF_FRONT_KEY bytes (all of it: larger keys skip the front)
 */
struct ft_bpf_front {
	__u64 gen;
	__u32 slot;
	__u32 pad;
	__u64 key[FT_BPF_FRONT_KEY / 8];
};

/*
 * Indexes of the per-CPU statistics array. Hits are not counted per event: they are the
 * entries' hitcounts plus the drops, as the kernel's Hits line. FT_STAT_DROPPED: events lost
 * because the table was full (in latency mode also starts the pending starts had no room for). FT_STAT_UNINDEXED: new keys whose index (slot_of) insert the
 * kernel refused although the table had room (the hash map's bucket lock: -EBUSY on 6.1 when
 * its per-CPU lock count is taken, a nested run on the CPU; -EDEADLK or -ETIMEDOUT from the
 * resilient spin lock of 6.15 on), counted in their slot unindexed, not lost: readers merge
 * such a slot into its key's row. FT_STAT_INDEX_ERR: the errno (positive) of the latest
 * refusal, the evidence of which it was. FT_STAT_MISS_BASE: the programs' skipped runs
 * (bpf_prog_info.recursion_misses, which cannot be zeroed) at the last clear, written by user
 * space on one CPU's value. A map pinned by an older build has only the first.
 */
enum ft_bpf_stat {
	FT_STAT_DROPPED,
	FT_STAT_UNINDEXED,
	FT_STAT_INDEX_ERR,
	FT_STAT_MISS_BASE,
	FT_STAT_NSTATS
};

/* The control array (__u64 values): non-zero at FT_BPF_CTL_PAUSED pauses counting (hist
 * pause/cont); FT_BPF_CTL_NEXT counts the slots handed out (it passes the table's size when
 * the table is full), FT_BPF_CTL_NEXT1 those of the second table (@rotate); the low bit of
 * FT_BPF_CTL_GEN is the table counted into (@rotate), and the word changes whenever slots
 * may change hands: a turn adds 1, a clear 2 (the CPUs' fronts then miss). */
#define FT_BPF_CTL_PAUSED 0
#define FT_BPF_CTL_NEXT 1
#define FT_BPF_CTL_NEXT1 2
#define FT_BPF_CTL_GEN 3
#define FT_BPF_CTL_N 4

/* Bytes of a slot of the table for keys of @ksize bytes: the value, then the packed key. */
#define FT_BPF_SLOT(ksize) (sizeof(struct ft_bpf_val) + (ksize))

#endif
