// SPDX-License-Identifier: GPL-2.0-only
/*
 * execsnoop and opensnoop on hist triggers (--backend hist, or where BPF does not load): the
 * probes, the synthetic event and the triggers of src/tools/snoop-htext.c, each journaled in
 * the session's ledger before it is written, so that its end (or a signal's) removes them,
 * newest first: the triggers, then the synthetic event, then the probes. The synthetic event
 * is recorded in the session's instance and read through pipe's raw reader; each record is
 * printed by the tool's printer, as on BPF.
 *
 * What the kernel could not show is counted, not dropped in silence: events its ring buffer
 * lost, entries its hist tables had no room for (a table keeps each thread's entry once made:
 * FT_SNOOP_HIST_PENDING threads), calls the probes missed, and lines the output did not take.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "bpf/snoop.h"
#include "cmd.h"
#include "json.h"
#include "log.h"
#include "pipe/pipe.h"
#include "ledger.h"
#include "probes/add.h"
#include "session.h"
#include "signals.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "tools/snoop-hist.h"
#include "tools/tgid.h"
#include "tools/tools.h"

/**
 * struct hrun - a snoop tool running on hist triggers
 * @t: the tool
 * @o: its options
 * @h: its objects' texts
 * @mono0: CLOCK_MONOTONIC ns when tracing began (the records' clock)
 * @wall: CLOCK_REALTIME minus CLOCK_MONOTONIC, ns
 * @group: the probes' group
 * @shown: calls printed, the output taking them
 * @tgid: thread -> process, for the PID column (/proc once per thread, not per line)
 */
struct hrun {
	const struct ft_snoop_tool *t;
	const struct ft_tool_opts *o;
	struct ft_snoop_hist h;
	long long mono0;
	long long wall;
	const char *group;
	unsigned long long shown;
	struct ft_tgid_cache tgid;
};

/**
 * struct rec_ctx - a record, for ft_snoop_hist_rec()'s field reader
 * @tep: the handle that decoded it
 * @rec: the record
 * @ev: its event
 */
struct rec_ctx {
	struct tep_handle *tep;
	struct tep_record *rec;
	struct tep_event *ev;
};

static int field(void *data, const char *name, const char **str, size_t *len, int64_t *num)
{
	struct rec_ctx *c = data;
	struct tep_format_field *f = tep_find_any_field(c->ev, name);
	const unsigned char *p;
	unsigned n;

	*str = NULL;
	*num = 0;
	if (!f || ft_pipe_field_data(c->tep, c->rec, f, &p, &n))
		return -ENOENT;
	if (f->flags & TEP_FIELD_IS_STRING) {
		*str = (const char *)p;
		*len = n;
		return 0;
	}
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return -ENOENT;
	*num = (int64_t)tep_read_number(c->tep, p, (int)n);
	if ((f->flags & TEP_FIELD_IS_SIGNED) && n < 8 && ((uint64_t)*num >> (n * 8 - 1)) & 1)
		*num = (int64_t)((uint64_t)*num | ~0ULL << (n * 8));
	return 0;
}

/* pipe's renderer: one call of the synthetic event as the tool prints it. */
static void render(void *data, FILE *out, struct tep_handle *tep, struct tep_record *rec,
		   const char *comm)
{
	struct hrun *run = data;
	struct rec_ctx c = { tep, rec, tep_find_event_by_record(tep, rec) };
	struct ft_snoop_rec r;
	long long ts = (long long)rec->ts;
	double rel = ts > run->mono0 ? (double)(ts - run->mono0) / 1e9 : 0;
	/* by name: a call a line, exec and open rates, not a hot path */
	bool ok = c.ev && run->h.synth_ok[0] && !strcmp(c.ev->name, run->h.synth_ok);

	(void)comm;
	if (!c.ev || (!ok && strcmp(c.ev->name, run->h.synth)) ||
	    ft_snoop_hist_rec(run->t->kind, ok, field, &c, &r))
		return;
	r.pid = (uint32_t)ft_tgid_of(&run->tgid, (int)r.tid);
	r.ts = (uint64_t)ts;
	run->t->line(&r, run->o, rel, (double)(ts + run->wall) / 1e9, out);
	/* a line the output did not take (cut by the stop's signal) is not shown */
	run->shown += !ferror(out);
}

static bool x86_64(void)
{
#ifdef __x86_64__
	return true;
#else
	return false;
#endif
}

/*
 * What the kernel needs for it, said before anything is written (exit 1, as other tools):
 * checked on a tracefs of its own before the session's ledger is open, since the trial
 * eprobe of ft_probe_kernel_support() journals in a ledger of this process too.
 */
static int kernel_can(const struct ft_snoop_tool *t)
{
	const char *ev = t->kind == FT_SNOOP_EXEC ? "sys_exit_execve" : "sys_exit_openat";
	struct ft_tfs *tfs;
	int ret = ft_tfs_open(&tfs);

	if (ret)
		return ret;
	if (!ft_tfs_event_exists(tfs, NULL, "syscalls", ev, NULL)) {
		ft_err("--backend hist: no syscalls:%s event (CONFIG_FTRACE_SYSCALLS is off)", ev);
		ret = -ENOTSUP;
	} else if (!ft_tfs_event_exists(tfs, NULL, "syscalls", ev, "hist")) {
		ft_err("--backend hist: %s needs hist triggers, and this kernel has none "
		       "(CONFIG_HIST_TRIGGERS is off); use '--backend bpf'",
		       t->kind == FT_SNOOP_EXEC ? "execsnoop" : "opensnoop");
		ret = -ENOTSUP;
	} else if (!ft_tfs_exists(tfs, NULL, "synthetic_events")) {
		ft_err("--backend hist: this kernel has no synthetic events (CONFIG_SYNTH_EVENTS "
		       "is off); use '--backend bpf'");
		ret = -ENOTSUP;
	} else if (t->kind == FT_SNOOP_EXEC && !x86_64()) {
		/* start_thread()'s new stack pointer is in %dx on x86-64 only */
		ft_err("--backend hist: execsnoop on hist triggers reads the new program's stack "
		       "in x86-64's registers; use '--backend bpf' on this machine");
		ret = -ENOTSUP;
	} else {
		ret = ft_probe_kernel_support(tfs, FT_PROBE_KPROBE);
		if (!ret && t->kind == FT_SNOOP_EXEC)
			ret = ft_probe_kernel_support(tfs, FT_PROBE_EPROBE);
	}
	ft_tfs_close(tfs);
	return ret;
}

/* The hist trigger @text on @event in the session's instance, journaled. */
static int trigger(struct ft_session *s, const char *inst, const char *event, const char *text,
		   FILE *quiet)
{
	struct ft_trig_ctx c;
	int ret = ft_trig_ctx_open(&c, s->tfs, inst, event);

	if (ret)
		return ret;
	ret = ft_trigger_add(&c, s->ledger, text, NULL, quiet);
	ft_trig_ctx_close(&c);
	return ret;
}

/* Probe @def ("p:GROUP/NAME ..."), journaled; the kernel's complaint said when it fails. */
static int probe(struct ft_session *s, const char *def)
{
	const char *g = strchr(def, ':') + 1, *n = strchr(g, '/') + 1;
	char group[64], name[64], *why;
	int ret;

	snprintf(group, sizeof(group), "%.*s", (int)(n - 1 - g), g);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(n, " "), n);
	ret = ft_ledger_dynevent_add(s->ledger, "dynamic_events", group, name, def);
	if (!ret)
		return 0;
	why = ft_tfs_error_last(s->tfs, NULL);
	ft_err("cannot define the probe '%s': %s%s%s", def, strerror(-ret), why ? "\n" : "",
	       why ? why : "");
	free(why);
	return ret;
}

/* The probes, then the synthetic event, in the session's ledger. */
static int make_events(struct ft_session *s, struct hrun *run, FILE *quiet)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < run->h.nprobes; i++)
		ret = probe(s, run->h.probes[i]);
	for (size_t i = 0; !ret && i < run->h.ndefs; i++)
		ret = ft_synth_define(s->tfs, s->ledger, run->h.defs[i], NULL, quiet);
	return ret;
}

/* The entries the hist table of entry @event had no room for ("Dropped:"). */
static unsigned long long dropped(struct ft_session *s, const char *inst, const char *event)
{
	char rel[256], *text, *d;
	unsigned long long n = 0;

	snprintf(rel, sizeof(rel), "events/%.*s/%s/hist", (int)strcspn(event, ":"), event,
		 strchr(event, ':') + 1);
	text = ft_tfs_read(s->tfs, inst, rel, NULL);
	d = text ? strstr(text, "Dropped:") : NULL;
	if (d)
		n = strtoull(d + 8, NULL, 10);
	free(text);
	return n;
}

/*
 * The calls the probes missed (kprobe_profile's last column): a kretprobe misses the returns
 * of calls beyond its instances in flight (r64: 64), and any probe those in a recursion.
 */
static unsigned long long missed(struct ft_session *s, const char *group)
{
	char *text = ft_tfs_read(s->tfs, NULL, "kprobe_profile", NULL), *line, *save = NULL;
	unsigned long long n = 0, hits, miss;
	char name[128];
	size_t g = strlen(group);

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%127s %llu %llu", name, &hits, &miss) == 3 &&
		    !strncmp(name, group, g) && name[g] == '/')
			n += miss;
	free(text);
	return n;
}

/*
 * What the instance's ring buffer took in all (its per-CPU stats: entries still in it, read,
 * overwritten, dropped), and of that @ring overwritten or dropped before they were read.
 */
static unsigned long long written(struct ft_session *s, const char *inst, unsigned long long *ring)
{
	static const char *const keys[] = { "entries:", "read events:", "overrun:",
					    "dropped events:" };
	unsigned long long all = 0;
	char rel[64], *text, *k;

	*ring = 0;
	for (int cpu = 0; cpu < 4096; cpu++) {
		snprintf(rel, sizeof(rel), "per_cpu/cpu%d/stats", cpu);
		text = ft_tfs_read(s->tfs, inst, rel, NULL);
		if (!text)
			break;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			unsigned long long n = (k = strstr(text, keys[i]))
						       ? strtoull(k + strlen(keys[i]), NULL, 10)
						       : 0;

			all += n;
			*ring += i >= 2 ? n : 0;
		}
		free(text);
	}
	return all;
}

/* The calls not shown, once at the end: on stderr, and with -j as a JSON line too. */
static void say_lost(struct ft_session *s, struct hrun *run, const char *inst)
{
	unsigned long long pending = missed(s, run->group), ring, out, all;
	struct ft_json j;

	for (size_t i = 0; i < run->h.nentry; i++)
		pending += dropped(s, inst, run->h.trig_ev[i]);
	all = written(s, inst, &ring);
	out = all > ring + run->shown ? all - ring - run->shown : 0;
	if (!ring && !pending && !out)
		return;
	ft_warn("%llu calls not shown in all: %llu found the ring buffer full (a slow terminal: "
		"-j to a file, -p, -c, -x), %llu the table of calls in flight full or the probes' "
		"instances in flight, %llu not taken by the output",
		ring + pending + out, ring, pending, out);
	if (!run->o->json || ferror(stdout))
		return;
	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_uint(&j, "lost", ring + pending + out);
	ft_json_uint(&j, "lost_ring", ring);
	ft_json_uint(&j, "lost_pending", pending);
	ft_json_uint(&j, "lost_output", out);
	ft_json_end(&j, '}');
}

/* Everything made, then the records read until the stop. */
static int run_it(struct ft_session *s, struct hrun *run, FILE *quiet)
{
	char ev[2][128], *evp[] = { ev[0], ev[1], NULL };
	struct ft_pipe_opts po = { .mode = FT_PIPE_RAW, .events = evp };
	struct ft_pipe_stats st = { 0 };
	struct timespec mono, real;
	const char *inst = NULL;
	char **enabled = NULL;
	int ret = make_events(s, run, quiet);

	snprintf(ev[0], sizeof(ev[0]), "synthetic:%s", run->h.synth);
	snprintf(ev[1], sizeof(ev[1]), "synthetic:%s", run->h.synth_ok);
	po.nevents = run->h.ndefs;
	po.duration_ms = (unsigned long long)(run->o->duration * 1000);
	po.render = render;
	po.render_data = run;
	if (!ret)
		ret = ft_pipe_setup(s, &po, &enabled);
	if (!ret)
		inst = ft_session_instance(s);
	for (size_t i = 0; !ret && i < run->h.ntrig; i++)
		ret = trigger(s, inst, run->h.trig_ev[i], run->h.trig[i], quiet);
	if (ret) {
		ft_pipe_names_free(enabled);
		return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	run->mono0 = mono.tv_sec * 1000000000LL + mono.tv_nsec;
	run->wall = (real.tv_sec - mono.tv_sec) * 1000000000LL + (real.tv_nsec - mono.tv_nsec);
	ft_tool_ready(run->o, "Tracing %s%s calls... Hit Ctrl-C to end.",
		      run->o->failed ? "failed " : "", run->t->what);
	if (!run->o->json)
		run->t->header(run->o, stdout);
	fflush(stdout);
	if (po.duration_ms)
		ft_signals_interrupt((long long)po.duration_ms);
	ret = ft_pipe_read_raw(s, &po, enabled, stdout, &st);
	ft_signals_interrupt(-1);
	ft_pipe_names_free(enabled);
	say_lost(s, run, inst);
	return ret;
}

/*
 * -p: the threads of process @pid now (hist triggers know threads only, as `trace`), in
 * @tids, up to @max; @pid alone when /proc has no such process. More than @max: @max + 1.
 */
static size_t threads(long pid, long *tids, size_t max)
{
	char path[64];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	dir = opendir(path);
	while (dir && n <= max && (d = readdir(dir)))
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9' && n++ < max)
			tids[n - 1] = strtol(d->d_name, NULL, 10);
	if (dir)
		closedir(dir);
	if (!n)
		tids[n++] = pid;
	return n;
}

/**
 * ft_tool_snoop_hist() - run a snoop tool on hist triggers
 * @cmd: its row
 * @o: its options (-p: the process's threads when it begins; -c: the name at the entry; -x;
 *     -d, -T, -j)
 * @t: the tool
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_snoop_hist(const struct ft_cmd *cmd, const struct ft_tool_opts *o,
		       const struct ft_snoop_tool *t)
{
	struct hrun run = { .t = t, .o = o };
	struct ft_snoop_hist_opts ho = { .kind = t->kind, .comm = o->comm, .failed = o->failed };
	long tids[32];
	struct ft_session *s = NULL;
	char group[32], err[300];
	FILE *quiet;
	int ret;

	snprintf(group, sizeof(group), "ftrig_%d", (int)getpid());
	ho.group = group;
	run.group = group;
	ho.tids = tids;
	ho.ntids = o->pid ? threads(o->pid, tids, sizeof(tids) / sizeof(tids[0])) : 0;
	if (ho.ntids > sizeof(tids) / sizeof(tids[0]))
		return ft_usage_error(cmd,
				      "-p %ld: more than %zu threads, which hist triggers filter "
				      "one by one; use '--backend bpf', or -c",
				      o->pid, sizeof(tids) / sizeof(tids[0]));
	ret = ft_snoop_hist_make(&ho, &run.h, err, sizeof(err));
	if (ret == -EINVAL) {
		ft_snoop_hist_release(&run.h);
		return ft_usage_error(cmd, "%s", err);
	}
	/* where the trigger code says what it made: the tool prints calls only */
	quiet = fopen("/dev/null", "we");
	if (!ret && !quiet)
		ret = -errno;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!ret)
		ret = kernel_can(t);
	if (!ret)
		ret = ft_session_begin(&s) ? -EIO : 0;
	if (!ret)
		ret = run_it(s, &run, quiet);
	if (s && ft_session_end(s))
		ret = ret ?: -EBUSY;
	ft_snoop_hist_release(&run.h);
	if (quiet)
		fclose(quiet);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
