// SPDX-License-Identifier: GPL-2.0-only
/*
 * What runs a tool that prints one line per call (execsnoop, opensnoop): the snoop program
 * of the BPF layer (src/bpf/snooper.c) joins each call's entry with its return in the kernel;
 * here the records are printed as they come, until Ctrl-C, SIGTERM or the end of -d. Then
 * the program is detached and every call that returned before is still printed.
 *
 * Every call seen is shown or counted, never dropped in silence: those the kernel side could
 * not keep (its ring buffer or its map of calls in flight full) are said on stderr as soon as
 * they are seen, and in the JSON output as a line of their own; those the output did not take
 * are counted too. The output is line buffered so that a failed write loses exactly the line
 * it carried: the stop signal interrupts a write blocked on a full pipe (EINTR, signals.c),
 * and from then on the output is given up, as a stop must not wait for it (CMD-1).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bpf/snooper.h"
#include "cmd.h"
#include "histsvc/histsvc.h"
#include "kfeat.h"
#include "json.h"
#include "log.h"
#include "session.h"
#include "signals.h"
#include "tools/tools.h"

/**
 * struct snoop_run - a snoop tool running
 * @t: the tool
 * @o: its options
 * @start: CLOCK_MONOTONIC ns when tracing began (the records' clock)
 * @end: CLOCK_MONOTONIC ns when -d ends it, 0 for no end
 * @wall0: CLOCK_REALTIME seconds at @start
 * @said: calls not shown as last said
 * @unwritten: calls the output did not take
 * @out_err: the errno of the write that failed, 0 while the output takes the lines
 * @draining: the program is detached, what it left is being shown: no cutting short
 */
struct snoop_run {
	const struct ft_snoop_tool *t;
	const struct ft_tool_opts *o;
	uint64_t start;
	uint64_t end;
	double wall0;
	uint64_t said;
	uint64_t unwritten;
	int out_err;
	bool draining;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Whether the run is over: a stop signal, the end of -d, or an output that failed. */
static bool over(const struct snoop_run *run)
{
	return ft_stop_signal || run->out_err || (run->end && mono_ns() >= run->end);
}

static int one(const struct ft_snoop_rec *r, void *data)
{
	struct snoop_run *run = data;
	double rel = r->ts > run->start ? (double)(r->ts - run->start) / 1e9 : 0;

	if (run->out_err) {
		run->unwritten++;
		return 0;
	}
	errno = 0;
	run->t->line(r, run->o, rel, run->wall0 + rel, stdout);
	if (ferror(stdout)) {
		run->out_err = errno ?: EIO;
		run->unwritten++;
		clearerr(stdout);
	}
	/* A poll hands over all the ring buffer has, which a flood keeps full: cut it short. */
	return !run->draining && over(run) ? -ECANCELED : 0;
}

/*
 * Say the calls not shown when there are more than last said, on stderr and in the JSON
 * output; @last: the run is over: the totals, said once more if there are any.
 */
static void say_lost(struct ft_snooper *s, struct snoop_run *run, bool last)
{
	uint64_t ring = 0, pending = 0, out = run->out_err == EPIPE ? 0 : run->unwritten, all;
	struct ft_json j;

	if (ft_snooper_lost(s, &ring, &pending))
		return;
	all = ring + pending + out;
	if (all == run->said && !(last && all))
		return;
	ft_warn("%llu calls not shown%s: %llu found the ring buffer full (a slow terminal: -j to a "
		"file, -p, -c, -x), %llu the map of calls in flight full, %llu not taken by the "
		"output",
		(unsigned long long)all, last ? " in all" : " so far", (unsigned long long)ring,
		(unsigned long long)pending, (unsigned long long)out);
	run->said = all;
	if (!run->o->json || run->out_err)
		return;
	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_uint(&j, "lost", all);
	ft_json_uint(&j, "lost_ring", ring);
	ft_json_uint(&j, "lost_pending", pending);
	ft_json_uint(&j, "lost_output", out);
	ft_json_end(&j, '}');
}

/* Print the calls as they return until over(). */
static int loop(struct ft_snooper *s, struct snoop_run *run)
{
	while (!over(run)) {
		uint64_t now = mono_ns();
		int wait = 100, ret;

		if (run->end && run->end - now < 100000000ULL)
			wait = (int)((run->end - now) / 1000000) + 1;
		ret = ft_snooper_poll(s, wait);
		if (ret < 0 && ret != -EINTR && ret != -ECANCELED) {
			ft_err("cannot read the snoop program's records: %s", strerror(-ret));
			return ret;
		}
		say_lost(s, run, false);
	}
	return 0;
}

/*
 * The stop: no more calls are seen, and those that returned before are shown. A write that
 * blocks from here on fails within 100 ms (CMD-1), and the rest is counted, not written.
 */
static int finish(struct ft_snooper *s, struct snoop_run *run)
{
	int ret;

	ft_signals_interrupt(0);
	ft_snooper_detach(s);
	run->draining = true;
	ret = ft_snooper_drain(s);
	say_lost(s, run, true);
	if (!run->out_err && fflush(stdout))
		run->out_err = errno;
	ft_signals_interrupt(-1);
	if (ret < 0 && ret != -ECANCELED) {
		ft_err("cannot read the snoop program's records: %s", strerror(-ret));
		return ret;
	}
	/* A closed pipe (| head) is how a reader says it has enough: not an error. */
	if (run->out_err && run->out_err != EPIPE && run->out_err != EINTR) {
		ft_err("writing the output: %s", strerror(run->out_err));
		return -run->out_err;
	}
	return 0;
}

/**
 * ft_tool_snoop() - run a tool that prints one line per call
 * @cmd: its row
 * @o: its options (-p, -c, -x filter in the kernel; -d, -T, -j here; --backend)
 * @t: the tool
 *
 * --backend hist, or auto where BPF does not load, runs it on hist triggers instead
 * (ft_tool_snoop_hist()).
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_snoop(const struct ft_cmd *cmd, const struct ft_tool_opts *o,
		  const struct ft_snoop_tool *t)
{
	struct ft_snoop_opts so = {
		.kind = (enum ft_snoop_kind)t->kind,
		.pid = o->pid,
		.comm = o->comm,
		.failed = o->failed,
	};
	struct snoop_run run = { .t = t, .o = o };
	int be = ft_backend_lookup(o->backend);
	struct ft_snooper *s = NULL;
	struct ft_session *ss;
	struct timespec wall;
	char why[160];
	sigset_t held;
	int ret;

	/* As the other tools: BPF where it loads, hist triggers where it does not. */
	if (be == FT_BACKEND_HIST || (be == FT_BACKEND_AUTO && !ft_bpf_usable(why, sizeof(why))))
		return ft_tool_snoop_hist(cmd, o, t);

	/* Before the first line: a failed write then loses that line only. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ft_session_begin(&ss))
		return FT_EXIT_ERR;
	/* The verifier gives up when a signal is pending: a Ctrl-C now is seen at the loop. */
	ft_signals_hold(&held);
	ret = ft_snooper_create(ss->tfs, &so, one, &run, &s);
	ft_signals_release(&held);
	if (!ret) {
		run.start = mono_ns();
		run.end = o->duration ? run.start + (uint64_t)(o->duration * 1e9) : 0;
		clock_gettime(CLOCK_REALTIME, &wall);
		run.wall0 = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
		/* -d holds when the output blocks too (CMD-1). */
		if (o->duration)
			ft_signals_interrupt((long long)(o->duration * 1000));
		ft_tool_ready(o, "Tracing %s%s calls... Hit Ctrl-C to end.",
			      o->failed ? "failed " : "", t->what);
		if (!o->json)
			t->header(o, stdout);
		ret = loop(s, &run);
		ret = finish(s, &run) ?: ret;
	}
	ft_snooper_destroy(s);
	if (ft_session_end(ss))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
