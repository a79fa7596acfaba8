// SPDX-License-Identifier: GPL-2.0-only
/*
 * A delta from the compact record of the older snapshot (ft_hist_past) has exactly the
 * numbers of a delta from the snapshot itself: for numbers, buckets (lo and hi), strings and
 * stacks, keys that come, go and move, and keys that differ in one part only.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist/analyze.h"

static const char *frames_a[] = { "f1", "f2" }, *frames_b[] = { "f1", "f3" };

/*
 * Snapshot @step: every key kind in four parts (number, bucket, string, stack); keys that
 * differ only in lo, only in the string's text, only in a frame. The entries rotate with the
 * step, some are missing, and the counts grow.
 */
static struct ft_hist *snap(int step)
{
	struct ft_hist *h = ft_hist_alloc("test:past", "", "bpf");

	assert_non_null(h);
	h->nkeys = 4;
	h->keys[0] = (struct ft_hist_col){ "pid", "", FT_KEY_NUM, false, true };
	h->keys[1] = (struct ft_hist_col){ "size", "log2", FT_KEY_LOG2, false, true };
	h->keys[2] = (struct ft_hist_col){ "comm", "", FT_KEY_STR, false, true };
	h->keys[3] = (struct ft_hist_col){ "stacktrace", "", FT_KEY_STACK, false, true };
	h->nvals = 2;
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	h->vals[1] = (struct ft_hist_col){ "bytes", "", FT_KEY_NUM, false, true };
	h->taken_mono = (struct timespec){ step, 0 };
	for (size_t i = 0; i < 200; i++) {
		size_t k = (i + (size_t)step * 37) % 200;
		struct ft_hist_entry *e;
		char comm[16];

		if ((k + (size_t)step) % 7 == 0)
			continue;
		e = ft_hist_add_entry(h);
		assert_non_null(e);
		snprintf(comm, sizeof(comm), "c%zu", k % 3);
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_NUM, .num = k }; /* unique */
		e->keys[1] = (struct ft_key){
			.kind = FT_KEY_LOG2, .num = 3, .lo = k % 2 ? 0 : 5, .hi = 9
		};
		e->keys[2] = (struct ft_key){ .kind = FT_KEY_STR,
					      .str = k % 4 == 3 ? NULL : ft_hist_strdup(h, comm) };
		e->keys[3] = (struct ft_key){ .kind = FT_KEY_STACK,
					      .nframes = k % 5 == 4 ? 1 : 2,
					      .frames = k % 3 ? frames_a : frames_b };
		e->vals[0] = k * (uint64_t)step + 1;
		e->vals[1] = 3 * k * (uint64_t)step;
		h->hits += e->vals[0];
	}
	return h;
}

/* The same numbers as ft_hist_delta_recycle() from the snapshot, step after step. */
static void test_past_delta(void **state)
{
	struct ft_hist_past past = { 0 };
	struct ft_hist *prev = snap(1), *d = NULL;

	(void)state;
	for (int step = 2; step < 6; step++) {
		struct ft_hist *cur = snap(step), *ref = ft_hist_delta(prev, cur);

		assert_int_equal(ft_hist_past_take(&past, prev), 0);
		assert_true(past.valid);
		/* the snapshot may go: the record holds all the delta needs */
		ft_hist_free(prev);
		d = ft_hist_delta_past(d, &past, cur);
		assert_non_null(ref);
		assert_non_null(d);
		assert_int_equal(d->nentries, ref->nentries);
		assert_int_equal(d->hits, ref->hits);
		assert_int_equal(d->dropped, ref->dropped);
		assert_int_equal(d->interval_ns, ref->interval_ns);
		for (size_t i = 0; i < d->nentries; i++) {
			assert_ptr_equal(d->entries[i].keys, cur->entries[i].keys);
			assert_memory_equal(d->entries[i].vals, ref->entries[i].vals,
					    2 * sizeof(uint64_t));
		}
		ft_hist_free(ref);
		prev = cur;
	}
	ft_hist_free(d);
	ft_hist_free(prev);
	ft_hist_past_release(&past);
}

/* Keys are found by every part, not by the first: one differing part is another key. */
static void test_past_find(void **state)
{
	struct ft_hist_past past = { 0 };
	struct ft_hist *h = snap(1);
	struct ft_key k[4];
	int err = 0;
	const uint64_t *v;

	(void)state;
	assert_int_equal(ft_hist_past_take(&past, h), 0);
	for (size_t i = 0; i < h->nentries; i++) {
		past.next = (i * 31) % h->nentries; /* out of order: found by the index */
		v = ft_hist_past_find(&past, h->entries[i].keys, &err);
		assert_int_equal(err, 0);
		assert_non_null(v);
		assert_int_equal(v[0], h->entries[i].vals[0]);
	}
	memcpy(k, h->entries[0].keys, sizeof(k));
	k[1].lo = 77; /* no entry has that bucket */
	assert_null(ft_hist_past_find(&past, k, &err));
	memcpy(k, h->entries[0].keys, sizeof(k));
	k[2].str = "nobody";
	assert_null(ft_hist_past_find(&past, k, &err));
	memcpy(k, h->entries[0].keys, sizeof(k));
	k[3].nframes = 0;
	assert_null(ft_hist_past_find(&past, k, &err));
	assert_int_equal(err, 0);
	/* other key columns: the delta is refused, as from the snapshot */
	h->keys[0].name = "other";
	assert_null(ft_hist_delta_past(NULL, &past, h));
	assert_int_equal(errno, EINVAL);
	ft_hist_free(h);
	ft_hist_past_release(&past);
}

/*
 * Snapshot @step of a table that grows at its end, as a BPF aggregation's does: entries 0 to
 * 100 + 10 * @step; at step 4, entry 50 has another text, or with @nkeys 1 (a number only,
 * the key found at the cost of a comparison) another number: the keys shared in order end
 * there.
 */
static struct ft_hist *grown(int step, size_t nkeys)
{
	struct ft_hist *h = ft_hist_alloc("test:past", "", "bpf");

	assert_non_null(h);
	h->nkeys = nkeys;
	h->keys[0] = (struct ft_hist_col){ "pid", "", FT_KEY_NUM, false, true };
	h->keys[1] = (struct ft_hist_col){ "comm", "", FT_KEY_STR, false, true };
	h->nvals = 1;
	h->vals[0] = (struct ft_hist_col){ "hitcount", "", FT_KEY_NUM, false, true };
	h->taken_mono = (struct timespec){ step, 0 };
	for (size_t k = 0; k <= 100 + 10 * (size_t)step; k++) {
		struct ft_hist_entry *e = ft_hist_add_entry(h);

		assert_non_null(e);
		e->keys[0] = (struct ft_key){ .kind = FT_KEY_NUM, .num = k };
		if (nkeys == 1 && step == 4 && k == 50)
			e->keys[0].num = 100000;
		if (nkeys == 2)
			e->keys[1] = (struct ft_key){ .kind = FT_KEY_STR,
						      .str = step == 4 && k == 50 ? "moved" : "c" };
		e->vals[0] = k * (uint64_t)step + 1;
		h->hits += e->vals[0];
	}
	return h;
}

/* The record of the snapshot a delta was made for, which packs only the keys it did not
 * share in order with the record before, is the record taken afresh, byte for byte; and the
 * deltas from it are right. */
static void past_grown(size_t nkeys)
{
	struct ft_hist_past past = { 0 }, fresh = { 0 };
	struct ft_hist *prev = grown(1, nkeys), *d = NULL;

	assert_int_equal(ft_hist_past_take(&past, prev), 0);
	for (int step = 2; step < 7; step++) {
		struct ft_hist *cur = grown(step, nkeys), *ref = ft_hist_delta(prev, cur);

		d = ft_hist_delta_past(d, &past, cur);
		assert_non_null(d);
		assert_int_equal(d->nentries, ref->nentries);
		for (size_t i = 0; i < d->nentries; i++)
			assert_int_equal(d->entries[i].vals[0], ref->entries[i].vals[0]);
		/* shared in order: all the older entries, but from entry 50 at step 4 and 5 */
		assert_int_equal(past.same, step == 4 || step == 5 ? 50 : prev->nentries);
		assert_int_equal(ft_hist_past_take(&past, cur), 0);
		assert_int_equal(ft_hist_past_take(&fresh, cur), 0);
		assert_int_equal(past.n, fresh.n);
		assert_memory_equal(past.off, fresh.off, (past.n + 1) * sizeof(*past.off));
		assert_memory_equal(past.keys, fresh.keys, past.off[past.n]);
		assert_memory_equal(past.vals, fresh.vals, past.n * sizeof(*past.vals));
		ft_hist_free(ref);
		ft_hist_free(prev);
		prev = cur;
	}
	/* taken again, unchanged (a failed refresh gives the snapshot back): the same record */
	assert_int_equal(ft_hist_past_take(&past, prev), 0);
	assert_memory_equal(past.keys, fresh.keys, past.off[past.n]);
	ft_hist_free(d);
	ft_hist_free(prev);
	ft_hist_past_release(&past);
	ft_hist_past_release(&fresh);
}

static void test_past_grown(void **state)
{
	(void)state;
	past_grown(2);
	past_grown(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_past_delta),
		cmocka_unit_test(test_past_find),
		cmocka_unit_test(test_past_grown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
