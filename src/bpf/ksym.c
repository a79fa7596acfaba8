// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel addresses -> "function+0xoff", for the BPF backend's .sym keys and kernel stacks:
 * the text symbols of /proc/kallsyms, sorted by address, searched by bisection. Loaded once
 * per aggregation, when a key first needs it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ksym.h"

struct ksym {
	uint64_t addr;
	char *name;
};

/**
 * struct ft_ksyms - a kernel's text symbols
 * @syms: sorted by address
 * @n: how many
 */
struct ft_ksyms {
	struct ksym *syms;
	size_t n;
};

/* By address, then name: aliases at one address (__x64_sys_X, __ia32_sys_X) resolve to the
 * same one every time. */
static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Add one kallsyms line's symbol when it is a text symbol with an address. */
static int add_line(struct ft_ksyms *k, const char *line, size_t *cap)
{
	char name[256], type;
	unsigned long long addr;

	/* Addresses read as 0 for those not allowed to see them: nothing to resolve with. */
	if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr ||
	    (type != 't' && type != 'T'))
		return 0;
	if (k->n == *cap) {
		struct ksym *n = realloc(k->syms, (*cap ? 2 * *cap : 4096) * sizeof(*n));

		if (!n)
			return -ENOMEM;
		k->syms = n;
		*cap = *cap ? 2 * *cap : 4096;
	}
	k->syms[k->n].addr = addr;
	k->syms[k->n].name = strdup(name);
	if (!k->syms[k->n].name)
		return -ENOMEM;
	k->n++;
	return 0;
}

/**
 * ft_ksyms_load() - read the text symbols of a kallsyms file
 * @path: the file (/proc/kallsyms)
 *
 * Return: the symbols, to free with ft_ksyms_free(); NULL with errno set on failure.
 */
struct ft_ksyms *ft_ksyms_load(const char *path)
{
	struct ft_ksyms *k = calloc(1, sizeof(*k));
	FILE *f = k ? fopen(path, "re") : NULL;
	char line[512];
	size_t cap = 0;
	int ret = f ? 0 : -errno;

	while (!ret && fgets(line, sizeof(line), f))
		ret = add_line(k, line, &cap);
	if (f)
		fclose(f);
	if (ret) {
		ft_ksyms_free(k);
		errno = -ret;
		return NULL;
	}
	qsort(k->syms, k->n, sizeof(*k->syms), by_addr);
	return k;
}

/**
 * ft_ksyms_free() - free what ft_ksyms_load() returned; NULL is allowed
 * @k: the symbols
 */
void ft_ksyms_free(struct ft_ksyms *k)
{
	for (size_t i = 0; k && i < k->n; i++)
		free(k->syms[i].name);
	if (k)
		free(k->syms);
	free(k);
}

/**
 * ft_ksyms_lookup() - the symbol an address is in
 * @k: the symbols
 * @addr: the address
 * @offset: add "+0xOFF", the offset from the symbol's start
 * @buf: where the text is written
 * @size: size of @buf
 *
 * The symbol is the last one starting at or below @addr (of aliases, the last by name).
 *
 * Return: @buf, or NULL when @addr is below every symbol.
 */
const char *ft_ksyms_lookup(const struct ft_ksyms *k, uint64_t addr, bool offset, char *buf,
			    size_t size)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (offset)
		snprintf(buf, size, "%s+0x%" PRIx64, k->syms[lo - 1].name,
			 addr - k->syms[lo - 1].addr);
	else
		snprintf(buf, size, "%s", k->syms[lo - 1].name);
	return buf;
}
