// SPDX-License-Identifier: GPL-2.0-only
/*
 * A live view's snapshot of a table that does not rotate, brought up to date in the hist
 * built from it a refresh ago rather than built again (pure: rows in, hist out). The
 * aggregator hands slots out in order and writes a slot's key once, so a refresh later the
 * rows are the same keys in the same order, with larger counts, maybe new rows after them:
 * then only the counts are written, and only the new rows' keys made. Making every key again
 * (and zeroing their memory first) was a fifth of a 131,072-row live view's refresh (#21).
 *
 * Whether a row is the entry's key is checked row by row, not assumed: a table emptied since
 * (hist clear), or a slot that got its first count between two slots counted before, puts
 * another key at some position, and the caller builds the hist anew.
 */
#include <string.h>
#include <time.h>

#include "bpf/ftbpf.h"

/*
 * Whether every key part of @plan is made from its packed number alone (and, for an
 * execname, the creator's comm the slot keeps): a row whose numbers are an entry's then has
 * that entry's key. A string is made from more bytes, an event's name and a stack from
 * lookups, and stacks may merge entries.
 */
static bool plan_updatable(const struct ft_bpf_plan *plan)
{
	if (ft_bpf_plan_stacks(plan))
		return false;
	for (size_t k = 0; k < plan->nkeys; k++) {
		if (plan->cfg.parts[k].num.src == FT_SRC_EVENT)
			return false;
		switch (plan->keys[k].kind) {
		case FT_KEY_NUM:
		case FT_KEY_HEX:
		case FT_KEY_LOG2:
		case FT_KEY_BUCKET:
		case FT_KEY_SYSCALL:
		case FT_KEY_SYM:
		case FT_KEY_EXECNAME:
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Whether @h has @plan's columns, as ft_bpf_hist_build_windows() sets them. */
static bool same_columns(const struct ft_hist *h, const struct ft_bpf_plan *plan)
{
	if (h->nkeys != plan->nkeys || h->nvals != plan->nvals || strcmp(h->backend, "bpf"))
		return false;
	for (size_t i = 0; i < plan->nkeys + plan->nvals; i++) {
		const struct ft_bpf_colinfo *ci =
			i < plan->nkeys ? &plan->keys[i] : &plan->vals[i - plan->nkeys];
		const struct ft_hist_col *col =
			i < plan->nkeys ? &h->keys[i] : &h->vals[i - plan->nkeys];

		if (col->kind != ci->kind || strcmp(col->name, ci->name) ||
		    strcmp(col->modifier, ci->modifier))
			return false;
	}
	return true;
}

/* Whether row @r is entry @e's key: the numbers its parts were made from, an execname's comm. */
static bool same_key(const struct ft_bpf_plan *plan, const struct ft_hist_entry *e,
		     const struct ft_bpf_row *r)
{
	for (size_t k = 0; k < plan->nkeys; k++) {
		const struct ft_key *key = &e->keys[k];
		uint64_t v;

		memcpy(&v, r->key + plan->cfg.parts[k].koff, sizeof(v));
		if (key->num != v)
			return false;
		if (key->kind == FT_KEY_EXECNAME &&
		    strncmp(key->str ? key->str : "", r->val.comm, sizeof(r->val.comm)))
			return false;
	}
	return true;
}

/**
 * ft_bpf_hist_update_windows() - a hist built from a table, brought up to date in place
 * @plan: the table's plan
 * @rd: the reader of the table's rows, from its first
 * @dropped: as for ft_bpf_hist_build_windows()
 * @res: as for ft_bpf_hist_build_windows(), for the new rows' keys
 * @h: the hist ft_bpf_hist_build_windows() (or this) made of the table a refresh ago, with
 *     nothing merged into it since (no unindexed keys)
 *
 * The same hist as ft_bpf_hist_build_windows() would build now, the entries in the same
 * order, when the table's first rows are still @h's entries: their values are written over,
 * the rows after them added. Nothing but the new rows is allocated.
 *
 * Return: 0 when @h is up to date; 1 when @h is not a hist of this table as it is now (its
 * values are then partly written: the caller builds it anew, reading the rows again); or
 * -errno from the reader or when out of memory (the caller frees @h).
 */
int ft_bpf_hist_update_windows(const struct ft_bpf_plan *plan, struct ft_bpf_rows_reader *rd,
			       uint64_t dropped, const struct ft_bpf_resolver *res,
			       struct ft_hist *h)
{
	const struct ft_bpf_row *rows;
	size_t at = 0, old = h->nentries;
	long n;

	if (!plan_updatable(plan) || !same_columns(h, plan))
		return 1;
	while ((n = rd->next(rd, &rows)) > 0) {
		long i = 0;
		int ret;

		for (; i < n && at < old; i++, at++) {
			struct ft_hist_entry *e = &h->entries[at];

			if (!same_key(plan, e, &rows[i]))
				return 1;
			ft_bpf_entry_vals(plan, e->vals, &rows[i]);
		}
		ret = i < n ? ft_bpf_hist_add_rows(h, plan, rows + i, (size_t)(n - i), res) : 0;
		if (ret)
			return ret;
	}
	if (n < 0)
		return (int)n;
	/* fewer rows than entries: the table was emptied since */
	if (at < old)
		return 1;
	h->hits = rd->hits + dropped;
	h->dropped = dropped;
	h->nentries_total = h->nentries;
	h->unindexed = 0;
	h->index_err = 0;
	clock_gettime(CLOCK_REALTIME, &h->taken);
	clock_gettime(CLOCK_MONOTONIC, &h->taken_mono);
	return 0;
}
