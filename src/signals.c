// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stop signals (SIGINT, SIGTERM, SIGHUP) and the one flag they set.
 *
 * A command that changes the kernel must finish or roll back whatever signal comes (SEC-10),
 * so the ledger, the one place every change goes through, catches the signals before its
 * first change (ft_signals_catch()) and makes each change with them held (ft_signals_hold()):
 * a journal record and the kernel write it announces are never cut apart, and a signal that
 * came meanwhile is seen at the next change, which is then refused, so the command's own error
 * path removes what it made. Undoing never looks at the flag: a removal always finishes.
 * Commands that only read keep the default action until then: Ctrl-C ends them at once.
 */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>

#include "signals.h"

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
 * ft_signals_catch() - make SIGINT, SIGTERM and SIGHUP set ft_stop_signal from now on
 *
 * No SA_RESTART, so a blocked read returns EINTR and a loop sees the flag. Calling it again
 * changes nothing; a signal already caught stays in the flag.
 */
void ft_signals_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, cur;

	if (!sigaction(SIGTERM, NULL, &cur) && cur.sa_handler == on_signal)
		return;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

/**
 * ft_signals_install() - catch the stop signals (ft_signals_catch()) for a run that streams
 *
 * The run then ends normally and undoes what it created. SIGPIPE is ignored so that a closed
 * output pipe shows up as EPIPE on write instead of killing the run before it cleans up.
 */
void ft_signals_install(void)
{
	ft_signals_catch();
	signal(SIGPIPE, SIG_IGN);
}

/**
 * ft_signals_interrupt() - from @ms milliseconds on, end a blocked system call every 100 ms
 * @ms: when to start, 0 for now; a negative value disarms
 *
 * A stream that must stop on time can block in write() on an output nobody reads (a full
 * pipe, a terminal on ^S), where neither the flag nor a deadline is seen; the stop signal
 * interrupts that write once, and this makes the writes after it (the drain, the last flush)
 * fail within 100 ms too (CMD-1). Takes effect once ft_signals_catch() has run. Disarm it
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
 * ft_signals_hold() - hold the stop signals back until ft_signals_release()
 * @old: set to the mask to give back to ft_signals_release()
 *
 * Around one change and its journal record: a signal that comes meanwhile is delivered at
 * the release, so it cannot interrupt (EINTR) a system call of the change, nor the BPF
 * verifier, which gives up when a signal is pending.
 */
void ft_signals_hold(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

/**
 * ft_signals_release() - deliver the stop signals held by ft_signals_hold()
 * @old: what ft_signals_hold() returned
 */
void ft_signals_release(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/**
 * ft_signal_name() - "SIGINT", "SIGTERM" or "SIGHUP" for a stop signal
 * @sig: the signal number
 *
 * Return: a static string; "a signal" for another number.
 */
const char *ft_signal_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "a signal";
	}
}
