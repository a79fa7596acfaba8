// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hist in the layout of the kernel's hist file (trace_events_hist.c), so that a parsed hist
 * file is written back as the kernel printed it. Writes only to the stream it is given.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hist/export-text.h"

/* One key part the way the kernel prints it (trace_events_hist.c, hist_trigger_print_key). */
static bool text_key(FILE *f, const struct ft_hist_col *c, const struct ft_key *k)
{
	switch (k->kind) {
	case FT_KEY_HEX:
		fprintf(f, "%s: %" PRIx64, c->name, k->num);
		break;
	case FT_KEY_SYM:
		fprintf(f, "%s: [%" PRIx64 "] %-*s", c->name, k->num,
			strcmp(c->modifier, "sym-offset") ? 45 : 55, k->str ? k->str : "");
		break;
	case FT_KEY_EXECNAME:
		fprintf(f, "%s: %-16s[%10" PRIu64 "]", c->name, k->str ? k->str : "", k->num);
		break;
	case FT_KEY_SYSCALL:
		fprintf(f, "%s: %-30s[%3" PRIu64 "]", c->name, k->str ? k->str : "unknown_syscall",
			k->num);
		break;
	case FT_KEY_STACK:
		fputs("stacktrace:\n", f);
		for (size_t i = 0; i < k->nframes; i++)
			fprintf(f, "%9s%s\n", "", k->frames[i]);
		return true;
	case FT_KEY_LOG2:
		fprintf(f, "%s: ~ 2^%-2" PRIu64, c->name, k->num);
		break;
	case FT_KEY_BUCKET:
		fprintf(f, "%s: ~ %" PRIu64 "-%" PRIu64, c->name, k->lo, k->hi - 1);
		break;
	case FT_KEY_STR:
		fprintf(f, "%s: %-50s", c->name, k->str ? k->str : "");
		break;
	case FT_KEY_NUM:
		fprintf(f, "%s: %10" PRIu64, c->name, k->num);
		break;
	}
	return false;
}

static void text_val(FILE *f, const struct ft_hist_col *c, uint64_t v)
{
	if (!strcmp(c->modifier, "percent")) {
		fprintf(f, " %s (%%): %3" PRIu64 ".%02" PRIu64, c->name, v / 100, v % 100);
	} else if (!strcmp(c->modifier, "graph")) {
		fprintf(f, " %s: ", c->name);
		for (uint64_t i = 0; i < 20; i++)
			fputc(i < v ? '#' : ' ', f);
	} else {
		fprintf(f, strcmp(c->modifier, "hex") ? " %s: %10" PRIu64 : " %s: %10" PRIx64,
			c->name, v);
	}
}

static void text_actions(FILE *f, const struct ft_hist *h, const struct ft_hist_entry *e)
{
	const struct ft_hist_actions *acts = ft_hist_entry_actions(h, e);

	for (size_t a = 0; acts && a < acts->n; a++) {
		const struct ft_hist_action *ac = &acts->v[a];

		fprintf(f, "\n\t%s: %10" PRIu64, ac->handler, ac->value);
		for (size_t s = 0; s < ac->nsaved; s++) {
			const char *v = ac->values[s];
			bool num = *v && strspn(v, "0123456789") == strlen(v);

			fprintf(f, num ? "  %s: %10s" : "  %s: %-32s", ac->names[s], v);
		}
	}
}

static void text_entry(FILE *f, const struct ft_hist *h, const struct ft_hist_entry *e)
{
	bool multiline = false, first = true;

	fputs("{ ", f);
	for (size_t k = 0; k < h->nkeys; k++) {
		if (k)
			fputs(", ", f);
		multiline |= text_key(f, &h->keys[k], &e->keys[k]);
	}
	fputs(multiline ? "}" : " }", f);
	for (size_t v = 0; v < h->nvals; v++) {
		if (!h->vals[v].shown)
			continue;
		if (!first)
			fputc(' ', f);
		text_val(f, &h->vals[v], e->vals[v]);
		first = false;
	}
	text_actions(f, h, e);
	fputc('\n', f);
}

/**
 * ft_hist_write_text() - write a hist in the layout of the kernel's hist file
 * @f: the stream
 * @h: the hist
 *
 * A hist parsed from a kernel hist file comes out as the kernel printed it (the unit tests
 * check this on every fixture); several hists written one after another make a hist file
 * with several blocks, as the kernel separates them.
 */
void ft_hist_write_text(FILE *f, const struct ft_hist *h)
{
	fprintf(f, "# event histogram\n#\n# trigger info: %s\n", h->trigger);
	/* FIG-8: a line the kernel does not print, only where a key is a time (the parser
	 * skips '#' lines) */
	for (size_t i = 0; i < h->nkeys; i++)
		if (ft_hist_key_unit(h, i))
			fprintf(f, "# unit: %s in %s\n", h->keys[i].name, ft_hist_key_unit(h, i));
	/* Not the kernel's either: a BPF aggregation's keys the kernel refused to index,
	 * counted apart and merged into their rows (FT_STAT_UNINDEXED), and why. */
	if (h->unindexed)
		fprintf(f,
			"# unindexed: %" PRIu64 " index inserts refused (%s): their events "
			"counted apart and merged\n",
			h->unindexed, h->index_err ? strerror(h->index_err) : "no reason kept");
	/* Nor this: events the kernel did not run a BPF aggregation's program for. */
	if (h->missed)
		fprintf(f,
			"# missed: %" PRIu64 " events the kernel did not run the BPF program for "
			"(BPF already running on their CPU)\n",
			h->missed);
	fprintf(f, "#\n\n");
	for (size_t i = 0; i < h->nentries; i++)
		text_entry(f, h, &h->entries[i]);
	fprintf(f,
		"\nTotals:\n    Hits: %" PRIu64 "\n    Entries: %" PRIu64 "\n    Dropped: %" PRIu64
		"\n",
		h->hits, h->nentries_total, h->dropped);
}
