/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_OPTS_H
#define FT_OPTS_H

#include <getopt.h>
#include <stddef.h>

/*
 * Option parsing that says what is wrong instead of printing it (src/cmdline.c), for the
 * grammars below the commands that setup files' lines share with the commands.
 */
int ft_getopt_why(const char *name, int argc, char **argv, const struct option *longopts, char *why,
		  size_t size);

#endif
