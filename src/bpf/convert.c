// SPDX-License-Identifier: GPL-2.0-only
/*
 * Map contents -> struct ft_hist: the BPF backend's rows typed as the hist side types the
 * kernel's (execname, syscall names, log2 buckets, symbolised stacks), sorted as the kernel
 * sorts, so dumps and the live view cannot tell the backends apart. Pure: the kernel-side
 * lookups (stack frames, symbols) come through a resolver.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "hist/analyze.h"
#include "hist/export-folded.h"
#include "util.h"

static const char *const syscall_names[] = {
#include "syscall-names.h"
};

/* The same by name, sorted for bsearch: plans of hundreds of syscall events look each up
 * several times. */
struct syscall_nr {
	const char *name;
	int nr;
};

static const struct syscall_nr syscall_nrs[] = {
#include "syscall-nrs.h"
};

static int by_name(const void *key, const void *elt)
{
	return strcmp(key, ((const struct syscall_nr *)elt)->name);
}

/*
 * System calls newer than the kernel headers ftrig may be built with (Debian 12's are 6.1's):
 * their numbers are ABI, the same on every kernel that has them. tests/host/73-syscall-nrs.sh
 * checks each against the running kernel's own syscalls:* events.
 */
static const struct syscall_nr newer[] = {
#if defined(__x86_64__)
	{ "uretprobe", 335 }, /* 6.11 */
	{ "uprobe", 336 }, /* 6.16 */
	{ "cachestat", 451 },
	{ "fchmodat2", 452 },
	{ "map_shadow_stack", 453 },
	{ "futex_wake", 454 },
	{ "futex_wait", 455 },
	{ "futex_requeue", 456 },
	{ "statmount", 457 },
	{ "listmount", 458 },
	{ "lsm_get_self_attr", 459 },
	{ "lsm_set_self_attr", 460 },
	{ "lsm_list_modules", 461 },
	{ "mseal", 462 },
	{ "setxattrat", 463 },
	{ "getxattrat", 464 },
	{ "listxattrat", 465 },
	{ "removexattrat", 466 },
	{ "open_tree_attr", 467 },
	{ "file_getattr", 468 },
	{ "file_setattr", 469 },
#endif
	{ "", -1 },
};

/**
 * ft_syscall_name() - the name of a system call of the architecture ftrig was built for
 * @nr: its number
 *
 * Calls newer than the build's headers come from a table of their own.
 *
 * Return: the name ("read"), or NULL when the number is unknown.
 */
const char *ft_syscall_name(uint64_t nr)
{
	if (nr < FT_ARRAY_SIZE(syscall_names) && syscall_names[nr])
		return syscall_names[nr];
	for (size_t i = 0; i < FT_ARRAY_SIZE(newer); i++)
		if (newer[i].nr >= 0 && (uint64_t)newer[i].nr == nr)
			return newer[i].name;
	return NULL;
}

/**
 * ft_syscall_nr() - the number of a system call named as its syscalls:sys_enter_NAME event is
 * @name: the name in the event ("getppid", "newstat")
 *
 * Events are named after the kernel's SYSCALL_DEFINE, the numbers after the system call
 * table, which renames a few (newstat is called stat there). Calls newer than the build's
 * headers come from a table of their own.
 *
 * Return: the number, or -1 when it is not a system call of this architecture.
 */
int ft_syscall_nr(const char *name)
{
	static const char *const renamed[][2] = {
		{ "newstat", "stat" },	 { "newfstat", "fstat" },      { "newlstat", "lstat" },
		{ "newuname", "uname" }, { "sendfile64", "sendfile" }, { "umount", "umount2" },
	};
	const struct syscall_nr *s;

	for (size_t i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (!strcmp(name, renamed[i][0]))
			name = renamed[i][1];
	s = bsearch(name, syscall_nrs, FT_ARRAY_SIZE(syscall_nrs), sizeof(*s), by_name);
	if (s)
		return s->nr;
	for (size_t i = 0; i < sizeof(newer) / sizeof(newer[0]); i++)
		if (!strcmp(name, newer[i].name))
			return newer[i].nr;
	return -1;
}

/* Frames a hist trigger keeps of a kernel stack (the kernel's HIST_STACKTRACE_DEPTH): BPF
 * stacks keep as many, so that the two backends give the same stacks. */
#define FT_HIST_STACK_DEPTH 16

/* A stack key of one pseudo-frame: "[stack lost]", "(no stack)". */
static int stack_note(struct ft_hist *h, const char *note, struct ft_key *k)
{
	k->frames = ft_hist_mem(h, sizeof(*k->frames));
	if (!k->frames || !(k->frames[0] = ft_hist_strdup(h, note)))
		return -ENOMEM;
	k->str = k->frames[0];
	k->nframes = 1;
	return 0;
}

static int stack_key(struct ft_hist *h, const struct ft_bpf_colinfo *col, int64_t id, uint32_t pid,
		     const struct ft_bpf_resolver *res, struct ft_key *k)
{
	uint64_t ips[FT_BPF_STACK_DEPTH];
	bool user = !strcmp(col->name, "ustack"), leading = !user, handler = false;
	char buf[256];
	int n = id < 0 || !res || !res->stack ? -ENOENT
					      : res->stack(res->data, id, ips, FT_BPF_STACK_DEPTH);

	/* A stack is its frames, as the hist side has it: the map's id is no part of the key. */
	k->num = 0;
	/* bpf_get_stackid failed at the event (-EFAULT, or -EEXIST on a full map). */
	if (n < 0)
		return stack_note(h, "[stack lost]", k);
	k->frames = ft_hist_mem(h, (size_t)(n ? n : 1) * sizeof(*k->frames));
	if (!k->frames)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		const char *s = NULL;

		if (!user && res->sym)
			s = res->sym(res->data, ips[i], true, buf, sizeof(buf));
		else if (user && res->usym)
			s = res->usym(res->data, pid, ips[i], buf, sizeof(buf));
		if (!s) {
			snprintf(buf, sizeof(buf), "0x%" PRIx64, ips[i]);
			s = buf;
		}
		leading = leading && ft_stack_frame_machinery(s, handler);
		handler |= leading && !strncmp(s, "kprobe_ftrace_handler", 21);
		if (leading)
			continue;
		if (!user && k->nframes == FT_HIST_STACK_DEPTH)
			break;
		k->frames[k->nframes] = ft_hist_strdup(h, s);
		if (!k->frames[k->nframes++])
			return -ENOMEM;
	}
	return k->nframes ? 0 : stack_note(h, "(no stack)", k);
}

static int make_key(struct ft_hist *h, const struct ft_bpf_plan *plan, size_t i,
		    const struct ft_bpf_row *row, const struct ft_bpf_resolver *res,
		    struct ft_key *k)
{
	const struct ft_bpf_colinfo *col = &plan->keys[i];
	const struct ft_bpf_part *p = &plan->cfg.parts[i];
	const char *at = (const char *)row->key + p->koff;
	char buf[256];
	uint64_t v;

	memcpy(&v, at, sizeof(v));
	k->kind = col->kind;
	k->num = v;
	if (p->num.src == FT_SRC_EVENT) {
		const char *name =
			res && res->event ? res->event(res->data, v, buf, sizeof(buf)) : NULL;

		if (!name)
			snprintf(buf, sizeof(buf), "event #%" PRIu64, v);
		k->num = 0;
		k->str = ft_hist_strdup(h, name ? name : buf);
		return k->str ? 0 : -ENOMEM;
	}
	switch (col->kind) {
	case FT_KEY_STR:
		k->num = 0;
		k->str = ft_hist_strndup(h, at, strnlen(at, p->klen));
		return k->str ? 0 : -ENOMEM;
	case FT_KEY_STACK:
		return stack_key(h, col, (int64_t)v, row->val.tgid, res, k);
	case FT_KEY_EXECNAME:
		k->str = ft_hist_strndup(h, row->val.comm,
					 strnlen(row->val.comm, sizeof(row->val.comm)));
		return k->str ? 0 : -ENOMEM;
	case FT_KEY_SYSCALL:
		/* The kernel's .syscall prints "sys_read": the same text from both backends
		 * (FIG-9; man ftrig-hist, KEYS). */
		if (!ft_syscall_name(v))
			return 0;
		snprintf(buf, sizeof(buf), "sys_%s", ft_syscall_name(v));
		k->str = ft_hist_strdup(h, buf);
		return k->str ? 0 : -ENOMEM;
	case FT_KEY_SYM:
		if (res && res->sym &&
		    res->sym(res->data, v, !strcmp(col->modifier, "sym-offset"), buf, sizeof(buf)))
			k->str = ft_hist_strdup(h, buf);
		return 0;
	case FT_KEY_LOG2:
		/* The aggregator rounds up as the kernel's .log2 does: the same bounds. */
		k->lo = ft_log2_lo((unsigned)v);
		k->hi = ft_log2_hi((unsigned)v);
		return 0;
	case FT_KEY_BUCKET:
		k->lo = v;
		k->hi = v + strtoull(col->modifier + strlen("buckets="), NULL, 0);
		return 0;
	default:
		return 0;
	}
}

/* Sorting context: which columns, in which direction. */
struct sort_by {
	const struct ft_bpf_plan *plan;
	int col[2]; /* >= 0: key column; < 0: value column -1 - n */
	bool desc[2];
	size_t n;
};

static int cmp_u64(uint64_t a, uint64_t b, bool is_signed)
{
	if (is_signed)
		return (int64_t)a < (int64_t)b ? -1 : (int64_t)a > (int64_t)b;
	return a < b ? -1 : a > b;
}

static int cmp_entries(const void *pa, const void *pb, void *data)
{
	const struct ft_hist_entry *a = pa, *b = pb;
	const struct sort_by *s = data;

	for (size_t i = 0; i < s->n; i++) {
		int c, col = s->col[i];

		if (col < 0) {
			c = cmp_u64(a->vals[-1 - col], b->vals[-1 - col], false);
		} else if (s->plan->keys[col].kind == FT_KEY_STR) {
			c = strcmp(a->keys[col].str, b->keys[col].str);
		} else {
			c = cmp_u64(a->keys[col].num, b->keys[col].num,
				    s->plan->keys[col].is_signed);
		}
		if (c)
			return s->desc[i] ? -c : c;
	}
	return 0;
}

/* The kernel's order: by the spec's sort keys, else by hitcount, smallest first. */
static void sort_by_init(struct sort_by *s, const struct ft_bpf_plan *plan)
{
	*s = (struct sort_by){ .plan = plan, .n = 1, .col = { -1 } };
	for (size_t i = 0; i < plan->nsort; i++) {
		s->desc[i] = plan->descending[i];
		for (uint32_t k = 0; k < plan->nkeys; k++)
			if (!strcmp(plan->keys[k].name, plan->sort[i]))
				s->col[i] = (int)k;
		for (uint32_t v = 0; v < plan->nvals; v++)
			if (!strcmp(plan->vals[v].name, plan->sort[i]))
				s->col[i] = -1 - (int)v;
		s->n = i + 1;
	}
}

/* Sort the entries in the kernel's order (a stable sort: ties keep the map's order). */
static void sort_entries(struct ft_hist *h, const struct ft_bpf_plan *plan)
{
	struct sort_by s;

	sort_by_init(&s, plan);
	if (h->nentries > 1)
		qsort_r(h->entries, h->nentries, sizeof(*h->entries), cmp_entries, &s);
}

/* A row's place in the kernel's order, when one number decides it (see row_order()). */
struct order {
	uint64_t v;
	uint64_t row;
};

/*
 * The order of the rows when a single number sorts them (hitcount by default; any value or
 * key but a string): (number, row) pairs read from the rows are radix-sorted, instead of
 * entries whose values sit elsewhere in memory compared one by one; equal numbers keep the
 * map's order, as the stable sort_entries() keeps it. A live view sorts ten thousand rows a
 * second. NULL when sort_entries() must sort the built entries instead, or on ENOMEM.
 */
static struct order *row_order(const struct ft_bpf_plan *plan, const struct ft_bpf_row *rows,
			       size_t n)
{
	struct sort_by s;
	struct order *o;
	int c;

	sort_by_init(&s, plan);
	c = s.col[0];
	if (s.n != 1 || (c >= 0 && plan->keys[c].kind == FT_KEY_STR) ||
	    !(o = malloc(2 * n * sizeof(*o) + 1)))
		return NULL;
	for (size_t r = 0; r < n; r++) {
		uint64_t v;

		if (c == -1)
			v = rows[r].val.hits;
		else if (c < 0)
			v = rows[r].val.sums[-2 - c];
		else
			memcpy(&v, rows[r].key + plan->cfg.parts[c].koff, sizeof(v));
		if (c >= 0 && plan->keys[c].is_signed)
			v ^= UINT64_C(1) << 63; /* two's complement in unsigned order */
		o[r] = (struct order){ s.desc[0] ? ~v : v, r };
	}
	ft_radix_sort(o, o + n, n, sizeof(*o), 1);
	return o;
}

static int set_columns(struct ft_hist *h, const struct ft_bpf_plan *plan)
{
	h->trigger = ft_hist_strdup(h, plan->trigger);
	h->name = ft_hist_strdup(h, plan->name);
	if (!h->trigger || !h->name)
		return -ENOMEM;
	h->nkeys = plan->nkeys;
	h->nvals = plan->nvals;
	h->size = plan->size;
	for (size_t i = 0; i < plan->nkeys + plan->nvals; i++) {
		const struct ft_bpf_colinfo *ci =
			i < plan->nkeys ? &plan->keys[i] : &plan->vals[i - plan->nkeys];
		struct ft_hist_col *col = i < plan->nkeys ? &h->keys[i] : &h->vals[i - plan->nkeys];

		col->name = ft_hist_strdup(h, ci->name);
		col->modifier = ft_hist_strdup(h, ci->modifier);
		col->kind = ci->kind;
		col->is_signed = ci->is_signed;
		col->shown = true; /* every BPF column holds real numbers, unlike expressions */
		if (!col->name || !col->modifier)
			return -ENOMEM;
	}
	return 0;
}

/**
 * ft_bpf_hist_merge_keys() - entries of equal keys made one (pure)
 * @h: the hist
 *
 * Entries whose keys are equal once made (stacks of different map ids that are the same
 * frames once the tracing frames are skipped and the kernel's depth kept; a key counted in a
 * slot the index refused, FT_STAT_UNINDEXED, beside its indexed slot) are one entry, as the
 * kernel would have counted them: their values are summed into the first.
 *
 * Return: 0 or -ENOMEM (then @h is unchanged).
 */
int ft_bpf_hist_merge_keys(struct ft_hist *h)
{
	size_t cap = 16, kept = 0;
	size_t *slot;

	while (cap < 2 * h->nentries)
		cap *= 2;
	slot = malloc(cap * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	memset(slot, 0xff, cap * sizeof(*slot));
	for (size_t i = 0; i < h->nentries; i++) {
		struct ft_hist_entry *e = &h->entries[i];
		size_t at = ft_key_hash(e->keys, h->nkeys) & (cap - 1);

		while (slot[at] != SIZE_MAX &&
		       !ft_key_equal(h->entries[slot[at]].keys, e->keys, h->nkeys))
			at = (at + 1) & (cap - 1);
		if (slot[at] != SIZE_MAX) {
			for (size_t v = 0; v < h->nvals; v++)
				h->entries[slot[at]].vals[v] += e->vals[v];
			continue;
		}
		/* kept entries only move down, so a slot's index stays valid until it moves */
		h->entries[kept] = *e;
		slot[at] = kept++;
	}
	h->nentries = kept;
	free(slot);
	return 0;
}

/* The entries of @n rows added to @h, in @order when given, else in @rows' order. */
static int add_rows(struct ft_hist *h, const struct ft_bpf_plan *plan,
		    const struct ft_bpf_row *rows, size_t n, const struct order *order,
		    const struct ft_bpf_resolver *res)
{
	/* all at once: one allocation, not one a row (#21) */
	struct ft_hist_entry *first = n ? ft_hist_add_entries(h, n) : NULL;
	int ret = n && !first ? -ENOMEM : 0;

	for (size_t i = 0; !ret && i < n; i++) {
		const struct ft_bpf_row *row = &rows[order ? order[i].row : i];
		struct ft_hist_entry *e = &first[i];

		for (size_t k = 0; !ret && k < plan->nkeys; k++)
			ret = make_key(h, plan, k, row, res, &e->keys[k]);
		ft_bpf_entry_vals(plan, e->vals, row);
	}
	return ret;
}

/**
 * ft_bpf_hist_add_rows() - add rows of a table to a hist of its plan's columns, in their order
 * @h: the hist
 * @plan: the table's plan
 * @rows: the rows
 * @n: how many
 * @res: as for ft_bpf_hist_build()
 *
 * Return: 0 or -ENOMEM.
 */
int ft_bpf_hist_add_rows(struct ft_hist *h, const struct ft_bpf_plan *plan,
			 const struct ft_bpf_row *rows, size_t n, const struct ft_bpf_resolver *res)
{
	return add_rows(h, plan, rows, n, NULL, res);
}

/* A new hist of @plan's columns, in @reuse's memory when given (taken over either way). */
static struct ft_hist *begin(const struct ft_bpf_plan *plan, struct ft_hist *reuse)
{
	char ev[2 * FT_BPF_TEXT + 2];
	struct ft_hist *h;

	/* Titled by the pattern that chose the events, when one did (TOP-4). */
	if (*plan->title)
		snprintf(ev, sizeof(ev), "%s", plan->title);
	else
		snprintf(ev, sizeof(ev), "%s:%s", plan->system, plan->event);
	h = ft_hist_recycle(reuse, ev, "", "bpf");
	if (h && set_columns(h, plan)) {
		ft_hist_free(h);
		return NULL;
	}
	return h;
}

/* The counters of a built hist, and its entries of the same key made one. */
static int finish(struct ft_hist *h, const struct ft_bpf_plan *plan, uint64_t hits,
		  uint64_t dropped)
{
	h->hits = hits;
	h->dropped = dropped;
	if (ft_bpf_plan_stacks(plan) && ft_bpf_hist_merge_keys(h))
		return -ENOMEM;
	h->nentries_total = h->nentries;
	return 0;
}

/* ft_bpf_hist_build(), the entries in the kernel's order when @sort, else in @rows' order. */
static int build(const struct ft_bpf_plan *plan, const struct ft_bpf_row *rows, size_t n,
		 uint64_t hits, uint64_t dropped, const struct ft_bpf_resolver *res, bool sort,
		 struct ft_hist *reuse, struct ft_hist **out)
{
	struct ft_hist *h = begin(plan, reuse);
	struct order *order;
	int ret;

	if (!h)
		return -ENOMEM;
	order = sort ? row_order(plan, rows, n) : NULL;
	ret = add_rows(h, plan, rows, n, order, res);
	if (!ret)
		ret = finish(h, plan, hits, dropped);
	if (ret) {
		free(order);
		ft_hist_free(h);
		return ret;
	}
	if ((!order || h->nentries < n) && sort)
		sort_entries(h, plan);
	free(order);
	*out = h;
	return 0;
}

/**
 * ft_bpf_hist_build() - turn an aggregator's map contents into a histogram snapshot
 * @plan: the aggregation's plan (columns, kinds, sort)
 * @rows: the map's entries
 * @n: how many
 * @hits: events that reached the table (the per-CPU hits counter summed)
 * @dropped: events lost because the table was full
 * @res: stack and symbol lookups; NULL leaves stacks and symbols unresolved
 * @out: set to the new hist ("bpf" backend), to free with ft_hist_free()
 *
 * The entries are in the kernel's order (the plan's sort keys, else hitcount).
 *
 * Return: 0 or -ENOMEM.
 */
int ft_bpf_hist_build(const struct ft_bpf_plan *plan, const struct ft_bpf_row *rows, size_t n,
		      uint64_t hits, uint64_t dropped, const struct ft_bpf_resolver *res,
		      struct ft_hist **out)
{
	return build(plan, rows, n, hits, dropped, res, true, NULL, out);
}

/**
 * ft_bpf_hist_build_unsorted() - ft_bpf_hist_build() with the entries in @rows' order
 * @plan: as for ft_bpf_hist_build()
 * @rows: the map's entries
 * @n: how many
 * @hits: as for ft_bpf_hist_build()
 * @dropped: as for ft_bpf_hist_build()
 * @res: as for ft_bpf_hist_build()
 * @reuse: a hist the caller is done with, whose memory the new one reuses
 *         (ft_hist_recycle()), or NULL; taken over either way
 * @out: set to the new hist, to free with ft_hist_free()
 *
 * For a reader that orders the entries itself (the live view): the kernel's order would cost
 * it a sort and a pass over @rows in that order, which is all over memory, each refresh.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_bpf_hist_build_unsorted(const struct ft_bpf_plan *plan, const struct ft_bpf_row *rows,
			       size_t n, uint64_t hits, uint64_t dropped,
			       const struct ft_bpf_resolver *res, struct ft_hist *reuse,
			       struct ft_hist **out)
{
	return build(plan, rows, n, hits, dropped, res, false, reuse, out);
}

/**
 * ft_bpf_hist_build_windows() - ft_bpf_hist_build_unsorted() of rows read a window at a time
 * @plan: as for ft_bpf_hist_build()
 * @rd: the reader of the rows; its hits are read once it has handed over its last window
 * @dropped: as for ft_bpf_hist_build()
 * @res: as for ft_bpf_hist_build()
 * @reuse: as for ft_bpf_hist_build_unsorted(); taken over either way
 * @out: set to the new hist, to free with ft_hist_free()
 *
 * A live view of a large table need not hold all its rows at once besides the hist they
 * make (#21: a 131,072-entry table's rows are 9 MB): each window's are made entries before
 * the next is read.
 *
 * Return: 0, -ENOMEM, or the reader's -errno.
 */
int ft_bpf_hist_build_windows(const struct ft_bpf_plan *plan, struct ft_bpf_rows_reader *rd,
			      uint64_t dropped, const struct ft_bpf_resolver *res,
			      struct ft_hist *reuse, struct ft_hist **out)
{
	struct ft_hist *h = begin(plan, reuse);
	const struct ft_bpf_row *rows;
	long n;
	int ret = 0;

	if (!h)
		return -ENOMEM;
	while (!ret && (n = rd->next(rd, &rows)) > 0)
		ret = add_rows(h, plan, rows, (size_t)n, NULL, res);
	if (!ret && n < 0)
		ret = (int)n;
	if (!ret)
		ret = finish(h, plan, rd->hits + dropped, dropped);
	if (ret) {
		ft_hist_free(h);
		return ret;
	}
	*out = h;
	return 0;
}
