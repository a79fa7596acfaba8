/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PIPE_H
#define FT_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ft_json;
struct ft_session;
struct tep_handle;
struct tep_event;
struct tep_record;
struct tep_format_field;
struct trace_seq;

/* Longest task name the kernel keeps (TASK_COMM_LEN - 1). */
#define FT_COMM_MAX 15

/**
 * enum ft_pipe_mode - how events are read and shown
 * @FT_PIPE_TEXT: the instance's trace_pipe, as the kernel formats it
 * @FT_PIPE_RAW: per-CPU trace_pipe_raw decoded with libtraceevent, shown as text
 * @FT_PIPE_JSON: per-CPU trace_pipe_raw decoded with libtraceevent, one JSON object a line
 */
enum ft_pipe_mode { FT_PIPE_TEXT, FT_PIPE_RAW, FT_PIPE_JSON };

/**
 * ft_pipe_render_fn - a caller's own rendering of one decoded record (`ftrig trace`'s lines)
 * @data: the caller's
 * @out: the output
 * @tep: the handle that decoded it
 * @rec: the record
 * @comm: the task's name as pipe found it, or NULL
 */
typedef void (*ft_pipe_render_fn)(void *data, FILE *out, struct tep_handle *tep,
				  struct tep_record *rec, const char *comm);

/**
 * struct ft_pipe_opts - what `ftrig pipe` was asked to do
 * @events: the event patterns ("sched:sched_switch", "ftrig:*"), pointing into argv
 * @nevents: how many
 * @filter: a filter expression for every event, or NULL
 * @pid: only events of this pid (common_pid), or 0 for all
 * @comm: only events of tasks of this name (a glob is allowed), or NULL
 * @mode: text, raw or JSON
 * @count: stop after this many events, 0 for no limit
 * @duration_ms: stop after this long, 0 for no limit
 * @buffer_kb: per-CPU ring buffer size of the instance in KiB, 0 to keep the kernel's
 * @output: file to write to instead of stdout, or NULL
 * @filters: NULL, or one filter per pattern of @events (an entry NULL for none), set on the
 *           events that pattern names instead of what @filter, @pid and @comm compose
 * @render: NULL, or in raw mode what renders each event instead of the text renderer
 * @render_data: handed to @render
 */
struct ft_pipe_opts {
	char **events;
	size_t nevents;
	const char *filter;
	long pid;
	const char *comm;
	enum ft_pipe_mode mode;
	unsigned long long count;
	unsigned long long duration_ms;
	unsigned long buffer_kb;
	const char *output;
	const char *const *filters;
	ft_pipe_render_fn render;
	void *render_data;
};

/* Pure parts (src/pipe/opts.c, unit-tested). */
int ft_pipe_opts_parse(struct ft_pipe_opts *o, int argc, char **argv, char *err, size_t size);
char *ft_pipe_filter_compose(const struct ft_pipe_opts *o);
bool ft_pipe_event_matches(const char *pattern, const char *sys, const char *event);
int ft_pipe_lost_line(const char *line, size_t len, int *cpu, unsigned long long *n);
unsigned long long ft_pipe_stats_field(const char *text, const char *field);

/* Rendering of one decoded record (src/pipe/render.c, unit-tested). */
void ft_pipe_json_event(struct ft_json *j, struct tep_handle *tep, struct tep_record *rec,
			const char *comm);
void ft_pipe_json_lost(struct ft_json *j, int cpu, long long n, unsigned long long ts);
int ft_pipe_field_data(struct tep_handle *tep, struct tep_record *rec,
		       const struct tep_format_field *fl, const unsigned char **p, unsigned *len);
void ft_pipe_text_event(FILE *f, struct tep_handle *tep, struct tep_record *rec, const char *comm,
			struct trace_seq *s);

/**
 * struct ft_pipe_stats - what a run read
 * @events: events written out
 * @lost: events the kernel reported lost (ring buffer overruns), all CPUs
 * @unwritten: events read but not written: the stop's last batch ran out of time (the output
 *             was slower than the events came)
 * @stopped_by_output: the output was closed (EPIPE) or failed
 */
struct ft_pipe_stats {
	unsigned long long events;
	unsigned long long lost;
	unsigned long long unwritten;
	unsigned long long left;
	bool stopped_by_output;
};

/* Setting up the session's instance (src/pipe/setup.c). */
int ft_pipe_setup(struct ft_session *s, const struct ft_pipe_opts *o, char ***enabled);
void ft_pipe_names_free(char **v);
int ft_pipe_stop_recording(struct ft_session *s);
unsigned long long ft_pipe_cpu_stats(struct ft_session *s, int cpu, const char *const *fields);
unsigned long long ft_pipe_left(struct ft_session *s);

/* The readers (src/pipe/text.c, src/pipe/raw.c); they stop at ft_stop_signal or a limit. */
int ft_pipe_read_text(struct ft_session *s, const struct ft_pipe_opts *o, FILE *out,
		      struct ft_pipe_stats *st);
int ft_pipe_read_raw(struct ft_session *s, const struct ft_pipe_opts *o, char **enabled, FILE *out,
		     struct ft_pipe_stats *st);
/* How long lines read may wait in a regular file's buffer before they are written anyway. */
#define FT_PIPE_FILE_WAIT_MS 1000

bool ft_pipe_out_regular(FILE *f);
bool ft_pipe_out_tick(FILE *f, unsigned long long now_ms, unsigned long long *due);

#endif
