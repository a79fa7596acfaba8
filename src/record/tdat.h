/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_RECORD_TDAT_H
#define FT_RECORD_TDAT_H

#include <stddef.h>

/* A trace.dat file being written (src/record/tdat.c; only in a build with libtracecmd). */
struct ft_tdat;

int ft_tdat_open(const char *path, int ncpus, struct ft_tdat **out);
int ft_tdat_page(struct ft_tdat *t, int cpu, const void *page, size_t size);
/**
 * struct ft_tdat_meta - tracefs files a trace.dat stores, read once by the caller
 * @cmdlines: saved_cmdlines (the task names of the pids)
 * @cmdlines_len: its length
 * @printk: printk_formats
 * @printk_len: its length
 */
struct ft_tdat_meta {
	const char *cmdlines;
	size_t cmdlines_len;
	const char *printk;
	size_t printk_len;
};

int ft_tdat_finish(struct ft_tdat *t, const char *tracing_dir, const struct ft_tdat_meta *m,
		   char *const *events, const char *clock);
void ft_tdat_free(struct ft_tdat *t);

#endif
