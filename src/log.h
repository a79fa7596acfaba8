/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_LOG_H
#define FT_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum ft_log_level { FT_LOG_ERR, FT_LOG_WARN, FT_LOG_INFO, FT_LOG_DEBUG };

/**
 * typedef ft_log_fn - a log sink
 * @level: severity of the message
 * @msg: the formatted message, without a trailing newline
 * @data: the pointer given to ft_log_set_sink()
 */
typedef void (*ft_log_fn)(enum ft_log_level level, const char *msg, void *data);

void ft_log_set_sink(ft_log_fn fn, void *data);
void ft_log_stderr(enum ft_log_level level, const char *msg);
void ft_log_set_verbosity(enum ft_log_level max);
bool ft_log_shown(enum ft_log_level level);
void ft_log(enum ft_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ft_err(...) ft_log(FT_LOG_ERR, __VA_ARGS__)
#define ft_warn(...) ft_log(FT_LOG_WARN, __VA_ARGS__)
#define ft_info(...) ft_log(FT_LOG_INFO, __VA_ARGS__)
#define ft_dbg(...) ft_log(FT_LOG_DEBUG, __VA_ARGS__)

#endif
