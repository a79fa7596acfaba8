// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading the curses library for the live view (ui/curses-dl.h says why it is not linked).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "log.h"
#include "util.h"
#include "ui/curses-dl.h"

/**
 * ft_curses_load() - load the wide-character curses library and find what the view calls
 * @c: filled: the handle and one pointer per function and variable of FT_CURSES_FUNCS and
 *     FT_CURSES_VARS
 *
 * Tries the soname of the ABI ftrig was built against first, then the other ones ncursesw has
 * had. The library stays loaded for the rest of the process: curses leaves signal handlers
 * (SIGWINCH, SIGTSTP) behind that must not point into unmapped code.
 *
 * Return: 0, or -ENOENT when there is no such library or it lacks a symbol (logged, with the
 * package to install and the batch mode that needs none).
 */
int ft_curses_load(struct ft_curses *c)
{
	static const char *const names[] = { "libncursesw.so.6", "libncursesw.so.5",
					     "libncursesw.so" };
	const char *missing = NULL;
	char why[512] = "";

	c->lib = ft_dlopen_first(names, FT_ARRAY_SIZE(names), why, sizeof(why));
	if (!c->lib) {
		ft_err("the live view needs the curses library (%s): install libncursesw6, or use "
		       "-b for batch mode",
		       why);
		return -ENOENT;
	}
#define FT_CURSES_SYM(f)                                               \
	if (!(c->f = (__typeof__(c->f))dlsym(c->lib, #f)) && !missing) \
		missing = #f;
	FT_CURSES_FUNCS(FT_CURSES_SYM)
	FT_CURSES_VARS(FT_CURSES_SYM)
#undef FT_CURSES_SYM
	if (missing) {
		ft_err("the curses library has no %s: install libncursesw6, or use -b for batch "
		       "mode",
		       missing);
		dlclose(c->lib); /* none of its code has run */
		*c = (struct ft_curses){ 0 };
		return -ENOENT;
	}
	return 0;
}
