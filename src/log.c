// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one log sink. Everything ftrig says to the user about errors goes through here, so the
 * live view can redirect it while curses owns the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"

/**
 * ft_log_stderr() - write a message as the default sink does, for sinks that also keep it
 * @level: severity
 * @msg: the message
 */
void ft_log_stderr(enum ft_log_level level, const char *msg)
{
	static const char *const prefix[] = { "ftrig: error: ", "ftrig: warning: ", "ftrig: ",
					      "ftrig: debug: " };

	fprintf(stderr, "%s%s\n", prefix[level], msg);
}

static void stderr_sink(enum ft_log_level level, const char *msg, void *data)
{
	(void)data;
	ft_log_stderr(level, msg);
}

/* The log sink is one of the two globals the project allows (the other is the signal flag). */
static struct {
	ft_log_fn fn;
	void *data;
	enum ft_log_level max;
} sink = { stderr_sink, NULL, FT_LOG_INFO };

/**
 * ft_log_set_sink() - route log messages to @fn
 * @fn: the new sink, or NULL for the default (stderr)
 * @data: passed to @fn unchanged
 */
void ft_log_set_sink(ft_log_fn fn, void *data)
{
	sink.fn = fn ? fn : stderr_sink;
	sink.data = data;
}

/**
 * ft_log_set_verbosity() - drop messages less severe than @max
 * @max: the least severe level still shown
 */
void ft_log_set_verbosity(enum ft_log_level max)
{
	sink.max = max;
}

/**
 * ft_log_shown() - whether a message of @level would reach the sink
 * @level: severity
 *
 * For callers that would pay for the message's text before ft_log() drops it: libbpf hands
 * its printer some 850 debug lines per aggregation loaded.
 *
 * Return: true when @level is within the verbosity.
 */
bool ft_log_shown(enum ft_log_level level)
{
	return level <= sink.max;
}

/**
 * ft_log() - format a message and hand it to the sink
 * @level: severity
 * @fmt: printf format
 */
void ft_log(enum ft_log_level level, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (level > sink.max)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sink.fn(level, buf, sink.data);
}
