// SPDX-License-Identifier: GPL-2.0-only
/*
 * What runs a tool that prints one line per call (execsnoop, opensnoop): the snoop program
 * of the BPF layer (src/bpf/snoop.c) joins each call's entry with its return in the kernel;
 * here the records are printed as they come, until Ctrl-C, SIGTERM or the end of -d.
 * Calls the kernel side could not show (its ring buffer or its map of calls in flight full)
 * are said on stderr as soon as they are seen, and in the JSON output as a line of their
 * own: never silently.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bpf/snooper.h"
#include "cmd.h"
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
 * @wall0: CLOCK_REALTIME seconds at @start
 * @lost: calls not shown so far, as last said
 */
struct snoop_run {
	const struct ft_snoop_tool *t;
	const struct ft_tool_opts *o;
	uint64_t start;
	double wall0;
	uint64_t lost;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int one(const struct ft_snoop_rec *r, void *data)
{
	struct snoop_run *run = data;
	double rel = r->ts > run->start ? (double)(r->ts - run->start) / 1e9 : 0;

	run->t->line(r, run->o, rel, run->wall0 + rel, stdout);
	return 0;
}

/* Say the calls not shown since the last time, on stderr and in the JSON output. */
static void say_lost(struct ft_snooper *s, struct snoop_run *run)
{
	uint64_t ring, pending;
	struct ft_json j;

	if (ft_snooper_lost(s, &ring, &pending) || ring + pending == run->lost)
		return;
	ft_warn("%llu calls not shown: %llu found the ring buffer full (a slow terminal: "
		"-j to a file, -p, -c, -x), %llu the map of calls in flight full",
		(unsigned long long)(ring + pending - run->lost), (unsigned long long)ring,
		(unsigned long long)pending);
	run->lost = ring + pending;
	if (!run->o->json)
		return;
	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_uint(&j, "lost", run->lost);
	ft_json_uint(&j, "lost_ring", ring);
	ft_json_uint(&j, "lost_pending", pending);
	ft_json_end(&j, '}');
	printf("\n");
}

/* Print the calls as they return until a stop signal or the end of -d. */
static int loop(struct ft_snooper *s, struct snoop_run *run)
{
	uint64_t end = run->o->duration ? run->start + (uint64_t)(run->o->duration * 1e9) : 0;
	int ret = 0;

	while (!ft_stop_signal) {
		uint64_t now = mono_ns();
		int wait = 100;

		if (end && now >= end)
			break;
		if (end && end - now < 100000000ULL)
			wait = (int)((end - now) / 1000000) + 1;
		ret = ft_snooper_poll(s, wait);
		if (ret < 0 && ret != -EINTR) {
			ft_err("cannot read the snoop program's records: %s", strerror(-ret));
			return ret;
		}
		fflush(stdout);
		say_lost(s, run);
	}
	/* What returned before the stop is still in the ring buffer: shown too. */
	ret = ft_snooper_poll(s, 0);
	fflush(stdout);
	say_lost(s, run);
	return ret < 0 && ret != -EINTR ? ret : 0;
}

/**
 * ft_tool_snoop() - run a tool that prints one line per call
 * @cmd: its row
 * @o: its options (-p, -c, -x filter in the kernel; -d, -T, -j here)
 * @t: the tool
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
	struct ft_snooper *s = NULL;
	struct ft_session *ss;
	struct timespec wall;
	int ret;

	if (ft_session_begin(&ss))
		return FT_EXIT_ERR;
	ret = ft_snooper_create(ss->tfs, &so, one, &run, &s);
	if (!ret) {
		run.start = mono_ns();
		clock_gettime(CLOCK_REALTIME, &wall);
		run.wall0 = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
		ft_tool_ready(o, "Tracing %s%s calls... Hit Ctrl-C to end.",
			      o->failed ? "failed " : "", t->what);
		if (!o->json)
			t->header(o, stdout);
		ret = loop(s, &run);
	}
	ft_snooper_destroy(s);
	if (ft_session_end(ss))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
