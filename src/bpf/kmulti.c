// SPDX-License-Identifier: GPL-2.0-only
/*
 * funccount's kernel side on kernels with BPF kprobe-multi (5.18 on, CONFIG_FPROBE): the
 * counter of kmulti.bpf.c attached by ONE link to every function of a glob, read as an
 * ft_source whose table is keyed by the function's name. No kprobe event is made: nothing is
 * written to tracefs, and the program, its link and its map are held by this process's
 * descriptors only, so the kernel drops them when the process ends, however it ends; nothing
 * is pinned or journaled because nothing could outlive it.
 *
 * Whether the kernel can is found by trying: the load and the attach are the detection (a
 * kernel version says nothing about CONFIG_FPROBE, which Debian's 6.1 lacks). Where it
 * cannot, -EOPNOTSUPP tells the caller to count with one kprobe event per function instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/kmulti-src.h"
#include "config.h"

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/loaded.h"
#include "hist/hist.h"
#include "log.h"
#include "source.h"
/* After kmulti.h, whose configuration the skeleton names. */
#include "bpf/kmulti.h"
#include "kmulti.skel.h"

/**
 * struct kmulti - a loaded and attached counter, as a source
 * @src: the source (first: the engine frees it through it)
 * @skel: the program and its map
 * @link: the one attachment
 * @funcs: the functions, by slot (the caller's; they outlive the source)
 * @n: how many
 * @ncpus: possible CPUs (a per-CPU map's value has one count each)
 * @percpu: room for one slot's per-CPU counts
 */
struct kmulti {
	struct ft_source src;
	struct ft_kmulti *skel;
	struct bpf_link *link;
	char *const *funcs;
	size_t n;
	int ncpus;
	__u64 *percpu;
};

/* The counts as a table keyed by function: one string key, the hitcount. */
static int snapshot(struct ft_source *src, struct ft_hist **out)
{
	struct kmulti *k = (struct kmulti *)src;
	int fd = bpf_map__fd(k->skel->maps.counts);
	struct ft_hist *h = ft_hist_alloc("kprobe.multi", "", "bpf");

	if (!h)
		return -ENOMEM;
	h->nkeys = 1;
	h->keys[0] = (struct ft_hist_col){ .name = "func", .modifier = "", .kind = FT_KEY_STR };
	h->nvals = 1;
	h->vals[0] = (struct ft_hist_col){ .name = "hitcount", .modifier = "", .shown = true };
	for (__u32 i = 0; i < k->n; i++) {
		struct ft_hist_entry *e;
		__u64 sum = 0;

		if (bpf_map_lookup_elem(fd, &i, k->percpu)) {
			int ret = -errno;

			ft_hist_free(h);
			return ret;
		}
		for (int c = 0; c < k->ncpus; c++)
			sum += k->percpu[c];
		if (!sum)
			continue;
		e = ft_hist_add_entry(h);
		if (!e || !(e->keys[0].str = ft_hist_strdup(h, k->funcs[i]))) {
			ft_hist_free(h);
			return -ENOMEM;
		}
		e->keys[0].kind = FT_KEY_STR;
		e->vals[0] = sum;
		h->hits += sum;
	}
	h->nentries_total = h->nentries;
	*out = h;
	return 0;
}

static void destroy(struct ft_source *src)
{
	struct kmulti *k = (struct kmulti *)src;

	bpf_link__destroy(k->link);
	ft_kmulti__destroy(k->skel);
	free(k->percpu);
	free(k->src.label);
	free(k);
}

static const struct ft_source_ops kmulti_ops = {
	.backend = "bpf",
	.snapshot = snapshot,
	.destroy = destroy,
};

/* Open and load the counter with @o's filters, one slot per function. */
static int load(struct kmulti *k, const struct ft_kmulti_opts *o)
{
	struct ft_kmulti_cfg *cfg;
	int ret;

	k->skel = ft_kmulti__open();
	if (!k->skel)
		return -errno;
	cfg = (struct ft_kmulti_cfg *)&k->skel->rodata->cfg;
	cfg->tid = (__u32)o->tid;
	if (o->comm) {
		cfg->has_comm = 1;
		snprintf(cfg->comm, sizeof(cfg->comm), "%s", o->comm);
	}
	ret = bpf_map__set_max_entries(k->skel->maps.counts, (__u32)o->n);
	return ret ?: ft_kmulti__load(k->skel);
}

/* Attach to every function at once, each with its slot as the cookie. */
static int attach(struct kmulti *k, const struct ft_kmulti_opts *o)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, mo, .syms = (const char **)o->funcs, .cnt = o->n);
	__u64 *cookies = calloc(o->n, sizeof(*cookies));
	int ret = 0;

	if (!cookies)
		return -ENOMEM;
	for (size_t i = 0; i < o->n; i++)
		cookies[i] = i;
	mo.cookies = cookies;
	k->link = bpf_program__attach_kprobe_multi_opts(k->skel->progs.kmulti_count, NULL, &mo);
	if (!k->link)
		ret = -errno;
	free(cookies);
	return ret;
}

/*
 * Why a load or attach failed, when it is not simply that the kernel has no kprobe-multi (or
 * that BPF needs root, which the per-event path says as it says it for every tool).
 */
static int settle(int ret, const char *what, const struct ft_kmulti_opts *o)
{
	if (ret == -EOPNOTSUPP || ret == -EINVAL || ret == -ENOSYS || ret == -EPERM ||
	    ret == -EACCES) {
		ft_dbg("no BPF kprobe-multi here (%s: %s): one kprobe event per function", what,
		       strerror(-ret));
		return -EOPNOTSUPP;
	}
	ft_warn("cannot %s kprobe-multi for '%s' (%zu functions): %s; counting with one kprobe "
		"event per function instead",
		what, o->title, o->n, strerror(-ret));
	return -EOPNOTSUPP;
}

/**
 * ft_bpf_kmulti_source() - count calls of kernel functions with one kprobe-multi link
 * @o: the functions and the filters; @o->funcs must outlive the source
 * @out: set to the source (its table: key "func", a string; value hitcount), freed by
 *       ft_source_destroy(), which detaches it
 *
 * Return: 0; -EOPNOTSUPP when this kernel (or this build) cannot attach a kprobe-multi
 * program to these functions, said as a debug line or, when unexpected, a warning: the
 * caller counts them with one kprobe event each instead; or -ENOMEM.
 */
int ft_bpf_kmulti_source(const struct ft_kmulti_opts *o, struct ft_source **out)
{
	struct kmulti *k = calloc(1, sizeof(*k));
	int ret;

	if (!k)
		return -ENOMEM;
	ft_bpf_log_init();
	k->src.ops = &kmulti_ops;
	k->funcs = o->funcs;
	k->n = o->n;
	k->ncpus = libbpf_num_possible_cpus();
	k->percpu = k->ncpus > 0 ? calloc((size_t)k->ncpus, sizeof(*k->percpu)) : NULL;
	if (!k->percpu || asprintf(&k->src.label, "%s (kprobe-multi, bpf)", o->title) < 0) {
		k->src.label = NULL;
		destroy(&k->src);
		return -ENOMEM;
	}
	ret = o->n ? 0 : -EINVAL;
	if (!ret && (ret = load(k, o)))
		ret = settle(ret, "load", o);
	else if (!ret && (ret = attach(k, o)))
		ret = settle(ret, "attach", o);
	if (ret) {
		destroy(&k->src);
		return ret;
	}
	ft_dbg("kprobe-multi: one BPF link on %zu functions of '%s'", o->n, o->title);
	*out = &k->src;
	return 0;
}

#else
/**
 * ft_bpf_kmulti_source() - without the BPF backend: never (see the build with it)
 * @o: unused
 * @out: unused
 *
 * Return: -EOPNOTSUPP.
 */
int ft_bpf_kmulti_source(const struct ft_kmulti_opts *o, struct ft_source **out)
{
	(void)o;
	(void)out;
	return -EOPNOTSUPP;
}
#endif
