// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor loader: bench/floor.bpf.c's counter loaded and attached with plain libbpf, as
 * little as a loader can do (the object is embedded, as ftrig's is). The benchmarks measure
 * ftrig's per-event cost and attach time against it on the same hook.
 *
 * usage: floor tp|raw|rawc|btf [-p TGID] SYSTEM:EVENT
 *   tp    a classic tracepoint program on SYSTEM:EVENT (perf_event_open by the event's id)
 *   raw   a raw tracepoint program on raw_syscalls' sys_enter, counting the call number of
 *         syscalls:sys_enter_NAME
 *   rawc  raw with the compat test an exact count needs (x86_64, the kernel's BTF)
 *   btf   the same as a tp_btf program (needs the kernel's BTF)
 *   -p    count the calls of process TGID only
 * Prints "ready" once attached, then on SIGINT or SIGTERM "count N" (every CPU's sum) and
 * exits 0; 1 when it cannot load or attach (the reason on stderr), 2 for usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

/* { "name", number } of this architecture's system calls, sorted by name. */
static const struct {
	const char *name;
	int nr;
} sysnrs[] = {
#include "syscall-nrs.h"
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int syscall_nr(const char *event)
{
	const char *p = strncmp(event, "syscalls:sys_enter_", 19) ? NULL : event + 19;

	for (size_t i = 0; p && i < sizeof(sysnrs) / sizeof(sysnrs[0]); i++)
		if (!strcmp(sysnrs[i].name, p))
			return sysnrs[i].nr;
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: floor tp|raw|rawc|btf [-p TGID] SYSTEM:EVENT\n");
	return 2;
}

/* The sum of the per-CPU counters. */
static unsigned long long total(struct floor_bpf *s)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long *v = calloc(ncpu > 0 ? ncpu : 1, sizeof(*v)), n = 0;
	__u32 k = 0;

	if (v && ncpu > 0 && !bpf_map_lookup_elem(bpf_map__fd(s->maps.hits), &k, v))
		for (int i = 0; i < ncpu; i++)
			n += v[i];
	free(v);
	return n;
}

int main(int argc, char **argv)
{
	struct bpf_program *prog;
	struct bpf_link *link;
	struct floor_bpf *s;
	sigset_t both, none;
	char sys[64], *ev;
	const char *mode;
	int c, nr = -1;
	long tgid = 0;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p')
			return usage();
		tgid = strtol(optarg, NULL, 10);
	}
	if (argc - optind != 2 || !strchr(argv[optind + 1], ':'))
		return usage();
	mode = argv[optind];
	snprintf(sys, sizeof(sys), "%s", argv[optind + 1]);
	ev = strchr(sys, ':');
	*ev++ = '\0';
	if (strcmp(mode, "tp") && (nr = syscall_nr(argv[optind + 1])) < 0) {
		fprintf(stderr, "floor %s: %s is not a syscalls:sys_enter_* event of this build\n",
			mode, argv[optind + 1]);
		return 2;
	}
	s = floor_bpf__open();
	if (!s)
		return perror("floor: open"), 1;
	s->rodata->nr = (__u64)nr;
	s->rodata->tgid = (__u32)tgid;
	prog = !strcmp(mode, "tp")     ? s->progs.floor_tp
	       : !strcmp(mode, "raw")  ? s->progs.floor_raw
	       : !strcmp(mode, "rawc") ? s->progs.floor_rawc
	       : !strcmp(mode, "btf")  ? s->progs.floor_btf
				       : NULL;
	if (!prog)
		return usage();
	bpf_program__set_autoload(s->progs.floor_tp, prog == s->progs.floor_tp);
	bpf_program__set_autoload(s->progs.floor_raw, prog == s->progs.floor_raw);
	bpf_program__set_autoload(s->progs.floor_rawc, prog == s->progs.floor_rawc);
	bpf_program__set_autoload(s->progs.floor_btf, prog == s->progs.floor_btf);
	if (floor_bpf__load(s)) {
		fprintf(stderr, "floor: load: %s\n", strerror(errno));
		return 1;
	}
	link = prog == s->progs.floor_tp ? bpf_program__attach_tracepoint(prog, sys, ev)
	       : prog == s->progs.floor_raw || prog == s->progs.floor_rawc
		       ? bpf_program__attach_raw_tracepoint(prog, "sys_enter")
		       : bpf_program__attach_trace(prog);
	if (!link) {
		fprintf(stderr, "floor: attach %s to %s:%s: %s\n", mode, sys, ev, strerror(errno));
		floor_bpf__destroy(s);
		return 1;
	}
	/* Blocked but while waiting, so that a signal cannot fall between test and wait. */
	sigemptyset(&none);
	sigemptyset(&both);
	sigaddset(&both, SIGINT);
	sigaddset(&both, SIGTERM);
	sigprocmask(SIG_BLOCK, &both, NULL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		sigsuspend(&none);
	printf("count %llu\n", total(s));
	bpf_link__destroy(link);
	floor_bpf__destroy(s);
	return 0;
}
