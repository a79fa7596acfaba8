// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thread to process. The kernel's records carry the thread only (common_pid; no fetch
 * argument gives the tgid), so a thread is looked up in /proc once and kept, per-event paths
 * then costing a slot compare; a newcomer takes its slot, so /proc is read once per thread
 * while fewer threads than FT_TGID_SLOTS are traced. A thread gone before it was looked up is
 * shown as its own process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tgid.h"

/**
 * ft_tgid_note() - say what process a thread belongs to, when the caller knows (-p's threads)
 * @c: the cache
 * @tid: the thread
 * @tgid: its process
 */
void ft_tgid_note(struct ft_tgid_cache *c, int tid, int tgid)
{
	unsigned slot = (unsigned)tid % FT_TGID_SLOTS;

	c->slot[slot].tid = tid;
	c->slot[slot].tgid = tgid;
}

/**
 * ft_tgid_of() - the process of a thread
 * @c: the cache
 * @tid: the thread
 *
 * Return: its tgid, from the cache or else /proc/TID/status (then kept); @tid when the thread
 * is gone.
 */
int ft_tgid_of(struct ft_tgid_cache *c, int tid)
{
	unsigned slot = (unsigned)tid % FT_TGID_SLOTS;
	char path[64], buf[512];
	int tgid = tid;
	FILE *f;

	if (c->slot[slot].tid == tid && tid)
		return c->slot[slot].tgid;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "Tgid:", 5)) {
			tgid = atoi(buf + 5);
			break;
		}
	if (f)
		fclose(f);
	ft_tgid_note(c, tid, tgid);
	return tgid;
}
