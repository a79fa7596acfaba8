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
 * struct ft_pipe_fmt - the text formatter's state between events (ft_pipe_fmt_init())
 * @seq: scratch for what libtraceevent prints (the event's own fields)
 * @lat: NULL until needed; per (common_flags, common_preempt_count): byte 0 the text's length
 *       plus one (0: not known yet), then the text, as libtraceevent printed it once
 * @line: the line being built
 * @cap: its size
 * @ev: the event the offsets below are of (the last one seen)
 * @flags_off: offset of common_flags in its records, or -1 when the common fields are not
 *             the usual four (then libtraceevent prints the whole line)
 * @pc_off: offset of common_preempt_count
 * @info: the fields' text of @ev when its print fmt has no arguments (the same for every
 *        record: printed once), else NULL
 * @info_len: its length
 */
struct ft_pipe_fmt {
	struct trace_seq seq;
	unsigned char (*lat)[FT_PIPE_LAT_MAX + 1];
	char *line;
	size_t cap;
	const struct tep_event *ev;
	int flags_off, pc_off;
	char *info;
	size_t info_len;
};

void ft_pipe_fmt_init(struct ft_pipe_fmt *f);
void ft_pipe_fmt_free(struct ft_pipe_fmt *f);
void ft_pipe_fmt_event(struct ft_pipe_fmt *f, FILE *out, struct tep_handle *tep,
		       struct tep_record *rec, const char *comm);

#endif
