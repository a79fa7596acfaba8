// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hist as CSV: a header row, then one row per entry. Writes only to the stream it is given.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hist/cols.h"
#include "hist/export-csv.h"

/* A CSV field, quoted when it holds a separator, a quote, a line break or edge spaces. */
static void csv_field(FILE *f, const char *s, bool first)
{
	size_t n = strlen(s);

	if (!first)
		fputc(',', f);
	if (!strpbrk(s, ",\"\n\r") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_header(FILE *f, const struct ft_hist *h)
{
	static const char *const second[] = {
		[FT_KEY_SYM] = "sym", [FT_KEY_EXECNAME] = "comm", [FT_KEY_SYSCALL] = "name"
	};
	char buf[256];
	bool first = true;

	for (size_t i = 0; i < h->nkeys; i++) {
		const struct ft_hist_col *c = &h->keys[i];
		const char *unit = ft_hist_key_unit(h, i);

		/* A time says its unit: lat_lo_us (FIG-8). */
		if (c->kind == FT_KEY_LOG2 || c->kind == FT_KEY_BUCKET) {
			snprintf(buf, sizeof(buf), "%s_lo%s%s", c->name, unit ? "_" : "",
				 unit ? unit : "");
			csv_field(f, buf, first);
			snprintf(buf, sizeof(buf), "%s_hi%s%s", c->name, unit ? "_" : "",
				 unit ? unit : "");
			csv_field(f, buf, false);
		} else {
			snprintf(buf, sizeof(buf), "%s%s%s", c->name, unit ? "_" : "",
				 unit ? unit : "");
			csv_field(f, buf, first);
		}
		first = false;
		if (c->kind < sizeof(second) / sizeof(second[0]) && second[c->kind]) {
			snprintf(buf, sizeof(buf), "%s_%s", c->name, second[c->kind]);
			csv_field(f, buf, false);
		}
	}
	for (size_t i = 0; i < h->nvals; i++) {
		const char *m = h->vals[i].modifier;

		snprintf(buf, sizeof(buf), "%s%s%s", h->vals[i].name,
			 !strcmp(m, "percent") || !strcmp(m, "graph") ? "_" : "",
			 !strcmp(m, "percent") || !strcmp(m, "graph") ? m : "");
		csv_field(f, buf, first);
		first = false;
	}
	fputc('\n', f);
}

static void csv_key(FILE *f, const struct ft_hist_col *c, const struct ft_key *k, bool first)
{
	char buf[4096];

	switch (k->kind) {
	case FT_KEY_LOG2:
	case FT_KEY_BUCKET:
		snprintf(buf, sizeof(buf), "%" PRIu64, k->lo);
		csv_field(f, buf, first);
		snprintf(buf, sizeof(buf), "%" PRIu64, k->hi);
		csv_field(f, buf, false);
		return;
	case FT_KEY_SYM:
	case FT_KEY_EXECNAME:
	case FT_KEY_SYSCALL:
		snprintf(buf, sizeof(buf), k->kind == FT_KEY_SYM ? "0x%" PRIx64 : "%" PRIu64,
			 k->num);
		csv_field(f, buf, first);
		csv_field(f, k->str ? k->str : "", false);
		return;
	default:
		ft_key_format(c, k, buf, sizeof(buf));
		csv_field(f, buf, first);
	}
}

static void val_text(const struct ft_hist_col *c, uint64_t v, char *buf, size_t size)
{
	if (!strcmp(c->modifier, "percent"))
		snprintf(buf, size, "%" PRIu64 ".%02" PRIu64, v / 100, v % 100);
	else
		snprintf(buf, size, "%" PRIu64, v);
}

/**
 * ft_hist_write_csv() - write a hist as CSV: a header row, then one row per entry
 * @f: the stream
 * @h: the hist
 *
 * Columns per key: NAME (number, hex as 0x..., string, symbol, stack frames joined by ';'
 * innermost first), NAME and NAME_sym / NAME_comm / NAME_name for symbol, execname and syscall
 * keys, NAME_lo and NAME_hi (hi exclusive) for log2 and linear buckets; then one per value
 * (NAME_percent as 12.34, NAME_graph as the bar length).
 */
void ft_hist_write_csv(FILE *f, const struct ft_hist *h)
{
	char buf[64];

	csv_header(f, h);
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_hist_entry *e = &h->entries[i];

		for (size_t k = 0; k < h->nkeys; k++)
			csv_key(f, &h->keys[k], &e->keys[k], k == 0);
		for (size_t v = 0; v < h->nvals; v++) {
			val_text(&h->vals[v], e->vals[v], buf, sizeof(buf));
			csv_field(f, buf, !h->nkeys && !v);
		}
		fputc('\n', f);
	}
}
