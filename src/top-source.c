// SPDX-License-Identifier: GPL-2.0-only
/*
 * What feeds `ftrig top`'s view: a snapshot of each tab's source every refresh, pushed into
 * the view's model. The view itself (ui/) never reads a source; it is handed this as its
 * refresh.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hist/hist.h"
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
		int ret = ft_source_snapshot(src[i], &h);
		char msg[200];

		if (ret) {
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
