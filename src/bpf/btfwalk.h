/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_BTFWALK_H
#define FT_BPF_BTFWALK_H

#include <stddef.h>
#include <stdint.h>

/* Where in a BTF blob a read falls: the reader keeps one window per region. */
enum ft_btf_region { FT_BTF_TYPES, FT_BTF_STRINGS };

/**
 * struct ft_btf_src - a BTF blob, read in pieces
 * @at: @len bytes at byte @off of the blob, valid until the next call for the same
 *      @region; NULL when the blob does not have them all
 * @priv: the reader's own
 */
struct ft_btf_src {
	const void *(*at)(void *priv, uint64_t off, size_t len, enum ft_btf_region region);
	void *priv;
};

int ft_btf_member_offsets(const struct ft_btf_src *src, const char *type, const char *const *names,
			  size_t n, uint32_t *offs);
int ft_btf_task_ids(uint16_t *pid, uint16_t *tgid);

#endif
