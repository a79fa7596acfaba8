// SPDX-License-Identifier: GPL-2.0-only
/*
 * libtracefs and libtraceevent print their warnings to stderr, which would write over the
 * live view's screen: ftrig takes them over, as both libraries allow, and hands them to
 * the log sink (src/log.c) like any message of its own.
 *
 * libtracefs calls tracefs_warning(), a weak function an application may define instead
 * (libtracefs 1.6 has no page for it; its tracefs-utils.c says so); its default, and
 * libtraceevent's tep_warning() and tep_info(), end in tep_vprint(), weak as well, which
 * event-utils.h marks "Can be overridden". The libraries are told to say everything from
 * warnings up (tracefs_set_loglevel(), which passes the level on to libtraceevent) and the
 * sink's verbosity decides what is shown: ftrig reports every failure in its own words,
 * so what the libraries add is for --debug, but for the critical and errors they report.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <tracefs.h>
#include <traceevent/event-parse.h>
#include <traceevent/event-utils.h>

#include "log.h"
#include "tfs.h"

/* libtracefs defines it (weak) but its header does not declare it. */
void tracefs_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A library's message at its level, as the sink takes it. */
static void to_sink(const char *name, enum tep_loglevel level, const char *err, const char *fmt,
		    va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	ft_log(level <= TEP_LOG_ERROR ? FT_LOG_WARN : FT_LOG_DEBUG, "%s: %s%s%s", name, msg,
	       err ? ": " : "", err ? err : "");
}

/**
 * tracefs_warning() - libtracefs's warnings, to the log sink (overrides the library's)
 * @fmt: printf format
 */
void tracefs_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	to_sink("libtracefs", TEP_LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

/**
 * tep_vprint() - libtraceevent's messages, to the log sink (overrides the library's)
 * @name: the library ("libtraceevent", or "libtracefs" through its default warning)
 * @level: its level
 * @print_err: add errno's text, as the library's default does when errno is set
 * @fmt: printf format
 * @ap: its arguments
 *
 * Return: errno as it was, as the library's default returns it.
 */
int tep_vprint(const char *name, enum tep_loglevel level, bool print_err, const char *fmt,
	       va_list ap)
{
	int err = errno;

	to_sink(name, level, print_err && err ? strerror(err) : NULL, fmt, ap);
	errno = err;
	return err;
}

/**
 * ft_tfs_log_libraries() - have libtracefs and libtraceevent speak through the log sink
 *
 * Their messages from warnings up reach tracefs_warning() and tep_vprint() above; the
 * sink's verbosity filters them. Called by ft_tfs_open(), before ftrig asks them anything.
 */
void ft_tfs_log_libraries(void)
{
	tracefs_set_loglevel(TEP_LOG_WARNING);
}
