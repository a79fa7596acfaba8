/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_RECORD_TRACECMD_OUT_H
#define FT_RECORD_TRACECMD_OUT_H
/*
 * The trace.dat writing half of libtracecmd. Debian's libtracecmd-dev (1.3) installs only
 * trace-cmd.h, the reading half; the library exports the writing functions too (the
 * trace-cmd program is built on them), with these signatures since libtracecmd 1.0
 * (trace-cmd 3.0). Declared here, for the functions ftrig calls and nothing else.
 */
#include <stdbool.h>

struct tracecmd_output;
struct tracecmd_option;

/* trace-cmd.h's option ids (the file format's), only those ftrig writes. */
#define FT_TRACECMD_OPTION_TRACECLOCK 4

/* A glob "system/event" naming event formats to store; a list ends at NULL. */
struct tracecmd_event_list {
	struct tracecmd_event_list *next;
	const char *glob;
};

struct tracecmd_output *tracecmd_output_create_fd(int fd);
int tracecmd_output_set_version(struct tracecmd_output *handle, int file_version);
int tracecmd_output_set_trace_dir(struct tracecmd_output *handle, const char *tracing_dir);
int tracecmd_output_set_kallsyms(struct tracecmd_output *handle, const char *kallsyms);
int tracecmd_output_write_headers(struct tracecmd_output *handle, struct tracecmd_event_list *list);
void tracecmd_set_quiet(struct tracecmd_output *handle, bool set_quiet);
void tracecmd_set_out_clock(struct tracecmd_output *handle, const char *clock);
struct tracecmd_option *tracecmd_add_option(struct tracecmd_output *handle, unsigned short id,
					    int size, const void *data);
int tracecmd_write_cmdlines(struct tracecmd_output *handle);
int tracecmd_append_cpu_data(struct tracecmd_output *handle, int cpus, char *const *cpu_data_files);
void tracecmd_output_close(struct tracecmd_output *handle);

#endif
