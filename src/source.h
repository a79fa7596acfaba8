/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SOURCE_H
#define FT_SOURCE_H

#include <stddef.h>

struct ft_hist;
struct ft_source;

/**
 * struct ft_source_ops - a backend that produces histogram snapshots
 * @backend: "hist" (kernel hist trigger) or "bpf"
 * @snapshot: read the current table into a new ft_hist (caller frees with ft_hist_free());
 *            returns 0 or -errno; never clears the kernel's table
 * @destroy: stop reading and free the source; kernel objects are removed by the ledger that
 *           created them, not here
 * @collect: every table the source holds (an event's hist file lists all its hist
 *           triggers) into a new array; NULL when it holds one, which @snapshot reads
 * @recycle: @snapshot into the memory of @old, a snapshot the caller is done with, which
 *           it takes over (also on failure); NULL when the backend has no use for it
 */
struct ft_source_ops {
	const char *backend;
	int (*snapshot)(struct ft_source *src, struct ft_hist **out);
	void (*destroy)(struct ft_source *src);
	int (*collect)(struct ft_source *src, struct ft_hist ***out, size_t *n);
	int (*recycle)(struct ft_source *src, struct ft_hist *old, struct ft_hist **out);
};

/**
 * struct ft_source - what the live view and the dumps read from; backends embed it first
 * @ops: the backend
 * @label: one line for headers ("sched:sched_switch keys=next_comm (hist)")
 */
struct ft_source {
	const struct ft_source_ops *ops;
	char *label;
};

int ft_source_snapshot(struct ft_source *src, struct ft_hist **out);
int ft_source_recycle(struct ft_source *src, struct ft_hist *old, struct ft_hist **out);
int ft_source_collect(struct ft_source *src, struct ft_hist ***out, size_t *n);
void ft_source_destroy(struct ft_source *src);

#endif
