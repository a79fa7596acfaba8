/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TRIGGERS_ERRORS_H
#define FT_TRIGGERS_ERRORS_H

#include "triggers/model.h"

/* A refused trigger's reason, with a caret under the user's own text. */

char *ft_trig_caret(const char *text, const struct ft_trig_error *err, const char *indent);
int ft_trig_kernel_error(const char *entry, const char *written, struct ft_trig_error *err);
void ft_trig_report(const char *text, const struct ft_trig_error *err, const char *what);

#endif
