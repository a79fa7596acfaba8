/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SERVE_GATHER_H
#define FT_SERVE_GATHER_H

/*
 * What `ftrig serve` exports, read at each scrape: the aggregations of the events named with
 * --attach (whoever made them), or every aggregation ftrig owns persistently (the ledger's
 * hist triggers and pinned BPF aggregations of `hist start` and `apply`).
 */
#include <stdbool.h>
#include <stddef.h>

#include "histsvc/histsvc.h"

struct ft_hist;

/**
 * struct ft_serve_what - what is exported
 * @attach: the events of --attach ("SYSTEM:EVENT"); none: every ftrig-owned aggregation
 * @nattach: how many
 */
struct ft_serve_what {
	struct ft_hist_where *attach;
	size_t nattach;
};

int ft_serve_gather(struct ft_histsvc *svc, const struct ft_serve_what *what, struct ft_hist ***v,
		    size_t *n, size_t *failed);

#endif
