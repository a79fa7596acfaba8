// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF backend's kernel side: load the generic aggregator with a plan's configuration,
 * attach it to events by their tracefs id (perf_event_open + a BPF perf link), read its maps
 * into ft_hist, pin it under bpffs so that it outlives the command, reopen and remove pins.
 *
 * A temporary aggregation holds its programs, links and maps only through this process's
 * file descriptors, so it dies with the process whatever way it exits. A pinned one is
 * journaled in the ledger before anything is pinned; undoing the record unpins it.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "config.h"
#include "bpf/ftbpf.h"
#include "format.h"
#include "hist/spec.h"
#include "kfeat.h"
#include "ledger.h"
#include "log.h"
#include "tfs.h"
#include "util.h"

#define BPFFS_MAGIC 0xcafe4a11 /* linux/magic.h BPF_FS_MAGIC */

/* An event's format; none (NULL) for a plain probe, which has no tracefs event. */
static int read_format(struct ft_tfs *tfs, const char *sys, const char *ev,
		       struct ft_event_format **fmt, char *err, size_t errsize)
{
	char *text;
	int ret;

	*fmt = NULL;
	if (!strcmp(sys, "kprobe") || !strcmp(sys, "kretprobe"))
		return 0;
	text = ft_tfs_event_read(tfs, NULL, sys, ev, "format", NULL);
	if (!text) {
		ret = -errno;
		snprintf(err, errsize, "no event %s:%s in %s (%s)", sys, ev, ft_tfs_dir(tfs),
			 strerror(-ret));
		return ret;
	}
	ret = ft_format_parse(sys, text, fmt);
	free(text);
	/* Where a probe's fields come from: BPF reads those fetched from registers (CMD-5). */
	for (int i = 0; !ret && ft_bpf_is_probe_event(*fmt) && !(*fmt)->probe_def && i < 3; i++) {
		static const char *const lists[] = { "dynamic_events", "uprobe_events",
						     "kprobe_events" };

		text = ft_tfs_read(tfs, NULL, lists[i], NULL);
		(*fmt)->probe_def = text ? ft_bpf_probe_def(text, sys, ev) : NULL;
		free(text);
	}
	if (ret)
		snprintf(err, errsize, "cannot parse the format of %s:%s: %s", sys, ev,
			 strerror(-ret));
	return ret;
}

/**
 * struct formats - the formats of the events of a request
 * @a: program A's events: the event, the further ones, or the latency start event
 * @n: how many
 * @b: latency mode: the end event's, else NULL
 */
struct formats {
	struct ft_event_format **a;
	size_t n;
	struct ft_event_format *b;
};

static void formats_free(struct formats *f)
{
	for (size_t i = 0; i < f->n; i++)
		ft_format_free(f->a[i]);
	free(f->a);
	ft_format_free(f->b);
	*f = (struct formats){ 0 };
}

/* An event known by name only (id -1, no fields), after checking that it exists. */
static int name_only(struct ft_tfs *tfs, const struct ft_hist_event *e,
		     struct ft_event_format **fmt, char *err, size_t errsize)
{
	if (!ft_tfs_event_exists(tfs, NULL, e->system, e->event, NULL)) {
		snprintf(err, errsize, "no event %s:%s in %s", e->system, e->event,
			 ft_tfs_dir(tfs));
		return -ENOENT;
	}
	*fmt = calloc(1, sizeof(**fmt));
	if (*fmt) {
		(*fmt)->system = strdup(e->system);
		(*fmt)->name = strdup(e->event);
		(*fmt)->id = -1;
	}
	return *fmt && (*fmt)->system && (*fmt)->name ? 0 : -ENOMEM;
}

/*
 * Whether this kernel has hist triggers, for advice (CMD-5): the event's trigger file lists
 * them while it has no trigger, the README documents them while the kernel has them.
 */
static bool hist_here(struct ft_tfs *tfs, const char *sys, const char *ev)
{
	char rel[PATH_MAX], avail[256], *text;
	bool has = false;

	snprintf(rel, sizeof(rel), "events/%s/%s/trigger", sys, ev);
	text = ft_tfs_read(tfs, NULL, rel, NULL);
	if (text && !ft_parse_available_triggers(text, avail, sizeof(avail))) {
		snprintf(rel, sizeof(rel), " %s ", avail);
		has = strstr(rel, " hist ") != NULL;
	} else {
		free(text);
		text = ft_tfs_read(tfs, NULL, "README", NULL);
		has = text && strstr(text, "hist trigger");
	}
	free(text);
	return has;
}

/* The plan of @spec, checked against every event it names; @f gets their formats. With
 * @raw, syscall events whose layout the raw gate knows are only checked to exist. */
static int plan_for(struct ft_tfs *tfs, const struct ft_hist_spec *spec, struct ft_bpf_plan *plan,
		    bool raw, struct formats *f, char *err, size_t errsize)
{
	bool hist = hist_here(tfs, spec->system, spec->event);
	int ret;

	*f = (struct formats){ .a = calloc(spec->nmore + 1, sizeof(*f->a)) };
	if (!f->a)
		return -ENOMEM;
	ret = read_format(tfs, spec->system, spec->event, &f->a[f->n++], err, errsize);
	if (!ret && spec->end_event)
		ret = read_format(tfs, spec->end_system ? spec->end_system : spec->system,
				  spec->end_event, &f->b, err, errsize);
	if (!ret)
		ret = ft_bpf_plan_make(spec, f->a[0], f->b, hist, plan, err, errsize);
	for (size_t i = 0; !ret && i < spec->nmore; i++) {
		const struct ft_hist_event *e = &spec->more[i];

		if (raw && ft_bpf_raw_layout_known(plan, f->a[0], e->system, e->event)) {
			ret = name_only(tfs, e, &f->a[f->n++], err, errsize);
			continue;
		}
		ret = read_format(tfs, e->system, e->event, &f->a[f->n++], err, errsize);
		if (!ret && !f->a[f->n - 1])
			ret = -EINVAL,
			snprintf(err, errsize, "plain probes cannot join an aggregation");
	}
	if (!ret && f->n > 1)
		ret = ft_bpf_plan_fit_all(spec, hist, plan, f->a, &f->n, f->b, err, errsize);
	if (!ret)
		plan->nevents = (uint32_t)f->n;
	return ret;
}

/**
 * ft_bpf_spec_check() - whether the BPF backend can count a spec here, without loading
 * @tfs: tracefs, where the events' formats are read
 * @spec: the request
 * @plan: set to the plan when it can; may be NULL
 * @err: set to the reason when it cannot (what `--backend auto` weighs, and shows)
 * @errsize: size of @err
 *
 * Checks the events and the spec only; whether this kernel loads BPF at all is
 * ft_bpf_usable()'s question.
 *
 * Return: 0, -EOPNOTSUPP when ftrig was built without the backend, or -errno.
 */
int ft_bpf_spec_check(struct ft_tfs *tfs, const struct ft_hist_spec *spec, struct ft_bpf_plan *plan,
		      char *err, size_t errsize)
{
	struct ft_bpf_plan own;
	struct formats f;
	int ret;

	if (!HAVE_BPF_OBJECTS) {
		snprintf(err, errsize, "this ftrig was built without the BPF backend");
		return -EOPNOTSUPP;
	}
	ret = plan_for(tfs, spec, plan ? plan : &own, false, &f, err, errsize);
	formats_free(&f);
	return ret;
}

#if HAVE_BPF_OBJECTS
#include <linux/perf_event.h>
#include <pthread.h>
#include <linux/membarrier.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agg.skel.h"
#include "agg_small.skel.h"
#include "bpf/agg-int.h"
#include "bpf/ksym.h"
#include "bpf/usym.h"
#include "source.h"

#define VLOG_SIZE (256 * 1024)

static int libbpf_to_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t len;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	/* libbpf starts its messages with its name */
	ft_dbg("%s%s", strncmp(buf, "libbpf: ", 8) ? "libbpf: " : "", buf);
	return 0;
}

static void load_error(struct ft_bpf_agg *a, int ret, bool hist_can)
{
	char event[2 * FT_BPF_TEXT + 2], msg[512];

	snprintf(event, sizeof(event), "%s:%s", a->plan.system, a->plan.event);
	ft_err("%s",
	       ft_bpf_load_msg(ret, a->vlog, event, geteuid() == 0, hist_can, msg, sizeof(msg)));
	if (a->vlog[0])
		ft_dbg("the verifier's last lines:\n%s", ft_bpf_vlog_tail(a->vlog, 12));
}

/* Program @which (0: A, 1: B), its raw tracepoint version when @raw. */
static struct bpf_program *prog_for(struct ft_bpf_agg *a, int which, bool raw)
{
	static const char *const names[2][3] = { { "tp_a", "kp_a", "raw_a" },
						 { "tp_b", "kp_b", "raw_b" } };
	uint8_t kind = which ? a->plan.attach_b : a->plan.attach_a;

	return bpf_object__find_program_by_name(a->obj,
						names[which][raw			    ? 2
							     : kind == FT_ATTACH_TRACEPOINT ? 0
											    : 1]);
}

/* The map @name of the loaded object (both builds have every map). */
static struct bpf_map *map_of(struct ft_bpf_agg *a, const char *name)
{
	return bpf_object__find_map_by_name(a->obj, name);
}

/* Which versions of programs A and B the events need (@use[which][raw]). */
static void programs_used(const struct ft_bpf_plan *pl, const struct formats *f, bool use[2][2])
{
	memset(use, 0, 2 * sizeof(use[0]));
	for (size_t i = 0; i < f->n; i++)
		use[0][ft_bpf_raw_route(pl, 0, f->a[i]) != FT_ROUTE_CLASSIC] = true;
	if (pl->cfg.latency)
		use[1][ft_bpf_raw_route(pl, 1, f->b) != FT_ROUTE_CLASSIC] = true;
}

/*
 * Open the aggregator's build that fits the plan (the small one when it can: it has fewer
 * instructions to verify) with the plan as its configuration.
 */
static int open_obj(struct ft_bpf_agg *a)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "ft_agg");
	bool small = ft_bpf_plan_small(&a->plan);
	size_t size;
	const void *elf = small ? ft_agg_small__elf_bytes(&size) : ft_agg__elf_bytes(&size);
	struct bpf_map *ro;

	a->obj = bpf_object__open_mem(elf, size, &opts);
	if (!a->obj)
		return -errno;
	ro = map_of(a, ".rodata");
	/* Its .rodata is the configuration alone (agg.bpf.c): a mismatch is a build error. */
	if (!ro || bpf_map__set_initial_value(ro, &a->plan.cfg, sizeof(a->plan.cfg))) {
		ft_err("ftrig's BPF aggregator does not match the configuration it was built with "
		       "(.rodata of %u bytes, expected %zu)",
		       ro ? bpf_map__value_size(ro) : 0, sizeof(a->plan.cfg));
		return -EPROTO;
	}
	ft_dbg("BPF aggregator: the %s build", small ? "small" : "full");
	return 0;
}

/* What the verifier walked for each loaded program, at debug verbosity (it is most of the
 * time to attach). */
static void show_verified(struct ft_bpf_agg *a)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, a->obj)
	{
		struct bpf_prog_info info = { 0 };
		uint32_t len = sizeof(info);

		if (bpf_program__fd(p) >= 0 &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			ft_dbg("BPF program %s: %zu instructions, %u verified",
			       bpf_program__name(p), bpf_program__insn_cnt(p), info.verified_insns);
	}
}

static int load(struct ft_bpf_agg *a, const struct formats *f, bool hist_can)
{
	bool rotate = a->plan.cfg.rotate;
	uint32_t tables = rotate ? 2 : 1;
	struct bpf_program *p;
	int ret = open_obj(a);

	if (ret) {
		if (ret != -EPROTO)
			load_error(a, ret, hist_can);
		return ret;
	}
	programs_used(&a->plan, f, a->used);
	bpf_object__for_each_program(p, a->obj)
	{
		bool on = false;

		for (int w = 0; w < 2; w++)
			for (int raw = 0; raw < 2; raw++)
				on |= a->used[w][raw] && p == prog_for(a, w, raw);
		bpf_program__set_autoload(p, on);
		bpf_program__set_log_buf(p, a->vlog, VLOG_SIZE);
	}
	bpf_map__set_max_entries(map_of(a, "slot_of"), tables * a->plan.size);
	bpf_map__set_key_size(map_of(a, "slot_of"), a->plan.cfg.ksize + (rotate ? 8 : 0));
	bpf_map__set_max_entries(map_of(a, "slots"), tables * a->plan.size);
	bpf_map__set_value_size(map_of(a, "slots"), FT_BPF_SLOT(a->plan.cfg.ksize));
	/* Maps the plan does not use keep one entry: creating them costs their memory. */
	if (!a->plan.cfg.latency)
		bpf_map__set_max_entries(map_of(a, "starts"), 1);
	if (!ft_bpf_plan_stacks(&a->plan))
		bpf_map__set_max_entries(map_of(a, "stacks"), 1);
	ret = bpf_object__load(a->obj);
	if (ret) {
		load_error(a, ret, hist_can);
		return ret;
	}
	show_verified(a);
	a->fd_index = bpf_map__fd(map_of(a, "slot_of"));
	a->fd_slots = bpf_map__fd(map_of(a, "slots"));
	a->fd_stats = bpf_map__fd(map_of(a, "stats"));
	a->fd_ctl = bpf_map__fd(map_of(a, "ctl"));
	a->fd_stacks = bpf_map__fd(map_of(a, "stacks"));
	/* Its reader empties the table it has read (cfg.rotate). */
	ret = ft_bpf_table_map(a->fd_slots, tables * a->plan.size, a->plan.cfg.ksize,
			       rotate ? PROT_READ | PROT_WRITE : PROT_READ, &a->table);
	if (ret)
		ft_err("cannot map the BPF aggregation's table: %s", strerror(-ret));
	if (!ret && rotate && !(a->acc = ft_bpf_accum_alloc(a->plan.cfg.ksize, a->plan.size)))
		ret = -ENOMEM;
	return ret;
}

/* One perf event on CPU 0 for all tasks suffices: a tracepoint (or trace_kprobe/uprobe)
 * runs the BPF programs attached to its event on every CPU. */
static int perf_event_by_id(int id)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = (uint64_t)id,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int open_by_id(const char *sys, const char *ev, const struct ft_event_format *fmt)
{
	int pfd = perf_event_by_id(fmt->id);

	if (pfd < 0)
		ft_err("cannot open %s:%s for BPF (perf_event_open: %s)%s", sys, ev, strerror(-pfd),
		       pfd == -EACCES || pfd == -EPERM ? "; it needs root (CAP_PERFMON)" : "");
	return pfd;
}

/* Attach @prog to one event (@fmt: its format, NULL for a plain probe; @raw: the raw
 * tracepoint's name for the raw kinds), its attachment tagged @tag (agg.h). */
static int attach(struct ft_bpf_agg *a, struct bpf_program *prog, uint8_t kind, const char *sys,
		  const char *ev, const struct ft_event_format *fmt, const char *raw, uint32_t tag)
{
	struct bpf_link **nl = realloc(a->links, (a->nlinks + 1) * sizeof(*nl));
	LIBBPF_OPTS(bpf_kprobe_opts, kopts, .bpf_cookie = tag,
		    .retprobe = kind == FT_ATTACH_KRETPROBE);
	LIBBPF_OPTS(bpf_perf_event_opts, popts, .bpf_cookie = tag);
	struct bpf_link *link;
	int pfd, ret;

	if (!nl)
		return -ENOMEM;
	a->links = nl;
	if (kind == FT_ATTACH_KPROBE || kind == FT_ATTACH_KRETPROBE) {
		link = bpf_program__attach_kprobe_opts(prog, ev, &kopts);
	} else if (kind == FT_ATTACH_RAW) {
		link = bpf_program__attach_raw_tracepoint(prog, raw);
		if (!link) {
			ret = -errno;
			/* No such raw tracepoint: the caller counts the classic way instead. */
			if (ret == -ENOENT)
				ft_dbg("%s:%s: no raw tracepoint %s", sys, ev, raw);
			else
				ft_err("cannot attach the BPF aggregator to %s:%s (raw tracepoint "
				       "%s): "
				       "%s",
				       sys, ev, raw, strerror(-ret));
			return ret;
		}
	} else {
		pfd = open_by_id(sys, ev, fmt);
		if (pfd < 0)
			return pfd;
		link = bpf_program__attach_perf_event_opts(prog, pfd, &popts);
		if (!link)
			close(pfd);
	}
	if (!link) {
		ret = -errno;
		ft_err("cannot attach the BPF aggregator to %s:%s: %s", sys, ev, strerror(-ret));
		return ret;
	}
	a->links[a->nlinks++] = link;
	return 0;
}

/* Attach program @which to its events: syscall events gated on raw_syscalls' raw tracepoint
 * share one attachment; every other event gets its own perf event (or kprobe). */
static int attach_prog(struct ft_bpf_agg *a, int which, const struct formats *f)
{
	const struct ft_bpf_plan *p = &a->plan;
	uint8_t kind = which ? p->attach_b : p->attach_a;
	bool gate_done = false;
	int ret = 0;

	for (size_t i = 0; !ret && i < (which ? 1 : f->n); i++) {
		const struct ft_event_format *fmt = which ? f->b : f->a[i];
		const char *sys = fmt ? fmt->system : which ? p->end_system : p->system;
		const char *ev = fmt ? fmt->name : which ? p->end_event : p->event;
		int route = ft_bpf_raw_route(p, which, fmt);

		if (route == FT_ROUTE_RAW_SYSCALL && gate_done)
			continue;
		gate_done |= route == FT_ROUTE_RAW_SYSCALL;
		ret = attach(a, prog_for(a, which, route != FT_ROUTE_CLASSIC),
			     route == FT_ROUTE_CLASSIC ? kind : FT_ATTACH_RAW, sys, ev, fmt,
			     route == FT_ROUTE_RAW_SYSCALL ? ft_bpf_raw_tp(p, which) : ev,
			     FT_TAG(which ? 0 : i, fmt && fmt->id > 0 ? fmt->id : 0));
	}
	return ret;
}

static void destroy_links(struct ft_bpf_agg *a);

static void unload(struct ft_bpf_agg *a)
{
	destroy_links(a);
	ft_bpf_table_unmap(&a->table);
	bpf_object__close(a->obj);
	a->obj = NULL;
	a->fd_index = a->fd_slots = a->fd_stats = a->fd_ctl = a->fd_stacks = -1;
}

static int load_attach(struct ft_bpf_agg *a, const struct formats *f, bool hist_can)
{
	int ret = load(a, f, hist_can);

	if (!ret)
		ret = attach_prog(a, 0, f);
	if (!ret && a->plan.cfg.latency)
		ret = attach_prog(a, 1, f);
	return ret;
}

/* The events of program A, when it counts several: pinned, they find the aggregation. */
static int keep_members(struct ft_bpf_agg *a, const struct formats *f)
{
	a->members = calloc(f->n, sizeof(*a->members));
	if (!a->members)
		return -ENOMEM;
	a->nmembers = f->n;
	for (size_t i = 0; i < f->n; i++) {
		a->members[i].system = strdup(f->a[i]->system);
		a->members[i].event = strdup(f->a[i]->name);
		if (!a->members[i].system || !a->members[i].event)
			return -ENOMEM;
	}
	return 0;
}

static void free_members(struct ft_bpf_agg *a)
{
	for (size_t i = 0; i < a->nmembers; i++) {
		free((char *)a->members[i].system);
		free((char *)a->members[i].event);
	}
	free(a->members);
}

static struct ft_bpf_agg *agg_alloc(void)
{
	struct ft_bpf_agg *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->vlog = calloc(1, VLOG_SIZE);
	if (!a->vlog) {
		free(a);
		return NULL;
	}
	a->fd_index = a->fd_slots = a->fd_stats = a->fd_ctl = a->fd_stacks = -1;
	return a;
}

/**
 * ft_bpf_agg_create() - load and attach an aggregation counting @spec
 * @tfs: tracefs, where the events' formats and ids are read
 * @spec: the request; its event (and end event, or further events) must exist
 * @hist_can: hist triggers are available here, so errors suggest them
 * @out: set to the aggregation, temporary until ft_bpf_agg_pin(); free with
 *       ft_bpf_agg_destroy()
 *
 * Errors are logged with ft_err() in words a user can act on (verifier details at debug).
 *
 * Return: 0 or -errno (-EINVAL for a spec the BPF backend cannot count).
 */
int ft_bpf_agg_create(struct ft_tfs *tfs, const struct ft_hist_spec *spec, bool hist_can,
		      struct ft_bpf_agg **out)
{
	struct ft_bpf_agg *a = agg_alloc();
	/* FTRIG_BPF_CLASSIC: every event on its classic tracepoint (to compare the two) */
	bool raw = !getenv("FTRIG_BPF_CLASSIC");
	struct formats f;
	char err[512];
	int ret;

	if (!a)
		return -ENOMEM;
	libbpf_set_print(libbpf_to_log);
	ret = plan_for(tfs, spec, &a->plan, raw, &f, err, sizeof(err));
	if (ret)
		ft_err("%s", err);
	if (!ret && raw)
		ft_bpf_plan_raw(&a->plan, (const struct ft_event_format *const *)f.a, f.n, f.b);
	if (!ret)
		ret = load_attach(a, &f, hist_can);
	/* No raw tracepoint to attach to: every event the classic way, formats read. */
	if (ret == -ENOENT && (ft_bpf_raw_tp(&a->plan, 0) || ft_bpf_raw_tp(&a->plan, 1))) {
		unload(a);
		formats_free(&f);
		ret = plan_for(tfs, spec, &a->plan, false, &f, err, sizeof(err));
		if (ret)
			ft_err("%s", err);
		else
			ret = load_attach(a, &f, hist_can);
	}
	if (!ret && f.n > 1)
		ret = keep_members(a, &f);
	formats_free(&f);
	if (ret) {
		ft_bpf_agg_destroy(a);
		return ret;
	}
	*out = a;
	return 0;
}

/*
 * Mount bpffs at the default place when nothing is mounted there. The mount is journaled
 * first, like every object ftrig makes, so that it goes with the last aggregation (SEC-12).
 */
static int ensure_bpffs(struct ft_ledger *l)
{
	struct statfs st;
	unsigned seq;
	int ret;

	if (getenv("FTRIG_BPFFS") && *getenv("FTRIG_BPFFS"))
		return 0;
	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPFFS_MAGIC)
		return 0;
	ret = ft_ledger_mount_announce(l, "bpffs", "/sys/fs/bpf", &seq);
	if (ret)
		return ret;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		ret = -errno;
		ft_err("cannot mount bpffs on /sys/fs/bpf: %s", strerror(-ret));
		ft_ledger_forget(l, seq);
		return ret;
	}
	ft_info("mounted bpffs on /sys/fs/bpf");
	return 0;
}

/* The pin directory, under a parent that a `hist rm` elsewhere may remove meanwhile. */
static int make_pin_dir(const char *parent, const char *dir)
{
	int ret = -ENOENT;

	for (int tries = 0; ret == -ENOENT && tries < 3; tries++) {
		ret = ft_mkdir_p(parent, 0700);
		if (!ret)
			ret = mkdir(dir, 0700) ? -errno : 0;
	}
	return ret;
}

static int pin_fd(int fd, const char *dir, const char *what)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, what);
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

/* The plan, in a one-entry array map pinned beside the counts: bpffs holds no files. */
static int pin_plan(struct ft_bpf_agg *a, const char *dir)
{
	uint32_t zero = 0;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ftrig_plan", sizeof(zero), sizeof(a->plan), 1,
				NULL);
	int ret;

	if (fd < 0)
		return -errno;
	ret = bpf_map_update_elem(fd, &zero, &a->plan, BPF_ANY) ? -errno : 0;
	if (!ret)
		ret = pin_fd(fd, dir, "plan");
	close(fd);
	return ret;
}

static int pin_all(struct ft_bpf_agg *a, const char *dir)
{
	static const char *const names[2][2] = { { "prog_a", "prog_a_raw" },
						 { "prog_b", "prog_b_raw" } };
	char what[32];
	int ret = 0;

	/* prog_a (prog_b) is the program, whichever version; _raw names the raw tracepoint's
	 * when both versions run. */
	for (int w = 0; w < 2; w++)
		for (int raw = 0; !ret && raw < 2; raw++)
			if (a->used[w][raw])
				ret = pin_fd(bpf_program__fd(prog_for(a, w, raw)), dir,
					     names[w][raw && a->used[w][0]]);
	for (size_t i = 0; !ret && i < a->nlinks; i++) {
		snprintf(what, sizeof(what), "link_%zu", i);
		ret = pin_fd(bpf_link__fd(a->links[i]), dir, what);
	}
	if (!ret)
		ret = pin_fd(a->fd_index, dir, "slot_of");
	if (!ret)
		ret = pin_fd(a->fd_slots, dir, "slots");
	if (!ret)
		ret = pin_fd(a->fd_stats, dir, "stats");
	if (!ret)
		ret = pin_fd(a->fd_ctl, dir, "ctl");
	if (!ret)
		ret = pin_fd(a->fd_stacks, dir, "stacks");
	if (!ret)
		ret = pin_fd(bpf_map__fd(map_of(a, "starts")), dir, "starts");
	if (!ret && a->nmembers > 1)
		ret = ft_bpf_members_pin(dir, a->members, a->nmembers);
	return ret ? ret : pin_plan(a, dir);
}

/*
 * The name is taken. When the ledger holds it and its pins do not open as an aggregation, a
 * `hist start` or `hist rm` was stopped half way (SEC-8): say how to get out.
 */
static int exists_already(struct ft_ledger *l, const char *name, const char *dir)
{
	const struct ft_journal *j = ft_ledger_objects(l);
	const struct ft_obj *ours = NULL;
	struct ft_bpf_agg *old;

	for (size_t i = 0; i < j->nobjs && !ours; i++)
		if (j->objs[i].kind == FT_OBJ_BPF && !strcmp(j->objs[i].text, dir))
			ours = &j->objs[i];
	if (ours && ft_bpf_agg_open_pinned(name, &old)) {
		ft_err("the BPF aggregation '%s' (%s) was left half pinned by an ftrig that was "
		       "stopped; remove it with 'ftrig hist rm %s:%s --name %s' and start again",
		       name, dir, ours->system, ours->event, name);
		return -EEXIST;
	}
	if (ours)
		ft_bpf_agg_destroy(old);
	ft_err("a BPF aggregation named '%s' exists already (%s)", name, dir);
	return -EEXIST;
}

/**
 * ft_bpf_agg_pin() - make an aggregation outlive this process
 * @a: an aggregation this process created
 * @l: the ledger to journal it in (the persistent one for `hist start`)
 * @name: its name; the pins go to /sys/fs/bpf/ftrig/NAME/ (bpffs is mounted when missing)
 *
 * Journals the pin directory first; on failure nothing stays pinned and the record is
 * forgotten. Programs, links, maps and the plan are pinned.
 *
 * Return: 0, -EEXIST when an aggregation of that name exists, or -errno.
 */
int ft_bpf_agg_pin(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name)
{
	char dir[PATH_MAX], parent[PATH_MAX];
	unsigned seq;
	int ret = ft_bpf_pin_dir(name, dir, sizeof(dir));

	/* Tables that take turns need their one reader: pinned, nobody reads them. */
	if (ret || !a->obj || a->plan.cfg.rotate)
		return ret ? ret : -EINVAL;
	ret = ensure_bpffs(l);
	if (ret)
		return ret;
	snprintf(parent, sizeof(parent), "%s/ftrig", ft_bpffs_root());
	if (!access(dir, F_OK))
		return exists_already(l, name, dir);
	snprintf(a->plan.name, sizeof(a->plan.name), "%s", name);
	ret = ft_ledger_bpf_announce(l, dir, a->plan.system, a->plan.event, &seq);
	if (ret)
		return ret;
	ret = make_pin_dir(parent, dir);
	if (!ret)
		ret = pin_all(a, dir);
	if (ret) {
		ft_err("cannot pin the BPF aggregation in %s: %s", dir, strerror(-ret));
		ft_bpf_unpin(dir);
		ft_ledger_forget(l, seq);
		return ret;
	}
	a->pinned = true;
	return 0;
}

static int get_pinned(const char *dir, const char *what, int *fd)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, what);
	*fd = bpf_obj_get(path);
	return *fd < 0 ? -errno : 0;
}

/*
 * The pinned plan into @a->plan. The kernel copies the whole map value: one pinned by an
 * ftrig whose plan has another size (another version, on a shared machine) would be written
 * past the struct, so its size is checked first.
 */
static int read_plan(struct ft_bpf_agg *a, int fd, const char *name)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info), zero = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.value_size != sizeof(a->plan)) {
		ft_warn("the BPF aggregation '%s' was made by another version of ftrig; 'ftrig "
			"cleanup --all' or that version's 'hist rm' removes it",
			name);
		return -EPROTO;
	}
	return bpf_map_lookup_elem(fd, &zero, &a->plan) ? -errno : 0;
}

/* The table of a pinned aggregation, mapped; -EPROTO, said why, for another build's. */
static int open_table(struct ft_bpf_agg *a, const char *dir, const char *name)
{
	int ret = get_pinned(dir, "slot_of", &a->fd_index), fd;

	if (!ret)
		ret = get_pinned(dir, "slots", &a->fd_slots);
	if (!ret)
		ret = ft_bpf_table_map(a->fd_slots, a->plan.size, a->plan.cfg.ksize, PROT_READ,
				       &a->table);
	/* Builds before the mapped table pinned a hash map "counts" instead. */
	if (ret == -ENOENT && !get_pinned(dir, "counts", &fd)) {
		close(fd);
		ret = -EPROTO;
	}
	if (ret == -EPROTO)
		ft_warn("the BPF aggregation '%s' was pinned by another ftrig build: its table has "
			"another layout ('ftrig cleanup --all' removes it)",
			name);
	return ret;
}

/**
 * ft_bpf_agg_open_pinned() - reopen a pinned aggregation to read, pause or clear it
 * @name: its name
 * @out: set to the aggregation; ft_bpf_agg_destroy() closes it and leaves the pins
 *
 * Return: 0, -ENOENT when nothing of that name is pinned, -EPROTO when another version of
 * ftrig pinned it (with a warning), or -errno.
 */
int ft_bpf_agg_open_pinned(const char *name, struct ft_bpf_agg **out)
{
	char dir[PATH_MAX];
	struct ft_bpf_agg *a;
	int ret = ft_bpf_pin_dir(name, dir, sizeof(dir)), fd_plan = -1;

	if (ret)
		return ret;
	a = agg_alloc();
	if (!a)
		return -ENOMEM;
	snprintf(a->dir, sizeof(a->dir), "%s", dir);
	ret = get_pinned(dir, "plan", &fd_plan);
	if (!ret)
		ret = read_plan(a, fd_plan, name);
	if (fd_plan >= 0)
		close(fd_plan);
	if (!ret)
		ret = open_table(a, dir, name);
	if (!ret)
		ret = get_pinned(dir, "stats", &a->fd_stats);
	if (!ret)
		ret = get_pinned(dir, "ctl", &a->fd_ctl);
	if (!ret)
		ret = get_pinned(dir, "stacks", &a->fd_stacks);
	if (ret) {
		ft_bpf_agg_destroy(a);
		return ret;
	}
	*out = a;
	return 0;
}

/**
 * ft_bpf_agg_plan() - an aggregation's plan (event, columns, equivalent trigger)
 * @a: the aggregation
 *
 * Return: the plan, valid as long as @a.
 */
const struct ft_bpf_plan *ft_bpf_agg_plan(const struct ft_bpf_agg *a)
{
	return &a->plan;
}

/* Sum of one statistic over the possible CPUs. */
static int stat_sum(struct ft_bpf_agg *a, uint32_t which, uint64_t *sum, bool zero)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v;
	int ret = 0;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (zero)
		ret = bpf_map_update_elem(a->fd_stats, &which, v, BPF_ANY) ? -errno : 0;
	else if (bpf_map_lookup_elem(a->fd_stats, &which, v))
		ret = -errno;
	for (int i = 0; !ret && !zero && i < ncpu; i++)
		*sum += v[i];
	free(v);
	return ret;
}

/**
 * ft_bpf_ctl_get() - read a word of an aggregation's control array
 * @a: the aggregation
 * @which: FT_BPF_CTL_*
 * @v: set to its value
 *
 * Return: 0 or -errno.
 */
int ft_bpf_ctl_get(struct ft_bpf_agg *a, uint32_t which, uint64_t *v)
{
	return bpf_map_lookup_elem(a->fd_ctl, &which, v) ? -errno : 0;
}

/**
 * ft_bpf_ctl_set() - write a word of an aggregation's control array
 * @a: the aggregation
 * @which: FT_BPF_CTL_*
 * @v: the value
 *
 * Return: 0 or -errno.
 */
int ft_bpf_ctl_set(struct ft_bpf_agg *a, uint32_t which, uint64_t v)
{
	return bpf_map_update_elem(a->fd_ctl, &which, &v, BPF_ANY) ? -errno : 0;
}

/**
 * ft_bpf_agg_pause() - stop or resume counting (hist pause / cont)
 * @a: the aggregation
 * @pause: true to pause
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_pause(struct ft_bpf_agg *a, bool pause)
{
	return ft_bpf_ctl_set(a, FT_BPF_CTL_PAUSED, pause);
}

/**
 * ft_bpf_wait_programs() - wait until no program runs that began before
 *
 * They run under RCU, and a global membarrier is a synchronize_rcu(). Where it is refused
 * (nohz_full), a pause longer than any run.
 */
void ft_bpf_wait_programs(void)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		usleep(10000);
}

/* Unindex and zero the first @used slots of a paused table. */
static int empty_table(struct ft_bpf_agg *a, uint64_t used)
{
	struct ft_bpf_table w;
	struct ft_bpf_row *rows = malloc(a->plan.size * sizeof(*rows));
	uint64_t hits;
	size_t n;
	int ret = rows ? ft_bpf_table_map(a->fd_slots, a->plan.size, a->plan.cfg.ksize,
					  PROT_READ | PROT_WRITE, &w)
		       : -ENOMEM;

	if (!ret) {
		/* A slot given up to another CPU shares its key: ENOENT the second time. */
		n = ft_bpf_table_rows(&w, used, rows, &hits);
		for (size_t i = 0; i < n; i++)
			bpf_map_delete_elem(a->fd_index, rows[i].key);
		memset(w.base, 0, w.stride * (used < w.cap ? used : w.cap));
		ft_bpf_table_unmap(&w);
	}
	free(rows);
	return ret;
}

/**
 * ft_bpf_agg_clear() - empty the table and zero the hits and drops (hist clear)
 * @a: the aggregation
 *
 * As the kernel clears a hist: paused, and once the events already counting are done.
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_clear(struct ft_bpf_agg *a)
{
	uint64_t paused = 0, used = 0;
	int ret = ft_bpf_ctl_get(a, FT_BPF_CTL_PAUSED, &paused);

	if (!ret)
		ret = ft_bpf_ctl_set(a, FT_BPF_CTL_PAUSED, 1);
	if (ret)
		return ret;
	ft_bpf_wait_programs();
	ret = ft_bpf_ctl_get(a, FT_BPF_CTL_NEXT, &used);
	if (!ret)
		ret = empty_table(a, used);
	if (!ret)
		ret = ft_bpf_ctl_set(a, FT_BPF_CTL_NEXT, 0);
	if (!ret)
		ret = stat_sum(a, FT_STAT_DROPPED, NULL, true);
	return ft_bpf_ctl_set(a, FT_BPF_CTL_PAUSED, paused) ?: ret;
}

/* What the resolver callbacks of one snapshot work with. */
struct snap {
	struct ft_bpf_agg *a;
	struct ft_usyms *u;
};

static const char *res_sym(void *data, uint64_t addr, bool offset, char *buf, size_t size)
{
	struct ft_bpf_agg *a = ((struct snap *)data)->a;

	if (!a->ksyms && !(a->ksyms = ft_ksyms_load("/proc/kallsyms")))
		return NULL;
	return ft_ksyms_lookup(a->ksyms, addr, offset, buf, size);
}

static const char *res_usym(void *data, uint32_t pid, uint64_t addr, char *buf, size_t size)
{
	struct snap *s = data;

	if (!s->u)
		s->u = ft_usyms_alloc();
	return s->u ? ft_usyms_lookup(s->u, pid, addr, buf, size) : NULL;
}

/* An event of the aggregation by its index: the only one, the end event of a latency, or
 * one of its events, known to this process or pinned. */
static const char *res_event(void *data, uint64_t index, char *buf, size_t size)
{
	struct ft_bpf_agg *a = ((struct snap *)data)->a;
	const struct ft_bpf_plan *p = &a->plan;

	if (p->cfg.latency || p->nevents <= 1) {
		if (index)
			return NULL;
		snprintf(buf, size, "%s:%s", p->cfg.latency ? p->end_system : p->system,
			 p->cfg.latency ? p->end_event : p->event);
		return buf;
	}
	if (index < a->nmembers) {
		snprintf(buf, size, "%s:%s", a->members[index].system, a->members[index].event);
		return buf;
	}
	return *a->dir && index < p->nevents
		       ? ft_bpf_members_name(a->dir, (uint32_t)index, buf, size)
		       : NULL;
}

static int res_stack(void *data, int64_t id, uint64_t *ips, size_t max)
{
	struct ft_bpf_agg *a = ((struct snap *)data)->a;
	uint64_t frames[FT_BPF_STACK_DEPTH] = { 0 };
	uint32_t key = (uint32_t)id;
	size_t n = 0;

	if (bpf_map_lookup_elem(a->fd_stacks, &key, frames))
		return -errno;
	while (n < max && n < FT_BPF_STACK_DEPTH && frames[n]) {
		ips[n] = frames[n];
		n++;
	}
	return (int)n;
}

/*
 * The aggregation's state as a hist trigger's listing gives it: paused or not, and the
 * trigger text ending in " [paused]" or " [active]" (FIG-6, #16).
 */
static int mark_state(struct ft_bpf_agg *a, struct ft_hist *h)
{
	uint64_t paused = 0;
	char text[sizeof(a->plan.trigger) + 16];
	int ret = ft_bpf_ctl_get(a, FT_BPF_CTL_PAUSED, &paused);

	if (ret) {
		ft_hist_free(h);
		return ret;
	}
	h->paused = paused != 0;
	snprintf(text, sizeof(text), "%s [%s]", a->plan.trigger, h->paused ? "paused" : "active");
	h->trigger = ft_hist_strdup(h, text);
	if (!h->trigger) {
		ft_hist_free(h);
		return -ENOMEM;
	}
	return 0;
}

/* ft_bpf_agg_snapshot(), the entries in the kernel's order when @sort, else the map's. */
static int snapshot(struct ft_bpf_agg *a, bool sort, struct ft_hist **out)
{
	struct snap snap = { .a = a };
	struct ft_bpf_resolver res = { .stack = res_stack,
				       .sym = res_sym,
				       .usym = res_usym,
				       .event = res_event,
				       .data = &snap };
	const struct ft_bpf_row *rows = NULL;
	uint64_t hits = 0, dropped = 0;
	size_t n = 0;
	int ret = stat_sum(a, FT_STAT_DROPPED, &dropped, false);

	/* The table's size does not change: the rows are allocated once. */
	if (!ret && !a->rows && !(a->rows = malloc(a->table.cap * sizeof(*a->rows))))
		ret = -ENOMEM;
	if (!ret)
		ret = ft_bpf_agg_rows_now(a, &rows, &n, &hits);
	if (ret)
		return ret;
	/* Hits as the kernel's hist shows them: events that reached the table, kept or not. */
	ret = (sort ? ft_bpf_hist_build : ft_bpf_hist_build_unsorted)(
		&a->plan, rows, n, hits + dropped, dropped, &res, out);
	ft_usyms_free(snap.u);
	return ret ? ret : mark_state(a, *out);
}

/**
 * ft_bpf_agg_snapshot() - read an aggregation's table into a histogram
 * @a: the aggregation
 * @out: set to a new ft_hist (backend "bpf"), to free with ft_hist_free()
 *
 * Does not clear the table. Full-table losses are reported in the hist's dropped count. The
 * entries are in the kernel's order, as a hist trigger lists them.
 *
 * Return: 0 or -errno.
 */
int ft_bpf_agg_snapshot(struct ft_bpf_agg *a, struct ft_hist **out)
{
	return snapshot(a, true, out);
}

/* One thread's share of the links: every DETACH_THREADS-th from @first. */
struct detach_job {
	struct ft_bpf_agg *a;
	size_t first;
	pthread_t tid;
};

#define DETACH_THREADS 32

static void *detach_some(void *arg)
{
	struct detach_job *j = arg;

	size_t step = j->a->pinned ? 1 : DETACH_THREADS;

	for (size_t i = j->first; i < j->a->nlinks; i += step) {
		/* libbpf disables the perf event when it detaches: a pinned link must not be. */
		if (j->a->pinned)
			bpf_link__disconnect(j->a->links[i]);
		bpf_link__destroy(j->a->links[i]);
	}
	return NULL;
}

/*
 * Releasing a tracepoint's last perf event waits for an RCU grace period
 * (tracepoint_synchronize_unregister), tens of milliseconds each: hundreds of events closed
 * one by one take many seconds, so they are closed from threads whose waits overlap.
 */
static void destroy_links(struct ft_bpf_agg *a)
{
	struct detach_job jobs[DETACH_THREADS];
	size_t n = a->nlinks < DETACH_THREADS ? a->nlinks : DETACH_THREADS;
	bool started[DETACH_THREADS];

	/* Pinned links only lose this process's file descriptors: nothing to wait for. */
	if (a->pinned)
		n = a->nlinks ? 1 : 0;
	for (size_t t = 0; t < n; t++) {
		jobs[t] = (struct detach_job){ .a = a, .first = t };
		started[t] = n > 1 && !pthread_create(&jobs[t].tid, NULL, detach_some, &jobs[t]);
		if (!started[t])
			detach_some(&jobs[t]);
	}
	for (size_t t = 0; t < n; t++)
		if (started[t])
			pthread_join(jobs[t].tid, NULL);
	free(a->links);
	a->links = NULL;
	a->nlinks = 0;
}

/**
 * ft_bpf_agg_destroy() - close an aggregation; NULL is allowed
 * @a: the aggregation
 *
 * A temporary one is detached and unloaded; a pinned one keeps running from its pins.
 */
void ft_bpf_agg_destroy(struct ft_bpf_agg *a)
{
	if (!a)
		return;
	destroy_links(a);
	ft_bpf_table_unmap(&a->table);
	if (a->obj) {
		bpf_object__close(a->obj);
	} else {
		int fds[] = { a->fd_index, a->fd_slots, a->fd_stats, a->fd_ctl, a->fd_stacks };

		for (size_t i = 0; i < FT_ARRAY_SIZE(fds); i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	ft_ksyms_free(a->ksyms);
	ft_bpf_accum_free(a->acc);
	free(a->vlog);
	free_members(a);
	free(a->rows);
	free(a);
}

/*
 * The ft_source of a BPF aggregation: the live view reads it like a kernel hist. Its
 * snapshots keep the map's order, which the view does not need sorted: it sorts the rows its
 * own way each refresh.
 */
struct bpf_source {
	struct ft_source src;
	struct ft_bpf_agg *agg;
};

static int source_snapshot(struct ft_source *src, struct ft_hist **out)
{
	struct ft_bpf_agg *a = ((struct bpf_source *)src)->agg;
	char dir[PATH_MAX];

	/* Opened from its pins (top --attach) and removed since (hist rm): this process's
	 * descriptors keep the maps, frozen; say it is gone rather than show them (TOP-5). */
	if (!a->obj && *a->plan.name && !ft_bpf_pin_dir(a->plan.name, dir, sizeof(dir)) &&
	    access(dir, F_OK))
		return -ENOENT;
	return snapshot(a, false, out);
}

static void source_destroy(struct ft_source *src)
{
	struct bpf_source *s = (struct bpf_source *)src;

	ft_bpf_agg_destroy(s->agg);
	free(s->src.label);
	free(s);
}

static const struct ft_source_ops bpf_source_ops = {
	.backend = "bpf",
	.snapshot = source_snapshot,
	.destroy = source_destroy,
};

/**
 * ft_bpf_source_alloc() - a source reading an aggregation
 * @a: the aggregation; the source owns it from now on (ft_source_destroy() destroys it,
 *     which for a temporary aggregation detaches it, and leaves a pinned one running)
 *
 * Return: the source, or NULL with errno set (then @a is still the caller's).
 */
struct ft_source *ft_bpf_source_alloc(struct ft_bpf_agg *a)
{
	struct bpf_source *s = calloc(1, sizeof(*s));
	char more[32] = "";

	if (!s)
		return NULL;
	/* A pattern's view is titled by the pattern (TOP-4), with the number of its events. */
	if (a->plan.nevents > 1)
		snprintf(more, sizeof(more), " (%u events)", a->plan.nevents);
	if (asprintf(&s->src.label, "%s%s %s (bpf)", a->plan.title, more, a->plan.trigger) < 0) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->src.ops = &bpf_source_ops;
	s->agg = a;
	return &s->src;
}

#else /* !HAVE_BPF_OBJECTS */

struct ft_bpf_agg {
	int unused;
};

static int not_built(void)
{
	ft_err("this ftrig was built without the BPF backend (configure --disable-bpf, or "
	       "libbpf, clang or bpftool missing): use --backend hist");
	return -EOPNOTSUPP;
}

int ft_bpf_agg_create(struct ft_tfs *tfs, const struct ft_hist_spec *spec, bool hist_can,
		      struct ft_bpf_agg **out)
{
	return not_built();
}

int ft_bpf_agg_pin(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name)
{
	return not_built();
}

int ft_bpf_agg_open_pinned(const char *name, struct ft_bpf_agg **out)
{
	return not_built();
}

int ft_bpf_agg_snapshot(struct ft_bpf_agg *a, struct ft_hist **out)
{
	return not_built();
}

int ft_bpf_agg_pause(struct ft_bpf_agg *a, bool pause)
{
	return not_built();
}

int ft_bpf_agg_clear(struct ft_bpf_agg *a)
{
	return not_built();
}

const struct ft_bpf_plan *ft_bpf_agg_plan(const struct ft_bpf_agg *a)
{
	return NULL;
}

void ft_bpf_agg_destroy(struct ft_bpf_agg *a)
{
}

struct ft_source *ft_bpf_source_alloc(struct ft_bpf_agg *a)
{
	errno = EOPNOTSUPP;
	return NULL;
}
#endif
