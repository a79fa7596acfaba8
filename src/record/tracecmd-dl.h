/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_RECORD_TRACECMD_DL_H
#define FT_RECORD_TRACECMD_DL_H

/*
 * libtracecmd as `record` and `report` find it at run time (dlopen), not linked: linking it
 * made every command's start map it and libzstd and relocate their symbols (issue #21).
 *
 * A file that includes this calls the library's functions by their names through `tc`, a
 * const struct ft_tracecmd * in scope that ft_tracecmd_load() filled (the macros below).
 */
#include <trace-cmd.h>

#include "record/tracecmd-out.h"

/* The functions of libtracecmd ftrig calls. */
#define FT_TRACECMD_FUNCS(X)             \
	X(tracecmd_add_option)           \
	X(tracecmd_append_cpu_data)      \
	X(tracecmd_close)                \
	X(tracecmd_get_tep)              \
	X(tracecmd_iterate_events)       \
	X(tracecmd_open)                 \
	X(tracecmd_output_close)         \
	X(tracecmd_output_create_fd)     \
	X(tracecmd_output_set_kallsyms)  \
	X(tracecmd_output_set_trace_dir) \
	X(tracecmd_output_set_version)   \
	X(tracecmd_output_write_headers) \
	X(tracecmd_set_loglevel)         \
	X(tracecmd_set_out_clock)        \
	X(tracecmd_set_quiet)            \
	X(tracecmd_write_cmdlines)

/**
 * struct ft_tracecmd - the loaded libtracecmd: its handle and what dlsym() found in it
 */
struct ft_tracecmd {
	void *lib;
#define FT_TRACECMD_FN(f) __typeof__(f) *f;
	FT_TRACECMD_FUNCS(FT_TRACECMD_FN)
#undef FT_TRACECMD_FN
};

int ft_tracecmd_load(struct ft_tracecmd *tc, const char *what);

/* Not in tracecmd-dl.c, which fills the table by the same names. */
#ifndef FT_TRACECMD_DL_LOADER
#define tracecmd_add_option (tc->tracecmd_add_option)
#define tracecmd_append_cpu_data (tc->tracecmd_append_cpu_data)
#define tracecmd_close (tc->tracecmd_close)
#define tracecmd_get_tep (tc->tracecmd_get_tep)
#define tracecmd_iterate_events (tc->tracecmd_iterate_events)
#define tracecmd_open (tc->tracecmd_open)
#define tracecmd_output_close (tc->tracecmd_output_close)
#define tracecmd_output_create_fd (tc->tracecmd_output_create_fd)
#define tracecmd_output_set_kallsyms (tc->tracecmd_output_set_kallsyms)
#define tracecmd_output_set_trace_dir (tc->tracecmd_output_set_trace_dir)
#define tracecmd_output_set_version (tc->tracecmd_output_set_version)
#define tracecmd_output_write_headers (tc->tracecmd_output_write_headers)
#define tracecmd_set_loglevel (tc->tracecmd_set_loglevel)
#define tracecmd_set_out_clock (tc->tracecmd_set_out_clock)
#define tracecmd_set_quiet (tc->tracecmd_set_quiet)
#define tracecmd_write_cmdlines (tc->tracecmd_write_cmdlines)
#endif

#endif
