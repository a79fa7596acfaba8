// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig record: events of ftrig's own instance into a trace.dat file. The instance is set up
 * as for `ftrig pipe` (same options, same checks before anything is written), the per-CPU
 * reader's pages go undecoded into the file (src/pipe/pages.c, src/record/tdat.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "log.h"
#include "pipe/pages.h"
#include "pipe/pipe.h"
#include "record/tdat.h"
#include "session.h"
#include "tfs.h"

#if HAVE_TRACECMD
static int take_page(void *arg, int cpu, const void *page, size_t size)
{
	return ft_tdat_page(arg, cpu, page, size);
}

/* The file's headers, with the task names as the kernel has them now. */
static int finish(struct ft_session *s, struct ft_tdat *t, char **enabled)
{
	struct ft_tdat_meta m = { 0 };
	char *cmdlines = ft_tfs_read(s->tfs, NULL, "saved_cmdlines", &m.cmdlines_len);
	char *printk = ft_tfs_read(s->tfs, NULL, "printk_formats", &m.printk_len);
	int ret;

	if (!cmdlines)
		ft_warn("cannot read saved_cmdlines: the file will have no task names");
	m.cmdlines = cmdlines ? cmdlines : "";
	m.cmdlines_len = cmdlines ? m.cmdlines_len : 0;
	m.printk = printk ? printk : "";
	m.printk_len = printk ? m.printk_len : 0;
	ret = ft_tdat_finish(t, ft_tfs_dir(s->tfs), &m, enabled, "mono");
	free(cmdlines);
	free(printk);
	return ret;
}

static int record(const struct ft_pipe_opts *o, struct ft_pipe_stats *st)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	struct ft_session *s = NULL;
	struct ft_tdat *t;
	char **enabled = NULL;
	int ret, end;

	/* The output's directory is checked before the kernel is touched. */
	if (ft_tdat_open(o->output, ncpus > 0 ? (int)ncpus : 1, &t))
		return FT_EXIT_ERR;
	ret = ft_session_begin(&s);
	if (!ret)
		ret = ft_pipe_setup(s, o, &enabled);
	if (!ret)
		ret = ft_pipe_read_pages(s, o, take_page, t, st);
	/* The headers are copied from tracefs while the recorded events are still there. */
	if (!ret)
		ret = finish(s, t, enabled);
	ft_pipe_names_free(enabled);
	ft_tdat_free(t);
	ft_signals_interrupt(-1);
	end = ft_session_end(s);
	return ret || end ? FT_EXIT_ERR : FT_EXIT_OK;
}
#endif

/**
 * ft_cmd_record() - the `record` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: an FT_EXIT_* status. Ctrl-C, SIGTERM or --duration end a recording normally (0);
 * the file exists only when it is complete, and the session's instance is removed in every
 * case.
 */
int ft_cmd_record(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_pipe_opts o;
	char err[256];

	if (ft_pipe_opts_parse(&o, argc, argv, err, sizeof(err)))
		return ft_usage_error(cmd, "%s", err);
	if (o.mode != FT_PIPE_TEXT)
		return ft_usage_error(cmd,
				      "record writes a trace.dat file; --raw and --json are "
				      "'ftrig pipe' formats (read the file with 'ftrig report')");
	if (o.count)
		return ft_usage_error(cmd, "record stops at Ctrl-C or --duration, not after a "
					   "count: the kernel's pages hold many events each");
	if (!o.output)
		return ft_usage_error(cmd, "where to? give -o FILE (trace.dat, for example)");
#if HAVE_TRACECMD
	{
		struct ft_pipe_stats st = { 0 };
		int ret = record(&o, &st);

		if (ret == FT_EXIT_OK)
			ft_info("%llu events recorded to %s, %llu lost", st.events, o.output,
				st.lost);
		return ret;
	}
#else
	ft_err("this ftrig was built without libtracecmd: install it (apt-get install "
	       "libtracecmd-dev, or ./configure --install-deps), then ./configure && make");
	return FT_EXIT_ERR;
#endif
}
