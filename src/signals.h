/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SIGNALS_H
#define FT_SIGNALS_H

#include <signal.h>

/* Set by the signal handler (SIGINT, SIGTERM, SIGHUP): the number of the signal. */
extern volatile sig_atomic_t ft_stop_signal;

void ft_signals_catch(void);
void ft_signals_install(void);
int ft_signals_interrupt(long long ms);
void ft_signals_hold(sigset_t *old);
void ft_signals_release(const sigset_t *old);
const char *ft_signal_name(int sig);

#endif
