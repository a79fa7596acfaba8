// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading libtracecmd for `record` and `report` (record/tracecmd-dl.h says why it is not
 * linked).
 */
#include "config.h"

#if HAVE_TRACECMD
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "log.h"
#define FT_TRACECMD_DL_LOADER
#include "record/tracecmd-dl.h"
#include "util.h"

/**
 * ft_tracecmd_load() - load libtracecmd and find the functions ftrig calls
 * @tc: filled: the handle and one pointer per function of FT_TRACECMD_FUNCS
 * @what: the command that needs it, for the message when it is missing
 *
 * The library stays loaded for the rest of the process (nothing frees @tc).
 *
 * Return: 0, or -ENOENT when there is no such library or it lacks a function (logged, with
 * the package to install).
 */
int ft_tracecmd_load(struct ft_tracecmd *tc, const char *what)
{
	static const char *const names[] = { "libtracecmd.so.1", "libtracecmd.so" };
	const char *missing = NULL;
	char why[512] = "";

	tc->lib = ft_dlopen_first(names, FT_ARRAY_SIZE(names), why, sizeof(why));
	if (!tc->lib) {
		ft_err("%s needs libtracecmd (%s): install libtracecmd1", what, why);
		return -ENOENT;
	}
#define FT_TRACECMD_SYM(f)                                                \
	if (!(tc->f = (__typeof__(tc->f))dlsym(tc->lib, #f)) && !missing) \
		missing = #f;
	FT_TRACECMD_FUNCS(FT_TRACECMD_SYM)
#undef FT_TRACECMD_SYM
	if (missing) {
		ft_err("%s needs libtracecmd 1.0 or later: the one installed has no %s", what,
		       missing);
		dlclose(tc->lib); /* none of its code has run */
		*tc = (struct ft_tracecmd){ 0 };
		return -ENOENT;
	}
	return 0;
}
#endif
