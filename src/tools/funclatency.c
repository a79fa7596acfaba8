// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig funclatency WHAT: a log2 histogram of how long a function takes, in bcc
 * funclatency's layout. WHAT is a kernel function (a kprobe and a kretprobe: kernels with
 * kprobe events), BINARY:SYMBOL (a uprobe and a uretprobe: every kernel with uprobes), or
 * START,END, two tracepoints (syscalls:sys_enter_read,syscalls:sys_exit_read). The time is
 * the latency from the entry to the return of the same thread, which the histogram service
 * measures on either backend (a synthetic event fed by onmatch, or a BPF map of pending
 * starts), in microseconds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "hist/hist.h"
#include "json.h"
#include "log.h"
#include "tools/tools.h"

/* The entry and the return probe of @what in the session's group; @ev: "G:N,G:N_ret". */
static int probes(struct ft_tool_run *r, const char *what, char *ev, size_t size)
{
	char made[2][300];
	int ret = ft_tool_probe(r, what, false, made[0], sizeof(made[0]))
			  ?: ft_tool_probe(r, what, true, made[1], sizeof(made[1]));

	if (!ret)
		snprintf(ev, size, "%s,%s", made[0], made[1]);
	return ret;
}

static int spec_words(struct ft_tool_spec *s, const char *ev, enum ft_backend be,
		      const struct ft_tool_opts *o)
{
	return ft_tool_word(s, "--latency") ?: ft_tool_word(s, "%s", ev) ?:
	       ft_tool_word(s, "--key") ?: ft_tool_word(s, "lat.log2") ?:
	       ft_tool_task_words(s, be, o, NULL);
}

/* Whether entry @e of @h is of the task -c names (always without -c, or with a filter). */
static bool ours(const struct ft_hist *h, size_t e, const char *comm)
{
	for (size_t c = 0; comm && c < h->nkeys; c++)
		if (!strcmp(h->keys[c].name, "comm"))
			return h->entries[e].keys[c].str &&
			       !strcmp(h->entries[e].keys[c].str, comm);
	return true;
}

/* The count of the log2 bucket @n (ft_log2_lo/hi's numbering) in @h, of -c's task. */
static uint64_t bucket(const struct ft_hist *h, unsigned n, const char *comm, unsigned *max,
		       uint64_t *total, uint64_t *top)
{
	uint64_t c = 0;

	for (size_t e = 0; e < h->nentries; e++) {
		const struct ft_key *k = &h->entries[e].keys[0];
		uint64_t v = ft_tool_count(h, &h->entries[e]);

		if (k->kind != FT_KEY_LOG2 || !ours(h, e, comm))
			continue;
		if (k->num == n)
			c += v;
		if (n == 0 && v) {
			*total += v;
			if (k->num > *max)
				*max = (unsigned)k->num;
		}
	}
	if (c > *top)
		*top = c;
	return c;
}

/*
 * bcc's layout ("lo -> hi : count |****|"), with the kernel's log2 buckets
 * (ft_tool_log2_print()).
 */
static int print(struct ft_hist *const *h, size_t n, const struct ft_tool_opts *o, void *data)
{
	uint64_t c[FT_TOOL_LOG2_MAX] = { 0 }, total = 0, top = 0;
	unsigned max = 0;

	(void)data;
	if (!n || !h[0])
		return 0;
	bucket(h[0], 0, o->comm, &max, &total, &top);
	for (unsigned b = 0; b <= max && b < FT_TOOL_LOG2_MAX; b++)
		c[b] = bucket(h[0], b, o->comm, &(unsigned){ 0 }, &(uint64_t){ 0 }, &top);
	if (max >= FT_TOOL_LOG2_MAX)
		max = FT_TOOL_LOG2_MAX - 1;
	if (o->json) {
		struct ft_json j;

		ft_tool_json_begin(&j);
		ft_json_str(&j, "unit", "usecs");
		ft_json_uint(&j, "count", total);
		ft_tool_log2_json(&j, c, max, total);
		ft_json_end(&j, '}');
		printf("\n");
		return 0;
	}
	printf("\n");
	ft_tool_stamp(o, stdout);
	ft_tool_log2_print("usecs", c, total ? max : 0);
	printf("\ncount: %llu\n", (unsigned long long)total);
	return 0;
}

/**
 * ft_tool_funclatency() - `ftrig funclatency FUNC | BINARY:SYMBOL | START,END`
 * @cmd: its row
 * @o: its options and operand
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_funclatency(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	const char *what = o->args[0];
	struct ft_tool_spec sp = { 0 };
	struct ft_tool_run r;
	char ev[640];
	int ret = ft_tool_begin(&r, o);

	if (!ret && strchr(what, ',')) {
		snprintf(ev, sizeof(ev), "%s", what);
	} else if (!ret && o->live) {
		ft_err("--live with a function is to come (the view's session cannot take over "
		       "the probes yet); START,END tracepoints work");
		ret = -ENOTSUP;
	} else if (!ret) {
		ret = probes(&r, what, ev, sizeof(ev));
	}
	if (!ret)
		ret = spec_words(&sp, ev, r.be, o) ?: ft_tool_run_one(cmd, &r, &sp, o, print, what);
	if (r.s && ft_tool_end(&r))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
