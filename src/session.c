// SPDX-License-Identifier: GPL-2.0-only
/*
 * A session: tracefs opened, a ledger for what the run creates, signals that stop the run
 * instead of killing it, and the undo of everything at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "ledger.h"
#include "log.h"
#include "session.h"
#include "tfs.h"

/* The signal flag: one of the two globals the project allows (the other is the log sink). */
volatile sig_atomic_t ft_stop_signal;

static void on_signal(int sig)
{
	ft_stop_signal = sig;
}

/* SIGALRM only ends a blocked system call (EINTR); ft_signals_interrupt() arms it. */
static void on_alarm(int sig)
{
	(void)sig;
}

/**
 * ft_signals_install() - make SIGINT, SIGTERM and SIGHUP set ft_stop_signal
 *
 * No SA_RESTART, so a blocked read returns EINTR and the loop sees the flag; the run then
 * ends normally and undoes what it created. SIGPIPE is ignored so that a closed output pipe
 * shows up as EPIPE on write instead of killing the run before it cleans up.
 */
void ft_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/**
 * ft_signals_interrupt() - from @ms milliseconds on, end a blocked system call every 100 ms
 * @ms: when to start, 0 for now; a negative value disarms
 *
 * A stream that must stop on time can block in write() on an output nobody reads (a full
 * pipe, a terminal on ^S), where neither the flag nor a deadline is seen; the stop signal
 * interrupts that write once, and this makes the writes after it (the drain, the last flush)
 * fail within 100 ms too (CMD-1). Takes effect once ft_signals_install() has run. Disarm it
 * before work that must not see EINTR.
 *
 * Return: 0 or -errno.
 */
int ft_signals_interrupt(long long ms)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	if (ms >= 0) {
		it.it_interval.tv_usec = 100000;
		it.it_value.tv_sec = ms / 1000;
		it.it_value.tv_usec = ms % 1000 * 1000 + (ms ? 0 : 1);
	}
	return setitimer(ITIMER_REAL, &it, NULL) ? -errno : 0;
}

/**
 * ft_session_begin() - open tracefs and a ledger, and catch the stop signals
 * @out: set to the session; end it with ft_session_end()
 *
 * Return: 0 or -errno; the cause has been logged.
 */
int ft_session_begin(struct ft_session **out)
{
	struct ft_session *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = ft_tfs_open(&s->tfs);
	if (!ret)
		ret = ft_ledger_open(&s->ledger, s->tfs, ft_ledger_state_dir());
	if (ret) {
		ft_tfs_close(s->tfs);
		free(s);
		return ret;
	}
	ft_signals_install();
	*out = s;
	return 0;
}

/**
 * ft_session_instance() - the session's private instance, created on first use
 * @s: the session
 *
 * Events ftrig enables for itself go here, never into the top-level buffer that other tools
 * read.
 *
 * Return: the instance name, or NULL with errno set (the cause has been logged).
 */
const char *ft_session_instance(struct ft_session *s)
{
	char name[32], why[256];
	int ret;

	if (s->instance[0])
		return s->instance;
	snprintf(name, sizeof(name), "ftrig-%d", (int)getpid());
	ret = ft_ledger_instance_create(s->ledger, name);
	if (ret) {
		ft_err("cannot create instance %s", ft_tfs_strerror(ret, name, why, sizeof(why)));
		errno = -ret;
		return NULL;
	}
	snprintf(s->instance, sizeof(s->instance), "%s", name);
	return s->instance;
}

/**
 * ft_session_end() - undo everything the session created and free it; NULL is allowed
 * @s: the session
 *
 * Return: 0, or -EBUSY if something could not be removed (it was reported, and stays in the
 * journal for cleanup --stale).
 */
int ft_session_end(struct ft_session *s)
{
	int ret;

	if (!s)
		return 0;
	ret = ft_ledger_undo_all(s->ledger, NULL);
	ft_ledger_close(s->ledger);
	ft_tfs_close(s->tfs);
	free(s);
	return ret;
}
