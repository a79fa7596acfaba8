/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOP_SOURCE_H
#define FT_TOP_SOURCE_H

struct ft_hist_spec;
struct ft_session;
struct ft_source;

/* Where `ftrig top` gets a hist from. */
enum ft_top_backend {
	FT_TOP_AUTO, /* a new hist: hist trigger where the kernel has them, BPF where not */
	FT_TOP_HIST, /* a new hist trigger */
	FT_TOP_BPF, /* a new BPF aggregation */
	FT_TOP_ATTACH, /* an existing hist trigger, any owner: read only */
};

int ft_top_backend_lookup(const char *name);
int ft_top_source_create(const struct ft_hist_spec *spec, enum ft_top_backend backend,
			 struct ft_session *s, struct ft_source **out);

#endif
