// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig execsnoop: one line per execve and execveat, in bcc execsnoop's columns (PCOMM PID
 * PPID RET ARGS), the entry's file name and arguments joined with the return value of the
 * same call in the kernel (src/bpf/snooper.c). Unlike bcc's, failed execs are shown too (RET
 * is their -errno); -x shows only them. The printers here are pure.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bpf/snoop.h"
#include "cmd.h"
#include "json.h"
#include "tools/tools.h"

/**
 * ft_execsnoop_header() - execsnoop's column header
 * @o: -T adds bcc's TIME column
 * @f: where to print
 */
void ft_execsnoop_header(const struct ft_tool_opts *o, FILE *f)
{
	if (o->timestamp)
		fprintf(f, "%-8s ", "TIME");
	fprintf(f, "%-16s %-7s %-7s %3s %s\n", "PCOMM", "PID", "PPID", "RET", "ARGS");
}

static void print_json(const struct ft_snoop_rec *r, double wall, FILE *f)
{
	struct ft_json j;

	ft_json_init(&j, f, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_double(&j, "time", wall);
	ft_json_str(&j, "pcomm", r->comm);
	ft_json_uint(&j, "pid", r->pid);
	ft_json_uint(&j, "tid", r->tid);
	if (r->flags & FT_SNOOP_NOPPID)
		ft_json_null(&j, "ppid");
	else
		ft_json_uint(&j, "ppid", r->ppid);
	ft_json_int(&j, "ret", r->ret);
	if (r->flags & FT_SNOOP_NOFILE)
		ft_json_null(&j, "filename");
	else
		ft_json_str(&j, "filename", r->file);
	ft_json_begin_arr(&j, "args");
	for (uint32_t i = 0; i < r->argc && i < FT_SNOOP_ARGS; i++)
		ft_json_str(&j, NULL, r->args[i]);
	ft_json_end(&j, ']');
	ft_json_bool(&j, "truncated", r->flags & FT_SNOOP_TRUNC);
	ft_json_end(&j, '}');
}

/**
 * ft_execsnoop_line() - one exec as execsnoop prints it
 * @r: the call
 * @o: -T (the time of day), -j (a JSON object a line)
 * @rel: seconds since tracing began (unused: bcc's -T is the time of day)
 * @wall: the time of the return, seconds since the epoch
 * @f: where to print
 *
 * ARGS is the file name, then argv[1...], as bcc prints them; " ..." when there were more
 * than were kept (FT_SNOOP_ARGS; on hist triggers FT_SNOOP_HIST_ARGS), "?" for a file name
 * that could not be read. PPID is "-" (null in JSON) where it is not known (hist triggers).
 */
void ft_execsnoop_line(const struct ft_snoop_rec *r, const struct ft_tool_opts *o, double rel,
		       double wall, FILE *f)
{
	time_t t = (time_t)wall;
	struct tm tm;
	char buf[16];

	if (o->json) {
		print_json(r, wall, f);
		return;
	}
	if (o->timestamp && localtime_r(&t, &tm)) {
		strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
		fprintf(f, "%-8s ", buf);
	}
	if (r->flags & FT_SNOOP_NOPPID)
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%u", r->ppid);
	fprintf(f, "%-16.16s %-7u %-7s %3lld %s", r->comm, r->pid, buf, (long long)r->ret,
		r->flags & FT_SNOOP_NOFILE ? "?" : r->file);
	for (uint32_t i = 0; i < r->argc && i < FT_SNOOP_ARGS; i++)
		fprintf(f, " %s", r->args[i]);
	fprintf(f, "%s\n", r->flags & FT_SNOOP_TRUNC ? " ..." : "");
}

static const struct ft_snoop_tool execsnoop = {
	.kind = FT_SNOOP_EXEC,
	.what = "exec()",
	.header = ft_execsnoop_header,
	.line = ft_execsnoop_line,
};

/**
 * ft_tool_execsnoop() - `ftrig execsnoop [-x] [-p PID] [-c COMM] [-d SECS] [-T] [-j]`
 * @cmd: its row
 * @o: its options
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_execsnoop(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	return ft_tool_snoop(cmd, o, &execsnoop);
}
