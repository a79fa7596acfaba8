/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOP_SOURCE_H
#define FT_TOP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "histsvc/histsvc.h"

struct ft_source;
struct ft_top_view;

#define FT_TOP_FEED_MAX 9 /* tabs, keys 1-9 */

/**
 * struct ft_top_feed - the sources of the view's tabs, and what each made in the kernel
 * @src: one source per tab
 * @n: how many
 * @svc: the histogram service, on the session
 * @seqs: per tab, the session ledger's records its source made (a hist trigger, a synthetic
 *        event; not the session's instance), removed when the tab is replaced; a BPF
 *        aggregation goes with its source
 * @nseqs: how many, per tab
 */
struct ft_top_feed {
	struct ft_source *src[FT_TOP_FEED_MAX];
	size_t n;
	struct ft_histsvc *svc;
	unsigned *seqs[FT_TOP_FEED_MAX];
	size_t nseqs[FT_TOP_FEED_MAX];
};

int ft_top_tick(struct ft_top_view *v, struct ft_source **src, size_t n);
int ft_top_feed_add(struct ft_top_feed *f, struct ft_top_view *v, size_t tab, bool attach,
		    struct ft_hist_spec *spec, enum ft_backend be);
void ft_top_feed_release(struct ft_top_feed *f);

#endif
