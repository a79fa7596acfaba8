/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_RECORD_TDAT_H
#define FT_RECORD_TDAT_H

#include <stddef.h>

/* A trace.dat file being written (src/record/tdat.c; only in a build with libtracecmd). */
struct ft_tdat;

int ft_tdat_open(const char *path, int ncpus, struct ft_tdat **out);
int ft_tdat_page(struct ft_tdat *t, int cpu, const void *page, size_t size);
int ft_tdat_finish(struct ft_tdat *t, const char *tracing_dir, const char *cmdlines, size_t len,
		   char *const *events, const char *clock);
void ft_tdat_free(struct ft_tdat *t);

#endif
