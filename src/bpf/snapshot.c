// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading an aggregation: its table into an ft_hist (stacks, symbols and event names
 * resolved), and the ft_source a live view reads it through.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>

#include "bpf/ksym.h"
#include "bpf/loaded.h"
#include "bpf/table.h"
#include "bpf/usym.h"
#include "hist/spec.h"
#include "source.h"

/* What the resolver callbacks of one snapshot work with. */
struct snap {
	struct ft_bpf_agg *a;
	struct ft_usyms *u;
};

static const char *res_sym(void *data, uint64_t addr, bool offset, char *buf, size_t size)
{
	struct ft_bpf_agg *a = ((struct snap *)data)->a;

	if (!a->ksyms && !(a->ksyms = ft_ksyms_load("/proc/kallsyms")))
		return NULL;
	return ft_ksyms_lookup(a->ksyms, addr, offset, buf, size);
}

static const char *res_usym(void *data, uint32_t pid, uint64_t addr, char *buf, size_t size)
{
	struct snap *s = data;

	if (!s->u)
		s->u = ft_usyms_alloc();
	return s->u ? ft_usyms_lookup(s->u, pid, addr, buf, size) : NULL;
}

/* An event of the aggregation by its index: the only one, the end event of a latency, or
 * one of its events, known to this process or pinned. */
static const char *res_event(void *data, uint64_t index, char *buf, size_t size)
{
	struct ft_bpf_agg *a = ((struct snap *)data)->a;
	const struct ft_bpf_plan *p = &a->plan;

	if (p->cfg.latency || p->nevents <= 1) {
		if (index)
			return NULL;
		snprintf(buf, size, "%s:%s", p->cfg.latency ? p->end_system : p->system,
			 p->cfg.latency ? p->end_event : p->event);
		return buf;
	}
	if (index < a->nmembers) {
		snprintf(buf, size, "%s:%s", a->members[index].system, a->members[index].event);
		return buf;
	}
	return *a->dir && index < p->nevents
		       ? ft_bpf_members_name(a->dir, (uint32_t)index, buf, size)
		       : NULL;
}

static int res_stack(void *data, int64_t id, uint64_t *ips, size_t max)
{
	struct ft_bpf_agg *a = ((struct snap *)data)->a;
	uint64_t frames[FT_BPF_STACK_DEPTH] = { 0 };
	uint32_t key = (uint32_t)id;
	size_t n = 0;

	if (bpf_map_lookup_elem(a->fd_stacks, &key, frames))
		return -errno;
	while (n < max && n < FT_BPF_STACK_DEPTH && frames[n]) {
		ips[n] = frames[n];
		n++;
	}
	return (int)n;
}

/*
 * Keys counted unindexed (FT_STAT_UNINDEXED) merged into their rows, and how many and why
 * said in @h. A map pinned by an older build has no such statistics: none, then.
 */
static int mark_unindexed(struct ft_bpf_agg *a, struct ft_hist *h)
{
	uint64_t n = 0, err = 0;
	int ret;

	if (ft_bpf_stat_sum(a, FT_STAT_UNINDEXED, &n, false) || !n)
		return 0;
	ft_bpf_stat_any(a, FT_STAT_INDEX_ERR, &err);
	h->unindexed = n;
	/* A pin made by a build before the int read of the insert's result (agg.bpf.c's
	 * new_entry) may hold 0xffffffff00000007 for E2BIG on kernels before 6.4: its low half. */
	err = (uint32_t)err;
	h->index_err = err < 4096 ? (int)err : 0;
	ret = ft_bpf_hist_merge_keys(h);
	if (ret) {
		ft_hist_free(h);
		return ret;
	}
	h->nentries_total = h->nentries;
	return 0;
}

/*
 * The aggregation's state as a hist trigger's listing gives it: paused or not, and the
 * trigger text ending in " [paused]" or " [active]" (FIG-6, #16).
 */
static int mark_state(struct ft_bpf_agg *a, struct ft_hist *h)
{
	uint64_t paused = 0;
	char text[sizeof(a->plan.trigger) + 16];
	int ret = ft_bpf_ctl_get(a, FT_BPF_CTL_PAUSED, &paused);

	if (ret) {
		ft_hist_free(h);
		return ret;
	}
	h->paused = paused != 0;
	snprintf(text, sizeof(text), "%s [%s]", a->plan.trigger, h->paused ? "paused" : "active");
	/* a hist updated in place has it already, unless the state changed: its memory does
	 * not grow a copy every refresh */
	if (!strcmp(h->trigger, text))
		return 0;
	h->trigger = ft_hist_strdup(h, text);
	if (!h->trigger) {
		ft_hist_free(h);
		return -ENOMEM;
	}
	return 0;
}

/* Reading a table that does not rotate a window at a time (ft_bpf_hist_build_windows()),
 * each window mapped while it is read. */
struct windows {
	int fd;
	size_t stride, at, end;
	struct ft_bpf_table map;
	struct ft_bpf_row rows[FT_BPF_WINDOW];
};

static long next_window(struct ft_bpf_rows_reader *rd, const struct ft_bpf_row **rows)
{
	struct windows *w = rd->data;
	size_t n = 0;

	/* A window whose slots were all given up has no rows: the next is read. */
	while (!n && w->at < w->end) {
		size_t skip, want = w->end - w->at < FT_BPF_WINDOW ? w->end - w->at : FT_BPF_WINDOW;
		struct ft_bpf_table t;
		uint64_t hits;
		int ret;

		/* The last window's rows were made entries: its keys are not read again. */
		ft_bpf_table_unmap(&w->map);
		ret = ft_bpf_table_window(w->fd, w->stride, w->at, want, PROT_READ, &w->map, &skip);
		if (ret)
			return ret;
		t = w->map;
		t.base += skip;
		n = ft_bpf_table_rows(&t, want, w->rows, &hits);
		w->at += want;
		rd->hits += hits;
	}
	*rows = w->rows;
	return (long)n;
}

/*
 * A live view's snapshot of a table that does not rotate, in @reuse's memory, read a window
 * at a time rather than whole into @a's rows: the whole table is not mapped either. @update:
 * @reuse is the snapshot this made last (@a's built), whose counts are brought up to date.
 */
static int snapshot_windows(struct ft_bpf_agg *a, uint64_t dropped, struct ft_bpf_resolver *res,
			    struct ft_hist *reuse, bool update, struct ft_hist **out)
{
	struct windows *w = malloc(sizeof(*w));
	struct ft_bpf_rows_reader rd = { .next = next_window, .data = w };
	uint64_t used = 0;
	int ret = w ? ft_bpf_ctl_get(a, FT_BPF_CTL_NEXT, &used) : -ENOMEM;

	if (ret) {
		free(w);
		ft_hist_free(reuse);
		return ret;
	}
	*w = (struct windows){ .fd = a->fd_slots, .stride = FT_BPF_SLOT(a->plan.cfg.ksize) };
	w->end = used < a->plan.size ? (size_t)used : a->plan.size;
	/* Mapped whole at open, the table is all in memory (a sorted snapshot maps it again). */
	ft_bpf_table_unmap(&a->table);
	ret = update ? ft_bpf_hist_update_windows(&a->plan, &rd, dropped, res, reuse) : 1;
	if (ret == 1) {
		/* not a hist of the table as it is: built anew, its rows read again */
		ft_bpf_table_unmap(&w->map);
		w->at = 0;
		rd.hits = 0;
		ret = ft_bpf_hist_build_windows(&a->plan, &rd, dropped, res, reuse, out);
	} else if (ret) {
		ft_hist_free(reuse);
	} else {
		*out = reuse;
	}
	ft_bpf_table_unmap(&w->map);
	free(w);
	return ret;
}

/* Reading a rotating aggregation's totals a window at a time into its rows. */
struct totals {
	struct ft_bpf_agg *a;
	size_t next;
};

static long next_totals(struct ft_bpf_rows_reader *rd, const struct ft_bpf_row **rows)
{
	struct totals *t = rd->data;
	size_t n = ft_bpf_accum_window(t->a->acc, t->next, t->a->rows, FT_BPF_WINDOW);

	t->next += n;
	*rows = t->a->rows;
	return (long)n;
}

/* A live view's snapshot of its own rotating aggregation, after a turn, in @reuse's memory:
 * the totals are made entries a window at a time, never copied whole (#21). */
static int snapshot_totals(struct ft_bpf_agg *a, uint64_t dropped, struct ft_bpf_resolver *res,
			   struct ft_hist *reuse, struct ft_hist **out)
{
	struct totals t = { .a = a };
	struct ft_bpf_rows_reader rd = { .next = next_totals, .data = &t };
	uint64_t expired;
	int ret = ft_bpf_agg_turn(a);

	if (ret) {
		ft_hist_free(reuse);
		return ret;
	}
	/* The reader's hits are read after its last window: all the intervals', as before. */
	ft_bpf_accum_counts(a->acc, &rd.hits, &expired);
	return ft_bpf_hist_build_windows(&a->plan, &rd, dropped, res, reuse, out);
}

/*
 * ft_bpf_agg_snapshot(), the entries in the kernel's order when @sort, else the map's (built
 * in @reuse's memory when given: ft_bpf_hist_build_unsorted() takes it over).
 */
static int snapshot(struct ft_bpf_agg *a, bool sort, struct ft_hist *reuse, struct ft_hist **out)
{
	struct snap snap = { .a = a };
	struct ft_bpf_resolver res = { .stack = res_stack,
				       .sym = res_sym,
				       .usym = res_usym,
				       .event = res_event,
				       .data = &snap };
	const struct ft_bpf_row *rows = NULL;
	uint64_t hits = 0, dropped = 0;
	size_t n = 0;
	const struct ft_hist *built = a->built;
	bool windows = false;
	int ret = ft_bpf_stat_sum(a, FT_STAT_DROPPED, &dropped, false);

	a->built = NULL;
	if (!ret && !sort && !a->acc) {
		ret = snapshot_windows(a, dropped, &res, reuse, reuse && reuse == built, out);
		reuse = NULL;
		windows = true;
		goto built;
	}
	if (!ret && !sort) {
		ret = snapshot_totals(a, dropped, &res, reuse, out);
		goto built;
	}
	/* A live view's windows left the table unmapped (snapshot_windows()). */
	if (!ret && !a->table.base && !a->acc)
		ret = ft_bpf_table_map(a->fd_slots, a->plan.size, a->plan.cfg.ksize, PROT_READ,
				       &a->table);
	/* The table's size does not change: the rows are allocated once (a rotating
	 * aggregation's hold a window's rows: ft_bpf_agg_turn() allocates them). */
	if (!ret && !a->rows && !a->acc && !(a->rows = malloc(a->table.cap * sizeof(*a->rows))))
		ret = -ENOMEM;
	if (!ret)
		ret = ft_bpf_agg_rows_now(a, &rows, &n, &hits);
	if (ret) {
		ft_hist_free(reuse);
		return ret;
	}
	/* Hits as the kernel's hist shows them: events that reached the table, kept or not. */
	if (sort)
		ret = ft_bpf_hist_build(&a->plan, rows, n, hits + dropped, dropped, &res, out);
	else
		ret = ft_bpf_hist_build_unsorted(&a->plan, rows, n, hits + dropped, dropped, &res,
						 reuse, out);
built:
	ft_usyms_free(snap.u);
	if (!ret)
		(*out)->missed = ft_bpf_agg_misses(a);
	if (!ret)
		ret = mark_unindexed(a, *out);
	if (!ret)
		ret = mark_state(a, *out);
	/* in the table's order still, nothing merged: the next refresh can update it */
	if (!ret && windows && !(*out)->unindexed)
		a->built = *out;
	return ret;
}

/**
 * ft_bpf_agg_snapshot() - read an aggregation's table into a histogram
 * @a: the aggregation
 * @out: set to a new ft_hist (backend "bpf"), to free with ft_hist_free()
 *
 * Does not clear the table. Full-table losses are reported in the hist's dropped count. The
 * entries are in the kernel's order, as a hist trigger lists them.
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_snapshot(struct ft_bpf_agg *a, struct ft_hist **out)
{
	return snapshot(a, true, NULL, out);
}

/*
 * The ft_source of a BPF aggregation: the live view reads it like a kernel hist. Its
 * snapshots keep the map's order, which the view does not need sorted: it sorts the rows its
 * own way each refresh.
 */
struct bpf_source {
	struct ft_source src;
	struct ft_bpf_agg *agg;
};

static int source_recycle(struct ft_source *src, struct ft_hist *old, struct ft_hist **out)
{
	struct ft_bpf_agg *a = ((struct bpf_source *)src)->agg;
	char dir[PATH_MAX];
	int ret;

	/* Opened from its pins (top --attach) and removed since (hist rm): this process's
	 * descriptors keep the maps, frozen; say it is gone rather than show them (TOP-5). */
	if (!a->obj && *a->plan.name && !ft_bpf_pin_dir(a->plan.name, dir, sizeof(dir)) &&
	    access(dir, F_OK)) {
		*out = old; /* untouched: the view shows it still, with the error */
		return -ENOENT;
	}
	ret = snapshot(a, false, old, out);
	if (ret)
		*out = NULL;
	return ret;
}

static int source_snapshot(struct ft_source *src, struct ft_hist **out)
{
	return source_recycle(src, NULL, out);
}

static void source_destroy(struct ft_source *src)
{
	struct bpf_source *s = (struct bpf_source *)src;

	ft_bpf_agg_destroy(s->agg);
	free(s->src.label);
	free(s);
}

static const struct ft_source_ops bpf_source_ops = {
	.backend = "bpf",
	.snapshot = source_snapshot,
	.recycle = source_recycle,
	.destroy = source_destroy,
};

/**
 * ft_bpf_source_alloc() - a source reading an aggregation
 * @a: the aggregation; the source owns it from now on (ft_source_destroy() destroys it,
 *     which for a temporary aggregation detaches it, and leaves a pinned one running)
 *
 * Return: the source, or NULL with errno set (then @a is still the caller's).
 */
struct ft_source *ft_bpf_source_alloc(struct ft_bpf_agg *a)
{
	struct bpf_source *s = calloc(1, sizeof(*s));
	char more[32] = "";

	if (!s)
		return NULL;
	/* A pattern's view is titled by the pattern (TOP-4), with the number of its events. */
	if (a->plan.nevents > 1)
		snprintf(more, sizeof(more), " (%u events)", a->plan.nevents);
	if (asprintf(&s->src.label, "%s%s %s (bpf)", a->plan.title, more, a->plan.trigger) < 0) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->src.ops = &bpf_source_ops;
	s->agg = a;
	return &s->src;
}
#endif
