// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig hist VERB ...: kernel histograms as data. This file holds the verb table, the verbs
 * that create and control histograms (start, pause, cont, clear, rm) and those that read
 * them (show, dump); diff and stats, which read dump files, live in src/cmd-hist-file.c. What
 * they do to the kernel is the histogram service's (src/histsvc/).
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

#include "cmd.h"
#include "cmd-hist.h"
#include "dryrun.h"
#include "hist/export.h"
#include "hist/export-json.h"
#include "hist/export-text.h"
#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "names.h"
#include "signals.h"
#include "tfs.h"
#include "util.h"
#include "writes.h"

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
	if (ft_event_split_copy(arg, w->system, sizeof(w->system), w->event, sizeof(w->event)))
		return ft_usage_error(cmd,
				      "'%s' is not an event; name it SYSTEM:EVENT, e.g. "
				      "sched:sched_switch",
				      arg);
	return 0;
}

/* `hist start [--dry-run] SPEC`: a histogram that outlives the command. */
static int verb_start(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_writes own = { 0 }, *dry = NULL;
	struct ft_hist_spec spec;
	struct ft_histsvc svc;
	struct ft_ledger *l;
	struct ft_tfs *t;
	char err[256];
	int n = 0, ret;

	/* --dry-run is ours; everything else is the spec's (shared with top). */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry = &own;
		else
			argv[n++] = argv[i];
	}
	if (ft_hist_spec_parse(n, argv, &spec, err, sizeof(err)))
		return ft_usage_error(cmd, "%s", err);
	if (ft_trig_open_all(&t, &l, !dry))
		return FT_EXIT_ERR;
	ft_histsvc_init(&svc, t, l, NULL);
	/* the spec parser took only auto, hist, bpf or both */
	ret = ft_histsvc_start(&svc, &spec, (enum ft_backend)ft_backend_lookup(spec.backend), dry,
			       stdout);
	if (!ret && dry)
		ret = ft_writes_print(&own, stdout);
	ft_writes_release(&own);
	ft_trig_close_all(t, l);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

/* hist pause|cont|clear|rm EVENT [--name N] [--instance I] [--dry-run] */
static int control(const struct ft_cmd *cmd, int argc, char **argv, enum ft_hist_op op)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'N' },
					      { "instance", required_argument, NULL, 'i' },
					      { "dry-run", no_argument, NULL, 'n' },
					      { NULL, 0, NULL, 0 } };
	const char *name = NULL, *inst = NULL;
	bool dry_run = false;
	struct ft_histsvc svc;
	struct ft_ledger *l;
	struct ft_tfs *t;
	struct ft_dry dry;
	int c, bad = 0, ret;

	optind = 0;
	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 'N')
			name = optarg;
		if (c == 'i')
			inst = optarg;
		dry_run |= c == 'n';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (argc - optind != 1)
		return ft_usage_error(cmd, "hist %s takes one EVENT", argv[0]);
	if (ft_trig_open_all(&t, &l, !dry_run))
		return FT_EXIT_ERR;
	ft_histsvc_init(&svc, t, l, NULL);
	ret = dry_run ? ft_dry_open(&dry) : 0;
	if (!ret)
		ret = ft_histsvc_control(&svc, inst, argv[optind], name, op, dry_run ? &dry : NULL,
					 stdout);
	if (!ret && dry_run)
		ret = ft_writes_print(&dry.w, stdout);
	if (dry_run)
		ft_dry_close(&dry);
	ft_trig_close_all(t, l);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

static int verb_pause(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_PAUSE);
}

static int verb_cont(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_CONT);
}

static int verb_clear(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_CLEAR);
}

static int verb_rm(const struct ft_cmd *cmd, int argc, char **argv)
{
	return control(cmd, argc, argv, FT_HIST_RM);
}

static void warn_unknown(struct ft_hist *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->nunknown)
			ft_warn("%s: %zu line(s) of the hist not understood, first: '%s'",
				v[i]->event, v[i]->nunknown, v[i]->unknown[0]);
}

/*
 * `hist show`: the kernel's layout regenerated, or with --json the dump's JSON document (one
 * schema for show and dump); a cross-check of --backend both then goes to stderr, so that
 * stdout stays one document.
 */
static int verb_show(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct ft_hist_where w = { .instance = NULL };
	struct ft_hist **v = NULL;
	struct ft_histsvc svc;
	struct ft_tfs *t;
	int c, bad = 0, ret;
	bool json = false;
	size_t n = 0;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 'i')
			w.instance = optarg;
		else if (c == 'n')
			w.name = optarg;
		else if (c == 'j')
			json = true;
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
	ft_histsvc_init(&svc, t, NULL, NULL);
	ret = ft_histsvc_collect(&svc, &w, &v, &n);
	ft_tfs_close(t);
	if (ret)
		return FT_EXIT_ERR;
	/* The kernel's layout, regenerated: byte for byte what it printed (see hist/export-text.c). */
	for (size_t i = 0; !json && i < n; i++) {
		if (i)
			fputs("\n\n", stdout);
		ft_hist_write_text(stdout, v[i]);
	}
	if (json)
		ft_hist_write_json(stdout, v, n, false);
	ft_histsvc_cross_check(v, n, json ? stderr : stdout);
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

/* One round of snapshots of every target: to files in --dir, or all together to -o/stdout. */
static int dump_round(struct ft_histsvc *svc, const struct dump_opts *o, struct ft_hist_target *tg,
		      size_t ntg)
{
	struct ft_hist **all = NULL;
	size_t nall = 0;
	int ret = 0;

	for (size_t i = 0; !ret && i < ntg; i++) {
		struct ft_hist **v, **na;
		size_t n;
		char path[PATH_MAX];

		ret = ft_histsvc_collect(svc, &tg[i].w, &v, &n);
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

static int dump_run(const struct dump_opts *o, struct ft_hist_target *tg, size_t ntg)
{
	struct ft_histsvc svc;
	struct timespec next;
	struct ft_tfs *t;
	int ret = 0;

	if (ft_tfs_open(&t))
		return -EIO;
	ft_histsvc_init(&svc, t, NULL, NULL);
	if (o->all) {
		ret = ft_histsvc_find_all(&svc, &tg, &ntg);
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
		ret = dump_round(&svc, o, tg, ntg);
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
	struct ft_hist_target tg = { .w = { .instance = NULL } };
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
	{ "start", NULL, verb_start },
	{ "pause", NULL, verb_pause },
	{ "cont", NULL, verb_cont },
	{ "clear", NULL, verb_clear },
	{ "rm", NULL, verb_rm },
	{ "show", NULL, verb_show },
	{ "dump", NULL, verb_dump },
	{ "diff", NULL, ft_cmd_hist_diff },
	{ "stats", NULL, ft_cmd_hist_stats },
};

/* The `hist` subcommand's verbs, dispatched by ft_cmd_verbs(). */
const struct ft_verbs ft_hist_verbs = {
	verbs,
	FT_ARRAY_SIZE(verbs),
	"say what to do: start, pause, cont, clear, rm, show, dump, diff or stats",
	{ "no verb '", "'; the verbs are start, pause, cont, clear, rm, show, dump, diff, stats" },
};
