// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig serve: the in-kernel aggregations as Prometheus metrics, read at every scrape, over
 * HTTP (GET /metrics, the text format or OpenMetrics by the Accept header) and/or written to
 * a node_exporter textfile directory every interval. It only reads: no endpoint changes
 * anything, and it leaves nothing behind (its textfile goes when it stops).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "hist/hist.h"
#include "histsvc/histsvc.h"
#include "http.h"
#include "log.h"
#include "metrics/om.h"
#include "names.h"
#include "serve/export.h"
#include "serve/gather.h"
#include "signals.h"
#include "tfs.h"
#include "util.h"

#define DEFAULT_LISTEN "127.0.0.1:9464"
#define TEXTFILE "ftrig.prom"

/**
 * struct serve - a serving process
 * @svc: the histogram service it reads with
 * @what: what it exports
 * @o: the exposition's options
 * @st: what it keeps between scrapes (counter resets, the series limit's choice)
 * @said: messages said already, so a failing read is said once, not at every scrape
 * @nsaid: how many
 */
struct serve {
	struct ft_histsvc svc;
	struct ft_serve_what what;
	struct ft_om_opts o;
	struct ft_om_state *st;
	char said[32][160];
	size_t nsaid;
};

/* The log sink while serving: each message once (a scrape every second repeats them). */
static void say_once(enum ft_log_level level, const char *msg, void *data)
{
	struct serve *sv = data;

	for (size_t i = 0; i < sv->nsaid; i++)
		if (!strncmp(sv->said[i], msg, sizeof(sv->said[i]) - 1))
			return;
	if (sv->nsaid < FT_ARRAY_SIZE(sv->said))
		snprintf(sv->said[sv->nsaid++], sizeof(sv->said[0]), "%s", msg);
	ft_log_stderr(level, msg);
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The families of one scrape besides the aggregations'. */
static int add_own(struct ft_om_scrape *s, size_t n, size_t failed, double took)
{
	int ret = ft_om_add_info(s, "ftrig_build", "ftrig's version", "version=\"" FT_VERSION "\"");

	if (!ret)
		ret = ft_om_add_gauge(s, "ftrig_aggregations", "Aggregations read by this scrape",
				      "", NULL, (double)n);
	if (!ret)
		ret = ft_om_add_gauge(s, "ftrig_scrape_read_failures",
				      "Events whose aggregations this scrape could not read", "",
				      NULL, (double)failed);
	if (!ret)
		ret = ft_om_add_gauge(s, "ftrig_scrape_duration_seconds",
				      "Time this scrape took to read the aggregations and build "
				      "the exposition",
				      "seconds", NULL, took);
	return ret;
}

/* Read everything and write the exposition in @fmt to a new buffer. */
static int scrape(struct serve *sv, enum ft_om_format fmt, char **body, size_t *len)
{
	double t0 = clock_s(CLOCK_MONOTONIC);
	struct ft_om_scrape *s;
	struct ft_serve_got g;
	size_t failed = 0;
	FILE *f;
	int ret;

	*body = NULL;
	*len = 0;
	ret = ft_serve_gather(&sv->svc, &sv->what, &g, &failed);
	s = ret ? NULL : ft_om_scrape_begin(sv->st, &sv->o, clock_s(CLOCK_REALTIME));
	if (!ret && !s)
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < g.n; i++)
		ret = ft_om_add_hist_limit(s, g.v[i],
					   g.limit[i] < 0 ? sv->o.limit : (size_t)g.limit[i]);
	if (!ret)
		ret = add_own(s, g.n, failed, clock_s(CLOCK_MONOTONIC) - t0);
	if (!ret && failed)
		ft_om_scrape_partial(s);
	f = ret ? NULL : open_memstream(body, len);
	if (!ret && !f)
		ret = -ENOMEM;
	if (f) {
		ret = ft_om_write(s, fmt, f);
		if (fclose(f) && !ret)
			ret = -ENOMEM;
	}
	ft_om_scrape_end(s);
	ft_serve_got_release(&g);
	if (ret) {
		free(*body);
		*body = NULL;
	}
	return ret;
}

static int http_body(const char *accept, char **body, size_t *len, const char **ctype, void *data)
{
	enum ft_om_format fmt = ft_om_negotiate(accept);

	*ctype = ft_om_content_type(fmt);
	ft_dbg("GET /metrics, Accept: %s: %s", accept ? accept : "(none)", *ctype);
	return scrape(data, fmt, body, len);
}

/* DIR/ftrig.prom, written aside and renamed: node_exporter never reads half a file. */
static int write_textfile(struct serve *sv, const char *dir)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	size_t len;
	char *body;
	FILE *f;
	int ret = scrape(sv, FT_OM_TEXT, &body, &len);

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/" TEXTFILE, dir);
	snprintf(tmp, sizeof(tmp), "%s/." TEXTFILE ".%d.tmp", dir, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || fwrite(body, 1, len, f) != len || fflush(f) || fsync(fileno(f))) {
		ret = -errno;
		ft_err("cannot write %s: %s", tmp, strerror(errno));
	}
	if (f && fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path)) {
		ret = -errno;
		ft_err("cannot rename %s to %s: %s", tmp, path, strerror(errno));
	}
	if (ret)
		unlink(tmp);
	free(body);
	return ret;
}

/**
 * struct serve_opts - the command line
 * @listen: --listen, or NULL
 * @textfile: --textfile DIR, or NULL
 * @interval_ms: --interval
 * @interval_set: --interval was given
 */
struct serve_opts {
	const char *listen;
	const char *textfile;
	unsigned long long interval_ms;
	bool interval_set;
};

/* --attach [INSTANCE/]SYSTEM:EVENT (or SYSTEM/EVENT); the instance goes in @inst. */
static int parse_event(const struct ft_cmd *cmd, const char *arg, struct ft_hist_where *w)
{
	char why[300], inst[256];

	if (ft_export_where_parse(arg, inst, sizeof(inst), w->system, sizeof(w->system), w->event,
				  sizeof(w->event)))
		return ft_usage_error(cmd,
				      "--attach takes SYSTEM:EVENT, e.g. kmem:kmalloc, or "
				      "INSTANCE/SYSTEM:EVENT for an instance's, not '%s'",
				      arg);
	if (*inst && ft_name_instance(inst, why, sizeof(why)))
		return ft_usage_error(cmd, "--attach %s: %s", arg, why);
	w->instance = *inst ? strdup(inst) : NULL;
	return *inst && !w->instance ? FT_EXIT_ERR : 0;
}

enum { OPT_LISTEN = 1000, OPT_ATTACH, OPT_TEXTFILE, OPT_INTERVAL, OPT_LIMIT, OPT_STACKS };

static int parse(const struct ft_cmd *cmd, int argc, char **argv, struct serve_opts *so,
		 struct serve *sv)
{
	static const struct option opts[] = { { "listen", required_argument, NULL, OPT_LISTEN },
					      { "attach", required_argument, NULL, OPT_ATTACH },
					      { "textfile", required_argument, NULL, OPT_TEXTFILE },
					      { "interval", required_argument, NULL, OPT_INTERVAL },
					      { "limit", required_argument, NULL, OPT_LIMIT },
					      { "stacks", no_argument, NULL, OPT_STACKS },
					      { NULL, 0, NULL, 0 } };
	struct ft_hist_where *nw;
	int c, bad = 0;
	char *end;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		switch (c) {
		case OPT_LISTEN:
			so->listen = optarg;
			break;
		case OPT_ATTACH:
			nw = realloc(sv->what.attach, (sv->what.nattach + 1) * sizeof(*nw));
			if (!nw)
				return FT_EXIT_ERR;
			sv->what.attach = nw;
			memset(&nw[sv->what.nattach], 0, sizeof(*nw));
			c = parse_event(cmd, optarg, &nw[sv->what.nattach++]);
			if (c)
				return c;
			break;
		case OPT_TEXTFILE:
			so->textfile = optarg;
			break;
		case OPT_INTERVAL:
			if (ft_duration_parse(optarg, &so->interval_ms) || so->interval_ms < 100)
				return ft_usage_error(cmd,
						      "--interval takes a duration of at least "
						      "100ms (15s, 1m), not '%s'",
						      optarg);
			so->interval_set = true;
			break;
		case OPT_LIMIT:
			errno = 0;
			sv->o.limit = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-')
				return ft_usage_error(cmd,
						      "--limit takes a number of series (0: no "
						      "limit), not '%s'",
						      optarg);
			break;
		case OPT_STACKS:
			sv->o.stacks = true;
			break;
		}
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind < argc)
		return ft_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return FT_EXIT_OK;
}

/* Until a stop signal: answer scrapes, and write the textfile every interval. */
static int run(struct serve *sv, struct ft_http *h, const struct serve_opts *so)
{
	double next = clock_s(CLOCK_MONOTONIC);
	sigset_t stop, old;
	int ret = 0;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	while (!ft_stop_signal && ret != -ENOMEM) {
		double now = clock_s(CLOCK_MONOTONIC);
		long long wait = 1000;
		struct timespec ts;

		if (so->textfile && now >= next) {
			ret = write_textfile(sv, so->textfile);
			next += (double)so->interval_ms / 1000;
			if (next < now)
				next = now + (double)so->interval_ms / 1000;
		}
		if (so->textfile)
			wait = (long long)((next - clock_s(CLOCK_MONOTONIC)) * 1000) + 1;
		if (wait < 0)
			wait = 0;
		if (h) {
			ret = ft_http_wait(h, wait, &old);
			if (ret && ret != -EINTR) {
				ft_err("serving %s failed: %s", ft_http_where(h), strerror(-ret));
				break;
			}
			continue;
		}
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = wait % 1000 * 1000000;
		pselect(0, NULL, NULL, NULL, &ts, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret && ret != -EINTR && !ft_stop_signal ? FT_EXIT_ERR : FT_EXIT_OK;
}

/* Where to listen, and the textfile directory: usage errors, or a directory that is not. */
static int check_opts(const struct ft_cmd *cmd, struct serve_opts *so, char *host, size_t hs,
		      char *port, size_t ps)
{
	const char *why;
	struct stat sb;

	if (so->interval_set && !so->textfile)
		return ft_usage_error(cmd, "--interval is how often --textfile writes; give "
					   "--textfile DIR too (a scrape reads the kernel anew)");
	if (!so->listen && !so->textfile)
		so->listen = DEFAULT_LISTEN;
	if (so->listen && ft_http_listen_parse(so->listen, host, hs, port, ps))
		return ft_usage_error(cmd,
				      "--listen takes ADDR:PORT ('127.0.0.1:9464', '[::1]:9464', "
				      "':9464' for every address), not '%s'",
				      so->listen);
	why = !so->textfile		? NULL
	      : stat(so->textfile, &sb) ? strerror(errno)
	      : !S_ISDIR(sb.st_mode)	? "not a directory"
					: NULL;
	if (why) {
		ft_err("--textfile %s: %s; give the directory node_exporter's "
		       "--collector.textfile.directory reads",
		       so->textfile, why);
		return FT_EXIT_ERR;
	}
	if (so->textfile && access(so->textfile, W_OK)) {
		ft_err("--textfile %s: cannot write there: %s", so->textfile, strerror(errno));
		return FT_EXIT_ERR;
	}
	return FT_EXIT_OK;
}

/* Each --attach must name an event of this kernel. */
static int check_events(struct serve *sv, struct ft_tfs *t)
{
	for (size_t i = 0; i < sv->what.nattach; i++) {
		const struct ft_hist_where *w = &sv->what.attach[i];

		if (w->instance && !ft_tfs_instance_exists(t, w->instance)) {
			ft_err("--attach %s/%s:%s: no instance %s (%s/instances has them)",
			       w->instance, w->system, w->event, w->instance, ft_tfs_dir(t));
			return FT_EXIT_ERR;
		}
		if (!ft_tfs_event_exists(t, w->instance, w->system, w->event, NULL)) {
			ft_err("--attach %s:%s: no such event; 'ftrig list events' shows them",
			       w->system, w->event);
			return FT_EXIT_ERR;
		}
	}
	return FT_EXIT_OK;
}

/**
 * ft_cmd_serve() - `ftrig serve`
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: an FT_EXIT_* code.
 */
int ft_cmd_serve(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct serve_opts so = { .interval_ms = 15000 };
	struct serve *sv = calloc(1, sizeof(*sv));
	char host[256] = "", port[16] = "", path[PATH_MAX];
	struct ft_http *h = NULL;
	struct ft_tfs *t = NULL;
	bool ran;
	int rc;

	if (!sv)
		return FT_EXIT_ERR;
	sv->o.limit = 100;
	rc = parse(cmd, argc, argv, &so, sv);
	if (!rc)
		rc = check_opts(cmd, &so, host, sizeof(host), port, sizeof(port));
	if (!rc && ft_tfs_open(&t))
		rc = FT_EXIT_ERR;
	if (!rc)
		rc = check_events(sv, t);
	sv->st = rc ? NULL : ft_om_state_alloc();
	if (!rc && !sv->st)
		rc = FT_EXIT_ERR;
	if (!rc) {
		ft_histsvc_init(&sv->svc, t, NULL, NULL);
		ft_signals_install();
	}
	if (!rc && so.listen && ft_http_start(host, port, "/metrics", http_body, sv, &h))
		rc = FT_EXIT_ERR;
	ran = !rc;
	if (!rc) {
		if (h)
			printf("serving %s\n", ft_http_where(h));
		if (so.textfile)
			printf("writing %s/" TEXTFILE " every %llu ms\n", so.textfile,
			       so.interval_ms);
		fflush(stdout);
		ft_log_set_sink(say_once, sv);
		rc = run(sv, h, &so);
		ft_log_set_sink(NULL, NULL);
	}
	ft_http_stop(h);
	if (so.textfile && ran) {
		snprintf(path, sizeof(path), "%s/" TEXTFILE, so.textfile);
		unlink(path);
	}
	ft_om_state_free(sv->st);
	ft_tfs_close(t);
	for (size_t i = 0; i < sv->what.nattach; i++)
		free((char *)sv->what.attach[i].instance);
	free(sv->what.attach);
	free(sv);
	return rc;
}
