// SPDX-License-Identifier: GPL-2.0-only
/*
 * Offsets of a few members of one struct, found in a BTF blob without parsing all of it.
 *
 * The format (the kernel's Documentation/bpf/btf.rst): a header (magic 0xeB9F, hdr_len, then
 * the type and string sections' offsets and lengths, counted from the header's end). The
 * type section is a run of struct btf_type, each followed by a tail whose size its kind and
 * vlen give; types have no index, so finding one is a walk from the first. Names are offsets
 * into the string section.
 *
 * Why not libbpf's btf__parse(): it validates and indexes every type of the kernel's BTF
 * (125,000 here), 13 ms, three times a whole attach, for two members of task_struct that this
 * walk finds in a tenth of a millisecond (task_struct comes early: the kernel's BTF is in
 * dependency order). It reads only what it walks through, in pieces (struct ft_btf_src), so a
 * kernel whose BTF file cannot be mapped is read in a few windows, not whole (5 MB).
 *
 * Members are looked for among the struct's own: one inside an anonymous struct or union (a
 * randomized layout's) is not found, and the caller does without (it then reads the value
 * another way). Pure: no I/O but through @src.
 */
#include <errno.h>
#include <string.h>

#include <linux/btf.h>

#include "bpf/btfwalk.h"

/* Bytes after a struct btf_type of kind @kind with @vlen entries; -1 for a kind this walk
 * does not know the size of (a newer kernel's: the walk cannot step over it). */
static long tail_size(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case 17: /* BTF_KIND_DECL_TAG: struct btf_decl_tag, 5.16 */
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case 19: /* BTF_KIND_ENUM64: struct btf_enum64, 6.0 */
		return (long)vlen * 12;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case 18: /* BTF_KIND_TYPE_TAG, 5.17 */
		return 0;
	}
	return -1;
}

/* Whether the string at @name_off of the string section at @strs is @want. */
static int named(const struct ft_btf_src *src, uint64_t strs, uint32_t name_off, const char *want)
{
	size_t len = strlen(want) + 1;
	const char *s = src->at(src->priv, strs + name_off, len, FT_BTF_STRINGS);

	return s && !memcmp(s, want, len);
}

/* The byte offsets in @offs of the members @names (n of them) of struct @t (@vlen members
 * read at @at); -ENOENT when one is missing or is a bitfield. */
static int members(const struct ft_btf_src *src, uint64_t strs, uint64_t at, unsigned int vlen,
		   int kflag, const char *const *names, size_t n, uint32_t *offs)
{
	size_t found = 0;

	for (size_t j = 0; j < n; j++)
		offs[j] = UINT32_MAX;
	for (unsigned int i = 0; i < vlen && found < n; i++) {
		const struct btf_member *m =
			src->at(src->priv, at + i * sizeof(*m), sizeof(*m), FT_BTF_TYPES);
		struct btf_member mm;
		uint32_t bits;

		if (!m)
			return -EINVAL;
		mm = *m; /* the string read below may reuse the window */
		bits = kflag ? BTF_MEMBER_BIT_OFFSET(mm.offset) : mm.offset;
		for (size_t j = 0; j < n; j++) {
			if (offs[j] != UINT32_MAX || !named(src, strs, mm.name_off, names[j]))
				continue;
			if (bits % 8 || (kflag && BTF_MEMBER_BITFIELD_SIZE(mm.offset)))
				return -ENOENT;
			offs[j] = bits / 8;
			found++;
			break;
		}
	}
	return found == n ? 0 : -ENOENT;
}

/**
 * ft_btf_member_offsets() - where members of a struct are, from BTF
 * @src: the BTF blob (the kernel's, /sys/kernel/btf/vmlinux)
 * @type: the struct's name; the first struct of that name with members is taken
 * @names: the members' names, @n of them
 * @n: how many
 * @offs: set to each member's offset in bytes, in the order of @names
 *
 * Return: 0; -ENOENT when the struct or one of the members (as the struct's own, not a
 * bitfield) is not there; -EINVAL when the blob is not BTF this walk can read (another byte
 * order, a kind it does not know before the struct, truncated).
 */
int ft_btf_member_offsets(const struct ft_btf_src *src, const char *type, const char *const *names,
			  size_t n, uint32_t *offs)
{
	const struct btf_header *hp = src->at(src->priv, 0, sizeof(*hp), FT_BTF_TYPES);
	struct btf_header h;
	uint64_t at, end, strs;

	if (!hp)
		return -EINVAL;
	h = *hp;
	if (h.magic != BTF_MAGIC || h.hdr_len < sizeof(h))
		return -EINVAL;
	at = (uint64_t)h.hdr_len + h.type_off;
	end = at + h.type_len;
	strs = (uint64_t)h.hdr_len + h.str_off;
	while (at < end) {
		const struct btf_type *tp = src->at(src->priv, at, sizeof(*tp), FT_BTF_TYPES);
		struct btf_type t;
		unsigned int kind, vlen;
		long tail;

		if (!tp)
			return -EINVAL;
		t = *tp;
		kind = BTF_INFO_KIND(t.info), vlen = BTF_INFO_VLEN(t.info);
		tail = tail_size(kind, vlen);
		if (tail < 0)
			return -EINVAL;
		if (kind == BTF_KIND_STRUCT && vlen && named(src, strs, t.name_off, type))
			return members(src, strs, at + sizeof(t), vlen, BTF_INFO_KFLAG(t.info),
				       names, n, offs);
		at += sizeof(t) + (uint64_t)tail;
	}
	return -ENOENT;
}
