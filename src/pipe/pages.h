/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PIPE_PAGES_H
#define FT_PIPE_PAGES_H

#include <stddef.h>

#include "pipe/pipe.h"

/**
 * typedef ft_pipe_page_fn - takes one sub-buffer page of one CPU, as the kernel wrote it
 * @arg: the caller's pointer
 * @cpu: the CPU the page is of
 * @page: the page: its header (timestamp, commit) and events, @size bytes
 * @size: the sub-buffer size
 *
 * Return: 0, or -errno to stop the run.
 */
typedef int (*ft_pipe_page_fn)(void *arg, int cpu, const void *page, size_t size);

int ft_pipe_read_pages(struct ft_session *s, const struct ft_pipe_opts *o, ft_pipe_page_fn fn,
		       void *arg, struct ft_pipe_stats *st);

#endif
