// SPDX-License-Identifier: GPL-2.0-only
/*
 * The histogram service against a fake tracefs tree (the 6.1 fixtures, which have hist
 * triggers, and the 6.18 ones, which have not) and a fake BPF backend standing in for
 * src/bpf/: backend choice and its reasons, start, control, collect, --all, the live
 * sources, and the cross-check of --backend both.
 */
// wrap: ft_ledger_dynevent_add
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "bpf/ftbpf.h"
#include "dryrun.h"
#include "format.h"
#include "faketfs.h"
#include "hist/hist.h"
#include "hist/parse.h"
#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "ledger.h"
#include "log.h"
#include "source.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "writes.h"

#define HIST_DIR "vm-6.1/hist/"

/*
 * The kernel makes a synthetic event's folder when it is defined: the fake tree, whose
 * writes make nothing, gets it here, as 6.1 made it for "wl u64 lat" (captured by
 * tests/vm/capture/synth.sh).
 */
int __real_ft_ledger_dynevent_add(struct ft_ledger *l, const char *file, const char *system,
				  const char *event, const char *text);
int __wrap_ft_ledger_dynevent_add(struct ft_ledger *l, const char *file, const char *system,
				  const char *event, const char *text);
int __wrap_ft_ledger_dynevent_add(struct ft_ledger *l, const char *file, const char *system,
				  const char *event, const char *text)
{
	int ret = __real_ft_ledger_dynevent_add(l, file, system, event, text);
	static const char *const files[] = { "format", "id", "trigger" };
	char path[4096], rel[256], *data;
	FILE *f;

	if (ret || strcmp(system, "synthetic") || strcmp(event, "wl"))
		return ret;
	snprintf(path, sizeof(path), "%s/events/synthetic", getenv("FTRIG_TRACEFS"));
	mkdir(path, 0755);
	strcat(path, "/wl");
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "vm-6.1/events/synthetic/wl/%s", files[i]);
		data = fixture_read(rel);
		assert_non_null(data);
		snprintf(path, sizeof(path), "%s/events/synthetic/wl/%s", getenv("FTRIG_TRACEFS"),
			 files[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(data, f);
		fclose(f);
		free(data);
	}
	return ret;
}

/* The fake BPF backend: aggregations by name, and what was done to them. */
struct fake_agg {
	char name[64], system[64], event[64];
};

static struct {
	bool usable;
	int check_ret, create_ret, pin_ret, open_ret;
	struct fake_agg aggs[4];
	size_t naggs;
	char did[1024];
	/* the events of the formats they were handed */
	char check_fmt[64], create_fmt[64], check_end[64], create_end[64];
} fk;

struct ft_bpf_agg {
	struct ft_bpf_plan plan;
};

static void did(const char *what, const char *arg)
{
	size_t n = strlen(fk.did);

	snprintf(fk.did + n, sizeof(fk.did) - n, "%s %s;", what, arg);
}

static bool f_usable(char *why, size_t size)
{
	if (!fk.usable)
		snprintf(why, size, "no BPF in this test");
	return fk.usable;
}

static int f_check(struct ft_tfs *t, const struct ft_hist_spec *spec, struct ft_event_format *fmt,
		   struct ft_event_format *end_fmt, char *why, size_t size)
{
	snprintf(fk.check_fmt, sizeof(fk.check_fmt), "%s", fmt ? fmt->name : "(read)");
	snprintf(fk.check_end, sizeof(fk.check_end), "%s", end_fmt ? end_fmt->name : "(read)");
	if (fk.check_ret)
		snprintf(why, size, "the fake cannot count it");
	return fk.check_ret;
}

static struct ft_bpf_agg *agg_new(const char *name, const char *sys, const char *ev)
{
	struct ft_bpf_agg *a = calloc(1, sizeof(*a));

	assert_non_null(a);
	snprintf(a->plan.name, sizeof(a->plan.name), "%s", name);
	snprintf(a->plan.system, sizeof(a->plan.system), "%s", sys);
	snprintf(a->plan.event, sizeof(a->plan.event), "%s", ev);
	snprintf(a->plan.title, sizeof(a->plan.title), "%s:%s", sys, ev);
	snprintf(a->plan.trigger, sizeof(a->plan.trigger), "hist:keys=common_pid.execname");
	a->plan.nevents = 1;
	return a;
}

static int f_create(struct ft_tfs *t, const struct ft_hist_spec *spec, struct ft_event_format *fmt,
		    struct ft_event_format *end_fmt, bool hist_can, struct ft_bpf_agg **out)
{
	snprintf(fk.create_fmt, sizeof(fk.create_fmt), "%s", fmt ? fmt->name : "(read)");
	snprintf(fk.create_end, sizeof(fk.create_end), "%s", end_fmt ? end_fmt->name : "(read)");
	if (fk.create_ret)
		return fk.create_ret;
	*out = agg_new("", spec->system, spec->event);
	did("create", spec->rotate ? "rotating" : "plain");
	return 0;
}

static int f_pin(struct ft_bpf_agg *a, struct ft_ledger *l, const char *name)
{
	did("pin", name);
	return fk.pin_ret;
}

static int f_open(const char *name, struct ft_bpf_agg **out)
{
	for (size_t i = 0; !fk.open_ret && i < fk.naggs; i++)
		if (!strcmp(fk.aggs[i].name, name)) {
			*out = agg_new(name, fk.aggs[i].system, fk.aggs[i].event);
			return 0;
		}
	return fk.open_ret ? fk.open_ret : -ENOENT;
}

/* A snapshot: the execname fixture, as BPF's. */
static int f_snapshot(struct ft_bpf_agg *a, struct ft_hist **out)
{
	char *text = fixture_read(HIST_DIR "execname.hist");
	struct ft_hist **v;
	size_t n;
	int ret = ft_hist_parse(text, strlen(text), "sched:sched_switch", "", &v, &n);

	free(text);
	if (ret)
		return ret;
	assert_int_equal(n, 1);
	v[0]->backend = "bpf";
	v[0]->name = ft_hist_strdup(v[0], a->plan.name);
	*out = v[0];
	free(v);
	return 0;
}

static int f_pause(struct ft_bpf_agg *a, bool pause)
{
	did(pause ? "pause" : "cont", a->plan.name);
	return 0;
}

static int f_clear(struct ft_bpf_agg *a)
{
	did("clear", a->plan.name);
	return 0;
}

static const struct ft_bpf_plan *f_plan(const struct ft_bpf_agg *a)
{
	return &a->plan;
}

static void f_destroy(struct ft_bpf_agg *a)
{
	free(a);
}

static int f_remove(struct ft_ledger *l, const char *name)
{
	did("remove", name);
	return 0;
}

static int f_pin_dir(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "/fake/bpffs/ftrig/%s", name);
	return 0;
}

static int f_find(const char *sys, const char *ev, const char *name, char ***out, size_t *n)
{
	*out = calloc(fk.naggs + 1, sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < fk.naggs; i++)
		if ((!sys || (!strcmp(fk.aggs[i].system, sys) && !strcmp(fk.aggs[i].event, ev))) &&
		    (!name || !strcmp(fk.aggs[i].name, name)))
			(*out)[(*n)++] = strdup(fk.aggs[i].name);
	return 0;
}

static int f_list(char ***out, size_t *n)
{
	return f_find(NULL, NULL, NULL, out, n);
}

static void f_list_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

struct fake_source {
	struct ft_source src;
	struct ft_bpf_agg *a;
};

static int fs_snapshot(struct ft_source *src, struct ft_hist **out)
{
	return f_snapshot(((struct fake_source *)src)->a, out);
}

static void fs_destroy(struct ft_source *src)
{
	struct fake_source *s = (struct fake_source *)src;

	free(s->a);
	free(s->src.label);
	free(s);
}

static const struct ft_source_ops fs_ops = { "bpf", fs_snapshot, fs_destroy, NULL, NULL };

static struct ft_source *f_source(struct ft_bpf_agg *a)
{
	struct fake_source *s = calloc(1, sizeof(*s));

	s->src.ops = &fs_ops;
	s->src.label = strdup("fake (bpf)");
	s->a = a;
	return &s->src;
}

static const struct ft_histsvc_bpf fake_bpf = {
	f_usable, f_check,   f_create, f_pin,	  f_open, f_snapshot, f_pause,	   f_clear,
	f_plan,	  f_destroy, f_remove, f_pin_dir, f_list, f_find,     f_list_free, f_source,
};

static void fake_add(const char *name, const char *sys, const char *ev)
{
	snprintf(fk.aggs[fk.naggs].name, 64, "%s", name);
	snprintf(fk.aggs[fk.naggs].system, 64, "%s", sys);
	snprintf(fk.aggs[fk.naggs].event, 64, "%s", ev);
	fk.naggs++;
}

/*
 * The fake hist-trigger backend: the kernel's table for reading the event, its own for
 * what would write, and one listed hist trigger ftrig started.
 */
static int h_start(struct ft_trig_ctx *c, struct ft_trig_ctx *end, struct ft_ledger *l,
		   const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out)
{
	did("hist-start", c->name);
	/* the format the command read, which the BPF side is handed too */
	assert_non_null(c->fmt);
	return 0;
}

static int h_list(struct ft_tfs *t, const char *instance, const char *event, struct ft_listed **v,
		  size_t *n)
{
	*v = calloc(1, sizeof(**v));
	assert_non_null(*v);
	**v = (struct ft_listed){
		.instance = strdup(""),
		.system = strdup("sched"),
		.event = strdup("sched_switch"),
		.text = strdup("hist:keys=next_pid:vals=hitcount:sort=hitcount:size=2048 [active]"),
		.ours = true,
		.written = strdup("hist:keys=next_pid"),
	};
	*n = 1;
	return 0;
}

static int h_control(struct ft_trig_ctx *c, const char *listed, enum ft_hist_op op,
		     struct ft_dry *dry, FILE *out)
{
	static const char *const verbs[] = { "hist-pause", "hist-cont", "hist-clear" };

	did(verbs[op], listed);
	return 0;
}

static int h_remove(struct ft_trig_ctx *c, struct ft_ledger *l, const char *written,
		    struct ft_dry *dry, FILE *out)
{
	did("hist-rm", written);
	return 0;
}

static int h_latency_find(struct ft_tfs *t, const char *instance, const char *event,
			  const char *name, char *synth, size_t size)
{
	return -ENOENT;
}

static int h_latency_rm(struct ft_tfs *t, struct ft_ledger *l, const char *instance,
			const char *event, const char *name, struct ft_dry *dry, FILE *out,
			char *synth, size_t size)
{
	return -ENOENT;
}

static struct ft_histsvc_hist fake_hist;

static void fake_hist_init(void)
{
	fake_hist = *ft_histsvc_hist_kernel();
	fake_hist.start = h_start;
	fake_hist.list = h_list;
	fake_hist.control = h_control;
	fake_hist.remove = h_remove;
	fake_hist.latency_find = h_latency_find;
	fake_hist.latency_rm = h_latency_rm;
}

/* The fixture: a fake tree, a state dir with a persistent ledger, the service on both. */
struct fixture {
	struct fake_env env;
	struct ft_histsvc svc;
};

static char logged[8192];
static char *out_buf;
static size_t out_len;

static void sink(enum ft_log_level level, const char *msg, void *data)
{
	size_t n = strlen(logged);

	snprintf(logged + n, sizeof(logged) - n, "%s\n", msg);
}

static int setup_tree(void **state, const char *fixture)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fake_env_open(&fx->env, fixture);
	assert_non_null(fx->env.l);
	ft_histsvc_init(&fx->svc, fx->env.tfs, fx->env.l, NULL);
	assert_ptr_equal(fx->svc.bpf, ft_histsvc_bpf_kernel());
	fx->svc.bpf = &fake_bpf;
	memset(&fk, 0, sizeof(fk));
	fk.usable = true;
	logged[0] = '\0';
	ft_log_set_sink(sink, NULL);
	*state = fx;
	return 0;
}

static int setup_vm(void **state)
{
	return setup_tree(state, "vm-6.1");
}

static int setup_host(void **state)
{
	return setup_tree(state, "host-6.18");
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	ft_log_set_sink(NULL, NULL);
	fake_env_close(&fx->env);
	free(fx);
	return 0;
}

static void put(const struct fixture *fx, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->env.tree, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The event's hist file from a fixture, and its trigger file to match. */
static void put_hist(const struct fixture *fx, const char *ev, const char *name)
{
	char rel[256], *text;

	snprintf(rel, sizeof(rel), HIST_DIR "%s.hist", name);
	text = fixture_read(rel);
	assert_non_null(text);
	snprintf(rel, sizeof(rel), "events/%s/hist", ev);
	put(fx, rel, text);
	free(text);
	snprintf(rel, sizeof(rel), HIST_DIR "%s.trigger", name);
	text = fixture_read(rel);
	assert_non_null(text);
	snprintf(rel, sizeof(rel), "events/%s/trigger", ev);
	put(fx, rel, text);
	free(text);
}

static struct ft_hist_spec key_spec(const char *sys, const char *ev, const char *key,
				    const char *mod)
{
	struct ft_hist_spec s = { .system = sys, .event = ev, .nkeys = 1 };

	s.keys[0].field = key;
	s.keys[0].modifier = mod;
	return s;
}

static FILE *out_open(void)
{
	FILE *f = open_memstream(&out_buf, &out_len);

	assert_non_null(f);
	return f;
}

static void out_close(FILE *f)
{
	fclose(f);
}

static void test_backend_names(void **state)
{
	assert_int_equal(ft_backend_lookup(NULL), FT_BACKEND_AUTO);
	assert_int_equal(ft_backend_lookup("auto"), FT_BACKEND_AUTO);
	assert_int_equal(ft_backend_lookup("hist"), FT_BACKEND_HIST);
	assert_int_equal(ft_backend_lookup("bpf"), FT_BACKEND_BPF);
	assert_int_equal(ft_backend_lookup("both"), FT_BACKEND_BOTH);
	assert_int_equal(ft_backend_lookup("perf"), -EINVAL);
	assert_string_equal(ft_backend_name(FT_BACKEND_BOTH), "both");
}

static int choose(struct fixture *fx, const struct ft_hist_spec *spec, enum ft_backend want,
		  enum ft_backend *out)
{
	struct ft_histsvc_event ev = { .state = 0 };
	int ret = ft_histsvc_choose(&fx->svc, &ev, spec, want, out);

	ft_histsvc_event_release(&ev);
	return ret;
}

/* 6.1 has hist triggers: auto takes them; bpf and both where BPF can count it. */
static void test_choose_vm(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "next_comm", "");
	enum ft_backend b;

	assert_int_equal(choose(fx, &s, FT_BACKEND_AUTO, &b), 0);
	assert_int_equal(b, FT_BACKEND_HIST);
	assert_int_equal(choose(fx, &s, FT_BACKEND_BPF, &b), 0);
	assert_int_equal(b, FT_BACKEND_BPF);
	assert_int_equal(choose(fx, &s, FT_BACKEND_BOTH, &b), 0);
	assert_int_equal(b, FT_BACKEND_BOTH);
	assert_string_equal(logged, "");
	/* BPF cannot: said, with what hist triggers can do */
	fk.check_ret = -EINVAL;
	assert_int_equal(choose(fx, &s, FT_BACKEND_BPF, &b), -ENOTSUP);
	assert_non_null(strstr(logged, "--backend bpf: sched:sched_switch cannot be counted with "
				       "BPF: the fake cannot count it; '--backend hist' can"));
	/* a field the event lacks: neither */
	logged[0] = '\0';
	s.keys[0].field = "nxt_comm";
	assert_int_equal(choose(fx, &s, FT_BACKEND_AUTO, &b), -ENOTSUP);
	assert_non_null(
		strstr(logged, "sched:sched_switch cannot be counted here: hist triggers: "));
	/* no such event: one message, not one per backend */
	logged[0] = '\0';
	s.event = "sched_swtch";
	assert_int_equal(choose(fx, &s, FT_BACKEND_AUTO, &b), -ENOENT);
	assert_non_null(strstr(logged, "no event sched:sched_swtch"));
	assert_null(strstr(logged, "BPF"));
}

/*
 * The live view's own table (TOP-1): auto takes BPF where the kernel has both, without a
 * word; hist triggers where BPF cannot count it; an explicit choice stands.
 */
static void test_choose_live(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "next_comm", "");
	struct ft_histsvc_event ev = { .state = 0 };
	enum ft_backend b;

	assert_int_equal(ft_histsvc_choose_live(&fx->svc, &ev, &s, FT_BACKEND_AUTO, &b), 0);
	assert_int_equal(b, FT_BACKEND_BPF);
	assert_string_equal(logged, "");
	assert_int_equal(ft_histsvc_choose_live(&fx->svc, &ev, &s, FT_BACKEND_HIST, &b), 0);
	assert_int_equal(b, FT_BACKEND_HIST);
	fk.check_ret = -EINVAL;
	assert_int_equal(ft_histsvc_choose_live(&fx->svc, &ev, &s, FT_BACKEND_AUTO, &b), 0);
	assert_int_equal(b, FT_BACKEND_HIST);
	ft_histsvc_event_release(&ev);
}

/* Several events, or '--key event': one hist trigger cannot; BPF counts them. */
static void test_choose_needs_bpf(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "event", "");
	enum ft_backend b;

	assert_int_equal(choose(fx, &s, FT_BACKEND_HIST, &b), -ENOTSUP);
	assert_non_null(strstr(logged, "'--key event' names the event of each count"));
	logged[0] = '\0';
	s.keys[0].field = "common_pid";
	s.more[0] = (struct ft_hist_event){ "sched", "sched_process_exit" };
	s.nmore = 1;
	assert_int_equal(choose(fx, &s, FT_BACKEND_AUTO, &b), 0);
	assert_int_equal(b, FT_BACKEND_BPF);
	assert_non_null(strstr(logged, "counting sched:sched_switch with BPF: a hist trigger "
				       "counts one event; 2 events"));
	fk.usable = false;
	assert_int_equal(choose(fx, &s, FT_BACKEND_AUTO, &b), -ENOTSUP);
	assert_non_null(strstr(logged, "BPF: no BPF in this test"));
}

/* 6.18 has no hist triggers: auto falls back to BPF and says why; hist says BPF can. */
static void test_choose_host(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "next_comm", "");
	enum ft_backend b;

	assert_int_equal(choose(fx, &s, FT_BACKEND_AUTO, &b), 0);
	assert_int_equal(b, FT_BACKEND_BPF);
	assert_non_null(strstr(logged, "counting sched:sched_switch with BPF: this kernel has no "
				       "hist triggers"));
	logged[0] = '\0';
	assert_int_equal(choose(fx, &s, FT_BACKEND_HIST, &b), -ENOTSUP);
	assert_non_null(strstr(logged, "use '--backend bpf' to count it with BPF"));
	logged[0] = '\0';
	fk.usable = false;
	assert_int_equal(choose(fx, &s, FT_BACKEND_HIST, &b), -ENOTSUP);
	assert_non_null(strstr(logged, "; nor with BPF: no BPF in this test"));
}

/* hist start as a dry run: the hist trigger's write and the BPF pin, nothing made. */
static void test_start_dry(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "next_comm", "");
	struct ft_writes w = { 0 };
	FILE *out = out_open();

	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BOTH, &w, out), 0);
	out_close(out);
	free(out_buf);
	out = out_open();
	assert_int_equal(ft_writes_print(&w, out), 0);
	out_close(out);
	assert_non_null(strstr(out_buf, "events/sched/sched_switch/trigger"));
	assert_non_null(strstr(out_buf, "hist:keys=next_comm"));
	assert_non_null(strstr(out_buf, "/fake/bpffs/ftrig/sched-sched_switch"));
	assert_string_equal(fk.did, "");
	free(out_buf);
	ft_writes_release(&w);
}

/* hist start --backend bpf: created, pinned under its name, said. */
static void test_start_bpf(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "next_comm", "");
	FILE *out = out_open();

	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BPF, NULL, out), 0);
	out_close(out);
	assert_string_equal(fk.did, "create plain;pin sched-sched_switch;");
	assert_string_equal(out_buf, "counting sched:sched_switch with BPF as 'sched-sched_switch' "
				     "(hist:keys=common_pid.execname)\n");
	free(out_buf);
	/* the name is taken: how to get another */
	fk.pin_ret = -EEXIST;
	s.name = "mine";
	out = out_open();
	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BPF, NULL, out), -EEXIST);
	out_close(out);
	free(out_buf);
	assert_non_null(strstr(logged, "give this one another --name, or remove the old one with "
				       "'ftrig hist rm sched:sched_switch --name mine'"));
	/* a name bpffs would refuse is refused first */
	logged[0] = '\0';
	s.name = "a.b";
	out = out_open();
	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BPF, NULL, out), -EINVAL);
	out_close(out);
	free(out_buf);
	assert_non_null(strstr(logged, "cannot name a BPF aggregation so"));
	/* a glob: the events it matches, counted in one table */
	fk.pin_ret = 0;
	fk.did[0] = '\0';
	s = key_spec("sched", "sched_*", "common_pid", "");
	out = out_open();
	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_AUTO, NULL, out), 0);
	out_close(out);
	free(out_buf);
	assert_string_equal(fk.did, "create plain;pin sched-sched_process_exit;");
}

/*
 * Both backends behind their tables: the service hands each what it dispatches, and the
 * event's format, read once, to both (start --backend both, pause, rm).
 */
static void test_backend_tables(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "sched_switch", "next_pid", "");
	FILE *out = out_open();

	fake_hist_init();
	fx->svc.hist = &fake_hist;
	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BOTH, NULL, out), 0);
	assert_string_equal(fk.did, "hist-start sched:sched_switch;create plain;"
				    "pin sched-sched_switch;");
	assert_string_equal(fk.check_fmt, "sched_switch");
	assert_string_equal(fk.create_fmt, "sched_switch");
	fk.did[0] = '\0';
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_PAUSE, NULL, out),
			 0);
	assert_string_equal(
		fk.did,
		"hist-pause hist:keys=next_pid:vals=hitcount:sort=hitcount:size=2048 [active];");
	fk.did[0] = '\0';
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL, FT_HIST_RM,
					    NULL, out),
			 0);
	assert_string_equal(fk.did, "hist-rm hist:keys=next_pid;");
	/* an aggregation on several events is checked without one event's format */
	fk.did[0] = '\0';
	s = key_spec("sched", "sched_*", "common_pid", "");
	assert_int_equal(ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BPF, NULL, out), 0);
	assert_string_equal(fk.check_fmt, "(read)");
	out_close(out);
	free(out_buf);
}

/*
 * A latency on hist triggers through the service: started (its synthetic event and three
 * triggers, journaled; with a BPF aggregation beside it, handed the same event formats), its histogram paused by its end event, all of it removed by its
 * start event. The fake tree gets the synthetic event's folder when it is defined.
 */
static void test_latency(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = { .system = "sched",
				  .event = "sched_process_exit",
				  .end_system = "sched",
				  .end_event = "sched_switch",
				  .name = "wl" };
	FILE *out = out_open();
	char *text;

	put(fx, "synthetic_events", "");
	if (ft_histsvc_start(&fx->svc, &s, FT_BACKEND_BOTH, NULL, out))
		fail_msg("%s", logged);
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 4);
	/* --backend both: BPF was handed the formats the hist side read, of both events */
	assert_string_equal(fk.did, "create plain;pin wl;");
	assert_string_equal(fk.check_fmt, "sched_process_exit");
	assert_string_equal(fk.check_end, "sched_switch");
	assert_string_equal(fk.create_fmt, "sched_process_exit");
	assert_string_equal(fk.create_end, "sched_switch");
	text = fake_read(fx->env.tree, "events/sched/sched_switch/trigger");
	assert_non_null(strstr(text, "onmatch(sched.sched_process_exit).trace(wl,$wl_lat)"));
	free(text);
	text = fake_read(fx->env.tree, "events/synthetic/wl/trigger");
	assert_non_null(strstr(text, "hist:keys=lat.log2:name=wl"));
	free(text);
	/* pause by the end event acts on the synthetic event's histogram */
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_PAUSE, NULL, out),
			 0);
	text = fake_read(fx->env.tree, "events/synthetic/wl/trigger");
	assert_non_null(strstr(text, "hist:keys=lat.log2:name=wl:pause"));
	free(text);
	/* rm by the start event removes the four, newest first */
	out_close(out);
	free(out_buf);
	out = out_open();
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_process_exit", NULL,
					    FT_HIST_RM, NULL, out),
			 0);
	out_close(out);
	assert_non_null(strstr(out_buf, "removed the latency 'wl'"));
	assert_int_equal(ft_ledger_objects(fx->env.l)->nobjs, 0);
	text = fake_read(fx->env.tree, "dynamic_events");
	assert_non_null(strstr(text, "-:synthetic/wl"));
	free(text);
	free(out_buf);
}

/* A glob that matches nothing, or an event list, expands as the kernel lists events. */
static void test_expand(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = key_spec("sched", "nothing_*", "common_pid", ""), out;
	struct ft_hist_store *store;

	assert_int_equal(ft_hist_spec_expand(fx->env.tfs, &s, &out, &store), -ENOENT);
	ft_hist_spec_store_free(store);
	assert_non_null(strstr(logged, "no event matches sched:nothing_*"));
	s.event = "sched_*";
	s.more[0] = (struct ft_hist_event){ "sched", "sched_switch" };
	s.nmore = 1;
	assert_int_equal(ft_hist_spec_expand(fx->env.tfs, &s, &out, &store), 0);
	assert_string_equal(out.event, "sched_process_exit");
	assert_int_equal(out.nmore, 1);
	assert_string_equal(out.more[0].event, "sched_switch");
	assert_string_equal(out.title, "sched_*");
	ft_hist_spec_store_free(store);
}

/* pause, cont, clear write the listed hist trigger back with the verb; rm only ftrig's. */
static void test_control_hist(void **state)
{
	struct fixture *fx = *state;
	FILE *out = out_open();
	char *text;

	put_hist(fx, "sched/sched_switch", "execname");
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_PAUSE, NULL, out),
			 0);
	out_close(out);
	assert_string_equal(out_buf, "paused 'hist:keys=common_pid.execname:vals=hitcount:sort="
				     "hitcount.descending:size=2048 [active]' on "
				     "sched:sched_switch\n");
	free(out_buf);
	text = fake_read(fx->env.tree, "events/sched/sched_switch/trigger");
	assert_non_null(strstr(text, ":pause"));
	free(text);
	/* the file now lists two; rm of one ftrig did not start says how to remove it */
	put_hist(fx, "sched/sched_switch", "execname");
	out = out_open();
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL, FT_HIST_RM,
					    NULL, out),
			 -EPERM);
	out_close(out);
	free(out_buf);
	assert_non_null(strstr(logged, "was not started by 'ftrig hist start'; remove it with: "
				       "ftrig trigger rm sched:sched_switch"));
	/* no hist of that name */
	logged[0] = '\0';
	out = out_open();
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", "nope",
					    FT_HIST_CLEAR, NULL, out),
			 -ENOENT);
	out_close(out);
	free(out_buf);
	assert_non_null(strstr(logged, "sched:sched_switch has no hist named nope"));
}

/* Several hist triggers: which one is asked for; a dry run writes nothing. */
static void test_control_several(void **state)
{
	struct fixture *fx = *state;
	struct ft_dry dry;
	FILE *out = out_open();

	put_hist(fx, "sched/sched_switch", "multi");
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_CLEAR, NULL, out),
			 -EINVAL);
	assert_non_null(strstr(logged, "sched:sched_switch has 3 hist triggers: say which with "
				       "--name NAME"));
	put_hist(fx, "sched/sched_switch", "named");
	assert_int_equal(ft_dry_open(&dry), 0);
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", "ftcap_shared",
					    FT_HIST_CONT, &dry, out),
			 0);
	out_close(out);
	free(out_buf);
	assert_int_equal(dry.w.n, 1);
	out = out_open();
	ft_writes_print(&dry.w, out);
	out_close(out);
	assert_non_null(strstr(out_buf, "hist:keys=common_pid.execname:sort=hitcount:size=2048:"
					"name=ftcap_shared:cont"));
	free(out_buf);
	ft_dry_close(&dry);
}

/* A pinned BPF aggregation on the event is acted on alike; two need --name. */
static void test_control_bpf(void **state)
{
	struct fixture *fx = *state;
	struct ft_dry dry;
	FILE *out = out_open();

	fake_add("agg1", "sched", "sched_switch");
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_PAUSE, NULL, out),
			 0);
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_CLEAR, NULL, out),
			 0);
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL, FT_HIST_RM,
					    NULL, out),
			 0);
	out_close(out);
	assert_string_equal(fk.did, "pause agg1;clear agg1;remove agg1;");
	assert_non_null(
		strstr(out_buf, "removed the BPF aggregation 'agg1' on sched:sched_switch"));
	free(out_buf);
	assert_int_equal(ft_dry_open(&dry), 0);
	out = out_open();
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_CONT, &dry, out),
			 0);
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL, FT_HIST_RM,
					    &dry, out),
			 0);
	out_close(out);
	free(out_buf);
	assert_int_equal(dry.w.n, 2);
	ft_dry_close(&dry);
	fake_add("agg2", "sched", "sched_switch");
	out = out_open();
	assert_int_equal(ft_histsvc_control(&fx->svc, NULL, "sched:sched_switch", NULL,
					    FT_HIST_PAUSE, NULL, out),
			 -EINVAL);
	out_close(out);
	free(out_buf);
	assert_non_null(strstr(logged, "sched:sched_switch has 2 BPF aggregations: say which with "
				       "--name (one of: agg1, ...)"));
}

/* Every hist of an event: the kernel's and the pinned aggregations', by name too. */
static void test_collect(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_where w = { "sched", "sched_switch", NULL, NULL, false };
	struct ft_hist **v;
	size_t n;

	put_hist(fx, "sched/sched_switch", "multi");
	fake_add("agg1", "sched", "sched_switch");
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0]->backend, "hist");
	assert_string_equal(v[3]->backend, "bpf");
	assert_string_equal(v[3]->name, "agg1");
	ft_hist_free_all(v, n);
	w.name = "agg1";
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), 0);
	assert_int_equal(n, 1);
	ft_hist_free_all(v, n);
	w.name = "nope";
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -ENOENT);
	assert_non_null(strstr(logged, "no hist named 'nope' on sched:sched_switch"));
	/* no hist at all */
	logged[0] = '\0';
	w = (struct ft_hist_where){ "sched", "sched_process_exit", NULL, NULL, false };
	put(fx, "events/sched/sched_process_exit/hist", "");
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -ENOENT);
	assert_non_null(strstr(logged, "no hist trigger on sched:sched_process_exit; start one"));
	/* no such instance */
	w.instance = "nowhere";
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -ENOENT);
	assert_non_null(strstr(logged, "no instance 'nowhere'"));
	/* the aggregation does not open any more */
	w = (struct ft_hist_where){ "sched", "sched_switch", NULL, NULL, false };
	fk.open_ret = -EIO;
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -EIO);
	assert_non_null(strstr(logged, "cannot read the hist of sched:sched_switch"));
	/* unpinned between the listing and the opening (another session's hist rm): the
	 * kernel's hists are read all the same, and nothing is said */
	logged[0] = '\0';
	fk.open_ret = -ENOENT;
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(logged, "");
	ft_hist_free_all(v, n);
}

/* 6.18: no hist file; a pinned aggregation is what there is, or the advice to start one. */
static void test_collect_host(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_where w = { "sched", "sched_switch", NULL, NULL, false };
	struct ft_hist **v;
	size_t n;

	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -EOPNOTSUPP);
	assert_non_null(strstr(logged, "this kernel has no hist triggers"));
	fake_add("agg1", "sched", "sched_switch");
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), 0);
	assert_int_equal(n, 1);
	ft_hist_free_all(v, n);
	snprintf(w.event, sizeof(w.event), "sched_swich");
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -ENOENT);
	assert_non_null(strstr(logged, "no event sched:sched_swich"));
	/* the only aggregation unpinned since it was listed: none, and said so (the CI's
	 * silent exit 1 of `hist dump --every` beside a pin churn) */
	logged[0] = '\0';
	snprintf(w.event, sizeof(w.event), "sched_switch");
	fk.open_ret = -ENOENT;
	assert_int_equal(ft_histsvc_collect(&fx->svc, &w, &v, &n), -ENOENT);
	assert_non_null(strstr(logged, "no hist trigger on sched:sched_switch"));
}

/* 6.18: --attach --name of no aggregation: the names that come close, not "no BPF aggregation
 * counts" the event while one does; none at all: the kernel's lack and how to start one. */
static void test_attach_host(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = { .system = "sched", .event = "sched_switch", .name = "agx" };
	struct ft_source *src = NULL;

	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -EOPNOTSUPP);
	assert_non_null(strstr(logged, "no BPF aggregation counts sched:sched_switch"));
	logged[0] = '\0';
	fake_add("agg1", "sched", "sched_switch");
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -ENOENT);
	assert_null(src);
	assert_non_null(
		strstr(logged, "sched:sched_switch has no hist named agx; did you mean agg1?"));
	assert_null(strstr(logged, "no BPF aggregation counts"));
	s.name = "agg1";
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), 0);
	ft_source_destroy(src);
}

/*
 * The same on a kernel with hist triggers: a --name matching none of the event's hists is
 * refused at once, with the names that come close, not watched as a hist trigger that is
 * not there ("no hist trigger with that name" from the first refresh on). A name on an event
 * with no hist at all is watched as before.
 */
static void test_attach_misnamed(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = { .system = "sched", .event = "sched_switch", .name = "agx" };
	struct ft_source *src = NULL;

	put(fx, "events/sched/sched_switch/hist", "");
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), 0);
	assert_non_null(src);
	ft_source_destroy(src);
	src = NULL;
	put_hist(fx, "sched/sched_switch", "execname");
	logged[0] = '\0';
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -ENOENT);
	assert_null(src);
	assert_non_null(strstr(logged, "sched:sched_switch has no hist named agx ('ftrig trigger "
				       "ls sched:sched_switch' lists its triggers)"));
	fake_add("agg1", "sched", "sched_switch");
	logged[0] = '\0';
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -ENOENT);
	assert_null(src);
	assert_non_null(
		strstr(logged, "sched:sched_switch has no hist named agx; did you mean agg1?"));
}

/* --all: events with a hist trigger, in the top level and instances, and pinned ones. */
static void test_find_all(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_target *v;
	size_t n;
	char path[4200];

	put(fx, "events/sched/sched_switch/hist", "");
	assert_int_equal(ft_histsvc_find_all(&fx->svc, &v, &n), -ENOENT);
	assert_non_null(strstr(logged, "no event has a hist trigger"));
	put_hist(fx, "sched/sched_switch", "execname");
	snprintf(path, sizeof(path), "%s/instances/inst1", fx->env.tree);
	assert_int_equal(mkdir(path, 0755), 0);
	fake_add("agg1", "sched", "sched_switch");
	fake_add("agg2", "sched", "sched_process_exit");
	assert_int_equal(ft_histsvc_find_all(&fx->svc, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].w.event, "sched_switch");
	assert_true(v[0].w.own_only);
	assert_string_equal(v[0].w.instance, "");
	assert_string_equal(v[1].w.event, "sched_process_exit");
	assert_false(v[1].w.own_only);
	free(v);
}

static void test_find_all_host(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_target *v;
	size_t n;

	assert_int_equal(ft_histsvc_find_all(&fx->svc, &v, &n), -EOPNOTSUPP);
	assert_non_null(strstr(logged, "no BPF aggregation is pinned"));
	fake_add("agg1", "sched", "sched_switch");
	assert_int_equal(ft_histsvc_find_all(&fx->svc, &v, &n), 0);
	assert_int_equal(n, 1);
	free(v);
}

static void count_agg(const char *name, const struct ft_bpf_plan *p, void *data)
{
	(*(int *)data)++;
	assert_string_equal(p->name, name);
}

static void test_each_agg(void **state)
{
	struct fixture *fx = *state;
	int n = 0;

	fake_add("agg1", "sched", "sched_switch");
	fake_add("agg2", "sched", "sched_process_exit");
	ft_histsvc_each_agg(&fx->svc, NULL, NULL, count_agg, &n);
	assert_int_equal(n, 2);
	n = 0;
	ft_histsvc_each_agg(&fx->svc, "sched", "sched_switch", count_agg, &n);
	assert_int_equal(n, 1);
}

/* top: --attach watches the event's one hist (a hist trigger or a pinned aggregation), refuses
 * several, naming each, until --name picks one; new ones on BPF. */
static void test_sources(void **state)
{
	struct fixture *fx = *state;
	struct ft_hist_spec s = { .system = "sched", .event = "sched_switch" };
	struct ft_source *src;
	struct ft_hist *h;

	put_hist(fx, "sched/sched_switch", "execname");
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), 0);
	assert_string_equal(src->label, "sched:sched_switch (hist)");
	assert_int_equal(ft_source_snapshot(src, &h), 0);
	assert_int_equal(h->hits, 489);
	ft_hist_free(h);
	ft_source_destroy(src);
	fake_add("agg1", "sched", "sched_switch");
	/* A pin beside the trigger (another session's, maybe): not the first one found. */
	logged[0] = '\0';
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -ENOTUNIQ);
	assert_null(src);
	assert_non_null(strstr(logged, "--attach sched:sched_switch: 2 hists to watch, not one:"));
	assert_non_null(strstr(logged, "\n  pinned BPF aggregation, name agg1 (owner unknown"));
	assert_non_null(strstr(
		logged, "\n  hist trigger, no name (not ftrig's): hist:keys=common_pid.execname"));
	assert_non_null(strstr(logged, "\nsay which with --name NAME"));
	s.name = "agg1";
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), 0);
	assert_string_equal(src->label, "fake (bpf)");
	ft_source_destroy(src);
	/* unpinned since it was listed, or not opening: said, not a silent failure */
	logged[0] = '\0';
	fk.open_ret = -ENOENT;
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -ENOENT);
	assert_non_null(strstr(logged, "sched:sched_switch: the BPF aggregation 'agg1' was "
				       "removed as it was being opened; 'ftrig trigger ls "
				       "sched:sched_switch' lists what is left"));
	logged[0] = '\0';
	fk.open_ret = -EIO;
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -EIO);
	assert_non_null(
		strstr(logged, "sched:sched_switch: cannot open the BPF aggregation 'agg1'"));
	fk.open_ret = 0;
	s.name = NULL;
	s.event = "sched_swich";
	assert_int_equal(ft_histsvc_attach(&fx->svc, &s, &src), -ENOENT);
	s = key_spec("sched", "sched_switch", "next_comm", "");
	assert_int_equal(ft_histsvc_source(&fx->svc, &s, FT_BACKEND_BPF, &src), 0);
	assert_string_equal(fk.did, "create rotating;");
	ft_source_destroy(src);
	fk.create_ret = -EPERM;
	assert_int_equal(ft_histsvc_source(&fx->svc, &s, FT_BACKEND_BPF, &src), -EPERM);
	assert_null(src);
}

/* --backend both: the two tables agree, or where they differ is said. */
static void test_cross_check(void **state)
{
	char *text = fixture_read(HIST_DIR "execname.hist");
	struct ft_hist **v, *both[2];
	size_t n;
	FILE *out;

	assert_int_equal(ft_hist_parse(text, strlen(text), "sched:sched_switch", "", &v, &n), 0);
	both[0] = v[0];
	free(v);
	assert_int_equal(
		f_snapshot(&(struct ft_bpf_agg){ .plan.name = "sched-sched_switch" }, &both[1]), 0);
	out = out_open();
	ft_histsvc_cross_check(both, 2, out);
	out_close(out);
	assert_non_null(strstr(out_buf, "cross-check: hist and bpf ('sched-sched_switch') agree on "
					"all"));
	free(out_buf);
	both[1]->entries[0].vals[0] += 3;
	out = out_open();
	ft_histsvc_cross_check(both, 2, out);
	out_close(out);
	assert_non_null(
		strstr(out_buf, "counts differ on 1, most on common_pid=<idle> [0]: bpf +3"));
	free(out_buf);
	both[1]->nentries--;
	out = out_open();
	ft_histsvc_cross_check(both, 2, out);
	out_close(out);
	assert_non_null(strstr(out_buf, "only in hist"));
	free(out_buf);
	ft_hist_free(both[0]);
	ft_hist_free(both[1]);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backend_names),
		cmocka_unit_test_setup_teardown(test_choose_vm, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_choose_live, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_choose_needs_bpf, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_choose_host, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_start_dry, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_start_bpf, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_backend_tables, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_latency, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_expand, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_control_hist, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_control_several, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_control_bpf, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_collect, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_collect_host, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_attach_host, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_attach_misnamed, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_find_all, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_find_all_host, setup_host, teardown),
		cmocka_unit_test_setup_teardown(test_each_agg, setup_vm, teardown),
		cmocka_unit_test_setup_teardown(test_sources, setup_vm, teardown),
		cmocka_unit_test(test_cross_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
