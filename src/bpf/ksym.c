// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel addresses -> "function+0xoff/0xsize", for the BPF backend's .sym keys and kernel
 * stacks, written as the kernel writes them (sprint_symbol(), what hist triggers print), so
 * that both backends give the same stacks (FIG-4, #16): of aliases at one address the first
 * the kernel lists, the size up to the next symbol. The symbols of /proc/kallsyms, sorted by
 * address, searched by bisection; loaded once per aggregation, when a key first needs it.
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
	char *mod; /* "[ext4]" for a module's, else NULL */
	size_t order; /* the line it came from: the kernel's order of aliases */
	bool text;
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

/* By address, then in the kernel's order: of aliases at one address (__do_sys_X,
 * __x64_sys_X) the kernel names the first it lists. */
static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Add one kallsyms line's symbol when it has an address (data symbols too: they end the
 * text symbol before them, as the kernel measures sizes). */
static int add_line(struct ft_ksyms *k, const char *line, size_t *cap)
{
	char name[256], mod[128] = "", type;
	unsigned long long addr;

	/* Addresses read as 0 for those not allowed to see them: nothing to resolve with. */
	if (sscanf(line, "%llx %c %255s %127s", &addr, &type, name, mod) < 3 || !addr)
		return 0;
	if (k->n == *cap) {
		struct ksym *n = realloc(k->syms, (*cap ? 2 * *cap : 4096) * sizeof(*n));

		if (!n)
			return -ENOMEM;
		k->syms = n;
		*cap = *cap ? 2 * *cap : 4096;
	}
	k->syms[k->n].addr = addr;
	k->syms[k->n].order = k->n;
	k->syms[k->n].text = type == 't' || type == 'T';
	k->syms[k->n].name = strdup(name);
	k->syms[k->n].mod = *mod ? strdup(mod) : NULL;
	if (!k->syms[k->n].name || (*mod && !k->syms[k->n].mod))
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
	for (size_t i = 0; k && i < k->n; i++) {
		free(k->syms[i].name);
		free(k->syms[i].mod);
	}
	if (k)
		free(k->syms);
	free(k);
}

/**
 * ft_ksyms_lookup() - the symbol an address is in
 * @k: the symbols
 * @addr: the address
 * @offset: add "+0xOFF/0xSIZE", the offset from the symbol's start and its size (up to the
 *          next symbol), as the kernel's sprint_symbol()
 * @buf: where the text is written
 * @size: size of @buf
 *
 * The symbol is the last text symbol starting at or below @addr (of aliases, the first the
 * kernel lists).
 *
 * Return: @buf, or NULL when @addr is below every text symbol.
 */
const char *ft_ksyms_lookup(const struct ft_ksyms *k, uint64_t addr, bool offset, char *buf,
			    size_t size)
{
	size_t lo = 0, hi = k->n, end;
	const struct ksym *s;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo && !k->syms[lo - 1].text)
		lo--;
	if (!lo)
		return NULL;
	end = lo;
	while (lo > 1 && k->syms[lo - 2].addr == k->syms[lo - 1].addr && k->syms[lo - 2].text)
		lo--;
	s = &k->syms[lo - 1];
	while (end < k->n && k->syms[end].addr == s->addr)
		end++;
	/* A module's symbols are followed by " [module]", as the kernel writes them. */
	if (!offset)
		snprintf(buf, size, "%s%s%s", s->name, s->mod ? " " : "", s->mod ? s->mod : "");
	else if (end < k->n)
		snprintf(buf, size, "%s+0x%" PRIx64 "/0x%" PRIx64 "%s%s", s->name, addr - s->addr,
			 k->syms[end].addr - s->addr, s->mod ? " " : "", s->mod ? s->mod : "");
	else
		snprintf(buf, size, "%s+0x%" PRIx64 "%s%s", s->name, addr - s->addr,
			 s->mod ? " " : "", s->mod ? s->mod : "");
	return buf;
}
