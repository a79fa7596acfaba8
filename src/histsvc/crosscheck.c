// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cross-check of `--backend both`: one event counted by a hist trigger and by BPF, and
 * whether the two tables agree; and the key text both this and `hist diff` show. Pure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hist/analyze.h"
#include "hist/cols.h"
#include "hist/export-folded.h"
#include "hist/hist.h"
#include "histsvc/histsvc.h"

/**
 * ft_hist_key_text() - an entry's key as "common_pid=sh [105], id=sys_read" (times with their
 *                      unit)
 * @h: the hist
 * @e: the entry
 * @buf: where the text goes
 * @size: its size
 */
void ft_hist_key_text(const struct ft_hist *h, const struct ft_hist_entry *e, char *buf,
		      size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < h->nkeys && n < size; k++) {
		n += (size_t)snprintf(buf + n, size - n, "%s%s=", k ? ", " : "", h->keys[k].name);
		if (n < size)
			n += ft_key_format(&h->keys[k], &e->keys[k], buf + n, size - n);
		if (n < size && ft_hist_key_unit(h, k)) /* FIG-8 */
			n += (size_t)snprintf(buf + n, size - n, " %s", ft_hist_key_unit(h, k));
	}
}

/*
 * Stacks of a kprobe event from its probed function on: the hist trigger's begin in the
 * kprobe's ftrace handler and trampoline, and their first frame in the probed function is the
 * return address of its ftrace call where BPF's is the probe's address (FIG-5). Leading
 * machinery frames are dropped and the first frame kept without its offset (with @all, that
 * of every stack; else of those that had machinery frames), in place.
 * Return: whether machinery frames were dropped.
 */
static bool from_probed_function(struct ft_hist *h, bool all)
{
	bool changed = false;

	for (size_t i = 0; i < h->nentries; i++) {
		for (size_t c = 0; c < h->nkeys; c++) {
			struct ft_key *k = &h->entries[i].keys[c];
			bool handler = false, dropped = false;
			const char *plus;

			if (k->kind != FT_KEY_STACK)
				continue;
			while (k->nframes > 1 && ft_stack_frame_machinery(k->frames[0], handler)) {
				handler |= !strncmp(k->frames[0], "kprobe_ftrace_handler", 21);
				k->frames++, k->nframes--, dropped = true;
			}
			plus = (all || dropped) && k->nframes ? strchr(k->frames[0], '+') : NULL;
			if (plus)
				k->frames[0] = ft_hist_strndup(h, k->frames[0],
							       (size_t)(plus - k->frames[0]));
			changed |= dropped;
		}
	}
	return changed;
}

/* The cross-check line of hist @a and bpf @b (d: their diff). */
static void cross_line(const struct ft_hist *a, const struct ft_hist *b,
		       const struct ft_hist_diff *d, const char *how, FILE *out)
{
	char key[256];

	if (!d->n) {
		fprintf(out, "\ncross-check: hist and bpf ('%s') agree on all %zu keys%s\n",
			b->name, d->unchanged, how);
		return;
	}
	if (!d->appeared && !d->disappeared) {
		/* The same keys: only counts moved between the reads. */
		fprintf(out,
			"\ncross-check: hist and bpf ('%s') have the same %zu keys; counts differ "
			"on %zu",
			b->name, d->n + d->unchanged, d->n);
		ft_hist_key_text(a, d->v[0].a, key, sizeof(key));
		fprintf(out,
			", most on %s: bpf %+" PRId64 " (events that came between the two reads)\n",
			key, d->v[0].delta);
		return;
	}
	fprintf(out,
		"\ncross-check: hist and bpf ('%s') differ on %zu of %zu keys (%zu only in hist, "
		"%zu only in bpf)",
		b->name, d->n, d->n + d->unchanged, d->disappeared, d->appeared);
	for (size_t c = 0; c < d->n; c++) {
		if (d->v[c].a && d->v[c].b)
			continue;
		ft_hist_key_text(d->v[c].a ? a : b, d->v[c].a ? d->v[c].a : d->v[c].b, key,
				 sizeof(key));
		fprintf(out, ", such as %s only in %s", key, d->v[c].a ? "hist" : "bpf");
		break;
	}
	fprintf(out, " (events that came between the two reads count too)\n");
}

/**
 * ft_histsvc_cross_check() - say whether the hist-trigger and BPF tables of an event agree
 * @v: the event's hists (stacks of kprobe events in them may be cut to the probed function)
 * @n: how many
 * @out: where the lines go: one per pair of a hist trigger and a BPF aggregation
 *
 * `hist start --backend both` counts one event with a hist trigger and with BPF. The two
 * tables are read one after the other, so events that arrive in between show up as
 * differences in counts (keys that are the same, or new); on a quiet event they must be
 * equal. Stacks of kprobe events are compared from the probed function on.
 */
void ft_histsvc_cross_check(struct ft_hist *const *v, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n; k++) {
			struct ft_hist_diff d, d2;
			bool probed = false;

			if (strcmp(v[i]->backend, "hist") || strcmp(v[k]->backend, "bpf") ||
			    ft_hist_diff(v[i], v[k], NULL, &d))
				continue;
			if (d.n && from_probed_function(v[i], false)) {
				from_probed_function(v[k], true);
				if (!ft_hist_diff(v[i], v[k], NULL, &d2)) {
					ft_hist_diff_release(&d);
					d = d2;
					probed = true;
				}
			}
			cross_line(v[i], v[k], &d,
				   probed ? " (stacks from the probed function on: the hist "
					    "trigger's begin in the kprobe's handler)"
					  : "",
				   out);
			ft_hist_diff_release(&d);
		}
	}
}
