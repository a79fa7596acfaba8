// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live view's economies at the size of a full kernel table change nothing it shows:
 * snapshots and deltas built in the memory of the ones before give the same tables, interval
 * after interval, as freshly allocated ones; the screen's partial order gives the same first
 * rows as the whole sort, for every sort column and direction.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist/analyze.h"
#include "ui/top.h"

/* A deterministic pseudo-random sequence (xorshift), so that failures can be replayed. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Snapshot @step of a table of up to @n keys in @old's memory (NULL: new memory): key part 0
 * a number, part 1 a string, hitcount and a sum; entries come and go between steps, their
 * order shuffles, counts only grow, and many counts tie.
 */
static struct ft_hist *snap(struct ft_hist *old, size_t n, int step)
{
	struct ft_hist *h = ft_hist_recycle(old, "test:big", "", "bpf");
	uint64_t s = 0x9e3779b97f4a7c15ull;

	assert_non_null(h);
	h->nkeys = 2;
	h->keys[0] = (struct ft_hist_col){ "size", "", FT_KEY_NUM, false, true };
	h->keys[1] = (struct ft_hist_col){ "comm", "", FT_KEY_STR, false, true };
	h->nvals = 2;
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	h->vals[1] = (struct ft_hist_col){ "bytes", "", FT_KEY_NUM, false, true };
	h->taken_mono = (struct timespec){ step, 0 };
	h->taken = (struct timespec){ 1700000000 + step, 0 };
	for (size_t i = 0; i < n; i++) {
		/* the same key each step, in another place: rotated by the step */
		size_t k = (i + (size_t)step * 7919) % n;
		uint64_t r = rnd(&s), c = (k % 5) * (uint64_t)step + (r % 3);
		struct ft_hist_entry *e;
		char comm[16];

		if ((k + (size_t)step) % 11 == 0)
			continue; /* not in this snapshot */
		e = ft_hist_add_entry(h);
		assert_non_null(e);
		snprintf(comm, sizeof(comm), "p%zu", k % 97);
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_NUM, .num = k % 1000 };
		e->keys[1] = (struct ft_key){ .kind = FT_KEY_STR, .str = ft_hist_strdup(h, comm) };
		e->vals[0] = c;
		e->vals[1] = c * (k % 13);
		h->hits += c;
	}
	h->nentries_total = h->nentries;
	return h;
}

/* The batch text of tab 0, into a new string. */
static char *text_of(struct ft_top_view *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ft_top_write_text(v, 0, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * Six intervals, with a reset (c) in the middle: a view whose snapshots are built in the
 * spare it hands back, with recycled deltas, prints what a view fed new snapshots prints.
 */
static void test_recycled_intervals(void **state)
{
	struct ft_top_view *a = ft_top_view_alloc(1000), *b = ft_top_view_alloc(1000);

	(void)state;
	assert_int_equal(ft_top_view_add_tab(a, "a"), 0);
	assert_int_equal(ft_top_view_add_tab(b, "b"), 0);
	for (int step = 1; step <= 6; step++) {
		char *ta, *tb;

		struct ft_hist *was = b->tabs[0].cur, *spare;

		/* a: every snapshot new, the spare freed; b: built in the spare */
		ft_hist_free(ft_top_view_spare(a, 0));
		assert_int_equal(ft_top_view_push(a, 0, snap(NULL, 3000, step)), 0);
		/* the memory goes round: the spare is the current snapshot (only its record is
		 * kept), but for the one kept as the baseline */
		spare = ft_top_view_spare(b, 0);
		if (step >= 2 && step != 4)
			assert_ptr_equal(spare, was);
		else
			assert_null(spare);
		assert_null(b->tabs[0].cur);
		assert_int_equal(ft_top_view_push(b, 0, snap(spare, 3000, step)), 0);
		assert_null(b->tabs[0].spare);
		if (step == 3) {
			assert_int_equal(ft_top_view_reset(a, 0), 0);
			assert_int_equal(ft_top_view_reset(b, 0), 0);
		}
		ta = text_of(a);
		tb = text_of(b);
		assert_string_equal(ta, tb);
		assert_non_null(strstr(ta, "RATE/s"));
		free(ta);
		free(tb);
	}
	ft_top_view_free(a);
	ft_top_view_free(b);
}

/* A recycled delta has ft_hist_delta()'s numbers, its keys those of the newer snapshot. */
static void test_delta_recycle(void **state)
{
	struct ft_hist *p = snap(NULL, 500, 1), *c = snap(NULL, 500, 2), *d = NULL, *ref;

	(void)state;
	for (int round = 0; round < 3; round++) {
		ref = ft_hist_delta(p, c);
		d = ft_hist_delta_recycle(d, p, c);
		assert_non_null(ref);
		assert_non_null(d);
		assert_int_equal(d->nentries, ref->nentries);
		assert_int_equal(d->hits, ref->hits);
		assert_int_equal(d->interval_ns, ref->interval_ns);
		for (size_t i = 0; i < d->nentries; i++) {
			assert_ptr_equal(d->entries[i].keys, c->entries[i].keys);
			assert_true(ft_key_equal(d->entries[i].keys, ref->entries[i].keys, 2));
			assert_memory_equal(d->entries[i].vals, ref->entries[i].vals,
					    2 * sizeof(uint64_t));
		}
		ft_hist_free(ref);
	}
	/* other columns: refused, and the old delta freed all the same */
	c->keys[0].name = "other";
	assert_null(ft_hist_delta_recycle(d, p, c));
	assert_int_equal(errno, EINVAL);
	ft_hist_free(p);
	ft_hist_free(c);
}

/* The first rows of ft_top_view_rows_upto() are those of the whole sort, in every order. */
static void test_partial_order(void **state)
{
	static const size_t wants[] = { 0, 1, 2, 47, 300 };
	struct ft_top_view *v = ft_top_view_alloc(1000);
	size_t *full = malloc(4000 * sizeof(*full));

	(void)state;
	assert_non_null(full);
	assert_int_equal(ft_top_view_add_tab(v, "t"), 0);
	assert_int_equal(ft_top_view_push(v, 0, snap(NULL, 4000, 1)), 0);
	assert_int_equal(ft_top_view_push(v, 0, snap(NULL, 4000, 2)), 0);
	assert_int_equal(ft_top_view_rows(v, 0), 0);
	for (int col = -1; col < (int)v->ncols; col++) {
		for (int rev = 0; rev < 2; rev++) {
			size_t n;

			v->tabs[0].sort = col;
			v->tabs[0].reverse = rev;
			assert_int_equal(ft_top_view_rows(v, 0), 0);
			n = v->nrows;
			assert_true(n > 3000);
			for (size_t i = 0; i < n; i++)
				full[i] = v->rows[i].e;
			for (size_t w = 0; w < sizeof(wants) / sizeof(wants[0]); w++) {
				assert_int_equal(ft_top_view_rows_upto(v, 0, wants[w]), 0);
				assert_int_equal(v->nrows, n);
				for (size_t i = 0; i < wants[w]; i++) {
					assert_int_equal(v->rows[i].e, full[i]);
					assert_ptr_equal(v->rows[i].keys,
							 ft_top_entry_keys(v, 2, full[i]));
				}
			}
		}
	}
	free(full);
	ft_top_view_free(v);
}

/*
 * The whole sort (made in two halves, merged: sort_halves()) puts every row in order, by
 * every numeric column either way, for an even and an odd number of rows.
 */
static void test_whole_sort(void **state)
{
	(void)state;
	for (size_t n = 4000; n < 4002; n++) {
		struct ft_top_view *v = ft_top_view_alloc(1000);

		assert_int_equal(ft_top_view_add_tab(v, "t"), 0);
		assert_int_equal(ft_top_view_push(v, 0, snap(NULL, n, 1)), 0);
		assert_int_equal(ft_top_view_push(v, 0, snap(NULL, n, 2)), 0);
		for (int col = -1; col < 7; col++) {
			for (int rev = 0; rev < 2; rev++) {
				int by, up = 0, down = 0;
				bool known;

				v->tabs[0].sort = col;
				v->tabs[0].reverse = rev;
				assert_int_equal(ft_top_view_rows(v, 0), 0);
				by = col < 0 ? 4 : col; /* the default: RATE/s first */
				if (by >= (int)v->ncols || v->cols[by].kind == FT_TCOL_KEY)
					continue;
				for (size_t i = 0; i + 1 < v->nrows; i++) {
					double a =
						ft_top_cell(v, &v->cols[by], &v->rows[i], &known);
					double b = ft_top_cell(v, &v->cols[by], &v->rows[i + 1],
							       &known);

					up += a < b;
					down += a > b;
				}
				assert_true(v->nrows > 3000);
				assert_true(!up || !down);
				assert_true(up || down);
			}
		}
		ft_top_view_free(v);
	}
}

/* An empty hist of snapshot @step: key column @key, hitcount. */
static struct ft_hist *keyed(const char *event, struct ft_hist_col key, int step)
{
	struct ft_hist *h = ft_hist_alloc(event, "", "bpf");

	assert_non_null(h);
	h->nkeys = 1;
	h->keys[0] = key;
	h->nvals = 1;
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	h->taken_mono = (struct timespec){ step, 0 };
	h->taken = (struct timespec){ 1700000000 + step, 0 };
	return h;
}

/* A view with one tab, "t". */
static struct ft_top_view *view_t(void)
{
	struct ft_top_view *v = ft_top_view_alloc(1000);

	assert_non_null(v);
	assert_int_equal(ft_top_view_add_tab(v, "t"), 0);
	return v;
}

/*
 * Snapshot @step of @mk pushed into @v, sorted by @sort (@reverse): its batch text is the
 * text of a fresh view given the snapshots @step - 1 (when there is one) and @step.
 */
static void same_as_fresh(struct ft_top_view *v, struct ft_hist *(*mk)(int), int step, int sort,
			  bool reverse)
{
	struct ft_top_view *f = view_t();
	char *tv, *tf;

	if (step > 1)
		assert_int_equal(ft_top_view_push(f, 0, mk(step - 1)), 0);
	assert_int_equal(ft_top_view_push(f, 0, mk(step)), 0);
	assert_int_equal(ft_top_view_push(v, 0, mk(step)), 0);
	v->tabs[0].sort = f->tabs[0].sort = sort;
	v->tabs[0].reverse = f->tabs[0].reverse = reverse;
	tv = text_of(v);
	tf = text_of(f);
	assert_string_equal(tv, tf);
	free(tv);
	free(tf);
	ft_top_view_free(f);
}

/*
 * Snapshot @step of a table of 2000 signed keys that all stay, in the same place: a few
 * counts grow each step (every one at steps 5 and 6, for a table far from the last one's order).
 */
static struct ft_hist *steady(int step)
{
	struct ft_hist *h = keyed("test:steady",
				  (struct ft_hist_col){ "off", "", FT_KEY_NUM, true, true }, step);
	size_t n = 2000;

	for (size_t k = 0; k < n; k++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);
		uint64_t c = 1 + k % 3;

		assert_non_null(e);
		for (int s = 1; s <= step; s++)
			if ((k * 31 + (size_t)s) % 50 == 0 || s >= 5)
				c += (k * (size_t)s) % 7;
		/* signed, negative for half of them */
		e->keys[0] =
			(struct ft_key){ .kind = FT_KEY_NUM,
					 .num = (uint64_t)((int64_t)(n / 2) - (int64_t)k) * 3 };
		e->vals[0] = c;
		h->hits += c;
	}
	h->nentries_total = h->nentries;
	return h;
}

/*
 * A table sorted from the last one's order (most rows stay in place) is the table sorted
 * afresh: as rows climb and fall, when most of them move, and when the sort column changes.
 */
static void test_sort_again(void **state)
{
	struct ft_top_view *v = view_t();

	(void)state;
	assert_int_equal(ft_top_view_push(v, 0, steady(1)), 0);
	for (int step = 2; step <= 7; step++) {
		same_as_fresh(v, steady, step, step < 6 ? -1 : step == 6 ? 1 : 0, step == 7);
		/* it started from the last order (every row there): kept for the next */
		assert_int_equal(v->norder, 2000);
		/* by the signed key, from the largest */
		for (size_t i = 0; step == 7 && i + 1 < v->nrows; i++)
			assert_true((int64_t)v->tabs[0].cur->entries[v->rows[i].e].keys[0].num >
				    (int64_t)v->tabs[0].cur->entries[v->rows[i + 1].e].keys[0].num);
	}
	ft_top_view_free(v);
}

/* Snapshot @step of 300 log2 buckets whose counts grow, one of them (another each step) in
 * a bucket of its own. */
static struct ft_hist *moved(int step)
{
	struct ft_hist *h =
		keyed("test:moved", (struct ft_hist_col){ "lat", "log2", FT_KEY_LOG2, false, true },
		      step);

	for (size_t k = 0; k < 300; k++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);
		unsigned b =
			k == (size_t)step * 7 % 300 ? 40 + (unsigned)step % 20 : (unsigned)k % 40;

		assert_non_null(e);
		e->keys[0] = (struct ft_key){
			.kind = FT_KEY_LOG2, .num = b, .lo = ft_log2_lo(b), .hi = ft_log2_hi(b)
		};
		e->vals[0] = (uint64_t)step * (k % 5 + 1);
		h->hits += e->vals[0];
	}
	h->nentries_total = h->nentries;
	return h;
}

/*
 * Key texts kept from the last refresh where an entry's key is the same: a key that moved is
 * shown as it is now, and the texts' memory stays within twice a whole formatting's.
 */
static void test_key_texts(void **state)
{
	struct ft_top_view *v = view_t();

	(void)state;
	for (int step = 1; step <= 40; step++) {
		same_as_fresh(v, moved, step, 0, false);
		assert_true(v->keylen <= 2 * v->keybase + 4096 + 64);
		assert_int_equal(v->keyn, 300);
	}
	ft_top_view_free(v);
}

/* Batch mode's digits written backwards are ft_top_num()'s, or left to it. */
static void test_num_back(void **state)
{
	static const double xs[] = { 0,	     -0.0,     0.04,  0.05,   0.15,   0.25,   1,
				     9.95,   99.95,    999.9, 999.94, 999.95, 999.96, 1000,
				     123456, 1e12 - 1, 1e12,  5e15,   -1,     NAN };
	uint64_t seed = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]) + 2000; i++) {
		double x = i < sizeof(xs) / sizeof(xs[0]) ? xs[i]
							  : (double)(rnd(&seed) % 100000000) /
								    (double)(1 + rnd(&seed) % 1000);

		for (int frac = 0; frac < 2; frac++) {
			char want[64], got[64];
			size_t n = ft_top_num_back(got + sizeof(got) - 1, x, frac);

			got[sizeof(got) - 1] = '\0';
			ft_top_num(want, sizeof(want), x, frac);
			if (!n) {
				assert_true(signbit(x) || isnan(x) || x >= (frac ? 1000 : 1e12));
				continue;
			}
			assert_string_equal(got + sizeof(got) - 1 - n, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recycled_intervals), cmocka_unit_test(test_delta_recycle),
		cmocka_unit_test(test_partial_order),	   cmocka_unit_test(test_sort_again),
		cmocka_unit_test(test_key_texts),	   cmocka_unit_test(test_num_back),
		cmocka_unit_test(test_whole_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
