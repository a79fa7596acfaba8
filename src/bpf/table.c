// SPDX-License-Identifier: GPL-2.0-only
/*
 * An aggregation's table as user space sees it: its slots array mapped into memory. The
 * program hands slots out in order (ctl's FT_BPF_CTL_NEXT counts them), writes the key and
 * the creator once, then only adds to the counts; so reading the table is reading the first
 * slots handed out, with no system call per entry. A live view reads it every second: the
 * kernel's batch lookup of a hash map cost more than the rest of its work together.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf/table.h"
#include "config.h"

/**
 * ft_bpf_table_rows() - the entries of a mapped table (pure)
 * @t: the table
 * @used: slots handed out (ctl's FT_BPF_CTL_NEXT; more than the table holds when it is
 *        full)
 * @rows: set to the entries, at most @t->cap; their keys point into the mapping
 * @hits: set to the entries' hits summed (the kernel's Hits, but for drops)
 *
 * A slot without hits is skipped: it was given up to another CPU that indexed the same key
 * first, or its first count is about to land.
 *
 * Return: how many rows were set.
 */
size_t ft_bpf_table_rows(const struct ft_bpf_table *t, uint64_t used, struct ft_bpf_row *rows,
			 uint64_t *hits)
{
	size_t n = 0, end = used < t->cap ? (size_t)used : t->cap;

	*hits = 0;
	for (size_t i = 0; i < end; i++) {
		const unsigned char *slot = t->base + i * t->stride;
		const struct ft_bpf_val *v = (const void *)slot;

		if (!v->hits)
			continue;
		memcpy(&rows[n].val, v, sizeof(*v));
		*hits += rows[n].val.hits;
		rows[n++].key = slot + sizeof(*v);
	}
	return n;
}

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>

/**
 * ft_bpf_table_map() - map the slots of a table
 * @fd: the slots map
 * @cap: the table's size (entries)
 * @ksize: its packed key size
 * @prot: PROT_READ, or PROT_READ | PROT_WRITE to clear it
 * @t: set to the mapping; undo with ft_bpf_table_unmap()
 *
 * The map must be what a plan of @cap entries and @ksize-byte keys loads: one pinned by
 * another ftrig build is refused rather than read past its end.
 *
 * Return: 0, -EPROTO when the map is not of that shape, or -errno.
 */
int ft_bpf_table_map(int fd, uint32_t cap, uint32_t ksize, int prot, struct ft_bpf_table *t)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);
	long page = sysconf(_SC_PAGESIZE);

	*t = (struct ft_bpf_table){ 0 };
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_ARRAY || !(info.map_flags & BPF_F_MMAPABLE) ||
	    info.max_entries != cap || info.value_size != FT_BPF_SLOT(ksize) || page <= 0)
		return -EPROTO;
	t->stride = FT_BPF_SLOT(ksize);
	t->cap = cap;
	t->len = (t->stride * cap + (size_t)page - 1) / (size_t)page * (size_t)page;
	t->base = mmap(NULL, t->len, prot, MAP_SHARED, fd, 0);
	if (t->base == MAP_FAILED) {
		t->base = NULL;
		return -errno;
	}
	return 0;
}

/**
 * ft_bpf_table_unmap() - undo ft_bpf_table_map(); an unmapped table is allowed
 * @t: the table
 */
void ft_bpf_table_unmap(struct ft_bpf_table *t)
{
	if (t->base)
		munmap(t->base, t->len);
	*t = (struct ft_bpf_table){ 0 };
}

/**
 * ft_bpf_table_window() - map a window of a table's slots, to read
 * @fd: the slots map
 * @stride: bytes per slot
 * @first: the window's first slot
 * @n: its slots (@first + @n at most the table's size)
 * @prot: PROT_READ, or PROT_READ | PROT_WRITE to empty it (a rotating aggregation's turn)
 * @w: set to the mapping, whole pages (undo with ft_bpf_table_unmap()); its @cap is @n
 * @skip: set to where slot @first starts in it
 *
 * The kernel maps every page of a mapping of the table at once, and they count in the
 * process's memory as long as it lasts: a live view that maps a window at a time holds one
 * window's pages, not 9 MB of a 131,072-entry table (#21).
 *
 * Return: 0 or -errno.
 */
int ft_bpf_table_window(int fd, size_t stride, size_t first, size_t n, int prot,
			struct ft_bpf_table *w, size_t *skip)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t off = first * stride, start, end = (first + n) * stride;

	*w = (struct ft_bpf_table){ 0 };
	if (page <= 0)
		return -EINVAL;
	start = off / (size_t)page * (size_t)page;
	w->len = (end - start + (size_t)page - 1) / (size_t)page * (size_t)page;
	w->base = mmap(NULL, w->len, prot, MAP_SHARED, fd, (off_t)start);
	if (w->base == MAP_FAILED) {
		*w = (struct ft_bpf_table){ 0 };
		return -errno;
	}
	w->stride = stride;
	w->cap = (uint32_t)n;
	*skip = off - start;
	return 0;
}

/* Keys per batch: the batch is copied to the kernel and back, so its size bounds memory. */
#define DELETE_CHUNK 256
/* The kernel's "operation not supported" (ENOTSUPP), which errno.h does not have. */
#define KERNEL_ENOTSUPP 524

/*
 * Delete @n keys of @klen bytes at @keys from the index @fd: by batches (one system call for
 * many keys) where the kernel has them, else one by one (@batch is then cleared for the next
 * chunks). The kernel stops a batch at the first key it cannot delete and reports how many
 * it did: that key is skipped, as the one-by-one loop ignores a failure.
 */
static void delete_keys(int fd, const unsigned char *keys, uint32_t n, uint32_t klen, bool *batch)
{
	uint32_t done = 0;

	while (*batch && done < n) {
		uint32_t count = n - done;

		if (!bpf_map_delete_batch(fd, keys + (size_t)done * klen, &count, NULL))
			return;
		/* Before 5.6 the command is unknown (EINVAL); some maps lack it (ENOTSUPP). */
		if (!count && errno != ENOENT &&
		    (errno == EINVAL || errno == KERNEL_ENOTSUPP || errno == EOPNOTSUPP)) {
			*batch = false;
			break;
		}
		done += count + 1;
	}
	for (; done < n; done++)
		bpf_map_delete_elem(fd, keys + (size_t)done * klen);
}

/**
 * ft_bpf_table_empty() - unindex and zero the first slots of a table nothing counts into
 * @t: the table, mapped writable
 * @fd_index: the index map (slot_of) whose keys name the slots
 * @used: slots handed out (more than @t->cap when the table is full)
 * @ksize: the packed key's size
 * @gen: a rotating aggregation's table number, which ends its index keys; NULL for none
 *
 * Every slot handed out is unindexed, counted or given up: a given-up slot's key is indexed
 * by the slot that won, so deleting it the second time finds nothing, which is fine. The
 * caller makes sure no program counts into the table (paused and waited for, or turned).
 *
 * Return: 0 or -ENOMEM (then nothing was changed).
 */
int ft_bpf_table_empty(const struct ft_bpf_table *t, int fd_index, uint64_t used, uint32_t ksize,
		       const uint64_t *gen)
{
	size_t end = used < t->cap ? (size_t)used : t->cap;
	uint32_t klen = ksize + (gen ? (uint32_t)sizeof(*gen) : 0);
	unsigned char *keys = malloc((size_t)DELETE_CHUNK * klen);
	bool batch = true;

	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < end;) {
		uint32_t n = 0;

		for (; i < end && n < DELETE_CHUNK; i++, n++) {
			unsigned char *k = keys + (size_t)n * klen;

			memcpy(k, t->base + i * t->stride + sizeof(struct ft_bpf_val), ksize);
			if (gen)
				memcpy(k + ksize, gen, sizeof(*gen));
		}
		delete_keys(fd_index, keys, n, klen, &batch);
	}
	free(keys);
	memset(t->base, 0, end * t->stride);
	return 0;
}
#endif
