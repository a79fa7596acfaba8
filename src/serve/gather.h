/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SERVE_GATHER_H
#define FT_SERVE_GATHER_H

/*
 * What `ftrig serve` exports, read at each scrape: the aggregations of the events named with
 * --attach (whoever made them); else those of the events applied setup files declare with
 * `export` lines (the ledger's export records); else every aggregation ftrig owns
 * persistently (the ledger's hist triggers and pinned BPF aggregations of `hist start` and
 * `apply`).
 */
#include <stdbool.h>
#include <stddef.h>

#include "histsvc/histsvc.h"

struct ft_hist;

/**
 * struct ft_serve_what - what is exported
 * @attach: the events of --attach; none: the ledger's exports, or every ftrig-owned
 *          aggregation
 * @nattach: how many
 */
struct ft_serve_what {
	struct ft_hist_where *attach;
	size_t nattach;
};

/**
 * struct ft_serve_got - what one scrape read
 * @v: the hists
 * @limit: per hist, the series limit its export line gave, or -1 for serve's --limit
 * @n: how many
 */
struct ft_serve_got {
	struct ft_hist **v;
	long *limit;
	size_t n;
};

int ft_serve_gather(struct ft_histsvc *svc, const struct ft_serve_what *what,
		    struct ft_serve_got *g, size_t *failed);
void ft_serve_got_release(struct ft_serve_got *g);

#endif
