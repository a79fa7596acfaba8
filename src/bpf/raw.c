// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which syscall events a plan counts on raw_syscalls' raw tracepoints (pure).
 *
 * A syscall event (syscalls:sys_enter_NAME, sys_exit_NAME) is not a tracepoint of its own:
 * the kernel makes each from raw_syscalls' sys_enter/sys_exit by testing the call number.
 * Counted the classic way, each needs its own perf event: attaching a hundred of them costs
 * a hundred perf_event_open calls, and closing them a hundred RCU grace periods under the
 * kernel's event_mutex (seconds). One program on the raw tracepoint that tests the call
 * number itself serves any number of them with one attachment. It reads what the record
 * would have held where the kernel takes it from: arguments and the call number from
 * pt_regs and the tracepoint's arguments, the return value from the tracepoint; and it
 * leaves out compat (32-bit) calls, as the syscalls:* events do.
 *
 * Per event the raw way is also the cheaper one: the classic tracepoint first builds the
 * event's record (a per-CPU buffer, the arguments copied) and then runs the program on it,
 * the raw one runs the program on the tracepoint's arguments (bench/01-overhead.sh measures
 * both against the smallest counting program on each hook). So even a single syscall event
 * is counted there. The price is paid by the calls not counted: each runs the program up to
 * the gate's test, a few ns, where the classic way tests a bitmap in the kernel.
 * Events that cannot move (fields the raw tracepoint lacks, calls this build does not know
 * the number of) stay on their classic tracepoints in the same aggregation.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "format.h"

#if defined(__x86_64__)
#include <asm/ptrace.h>

/* Where the kernel's syscall entry saved the arguments, the call number and the segment. */
static const uint16_t arg_regs[6] = {
	offsetof(struct pt_regs, rdi), offsetof(struct pt_regs, rsi), offsetof(struct pt_regs, rdx),
	offsetof(struct pt_regs, r10), offsetof(struct pt_regs, r8),  offsetof(struct pt_regs, r9),
};
#define REGS_ORIG_AX offsetof(struct pt_regs, orig_rax)
/* task_struct starts with thread_info { flags, syscall_work, status, cpu } (since 5.11); its
 * status has TS_COMPAT while a compat call runs, which is what the kernel's
 * in_ia32_syscall() tests. The host test with int 0x80 checks both kernels agree. */
#define TASK_STATUS 16
#define TS_COMPAT 0x0002
#define HAVE_RAW_SYSCALLS 1
#else
/* Other architectures: syscall events stay on their classic tracepoints. */
static const uint16_t arg_regs[6];
#define REGS_ORIG_AX 0
#define TASK_STATUS 0
#define TS_COMPAT 0
#define HAVE_RAW_SYSCALLS 0
#endif

/* Kinds of event for the raw programs. */
enum kind { K_ENTER, K_EXIT, K_CLASSIC };

/* A syscall event this build knows the number @nr of, or K_CLASSIC. */
static enum kind kind_of(const struct ft_event_format *fmt, int *nr)
{
	*nr = -1;
	if (!HAVE_RAW_SYSCALLS || strcmp(fmt->system, "syscalls"))
		return K_CLASSIC;
	if (!strncmp(fmt->name, "sys_enter_", 10))
		*nr = ft_syscall_nr(fmt->name + 10);
	else if (!strncmp(fmt->name, "sys_exit_", 9))
		*nr = ft_syscall_nr(fmt->name + 9);
	if (*nr < 0 || *nr >= FT_BPF_NSYS)
		return K_CLASSIC;
	return fmt->name[5] == 'n' ? K_ENTER : K_EXIT;
}

/* The record words of a syscall event, where the raw tracepoint has them. */
static void syscall_words(bool enter, struct ft_bpf_raw *r)
{
	r->words[1] = enter ? FT_RAW_ARG | 1 : FT_RAW_REG | REGS_ORIG_AX; /* __syscall_nr, id */
	if (!enter) {
		r->words[2] = FT_RAW_ARG | 1; /* ret */
		return;
	}
	for (int i = 0; i < 6; i++)
		r->words[2 + i] = FT_RAW_REG | arg_regs[i]; /* args, in order */
}

/* The numbers program @w of @pl reads into @nums: the key parts and sums where it counts,
 * the filter's conditions at program A. Return: how many. */
static size_t plan_nums(
	const struct ft_bpf_plan *pl, int w,
	const struct ft_bpf_num *nums[FT_BPF_MAX_PARTS + FT_BPF_MAX_SUMS + FT_BPF_MAX_CONDS])
{
	const struct ft_bpf_cfg *c = &pl->cfg;
	bool counts = w == (c->latency ? 1 : 0);
	size_t n = 0;

	for (uint32_t i = 0; counts && i < c->nparts; i++)
		nums[n++] = &c->parts[i].num;
	for (uint32_t i = 0; counts && i < c->nsums; i++)
		nums[n++] = &c->sums[i];
	for (uint32_t i = 0; !w && i < c->nconds; i++)
		nums[n++] = &c->conds[i].num;
	return n;
}

static bool is_string(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_STRFIELD || n->src == FT_SRC_DYNSTR;
}

/* Widen the pt_regs window [*lo, *hi) to the word at @off. */
static void widen(unsigned *lo, unsigned *hi, unsigned off)
{
	*lo = off < *lo ? off : *lo;
	*hi = off + 8u > *hi ? off + 8u : *hi;
}

/* Whether every record field @pl's program @w reads is a word @r stands in for; the
 * pt_regs offsets read widen [*lo, *hi). */
static bool words_cover(const struct ft_bpf_plan *pl, int w, const struct ft_bpf_raw *r,
			unsigned *lo, unsigned *hi)
{
	const struct ft_bpf_num *nums[FT_BPF_MAX_PARTS + FT_BPF_MAX_SUMS + FT_BPF_MAX_CONDS];
	size_t n = plan_nums(pl, w, nums);

	for (size_t i = 0; i < n; i++) {
		uint16_t word;

		if (is_string(nums[i]))
			return false;
		if (nums[i]->src != FT_SRC_FIELD)
			continue;
		word = nums[i]->offset % 8 || nums[i]->offset / 8 >= FT_BPF_WORDS
			       ? 0
			       : r->words[nums[i]->offset / 8];
		if (!word)
			return false;
		if (word & FT_RAW_REG)
			widen(lo, hi, word & 0xff);
	}
	return true;
}

/* The gate of a program over its events @fmts: of direction @first, or (K_CLASSIC) the
 * direction of the first syscall event of a known number, and the numbers of all events of
 * that direction. False when no event would pass it. @tags (when not NULL) gets the tag of
 * each call number's event. */
static bool choose_gate(const struct ft_event_format *const *fmts, size_t n, enum kind first,
			struct ft_bpf_raw *r, uint32_t *tags)
{
	size_t served = 0;
	int nr;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < n && first == K_CLASSIC; i++)
		first = kind_of(fmts[i], &nr);
	if (first == K_CLASSIC)
		return false;
	syscall_words(first == K_ENTER, r);
	r->gate = first == K_ENTER ? FT_GATE_SYS_ENTER : FT_GATE_SYS_EXIT;
	r->nr_off = REGS_ORIG_AX;
	r->task_status = TASK_STATUS;
	r->ts_compat = TS_COMPAT;
	for (size_t i = 0; i < n; i++) {
		if (kind_of(fmts[i], &nr) != first)
			continue;
		r->ids[nr / 8] |= (uint8_t)(1u << (nr % 8));
		if (tags)
			tags[nr] = FT_TAG(i, fmts[i]->id > 0 ? fmts[i]->id : 0);
		served++;
	}
	return served > 0;
}

/*
 * Whether program A of @pl can count other events on their own raw tracepoints: it reads
 * nothing of their records (a raw tracepoint has its arguments, not the record), nor which
 * event fired (a raw tracepoint's attachment carries no tag on the kernels here), nor a name
 * another event could have as a field of its own.
 */
static bool plain_ok(const struct ft_bpf_plan *pl)
{
	const struct ft_bpf_num *nums[FT_BPF_MAX_PARTS + FT_BPF_MAX_SUMS + FT_BPF_MAX_CONDS];
	size_t n = plan_nums(pl, 0, nums);

	if (!HAVE_RAW_SYSCALLS || pl->cfg.latency || pl->cfg.nmatch ||
	    pl->attach_a != FT_ATTACH_TRACEPOINT || !ft_bpf_plan_names_common(pl))
		return false;
	for (size_t i = 0; i < n; i++)
		if (nums[i]->src == FT_SRC_FIELD || is_string(nums[i]) ||
		    nums[i]->src == FT_SRC_TYPE || nums[i]->src == FT_SRC_EVENT)
			return false;
	return true;
}

/* Whether @sys:@ev is a tracepoint of its own (not a syscall event, which raw_syscalls' make,
 * nor ftrace's own events, nor a probe or synthetic event, which have no raw tracepoint). */
static bool own_tracepoint(const char *sys)
{
	static const char *const not [] = { "syscalls", "ftrace",  "synthetic",
					    "kprobes",	"uprobes", "eprobes" };

	for (size_t i = 0; i < sizeof(not ) / sizeof(not [0]); i++)
		if (!strcmp(sys, not [i]))
			return false;
	return true;
}

/* Gate @g of @pl (cfg.raw's index; program A's when 0 or 2) over @fmts, of direction @dir
 * (K_CLASSIC: the first syscall event's). Return: its direction, K_CLASSIC when none. */
static enum kind plan_gate(struct ft_bpf_plan *pl, int g, const struct ft_event_format *const *fmts,
			   size_t n, enum kind dir)
{
	int w = g == 1;
	uint8_t kind = w ? pl->attach_b : pl->attach_a;
	struct ft_bpf_raw r;
	unsigned lo = FT_BPF_REGS, hi = 0;

	memset(&pl->cfg.raw[g], 0, sizeof(pl->cfg.raw[g]));
	if (kind != FT_ATTACH_TRACEPOINT ||
	    !choose_gate(fmts, n, dir, &r, w ? NULL : pl->cfg.tags[g == 2]) ||
	    !words_cover(pl, w, &r, &lo, &hi)) {
		if (!w)
			memset(pl->cfg.tags[g == 2], 0, sizeof(pl->cfg.tags[0]));
		return K_CLASSIC;
	}
	if (r.gate == FT_GATE_SYS_EXIT)
		widen(&lo, &hi, r.nr_off);
	if (lo < hi) {
		r.regs_lo = (uint16_t)lo;
		r.regs_len = (uint16_t)(hi - lo);
	}
	pl->cfg.raw[g] = r;
	return r.gate == FT_GATE_SYS_ENTER ? K_ENTER : K_EXIT;
}

/**
 * ft_bpf_plan_raw() - choose which events a plan counts on raw tracepoints
 * @pl: a plan made for tracepoints (ft_bpf_plan_make()); its cfg.raw[] is set
 * @fmts: the formats of the events program A counts (the start event in latency mode)
 * @n: how many
 * @end_fmt: latency mode: the end event's format; else NULL
 *
 * Each program is decided on its own. Program A has a gate of each direction when its
 * events are syscall events of both (cfg.raw[0] the first event's direction, cfg.raw[2] the
 * other), and counts other tracepoints on their own raw tracepoints (cfg.raw[3]) when it
 * reads nothing of their records: attaching a raw tracepoint takes no perf event, and
 * detaching it waits for no RCU grace period under the kernel's event_mutex, which a perf
 * event does (seconds for hundreds, during which every tracefs event file waits). The events
 * it then serves on a raw tracepoint are those ft_bpf_raw_route() names;
 * the others keep their classic tracepoint.
 *
 * Return: true when some event moves.
 */
bool ft_bpf_plan_raw(struct ft_bpf_plan *pl, const struct ft_event_format *const *fmts, size_t n,
		     const struct ft_event_format *end_fmt)
{
	enum kind first;

	memset(pl->cfg.raw, 0, sizeof(pl->cfg.raw));
	memset(pl->cfg.tags, 0, sizeof(pl->cfg.tags));
	if (pl->cfg.nmatch)
		return false; /* match fields are read from the record: kept on the tracepoints */
	first = plan_gate(pl, 0, fmts, n, K_CLASSIC);
	if (first != K_CLASSIC && !pl->cfg.latency)
		plan_gate(pl, 2, fmts, n, first == K_ENTER ? K_EXIT : K_ENTER);
	if (pl->cfg.latency)
		plan_gate(pl, 1, &end_fmt, 1, K_CLASSIC);
	for (size_t i = 0; plain_ok(pl) && i < n && !pl->cfg.raw[3].gate; i++)
		if (!ft_bpf_is_probe_event(fmts[i]) && own_tracepoint(fmts[i]->system))
			pl->cfg.raw[3].gate = FT_GATE_PLAIN;
	return ft_bpf_raw_tp(pl, 0) || ft_bpf_raw_tp(pl, 1) || ft_bpf_raw_tp(pl, 2) ||
	       pl->cfg.raw[3].gate;
}

/**
 * ft_bpf_raw_tp() - the raw tracepoint raw program @which of @pl is attached to for its gate
 * @pl: the plan, after ft_bpf_plan_raw()
 * @which: cfg.raw's index: 0 for program A, 1 for B, 2 for A's second gate
 *
 * Return: "sys_enter" or "sys_exit", or NULL when the program has no gate (every event on
 * its classic tracepoint).
 */
const char *ft_bpf_raw_tp(const struct ft_bpf_plan *pl, int which)
{
	switch (pl->cfg.raw[which].gate) {
	case FT_GATE_SYS_ENTER:
		return "sys_enter";
	case FT_GATE_SYS_EXIT:
		return "sys_exit";
	}
	return NULL;
}

/* Whether gate @r serves the syscall event of kind @k and number @nr. */
static bool gate_serves(const struct ft_bpf_raw *r, enum kind k, int nr)
{
	if (k == K_CLASSIC || r->gate == FT_GATE_NONE ||
	    (k == K_ENTER) != (r->gate == FT_GATE_SYS_ENTER))
		return false;
	return (r->ids[nr / 8] >> (nr % 8)) & 1;
}

/**
 * ft_bpf_raw_route() - how program @which of @pl counts the event @fmt
 * @pl: the plan, after ft_bpf_plan_raw()
 * @which: 0 for program A, 1 for B
 * @fmt: one of the program's events
 *
 * Return: FT_ROUTE_RAW_SYSCALL (served by the program's one attachment at raw_syscalls' raw
 * tracepoint), FT_ROUTE_RAW_SYSCALL_2 (program A's second one, at the other raw tracepoint),
 * FT_ROUTE_RAW_PLAIN (program A at the event's own raw tracepoint) or FT_ROUTE_CLASSIC.
 */
int ft_bpf_raw_route(const struct ft_bpf_plan *pl, int which, const struct ft_event_format *fmt)
{
	enum kind k;
	int nr;

	if (!fmt)
		return FT_ROUTE_CLASSIC;
	k = kind_of(fmt, &nr);
	if (gate_serves(&pl->cfg.raw[which], k, nr))
		return FT_ROUTE_RAW_SYSCALL;
	if (!which && gate_serves(&pl->cfg.raw[2], k, nr))
		return FT_ROUTE_RAW_SYSCALL_2;
	if (!which && pl->cfg.raw[3].gate == FT_GATE_PLAIN && !ft_bpf_is_probe_event(fmt) &&
	    own_tracepoint(fmt->system))
		return FT_ROUTE_RAW_PLAIN;
	return FT_ROUTE_CLASSIC;
}

/* Whether record field @n of @first is one every syscall event of its direction has at the
 * same place: the call number, and at sys_exit the return value; of both directions (@enter
 * and !@enter, @both) the call number only. */
static bool common_syscall_field(const struct ft_bpf_num *n, const struct ft_event_format *first,
				 bool enter, bool both)
{
	for (size_t k = 0; k < first->nfields; k++) {
		const struct ft_field *f = &first->fields[k];

		if (f->offset != n->offset || f->common)
			continue;
		return !strcmp(f->name, "__syscall_nr") ||
		       (!enter && !both && !strcmp(f->name, "ret"));
	}
	return false;
}

/**
 * ft_bpf_raw_layout_known() - whether an event's format need not be read to count it
 * @pl: the plan, made for @first
 * @first: the format of the plan's first event
 * @sys: another event's system
 * @ev: its name
 *
 * Every syscall event of one direction has the kernel's one record layout (struct
 * syscall_trace_enter or _exit): the call number, then the arguments or the return value.
 * When @pl reads at most the call number (and the return value at sys_exit), another such
 * event with a known call number is counted on the raw gate as the first is, and reading its
 * format (most of the time it takes to attach hundreds of events) tells nothing more. An
 * event of the other direction goes to program A's second gate: likewise when @pl reads at
 * most the call number, which both layouts have in the same place. Any other tracepoint,
 * when @pl reads nothing of records (it is then counted on its own raw tracepoint): its
 * existence is all there is to check.
 *
 * Return: true when @sys:@ev is a syscall event with a known number and @pl reads nothing
 * else of the record (at most the call number when the directions differ), nor its id (the
 * format has it), nor a name the other event could have as a field of its own (where the
 * first has none: "pid" of sys_enter_kill).
 */
bool ft_bpf_raw_layout_known(const struct ft_bpf_plan *pl, const struct ft_event_format *first,
			     const char *sys, const char *ev)
{
	const struct ft_bpf_num *nums[FT_BPF_MAX_PARTS + FT_BPF_MAX_SUMS + FT_BPF_MAX_CONDS];
	struct ft_event_format other = { .system = (char *)sys, .name = (char *)ev };
	int nr;
	enum kind k = kind_of(first, &nr), ko = kind_of(&other, &nr);
	size_t n;

	if (pl->cfg.latency)
		return false;
	/* Not a syscall event: on its own raw tracepoint, where nothing of its record is read
	 * (the caller makes sure it is no probe or synthetic event of another group). */
	if (ko == K_CLASSIC)
		return plain_ok(pl) && own_tracepoint(sys);
	if (k == K_CLASSIC)
		return false;
	n = plan_nums(pl, 0, nums);
	for (size_t i = 0; i < n; i++)
		if (is_string(nums[i]) || nums[i]->src == FT_SRC_TYPE ||
		    nums[i]->src == FT_SRC_EVENT || !ft_bpf_plan_names_common(pl) ||
		    (nums[i]->src == FT_SRC_FIELD &&
		     !common_syscall_field(nums[i], first, k == K_ENTER, ko != k)))
			return false;
	return true;
}
