/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_TABLE_H
#define FT_BPF_TABLE_H

/*
 * An aggregation's table as user space sees it (table.c): below the aggregation, which uses
 * it, and above the map layout of agg.h only.
 */
#include <stddef.h>
#include <stdint.h>

#include "bpf/agg.h"

/**
 * struct ft_bpf_row - one map entry as read from the kernel
 * @key: the packed key, cfg.ksize bytes (part i at cfg.parts[i].koff)
 * @val: the value
 */
struct ft_bpf_row {
	const unsigned char *key;
	struct ft_bpf_val val;
};

/**
 * struct ft_bpf_table - an aggregation's slots, mapped (table.c)
 * @base: the mapping
 * @len: its length
 * @stride: bytes per slot: FT_BPF_SLOT(ksize)
 * @cap: slots: the table's size
 */
struct ft_bpf_table {
	unsigned char *base;
	size_t len, stride;
	uint32_t cap;
};

size_t ft_bpf_table_rows(const struct ft_bpf_table *t, uint64_t used, struct ft_bpf_row *rows,
			 uint64_t *hits);
int ft_bpf_table_map(int fd, uint32_t cap, uint32_t ksize, int prot, struct ft_bpf_table *t);
void ft_bpf_table_unmap(struct ft_bpf_table *t);
int ft_bpf_table_window(int fd, size_t stride, size_t first, size_t n, int prot,
			struct ft_bpf_table *w, size_t *skip);
int ft_bpf_table_empty(const struct ft_bpf_table *t, int fd_index, uint64_t used, uint32_t ksize,
		       const uint64_t *gen);

#endif
