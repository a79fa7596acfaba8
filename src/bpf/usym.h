/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_USYM_H
#define FT_BPF_USYM_H

#include <stddef.h>
#include <stdint.h>

/* User-space symbolisation for the BPF backend's user stacks (src/bpf/usym.c). */
struct ft_usyms;

struct ft_usyms *ft_usyms_alloc(void);
void ft_usyms_free(struct ft_usyms *u);
const char *ft_usyms_lookup(struct ft_usyms *u, uint32_t pid, uint64_t addr, char *buf,
			    size_t size);

#endif
