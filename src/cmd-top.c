// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig top: a live view of kernel histograms, full screen (ui/) or in batch mode (text or
 * JSON lines each interval). Each EVENT (or --attach EVENT) on the command line is one tab;
 * the options after it apply to it. Rates come from successive snapshots: no kernel table is
 * cleared for them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "evhint.h"
#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "names.h"
#include "session.h"
#include "setup/setup.h"
#include "source.h"
#include "tfs.h"
#include "top-source.h"
#include "ui/top.h"
#include "ui/tty.h"

#define TOP_MAX_TABS FT_TOP_FEED_MAX
#define TOP_MAX_ARGS 64

/* The default view: system calls per process. */
static const char *const default_args[] = { "raw_syscalls:sys_enter", "--key",
					    "common_pid.execname" };

/**
 * struct top_group - the arguments of one tab
 * @argv: EVENT and its spec options, as given (for the spec parser)
 * @argc: how many
 * @attach: --attach: watch an existing hist
 * @latency: --latency START,END: @argv[0] is its value, not an event
 * @backend: --backend, or NULL for auto
 */
struct top_group {
	char *argv[TOP_MAX_ARGS];
	int argc;
	bool attach;
	bool latency;
	const char *backend;
};

/**
 * struct top_opts - the command line
 * @batch: -b
 * @json: --json
 * @iterations: -n, 0 for no end
 * @delay: -d, seconds
 * @g: the tabs
 * @ng: how many
 * @defaults: the default view's arguments, writable (the spec parser splits in place)
 */
struct top_opts {
	bool batch, json;
	long iterations;
	double delay;
	struct top_group g[TOP_MAX_TABS];
	size_t ng;
	char defaults[3][32];
};

/* The spec options a tab takes, forwarded to the spec parser. */
static bool spec_option(const char *o)
{
	static const char *const names[] = { "key",    "val",  "sort",	   "size",
					     "filter", "name", "instance", "match" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(o, names[i]))
			return true;
	return false;
}

/* A new tab whose event is @event. */
static int group_new(const struct ft_cmd *cmd, struct top_opts *o, char *event, bool attach)
{
	struct top_group *g = &o->g[o->ng ? o->ng - 1 : 0];

	/* Options before the first event belong to it. */
	if (o->ng && g->argc && g->argv[0][0] != '-')
		g = NULL;
	if (!o->ng || !g) {
		if (o->ng == TOP_MAX_TABS)
			return ft_usage_error(cmd, "at most %d hists at once (tabs 1-9)",
					      TOP_MAX_TABS);
		g = &o->g[o->ng++];
	}
	memmove(g->argv + 1, g->argv, (size_t)g->argc * sizeof(*g->argv));
	g->argv[0] = event;
	g->argc++;
	g->attach = attach;
	return 0;
}

static int group_add(const struct ft_cmd *cmd, struct top_opts *o, char *a, char *v)
{
	struct top_group *g;

	if (!o->ng)
		o->ng = 1;
	g = &o->g[o->ng - 1];
	if (g->argc + 2 > TOP_MAX_ARGS)
		return ft_usage_error(cmd, "too many options");
	g->argv[g->argc++] = a;
	if (v)
		g->argv[g->argc++] = v;
	return 0;
}

/* -n N and -d SECS. */
static int number(const struct ft_cmd *cmd, const char *opt, const char *v, struct top_opts *o)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || *end || !isfinite(d) || d < 0)
		return ft_usage_error(cmd, "%s takes a number, not '%s'", opt, v);
	if (opt[1] == 'n' || !strcmp(opt, "--iterations")) {
		if (d != floor(d))
			return ft_usage_error(cmd, "%s takes a whole number, not '%s'", opt, v);
		if (d < 1)
			return ft_usage_error(cmd,
					      "%s %s: at least 1 table; leave %s out to run until "
					      "interrupted",
					      opt, v, opt);
		o->iterations = (long)d;
	} else {
		if (d < 0.1 || d > 3600)
			return ft_usage_error(cmd, "%s %s: the interval is 0.1 to 3600 seconds",
					      opt, v);
		o->delay = d;
	}
	return 0;
}

/* One option @a with its value @v (NULL when it takes none); 1 when @v was used. */
static int option(const struct ft_cmd *cmd, struct top_opts *o, char *a, char *v)
{
	const char *n = a + (a[1] == '-' ? 2 : 1);

	if (!strcmp(a, "-b") || !strcmp(a, "--batch"))
		return o->batch = true, 0;
	if (!strcmp(a, "--json"))
		return o->json = o->batch = true, 0;
	if (!strcmp(a, "--sort"))
		return ft_usage_error(cmd, "--sort does not apply to top: the view sorts itself "
					   "(press s for the next column, r to reverse)");
	if (!strcmp(a, "--skip-missing"))
		return group_add(cmd, o, a, NULL);
	if (strcmp(a, "-n") && strcmp(a, "--iterations") && strcmp(a, "-d") &&
	    strcmp(a, "--delay") && strcmp(a, "--attach") && strcmp(a, "--latency") &&
	    strcmp(a, "--backend") && !(a[1] == '-' && spec_option(n)))
		return ft_usage_error(cmd, "unknown option '%s'", a);
	if (!v)
		return ft_usage_error(cmd, "option '%s' needs a value", a);
	if (!strcmp(a, "-n") || !strcmp(a, "--iterations") || !strcmp(a, "-d") ||
	    !strcmp(a, "--delay"))
		return number(cmd, a, v, o) ?: 1;
	if (!strcmp(a, "--attach"))
		return group_new(cmd, o, v, true) ?: 1;
	if (!strcmp(a, "--latency"))
		return group_new(cmd, o, v, false) ?: (o->g[o->ng - 1].latency = true, 1);
	if (!strcmp(a, "--backend")) {
		if (ft_backend_lookup(v) < 0 || ft_backend_lookup(v) == FT_BACKEND_BOTH)
			return ft_usage_error(cmd, "--backend is auto, hist or bpf, not '%s'", v);
		if (!o->ng)
			o->ng = 1;
		o->g[o->ng - 1].backend = v;
		return 1;
	}
	return group_add(cmd, o, a, v) ?: 1;
}

static int parse_args(const struct ft_cmd *cmd, int argc, char **argv, struct top_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->delay = 1;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
		char *v = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : NULL;
		int ret;

		if (a[0] != '-') {
			ret = group_new(cmd, o, a, false);
		} else if ((a[1] == 'n' || a[1] == 'd') && a[2]) {
			/* -n1, -d0.5: the value attached, as getopt takes it (TOP-6) */
			ret = number(cmd, a[1] == 'n' ? "-n" : "-d", a + 2, o);
		} else {
			if (eq)
				*eq = '\0';
			ret = option(cmd, o, a, v);
			if (ret == 1 && !eq)
				i++;
		}
		if (ret > 1)
			return ret;
	}
	for (size_t i = 0; i < o->ng; i++)
		if (!o->g[i].argc || o->g[i].argv[0][0] == '-')
			return ft_usage_error(cmd, "which event? give SYSTEM:EVENT before '%s'",
					      o->g[i].argc ? o->g[i].argv[0] : "--backend");
	if (!o->ng) {
		o->ng = 1;
		for (int i = 0; i < 3; i++) {
			snprintf(o->defaults[i], sizeof(o->defaults[i]), "%s", default_args[i]);
			o->g[0].argv[i] = o->defaults[i];
		}
		o->g[0].argc = 3;
	}
	return 0;
}

/* --attach EVENT [--name N] [--instance I]: which hist; nothing else applies. */
static int attach_parse(const struct ft_cmd *cmd, struct top_group *g, struct ft_hist_spec *spec)
{
	size_t n;

	memset(spec, 0, sizeof(*spec));
	if (ft_event_split(g->argv[0], &n, &spec->event))
		return ft_usage_error(cmd, "--attach '%s' is not an event: write SYSTEM:EVENT",
				      g->argv[0]);
	g->argv[0][n] = '\0';
	spec->system = g->argv[0];
	for (int i = 1; i + 1 < g->argc; i += 2) {
		if (!strcmp(g->argv[i], "--name"))
			spec->name = g->argv[i + 1];
		else if (!strcmp(g->argv[i], "--instance"))
			spec->instance = g->argv[i + 1];
		else
			return ft_usage_error(cmd,
					      "--attach watches a hist as it is: '%s' does not "
					      "apply (only --name and --instance do)",
					      g->argv[i]);
	}
	if (g->backend)
		return ft_usage_error(cmd,
				      "--attach reads a hist trigger: --backend does not apply");
	return 0;
}

/*
 * O04: an unknown event is the cause to name, not the --key it lacks: whether @sys:@ev (as
 * the spec parser split it; no glob) is missing from tracefs (said, with the closest events).
 */
static bool event_missing(const char *sys, const char *ev)
{
	char rel[600], name[520], hint[512];
	struct ft_tfs *t;
	bool missing;

	if (!sys || !ev || strpbrk(sys, "*?[") || strpbrk(ev, "*?[") || ft_tfs_open(&t))
		return false;
	snprintf(rel, sizeof(rel), "events/%s/%s/format", sys, ev);
	snprintf(name, sizeof(name), "%s:%s", sys, ev);
	missing = !ft_tfs_exists(t, NULL, rel);
	if (missing)
		ft_err("no event %s%s", name,
		       *ft_event_hint(t, name, hint, sizeof(hint))
			       ? hint
			       : "; 'ftrig list events' shows them");
	ft_tfs_close(t);
	return missing;
}

static int group_spec(const struct ft_cmd *cmd, struct top_group *g, struct ft_hist_spec *spec,
		      enum ft_backend *backend)
{
	char err[256];

	if (g->attach)
		return attach_parse(cmd, g, spec);
	if (g->latency) {
		/* the spec parser reads START,END (and its match fields) as --latency's value */
		char *argv[TOP_MAX_ARGS + 1] = { "--latency" };

		memcpy(argv + 1, g->argv, (size_t)g->argc * sizeof(*argv));
		if (ft_hist_spec_parse(g->argc + 1, argv, spec, err, sizeof(err)))
			return event_missing(spec->system, spec->event) ||
					       event_missing(spec->end_system, spec->end_event)
				       ? FT_EXIT_ERR
				       : ft_usage_error(cmd, "%s", err);
	} else if (ft_hist_spec_parse(g->argc, g->argv, spec, err, sizeof(err))) {
		return event_missing(spec->system, spec->event) ? FT_EXIT_ERR
								: ft_usage_error(cmd, "%s", err);
	}
	*backend = (enum ft_backend)ft_backend_lookup(g->backend);
	return 0;
}

/* Sleep @sec seconds, or less when a stop signal comes. */
static void pause_for(double sec)
{
	struct timespec ts = { (time_t)sec, (long)((sec - floor(sec)) * 1e9) };

	while (!ft_stop_signal && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A tab's words as typed after 'ftrig top', for e to edit; before the spec parser splits
 * them. NULL when out of memory. */
static char *group_text(const struct top_group *g)
{
	char *w[TOP_MAX_ARGS + 3];
	int n = 0;

	if (g->attach || g->latency)
		w[n++] = g->attach ? "--attach" : "--latency";
	memcpy(w + n, g->argv, (size_t)g->argc * sizeof(*w));
	n += g->argc;
	if (g->backend) {
		w[n++] = "--backend";
		w[n++] = (char *)g->backend;
	}
	return ft_setup_quote(n, w);
}

/**
 * struct view_ctx - what the view's callbacks are handed
 * @feed: the tabs' sources
 * @cmd: the command's row, without usage text: words typed in the view are told in one line
 */
struct view_ctx {
	struct ft_top_feed feed;
	struct ft_cmd cmd;
};

/* The view's refresh: a snapshot of every tab's source. */
static int refresh(struct ft_top_view *v, void *data)
{
	struct view_ctx *c = data;

	return ft_top_tick(v, c->feed.src, c->feed.n);
}

/* The words typed for a tab (e, n): one tab's spec, nothing of the whole view's. */
static int respec_parse(struct view_ctx *f, const char *text, struct top_opts *o,
			struct ft_hist_spec *spec, enum ft_backend *be, char **argv, int argc)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-b") || !strcmp(argv[i], "--batch") ||
		    !strcmp(argv[i], "--json") || !strncmp(argv[i], "-n", 2) ||
		    !strncmp(argv[i], "-d", 2) || !strcmp(argv[i], "--iterations") ||
		    !strcmp(argv[i], "--delay")) {
			ft_err("'%s' is for the whole view, not a tab: type EVENT --key ... "
			       "[--filter ...] (+ and - change the interval)",
			       argv[i]);
			return -EINVAL;
		}
	if (parse_args(&f->cmd, argc, argv, o))
		return -EINVAL;
	if (argc < 2 || o->ng != 1) {
		ft_err("'%s': type one tab's spec: EVENT --key F [--filter EXPR] ...", text);
		return -EINVAL;
	}
	return group_spec(&f->cmd, &o->g[0], spec, be) ? -EINVAL : 0;
}

/*
 * The view's e and n (TOP-7): the typed words make a new source for tab @tab (a new tab when
 * it is the number of tabs); only once it exists does the old one go, with what it made.
 */
static int respec(struct ft_top_view *v, size_t tab, const char *text, void *data)
{
	char *words[TOP_MAX_ARGS + 1] = { "top" }, **argv = NULL;
	struct view_ctx *c = data;
	struct ft_hist_spec spec;
	struct top_opts o;
	enum ft_backend be;
	int argc = 0, ret;

	if (tab < c->feed.n && v->tabs[tab].args && !strcmp(text, v->tabs[tab].args))
		return -EALREADY; /* unchanged: nothing to make */
	ret = ft_setup_words(text, &argc, &argv);
	if (ret == -EINVAL || (!ret && argc > TOP_MAX_ARGS - 1)) {
		ft_err("'%s': %s", text, ret ? "a quote is not closed" : "too many words");
		ret = -EINVAL;
	}
	if (!ret) {
		memcpy(words + 1, argv, (size_t)argc * sizeof(*words));
		ret = respec_parse(c, text, &o, &spec, &be, words, argc + 1);
	}
	if (!ret)
		ret = ft_top_feed_add(&c->feed, v, tab, o.g[0].attach, &spec, be);
	if (!ret)
		ret = ft_top_view_set_args(v, tab, text);
	ft_setup_words_free(argc, argv);
	return ret == -ENOMEM ? ret : ret ? -EINVAL : 0;
}

/* Batch mode: the tables (or JSON lines) every interval, -n times or until a signal. */
static int batch(struct top_opts *o, struct ft_top_view *v, struct view_ctx *c)
{
	/*
	 * Every table covers one interval, the first too: printed at once it would have no
	 * LAST or RATE (TOP-6), so it waits for the second snapshot like the others.
	 */
	for (long i = 0; !o->iterations || i < o->iterations; i++) {
		int failed;

		pause_for(o->delay);
		if (ft_stop_signal)
			break;
		/* A hist that went away (removed, or its instance) is said, and ends the run
		 * with an error rather than tables of frozen numbers (TOP-5). */
		failed = refresh(v, c);
		if (failed) {
			if (failed > 0)
				ft_err("stopped: a hist could not be read any more (see above)");
			return failed > 0 ? -ENOENT : failed;
		}
		for (size_t t = 0; t < c->feed.n; t++) {
			int ret = o->json ? ft_top_write_json(v, t, stdout)
					  : ft_top_write_text(v, t, stdout);

			if (ret == -EIO)
				return 0; /* the reader went away (EPIPE): nothing left to do */
			if (ret) {
				ft_err("out of memory");
				return -ENOMEM;
			}
		}
	}
	return 0;
}

/* What the view asks to show a process under the name it has now (TOP-8). */
static int task_comm(uint32_t pid, char *buf, size_t size, void *data)
{
	(void)data;
	return ft_task_comm(pid, buf, size);
}

/*
 * While the sources are made for the live view: messages go to stderr as always, and the
 * last one is kept for the status line, where the screen shows it (why a tab counts with
 * BPF, say: on stderr alone it was hidden behind the screen, TOP-1).
 */
static void keep_sink(enum ft_log_level level, const char *msg, void *data)
{
	struct ft_top_view *v = data;

	ft_log_stderr(level, msg);
	if (level <= FT_LOG_INFO)
		snprintf(v->status, sizeof(v->status), "%s", msg);
}

/* The sources, the view and its first snapshot; then the screen or batch mode. */
static int run(const struct ft_cmd *cmd, struct top_opts *o, struct ft_hist_spec *specs,
	       enum ft_backend *be, char **args, struct ft_session *s)
{
	struct ft_histsvc svc;
	struct ft_top_view *v = ft_top_view_alloc((unsigned)(o->delay * 1000 + 0.5));
	struct view_ctx c = { .feed.svc = &svc, .cmd = *cmd };
	int ret = v ? 0 : -ENOMEM;
	size_t n = 0;

	if (v)
		v->comm = task_comm;
	if (v && !o->batch)
		ft_log_set_sink(keep_sink, v);
	ft_histsvc_init(&svc, s->tfs, s->ledger, s);
	for (; !ret && n < o->ng; n++) {
		ret = ft_top_feed_add(&c.feed, v, n, o->g[n].attach, &specs[n], be[n]);
		if (!ret && args[n] && ft_top_view_set_args(v, n, args[n]))
			ret = -ENOMEM;
	}
	ft_log_set_sink(NULL, NULL);
	c.cmd.usage = NULL; /* what is typed in the view is told in one line */
	if (!ret) {
		/* A hist that cannot be read now will not be read later: say so and stop. */
		ret = refresh(v, &c);
		if (ret > 0)
			ft_err("nothing to show: %s", "a hist could not be read (see above)");
		ret = ret > 0 ? -ENOENT : ret;
	}
	if (!ret)
		ret = o->batch ? batch(o, v, &c) : ft_ui_run(v, refresh, respec, &c);
	ft_top_feed_release(&c.feed);
	ft_top_view_free(v);
	return ret;
}

/* ftrig top in session @given, or in a session of its own when @given is NULL. */
static int top_main(const struct ft_cmd *cmd, int argc, char **argv, struct ft_session *given)
{
	struct ft_hist_spec specs[TOP_MAX_TABS];
	enum ft_backend be[TOP_MAX_TABS];
	char *args[TOP_MAX_TABS] = { 0 };
	struct top_opts o;
	struct ft_session *s = given;
	int ret = parse_args(cmd, argc, argv, &o);

	/* e edits a tab's words as given: taken before the spec parser splits them */
	for (size_t i = 0; !ret && i < o.ng; i++) {
		args[i] = group_text(&o.g[i]);
		ret = group_spec(cmd, &o.g[i], &specs[i], &be[i]);
	}
	if (!ret && !o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		/* Before anything is loaded or created (TOP-6): the live view needs a terminal. */
		ft_err("the live view needs a terminal: use -b for batch mode (or --json)");
		ret = FT_EXIT_ERR;
	}
	if (!ret && !given && ft_session_begin(&s))
		ret = FT_EXIT_ERR;
	if (!ret) {
		ret = run(cmd, &o, specs, be, args, s);
		/* several hists for one --attach: which one is the user's to say (--name) */
		ret = ret == -ENOTUNIQ ? FT_EXIT_USAGE : ret ? FT_EXIT_ERR : FT_EXIT_OK;
		if (!given && ft_session_end(s))
			ret = FT_EXIT_ERR;
	}
	for (size_t i = 0; i < o.ng; i++)
		free(args[i]);
	return ret;
}

/**
 * ft_cmd_top() - ftrig top: the live view of kernel histograms
 * @cmd: its command table row
 * @argc: argument count
 * @argv: arguments, argv[0] being "top"
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR (the cause logged; what ftrig created is removed) or
 * FT_EXIT_USAGE.
 */
int ft_cmd_top(const struct ft_cmd *cmd, int argc, char **argv)
{
	return top_main(cmd, argc, argv, NULL);
}

/**
 * ft_top_in_session() - ftrig top inside a session that exists already
 * @cmd: top's command table row
 * @s: the session (a tool's, under --live): what the view makes goes into its ledger, beside
 *     what the tool made (its probes), and is undone when its owner ends it, not here
 * @argc: argument count
 * @argv: arguments, argv[0] being "top"
 *
 * One process, one session: a second session would journal under the same name and create
 * the same instance as the first.
 *
 * Return: as ft_cmd_top().
 */
int ft_top_in_session(const struct ft_cmd *cmd, struct ft_session *s, int argc, char **argv)
{
	return top_main(cmd, argc, argv, s);
}
