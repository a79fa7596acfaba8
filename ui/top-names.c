// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view's name cache (pure): a process shown under the name it has now, not the one
 * a kernel hist trigger saved when its entry was made (TOP-8). A shell that forked and exec'd
 * a program was shown as the shell for the whole run. Each refresh asks what each process of
 * a .execname key is called now; a process that has exited keeps the last name seen while it
 * ran. (top's own BPF aggregation keeps the current name itself: agg.bpf.c.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "ui/top.h"

/* A process as last seen: its pid, the name its entry has, the name it had at the last look */
struct ft_top_name {
	uint32_t pid;
	char saved[16];
	char now[16];
};

static int by_pid(const void *x, const void *y)
{
	const struct ft_top_name *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return strcmp(a->saved, b->saved);
}

/* The last look at @pid whose entry saved @saved (a pid reused by another program has another
 * saved name). */
static const struct ft_top_name *seen(const struct ft_top_names *c, uint32_t pid, const char *saved)
{
	struct ft_top_name k = { .pid = pid };

	snprintf(k.saved, sizeof(k.saved), "%s", saved);
	return c->n ? bsearch(&k, c->e, c->n, sizeof(k), by_pid) : NULL;
}

/**
 * ft_top_names_apply() - show each process of @h's .execname keys under its name now
 * @c: the cache, from the last call (zeroed at first); it then holds @h's processes only
 * @h: the snapshot; its names are replaced
 * @comm: what process @pid is called now (0), or <0 when it is gone
 * @data: passed to @comm
 *
 * Return: 0 or -ENOMEM (then some names are left as the hist had them).
 */
int ft_top_names_apply(struct ft_top_names *c, struct ft_hist *h, ft_top_comm_fn comm, void *data)
{
	struct ft_top_name *next = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < h->nentries; i++) {
		for (size_t k = 0; k < h->nkeys; k++) {
			struct ft_key *key = &h->entries[i].keys[k];
			const struct ft_top_name *old;
			struct ft_top_name e = { .pid = (uint32_t)key->num };
			const char *name;

			if (key->kind != FT_KEY_EXECNAME || !key->str)
				continue;
			snprintf(e.saved, sizeof(e.saved), "%s", key->str);
			if (comm((uint32_t)key->num, e.now, sizeof(e.now), data)) {
				old = seen(c, e.pid, e.saved);
				snprintf(e.now, sizeof(e.now), "%s", old ? old->now : e.saved);
			}
			if (strcmp(e.now, key->str)) {
				name = ft_hist_strdup(h, e.now);
				if (!name)
					goto nomem;
				key->str = name;
			}
			if (n == cap) {
				struct ft_top_name *m =
					realloc(next, (cap ? 2 * cap : 64) * sizeof(*m));

				if (!m)
					goto nomem;
				next = m;
				cap = cap ? 2 * cap : 64;
			}
			next[n++] = e;
		}
	}
	qsort(next, n, sizeof(*next), by_pid);
	free(c->e);
	c->e = next;
	c->n = n;
	return 0;
nomem:
	free(next);
	return -ENOMEM;
}

/**
 * ft_top_names_release() - free what the cache holds
 * @c: the cache
 */
void ft_top_names_release(struct ft_top_names *c)
{
	free(c->e);
	c->e = NULL;
	c->n = 0;
}
