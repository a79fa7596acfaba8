/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PIPE_FMT_H
#define FT_PIPE_FMT_H

#include <stdio.h>

#include <traceevent/trace-seq.h>

struct tep_handle;
struct tep_event;
struct tep_record;

/* Latency columns ("d..2.") cached by the two bytes they are made of. */
#define FT_PIPE_LAT_KEYS 65536
#define FT_PIPE_LAT_MAX 15

/**
 * struct ft_pipe_fmt_ev - what the formatter found out about one event format, once
 * @ev: the format (NULL: this id not seen yet)
 * @flags_off: offset of common_flags in its records, or -1 when the common fields are not
 *             the usual four (then libtraceevent prints the whole line)
 * @pc_off: offset of common_preempt_count
 * @name_len: strlen of its name
 * @info: the fields' text when its print fmt has no arguments (the same for every record:
 *        printed once), else NULL
 * @info_len: its length
 */
struct ft_pipe_fmt_ev {
	const struct tep_event *ev;
	int flags_off, pc_off;
	size_t name_len;
	char *info;
	size_t info_len;
};

/**
 * struct ft_pipe_fmt - the text formatter's state between events (ft_pipe_fmt_init())
 * @seq: scratch for what libtraceevent prints (the event's own fields)
 * @lat: NULL until needed; per (common_flags, common_preempt_count): byte 0 the text's length
 *       plus one (0: not known yet), then the text, as libtraceevent printed it once
 * @line: the line being built
 * @cap: its size
 * @evs: per event id, what is known of its format (the lookups are made once per id, not
 *       per record)
 * @nevs: entries in @evs
 */
struct ft_pipe_fmt {
	struct trace_seq seq;
	unsigned char (*lat)[FT_PIPE_LAT_MAX + 1];
	char *line;
	size_t cap;
	struct ft_pipe_fmt_ev *evs;
	size_t nevs;
};

void ft_pipe_fmt_init(struct ft_pipe_fmt *f);
void ft_pipe_fmt_free(struct ft_pipe_fmt *f);
void ft_pipe_fmt_event(struct ft_pipe_fmt *f, FILE *out, struct tep_handle *tep,
		       struct tep_record *rec, const char *comm);

#endif
