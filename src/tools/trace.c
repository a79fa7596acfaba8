// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig trace PROBE...: a line per event in bcc trace's columns (PID TID COMM FUNC, then the
 * probe's message). A recipe of ftrig's own parts: each probe spec (src/tools/trace-spec.c)
 * becomes a kprobe or uprobe in the session's probe group with a fetch argument per value
 * (src/probes/), or a tracepoint as it is, or an event probe on it when a %s prints a pointer
 * field (src/tools/trace-eprobe.c); its predicate the kernel's event filter on those
 * fields, with -p, --tid and -n; the events stream from the session's instance as
 * `ftrig pipe` reads them (src/pipe/), decoded by libtraceevent, and each is printed here.
 */
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "cmd.h"
#include "evhint.h"
#include "format.h"
#include "json.h"
#include "kfeat.h"
#include "log.h"
#include "names.h"
#include "pipe/pipe.h"
#include "probes/add.h"
#include "session.h"
#include "suggest.h"
#include "tfs.h"
#include "tools/tools.h"
#include "tools/tgid.h"
#include "tools/trace.h"

/**
 * struct tr_seen - what the renderer resolved of one probe's event, at its first record
 * @id: the event's id; 0 until its first record
 * @arg: the field of each value printed
 * @comm: the event's comm field (probes fetch the task's name), or NULL
 */
struct tr_seen {
	int id;
	struct tep_format_field *arg[FT_TRACE_MAX_ARGS];
	struct tep_format_field *comm;
};

/**
 * struct tr - a trace run
 * @o: the options
 * @p: the probes
 * @n: how many
 * @ev: each probe's event, "GROUP:NAME" or "SYSTEM:EVENT"
 * @seen: each probe's event as the renderer resolved it
 * @evp: pointers to @ev, for the pipe's options
 * @filters: each probe's whole filter (its predicate, -p, --tid, -n), NULL for none
 * @wall: CLOCK_REALTIME minus CLOCK_MONOTONIC (the instance's clock), in ns, for -T
 * @tids: the tids of -p's process
 * @ntids: how many
 * @tgid: thread -> process, for the PID column: -p's threads, and the others looked up
 * @j: the JSON writer (-j)
 */
struct tr {
	const struct ft_tool_opts *o;
	struct ft_trace_probe *p;
	size_t n;
	char (*ev)[128];
	struct tr_seen *seen;
	char **evp;
	char **filters;
	long long wall;
	long *tids;
	size_t ntids;
	struct ft_tgid_cache tgid;
	struct ft_json j;
};

/* A value of the record: a string field's text, or a number sign-extended from its size. */
static void value(struct tep_handle *tep, struct tep_record *rec, struct tep_format_field *f,
		  struct ft_trace_val *v)
{
	const unsigned char *p;
	unsigned len;

	memset(v, 0, sizeof(*v));
	if (!f || ft_pipe_field_data(tep, rec, f, &p, &len))
		return;
	if (f->flags & TEP_FIELD_IS_STRING) {
		v->str = (const char *)p;
		v->len = len;
		return;
	}
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return;
	v->num = tep_read_number(tep, p, (int)len);
	if ((f->flags & TEP_FIELD_IS_SIGNED) && len < 8 && (v->num >> (len * 8 - 1)) & 1)
		v->num |= ~0ULL << (len * 8);
}

static void print_json(struct tr *t, FILE *out, const struct ft_trace_probe *p, int pid, int tid,
		       const char *comm, const char *msg, const struct ft_trace_val *v,
		       unsigned long long ts, const char *when)
{
	struct ft_json *j = &t->j;

	ft_json_init(j, out, false);
	ft_json_begin_obj(j, NULL);
	if (t->o->timestamp)
		ft_json_str(j, "time", when);
	ft_json_uint(j, "ts_ns", ts);
	ft_json_int(j, "pid", pid);
	ft_json_int(j, "tid", tid);
	ft_json_str(j, "comm", comm);
	ft_json_str(j, "func", p->func);
	ft_json_str(j, "msg", msg);
	ft_json_begin_arr(j, "args");
	for (size_t i = 0; i < p->nargs; i++) {
		char s[4096];

		if (v[i].str) {
			snprintf(s, sizeof(s), "%.*s", (int)strnlen(v[i].str, v[i].len), v[i].str);
			ft_json_str(j, NULL, s);
		} else if (strpbrk(p->args[i].conv, "di")) {
			struct ft_trace_probe one = { .nargs = 1 };

			/* the number as the conversion reads it: %d of -1 is -1, not 4294967295 */
			one.args[0] = p->args[i];
			snprintf(one.format, sizeof(one.format), "%%%s", p->args[i].conv);
			ft_trace_message(&one, &v[i], s, sizeof(s));
			ft_json_int(j, NULL, strtoll(s, NULL, 10));
		} else {
			ft_json_uint(j, NULL, v[i].num);
		}
	}
	ft_json_end(j, ']');
	ft_json_end(j, '}');
}

/*
 * The probe of a record, by its event's id; at the first record of an event, by its name, and
 * its fields looked up then, once. @t->n for an event of no probe.
 */
static size_t probe_of(struct tr *t, struct tep_handle *tep, struct tep_record *rec)
{
	int id = tep_data_type(tep, rec);
	struct tep_event *ev;

	for (size_t i = 0; i < t->n; i++)
		if (t->seen[i].id == id)
			return i;
	ev = tep_find_event(tep, id);
	for (size_t i = 0; ev && i < t->n; i++) {
		size_t sl = strlen(ev->system);
		struct tr_seen *s = &t->seen[i];

		if (s->id || strncmp(t->ev[i], ev->system, sl) || t->ev[i][sl] != ':' ||
		    strcmp(t->ev[i] + sl + 1, ev->name))
			continue;
		s->id = id;
		for (size_t k = 0; k < t->p[i].nargs; k++)
			s->arg[k] = tep_find_any_field(ev, t->p[i].args[k].field);
		s->comm = tep_find_any_field(ev, "comm");
		return i;
	}
	return t->n;
}

/* pipe's renderer: one event as one line (or JSON object). */
static void render(void *data, FILE *out, struct tep_handle *tep, struct tep_record *rec,
		   const char *comm)
{
	struct tr *t = data;
	struct ft_trace_val v[FT_TRACE_MAX_ARGS], c;
	char msg[4096], when[32] = "", cbuf[32];
	size_t i = probe_of(t, tep, rec);
	const struct ft_trace_probe *p = i < t->n ? &t->p[i] : NULL;
	int tid = tep_data_pid(tep, rec);

	if (!p)
		return;
	for (size_t k = 0; k < p->nargs; k++)
		value(tep, rec, t->seen[i].arg[k], &v[k]);
	value(tep, rec, t->seen[i].comm, &c); /* a probe fetches the task's name */
	if (c.str) {
		snprintf(cbuf, sizeof(cbuf), "%.*s", (int)strnlen(c.str, c.len), c.str);
		comm = cbuf;
	}
	ft_trace_message(p, v, msg, sizeof(msg));
	if (t->o->timestamp) {
		time_t sec = (time_t)(((long long)rec->ts + t->wall) / 1000000000LL);
		struct tm tm;

		if (localtime_r(&sec, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
	}
	if (t->o->json) {
		print_json(t, out, p, ft_tgid_of(&t->tgid, tid), tid, comm ? comm : "", msg, v,
			   rec->ts, when);
		return;
	}
	if (t->o->timestamp)
		fprintf(out, "%-8s ", when);
	fprintf(out, "%-7d %-7d %-15s %-16s %s\n", ft_tgid_of(&t->tgid, tid), tid,
		comm ? comm : "<...>", p->func, msg);
}

/* -p: the threads of the process now. */
static int threads(struct tr *t, long pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	dir = opendir(path);
	if (!dir) {
		ft_err("no process %ld (-p takes a running process's id)", pid);
		return -ESRCH;
	}
	while ((d = readdir(dir))) {
		long *v;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		v = realloc(t->tids, (t->ntids + 1) * sizeof(*v));
		if (!v) {
			closedir(dir);
			return -ENOMEM;
		}
		t->tids = v;
		t->tids[t->ntids] = atol(d->d_name);
		/* the PID column of -p's threads, without /proc for each */
		ft_tgid_note(&t->tgid, (int)t->tids[t->ntids], (int)pid);
		t->ntids++;
	}
	closedir(dir);
	return 0;
}

/* A probe's whole filter: its predicate, and the task's of -p, --tid, -n. */
static int compose(struct tr *t, const struct ft_trace_probe *p, char **out)
{
	size_t size = 1024 + t->ntids * 32, n = 0;
	char *f = malloc(size);

	*out = f;
	if (!f)
		return -ENOMEM;
	f[0] = '\0';
	if (p->filter[0])
		n += (size_t)snprintf(f + n, size - n, "(%s)", p->filter);
	/* not ftrig's own events, as bcc's trace leaves out its own (a storm otherwise) */
	n += (size_t)snprintf(f + n, size - n, "%scommon_pid != %d", n ? " && " : "",
			      (int)getpid());
	for (size_t i = 0; i < t->ntids; i++)
		n += (size_t)snprintf(f + n, size - n, "%s%scommon_pid == %ld%s",
				      i	  ? " || "
				      : n ? " && "
					  : "",
				      i == 0 && t->ntids > 1 ? "(" : "", t->tids[i],
				      i + 1 == t->ntids && t->ntids > 1 ? ")" : "");
	if (t->o->tid)
		n += (size_t)snprintf(f + n, size - n, "%scommon_pid == %ld", n ? " && " : "",
				      t->o->tid);
	if (t->o->name)
		snprintf(f + n, size - n, "%sCOMM ~ \"*%s*\"", n ? " && " : "", t->o->name);
	return 0;
}

/*
 * %s of a pointer field: an event probe reads the string, where the kernel takes them (tried,
 * once: ft_eprobes_work() writes a trial one); else what is missing and what works instead.
 */
static int pointer_string(struct ft_session *s, const struct ft_field *f, const char *conv,
			  int *eprobes)
{
	if (*eprobes < 0)
		*eprobes = ft_eprobes_work(s->tfs);
	if (*eprobes)
		return 0;
	ft_err("%%%s of %s: the field is a pointer (%s); the string it points to can be read only "
	       "by an event probe on the tracepoint, and this kernel has no event probes (they "
	       "need Linux 5.15 or later built with CONFIG_EPROBE_EVENTS; 'ftrig info' shows "
	       "eprobes no): print the pointer with %%llx, or trace the function that takes it "
	       "('do_sys_openat2 \"%%s\", arg2@user', kernels with kprobes)",
	       conv, f->name, f->type);
	return -ENOTSUP;
}

/*
 * A tracepoint's values must be its fields, and %s a string field or a pointer (read by an
 * eprobe); its format into *@out when it needs an eprobe (to ft_format_free()), else NULL.
 */
static int check_tracepoint(struct ft_session *s, const struct ft_trace_probe *p,
			    struct ft_event_format **out)
{
	char sys[NAME_MAX + 1], evn[NAME_MAX + 1], hint[512] = "";
	struct ft_event_format *fmt = NULL;
	int ret = ft_event_split_copy(p->target, sys, sizeof(sys), evn, sizeof(evn)), eprobes = -1;

	*out = NULL;
	if (ret || ft_tfs_event_format(s->tfs, NULL, sys, evn, &fmt)) {
		ft_event_hint(s->tfs, p->target, hint, sizeof(hint));
		ft_err("no tracepoint %s%s", p->target,
		       hint[0] ? hint : " ('ftrig list events' shows them)");
		return -ENOENT;
	}
	for (size_t i = 0; !ret && i < p->nargs; i++) {
		const struct ft_field *f = ft_format_field(fmt, p->args[i].field);
		const char *conv = p->args[i].conv;
		bool str = conv[strlen(conv) - 1] == 's';
		const char **names;

		if (!f) {
			names = calloc(fmt->nfields + 1, sizeof(*names));
			for (size_t k = 0; names && k < fmt->nfields; k++)
				names[k] = fmt->fields[k].name;
			if (names)
				ft_suggest_hint(p->args[i].field, names, NULL, fmt->nfields, hint,
						sizeof(hint));
			free(names);
			ft_err("no field '%s' in %s%s ('ftrig list events %s --fields' shows them)",
			       p->args[i].field, p->target, hint, p->target);
			ret = -EINVAL;
		} else if (str && !f->is_string && strchr(f->type, '*')) {
			ret = pointer_string(s, f, conv, &eprobes);
		} else if (str != f->is_string) {
			ft_err("%%%s of %s: the field is %s (%s)%s", conv, f->name,
			       f->is_string ? "a string: print it with %s" : "a number", f->type,
			       !str ? "" : ": print it with %d, %u or %x");
			ret = -EINVAL;
		}
	}
	if (!ret && ft_trace_needs_eprobe(p, fmt))
		*out = fmt;
	else
		ft_format_free(fmt);
	return ret;
}

/*
 * A probe of the session's group: "FUNC_I" in group ftrig_PID, its event into @ev; an event
 * probe on the tracepoint of @fmt when given (a %s of a pointer).
 */
static int make_probe(struct ft_session *s, const struct ft_trace_probe *p,
		      const struct ft_event_format *fmt, size_t i, char *ev, size_t size)
{
	struct ft_probe_add_opts po = { 0 };
	char group[32], name[FT_PROBE_NAME_MAX + 1], text[2048], err[512];
	size_t k;

	if (fmt && ft_trace_eprobe_text(p, fmt, text, sizeof(text), err, sizeof(err))) {
		ft_err("%s", err);
		return -EINVAL;
	}
	if (!fmt && ft_trace_probe_text(p, text, sizeof(text))) {
		ft_err("the probe %s fetches too much", p->target);
		return -E2BIG;
	}
	snprintf(group, sizeof(group), "ftrig_%d", (int)getpid());
	snprintf(name, sizeof(name), "%.40s_%zu", p->func, i);
	for (k = 0; name[k]; k++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
			    name[k]))
			name[k] = '_';
	po.kind = fmt ? FT_PROBE_EPROBE
		  : p->kind == FT_TRACE_KRETPROBE || p->kind == FT_TRACE_URETPROBE
			  ? FT_PROBE_KRETPROBE
			  : FT_PROBE_KPROBE;
	po.group = group;
	po.name = name;
	po.text = text;
	if (ft_trace_is_kernel(p) && ft_probe_kernel_support(s->tfs, FT_PROBE_KPROBE))
		return -ENOTSUP;
	if (ft_probe_add(s->tfs, s->ledger, &po, NULL, NULL, ev, size))
		return -EINVAL;
	*strchr(ev, '/') = ':';
	return 0;
}

/* Every probe made or checked, and its filter composed, before anything is enabled. */
static int prepare(struct ft_session *s, struct tr *t)
{
	int ret = t->o->pid ? threads(t, t->o->pid) : 0;

	for (size_t i = 0; !ret && i < t->n; i++) {
		const struct ft_trace_probe *p = &t->p[i];
		struct ft_event_format *fmt = NULL;

		if (p->kind == FT_TRACE_TRACEPOINT)
			ret = check_tracepoint(s, p, &fmt);
		if (!ret && p->kind == FT_TRACE_TRACEPOINT && !fmt)
			snprintf(t->ev[i], sizeof(t->ev[i]), "%s", p->target);
		else if (!ret) /* the tracepoint's eprobe is read instead of it */
			ret = make_probe(s, p, fmt, i, t->ev[i], sizeof(t->ev[i]));
		ft_format_free(fmt);
		t->evp[i] = t->ev[i];
		if (!ret)
			ret = compose(t, p, &t->filters[i]);
	}
	return ret;
}

static void header(const struct tr *t)
{
	bool msgs = false;

	for (size_t i = 0; i < t->n; i++)
		msgs |= t->p[i].format[0] != '\0';
	fprintf(stderr, "Tracing %zu probe%s... Hit Ctrl-C to end.\n", t->n, t->n == 1 ? "" : "s");
	if (!t->o->json)
		printf("%s%-7s %-7s %-15s %-16s %s\n", t->o->timestamp ? "TIME     " : "", "PID",
		       "TID", "COMM", "FUNC", msgs ? "-" : "");
	fflush(NULL);
}

static int run(struct ft_session *s, struct tr *t)
{
	struct ft_pipe_opts po = { .mode = FT_PIPE_RAW };
	struct ft_pipe_stats st = { 0 };
	struct timespec mono, real;
	char **enabled = NULL;
	int ret = prepare(s, t);

	po.events = t->evp;
	po.nevents = t->n;
	po.filters = (const char *const *)t->filters;
	po.count = (unsigned long long)t->o->max_events;
	po.duration_ms = (unsigned long long)(t->o->duration * 1000);
	po.render = render;
	po.render_data = t;
	if (!ret)
		ret = ft_pipe_setup(s, &po, &enabled);
	if (ret)
		return ret;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	t->wall = (real.tv_sec - mono.tv_sec) * 1000000000LL + (real.tv_nsec - mono.tv_nsec);
	header(t);
	if (po.duration_ms)
		ft_signals_interrupt((long long)po.duration_ms);
	ret = ft_pipe_read_raw(s, &po, enabled, stdout, &st);
	ft_pipe_names_free(enabled);
	if (st.lost)
		ft_warn("%llu events lost in the kernel's ring buffer", st.lost);
	return ret;
}

/**
 * ft_tool_trace() - `ftrig trace PROBE...`
 * @cmd: its row
 * @o: its options and operands (the probe specs)
 *
 * Return: an FT_EXIT_* code: usage for a spec that does not parse (nothing is written then).
 */
int ft_tool_trace(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	struct tr t = { .o = o, .n = (size_t)o->nargs };
	struct ft_session *s = NULL;
	char err[512];
	int ret = 0;

	t.p = calloc(t.n, sizeof(*t.p));
	t.ev = calloc(t.n, sizeof(*t.ev));
	t.seen = calloc(t.n, sizeof(*t.seen));
	t.evp = calloc(t.n + 1, sizeof(*t.evp));
	t.filters = calloc(t.n + 1, sizeof(*t.filters));
	if (!t.p || !t.ev || !t.seen || !t.evp || !t.filters)
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < t.n; i++) {
		if (ft_trace_parse(o->args[i], &t.p[i], err, sizeof(err))) {
			ret = ft_usage_error(cmd, "%s", err);
			break;
		}
		for (size_t k = 0; k < i; k++)
			if (t.p[i].kind == FT_TRACE_TRACEPOINT && t.p[k].kind == t.p[i].kind &&
			    !strcmp(t.p[i].target, t.p[k].target))
				ret = ft_usage_error(cmd,
						     "t:%s given twice: an event has one filter "
						     "in an instance; give it once",
						     t.p[i].target);
	}
	if (!ret)
		ret = ft_session_begin(&s) ? -EIO : run(s, &t);
	ft_signals_interrupt(-1);
	if (s && ft_session_end(s))
		ret = ret ?: -EBUSY;
	for (size_t i = 0; t.filters && i < t.n; i++)
		free(t.filters[i]);
	free(t.filters);
	free(t.evp);
	free(t.ev);
	free(t.seen);
	free(t.p);
	free(t.tids);
	return ret == FT_EXIT_USAGE ? FT_EXIT_USAGE : ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
