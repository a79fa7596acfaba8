// SPDX-License-Identifier: GPL-2.0-only
/*
 * What runs a tool's recipe: a session (its ledger removes whatever the recipe made, on exit
 * and on signals), one live histogram source per spec from the histogram service (a hist
 * trigger in the session's instance or a BPF aggregation, as for `top`), then the tables
 * every interval or once at the end, handed to the recipe's printer. --live hands the same
 * words to `ftrig top` instead.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "commands.h"
#include "hist/analyze.h"
#include "hist/hist.h"
#include "json.h"
#include "log.h"
#include "probes/add.h"
#include "session.h"
#include "signals.h"
#include "source.h"
#include "tools/tools.h"

/**
 * ft_tool_begin() - start a recipe's session, and settle its backend
 * @r: the run, set up
 * @o: --backend
 *
 * Return: 0 or -errno (logged).
 */
int ft_tool_begin(struct ft_tool_run *r, const struct ft_tool_opts *o)
{
	char why[256];

	memset(r, 0, sizeof(*r));
	if (ft_session_begin(&r->s))
		return -EIO;
	ft_histsvc_init(&r->svc, r->s->tfs, r->s->ledger, r->s);
	r->be = (enum ft_backend)ft_backend_lookup(o->backend);
	if (r->be == FT_BACKEND_AUTO)
		r->be = r->svc.bpf->usable(why, sizeof(why)) ? FT_BACKEND_BPF : FT_BACKEND_HIST;
	return 0;
}

/**
 * ft_tool_add() - count one more spec of the recipe
 * @r: the run
 * @sp: the spec's words, as `ftrig top` takes them (parsed here; they must live as long as
 *      @r)
 * @o: the options (--backend)
 *
 * Return: 0 or -errno (logged).
 */
int ft_tool_add(struct ft_tool_run *r, struct ft_tool_spec *sp, const struct ft_tool_opts *o)
{
	struct ft_hist_spec spec;
	struct ft_source *src;
	char err[256];
	int ret;

	(void)o;
	if (ft_hist_spec_parse(sp->n, sp->words, &spec, err, sizeof(err))) {
		ft_err("%s", err);
		return -EINVAL;
	}
	ret = ft_histsvc_source(&r->svc, &spec, r->be, &src);
	return ret ?: ft_tool_add_source(r, src);
}

/**
 * ft_tool_add_source() - count one more table of the recipe, from a source it made itself
 * @r: the run
 * @src: the source (funccount's kprobe-multi counter); @r owns it from now on, also when
 *       this fails (it is destroyed then)
 *
 * Return: 0 or -errno (logged).
 */
int ft_tool_add_source(struct ft_tool_run *r, struct ft_source *src)
{
	struct ft_source **v = realloc(r->src, (r->n + 1) * sizeof(*v));
	struct ft_hist **prev = realloc(r->prev, (r->n + 1) * sizeof(*prev));
	int ret;

	if (v)
		r->src = v;
	if (prev)
		r->prev = prev;
	if (!v || !prev) {
		ft_source_destroy(src);
		return -ENOMEM;
	}
	r->src[r->n] = src;
	/* what it counted so far, subtracted from the first output: taken now, before the
	 * recipe says it is tracing, so that nothing after that line falls before it */
	r->prev[r->n] = NULL;
	ret = ft_source_snapshot(r->src[r->n], &r->prev[r->n]);
	if (ret) {
		ft_err("cannot read the counts of %s: %s", r->src[r->n]->label, strerror(-ret));
		ft_source_destroy(r->src[r->n]);
		return ret;
	}
	r->n++;
	return 0;
}

/* Sleep until @until (CLOCK_MONOTONIC) or a stop signal. */
static void sleep_until(const struct timespec *until)
{
	while (!ft_stop_signal &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, until, NULL) == EINTR)
		;
}

static void add_seconds(struct timespec *t, double sec)
{
	double whole = floor(sec);

	t->tv_sec += (time_t)whole;
	t->tv_nsec += (long)((sec - whole) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/**
 * ft_tool_table_note() - what a tool says of the events its table lost or counted apart (pure)
 * @h: the interval's table
 * @label: its source's label
 * @lost: the events lost (a full table: a warning), else those counted apart (a note)
 * @buf: where the sentence goes
 * @size: its size
 *
 * A full table and the kernel skipping the program (BPF already running on the CPU) are
 * losses; an index insert the kernel refused (a BPF aggregation's bucket lock busy) is
 * counted in a slot of its own and merged, so it is said as such, with the kernel's reason,
 * never as a full table, which a table of a few keys cannot be.
 *
 * Return: @buf, or NULL when there is nothing to say.
 */
const char *ft_tool_table_note(const struct ft_hist *h, const char *label, bool lost, char *buf,
			       size_t size)
{
	char full[128] = "", skipped[128] = "";

	if (lost && h->dropped)
		snprintf(full, sizeof(full),
			 "%llu events not counted: its table was full (fewer keys: -p, -c, a "
			 "narrower pattern)",
			 (unsigned long long)h->dropped);
	if (lost && h->missed)
		snprintf(skipped, sizeof(skipped),
			 "%llu events not counted: the kernel skipped its BPF program (BPF "
			 "already running on their CPU)",
			 (unsigned long long)h->missed);
	if (*full || *skipped)
		snprintf(buf, size, "%s: %s%s%s", label, full, *full && *skipped ? "; " : "",
			 skipped);
	else if (!lost && h->unindexed)
		snprintf(buf, size,
			 "%s: the kernel refused %llu index inserts (%s): their events were "
			 "counted in slots of their own and merged, none lost",
			 label, (unsigned long long)h->unindexed,
			 h->index_err ? strerror(h->index_err) : "no reason kept");
	else
		return NULL;
	return buf;
}

/* One output: each source's table since the last (its delta), to the printer. */
static int output(struct ft_tool_run *r, const struct ft_tool_opts *o, ft_tool_print_fn print,
		  void *data)
{
	struct ft_hist **now = calloc(r->n ? r->n : 1, sizeof(*now));
	struct ft_hist **shown = calloc(r->n ? r->n : 1, sizeof(*shown));
	int ret = now && shown ? 0 : -ENOMEM;

	for (size_t i = 0; !ret && i < r->n; i++) {
		ret = ft_source_snapshot(r->src[i], &now[i]);
		if (ret)
			ft_err("cannot read the counts of %s: %s", r->src[i]->label,
			       strerror(-ret));
		else
			shown[i] = r->prev[i] ? ft_hist_delta(r->prev[i], now[i]) : now[i];
		if (!ret && !shown[i])
			ret = -ENOMEM;
	}
	for (size_t i = 0; !ret && i < r->n; i++) {
		char note[512];

		if (ft_tool_table_note(shown[i], r->src[i]->label, true, note, sizeof(note)))
			ft_warn("%s", note);
		if (ft_tool_table_note(shown[i], r->src[i]->label, false, note, sizeof(note)))
			ft_info("%s", note);
	}
	if (!ret)
		ret = print(shown, r->n, o, data);
	for (size_t i = 0; i < r->n && now && shown; i++) {
		if (shown[i] != now[i])
			ft_hist_free(shown[i]);
		if (!now[i])
			continue;
		ft_hist_free(r->prev[i]);
		r->prev[i] = now[i];
	}
	free(now);
	free(shown);
	return ret;
}

/**
 * ft_tool_loop() - trace, and print every interval or once at the end
 * @r: the run, its specs added
 * @o: -i (every so many seconds), -d (how long in all), else until a stop signal
 * @print: the recipe's printer
 * @data: handed to it
 *
 * The first snapshot was taken when each spec was added (ft_tool_add()), before the tool
 * said it was tracing, so every output counts its own interval only, and the first one all
 * that happened since that line. (Taken here, it would miss what came between the line and
 * the loop: a workload started on the line.)
 *
 * Return: 0 or -errno (logged).
 */
int ft_tool_loop(struct ft_tool_run *r, const struct ft_tool_opts *o, ft_tool_print_fn print,
		 void *data)
{
	struct timespec start, next, end;
	int ret = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	end = start;
	add_seconds(&end, o->duration ? o->duration : 1e9);
	next = start;
	while (!ret && !ft_stop_signal) {
		add_seconds(&next, o->interval ? o->interval : 1e9);
		if (next.tv_sec > end.tv_sec ||
		    (next.tv_sec == end.tv_sec && next.tv_nsec > end.tv_nsec))
			next = end;
		sleep_until(&next);
		if (!o->interval)
			break;
		ret = output(r, o, print, data);
		fflush(stdout);
		if (next.tv_sec == end.tv_sec && next.tv_nsec == end.tv_nsec)
			return ret;
	}
	/* Ctrl-C (or the end of -d) without -i: the whole run, as bcc prints it then. */
	return ret ? ret : output(r, o, print, data);
}

/**
 * ft_tool_end() - end a recipe: its sources, then the session, which removes what it made
 * @r: the run
 *
 * Return: 0, or -EBUSY when something could not be removed (said; cleanup --stale can).
 */
int ft_tool_end(struct ft_tool_run *r)
{
	int ret;

	for (size_t i = 0; i < r->n; i++) {
		ft_source_destroy(r->src[i]);
		ft_hist_free(r->prev[i]);
	}
	free(r->src);
	free(r->prev);
	ret = ft_session_end(r->s);
	memset(r, 0, sizeof(*r));
	return ret;
}

/**
 * ft_tool_probe() - a kprobe (or kretprobe) on one function, in the session's probe group
 * @r: the run: its session's ledger journals it, and its end removes it
 * @what: the function, or for a uprobe BINARY:SYMBOL (a '/' in BINARY)
 * @ret: the return probe (kretprobe, uretprobe)
 * @ev: set to the probe's event, "GROUP:NAME"
 * @size: size of @ev
 *
 * Return: 0, or -errno after saying why (a kernel without kprobe events among others).
 */
int ft_tool_probe(struct ft_tool_run *r, const char *what, bool ret, char *ev, size_t size)
{
	struct ft_probe_add_opts o = { .kind = ret ? FT_PROBE_KRETPROBE : FT_PROBE_KPROBE };
	char group[32];
	int err;

	if (strpbrk(what, "*?[ "))
		return ft_err("one function, not '%s'", what), -EINVAL;
	snprintf(group, sizeof(group), "ftrig_%d", (int)getpid());
	o.group = group;
	o.text = (char *)what;
	err = ft_probe_add(r->s->tfs, r->s->ledger, &o, NULL, NULL, ev, size);
	/* "GROUP/NAME" -> "GROUP:NAME", as the histogram specs name events */
	if (!err && strchr(ev, '/'))
		*strchr(ev, '/') = ':';
	return err;
}

/**
 * ft_tool_run_one() - the rest of a recipe of one spec: the view, or count and print
 * @cmd: the tool's row
 * @r: the run, begun
 * @sp: the spec
 * @o: the options (--live)
 * @print: the recipe's printer
 * @what: what it traces, for the Tracing line
 *
 * Return: 0 or -errno (logged).
 */
int ft_tool_run_one(const struct ft_cmd *cmd, struct ft_tool_run *r, struct ft_tool_spec *sp,
		    const struct ft_tool_opts *o, ft_tool_print_fn print, const char *what)
{
	int ret;

	if (o->live)
		return ft_tool_live(cmd, r, sp, 1) ? -EINVAL : 0;
	ret = ft_tool_add(r, sp, o);
	if (ret)
		return ret;
	ft_tool_ready(o, "Tracing 1 functions for \"%s\"... Hit Ctrl-C to end.", what);
	return ft_tool_loop(r, o, print, NULL);
}

/**
 * ft_tool_live() - open a recipe's specs in `ftrig top`, one tab each
 * @cmd: the tool's row (unused but for messages)
 * @r: the run, begun: the view runs in its session, so the probes the recipe made live as
 *     long as the view and go with the run's end
 * @sp: the specs
 * @n: how many (at most 9, top's tabs)
 *
 * Return: top's exit code.
 */
int ft_tool_live(const struct ft_cmd *cmd, struct ft_tool_run *r, struct ft_tool_spec *sp, size_t n)
{
	const struct ft_cmd *top = ft_cmd_find("top");
	char *argv[9 * (FT_TOOL_MAX_WORDS + 2) + 2] = { "top" };
	int argc = 1;

	if (n > 9)
		return ft_usage_error(cmd,
				      "--live shows at most 9 tables (top's tabs); this "
				      "recipe has %zu: narrow it",
				      n);
	for (size_t i = 0; i < n; i++) {
		memcpy(argv + argc, sp[i].words, (size_t)sp[i].n * sizeof(*argv));
		argc += sp[i].n;
		argv[argc++] = "--backend";
		argv[argc++] = (char *)ft_backend_name(r->be);
	}
	optind = 0;
	return ft_top_in_session(top, r->s, argc, argv);
}

/**
 * ft_tool_ready() - say that the tool counts from now on, as the bcc tool says it
 * @o: the options: with -j the line goes to stderr, so that the standard output is JSON only
 * @fmt: printf format of the line, without its newline
 */
void ft_tool_ready(const struct ft_tool_opts *o, const char *fmt, ...)
{
	FILE *f = o->json ? stderr : stdout;
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(NULL);
}

/**
 * ft_tool_json_begin() - start a tool's JSON output: {"time": SECONDS, ...
 * @j: set up on stdout, one line
 */
void ft_tool_json_begin(struct ft_json *j)
{
	ft_json_init(j, stdout, false);
	ft_json_begin_obj(j, NULL);
	ft_json_uint(j, "time", (uint64_t)time(NULL));
}

/**
 * ft_tool_json_end() - end it: the array of rows, the object, the line
 * @j: as ft_tool_json_begin() set it up, its array of rows open
 */
void ft_tool_json_end(struct ft_json *j)
{
	ft_json_end(j, ']');
	ft_json_end(j, '}');
	printf("\n");
}

/**
 * ft_tool_stamp() - -T's time line, "HH:MM:SS", when asked
 * @o: the options
 * @f: where to print
 */
void ft_tool_stamp(const struct ft_tool_opts *o, FILE *f)
{
	time_t now = time(NULL);
	struct tm tm;
	char buf[32];

	if (!o->timestamp || !localtime_r(&now, &tm))
		return;
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fprintf(f, "%s\n", buf);
}

/**
 * ft_tool_count() - the hitcount of an entry
 * @h: the table
 * @e: one of its rows
 *
 * Return: its hitcount (the first value column named hitcount), 0 if it has none.
 */
uint64_t ft_tool_count(const struct ft_hist *h, const struct ft_hist_entry *e)
{
	for (size_t v = 0; v < h->nvals; v++)
		if (!strcmp(h->vals[v].name, "hitcount"))
			return e->vals[v];
	return 0;
}
