/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_KSYM_H
#define FT_BPF_KSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kernel symbolisation for the BPF backend's .sym keys and kernel stacks (src/bpf/ksym.c). */
struct ft_ksyms;

struct ft_ksyms *ft_ksyms_load(const char *path);
void ft_ksyms_free(struct ft_ksyms *k);
const char *ft_ksyms_lookup(const struct ft_ksyms *k, uint64_t addr, bool offset, char *buf,
			    size_t size);

#endif
