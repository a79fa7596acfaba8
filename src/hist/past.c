// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compact record of a snapshot a live view is done with: each entry's key, packed into a
 * few bytes, and its values; what the next interval's delta subtracts. A snapshot of 131,072
 * entries is some 12 MB (its entries, their struct ft_key parts); its record of one numeric
 * key is under 3 MB, so the view keeps one snapshot, not two (#21). Pure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist/analyze.h"

/*
 * A key part packed: its kind in a byte (0x80 set when lo or hi follow), its number, lo and
 * hi when not both 0, then a string's text or a stack's frames, each NUL-terminated. Two
 * parts pack to the same bytes exactly when ft_key_equal() says they are equal: what it
 * compares is all there, and nothing else.
 */
#define PACK_BOUNDS 0x80

/* Room for @n more bytes in @p's scratch or @p's keys (@buf, @len, @cap); false on ENOMEM. */
static bool room(char **buf, size_t len, size_t *cap, size_t n)
{
	size_t c = *cap ? *cap : 256;
	char *nb;

	if (len + n <= *cap)
		return true;
	while (c < len + n)
		c += c / 2;
	nb = realloc(*buf, c);
	if (!nb)
		return false;
	*buf = nb;
	*cap = c;
	return true;
}

static bool put(char **buf, size_t *len, size_t *cap, const void *s, size_t n)
{
	if (!room(buf, *len, cap, n))
		return false;
	memcpy(*buf + *len, s, n);
	*len += n;
	return true;
}

static bool put_str(char **buf, size_t *len, size_t *cap, const char *s)
{
	return put(buf, len, cap, s ? s : "", strlen(s ? s : "") + 1);
}

/* The most a part packs to besides its texts: kind, number, lo and hi, a stack's frames. */
#define PACK_PART_MAX (1 + 3 * 8 + sizeof(uint32_t))

/*
 * Key @k (@nkeys parts) packed at the end of @buf (@len bytes, room for @cap); false when
 * out of memory. Done for every entry twice a refresh: the numbers are written straight into
 * room made once for all of them.
 */
static bool pack(char **buf, size_t *len, size_t *cap, const struct ft_key *k, size_t nkeys)
{
	char *o;

	if (!room(buf, *len, cap, nkeys * PACK_PART_MAX))
		return false;
	o = *buf + *len;
	for (size_t i = 0; i < nkeys; i++) {
		bool bounds = k[i].lo || k[i].hi;

		*o++ = (char)((unsigned char)k[i].kind | (bounds ? PACK_BOUNDS : 0));
		memcpy(o, &k[i].num, 8);
		o += 8;
		if (bounds) {
			memcpy(o, &k[i].lo, 8);
			memcpy(o + 8, &k[i].hi, 8);
			o += 16;
		}
		if (k[i].kind == FT_KEY_STACK) {
			memcpy(o, &k[i].nframes, sizeof(k[i].nframes));
			o += sizeof(k[i].nframes);
		}
		if (k[i].kind != FT_KEY_STR && k[i].kind != FT_KEY_STACK)
			continue;
		*len = (size_t)(o - *buf);
		if (k[i].kind == FT_KEY_STR && !put_str(buf, len, cap, k[i].str))
			return false;
		for (uint32_t f = 0; k[i].kind == FT_KEY_STACK && f < k[i].nframes; f++)
			if (!put_str(buf, len, cap, k[i].frames[f]))
				return false;
		/* room for the parts after the text, which may have moved the buffer */
		if (!room(buf, *len, cap, (nkeys - i) * PACK_PART_MAX))
			return false;
		o = *buf + *len;
	}
	*len = (size_t)(o - *buf);
	return true;
}

static uint32_t bytes_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ h >> 32);
}

/* Entry @i's packed key in @p, and its length. */
static const char *packed(const struct ft_hist_past *p, size_t i, size_t *len)
{
	*len = p->off[i + 1] - p->off[i];
	return p->keys + p->off[i];
}

/**
 * ft_hist_past_take() - record what a delta needs of @h: its columns, totals, time, keys and
 *                       values
 * @p: the record (zeroed before the first use); its memory is kept for the next one
 * @h: the snapshot
 *
 * When @h is the snapshot the last delta from @p was made for (ft_hist_delta_past()), and
 * unchanged since, the keys it was found to share with @p, entry for entry from the first,
 * are packed there already: only the entries after them are packed again. A table that grew
 * at its end, as a BPF aggregation's does, is then repacked in its new entries only, not in
 * its 131,072 (#21).
 *
 * Return: 0 or -ENOMEM (then @p holds nothing: ft_hist_past_valid() is false).
 */
int ft_hist_past_take(struct ft_hist_past *p, const struct ft_hist *h)
{
	size_t nv = h->nentries * h->nvals, keep = 0, len;

	if (p->valid && p->seen == h && p->same <= h->nentries && p->same <= p->n)
		keep = p->same;
	p->valid = false;
	p->seen = NULL;
	p->n = 0;
	free(p->slot);
	p->slot = NULL;
	p->meta = ft_hist_recycle(p->meta, h->event, h->instance, h->backend);
	if (!p->meta || ft_hist_copy_meta(p->meta, h))
		return -ENOMEM;
	p->meta->hits = h->hits;
	p->meta->dropped = h->dropped;
	p->meta->unindexed = h->unindexed;
	p->meta->missed = h->missed;
	if (h->nentries + 1 > p->offcap) {
		uint32_t *o = realloc(p->off, (h->nentries + 1) * sizeof(*o));

		if (!o)
			return -ENOMEM;
		p->off = o;
		p->offcap = h->nentries + 1;
	}
	if (nv > p->valcap) {
		uint64_t *v = realloc(p->vals, nv * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->vals = v;
		p->valcap = nv;
	}
	len = keep ? p->off[keep] : 0;
	for (size_t i = keep; i < h->nentries; i++) {
		p->off[i] = (uint32_t)len;
		if (!pack(&p->keys, &len, &p->keycap, h->entries[i].keys, h->nkeys) ||
		    len > UINT32_MAX)
			return -ENOMEM;
	}
	/* a value at a time: a memcpy() call for each entry's one or two values cost a live view
	 * of 131,072 rows more than the copying (#21) */
	for (size_t i = 0; i < h->nentries; i++)
		for (size_t v = 0; v < h->nvals; v++)
			p->vals[i * h->nvals + v] = h->entries[i].vals[v];
	p->off[h->nentries] = (uint32_t)len;
	p->n = h->nentries;
	p->nvals = h->nvals;
	p->valid = true;
	/* the record is @h's: taken again unchanged (a failed refresh gives it back), none of
	 * its keys is packed again */
	p->seen = h;
	p->same = h->nentries;
	return 0;
}

/* The index of @p's entries by packed key, built on the first key not found in order. */
static int index_build(struct ft_hist_past *p)
{
	size_t cap = 16, len;

	while (cap < 2 * p->n)
		cap *= 2;
	p->slot = calloc(cap, sizeof(*p->slot));
	if (!p->slot)
		return -ENOMEM;
	p->mask = cap - 1;
	for (size_t i = 0; i < p->n; i++) {
		const char *k = packed(p, i, &len);
		size_t s = bytes_hash(k, len) & p->mask;

		while (p->slot[s])
			s = (s + 1) & p->mask;
		p->slot[s] = (uint32_t)i + 1;
	}
	return 0;
}

/* Whether entry @i of @p has key @k (@nkeys parts): its packed bytes read against @k's
 * parts, without packing @k (the same test as comparing the packed bytes). */
static bool same(const struct ft_hist_past *p, size_t i, const struct ft_key *k, size_t nkeys)
{
	const char *o = p->keys + p->off[i], *end = p->keys + p->off[i + 1];
	uint64_t x[3];

	for (size_t j = 0; j < nkeys; j++) {
		bool bounds = k[j].lo || k[j].hi;
		const char *str = k[j].kind == FT_KEY_STR ? (k[j].str ? k[j].str : "") : NULL;

		if (end - o < 9 ||
		    (unsigned char)*o != ((unsigned char)k[j].kind | (bounds ? PACK_BOUNDS : 0)))
			return false;
		memcpy(x, o + 1, 8);
		o += 9;
		if (x[0] != k[j].num)
			return false;
		if (bounds) {
			memcpy(x + 1, o, 16);
			o += 16;
			if (x[1] != k[j].lo || x[2] != k[j].hi)
				return false;
		}
		if (k[j].kind == FT_KEY_STACK) {
			uint32_t nf;

			memcpy(&nf, o, sizeof(nf));
			o += sizeof(nf);
			if (nf != k[j].nframes)
				return false;
			for (uint32_t f = 0; f < nf; o += strlen(o) + 1, f++)
				if (strcmp(o, k[j].frames[f] ? k[j].frames[f] : ""))
					return false;
		}
		if (str && strcmp(o, str))
			return false;
		if (str)
			o += strlen(o) + 1;
	}
	return o == end;
}

/*
 * same() for a key of one part, at the cost of a comparison when the part is a number, the
 * common key of a big table: its 9 packed bytes are read at once. Done for every entry of
 * every refresh.
 */
static bool same1(const struct ft_hist_past *p, size_t i, const struct ft_key *k)
{
	const char *o = p->keys + p->off[i];
	uint64_t num;

	if (k->lo || k->hi || k->kind == FT_KEY_STR || k->kind == FT_KEY_STACK)
		return same(p, i, k, 1);
	if (p->off[i + 1] - p->off[i] != 9 || (unsigned char)*o != (unsigned char)k->kind)
		return false;
	memcpy(&num, o + 1, sizeof(num));
	return num == k->num;
}

/**
 * ft_hist_past_find() - the values @p recorded for key @k
 * @p: the record
 * @k: the key, as many parts as the recorded snapshot's keys
 * @err: set to -ENOMEM when out of memory (then NULL is returned)
 *
 * A source lists its entries in much the same order every time, so the entry after the last
 * one found is tried first: most keys are found without hashing.
 *
 * Return: @p's values of the entry with key @k (nvals of them), or NULL when it had none.
 */
const uint64_t *ft_hist_past_find(struct ft_hist_past *p, const struct ft_key *k, int *err)
{
	size_t len = 0, nkeys = p->meta->nkeys, s;
	long j = -1;

	if (p->next < p->n && (nkeys == 1 ? same1(p, p->next, k) : same(p, p->next, k, nkeys))) {
		j = (long)p->next;
	} else if (p->n) {
		if (!pack(&p->scratch, &len, &p->scratchcap, k, nkeys) ||
		    (!p->slot && index_build(p))) {
			*err = -ENOMEM;
			return NULL;
		}
		for (s = bytes_hash(p->scratch, len) & p->mask; p->slot[s]; s = (s + 1) & p->mask)
			if (same(p, p->slot[s] - 1, k, nkeys)) {
				j = (long)p->slot[s] - 1;
				break;
			}
	}
	if (j == (long)p->asked && p->same == p->asked)
		p->same++;
	p->asked++;
	if (j < 0)
		return NULL;
	p->next = (size_t)j + 1;
	return p->vals + (size_t)j * p->nvals;
}

/**
 * ft_hist_past_release() - free what a record holds
 * @p: the record; zeroed, ready for ft_hist_past_take() again
 */
void ft_hist_past_release(struct ft_hist_past *p)
{
	ft_hist_free(p->meta);
	free(p->keys);
	free(p->off);
	free(p->vals);
	free(p->slot);
	free(p->scratch);
	memset(p, 0, sizeof(*p));
}
