/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_SNOOPER_H
#define FT_BPF_SNOOPER_H

/*
 * execsnoop's and opensnoop's kernel side (src/bpf/snooper.c, the program snoop.bpf.c): one
 * record per call, its entry joined with its return in the kernel, handed to a callback.
 * The program lives only through this process's file descriptors: nothing is pinned or
 * written to tracefs, so whatever way the process ends, the kernel keeps nothing of it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/snoop.h"

struct ft_tfs;
struct ft_snooper;

/**
 * struct ft_snoop_opts - what to snoop on
 * @kind: FT_SNOOP_EXEC (execve, execveat) or FT_SNOOP_OPEN (open, openat, openat2)
 * @pid: only this process (-p), 0 for all
 * @comm: only tasks of this name (-c), NULL for all
 * @failed: only failed calls (-x)
 */
struct ft_snoop_opts {
	enum ft_snoop_kind kind;
	long pid;
	const char *comm;
	bool failed;
};

/**
 * ft_snoop_fn - one call, handed over by ft_snooper_poll() or ft_snooper_drain()
 * @r: the record, its unused arguments zeroed; valid during the call only
 * @data: the caller's
 *
 * Return: 0 to go on, -errno to stop the poll or drain after this call (which is taken: it
 * is not handed over again).
 */
typedef int (*ft_snoop_fn)(const struct ft_snoop_rec *r, void *data);

void ft_snoop_rec_split(struct ft_snoop_rec *r);
int ft_snooper_create(struct ft_tfs *tfs, const struct ft_snoop_opts *o, ft_snoop_fn fn, void *data,
		      struct ft_snooper **out);
int ft_snooper_poll(struct ft_snooper *s, int timeout_ms);
void ft_snooper_detach(struct ft_snooper *s);
int ft_snooper_drain(struct ft_snooper *s);
int ft_snooper_lost(struct ft_snooper *s, uint64_t *ring, uint64_t *pending);
size_t ft_snooper_calls(const struct ft_snooper *s);
void ft_snooper_destroy(struct ft_snooper *s);

#endif
