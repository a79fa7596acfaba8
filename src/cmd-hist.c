// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig hist VERB ...: kernel histograms as data. This file holds the verb table and the
 * verbs that read hists from the kernel (show, dump); diff and stats, which read dump files,
 * live in src/cmd-histfile.c, and the verbs that create and control hist triggers (start,
 * pause, cont, clear, rm) in src/cmd-histctl.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpf/ftbpf.h"
#include "cmd.h"
#include "cmd-hist.h"
#include "hist/analyze.h"
#include "hist/export.h"
#include "hist/load.h"
#include "hist/read.h"
#include "json.h"
#include "kfeat.h"
#include "log.h"
#include "session.h"
#include "tfs.h"
#include "triggers/latency.h"
#include "util.h"

/**
 * ft_hist_where_parse() - "sys:event" or "sys/event" into @w
 * @cmd: the command, for the usage message
 * @arg: the argument
 * @w: its system and event are set
 *
 * Return: 0, or FT_EXIT_USAGE after saying the argument is not an event.
 */
int ft_hist_where_parse(const struct ft_cmd *cmd, const char *arg, struct ft_hist_where *w)
{
	const char *sep = strpbrk(arg, ":/");

	if (!sep || sep == arg || !sep[1] || strpbrk(sep + 1, ":/") ||
	    (size_t)(sep - arg) >= sizeof(w->system) || strlen(sep + 1) >= sizeof(w->event))
		return ft_usage_error(cmd,
				      "'%s' is not an event; name it SYSTEM:EVENT, e.g. "
				      "sched:sched_switch",
				      arg);
	memcpy(w->system, arg, (size_t)(sep - arg));
	w->system[sep - arg] = '\0';
	strcpy(w->event, sep + 1);
	return 0;
}

/* Append snapshots of the pinned BPF aggregations @names to @v. */
static int add_bpf(char **names, size_t nb, struct ft_hist ***v, size_t *n)
{
	for (size_t i = 0; i < nb; i++) {
		struct ft_hist **nv = realloc(*v, (*n + 1) * sizeof(**v));
		struct ft_bpf_agg *a;
		int ret;

		if (!nv)
			return -ENOMEM;
		*v = nv;
		ret = ft_bpf_agg_open_pinned(names[i], &a);
		if (!ret) {
			ret = ft_bpf_agg_snapshot(a, &nv[*n]);
			ft_bpf_agg_destroy(a);
		}
		if (ret)
			return ret;
		(*n)++;
	}
	return 0;
}

/* Keep the hists named @name (all when NULL). */
static size_t keep_named(struct ft_hist **v, size_t n, const char *name)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (name && strcmp(v[i]->name, name))
			ft_hist_free(v[i]);
		else
			v[k++] = v[i];
	}
	return k;
}

/* A latency on hist triggers is counted on its synthetic event: @v's starts and ends of
 * latencies bring the synthetic event's hists (CMD-4). */
static int add_latency(struct ft_tfs *t, const char *instance, struct ft_hist ***v, size_t *n)
{
	size_t was = *n;

	for (size_t i = 0; i < was; i++) {
		struct ft_hist **sv = NULL, **nv;
		char synth[128];
		size_t sn = 0;

		if (!(*v)[i]->trigger ||
		    !ft_latency_synth_of((*v)[i]->trigger, synth, sizeof(synth)) ||
		    ft_hist_read(t, instance, "synthetic", synth, &sv, &sn))
			continue;
		nv = realloc(*v, (*n + sn) * sizeof(**v));
		if (!nv) {
			ft_hist_free_all(sv, sn);
			return -ENOMEM;
		}
		*v = nv;
		memcpy(*v + *n, sv, sn * sizeof(*sv));
		*n += sn;
		free(sv);
	}
	return 0;
}

/**
 * ft_hist_where_read() - every hist of the event, or only the one named
 * @t: tracefs
 * @w: the event, instance and name
 * @v: set to the hists (free with ft_hist_free_all())
 * @n: set to how many
 *
 * The kernel's hist triggers and the pinned BPF aggregations counting the event alike.
 *
 * Return: 0, or -errno after saying why there is none (-ENOENT when there is none).
 */
int ft_hist_where_read(struct ft_tfs *t, const struct ft_hist_where *w, struct ft_hist ***v,
		       size_t *n)
{
	char **bpf = NULL;
	size_t nb = 0;
	int ret = 0;

	*v = NULL;
	*n = 0;
	if (!w->instance || !*w->instance)
		ret = ft_bpf_find(w->system, w->event, w->name, &bpf, &nb);
	if (!ret)
		ret = ft_hist_event_check(t, w->instance, w->system, w->event, nb > 0);
	if (!ret) {
		ret = ft_hist_read(t, w->instance, w->system, w->event, v, n);
		if (!ret && !w->own_only)
			ret = add_latency(t, w->instance, v, n);
		*n = ret ? 0 : keep_named(*v, *n, w->name);
	} else if (ret == -EOPNOTSUPP && nb) {
		ret = 0;
	}
	if (!ret)
		ret = add_bpf(bpf, nb, v, n);
	ft_bpf_pinned_list_free(bpf);
	if (ret) {
		if (ret != -ENOENT && ret != -EOPNOTSUPP)
			ft_err("cannot read the hist of %s:%s: %s", w->system, w->event,
			       strerror(-ret));
		return ret;
	}
	if (!*n) {
		if (w->name)
			ft_err("no hist named '%s' on %s:%s", w->name, w->system, w->event);
		else
			ft_err("no hist trigger on %s:%s; start one with 'ftrig hist start %s:%s "
			       "--key FIELD'",
			       w->system, w->event, w->system, w->event);
		return -ENOENT;
	}
	return 0;
}

static void warn_unknown(struct ft_hist *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->nunknown)
			ft_warn("%s: %zu line(s) of the hist not understood, first: '%s'",
				v[i]->event, v[i]->nunknown, v[i]->unknown[0]);
}

static const struct option where_opts[] = {
	{ "instance", required_argument, NULL, 'i' },
	{ "name", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

/**
 * ft_hist_key_text() - an entry's key as "common_pid=sh [105], id=sys_read" (times with their
 *                      unit)
 * @h: the hist
 * @e: the entry
 * @buf: where the text goes
 * @size: its size
 */
void ft_hist_key_text(const struct ft_hist *h, const struct ft_hist_entry *e, char *buf,
		      size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < h->nkeys && n < size; k++) {
		n += (size_t)snprintf(buf + n, size - n, "%s%s=", k ? ", " : "", h->keys[k].name);
		if (n < size)
			n += ft_key_format(&h->keys[k], &e->keys[k], buf + n, size - n);
		if (n < size && ft_hist_key_unit(h, k)) /* FIG-8 */
			n += (size_t)snprintf(buf + n, size - n, " %s", ft_hist_key_unit(h, k));
	}
}

/*
 * Stacks of a kprobe event from its probed function on: the hist trigger's begin in the
 * kprobe's ftrace handler and trampoline, and their first frame in the probed function is the
 * return address of its ftrace call where BPF's is the probe's address (FIG-5). Leading
 * machinery frames are dropped and the first frame kept without its offset (with @all, that
 * of every stack; else of those that had machinery frames), in place.
 * Return: whether machinery frames were dropped.
 */
static bool from_probed_function(struct ft_hist *h, bool all)
{
	bool changed = false;

	for (size_t i = 0; i < h->nentries; i++) {
		for (size_t c = 0; c < h->nkeys; c++) {
			struct ft_key *k = &h->entries[i].keys[c];
			bool handler = false, dropped = false;
			const char *plus;

			if (k->kind != FT_KEY_STACK)
				continue;
			while (k->nframes > 1 && ft_stack_frame_machinery(k->frames[0], handler)) {
				handler |= !strncmp(k->frames[0], "kprobe_ftrace_handler", 21);
				k->frames++, k->nframes--, dropped = true;
			}
			plus = (all || dropped) && k->nframes ? strchr(k->frames[0], '+') : NULL;
			if (plus)
				k->frames[0] = ft_hist_strndup(h, k->frames[0],
							       (size_t)(plus - k->frames[0]));
			changed |= dropped;
		}
	}
	return changed;
}

/* The cross-check line of hist @a and bpf @b (d: their diff). */
static void cross_line(const struct ft_hist *a, const struct ft_hist *b,
		       const struct ft_hist_diff *d, const char *how)
{
	char key[256];

	if (!d->n) {
		printf("\ncross-check: hist and bpf ('%s') agree on all %zu keys%s\n", b->name,
		       d->unchanged, how);
		return;
	}
	if (!d->appeared && !d->disappeared) {
		/* The same keys: only counts moved between the reads. */
		printf("\ncross-check: hist and bpf ('%s') have the same %zu keys; counts differ "
		       "on %zu",
		       b->name, d->n + d->unchanged, d->n);
		ft_hist_key_text(a, d->v[0].a, key, sizeof(key));
		printf(", most on %s: bpf %+" PRId64 " (events that came between the two reads)\n",
		       key, d->v[0].delta);
		return;
	}
	printf("\ncross-check: hist and bpf ('%s') differ on %zu of %zu keys (%zu only in hist, "
	       "%zu only in bpf)",
	       b->name, d->n, d->n + d->unchanged, d->disappeared, d->appeared);
	for (size_t c = 0; c < d->n; c++) {
		if (d->v[c].a && d->v[c].b)
			continue;
		ft_hist_key_text(d->v[c].a ? a : b, d->v[c].a ? d->v[c].a : d->v[c].b, key,
				 sizeof(key));
		printf(", such as %s only in %s", key, d->v[c].a ? "hist" : "bpf");
		break;
	}
	printf(" (events that came between the two reads count too)\n");
}

/*
 * `hist start --backend both` counts one event with a hist trigger and with BPF: say whether
 * they agree. The two tables are read one after the other, so events that arrive in between
 * show up as differences in counts (keys that are the same, or new); on a quiet event they
 * must be equal. Stacks of kprobe events are compared from the probed function on.
 */
static void cross_check(struct ft_hist *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n; k++) {
			struct ft_hist_diff d, d2;
			bool probed = false;

			if (strcmp(v[i]->backend, "hist") || strcmp(v[k]->backend, "bpf") ||
			    ft_hist_diff(v[i], v[k], NULL, &d))
				continue;
			if (d.n && from_probed_function(v[i], false)) {
				from_probed_function(v[k], true);
				if (!ft_hist_diff(v[i], v[k], NULL, &d2)) {
					ft_hist_diff_release(&d);
					d = d2;
					probed = true;
				}
			}
			cross_line(v[i], v[k], &d,
				   probed ? " (stacks from the probed function on: the hist "
					    "trigger's begin in the kprobe's handler)"
					  : "");
			ft_hist_diff_release(&d);
		}
	}
}

static int verb_show(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_hist_where w = { .instance = NULL };
	struct ft_hist **v = NULL;
	struct ft_tfs *t;
	int c, bad = 0, ret;
	size_t n = 0;

	while ((c = ft_getopt(cmd, argc, argv, where_opts, &bad)) != -1) {
		if (c == 'i')
			w.instance = optarg;
		else if (c == 'n')
			w.name = optarg;
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind + 1 != argc)
		return ft_usage_error(cmd,
				      "show takes one event: 'ftrig hist show sched:sched_switch'");
	if (ft_hist_where_parse(cmd, argv[optind], &w))
		return FT_EXIT_USAGE;
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	ret = ft_hist_where_read(t, &w, &v, &n);
	ft_tfs_close(t);
	if (ret)
		return FT_EXIT_ERR;
	/* The kernel's layout, regenerated: byte for byte what it printed (see export.c). */
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs("\n\n", stdout);
		ft_hist_write_text(stdout, v[i]);
	}
	cross_check(v, n);
	warn_unknown(v, n);
	ft_hist_free_all(v, n);
	return FT_EXIT_OK;
}

/**
 * struct dump_opts - what `hist dump` was asked
 * @fmt: the output format
 * @out: -o FILE, or NULL for stdout
 * @dir: --dir DIR for one file per snapshot and event
 * @every_ns: --every, 0 for one snapshot
 * @count: --count, 0 for until interrupted
 * @all: --all: every event with a hist trigger
 */
struct dump_opts {
	enum ft_hist_format fmt;
	const char *out;
	const char *dir;
	uint64_t every_ns;
	long count;
	bool all;
};

/* DIR/SYS_EVENT[-NAME]-YYYYmmddTHHMMSS.mmmZ.EXT */
static void dump_path(char *p, size_t size, const struct dump_opts *o,
		      const struct ft_hist_where *w, const struct timespec *ts)
{
	struct tm tm;
	char stamp[64];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(p, size, "%s/%s%s%s_%s%s%s-%s.%03ldZ.%s", o->dir,
		 w->instance && *w->instance ? w->instance : "",
		 w->instance && *w->instance ? "_" : "", w->system, w->event, w->name ? "-" : "",
		 w->name ? w->name : "", stamp, ts->tv_nsec / 1000000, ft_hist_format_ext(o->fmt));
}

/* Write @v to @path (or stdout when NULL); the file appears whole or not at all. */
static int write_hists(const char *path, enum ft_hist_format fmt, struct ft_hist *const *v,
		       size_t n)
{
	char tmp[PATH_MAX];
	FILE *f = stdout;
	int ret;

	if (path) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		f = fopen(tmp, "w");
		if (!f) {
			ft_err("cannot write %s: %s", tmp, strerror(errno));
			return -errno;
		}
	}
	ret = ft_hist_write(f, fmt, v, n);
	if (path) {
		if (fclose(f) && !ret)
			ret = -EIO;
		if (!ret && rename(tmp, path))
			ret = -errno;
		if (ret) {
			ft_err("cannot write %s: %s", path, strerror(-ret));
			unlink(tmp);
		}
	} else if (fflush(stdout)) {
		ret = -EIO;
	}
	return ret;
}

/* The events (with instance) that have a hist trigger now. */
struct target {
	struct ft_hist_where w;
	char inst[256];
};

static void add_if_hist(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			struct target **v, size_t *n)
{
	char *text, *line;
	struct target *nv;

	text = ft_tfs_event_read(t, inst, sys, ev, "trigger", NULL);
	line = text;
	while (line && strncmp(line, "hist:", 5)) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	if (line && (nv = realloc(*v, (*n + 1) * sizeof(*nv)))) {
		*v = nv;
		memset(&nv[*n], 0, sizeof(nv[*n]));
		snprintf(nv[*n].w.system, sizeof(nv[*n].w.system), "%s", sys);
		snprintf(nv[*n].w.event, sizeof(nv[*n].w.event), "%s", ev);
		snprintf(nv[*n].inst, sizeof(nv[*n].inst), "%s", inst ? inst : "");
		/* a latency's histogram is listed once, under its synthetic event */
		nv[*n].w.own_only = true;
		(*n)++;
	}
	free(text);
}

static void scan_instance(struct ft_tfs *t, const char *inst, struct target **v, size_t *n)
{
	/* An instance has the same events as the top level: list those, read the instance's. */
	char **systems = ft_tfs_systems(t), **events;

	for (int s = 0; systems && systems[s]; s++) {
		events = ft_tfs_events(t, systems[s]);
		for (int e = 0; events && events[e]; e++)
			add_if_hist(t, inst, systems[s], events[e], v, n);
		ft_tfs_list_free(events);
	}
	ft_tfs_list_free(systems);
}

/* Add the events pinned BPF aggregations count, once each, at the top level. */
static void add_bpf_targets(struct target **v, size_t *n)
{
	char **names = NULL;
	size_t nn = 0;

	ft_bpf_pinned_list(&names, &nn);
	for (size_t i = 0; i < nn; i++) {
		const struct ft_bpf_plan *p;
		struct ft_bpf_agg *a;
		struct target *nv;
		bool seen = false;

		if (ft_bpf_agg_open_pinned(names[i], &a))
			continue;
		p = ft_bpf_agg_plan(a);
		for (size_t k = 0; p && k < *n; k++)
			seen |= !(*v)[k].inst[0] && !strcmp((*v)[k].w.system, p->system) &&
				!strcmp((*v)[k].w.event, p->event);
		if (p && !seen && (nv = realloc(*v, (*n + 1) * sizeof(*nv)))) {
			*v = nv;
			memset(&nv[*n], 0, sizeof(nv[*n]));
			snprintf(nv[*n].w.system, sizeof(nv[*n].w.system), "%s", p->system);
			snprintf(nv[*n].w.event, sizeof(nv[*n].w.event), "%s", p->event);
			(*n)++;
		}
		ft_bpf_agg_destroy(a);
	}
	ft_bpf_pinned_list_free(names);
}

/*
 * --all: every event of the top level and of every instance with a hist trigger, and every
 * event a pinned BPF aggregation counts.
 */
static int find_targets(struct ft_tfs *t, struct target **v, size_t *n)
{
	bool kernel_hist = ft_tfs_event_exists(t, NULL, "sched", "sched_switch", "hist") ||
			   ft_tfs_event_exists(t, NULL, "syscalls", "sys_enter_openat", "hist");
	char **inst = kernel_hist ? ft_tfs_instances(t) : NULL;

	*v = NULL;
	*n = 0;
	if (kernel_hist) {
		scan_instance(t, NULL, v, n);
		for (int i = 0; inst && inst[i]; i++)
			scan_instance(t, inst[i], v, n);
	}
	add_bpf_targets(v, n);
	ft_tfs_list_free(inst);
	for (size_t i = 0; i < *n; i++)
		(*v)[i].w.instance = (*v)[i].inst;
	if (!*n && !kernel_hist)
		ft_err("this kernel has no hist triggers (no 'hist' file in its event folders) and "
		       "no BPF aggregation is pinned: start one with 'ftrig hist start EVENT --key "
		       "FIELD --backend bpf'");
	else if (!*n)
		ft_err("no event has a hist trigger; start one with 'ftrig hist start EVENT --key "
		       "FIELD'");
	return *n ? 0 : kernel_hist ? -ENOENT : -EOPNOTSUPP;
}

/* One round of snapshots of every target: to files in --dir, or all together to -o/stdout. */
static int dump_round(struct ft_tfs *t, const struct dump_opts *o, struct target *tg, size_t ntg)
{
	struct ft_hist **all = NULL;
	size_t nall = 0;
	int ret = 0;

	for (size_t i = 0; !ret && i < ntg; i++) {
		struct ft_hist **v, **na;
		size_t n;
		char path[PATH_MAX];

		ret = ft_hist_where_read(t, &tg[i].w, &v, &n);
		if (ret && o->all && ret == -ENOENT) {
			ret = 0; /* removed since the scan */
			continue;
		}
		if (ret)
			break;
		warn_unknown(v, n);
		if (o->dir) {
			dump_path(path, sizeof(path), o, &tg[i].w, &v[0]->taken);
			ret = write_hists(path, o->fmt, v, n);
			if (!ret)
				ft_info("wrote %s", path);
			ft_hist_free_all(v, n);
			continue;
		}
		na = realloc(all, (nall + n) * sizeof(*na));
		if (!na) {
			ft_hist_free_all(v, n);
			ret = -ENOMEM;
			break;
		}
		all = na;
		memcpy(all + nall, v, n * sizeof(*v));
		nall += n;
		free(v);
	}
	if (!ret && !o->dir)
		ret = write_hists(o->out, o->fmt, all, nall);
	ft_hist_free_all(all, nall);
	return ret;
}

static void sleep_until(struct timespec *next, uint64_t step_ns)
{
	uint64_t ns = (uint64_t)next->tv_nsec + step_ns;

	next->tv_sec += (time_t)(ns / 1000000000u);
	next->tv_nsec = (long)(ns % 1000000000u);
	while (!ft_stop_signal &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

static int dump_run(const struct dump_opts *o, struct target *tg, size_t ntg)
{
	struct timespec next;
	struct ft_tfs *t;
	int ret = 0;

	if (ft_tfs_open(&t))
		return -EIO;
	if (o->all) {
		ret = find_targets(t, &tg, &ntg);
		if (ret) {
			ft_tfs_close(t);
			return ret;
		}
	}
	if (o->every_ns)
		ft_signals_install();
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long i = 0; !ret && !ft_stop_signal && (!o->count || i < o->count); i++) {
		if (i)
			sleep_until(&next, o->every_ns);
		if (ft_stop_signal)
			break;
		ret = dump_round(t, o, tg, ntg);
		if (!o->every_ns)
			break;
	}
	if (o->all)
		free(tg);
	ft_tfs_close(t);
	return ret;
}

static int dump_check(const struct ft_cmd *cmd, const struct dump_opts *o, int nargs)
{
	if (o->all ? nargs != 0 : nargs != 1)
		return ft_usage_error(cmd, o->all ? "--all takes no event"
						  : "dump takes one event "
						    "(or --all)");
	if (o->every_ns && !o->dir)
		return ft_usage_error(cmd, "--every writes one file per snapshot: give --dir DIR");
	if (o->count && !o->every_ns)
		return ft_usage_error(cmd, "--count counts --every snapshots: give --every too");
	if (o->out && o->dir)
		return ft_usage_error(cmd, "-o FILE and --dir DIR exclude each other");
	if (o->dir && ft_mkdir_p(o->dir, 0755)) {
		ft_err("cannot create %s: %s", o->dir, strerror(errno));
		return FT_EXIT_ERR;
	}
	return 0;
}

static int dump_opt(const struct ft_cmd *cmd, int c, struct dump_opts *o, struct ft_hist_where *w)
{
	unsigned long long ms;
	int fmt;

	switch (c) {
	case 'f':
		fmt = ft_hist_format_lookup(optarg);
		if (fmt < 0)
			return ft_usage_error(cmd, "no format '%s'; use json, csv, folded or text",
					      optarg);
		o->fmt = (enum ft_hist_format)fmt;
		return 0;
	case 'e':
		o->every_ns = ft_duration_parse(optarg, &ms) ? 0 : ms * 1000000ull;
		return o->every_ns
			       ? 0
			       : ft_usage_error(cmd, "'%s' is not a duration; e.g. 10s, 500ms, 1m",
						optarg);
	case 'c':
		o->count = strtol(optarg, NULL, 10);
		return o->count > 0 ? 0 : ft_usage_error(cmd, "--count needs a positive number");
	case 'o':
		o->out = optarg;
		return 0;
	case 'd':
		o->dir = optarg;
		return 0;
	case 'a':
		o->all = true;
		return 0;
	case 'i':
		w->instance = optarg;
		return 0;
	case 'n':
		w->name = optarg;
		return 0;
	}
	return 0;
}

static int verb_dump(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "dir", required_argument, NULL, 'd' },
		{ "every", required_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ "instance", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct dump_opts o = { .fmt = FT_HIST_FMT_JSON };
	struct target tg = { .w = { .instance = NULL } };
	int c, bad = 0, ret;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1)
		if ((ret = dump_opt(cmd, c, &o, &tg.w)))
			return ret;
	if (bad)
		return FT_EXIT_USAGE;
	ret = dump_check(cmd, &o, argc - optind);
	if (ret)
		return ret;
	if (!o.all && ft_hist_where_parse(cmd, argv[optind], &tg.w))
		return FT_EXIT_USAGE;
	ret = dump_run(&o, &tg, 1);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

static const struct ft_verb verbs[] = {
	{ "start", NULL, ft_cmd_hist_start }, { "pause", NULL, ft_cmd_hist_pause },
	{ "cont", NULL, ft_cmd_hist_cont },   { "clear", NULL, ft_cmd_hist_clear },
	{ "rm", NULL, ft_cmd_hist_rm },	      { "show", NULL, verb_show },
	{ "dump", NULL, verb_dump },	      { "diff", NULL, ft_cmd_hist_diff },
	{ "stats", NULL, ft_cmd_hist_stats },
};

/* The `hist` subcommand's verbs, dispatched by ft_cmd_verbs(). */
const struct ft_verbs ft_hist_verbs = {
	verbs,
	FT_ARRAY_SIZE(verbs),
	"say what to do: start, pause, cont, clear, rm, show, dump, diff or stats",
	{ "no verb '", "'; the verbs are start, pause, cont, clear, rm, show, dump, diff, stats" },
};
