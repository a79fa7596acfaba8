// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view's model: tabs of successive snapshots, the deltas and baselines between
 * them, and the heat map's intervals. The rows built from them are in top-rows.c, what each
 * key does in top-keys.c, the drawing in top-render.c, top-tabs.c and top-pane.c. Pure: no
 * terminal, no I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hist/analyze.h"
#include "hist/cols.h"
#include "log.h"
#include "ui/top.h"
#include "util.h"

/**
 * ft_top_view_alloc() - an empty view
 * @interval_ms: the refresh interval
 *
 * Return: the view (free with ft_top_view_free()), or NULL with errno set.
 */
struct ft_top_view *ft_top_view_alloc(unsigned interval_ms)
{
	struct ft_top_view *v = calloc(1, sizeof(*v));

	if (v)
		v->interval_ms = interval_ms ? interval_ms : 1000;
	return v;
}

static void heat_release(struct ft_top_tab *t)
{
	for (size_t i = 0; i < FT_TOP_HEAT_MAX; i++) {
		free(t->heat[i].b);
		t->heat[i] = (struct ft_top_heatcol){ 0 };
	}
	t->nheat = t->heat_next = 0;
}

/*
 * Let a snapshot go unless the tab still holds it in another role: it becomes the spare, whose
 * memory the next snapshot is built in.
 */
static void drop(struct ft_top_tab *t, struct ft_hist *h)
{
	if (!h || h == t->base || h == t->cur || h == t->spare)
		return;
	ft_hist_free(t->spare);
	t->spare = h;
}

static void tab_release(struct ft_top_tab *t)
{
	struct ft_hist *base = t->base, *cur = t->cur;

	/* One at a time: the baseline is also the current snapshot after a reset, and must be
	 * freed once. */
	t->base = NULL;
	drop(t, base);
	t->cur = NULL;
	drop(t, cur);
	/* The deltas' keys are @cur's: they go first. */
	ft_hist_free(t->since);
	ft_hist_free(t->last);
	ft_hist_free(t->lastmem);
	ft_hist_free(t->spare);
	ft_hist_past_release(&t->past);
	heat_release(t);
	ft_top_names_release(&t->names);
	free(t->args);
	free(t->label);
}

/**
 * ft_top_view_free() - free a view and every snapshot it holds; NULL is allowed
 * @v: the view
 */
void ft_top_view_free(struct ft_top_view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->ntabs; i++)
		tab_release(&v->tabs[i]);
	free(v->tabs);
	free(v->rows);
	free(v->rowmem);
	free(v->keyoff);
	free(v->keytext);
	free(v->keyw);
	free(v->keynum);
	free(v->cells);
	free(v->sortrecs);
	free(v->order);
	ft_text_release(&v->out);
	free(v);
}

/**
 * ft_top_view_add_tab() - watch one more hist
 * @v: the view
 * @label: its name on the tab line (copied)
 *
 * Return: the new tab's index, or -ENOMEM.
 */
int ft_top_view_add_tab(struct ft_top_view *v, const char *label)
{
	struct ft_top_tab *n = realloc(v->tabs, (v->ntabs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	v->tabs = n;
	n = &v->tabs[v->ntabs];
	memset(n, 0, sizeof(*n));
	n->sort = -1;
	n->label = strdup(label);
	if (!n->label)
		return -ENOMEM;
	return (int)v->ntabs++;
}

/**
 * ft_top_view_set_args() - the spec tab @tab was made from, for e to edit (TOP-7)
 * @v: the view
 * @tab: the tab
 * @args: its words as typed on a command line (copied)
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_set_args(struct ft_top_view *v, size_t tab, const char *args)
{
	char *a = strdup(args);

	if (!a)
		return -ENOMEM;
	free(v->tabs[tab].args);
	v->tabs[tab].args = a;
	return 0;
}

/**
 * ft_top_view_replace_tab() - watch another hist in tab @tab, from scratch
 * @v: the view
 * @tab: the tab
 * @label: its new name on the tab line (copied)
 *
 * Its snapshots, baseline, sort and filter go: the new hist has other keys and columns.
 *
 * Return: 0 or -ENOMEM (the view cannot go on).
 */
int ft_top_view_replace_tab(struct ft_top_view *v, size_t tab, const char *label)
{
	struct ft_top_tab *t = &v->tabs[tab];

	tab_release(t);
	memset(t, 0, sizeof(*t));
	t->sort = -1;
	t->label = strdup(label);
	return t->label ? 0 : -ENOMEM;
}

/* Remember the last interval's distribution for the heat map. */
static int heat_push(struct ft_top_tab *t)
{
	int key = ft_top_bucket_key(t->last), w = t->last ? ft_hist_weight_col(t->last) : -1;
	struct ft_top_heatcol *c;
	struct ft_top_bucket *b;
	size_t n;

	if (key < 0 || w < 0)
		return 0;
	n = ft_top_buckets(t->last, (size_t)key, (size_t)w, &b);
	if (!b)
		return -ENOMEM;
	c = &t->heat[t->heat_next];
	free(c->b);
	*c = (struct ft_top_heatcol){ b, n };
	t->heat_next = (t->heat_next + 1) % FT_TOP_HEAT_MAX;
	if (t->nheat < FT_TOP_HEAT_MAX)
		t->nheat++;
	return 0;
}

/* Recompute @since (cur - base); a baseline whose columns no longer match is dropped. */
static int since_update(struct ft_top_tab *t)
{
	struct ft_hist *old = t->since;

	t->since = NULL;
	if (!t->base || !t->cur) {
		ft_hist_free(old);
		return 0;
	}
	t->since = ft_hist_delta_recycle(old, t->base, t->cur);
	if (t->since)
		return 0;
	if (errno != EINVAL)
		return -errno;
	drop(t, t->base);
	t->base = NULL;
	return 0;
}

/*
 * The tab is done with @cur: a new snapshot comes, built in its memory or not. What the next
 * interval subtracts is kept as @cur's compact record, not @cur itself: a table of 131,072
 * entries then holds one snapshot, not two (#21). @last and @since, whose keys are @cur's, go
 * with it; @last's memory is kept for the next one. Returns the old @cur (which may still be
 * the baseline), or NULL when there was none or on ENOMEM (in @err; nothing changed then).
 */
static struct ft_hist *retire(struct ft_top_tab *t, int *err)
{
	struct ft_hist *old = t->cur;

	*err = 0;
	if (!old || (*err = ft_hist_past_take(&t->past, old)))
		return NULL;
	ft_hist_free(t->lastmem);
	t->lastmem = t->last;
	t->last = NULL;
	ft_hist_free(t->since);
	t->since = NULL;
	t->cur = NULL;
	return old;
}

/**
 * ft_top_view_push() - a tab's newest snapshot
 * @v: the view
 * @tab: the tab
 * @snap: the snapshot; the view owns it from now on (also when this fails)
 *
 * The last interval becomes @snap minus the previous snapshot (ft_hist_delta_past(), from
 * that snapshot's record); a snapshot whose columns differ from the previous one (the
 * trigger was replaced) starts the tab over.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_push(struct ft_top_view *v, size_t tab, struct ft_hist *snap)
{
	struct ft_top_tab *t = &v->tabs[tab];
	int ret;
	struct ft_hist *old = retire(t, &ret);

	if (ret) {
		ft_hist_free(snap);
		return ret;
	}
	drop(t, old);
	t->lent = NULL;
	/* A distribution reads in bucket order, as bpftrace and the bcc tools print it (TOP-7):
	 * a hist keyed by one log2 or bucket key starts sorted by it, not by rate. */
	if (!t->past.valid && t->sort < 0 && snap->nkeys == 1 && ft_top_bucket_key(snap) == 0)
		t->sort = 0;
	t->cur = snap;
	old = t->lastmem;
	t->lastmem = NULL;
	if (t->past.valid)
		t->last = ft_hist_delta_past(old, &t->past, t->cur);
	else
		ft_hist_free(old);
	if (t->past.valid && !t->last) {
		if (errno != EINVAL)
			return -errno;
		/* Other columns: another trigger now; nothing before it compares. */
		t->past.valid = false;
		old = t->base;
		t->base = NULL;
		drop(t, old);
		heat_release(t);
	}
	ret = since_update(t);
	return ret ? ret : heat_push(t);
}

/**
 * ft_top_view_spare() - take the memory of a snapshot tab @tab is done with
 * @v: the view
 * @tab: the tab
 *
 * For the next snapshot of the tab's source to be built in (ft_source_recycle()): the
 * caller owns it from now on. That is the current snapshot, whose record the next interval
 * is made from, unless it is also the baseline: until the next ft_top_view_push(), the tab
 * shows no rows.
 *
 * Return: the spare snapshot, or NULL when the tab has none.
 */
struct ft_hist *ft_top_view_spare(struct ft_top_view *v, size_t tab)
{
	struct ft_top_tab *t = &v->tabs[tab];
	struct ft_hist *h = t->spare, *old;
	int err;

	t->spare = NULL;
	t->lent = NULL;
	old = retire(t, &err);
	if (old && old != t->base) {
		ft_hist_free(h);
		h = t->lent = old;
	}
	return h;
}

/**
 * ft_top_view_unspare() - the spare of ft_top_view_spare() comes back unused
 * @v: the view
 * @tab: the tab
 * @h: the spare, untouched (its source failed before it built anything in it)
 *
 * When it was the current snapshot, it is again, with its last interval: the view shows the
 * last good snapshot with the error, not nothing. Its record stays what the next interval is
 * made from.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_unspare(struct ft_top_view *v, size_t tab, struct ft_hist *h)
{
	struct ft_top_tab *t = &v->tabs[tab];

	if (h != t->lent || t->cur) {
		drop(t, h);
		return 0;
	}
	t->lent = NULL;
	t->cur = h;
	t->last = t->lastmem;
	t->lastmem = NULL;
	return since_update(t);
}

/**
 * ft_top_view_error() - a tab's snapshot failed
 * @v: the view
 * @tab: the tab
 * @msg: what went wrong, for the status line
 */
void ft_top_view_error(struct ft_top_view *v, size_t tab, const char *msg)
{
	v->tabs[tab].errors++;
	snprintf(v->tabs[tab].error, sizeof(v->tabs[tab].error), "%s", msg);
}

/**
 * ft_top_view_reset() - count from now on: the newest snapshot becomes the baseline
 * @v: the view
 * @tab: the tab
 *
 * Only ftrig's own baseline moves; the kernel's table, which other tools may read, is not
 * cleared.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_reset(struct ft_top_view *v, size_t tab)
{
	struct ft_top_tab *t = &v->tabs[tab];
	struct ft_hist *old = t->base;

	t->base = t->cur;
	drop(t, old);
	t->scroll = 0;
	return since_update(t);
}

/**
 * ft_top_view_totals() - back to the totals since the start: drop the baseline of
 *                        ft_top_view_reset() (TOP-7)
 * @v: the view
 * @tab: the tab
 *
 * Return: 0 or -ENOMEM.
 */
int ft_top_view_totals(struct ft_top_view *v, size_t tab)
{
	struct ft_top_tab *t = &v->tabs[tab];
	struct ft_hist *old = t->base;

	t->base = NULL;
	drop(t, old);
	t->scroll = 0;
	return since_update(t);
}
