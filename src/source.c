// SPDX-License-Identifier: GPL-2.0-only
/* The one interface the UI and the dumps read histograms through, whatever the backend. */
#include <stdlib.h>

#include "source.h"

/**
 * ft_source_snapshot() - a new snapshot of the source's table
 * @src: the source
 * @out: set to the snapshot; free it with ft_hist_free()
 *
 * Return: 0 or -errno.
 */
int ft_source_snapshot(struct ft_source *src, struct ft_hist **out)
{
	return src->ops->snapshot(src, out);
}

/**
 * ft_source_destroy() - free a source; NULL is allowed
 * @src: the source
 */
void ft_source_destroy(struct ft_source *src)
{
	if (src)
		src->ops->destroy(src);
}
