// SPDX-License-Identifier: GPL-2.0-only
/*
 * The histogram model's memory: one arena per snapshot, so a 131072-entry hist is a handful
 * of large allocations rather than hundreds of thousands of small ones, and freeing a
 * snapshot is a few free() calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hist/hist.h"

/* Chunks double from CHUNK_MIN to CHUNK_MAX: a small hist stays small, a big one is a few. */
#define CHUNK_MIN (64 * 1024)
#define CHUNK_MAX (16 * 1024 * 1024)
#define HUGE_PAGE (2 * 1024 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

/*
 * A chunk of at least @sz bytes of data. From 2 MB on, on transparent huge pages where the
 * system gives them on request (THP "madvise", Debian's default): a full hist's memory is
 * then a few dozen page faults instead of thousands, which were most of the time to parse a
 * 131072-entry hist file (bench/05-hist-parse.sh). Elsewhere the advice is ignored.
 */
static struct chunk *chunk_alloc(size_t sz)
{
	size_t total = sizeof(struct chunk) + sz;
	struct chunk *c;
	void *p;

	if (total < HUGE_PAGE) {
		c = malloc(total);
	} else {
		total = (total + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
		c = posix_memalign(&p, HUGE_PAGE, total) ? NULL : p;
		if (c)
			madvise(c, total, MADV_HUGEPAGE);
	}
	if (!c)
		return NULL;
	c->used = 0;
	c->size = total - sizeof(*c);
	return c;
}

/* A new chunk for at least @need bytes, at the head of @h's arena; NULL with errno set. */
static struct chunk *arena_grow(struct ft_hist *h, size_t need)
{
	struct chunk *c = h->arena;
	size_t sz = !c ? CHUNK_MIN : c->size < CHUNK_MAX / 2 ? 2 * c->size : CHUNK_MAX;

	c = chunk_alloc(need > sz ? need : sz);
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->next = h->arena;
	h->arena = c;
	return c;
}

/* ft_hist_mem(), inlined where a big hist takes a piece for each of its rows. */
static inline __attribute__((always_inline)) void *arena_take(struct ft_hist *h, size_t size)
{
	struct chunk *c = h->arena;
	/*
	 * What only needs 8-byte alignment (every size that is not a multiple of max_align_t:
	 * no type that needs more has such a size) gets no more: a delta's value per entry is
	 * 8 bytes, not 16. The rest starts on a max_align_t boundary.
	 */
	size_t al = size % sizeof(max_align_t) ? 8 : sizeof(max_align_t);
	size_t need = (size + 7) & ~(size_t)7, at = c ? (c->used + al - 1) & ~(al - 1) : 0;
	void *p;

	if (!c || at > c->size || c->size - at < need) {
		c = arena_grow(h, need);
		if (!c)
			return NULL;
		at = 0;
	}
	p = (char *)c->data + at;
	c->used = at + need;
	memset(p, 0, size);
	return p;
}

/**
 * ft_hist_mem() - memory that lives as long as the hist
 * @h: the hist
 * @size: bytes wanted
 *
 * Return: zeroed memory aligned for what has its size (on 8 bytes, on max_align_t when @size
 * is a multiple of it), or NULL with errno set. It is freed with the hist.
 */
void *ft_hist_mem(struct ft_hist *h, size_t size)
{
	return arena_take(h, size);
}

/**
 * ft_hist_strndup() - copy @n bytes of @s into the hist's memory, NUL-terminated
 * @h: the hist
 * @s: the text
 * @n: its length
 *
 * Return: the copy, or NULL with errno set.
 */
const char *ft_hist_strndup(struct ft_hist *h, const char *s, size_t n)
{
	char *p = ft_hist_mem(h, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

/**
 * ft_hist_strdup() - copy a string into the hist's memory
 * @h: the hist
 * @s: the string; NULL gives NULL
 *
 * Return: the copy, or NULL.
 */
const char *ft_hist_strdup(struct ft_hist *h, const char *s)
{
	return s ? ft_hist_strndup(h, s, strlen(s)) : NULL;
}

static struct ft_hist *hist_init(struct ft_hist *h, const char *event, const char *instance,
				 const char *backend);

/**
 * ft_hist_alloc() - an empty hist
 * @event: "system:event"
 * @instance: instance name, NULL or "" for the top level
 * @backend: "hist" or "bpf"
 *
 * Return: the hist, to free with ft_hist_free(), or NULL with errno set.
 */
struct ft_hist *ft_hist_alloc(const char *event, const char *instance, const char *backend)
{
	struct ft_hist *h = calloc(1, sizeof(*h));

	return h ? hist_init(h, event, instance, backend) : NULL;
}

/* @h, zeroed but for its memory, as a new hist: see ft_hist_alloc(). */
static struct ft_hist *hist_init(struct ft_hist *h, const char *event, const char *instance,
				 const char *backend)
{
	h->event = ft_hist_strdup(h, event ? event : "");
	h->instance = ft_hist_strdup(h, instance ? instance : "");
	h->backend = ft_hist_strdup(h, backend ? backend : "hist");
	h->trigger = "";
	h->name = "";
	h->filter = "";
	clock_gettime(CLOCK_REALTIME, &h->taken);
	clock_gettime(CLOCK_MONOTONIC, &h->taken_mono);
	if (!h->event || !h->instance || !h->backend) {
		ft_hist_free(h);
		errno = ENOMEM;
		return NULL;
	}
	return h;
}

/*
 * The arena of @h emptied for a hist of the same size: one chunk as large as all of them
 * together, so that the next hist fits in it and allocates nothing (a live view builds a
 * table of 131,072 entries every second). NULL when that chunk cannot be had.
 */
static struct chunk *arena_recycle(struct ft_hist *h)
{
	struct chunk *c = h->arena, *n;
	size_t total = 0;

	if (c && !c->next) {
		c->used = 0;
		return c;
	}
	/* What the hist used, and a little more, for the next one a bit larger: the doubling
	 * chunks' unused ends are not kept. */
	for (; c; c = n) {
		n = c->next;
		total += c->used;
		free(c);
	}
	total += total / 16;
	h->arena = NULL;
	c = total ? chunk_alloc(total) : NULL;
	if (c)
		c->next = NULL;
	return c;
}

/**
 * ft_hist_recycle() - an empty hist made from one its reader is done with
 * @old: the hist to empty, or NULL; it is the result's from now on (also on failure)
 * @event: as for ft_hist_alloc()
 * @instance: as for ft_hist_alloc()
 * @backend: as for ft_hist_alloc()
 *
 * Like ft_hist_alloc(), but the memory of @old (its arena, its entries array) is kept for the
 * new hist's rows: building a snapshot as large as @old then allocates nothing, and touches
 * no page the kernel must zero again.
 *
 * Return: the hist, to free with ft_hist_free(), or NULL with errno set.
 */
struct ft_hist *ft_hist_recycle(struct ft_hist *old, const char *event, const char *instance,
				const char *backend)
{
	struct ft_hist_entry *entries;
	struct chunk *arena;
	size_t cap;

	if (!old)
		return ft_hist_alloc(event, instance, backend);
	arena = arena_recycle(old);
	entries = old->entries;
	cap = old->entries_cap;
	free(old->actions);
	free(old->extra);
	free(old->unknown);
	free(old->overflowed);
	memset(old, 0, sizeof(*old));
	old->arena = arena;
	old->entries = entries;
	old->entries_cap = cap;
	return hist_init(old, event, instance, backend);
}

/**
 * ft_hist_free() - free a hist and everything in it; NULL is allowed
 * @h: the hist
 */
void ft_hist_free(struct ft_hist *h)
{
	if (!h)
		return;
	for (struct chunk *c = h->arena, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(h->entries);
	free(h->actions);
	free(h->extra);
	free(h->unknown);
	free(h->overflowed);
	free(h);
}

/**
 * ft_hist_free_all() - free an array of hists and the array
 * @v: the array (from a parser that found several hists in one file), may be NULL
 * @n: its length
 */
void ft_hist_free_all(struct ft_hist **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ft_hist_free(v[i]);
	free(v);
}

/* Room in @h's rows (and their handler lines) for @n more. */
static bool entries_room(struct ft_hist *h, size_t n)
{
	size_t need = h->nentries + n, cap = h->entries_cap ? h->entries_cap : 16;
	struct ft_hist_entry *ne;
	struct ft_hist_actions *na;

	if (need <= h->entries_cap)
		return true;
	/* Grow by doubling: rows are appended in the hundreds of thousands. */
	while (cap < need)
		cap *= 2;
	ne = realloc(h->entries, cap * sizeof(*ne));
	if (!ne)
		return false;
	h->entries = ne;
	if (h->actions) {
		na = realloc(h->actions, cap * sizeof(*na));
		if (!na)
			return false;
		h->actions = na;
	}
	h->entries_cap = cap;
	return true;
}

/* A new row at the end of @h's entries, zeroed (and its handler lines); NULL when out of
 * memory. Inlined: it is called for each of hundreds of thousands of rows. */
static inline __attribute__((always_inline)) struct ft_hist_entry *append(struct ft_hist *h)
{
	struct ft_hist_entry *e;
	size_t n = h->nentries;

	if (n == h->entries_cap && !entries_room(h, 1))
		return NULL;
	e = &h->entries[n];
	memset(e, 0, sizeof(*e));
	if (h->actions)
		h->actions[n] = (struct ft_hist_actions){ NULL, 0 };
	return e;
}

/**
 * ft_hist_entry_actions() - the handler lines printed under a row
 * @h: the hist
 * @e: one of its entries
 *
 * Return: them, or NULL when the row has none.
 */
const struct ft_hist_actions *ft_hist_entry_actions(const struct ft_hist *h,
						    const struct ft_hist_entry *e)
{
	const struct ft_hist_actions *a = h->actions ? &h->actions[e - h->entries] : NULL;

	return a && a->n ? a : NULL;
}

/**
 * ft_hist_entry_actions_add() - the handler lines of a row, to add to
 * @h: the hist
 * @e: one of its entries
 *
 * The first row with handler lines makes room for those of every row.
 *
 * Return: the row's lines (@v and @n to set; @v in the hist's memory), or NULL on ENOMEM.
 */
struct ft_hist_actions *ft_hist_entry_actions_add(struct ft_hist *h, const struct ft_hist_entry *e)
{
	if (!h->actions && !(h->actions = calloc(h->entries_cap, sizeof(*h->actions))))
		return NULL;
	return &h->actions[e - h->entries];
}

/**
 * ft_hist_add_entry() - append a row, with room for the hist's current nkeys and nvals
 * @h: the hist; set nkeys and nvals before the first row
 *
 * Return: the row (zeroed), valid until the next ft_hist_add_entry(), or NULL.
 */
struct ft_hist_entry *ft_hist_add_entry(struct ft_hist *h)
{
	size_t size = h->nkeys * sizeof(struct ft_key) + h->nvals * sizeof(uint64_t);
	struct ft_hist_entry *e = append(h);

	if (!e)
		return NULL;
	/* One piece of memory for both: a big hist is mostly this. */
	e->keys = arena_take(h, size ? size : 1);
	if (!e->keys)
		return NULL;
	e->vals = (uint64_t *)(e->keys + h->nkeys);
	h->nentries++;
	return e;
}

/**
 * ft_hist_add_entries() - append @n rows at once, as @n ft_hist_add_entry() would
 * @h: the hist; set nkeys and nvals before the first row
 * @n: how many, at least 1
 *
 * The rows' keys and values are one piece of the hist's memory, laid out as one row at a
 * time would lay them out: for a reader that appends a table's rows by the thousand (a BPF
 * aggregation's, 131,072 of them every refresh of a live view), one allocation, not one a row.
 *
 * Return: the first of the rows (zeroed), the others after it; valid until the next row is
 * added. NULL when out of memory (then @h has no more rows than it had).
 */
struct ft_hist_entry *ft_hist_add_entries(struct ft_hist *h, size_t n)
{
	size_t size = h->nkeys * sizeof(struct ft_key) + h->nvals * sizeof(uint64_t);
	struct ft_hist_entry *first;
	char *mem;

	/* what ft_hist_mem() gives a row without keys and values: 1 byte, taken as 8 */
	size = size ? size : 8;
	if (!n || !entries_room(h, n) || !(mem = ft_hist_mem(h, size * n)))
		return NULL;
	first = &h->entries[h->nentries];
	for (size_t i = 0; i < n; i++) {
		first[i].keys = (struct ft_key *)(void *)(mem + i * size);
		first[i].vals = (uint64_t *)(void *)(first[i].keys + h->nkeys);
	}
	if (h->actions)
		memset(&h->actions[h->nentries], 0, n * sizeof(*h->actions));
	h->nentries += n;
	return first;
}

/**
 * ft_hist_add_entry_keys() - append a row whose keys are another hist's
 * @h: the hist; set nkeys and nvals before the first row
 * @keys: the row's keys, not copied: they must outlive every use of the row
 * @vals: room for its nvals values in @h's memory (ft_hist_mem()), or NULL for new room,
 *        zeroed: a delta takes the room of all its rows at once
 *
 * For a hist derived from another one, an interval's delta, that lives no longer than it:
 * only the values are its own.
 *
 * Return: the row, valid until the next row is added, or NULL.
 */
struct ft_hist_entry *ft_hist_add_entry_keys(struct ft_hist *h, struct ft_key *keys, uint64_t *vals)
{
	struct ft_hist_entry *e = append(h);

	if (!e)
		return NULL;
	e->vals = vals ? vals : ft_hist_mem(h, h->nvals ? h->nvals * sizeof(*e->vals) : 1);
	if (!e->vals)
		return NULL;
	e->keys = keys;
	h->nentries++;
	return e;
}

/**
 * ft_hist_add_line() - keep a line in one of the hist's line lists (extra, unknown, overflowed)
 * @h: the hist
 * @list: &h->extra or &h->unknown
 * @n: &h->nextra or &h->nunknown
 * @line: the text, copied
 *
 * Return: 0 or -ENOMEM.
 */
int ft_hist_add_line(struct ft_hist *h, const char ***list, size_t *n, const char *line)
{
	const char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (!nl)
		return -ENOMEM;
	*list = nl;
	nl[*n] = ft_hist_strdup(h, line);
	if (!nl[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/**
 * ft_hist_sum() - the sum of one value column over all rows
 * @h: the hist
 * @val: the value column
 *
 * Return: the sum (for hitcount it equals @h->hits unless entries were dropped).
 */
uint64_t ft_hist_sum(const struct ft_hist *h, size_t val)
{
	uint64_t s = 0;

	for (size_t i = 0; val < h->nvals && i < h->nentries; i++)
		s += h->entries[i].vals[val];
	return s;
}

/**
 * ft_log2_lo() - the smallest value the kernel puts in log2 bucket @n
 * @n: the bucket ("~ 2^n")
 *
 * Return: 2^(n-1) + 1, or 0 for bucket 0 (see the note in hist.h).
 */
uint64_t ft_log2_lo(unsigned n)
{
	return n == 0 ? 0 : n > 64 ? UINT64_MAX : (UINT64_C(1) << (n - 1)) + 1;
}

/**
 * ft_log2_hi() - one past the largest value the kernel puts in log2 bucket @n
 * @n: the bucket ("~ 2^n")
 *
 * Return: 2^n + 1 (2 for bucket 0), saturated at UINT64_MAX.
 */
uint64_t ft_log2_hi(unsigned n)
{
	return n == 0 ? 2 : n >= 64 ? UINT64_MAX : (UINT64_C(1) << n) + 1;
}

/**
 * ft_hist_key_unit() - the unit of a key column's numbers, where the hist says it
 * @h: the hist
 * @key: the key column
 *
 * Times are the only numbers with a unit ftrig can know: the "lat" key of a latency
 * aggregation (BPF counts it in microseconds: agg.bpf.c divides the nanoseconds by 1000, as
 * the kernel's common_timestamp.usecs does; hist triggers count it on a synthetic event in
 * microseconds) and common_timestamp itself (.usecs, else
 * nanoseconds). Other fields (bytes, pids, return values) have the unit of the event's
 * field, which the format does not give.
 *
 * Return: "us", "ns", or NULL when unknown.
 */
const char *ft_hist_key_unit(const struct ft_hist *h, size_t key)
{
	const struct ft_hist_col *c = key < h->nkeys ? &h->keys[key] : NULL;

	if (!c)
		return NULL;
	if (!strcmp(c->name, "lat") && h->trigger && strstr(h->trigger, "(latency until "))
		return "us";
	/* The hist-trigger side of a latency counts it on a synthetic event, fed with
	 * common_timestamp.usecs differences (src/triggers/latency.c). */
	if (!strcmp(c->name, "lat") && h->event && !strncmp(h->event, "synthetic:", 10))
		return "us";
	if (!strcmp(c->name, "common_timestamp"))
		return strstr(c->modifier, "usecs") ? "us" : "ns";
	return NULL;
}
