// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pinning an aggregation under bpffs so that it outlives the command, and reopening a pinned
 * one. A pinned aggregation is journaled in the ledger before anything is pinned; undoing
 * the record unpins it (pin.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "config.h"

#if HAVE_BPF_OBJECTS
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/loaded.h"
#include "ledger.h"
#include "log.h"
#include "util.h"

#define BPFFS_MAGIC 0xcafe4a11 /* linux/magic.h BPF_FS_MAGIC */

/*
 * Mount bpffs at the default place when nothing is mounted there. The mount is journaled
 * first, like every object ftrig makes, so that it goes with the last aggregation (SEC-12).
 * *@mounted says this call made it, *@seq its record.
 */
static int ensure_bpffs(struct ft_ledger *l, bool *mounted, unsigned *seq)
{
	struct statfs st;
	int ret;

	if (getenv("FTRIG_BPFFS") && *getenv("FTRIG_BPFFS"))
		return 0;
	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPFFS_MAGIC)
		return 0;
	ret = ft_ledger_mount_announce(l, "bpffs", "/sys/fs/bpf", seq);
	if (ret)
		return ret;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		ret = -errno;
		ft_err("cannot mount bpffs on /sys/fs/bpf: %s", strerror(-ret));
		ft_ledger_forget(l, *seq);
		return ret;
	}
	*mounted = true;
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
	static const char *const names[2][4] = {
		{ "prog_a", "prog_a_raw", "prog_a_raw2", "prog_a_raw3" },
		{ "prog_b", "prog_b_raw", "prog_b_raw2", "prog_b_raw3" }
	};
	char what[32];
	int ret = 0;

	/* prog_a (prog_b) is the first version that runs, whichever; the others are named by
	 * their suffix: _raw the raw gate's, _raw2 the second raw gate's (of the other
	 * direction), _raw3 the plain raw tracepoints'. */
	for (int w = 0; w < 2; w++) {
		bool first = true;

		for (int r = 0; !ret && r < 4; r++) {
			if (!a->used[w][r])
				continue;
			ret = pin_fd(bpf_program__fd(ft_bpf_prog_for(a, w, r)), dir,
				     names[w][first ? 0 : r]);
			first = false;
		}
	}
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
	/* Maps the plan does not use were never created (load.c). */
	if (!ret && a->fd_stacks >= 0)
		ret = pin_fd(a->fd_stacks, dir, "stacks");
	if (!ret && a->plan.cfg.latency)
		ret = pin_fd(bpf_map__fd(ft_bpf_map_of(a, "starts")), dir, "starts");
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

/* ft_bpf_agg_pin() once bpffs is there: the record, the directory, the pins. */
static int pin_new(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name, const char *dir)
{
	char parent[PATH_MAX];
	unsigned seq;
	int ret;

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

/**
 * ft_bpf_agg_pin() - make an aggregation outlive this process
 * @a: an aggregation this process created
 * @l: the ledger to journal it in (the persistent one for `hist start`)
 * @name: its name; the pins go to /sys/fs/bpf/ftrig/NAME/ (bpffs is mounted when missing)
 *
 * Journals the pin directory first; on failure nothing stays pinned and the record is
 * forgotten, and a bpffs mount made for it is undone. Programs, links, maps and the plan
 * are pinned.
 *
 * Return: 0, -EEXIST when an aggregation of that name exists, or -errno.
 */
int ft_bpf_agg_pin(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name)
{
	char dir[PATH_MAX];
	bool mounted = false;
	unsigned mseq = 0;
	int ret = ft_bpf_pin_dir(name, dir, sizeof(dir));

	/* Tables that take turns need their one reader: pinned, nobody reads them. */
	if (ret || !a->obj || a->plan.cfg.rotate)
		return ret ? ret : -EINVAL;
	ret = ensure_bpffs(l, &mounted, &mseq);
	if (ret)
		return ret;
	ret = pin_new(a, l, name, dir);
	/* A mount this command made for pins it did not make (a stop signal, a refusal) goes
	 * with them: the command leaves the machine as it found it. */
	if (ret && mounted)
		ft_ledger_undo_one(l, mseq);
	return ret;
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
	a = ft_bpf_agg_alloc();
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
	/* Only a plan with a stack key has them (older ftrig pinned them always). */
	if (!ret && ft_bpf_plan_stacks(&a->plan))
		ret = get_pinned(dir, "stacks", &a->fd_stacks);
	if (ret) {
		ft_bpf_agg_destroy(a);
		return ret;
	}
	*out = a;
	return 0;
}
#endif
