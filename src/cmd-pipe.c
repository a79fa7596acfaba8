// SPDX-License-Identifier: GPL-2.0-only
/* ftrig pipe: stream events of the session's own instance as text, decoded raw, or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "pipe/pipe.h"
#include "session.h"
#include "signals.h"

static FILE *open_output(const struct ft_pipe_opts *o)
{
	/*
	 * A regular file's buffer, given, not asked for: glibc's setvbuf() with a NULL buffer
	 * keeps the mode and drops the size, and stdio then writes in st_blksize chunks (4 KiB):
	 * 16 times the write() calls, each dear under an emulator (issue #21). Static: stdout
	 * is flushed at exit, after run() has returned.
	 */
	static char buf[1 << 16];
	FILE *f = stdout;

	if (o->output) {
		f = fopen(o->output, "w");
		if (!f) {
			ft_err("cannot write %s: %s", o->output, strerror(errno));
			return NULL;
		}
	}
	/*
	 * To a regular file, whole 64 KiB buffers, flushed only when full (ft_pipe_out_regular()).
	 * To a pipe or terminal each round is flushed (someone waits on the lines), in writes of
	 * st_blksize, which a pipe takes whole or not at all: a stop signal then interrupts a
	 * blocked write (CMD-1), where a 64 KiB one, taken in part, would be resumed by stdio
	 * and block again.
	 */
	if (ft_pipe_out_regular(f))
		setvbuf(f, buf, _IOFBF, sizeof(buf));
	else
		setvbuf(f, NULL, _IOFBF, sizeof(buf));
	/* Only the main thread writes the output: stdio need not lock it at every call. */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	return f;
}

static void summary(const struct ft_pipe_opts *o, const struct ft_pipe_stats *st)
{
	char unwritten[96] = "", left[96] = "";
	bool dropped = st->unwritten || st->left;
	/* The output ended the run (| head): what it did not take, it did not ask for. */
	bool asked = st->stopped_by_output && !ft_stop_signal;

	if (st->unwritten)
		snprintf(unwritten, sizeof(unwritten), ", %llu read but not written at the stop",
			 st->unwritten);
	if (st->left)
		snprintf(left, sizeof(left),
			 ", %llu left unread in the kernel's buffer at the stop", st->left);
	if (st->lost)
		ft_warn("%llu events written%s%s, %llu lost in the kernel's ring buffer",
			st->events, unwritten, left, st->lost);
	else if (dropped && !asked)
		ft_warn("%llu events written%s%s, none lost before the stop", st->events, unwritten,
			left);
	else
		ft_info("%llu events written%s%s, none lost%s", st->events, unwritten, left,
			dropped ? " before the stop" : "");
}

static int run(const struct ft_pipe_opts *o)
{
	struct ft_pipe_stats st = { 0 };
	struct ft_session *s;
	char **enabled = NULL;
	FILE *out;
	int ret, end;

	out = open_output(o);
	if (!out)
		return FT_EXIT_ERR;
	ret = ft_session_begin(&s);
	if (!ret)
		ret = ft_pipe_setup(s, o, &enabled);
	/* The duration holds also when the output blocks (CMD-1). */
	if (!ret && o->duration_ms)
		ft_signals_interrupt((long long)o->duration_ms);
	if (!ret && o->mode == FT_PIPE_TEXT)
		ret = ft_pipe_read_text(s, o, out, &st);
	else if (!ret)
		ret = ft_pipe_read_raw(s, o, enabled, out, &st);
	ft_pipe_names_free(enabled);
	/* What the stop's bounded last read left (not at a count limit: those are not asked). */
	if (!ret && !(o->count && st.events >= o->count))
		st.left = ft_pipe_left(s);
	/* A closed pipe (| head) is how a reader says it has enough: not an error. */
	if (!st.stopped_by_output && fflush(out) && errno != EPIPE) {
		ft_err("writing the output: %s", strerror(errno));
		ret = ret ? ret : -EIO;
	}
	if (out != stdout)
		fclose(out);
	/* The undo retries with naps that an interrupt would cut short. */
	ft_signals_interrupt(-1);
	end = ft_session_end(s);
	if (!ret)
		summary(o, &st);
	return ret || end ? FT_EXIT_ERR : FT_EXIT_OK;
}

/**
 * ft_cmd_pipe() - the `pipe` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: an FT_EXIT_* status. Ending by Ctrl-C, SIGTERM, a closed output or a limit is a
 * normal end (0); everything the session created is removed in every case.
 */
int ft_cmd_pipe(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_pipe_opts o;
	char err[256];

	if (ft_pipe_opts_parse(&o, argc, argv, err, sizeof(err)))
		return ft_usage_error(cmd, "%s", err);
	return run(&o);
}
