// SPDX-License-Identifier: GPL-2.0-only
/*
 * Closing an aggregation's links: a temporary one's detached, from threads whose waits
 * overlap; a pinned one's only closed (the pins keep them attached).
 */
#include <stdbool.h>
#include <stdlib.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <pthread.h>
#include <bpf/libbpf.h>

#include "bpf/loaded.h"

/* One thread's share of the links: every DETACH_THREADS-th from @first. */
struct detach_job {
	struct ft_bpf_agg *a;
	size_t first;
	pthread_t tid;
};

#define DETACH_THREADS 32

static void *detach_some(void *arg)
{
	struct detach_job *j = arg;

	size_t step = j->a->pinned ? 1 : DETACH_THREADS;

	for (size_t i = j->first; i < j->a->nlinks; i += step) {
		/* libbpf disables the perf event when it detaches: a pinned link must not be. */
		if (j->a->pinned)
			bpf_link__disconnect(j->a->links[i]);
		bpf_link__destroy(j->a->links[i]);
	}
	return NULL;
}

/**
 * ft_bpf_destroy_links() - detach (or, pinned, only close) an aggregation's links
 * @a: the aggregation; its link array is freed and emptied
 *
 * Releasing a tracepoint's last perf event waits for an RCU grace period
 * (tracepoint_synchronize_unregister), tens of milliseconds each: hundreds of events closed
 * one by one take many seconds, so they are closed from threads whose waits overlap.
 */
void ft_bpf_destroy_links(struct ft_bpf_agg *a)
{
	struct detach_job jobs[DETACH_THREADS];
	size_t n = a->nlinks < DETACH_THREADS ? a->nlinks : DETACH_THREADS;
	bool started[DETACH_THREADS];

	/* Pinned links only lose this process's file descriptors: nothing to wait for. */
	if (a->pinned)
		n = a->nlinks ? 1 : 0;
	for (size_t t = 0; t < n; t++) {
		jobs[t] = (struct detach_job){ .a = a, .first = t };
		started[t] = n > 1 && !pthread_create(&jobs[t].tid, NULL, detach_some, &jobs[t]);
		if (!started[t])
			detach_some(&jobs[t]);
	}
	for (size_t t = 0; t < n; t++)
		if (started[t])
			pthread_join(jobs[t].tid, NULL);
	free(a->links);
	a->links = NULL;
	a->nlinks = 0;
}
#endif
