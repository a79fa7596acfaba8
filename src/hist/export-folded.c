// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hist as folded stacks for flame-graph tools, and which leading kernel frames are the
 * tracing machinery's rather than the traced code's. Writes only to the stream it is given.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "hist/cols.h"
#include "hist/export-folded.h"
#include "util.h"

/* A frame for folded output: no "+0x1f/0x80" offset, no ';' (the frame separator). */
static void folded_frame(FILE *f, const char *s, size_t n)
{
	const char *plus = memchr(s, '+', n);

	if (plus && plus + 2 < s + n && plus[1] == '0' && plus[2] == 'x')
		n = (size_t)(plus - s);
	for (size_t i = 0; i < n; i++)
		fputc(s[i] == ';' ? ',' : s[i], f);
}

/**
 * ft_stack_frame_machinery() - whether a leading kernel frame is the tracing machinery's
 * @frame: the frame as symbolised ("__traceiter_sched_switch+0x41/0x60"), innermost first
 * @after_handler: a kprobe's ftrace handler came before it
 *
 * The tracepoint's iterator, the BPF and perf glue, a kprobe's ftrace handler and the
 * trampoline after it (not in kallsyms: a bare address), not the traced code. A hist
 * trigger's stacks start past the first ones (HIST_STACKTRACE_SKIP), so BPF's skip them too
 * (FIG-4, FIG-5); on kprobe events the hist trigger keeps the handler and the trampoline,
 * which BPF's stacks (taken from the probe's registers) never have.
 *
 * Return: true for a frame to leave out while it leads the stack.
 */
bool ft_stack_frame_machinery(const char *frame, bool after_handler)
{
	static const char *const prefixes[] = {
		"__traceiter_",		 "__bpf_trace_",
		"perf_trace_",		 "trace_event_raw_event_",
		"bpf_trace_run",	 "trace_call_bpf",
		"kprobe_perf_func",	 "kretprobe_perf_func",
		"kprobe_dispatcher",	 "kretprobe_dispatcher",
		"kprobe_ftrace_handler", "uprobe_perf_func",
		"uprobe_dispatcher",	 "perf_trace_run_bpf_submit",
	};

	if (after_handler && !strncmp(frame, "0x", 2))
		return true;
	for (size_t i = 0; i < FT_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(frame, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* An entry's key parts as folded frames (no weight, no newline). */
static void folded_key(FILE *f, const struct ft_hist *h, const struct ft_hist_entry *e)
{
	char buf[512];
	bool first = true;

	for (size_t k = 0; k < h->nkeys; k++) {
		const struct ft_key *key = &e->keys[k];

		if (key->kind != FT_KEY_STACK) {
			size_t n = ft_key_format(&h->keys[k], key, buf, sizeof(buf));

			if (!first)
				fputc(';', f);
			folded_frame(f, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
			first = false;
			continue;
		}
		/* The flame graph of the traced code: a kprobe's handler and trampoline, which
		 * the hist trigger's stacks begin with, are left out (BPF's have none). */
		size_t skip = 0;
		bool handler = false;

		while (skip + 1 < key->nframes &&
		       ft_stack_frame_machinery(key->frames[skip], handler))
			handler |= !strncmp(key->frames[skip++], "kprobe_ftrace_handler", 21);
		for (size_t fr = key->nframes; fr-- > skip; first = false) {
			if (!first)
				fputc(';', f);
			folded_frame(f, key->frames[fr], strlen(key->frames[fr]));
		}
	}
}

/* One folded line: its frames, its weight, where its first entry was. */
struct folded {
	char *line;
	uint64_t weight;
	size_t at;
};

static int by_line(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;
	int c = strcmp(x->line, y->line);

	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

static int by_at(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* The entries' folded lines, equal ones merged (their weights summed), in the order of their
 * first entries. Return: how many, or -ENOMEM. */
static ssize_t folded_lines(const struct ft_hist *h, size_t val, struct folded **out)
{
	struct folded *v = calloc(h->nentries + 1, sizeof(*v));
	size_t n = 0, m = 0, len;
	bool failed = !v;
	FILE *ms;

	for (size_t i = 0; !failed && i < h->nentries; i++) {
		if (!h->entries[i].vals[val])
			continue;
		ms = open_memstream(&v[n].line, &len);
		if (ms)
			folded_key(ms, h, &h->entries[i]);
		failed = !ms || fclose(ms) || !v[n].line;
		v[n].weight = h->entries[i].vals[val];
		v[n++].at = i;
	}
	if (failed) {
		for (size_t i = 0; v && i < n; i++)
			free(v[i].line);
		free(v);
		return -ENOMEM;
	}
	qsort(v, n, sizeof(*v), by_line);
	for (size_t i = 0; i < n; i++) {
		if (m && !strcmp(v[m - 1].line, v[i].line)) {
			v[m - 1].weight += v[i].weight;
			free(v[i].line);
			continue;
		}
		v[m++] = v[i];
	}
	qsort(v, m, sizeof(*v), by_at);
	*out = v;
	return (ssize_t)m;
}

/**
 * ft_hist_write_folded() - write a hist as folded stacks for flame-graph tools
 * @f: the stream
 * @h: the hist
 * @val: the value column that weighs each line (ft_hist_weight_col() gives the usual one)
 *
 * One line per distinct stack with a non-zero weight: the key parts as frames, in column
 * order, a stack key's frames outermost first without their +offset/size, joined by ';', then
 * a space and the weight. Entries whose lines are the same once offsets are dropped are one
 * line, their weights summed (FIG-4, #16).
 */
void ft_hist_write_folded(FILE *f, const struct ft_hist *h, size_t val)
{
	struct folded *v = NULL;
	ssize_t n = val < h->nvals ? folded_lines(h, val, &v) : 0;

	if (n < 0) {
		/* no memory to merge: one line per entry */
		for (size_t i = 0; i < h->nentries; i++) {
			if (!h->entries[i].vals[val])
				continue;
			folded_key(f, h, &h->entries[i]);
			fprintf(f, " %" PRIu64 "\n", h->entries[i].vals[val]);
		}
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		fprintf(f, "%s %" PRIu64 "\n", v[i].line, v[i].weight);
		free(v[i].line);
	}
	free(v);
}
