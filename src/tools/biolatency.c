// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig biolatency: a log2 histogram of block I/O latency in bcc biolatency's layout, from
 * a request's issue to the driver (block:block_rq_issue) to its completion
 * (block:block_rq_complete). A completion runs in an interrupt, on any CPU and in any
 * thread, so start and end are paired by the request's (dev, sector), as bcc pairs them on
 * these tracepoints, not by thread: the histogram service's latency matched on fields, a
 * synthetic event fed by onmatch on hist triggers, a BPF map of pending starts on BPF.
 * -Q times from the request's start instead: block:block_io_start (6.5+; every request
 * made from a bio, as bcc takes it), else block:block_rq_insert (into an I/O scheduler's
 * queue: a disk without one, "none", issues its requests directly and they are not timed).
 * -D keys the histogram by the completion's dev (a histogram per disk, named through
 * sysfs), -F by its rwbs (the kernel's I/O flags letters), -m counts milliseconds.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "hist/hist.h"
#include "json.h"
#include "log.h"
#include "session.h"
#include "tfs.h"
#include "tools/tools.h"

#define SYSFS "/sys"
#define END "block:block_rq_complete"

/**
 * struct bl_group - one histogram of the output: a disk's (-D), a set of flags' (-F), or all
 * @dev: the disk (-D)
 * @flags: the rwbs letters (-F)
 * @c: its count per log2 bucket
 * @max: its last bucket with a count
 * @total: its count
 * @name: what its title names: the disk's name (or MAJOR:MINOR), the flags
 */
struct bl_group {
	uint64_t dev;
	const char *flags;
	uint64_t c[FT_TOOL_LOG2_MAX];
	unsigned max;
	uint64_t total;
	char name[64];
};

/* The start event: the issue, or with -Q the request's start (see the top of the file). */
static const char *start_event(struct ft_tool_run *r, const struct ft_tool_opts *o)
{
	if (!o->queued)
		return "block:block_rq_issue";
	if (ft_tfs_event_exists(r->s->tfs, NULL, "block", "block_io_start", NULL))
		return "block:block_io_start";
	/* said, since a disk of this kernel without an I/O scheduler would show nothing */
	ft_info("-Q: no block:block_io_start in this kernel (6.5+); timing from "
		"block:block_rq_insert, which the requests of a disk without an I/O scheduler "
		"(none in /sys/block/DISK/queue/scheduler) skip");
	return "block:block_rq_insert";
}

static int spec_words(struct ft_tool_spec *s, const char *start, const struct ft_tool_opts *o,
		      uint64_t disk)
{
	int ret = ft_tool_word(s, "--latency") ?: ft_tool_word(s, "%s,%s", start, END) ?:
		  ft_tool_word(s, "--match") ?: ft_tool_word(s, "dev,sector");

	if (!ret && o->per_disk)
		ret = ft_tool_word(s, "--key") ?: ft_tool_word(s, "dev");
	if (!ret && o->per_flags)
		ret = ft_tool_word(s, "--key") ?: ft_tool_word(s, "rwbs");
	/* milliseconds: linear buckets of 1000 us give floor(us / 1000) exactly, whose log2
	 * bucket is taken here (both backends key lat in whole microseconds) */
	ret = ret ?: ft_tool_word(s, "--key") ?:
		      ft_tool_word(s, "%s", o->msecs ? "lat.buckets=1000" : "lat.log2");
	if (!ret && o->disk)
		ret = ft_tool_word(s, "--filter") ?: ft_tool_word(s, "dev == %" PRIu64, disk);
	return ret;
}

/* The column of key @name in @h, or -1. */
static int key_col(const struct ft_hist *h, const char *name)
{
	for (size_t k = 0; k < h->nkeys; k++)
		if (!strcmp(h->keys[k].name, name))
			return (int)k;
	return -1;
}

/* The group of entry @en (found or added to @g, of @n so far), by its dev and flags. */
static struct bl_group *group_of(struct bl_group *g, size_t *n, const struct ft_hist_entry *en,
				 int dev, int flags)
{
	uint64_t d = dev >= 0 ? en->keys[dev].num : 0;
	const char *f = flags >= 0 && en->keys[flags].str ? en->keys[flags].str : "";
	size_t i;

	for (i = 0; i < *n && (g[i].dev != d || strcmp(g[i].flags, f)); i++)
		;
	if (i == *n) {
		memset(&g[i], 0, sizeof(g[i]));
		g[i].dev = d;
		g[i].flags = f;
		if (dev >= 0)
			ft_tool_disk_name(SYSFS, d, g[i].name, sizeof(g[i].name));
		else
			snprintf(g[i].name, sizeof(g[i].name), "%s", f);
		(*n)++;
	}
	return &g[i];
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct bl_group *)a)->name, ((const struct bl_group *)b)->name);
}

/* The rows of @h summed into histograms, one per disk or flags or one in all; sorted by
 * name. Returns how many, at least 1, or 0 when out of memory. */
static size_t collect(const struct ft_hist *h, struct bl_group **out)
{
	int lat = key_col(h, "lat"), dev = key_col(h, "dev"), flags = key_col(h, "rwbs");
	struct bl_group *g = calloc(h->nentries + 1, sizeof(*g));
	size_t n = 0;

	*out = g;
	if (!g)
		return 0;
	for (size_t e = 0; lat >= 0 && e < h->nentries; e++) {
		const struct ft_hist_entry *en = &h->entries[e];
		const struct ft_key *k = &en->keys[lat];
		uint64_t v = ft_tool_count(h, en);
		struct bl_group *gr;
		unsigned b;

		if (!v)
			continue;
		/* lat.buckets=1000 (-m): the key is floor(us / 1000) * 1000 */
		b = k->kind == FT_KEY_LOG2 ? (unsigned)k->num : ft_tool_log2_of(k->num / 1000);
		if (b >= FT_TOOL_LOG2_MAX)
			b = FT_TOOL_LOG2_MAX - 1;
		gr = group_of(g, &n, en, dev, flags);
		gr->c[b] += v;
		gr->total += v;
		if (b > gr->max)
			gr->max = b;
	}
	if (!n)
		n = 1; /* nothing counted: one empty histogram, as bcc prints its header */
	qsort(g, n, sizeof(*g), by_name);
	return n;
}

static void print_json(const struct bl_group *g, size_t n, const struct ft_tool_opts *o)
{
	const char *label = o->per_disk ? "disk" : "flags";
	uint64_t total = 0;
	struct ft_json j;

	for (size_t i = 0; i < n; i++)
		total += g[i].total;
	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_uint(&j, "time", (uint64_t)time(NULL));
	ft_json_str(&j, "unit", o->msecs ? "msecs" : "usecs");
	ft_json_uint(&j, "count", total);
	if (!o->per_disk && !o->per_flags) {
		ft_tool_log2_json(&j, g[0].c, g[0].max, g[0].total);
	} else {
		ft_json_begin_arr(&j, o->per_disk ? "disks" : "flags");
		for (size_t i = 0; i < n && total; i++) {
			ft_json_begin_obj(&j, NULL);
			ft_json_str(&j, label, g[i].name);
			ft_json_uint(&j, "count", g[i].total);
			ft_tool_log2_json(&j, g[i].c, g[i].max, g[i].total);
			ft_json_end(&j, '}');
		}
		ft_json_end(&j, ']');
	}
	ft_json_end(&j, '}');
	printf("\n");
}

/* bcc's layout: one histogram, or with -D / -F one per disk ("disk = vda") or flags. */
static int print(struct ft_hist *const *h, size_t n, const struct ft_tool_opts *o, void *data)
{
	struct bl_group *g = NULL;
	size_t k;

	(void)data;
	if (!n || !h[0])
		return 0;
	k = collect(h[0], &g);
	if (!k)
		return -ENOMEM;
	if (o->json) {
		print_json(g, k, o);
		free(g);
		return 0;
	}
	printf("\n");
	ft_tool_stamp(o, stdout);
	for (size_t i = 0, shown = 0; i < k; i++) {
		if (o->per_disk || o->per_flags) {
			if (!g[i].total)
				continue;
			printf("%s%s = %s\n", shown++ ? "\n" : "", o->per_disk ? "disk" : "flags",
			       g[i].name);
		}
		ft_tool_log2_print(o->msecs ? "msecs" : "usecs", g[i].c, g[i].max);
	}
	free(g);
	return 0;
}

/* --disk's dev, before anything is made; FT_EXIT_USAGE after saying why. */
static int disk_dev(const struct ft_cmd *cmd, const struct ft_tool_opts *o, uint64_t *dev)
{
	int ret;

	if (!o->disk)
		return 0;
	ret = ft_tool_disk_dev(SYSFS, o->disk, dev);
	if (ret)
		return ft_usage_error(cmd,
				      "--disk '%s': no such block device here (%s); the names "
				      "are those of " SYSFS "/class/block (lsblk lists them)",
				      o->disk, strerror(-ret));
	return 0;
}

/**
 * ft_tool_biolatency() - `ftrig biolatency [-D | -F] [-Q] [-m] [--disk NAME]`
 * @cmd: its row
 * @o: its options
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_biolatency(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	struct ft_tool_spec sp = { 0 };
	struct ft_tool_run r;
	uint64_t disk = 0;
	int ret;

	if (o->per_disk && o->per_flags)
		return ft_usage_error(cmd, "-D and -F: one histogram per disk or per flags, not "
					   "both (as bcc); --disk NAME with -F for one disk's");
	if (disk_dev(cmd, o, &disk))
		return FT_EXIT_USAGE;
	ret = ft_tool_begin(&r, o);
	if (!ret)
		ret = spec_words(&sp, start_event(&r, o), o, disk);
	if (!ret && o->live)
		ret = ft_tool_live(cmd, &sp, 1, r.be) ? -EINVAL : 0;
	else if (!ret)
		ret = ft_tool_add(&r, &sp, o);
	if (!ret && !o->live) {
		ft_tool_ready(o, "Tracing block device I/O... Hit Ctrl-C to end.");
		ret = ft_tool_loop(&r, o, print, NULL);
	}
	if (r.s && ft_tool_end(&r))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
