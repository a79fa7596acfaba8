// SPDX-License-Identifier: GPL-2.0-only
/*
 * What feeds `ftrig top`'s view: a snapshot of each tab's source every refresh, pushed into
 * the view's model. The view itself (ui/) never reads a source; it is handed this as its
 * refresh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "ledger.h"
#include "log.h"
#include "source.h"
#include "top-source.h"
#include "ui/top.h"

/**
 * ft_top_tick() - take a snapshot of every tab's source and push it
 * @v: the view
 * @src: one source per tab, in tab order
 * @n: how many (at most the view's tabs)
 *
 * A source that fails is counted in its tab's errors, with the reason for the status line,
 * and logged as a warning; the other tabs go on.
 *
 * Return: how many sources failed, or -ENOMEM.
 */
int ft_top_tick(struct ft_top_view *v, struct ft_source **src, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n && i < v->ntabs; i++) {
		struct ft_hist *h = NULL;
		/* in the memory of the snapshot the tab is done with: no allocation, no fault */
		int ret = ft_source_recycle(src[i], ft_top_view_spare(v, i), &h);
		char msg[200];

		if (ret) {
			/* given back untouched: the last good snapshot stays on the screen */
			if (h && ft_top_view_unspare(v, i, h))
				return -ENOMEM;
			snprintf(msg, sizeof(msg), "%s: %s",
				 src[i]->label ? src[i]->label : "source",
				 ret == -ENOENT	 ? "no hist trigger there (any more)"
				 : ret == -ESRCH ? "no hist trigger with that name"
						 : strerror(-ret));
			ft_top_view_error(v, i, msg);
			ft_warn("%s", msg);
			failed++;
			continue;
		}
		v->tabs[i].error[0] = '\0';
		/* A kernel hist keeps the comm an entry was made with (TOP-8). */
		if (v->comm && !strcmp(h->backend, "hist") &&
		    ft_top_names_apply(&v->tabs[i].names, h, v->comm, v->comm_data)) {
			ft_hist_free(h);
			return -ENOMEM;
		}
		ret = ft_top_view_push(v, i, h);
		if (ret)
			return ret;
	}
	return failed;
}

/* A tab's source, and the ledger records it made (@seqs, to free()). */
static int make_source(struct ft_top_feed *f, bool attach, struct ft_hist_spec *spec,
		       enum ft_backend be, struct ft_source **out, unsigned **seqs, size_t *nseqs)
{
	struct ft_ledger *l = f->svc->ledger;
	size_t before = ft_ledger_objects(l)->nobjs, after;
	int ret = attach ? ft_histsvc_attach(f->svc, spec, out)
			 : ft_histsvc_source(f->svc, spec, be, out);

	after = ft_ledger_objects(l)->nobjs;
	*nseqs = 0;
	*seqs = after > before ? calloc(after - before, sizeof(**seqs)) : NULL;
	/* Not the session's instance, which the first hist trigger made: every tab's is there. */
	for (size_t k = 0; *seqs && k < after - before; k++)
		if (ft_ledger_objects(l)->objs[before + k].kind != FT_OBJ_INSTANCE)
			(*seqs)[(*nseqs)++] = ft_ledger_objects(l)->objs[before + k].seq;
	return ret;
}

/* Remove the kernel objects of @seqs, newest first, and free it. */
static void drop_objects(struct ft_top_feed *f, unsigned *seqs, size_t n)
{
	for (size_t k = n; k-- > 0;)
		ft_ledger_undo_one(f->svc->ledger, seqs[k]);
	free(seqs);
}

/**
 * ft_top_feed_add() - a new source for tab @tab: a new tab, or one that replaces it
 * @f: the feed
 * @v: the view
 * @tab: the tab; f->n for a new one (at most FT_TOP_FEED_MAX)
 * @attach: watch an existing hist (read only) rather than make one
 * @spec: what to count
 * @be: the backend asked for
 *
 * The new source is made first; only then does the tab's old one go, with the kernel
 * objects it made (TOP-7: a change of key or filter in the view leaves nothing behind).
 *
 * Return: 0, -ENOMEM, or the -errno of the new source (logged; the tab is as it was).
 */
int ft_top_feed_add(struct ft_top_feed *f, struct ft_top_view *v, size_t tab, bool attach,
		    struct ft_hist_spec *spec, enum ft_backend be)
{
	struct ft_source *src = NULL;
	unsigned *seqs;
	size_t nseqs;
	int ret = make_source(f, attach, spec, be, &src, &seqs, &nseqs);

	if (ret) {
		drop_objects(f, seqs, nseqs);
		return ret;
	}
	if (tab < f->n) {
		ft_source_destroy(f->src[tab]);
		drop_objects(f, f->seqs[tab], f->nseqs[tab]);
		ret = ft_top_view_replace_tab(v, tab, src->label);
	} else {
		ret = ft_top_view_add_tab(v, src->label);
		f->n++;
	}
	f->src[tab] = src;
	f->seqs[tab] = seqs;
	f->nseqs[tab] = nseqs;
	return ret < 0 ? ret : 0;
}

/**
 * ft_top_feed_release() - destroy every source of @f
 * @f: the feed; the kernel objects they made are the session ledger's to remove
 */
void ft_top_feed_release(struct ft_top_feed *f)
{
	for (size_t i = 0; i < FT_TOP_FEED_MAX; i++) {
		ft_source_destroy(f->src[i]);
		free(f->seqs[i]);
		f->src[i] = NULL;
		f->seqs[i] = NULL;
	}
	f->n = 0;
}
