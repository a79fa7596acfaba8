// SPDX-License-Identifier: GPL-2.0-only
/*
 * The options every tool shares, parsed once with bcc's letters and one meaning each: -p PID,
 * -c COMM, -d SECONDS (how long to trace), -i SECONDS (print every so often), -T, -x, -j,
 * -L, -P, -D, -Q, -m, -F, -M, -n, and --live, --backend, --max, --top, --disk, --tid (bcc's
 * syscount says -T for its top N, and bcc's biolatency -d for --disk; here -T is the timestamp
 * and -d the duration of every tool; bcc's trace says -L for --tid, here -L is syscount's
 * latency). A tool takes those its row names.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "histsvc/histsvc.h"
#include "tools/tools.h"

enum { OPT_LIVE = 1000, OPT_BACKEND, OPT_MAX, OPT_TOP, OPT_DISK, OPT_TID };

/* Each option and the character of it in a row's @takes. */
static const struct {
	struct option o;
	char take;
} all_opts[] = {
	{ { "pid", required_argument, NULL, 'p' }, 'p' },
	{ { "comm", required_argument, NULL, 'c' }, 'c' },
	{ { "duration", required_argument, NULL, 'd' }, 'd' },
	{ { "interval", required_argument, NULL, 'i' }, 'i' },
	{ { "timestamp", no_argument, NULL, 'T' }, 'T' },
	{ { "failed", no_argument, NULL, 'x' }, 'x' },
	{ { "json", no_argument, NULL, 'j' }, 'j' },
	{ { "latency", no_argument, NULL, 'L' }, 'L' },
	{ { "process", no_argument, NULL, 'P' }, 'P' },
	{ { "disks", no_argument, NULL, 'D' }, 'D' },
	{ { "queued", no_argument, NULL, 'Q' }, 'Q' },
	{ { "milliseconds", no_argument, NULL, 'm' }, 'm' },
	{ { "flags", no_argument, NULL, 'F' }, 'F' },
	{ { "max-events", required_argument, NULL, 'M' }, 'M' },
	{ { "name", required_argument, NULL, 'n' }, 'n' },
	{ { "tid", required_argument, NULL, OPT_TID }, '%' },
	{ { "disk", required_argument, NULL, OPT_DISK }, '@' },
	{ { "top", required_argument, NULL, OPT_TOP }, '^' },
	{ { "live", no_argument, NULL, OPT_LIVE }, '+' },
	{ { "backend", required_argument, NULL, OPT_BACKEND }, '=' },
	{ { "max", required_argument, NULL, OPT_MAX }, '#' },
};

#define NOPTS (sizeof(all_opts) / sizeof(all_opts[0]))

/* A number of seconds, 0.1 to a day. */
static int seconds(const struct ft_cmd *cmd, const char *opt, const char *v, double *out)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || *end || !isfinite(d) || d < 0.1 || d > 86400)
		return ft_usage_error(cmd, "%s takes seconds, 0.1 to 86400, not '%s'", opt, v);
	*out = d;
	return 0;
}

/* A whole number from @lo to @hi. */
static int whole(const struct ft_cmd *cmd, const char *opt, const char *v, long lo, long hi,
		 long *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end || n < lo || n > hi)
		return ft_usage_error(cmd, "%s takes a whole number, %ld to %ld, not '%s'", opt, lo,
				      hi, v);
	*out = n;
	return 0;
}

static int one(const struct ft_cmd *cmd, int c, struct ft_tool_opts *o)
{
	long n;

	switch (c) {
	case 'p':
		return whole(cmd, "-p", optarg, 1, 4194304, &o->pid);
	case 'c':
		if (!*optarg || strlen(optarg) > 15)
			return ft_usage_error(cmd,
					      "-c takes a task name of 1 to 15 characters "
					      "(the kernel's comm), not '%s'",
					      optarg);
		o->comm = optarg;
		return 0;
	case 'd':
		return seconds(cmd, "-d", optarg, &o->duration);
	case OPT_TID:
		return whole(cmd, "--tid", optarg, 1, 4194304, &o->tid);
	case 'M':
		return whole(cmd, "-M", optarg, 1, 1000000000, &o->max_events);
	case 'n':
		/* a part of the name, matched in the kernel as the glob *NAME* */
		if (!*optarg || strlen(optarg) > 15 || strpbrk(optarg, "*?[]\\\"'"))
			return ft_usage_error(cmd,
					      "-n takes a part of a task name, 1 to 15 characters "
					      "without * ? [ ] \\ or quotes, not '%s'",
					      optarg);
		o->name = optarg;
		return 0;
	case 'i':
		return seconds(cmd, "-i", optarg, &o->interval);
	case OPT_TOP:
		return whole(cmd, "--top", optarg, 1, 1000000, &o->top);
	case OPT_MAX:
		if (whole(cmd, "--max", optarg, 1, 100000, &n))
			return FT_EXIT_USAGE;
		o->max = (unsigned)n;
		return 0;
	case OPT_DISK:
		if (!*optarg || strchr(optarg, '/') || !strcmp(optarg, ".") ||
		    !strcmp(optarg, ".."))
			return ft_usage_error(cmd,
					      "--disk takes a disk's name (vda, sda, nvme0n1), "
					      "not '%s'",
					      optarg);
		o->disk = optarg;
		return 0;
	case OPT_BACKEND:
		if (ft_backend_lookup(optarg) < 0 || ft_backend_lookup(optarg) == FT_BACKEND_BOTH)
			return ft_usage_error(cmd, "--backend is auto, hist or bpf, not '%s'",
					      optarg);
		o->backend = optarg;
		return 0;
	default:
		o->timestamp |= c == 'T';
		o->failed |= c == 'x';
		o->json |= c == 'j';
		o->latency |= c == 'L';
		o->by_process |= c == 'P';
		o->per_disk |= c == 'D';
		o->queued |= c == 'Q';
		o->msecs |= c == 'm';
		o->per_flags |= c == 'F';
		o->live |= c == OPT_LIVE;
		return 0;
	}
}

/**
 * ft_tool_opts_parse() - a tool's command line into its options and operands
 * @cmd: the tool's command row, for usage errors
 * @t: the tool's row: which options it takes, how many operands
 * @argc: argument count
 * @argv: arguments, argv[0] being the tool; getopt permutes them
 * @o: set to the options; @o->args point into @argv
 *
 * Return: 0, or FT_EXIT_USAGE after saying what is wrong.
 */
int ft_tool_opts_parse(const struct ft_cmd *cmd, const struct ft_tool *t, int argc, char **argv,
		       struct ft_tool_opts *o)
{
	struct option opts[NOPTS + 1];
	size_t k = 0;
	int c, bad = 0;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < NOPTS; i++)
		if (strchr(t->takes, all_opts[i].take))
			opts[k++] = all_opts[i].o;
	opts[k] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;
	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1)
		if (!bad && one(cmd, c, o))
			return FT_EXIT_USAGE;
	if (bad)
		return FT_EXIT_USAGE;
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs < t->min_args || o->nargs > t->max_args)
		return ft_usage_error(cmd, "%s takes %s", t->name,
				      t->max_args == 0	 ? "no operands"
				      : t->max_args > 1	 ? "one or more probes: what to trace"
				      : t->min_args == 1 ? "one operand: what to count"
							 : "at most one operand");
	if (o->live && (o->json || o->interval || o->duration || o->timestamp))
		return ft_usage_error(cmd, "--live opens the view, which has its own interval "
					   "(+ and -) and runs until q: drop -j, -i, -d and -T");
	return 0;
}

/**
 * ft_tool_word() - add a word to a recipe's spec
 * @s: the spec
 * @fmt: printf format of the word
 *
 * Return: 0, or -E2BIG when the spec is full (a recipe's bug).
 */
int ft_tool_word(struct ft_tool_spec *s, const char *fmt, ...)
{
	size_t room = sizeof(s->buf) - s->used;
	va_list ap;
	int len;

	if (s->n >= FT_TOOL_MAX_WORDS)
		return -E2BIG;
	va_start(ap, fmt);
	len = vsnprintf(s->buf + s->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		return -E2BIG;
	s->words[s->n++] = s->buf + s->used;
	s->used += (size_t)len + 1;
	return 0;
}

/**
 * ft_tool_size() - make a BPF table keyed by every task's name big enough
 * @s: the spec
 *
 * -c on BPF keys the counts by the task's name and prints only its rows (BPF filters compare
 * numbers): on a busy machine every other task's rows (times a log2 bucket with -L) would fill
 * the default 2048 entries, and a full table drops counts, ours too.
 *
 * Return: 0 or -E2BIG (ft_tool_word()).
 */
int ft_tool_size(struct ft_tool_spec *s)
{
	return ft_tool_word(s, "--size") ?: ft_tool_word(s, "65536");
}

/**
 * ft_tool_task_words() - the words of -p, -c and a recipe's own filter
 * @s: the spec
 * @be: the backend it is counted by
 * @o: -p, -c
 * @filter: the recipe's own filter ("ret < 0"), or NULL
 *
 * A hist trigger's filter takes the task's name; BPF filters compare numbers only, so there
 * the name is a key (its table made big enough, ft_tool_size()) and the printers leave out
 * the rows of other tasks.
 *
 * Return: 0 or -E2BIG (ft_tool_word()).
 */
int ft_tool_task_words(struct ft_tool_spec *s, enum ft_backend be, const struct ft_tool_opts *o,
		       const char *filter)
{
	bool comm_key = o->comm && be == FT_BACKEND_BPF;
	char f[256];
	int n;

	n = snprintf(f, sizeof(f), "%s", filter ? filter : "");
	if (o->pid)
		n += snprintf(f + n, sizeof(f) - (size_t)n, "%scommon_pid == %ld", n ? " && " : "",
			      o->pid);
	if (o->comm && !comm_key)
		snprintf(f + n, sizeof(f) - (size_t)n, "%scomm == \"%s\"", n ? " && " : "",
			 o->comm);
	if (comm_key && (ft_tool_word(s, "--key") || ft_tool_word(s, "comm") || ft_tool_size(s)))
		return -E2BIG;
	return f[0] ? ft_tool_word(s, "--filter") ?: ft_tool_word(s, "%s", f) : 0;
}
