/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UI_CURSES_DL_H
#define FT_UI_CURSES_DL_H

/*
 * The curses library as the live view finds it at run time (dlopen), not linked: only `top`
 * draws a screen, and linking it made every command's start map and relocate libncursesw and
 * libtinfo (some 500 symbol relocations, a fifth of ftrig's start; issue #21).
 */
#include <curses.h>

/* The functions and variables of curses ui/tty.c uses. */
#define FT_CURSES_FUNCS(X)    \
	X(cbreak)             \
	X(curs_set)           \
	X(delscreen)          \
	X(doupdate)           \
	X(endwin)             \
	X(getmouse)           \
	X(has_colors)         \
	X(init_pair)          \
	X(keypad)             \
	X(mouseinterval)      \
	X(mousemask)          \
	X(newterm)            \
	X(noecho)             \
	X(nonl)               \
	X(set_escdelay)       \
	X(set_term)           \
	X(setcchar)           \
	X(start_color)        \
	X(use_default_colors) \
	X(wadd_wch)           \
	X(wgetch)             \
	X(wmove)              \
	X(wnoutrefresh)       \
	X(wtimeout)
#define FT_CURSES_VARS(X) X(COLOR_PAIRS) X(COLS) X(LINES) X(stdscr)

/**
 * struct ft_curses - the loaded curses library: its handle and what dlsym() found in it
 */
struct ft_curses {
	void *lib;
#define FT_CURSES_FN(f) __typeof__(f) *f;
	FT_CURSES_FUNCS(FT_CURSES_FN)
	FT_CURSES_VARS(FT_CURSES_FN)
#undef FT_CURSES_FN
};

int ft_curses_load(struct ft_curses *c);

#endif
