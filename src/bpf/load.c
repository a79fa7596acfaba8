// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF backend's kernel side, loading: open the aggregator's build that fits a plan with
 * the plan as its configuration, load it, attach it to the events by their tracefs id
 * (perf_event_open + a BPF perf link) or to raw tracepoints, and detach and close it.
 * Pinning is pinned.c, reading snapshot.c, pause and clear control.c.
 *
 * A temporary aggregation holds its programs, links and maps only through this process's
 * file descriptors, so it dies with the process whatever way it exits.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/btfwalk.h"
#include "bpf/events.h"
#include "bpf/ksym.h"
#include "bpf/loaded.h"
/* After the configuration's struct (agg.h), which the skeletons name. */
#include "agg.skel.h"
#include "agg_small.skel.h"
#include "agg_lite.skel.h"
#include "format.h"
#include "hist/spec.h"
#include "log.h"
#include "util.h"

static int libbpf_to_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t len;

	/* All of libbpf's lines are debug lines here: most runs drop them unread. */
	if (!ft_log_shown(FT_LOG_DEBUG))
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	/* libbpf starts its messages with its name */
	ft_dbg("%s%s", strncmp(buf, "libbpf: ", 8) ? "libbpf: " : "", buf);
	return 0;
}

/**
 * ft_bpf_log_init() - send libbpf's messages to the log sink, as debug lines (ftrig -v)
 *
 * Before anything of libbpf runs: its default printer writes to stderr, which is not ours
 * while curses owns the screen, and its warnings are noise to a user unless asked for.
 */
void ft_bpf_log_init(void)
{
	libbpf_set_print(libbpf_to_log);
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

/**
 * ft_bpf_prog_for() - a program of the loaded object
 * @a: the aggregation (loaded by this process)
 * @which: 0: program A, 1: program B
 * @route: its version, enum ft_bpf_route: classic, on its raw gate, on A's second raw gate,
 *         A on plain raw tracepoints
 *
 * Return: the program (the object has every one), or NULL (B has no second gate).
 */
struct bpf_program *ft_bpf_prog_for(struct ft_bpf_agg *a, int which, int route)
{
	static const char *const names[2][5] = { { "tp_a", "kp_a", "raw_a", "raw_a2", "raw_a3" },
						 { "tp_b", "kp_b", "raw_b", NULL, NULL } };
	uint8_t kind = which ? a->plan.attach_b : a->plan.attach_a;
	int i = route != FT_ROUTE_CLASSIC ? route + 1 : kind == FT_ATTACH_TRACEPOINT ? 0 : 1;

	return names[which][i] ? bpf_object__find_program_by_name(a->obj, names[which][i]) : NULL;
}

/**
 * ft_bpf_map_of() - a map of the loaded object (both builds have every map)
 * @a: the aggregation (loaded by this process)
 * @name: the map's name
 *
 * Return: the map, or NULL.
 */
struct bpf_map *ft_bpf_map_of(struct ft_bpf_agg *a, const char *name)
{
	return bpf_object__find_map_by_name(a->obj, name);
}

/* Which versions of programs A and B the events need (@use[which][route]). */
static void programs_used(const struct ft_bpf_plan *pl, const struct ft_bpf_formats *f,
			  bool use[2][4])
{
	memset(use, 0, 2 * sizeof(use[0]));
	for (size_t i = 0; i < f->n; i++)
		use[0][ft_bpf_raw_route(pl, 0, f->a[i])] = true;
	if (pl->cfg.latency)
		use[1][ft_bpf_raw_route(pl, 1, f->b)] = true;
}

/*
 * Open the aggregator's build that fits the plan (the lite one, else the small one, when it
 * can: they have fewer instructions to load and verify) with the plan as its configuration.
 */
static int open_obj(struct ft_bpf_agg *a)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "ft_agg");
	bool lite = ft_bpf_plan_lite(&a->plan), small = lite || ft_bpf_plan_small(&a->plan);
	size_t size;
	const void *elf = lite	  ? ft_agg_lite__elf_bytes(&size)
			  : small ? ft_agg_small__elf_bytes(&size)
				  : ft_agg__elf_bytes(&size);
	struct bpf_map *ro;

	a->obj = bpf_object__open_mem(elf, size, &opts);
	if (!a->obj)
		return -errno;
	ro = ft_bpf_map_of(a, ".rodata");
	/* Its .rodata is the configuration alone (agg.bpf.c): a mismatch is a build error. */
	if (!ro || bpf_map__set_initial_value(ro, &a->plan.cfg, sizeof(a->plan.cfg))) {
		ft_err("ftrig's BPF aggregator does not match the configuration it was built with "
		       "(.rodata of %u bytes, expected %zu)",
		       ro ? bpf_map__value_size(ro) : 0, sizeof(a->plan.cfg));
		return -EPROTO;
	}
	ft_dbg("BPF aggregator: the %s build", lite ? "lite" : small ? "small" : "full");
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

/* Whether the plan reads a thread's or process's id at its events (a key, value or filter of
 * common_pid or a process id, or latency starts matched by thread). */
static bool reads_task_ids(const struct ft_bpf_cfg *c)
{
	for (int i = 0; i < c->nparts; i++)
		if (c->parts[i].num.src == FT_SRC_TID || c->parts[i].num.src == FT_SRC_PID)
			return true;
	for (int i = 0; i < c->nsums; i++)
		if (c->sums[i].src == FT_SRC_TID || c->sums[i].src == FT_SRC_PID)
			return true;
	for (int i = 0; i < c->nconds; i++)
		if (c->conds[i].num.src == FT_SRC_TID || c->conds[i].num.src == FT_SRC_PID)
			return true;
	if (c->latency && !c->nmatch)
		return true;
	for (int w = 0; w < 2 && c->latency; w++)
		for (int i = 0; i < c->nmatch; i++)
			if (c->match[w][i].src == FT_SRC_TID || c->match[w][i].src == FT_SRC_PID)
				return true;
	return false;
}

/*
 * Where the kernel has BTF, the raw gates read the task's status word (a compat call?)
 * through the task's BTF type: a load, where a probe read is a helper call at every event
 * they count. Every kernel the raw gates run on (raw.c's thread_info layout is 5.11's) has
 * bpf_get_current_task_btf() where it has BTF. A plan that reads thread or process ids loads
 * them from that task too, at offsets from the kernel's BTF (taskbtf.c), when found.
 */
static void use_task_btf(struct ft_bpf_plan *pl)
{
	bool btf = !access("/sys/kernel/btf/vmlinux", R_OK), any = false;
	uint16_t pid = 0, tgid = 0;

	for (int g = 0; g < FT_BPF_NRAW; g++) {
		pl->cfg.raw[g].task_btf = btf && pl->cfg.raw[g].ts_compat;
		any |= pl->cfg.raw[g].task_btf;
	}
	if (!any || !reads_task_ids(&pl->cfg) || ft_btf_task_ids(&pid, &tgid))
		return;
	for (int g = 0; g < FT_BPF_NRAW; g++)
		if (pl->cfg.raw[g].task_btf)
			pl->cfg.raw[g].task_pid = pid, pl->cfg.raw[g].task_tgid = tgid;
}

/*
 * Maps the plan does not use are not created (each is a system call before the attachment,
 * and its memory): the pending starts without latency, the stacks without a stack key, the
 * room for large keys where the key is made on the stack (agg.bpf.c's count()). libbpf
 * poisons the program's references to them, which the verifier accepts in the code the
 * configuration makes dead.
 */
static void skip_unused_maps(struct ft_bpf_agg *a)
{
	const struct ft_bpf_plan *pl = &a->plan;

	if (!pl->cfg.latency)
		bpf_map__set_autocreate(ft_bpf_map_of(a, "starts"), false);
	if (!ft_bpf_plan_stacks(pl))
		bpf_map__set_autocreate(ft_bpf_map_of(a, "stacks"), false);
	if (pl->cfg.ksize + 8 <= FT_BPF_SMALL_KEY + 8)
		bpf_map__set_autocreate(ft_bpf_map_of(a, "scratch"), false);
}

static int load(struct ft_bpf_agg *a, const struct ft_bpf_formats *f, bool hist_can)
{
	bool rotate = a->plan.cfg.rotate;
	uint32_t tables = rotate ? 2 : 1;
	struct bpf_program *p;
	int ret;

	use_task_btf(&a->plan);
	ret = open_obj(a);

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
			for (int r = 0; r < 4; r++)
				on |= a->used[w][r] && p == ft_bpf_prog_for(a, w, r);
		bpf_program__set_autoload(p, on);
		bpf_program__set_log_buf(p, a->vlog, VLOG_SIZE);
	}
	bpf_map__set_max_entries(ft_bpf_map_of(a, "slot_of"), tables * a->plan.size);
	bpf_map__set_key_size(ft_bpf_map_of(a, "slot_of"), a->plan.cfg.ksize + (rotate ? 8 : 0));
	bpf_map__set_max_entries(ft_bpf_map_of(a, "slots"), tables * a->plan.size);
	bpf_map__set_value_size(ft_bpf_map_of(a, "slots"), FT_BPF_SLOT(a->plan.cfg.ksize));
	bpf_map__set_max_entries(ft_bpf_map_of(a, "stacks"), ft_bpf_plan_stack_buckets(&a->plan));
	skip_unused_maps(a);
	ret = bpf_object__load(a->obj);
	if (ret) {
		load_error(a, ret, hist_can);
		return ret;
	}
	a->fd_index = bpf_map__fd(ft_bpf_map_of(a, "slot_of"));
	a->fd_slots = bpf_map__fd(ft_bpf_map_of(a, "slots"));
	a->fd_stats = bpf_map__fd(ft_bpf_map_of(a, "stats"));
	a->fd_ctl = bpf_map__fd(ft_bpf_map_of(a, "ctl"));
	a->fd_stacks = ft_bpf_plan_stacks(&a->plan) ? bpf_map__fd(ft_bpf_map_of(a, "stacks")) : -1;
	return 0;
}

/*
 * What the aggregation needs once it counts: its table mapped (not when cfg.rotate: its
 * turns map, read and empty a window at a time), a rotating one's totals, and the verifier's
 * figures at debug verbosity. After the attachment: none of it is needed before the first event counts.
 */
static int after_attach(struct ft_bpf_agg *a)
{
	bool rotate = a->plan.cfg.rotate;
	/* Mapped whole, a rotating one's two tables would count 18 MB in this process's memory
	 * at 131,072 entries (#21). */
	int ret = rotate ? 0
			 : ft_bpf_table_map(a->fd_slots, a->plan.size, a->plan.cfg.ksize, PROT_READ,
					    &a->table);

	if (ret)
		ft_err("cannot map the BPF aggregation's table: %s", strerror(-ret));
	if (!ret && rotate && !(a->acc = ft_bpf_accum_alloc(a->plan.cfg.ksize, a->plan.size)))
		ret = -ENOMEM;
	if (!ret)
		show_verified(a);
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

/* Attach program @which to its events: syscall events gated on raw_syscalls' raw tracepoints
 * share one attachment per direction; every other event gets its own perf event (or kprobe). */
static int attach_prog(struct ft_bpf_agg *a, int which, const struct ft_bpf_formats *f)
{
	const struct ft_bpf_plan *p = &a->plan;
	uint8_t kind = which ? p->attach_b : p->attach_a;
	bool gate_done[4] = { false };
	int ret = 0;

	for (size_t i = 0; !ret && i < (which ? 1 : f->n); i++) {
		const struct ft_event_format *fmt = which ? f->b : f->a[i];
		const char *sys = fmt ? fmt->system : which ? p->end_system : p->system;
		const char *ev = fmt ? fmt->name : which ? p->end_event : p->event;
		int route = ft_bpf_raw_route(p, which, fmt);

		/* one attachment per gate; each plain raw tracepoint its own */
		if (route != FT_ROUTE_CLASSIC && route != FT_ROUTE_RAW_PLAIN && gate_done[route])
			continue;
		gate_done[route] = true;
		ret = attach(
			a, ft_bpf_prog_for(a, which, route),
			route == FT_ROUTE_CLASSIC ? kind : FT_ATTACH_RAW, sys, ev, fmt,
			route == FT_ROUTE_CLASSIC || route == FT_ROUTE_RAW_PLAIN
				? ev
				: ft_bpf_raw_tp(p, route == FT_ROUTE_RAW_SYSCALL_2 ? 2 : which),
			FT_TAG(which ? 0 : i, fmt && fmt->id > 0 ? fmt->id : 0));
	}
	return ret;
}

static void unload(struct ft_bpf_agg *a)
{
	ft_bpf_destroy_links(a);
	ft_bpf_table_unmap(&a->table);
	bpf_object__close(a->obj);
	a->obj = NULL;
	a->fd_index = a->fd_slots = a->fd_stats = a->fd_ctl = a->fd_stacks = -1;
}

/*
 * Room for the descriptors of @f's attachments: an event on its own tracepoint or raw
 * tracepoint holds a link (and a perf event) open, two descriptors, and the classic way
 * (FTRIG_BPF_CLASSIC, or a kernel without raw tracepoints) every syscall event needs its own:
 * 700 of them pass the usual soft limit of 1024. The soft limit is raised as far as the hard
 * one allows (bpftrace does the same); a failure shows at perf_event_open.
 */
static void fd_room(const struct ft_bpf_plan *pl, const struct ft_bpf_formats *f)
{
	struct rlimit rl;
	rlim_t need = 64;

	for (size_t i = 0; i < f->n; i++) {
		int route = ft_bpf_raw_route(pl, 0, f->a[i]);

		need += route == FT_ROUTE_CLASSIC || route == FT_ROUTE_RAW_PLAIN ? 2 : 0;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY || need <= rl.rlim_cur)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || need < rl.rlim_max ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		ft_dbg("cannot raise the open files limit to %llu: %s", (unsigned long long)need,
		       strerror(errno));
}

static int load_attach(struct ft_bpf_agg *a, const struct ft_bpf_formats *f, bool hist_can)
{
	int ret = load(a, f, hist_can);

	if (!ret)
		fd_room(&a->plan, f);
	if (!ret)
		ret = attach_prog(a, 0, f);
	if (!ret && a->plan.cfg.latency)
		ret = attach_prog(a, 1, f);
	return ret ? ret : after_attach(a);
}

/* The events of program A, when it counts several: pinned, they find the aggregation. */
static int keep_members(struct ft_bpf_agg *a, const struct ft_bpf_formats *f)
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

/**
 * ft_bpf_agg_alloc() - an empty aggregation, its descriptors -1
 *
 * Return: it, to free with ft_bpf_agg_destroy(), or NULL.
 */
struct ft_bpf_agg *ft_bpf_agg_alloc(void)
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
 * @fmt: the format of @spec's event if the command read it already (used, not read again;
 *       it stays the caller's), or NULL
 * @end_fmt: likewise, the format of its latency's end event, or NULL
 * @hist_can: hist triggers are available here, so errors suggest them
 * @out: set to the aggregation, temporary until ft_bpf_agg_pin(); free with
 *       ft_bpf_agg_destroy()
 *
 * Errors are logged with ft_err() in words a user can act on (verifier details at debug).
 *
 * Return: 0 or -errno (-EINVAL for a spec the BPF backend cannot count).
 */
int ft_bpf_agg_create(struct ft_tfs *tfs, const struct ft_hist_spec *spec,
		      struct ft_event_format *fmt, struct ft_event_format *end_fmt, bool hist_can,
		      struct ft_bpf_agg **out)
{
	struct ft_bpf_agg *a = ft_bpf_agg_alloc();
	/* FTRIG_BPF_CLASSIC: every event on its classic tracepoint (to compare the two) */
	bool raw = !getenv("FTRIG_BPF_CLASSIC");
	struct ft_bpf_formats f;
	char err[512];
	int ret;

	if (!a)
		return -ENOMEM;
	ft_bpf_log_init();
	ret = ft_bpf_plan_for(tfs, spec, fmt, end_fmt, &a->plan, raw, &f, err, sizeof(err));
	if (ret)
		ft_err("%s", err);
	if (!ret && raw)
		ft_bpf_plan_raw(&a->plan, (const struct ft_event_format *const *)f.a, f.n, f.b);
	if (!ret)
		ret = load_attach(a, &f, hist_can);
	/* No raw tracepoint to attach to: every event the classic way, formats read. */
	if (ret == -ENOENT && (ft_bpf_raw_tp(&a->plan, 0) || ft_bpf_raw_tp(&a->plan, 1) ||
			       ft_bpf_raw_tp(&a->plan, 2) || a->plan.cfg.raw[3].gate)) {
		unload(a);
		ft_bpf_formats_free(&f);
		ret = ft_bpf_plan_for(tfs, spec, fmt, end_fmt, &a->plan, false, &f, err,
				      sizeof(err));
		if (ret)
			ft_err("%s", err);
		else
			ret = load_attach(a, &f, hist_can);
	}
	if (!ret && f.n > 1)
		ret = keep_members(a, &f);
	ft_bpf_formats_free(&f);
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
	ft_bpf_destroy_links(a);
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
#endif
