// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig opensnoop: one line per open, openat and openat2, in bcc opensnoop's columns (PID
 * COMM FD ERR PATH), the entry's path joined with the return of the same call in the kernel
 * (src/bpf/snooper.c): FD is the descriptor or -1, ERR the errno of a failed call. The
 * printers here are pure.
 */
#include <stdio.h>

#include "bpf/snoop.h"
#include "cmd.h"
#include "json.h"
#include "tools/tools.h"

/**
 * ft_opensnoop_header() - opensnoop's column header
 * @o: -T adds bcc's TIME(s) column
 * @f: where to print
 */
void ft_opensnoop_header(const struct ft_tool_opts *o, FILE *f)
{
	if (o->timestamp)
		fprintf(f, "%-14s ", "TIME(s)");
	fprintf(f, "%-6s %-16s %4s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");
}

/**
 * ft_opensnoop_line() - one open as opensnoop prints it
 * @r: the call
 * @o: -T (seconds since tracing began, as bcc's), -j (a JSON object a line)
 * @rel: seconds since tracing began
 * @wall: the time of the return, seconds since the epoch (-j)
 * @f: where to print
 *
 * A path that could not be read (a bad pointer) is printed as "?", null in JSON.
 */
void ft_opensnoop_line(const struct ft_snoop_rec *r, const struct ft_tool_opts *o, double rel,
		       double wall, FILE *f)
{
	long long fd = r->ret < 0 ? -1 : r->ret, err = r->ret < 0 ? -r->ret : 0;
	struct ft_json j;

	if (o->json) {
		ft_json_init(&j, f, false);
		ft_json_begin_obj(&j, NULL);
		ft_json_double(&j, "time", wall);
		ft_json_uint(&j, "pid", r->pid);
		ft_json_uint(&j, "tid", r->tid);
		ft_json_str(&j, "comm", r->comm);
		ft_json_int(&j, "fd", fd);
		ft_json_int(&j, "err", err);
		if (r->flags & FT_SNOOP_NOFILE)
			ft_json_null(&j, "path");
		else
			ft_json_str(&j, "path", r->file);
		ft_json_end(&j, '}');
		return;
	}
	if (o->timestamp)
		fprintf(f, "%-14.9f ", rel);
	fprintf(f, "%-6u %-16.16s %4lld %3lld %s\n", r->pid, r->comm, fd, err,
		r->flags & FT_SNOOP_NOFILE ? "?" : r->file);
}

static const struct ft_snoop_tool opensnoop = {
	.kind = FT_SNOOP_OPEN,
	.what = "open()",
	.header = ft_opensnoop_header,
	.line = ft_opensnoop_line,
};

/**
 * ft_tool_opensnoop() - `ftrig opensnoop [-x] [-p PID] [-c COMM] [-d SECS] [-T] [-j]`
 * @cmd: its row
 * @o: its options
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_opensnoop(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	return ft_tool_snoop(cmd, o, &opensnoop);
}
