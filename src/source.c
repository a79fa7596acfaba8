// SPDX-License-Identifier: GPL-2.0-only
/* The one interface the UI and the dumps read histograms through, whatever the backend. */
#include <errno.h>
#include <stdlib.h>

#include "hist/hist.h"
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
 * ft_source_recycle() - ft_source_snapshot() into the memory of an old snapshot
 * @src: the source
 * @old: a snapshot the caller is done with (freed or reused: the source takes it over), or
 *       NULL
 * @out: set to the snapshot; free it with ft_hist_free(). On failure, @old when the source
 *       did not touch it (the caller has it back, as it was), else NULL
 *
 * A live view reads the same table every second: where the backend can, the new snapshot
 * is built in @old's memory, which then costs neither allocations nor page faults. The view
 * hands its current snapshot as @old; when the table is gone, it shows that one still.
 *
 * Return: 0 or -errno.
 */
int ft_source_recycle(struct ft_source *src, struct ft_hist *old, struct ft_hist **out)
{
	int ret;

	*out = NULL;
	if (src->ops->recycle)
		return src->ops->recycle(src, old, out);
	ret = src->ops->snapshot(src, out);
	if (ret) {
		*out = old;
		return ret;
	}
	ft_hist_free(old);
	return 0;
}

/**
 * ft_source_collect() - new snapshots of every table the source holds
 * @src: the source
 * @out: set to the snapshots (free with ft_hist_free_all()); NULL when there is none
 * @n: set to how many
 *
 * Return: 0 or -errno.
 */
int ft_source_collect(struct ft_source *src, struct ft_hist ***out, size_t *n)
{
	int ret;

	*out = NULL;
	*n = 0;
	if (src->ops->collect)
		return src->ops->collect(src, out, n);
	*out = malloc(sizeof(**out));
	if (!*out)
		return -ENOMEM;
	ret = src->ops->snapshot(src, *out);
	if (ret) {
		free(*out);
		*out = NULL;
		return ret;
	}
	*n = 1;
	return 0;
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
