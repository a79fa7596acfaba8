// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hist's columns by name, the names of its key kinds, and one key part as a short text: what
 * the exporters, the loader, diff, stats and the live view share. Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hist/cols.h"
#include "util.h"

static const char *const key_types[] = {
	[FT_KEY_NUM] = "number", [FT_KEY_HEX] = "hex",		 [FT_KEY_SYM] = "symbol",
	[FT_KEY_STR] = "string", [FT_KEY_EXECNAME] = "execname", [FT_KEY_SYSCALL] = "syscall",
	[FT_KEY_LOG2] = "log2",	 [FT_KEY_BUCKET] = "bucket",	 [FT_KEY_STACK] = "stack",
};

/**
 * ft_key_type_name() - the JSON name of a key kind
 * @kind: the kind
 *
 * Return: "number", "hex", "symbol", "string", "execname", "syscall", "log2", "bucket", "stack".
 */
const char *ft_key_type_name(enum ft_key_kind kind)
{
	return (unsigned)kind < sizeof(key_types) / sizeof(key_types[0]) ? key_types[kind] : "?";
}

/**
 * ft_key_type_lookup() - a key kind by its JSON name
 * @name: as ft_key_type_name() gives it
 *
 * Return: the enum ft_key_kind, or -EINVAL.
 */
int ft_key_type_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++)
		if (!strcmp(key_types[i], name))
			return (int)i;
	return -EINVAL;
}

/**
 * ft_hist_val_lookup() - a value column by name
 * @h: the hist
 * @name: "hitcount" or a field
 *
 * Return: its index, or -ENOENT.
 */
int ft_hist_val_lookup(const struct ft_hist *h, const char *name)
{
	for (size_t i = 0; i < h->nvals; i++)
		if (!strcmp(h->vals[i].name, name))
			return (int)i;
	return -ENOENT;
}

/**
 * ft_hist_key_lookup() - a key column by name
 * @h: the hist
 * @name: the field ("common_pid", "stacktrace")
 *
 * Return: its index, or -ENOENT.
 */
int ft_hist_key_lookup(const struct ft_hist *h, const char *name)
{
	for (size_t i = 0; i < h->nkeys; i++)
		if (!strcmp(h->keys[i].name, name))
			return (int)i;
	return -ENOENT;
}

/**
 * ft_hist_weight_col() - the value column that counts events: hitcount, else the first
 *                        value the hist shows as a plain number
 * @h: the hist
 *
 * Return: its index, or -ENOENT.
 */
int ft_hist_weight_col(const struct ft_hist *h)
{
	int i = ft_hist_val_lookup(h, "hitcount");

	if (i >= 0 && h->vals[i].shown)
		return i;
	for (size_t j = 0; j < h->nvals; j++)
		if (h->vals[j].shown && strcmp(h->vals[j].modifier, "percent") &&
		    strcmp(h->vals[j].modifier, "graph"))
			return (int)j;
	return -ENOENT;
}

/**
 * ft_key_format() - one key part as a short text ("sh [105]", "sys_read", "2^6", "0-63")
 * @col: its column
 * @k: the key part
 * @buf: where to write
 * @size: its size
 *
 * Stack frames are joined by ';', innermost first.
 *
 * Return: the length the full text has (snprintf style).
 */
size_t ft_key_format(const struct ft_hist_col *col, const struct ft_key *k, char *buf, size_t size)
{
	size_t n = 0;
	int r = 0;

	switch (k->kind) {
	case FT_KEY_NUM:
		/* The live view formats every key of every refresh: no printf for the common case. */
		if (col->is_signed && (int64_t)k->num < 0)
			r = snprintf(buf, size, "%" PRId64, (int64_t)k->num);
		else
			return ft_fmt_u64(buf, size, k->num, 0);
		break;
	case FT_KEY_HEX:
		r = snprintf(buf, size, "0x%" PRIx64, k->num);
		break;
	case FT_KEY_SYM:
		r = k->str && *k->str ? snprintf(buf, size, "%s", k->str)
				      : snprintf(buf, size, "0x%" PRIx64, k->num);
		break;
	case FT_KEY_STR:
		r = snprintf(buf, size, "%s", k->str ? k->str : "");
		break;
	case FT_KEY_EXECNAME:
		r = snprintf(buf, size, "%s [%" PRIu64 "]", k->str ? k->str : "", k->num);
		break;
	case FT_KEY_SYSCALL:
		r = k->str ? snprintf(buf, size, "%s", k->str)
			   : snprintf(buf, size, "syscall_%" PRIu64, k->num);
		break;
	case FT_KEY_LOG2:
	case FT_KEY_BUCKET:
		r = snprintf(buf, size, "%" PRIu64 "-%" PRIu64, k->lo, k->hi ? k->hi - 1 : 0);
		break;
	case FT_KEY_STACK:
		if (size)
			buf[0] = '\0';
		for (size_t i = 0; i < k->nframes; i++) {
			r = snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, "%s%s",
				     i ? ";" : "", k->frames[i]);
			n += (size_t)r;
		}
		return n;
	}
	return r < 0 ? 0 : (size_t)r;
}
