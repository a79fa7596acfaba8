/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOOLS_H
#define FT_TOOLS_H

/*
 * The classic tracing tools (bcc's funccount, syscount, ...) as ftrig commands: each a recipe
 * of histogram specs over ftrig's own probe and histogram code (src/probes/, src/histsvc/),
 * run by one engine (src/tools/engine.c) that owns the session, and printed in the bcc tool's
 * columns. The options bcc users know are parsed once, here (src/tools/opts.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "histsvc/histsvc.h"
#include "hist/spec.h"

struct ft_cmd;
struct ft_hist;
struct ft_json;
struct ft_session;
struct ft_source;

#define FT_TOOL_MAX_WORDS 64 /* the words of one recipe's spec */

/**
 * struct ft_tool_opts - the options the tools share (bcc's letters), and the operands
 * @pid: -p, only this thread (trace: this process's threads); 0 for all
 * @tid: --tid, trace: only this thread; 0 for all
 * @name: -n, trace: only tasks whose name contains this; NULL for all
 * @max_events: -M, trace: stop after so many events; 0 for no limit
 * @comm: -c, only tasks of this name; NULL for all
 * @duration: -d, seconds to trace; 0 until Ctrl-C
 * @interval: -i, print (and start afresh) every so many seconds; 0 for once at the end
 * @timestamp: -T, a time line before each output
 * @failed: -x, failed calls only
 * @json: -j, JSON lines instead of columns
 * @live: --live, open the recipe in `ftrig top` instead
 * @latency: -L, syscount: the time spent in the calls too
 * @by_process: -P, syscount: by process instead of by call
 * @per_disk: -D, biolatency: a histogram per disk
 * @queued: -Q, biolatency: from the request's start (queued), not its issue
 * @msecs: -m, biolatency: milliseconds instead of microseconds
 * @per_flags: -F, biolatency: a histogram per set of I/O flags (the kernel's rwbs)
 * @disk: --disk, biolatency: that disk only (its name, "vda"); NULL for all
 * @backend: --backend: auto, hist or bpf (NULL: auto)
 * @max: --max, how many kprobes a glob may make (0: FT_PROBE_GLOB_MAX)
 * @top: --top, rows printed, 0 for all
 * @args: the operands
 * @nargs: how many
 */
struct ft_tool_opts {
	long pid;
	long tid;
	const char *name;
	long max_events;
	const char *comm;
	double duration;
	double interval;
	bool timestamp;
	bool failed;
	bool json;
	bool live;
	bool latency;
	bool by_process;
	bool per_disk;
	bool queued;
	bool msecs;
	bool per_flags;
	const char *disk;
	const char *backend;
	unsigned max;
	long top;
	char **args;
	int nargs;
};

/**
 * struct ft_tool - one row of the tools' table
 * @name: the command
 * @takes: the short options it takes of the shared ones ("pcdiTj..."); --live, --backend
 *         and the long forms come with their letters
 * @min_args: operands at least
 * @max_args: operands at most
 * @run: the recipe; returns an FT_EXIT_* code
 */
struct ft_tool {
	const char *name;
	const char *takes;
	int min_args;
	int max_args;
	int (*run)(const struct ft_cmd *cmd, struct ft_tool_opts *o);
};

int ft_tool_opts_parse(const struct ft_cmd *cmd, const struct ft_tool *t, int argc, char **argv,
		       struct ft_tool_opts *o);

/**
 * struct ft_tool_spec - one histogram a recipe counts, as the words `ftrig top` takes
 * @words: EVENT and its options (--key, --filter, ...), pointing at @buf or constants
 * @n: how many
 * @buf: the memory of words the recipe composed
 * @used: how much of @buf is taken
 */
struct ft_tool_spec {
	char *words[FT_TOOL_MAX_WORDS];
	int n;
	char buf[4096];
	size_t used;
};

int ft_tool_size(struct ft_tool_spec *s);
int ft_tool_task_words(struct ft_tool_spec *s, enum ft_backend be, const struct ft_tool_opts *o,
		       const char *filter);
int ft_tool_word(struct ft_tool_spec *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * ft_tool_print_fn - print one output of a recipe
 * @h: one table per spec, in the order added: the counts of the interval (or of the whole
 *     run); a spec that could not be read is NULL
 * @n: how many
 * @o: the options
 * @data: the recipe's
 */
typedef int (*ft_tool_print_fn)(struct ft_hist *const *h, size_t n, const struct ft_tool_opts *o,
				void *data);

/**
 * struct ft_tool_run - a recipe running: the session and one source per spec
 * @s: the session (its ledger, its instance, its probe group)
 * @svc: the histogram service on it
 * @src: the sources
 * @prev: each source's last snapshot, for intervals
 * @n: how many
 * @be: the backend every spec is counted by: --backend, or for auto BPF where it loads (its
 *      tables never fill, and it counts a glob per event in one table), else hist triggers
 */
struct ft_tool_run {
	struct ft_session *s;
	struct ft_histsvc svc;
	enum ft_backend be;
	struct ft_source **src;
	struct ft_hist **prev;
	size_t n;
};

int ft_tool_begin(struct ft_tool_run *r, const struct ft_tool_opts *o);
int ft_tool_add(struct ft_tool_run *r, struct ft_tool_spec *sp, const struct ft_tool_opts *o);
int ft_tool_add_source(struct ft_tool_run *r, struct ft_source *src);
int ft_tool_loop(struct ft_tool_run *r, const struct ft_tool_opts *o, ft_tool_print_fn print,
		 void *data);
int ft_tool_end(struct ft_tool_run *r);
const char *ft_tool_table_note(const struct ft_hist *h, const char *label, bool lost, char *buf,
			       size_t size);
int ft_tool_probe(struct ft_tool_run *r, const char *what, bool ret, char *ev, size_t size);
int ft_tool_run_one(const struct ft_cmd *cmd, struct ft_tool_run *r, struct ft_tool_spec *sp,
		    const struct ft_tool_opts *o, ft_tool_print_fn print, const char *what);
int ft_tool_live(const struct ft_cmd *cmd, struct ft_tool_run *r, struct ft_tool_spec *sp,
		 size_t n);
void ft_tool_ready(const struct ft_tool_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ft_tool_stamp(const struct ft_tool_opts *o, FILE *f);
void ft_tool_json_begin(struct ft_json *j);
void ft_tool_json_end(struct ft_json *j);
uint64_t ft_tool_count(const struct ft_hist *h, const struct ft_hist_entry *e);

#define FT_TOOL_LOG2_MAX 65 /* log2 buckets "~ 2^0" to "~ 2^64" */

void ft_tool_log2_print(const char *unit, const uint64_t *c, unsigned max);
void ft_tool_log2_json(struct ft_json *j, const uint64_t *c, unsigned max, uint64_t total);
unsigned ft_tool_log2_of(uint64_t x);
int ft_tool_disk_name(const char *sysfs, uint64_t dev, char *buf, size_t size);
int ft_tool_disk_dev(const char *sysfs, const char *name, uint64_t *dev);
/**
 * struct ft_snoop_tool - a tool that prints one line per call (execsnoop, opensnoop)
 * @kind: enum ft_snoop_kind of its calls
 * @what: the calls, for the Tracing line ("exec()")
 * @header: print the column header (the text output, not -j)
 * @line: print one call; @rel is the seconds since tracing began, @wall the time of day
 *        (seconds since the epoch)
 */
struct ft_snoop_rec;
struct ft_snoop_tool {
	int kind;
	const char *what;
	void (*header)(const struct ft_tool_opts *o, FILE *f);
	void (*line)(const struct ft_snoop_rec *r, const struct ft_tool_opts *o, double rel,
		     double wall, FILE *f);
};

int ft_tool_snoop(const struct ft_cmd *cmd, const struct ft_tool_opts *o,
		  const struct ft_snoop_tool *t);
int ft_tool_snoop_hist(const struct ft_cmd *cmd, const struct ft_tool_opts *o,
		       const struct ft_snoop_tool *t);
void ft_execsnoop_header(const struct ft_tool_opts *o, FILE *f);
void ft_execsnoop_line(const struct ft_snoop_rec *r, const struct ft_tool_opts *o, double rel,
		       double wall, FILE *f);
void ft_opensnoop_header(const struct ft_tool_opts *o, FILE *f);
void ft_opensnoop_line(const struct ft_snoop_rec *r, const struct ft_tool_opts *o, double rel,
		       double wall, FILE *f);

int ft_tool_funccount(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_syscount(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_funclatency(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_stackcount(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_biolatency(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_execsnoop(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_opensnoop(const struct ft_cmd *cmd, struct ft_tool_opts *o);
int ft_tool_trace(const struct ft_cmd *cmd, struct ft_tool_opts *o);

#endif
