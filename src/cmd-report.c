// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig report: a trace.dat file (ftrig record's, or trace-cmd's) read with libtracecmd,
 * printed as `ftrig pipe` prints events (text or JSON), or counted into a histogram as the
 * BPF backend counts live events (src/record/count.c), written by the hist exporters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "hist/export.h"
#include "hist/spec.h"
#include "json.h"
#include "log.h"
#include "pipe/pipe.h"
#include "record/count.h"

/**
 * struct report_opts - what `ftrig report` was asked
 * @file: the trace.dat file
 * @events: event patterns (SYSTEM:EVENT, globs), pointing into argv
 * @nevents: how many
 * @json: events as JSON lines
 * @fmt: the histogram's format
 * @out: the output file, or NULL for standard output
 * @hist: a histogram is asked for (--key)
 * @spec: the histogram request
 * @sargv: the arguments @spec was parsed from (it points into them)
 * @all: "*:*", the events when none is named (split in place by the parser)
 */
struct report_opts {
	const char *file;
	char **events;
	size_t nevents;
	bool json;
	enum ft_hist_format fmt;
	const char *out;
	bool hist;
	struct ft_hist_spec spec;
	char **sargv;
	char all[4];
};

/* Options of report's own; the others are the histogram's, as `hist start` takes them. */
static int own_option(const struct ft_cmd *cmd, struct report_opts *o, int argc, char **argv,
		      int *i)
{
	const char *a = argv[*i], *v = NULL;
	int fmt;

	if (!strcmp(a, "--json")) {
		o->json = true;
		return 1;
	}
	if (strcmp(a, "-o") && strcmp(a, "--output") && strcmp(a, "-f") && strcmp(a, "--format"))
		return 0;
	if (*i + 1 >= argc)
		return -ft_usage_error(cmd, "%s needs a value", a);
	v = argv[++*i];
	if (a[1] == 'o' || a[2] == 'o') {
		o->out = v;
		return 1;
	}
	fmt = ft_hist_format_lookup(v);
	if (fmt < 0)
		return -ft_usage_error(cmd, "no format '%s'; use json, csv, folded or text", v);
	o->fmt = (enum ft_hist_format)fmt;
	return 1;
}

/* Options that place a live histogram, which a file's histogram has no use for. */
static int live_only(const struct ft_cmd *cmd, const struct ft_hist_spec *s)
{
	const char *opt = s->backend	 ? "--backend"
			  : s->instance	 ? "--instance"
			  : s->name	 ? "--name"
			  : s->end_event ? "--latency"
					 : NULL;

	if (!opt)
		return 0;
	return ft_usage_error(cmd, "%s is for live histograms ('ftrig hist start'), not a file",
			      opt);
}

static int parse(const struct ft_cmd *cmd, int argc, char **argv, struct report_opts *o)
{
	char err[512];
	int n = 0, r;

	*o = (struct report_opts){ .fmt = FT_HIST_FMT_TEXT };
	o->sargv = calloc((size_t)argc + 2, sizeof(*o->sargv));
	o->events = calloc((size_t)argc + 1, sizeof(*o->events));
	if (!o->sargv || !o->events)
		return FT_EXIT_ERR;
	memcpy(o->all, "*:*", sizeof(o->all));
	o->sargv[n++] = o->all; /* every event, unless some are named */
	for (int i = 1; i < argc; i++) {
		r = own_option(cmd, o, argc, argv, &i);
		if (r < 0)
			return -r;
		if (r)
			continue;
		if (!o->file && argv[i][0] != '-') {
			o->file = argv[i];
		} else if (argv[i][0] != '-') {
			o->events[o->nevents++] = argv[i];
			o->sargv[n++] = argv[i];
		} else if (argv[i][1] != '-') {
			/* -o and -f are taken above; ftrig has no other short option here (#20). */
			return ft_usage_error(cmd, "unknown option '%s'", argv[i]);
		} else {
			o->hist |= !strncmp(argv[i], "--key", 5);
			o->sargv[n++] = argv[i];
			/* The histogram's options but --skip-missing take a value. */
			if (!strchr(argv[i], '=') && strcmp(argv[i], "--skip-missing") &&
			    i + 1 < argc)
				o->sargv[n++] = argv[++i];
		}
	}
	if (!o->file)
		return ft_usage_error(cmd, "which file? give a trace.dat file ('ftrig record -o "
					   "FILE' makes one)");
	if (!o->hist) {
		/* Without --key only event patterns may follow the file. */
		for (int i = 1; i < n; i++)
			if (o->sargv[i][0] == '-')
				return ft_usage_error(cmd,
						      "%s is an option of histograms: give --key F "
						      "too (or see 'ftrig help report')",
						      o->sargv[i]);
		return 0;
	}
	if (o->json)
		return ft_usage_error(cmd, "--json prints events; a histogram takes --format json");
	/* An event named replaces the "*:*" put first. */
	if (ft_hist_spec_parse(n - (o->nevents ? 1 : 0), o->sargv + (o->nevents ? 1 : 0), &o->spec,
			       err, sizeof(err)))
		return ft_usage_error(cmd, "%s", err);
	return live_only(cmd, &o->spec);
}

#if HAVE_TRACECMD
#include "record/tracecmd-dl.h"

/* What the callback of tracecmd_iterate_events() works with. */
struct pass {
	const struct report_opts *o;
	struct tep_handle *tep;
	FILE *f;
	struct ft_json j;
	struct trace_seq seq;
	struct ft_rec_count *count;
	unsigned long long events;
	int err;
};

static bool wanted(const struct report_opts *o, struct tep_event *ev)
{
	if (!o->nevents)
		return true;
	for (size_t i = 0; i < o->nevents; i++)
		if (ft_pipe_event_matches(o->events[i], ev->system, ev->name))
			return true;
	return false;
}

/* The ring buffer's loss before @rec, where the kernel marked it, as trace_pipe says it. */
static void lost(struct pass *p, struct tep_record *rec)
{
	if (p->o->json)
		ft_pipe_json_lost(&p->j, rec->cpu, rec->missed_events, rec->ts);
	else if (rec->missed_events > 0)
		fprintf(p->f, "CPU:%d [LOST %lld EVENTS]\n", rec->cpu, rec->missed_events);
	else
		fprintf(p->f, "CPU:%d [LOST EVENTS]\n", rec->cpu);
}

static int one(struct tracecmd_input *in, struct tep_record *rec, int cpu, void *data)
{
	struct pass *p = data;
	struct tep_event *ev = tep_find_event_by_record(p->tep, rec);
	const char *comm;

	if (p->count) {
		p->err = ft_rec_count_add(p->count, rec);
		return p->err ? -1 : 0;
	}
	if (!ev || !wanted(p->o, ev))
		return 0;
	if (rec->missed_events)
		lost(p, rec);
	comm = tep_data_comm_from_pid(p->tep, tep_data_pid(p->tep, rec));
	if (p->o->json)
		ft_pipe_json_event(&p->j, p->tep, rec, comm);
	else
		ft_pipe_text_event(p->f, p->tep, rec, comm, &p->seq);
	p->events++;
	return ferror(p->f) ? -1 : 0;
}

static struct tracecmd_input *open_file(const struct ft_tracecmd *tc, const char *path)
{
	struct tracecmd_input *in;
	struct stat st;

	if (stat(path, &st)) {
		ft_err("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		ft_err("%s is a directory; give a trace.dat file", path);
		return NULL;
	}
	/* libtracecmd's own complaints about a foreign file say less than ours. */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	in = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!in)
		ft_err("%s is not a trace.dat file (the trace-cmd format that 'ftrig record' and "
		       "'trace-cmd record' write), or it is damaged",
		       path);
	return in;
}

static int finish(struct pass *p)
{
	struct ft_hist *h = NULL;
	int ret = 0;

	if (p->count) {
		ret = ft_rec_count_hist(p->count, &h);
		if (!ret)
			ret = ft_hist_write(p->f, p->o->fmt, &h, 1);
		ft_hist_free(h);
	}
	if (fflush(p->f) || ferror(p->f))
		ret = ret ? ret : -EIO;
	return ret;
}

static int report(const struct ft_cmd *cmd, const struct report_opts *o)
{
	struct ft_tracecmd lib = { 0 };
	const struct ft_tracecmd *tc = &lib;
	struct pass p = { .o = o, .f = stdout };
	struct tracecmd_input *in;
	char err[512];
	int ret = ft_tracecmd_load(&lib, "ftrig report");

	in = ret ? NULL : open_file(tc, o->file);
	if (!in)
		return FT_EXIT_ERR;
	p.tep = tracecmd_get_tep(in);
	if (o->hist && ft_rec_count_alloc(&o->spec, p.tep, &p.count, err, sizeof(err))) {
		tracecmd_close(in);
		return ft_usage_error(cmd, "%s", err);
	}
	/* The output is made only once the request is known to be good. */
	if (o->out && !(p.f = fopen(o->out, "w"))) {
		ft_err("cannot write %s: %s", o->out, strerror(errno));
		ret = -errno;
	}
	trace_seq_init(&p.seq);
	if (!ret) {
		ft_json_init(&p.j, p.f, false);
		if (tracecmd_iterate_events(in, NULL, 0, one, &p) < 0 || p.err)
			ret = p.err ? p.err : -EIO;
		ret = ret ? ret : finish(&p);
		if (ret)
			ft_err("writing the report of %s: %s", o->file, strerror(-ret));
	}
	if (p.f && p.f != stdout && fclose(p.f))
		ret = ret ? ret : -EIO;
	if (ret && o->out && p.f)
		unlink(o->out);
	trace_seq_destroy(&p.seq);
	ft_rec_count_free(p.count);
	tracecmd_close(in);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
#endif

/**
 * ft_cmd_report() - the `report` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: an FT_EXIT_* status; with -o, no file is left behind when it fails.
 */
int ft_cmd_report(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct report_opts o;
	int ret = parse(cmd, argc, argv, &o);

	if (!ret) {
#if HAVE_TRACECMD
		ret = report(cmd, &o);
#else
		ft_err("this ftrig was built without libtracecmd: install it (apt-get install "
		       "libtracecmd-dev, or ./configure --install-deps), then ./configure && make");
		ret = FT_EXIT_ERR;
#endif
	}
	free(o.sargv);
	free(o.events);
	return ret;
}
