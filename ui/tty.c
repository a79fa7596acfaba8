// SPDX-License-Identifier: GPL-2.0-only
/*
 * The curses driver of the live view, and the only code in ftrig that includes curses: it
 * copies the grid the views render to the screen, turns keys and the mouse wheel into view
 * keys, calls the view's refresh every interval, and gives the terminal back however the view ends
 * (q, an error, SIGINT/SIGTERM/SIGHUP through ft_stop_signal). While curses owns the screen,
 * log messages go to the status line and are repeated on stderr afterwards.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "log.h"
#include "signals.h"
#include "ui/curses-dl.h"
#include "ui/top.h"
#include "ui/tty.h"

/* curses through the table ft_curses_load() filled: `cur` in the functions that draw. */
#define cbreak (cur->cbreak)
#define curs_set (cur->curs_set)
#define delscreen (cur->delscreen)
#define doupdate (cur->doupdate)
#define endwin (cur->endwin)
#define getmouse (cur->getmouse)
#define has_colors (cur->has_colors)
#define init_pair (cur->init_pair)
#define keypad (cur->keypad)
#define mouseinterval (cur->mouseinterval)
#define mousemask (cur->mousemask)
#define newterm (cur->newterm)
#define noecho (cur->noecho)
#define nonl (cur->nonl)
#define set_escdelay (cur->set_escdelay)
#define set_term (cur->set_term)
#define setcchar (cur->setcchar)
#define start_color (cur->start_color)
#define use_default_colors (cur->use_default_colors)
#define wadd_wch (cur->wadd_wch)
#define wgetch (cur->wgetch)
#define wmove (cur->wmove)
#define wnoutrefresh (cur->wnoutrefresh)
#define wtimeout (cur->wtimeout)
#define COLOR_PAIRS (*cur->COLOR_PAIRS)
#define COLS (*cur->COLS)
#define LINES (*cur->LINES)
#define stdscr (*cur->stdscr)

#define LOG_KEEP 16 /* messages repeated on stderr after the screen is given back */

struct tty {
	struct ft_top_view *v;
	struct ft_curses cur;
	SCREEN *scr;
	bool color;
	char log[LOG_KEEP][256];
	enum ft_log_level level[LOG_KEEP];
	size_t nlog;
};

/* The log sink while curses owns the terminal: the status line, and a copy for later. */
static void tty_sink(enum ft_log_level level, const char *msg, void *data)
{
	struct tty *t = data;

	snprintf(t->v->status, sizeof(t->v->status), "%s", msg);
	if (t->nlog < LOG_KEEP) {
		snprintf(t->log[t->nlog], sizeof(t->log[0]), "%s", msg);
		t->level[t->nlog++] = level;
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Colour roles to colours; -1 keeps the terminal's own background. */
static void colors_init(const struct ft_curses *cur)
{
	static const short fg[FT_COLOR_MAX] = {
		[FT_COLOR_HEADER] = COLOR_CYAN,	 [FT_COLOR_SORTED] = COLOR_YELLOW,
		[FT_COLOR_BAR] = COLOR_GREEN,	 [FT_COLOR_WARN] = COLOR_RED,
		[FT_COLOR_HEAT1] = COLOR_BLUE,	 [FT_COLOR_HEAT2] = COLOR_CYAN,
		[FT_COLOR_HEAT3] = COLOR_YELLOW, [FT_COLOR_HEAT4] = COLOR_RED,
	};

	start_color();
	use_default_colors();
	for (short i = 1; i < FT_COLOR_MAX && i < COLOR_PAIRS; i++)
		init_pair(i, fg[i], -1);
}

/* https://no-color.org: present and not empty means no colour. */
static bool no_color(void)
{
	const char *e = getenv("NO_COLOR");

	return e && *e;
}

static int tty_open(struct tty *t)
{
	const struct ft_curses *cur = &t->cur;
	const char *term = getenv("TERM");
	int ret;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		ft_err("the live view needs a terminal: use -b for batch mode (or --json)");
		return -ENOTTY;
	}
	ret = ft_curses_load(&t->cur);
	if (ret)
		return ret;
	/* Only curses needs the user's locale (its character set); set here, it costs the
	 * other commands nothing (loading a locale is some 25 file opens). */
	setlocale(LC_ALL, "");
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		ft_err("cannot drive the terminal type '%s': set TERM to one terminfo knows "
		       "(e.g. TERM=xterm), or use -b for batch mode",
		       term ? term : "");
		return -ENOTTY;
	}
	set_term(t->scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	t->color = has_colors() && !no_color();
	if (t->color)
		colors_init(cur);
	ft_log_set_sink(tty_sink, t);
	return 0;
}

/* Give the terminal back and say on stderr what was logged meanwhile. */
static void tty_close(struct tty *t)
{
	static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };
	const struct ft_curses *cur = &t->cur;

	if (!t->scr)
		return;
	endwin();
	delscreen(t->scr);
	t->scr = NULL;
	ft_log_set_sink(NULL, NULL);
	for (size_t i = 0; i < t->nlog; i++)
		fprintf(stderr, "ftrig: %s%s\n", prefix[t->level[i]], t->log[i]);
}

static attr_t cell_attr(const struct tty *t, const struct ft_cell *c)
{
	attr_t a = 0;

	a |= c->attr & FT_ATTR_BOLD ? A_BOLD : 0;
	a |= c->attr & FT_ATTR_REVERSE ? A_REVERSE : 0;
	a |= c->attr & FT_ATTR_DIM ? A_DIM : 0;
	a |= c->attr & FT_ATTR_UNDERLINE ? A_UNDERLINE : 0;
	return a;
}

static void draw(const struct tty *t, struct ft_grid *g)
{
	const struct ft_curses *cur = &t->cur;

	for (int y = 0; y < g->h && y < LINES; y++) {
		for (int x = 0; x < g->w && x < COLS; x++) {
			const struct ft_cell *c = ft_grid_at(g, x, y);
			wchar_t wc[2] = { (wchar_t)c->ch, 0 };
			short pair = t->color && c->color < COLOR_PAIRS ? c->color : 0;
			cchar_t cc;

			setcchar(&cc, wc, cell_attr(t, c), pair, NULL);
			/* The bottom-right cell reports an error (the cursor cannot move on). */
			mvadd_wch(y, x, &cc);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* A curses key as a view key, or -1 to ignore it. */
static int view_key(const struct ft_curses *cur, int ch)
{
	MEVENT m;

	switch (ch) {
	case KEY_UP:
		return FT_UI_KEY_UP;
	case KEY_DOWN:
		return FT_UI_KEY_DOWN;
	case KEY_PPAGE:
		return FT_UI_KEY_PGUP;
	case KEY_NPAGE:
		return FT_UI_KEY_PGDN;
	case KEY_HOME:
		return FT_UI_KEY_HOME;
	case KEY_END:
		return FT_UI_KEY_END;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return FT_UI_KEY_BACKSPACE;
	case KEY_ENTER:
	case '\r':
	case '\n':
		return FT_UI_KEY_ENTER;
	case 27:
		return FT_UI_KEY_ESC;
	case '\t':
		return FT_UI_KEY_TAB;
	case 21: /* ^U: the prompt line clears */
		return ch;
	case KEY_RESIZE:
		return FT_UI_KEY_RESIZE;
	case KEY_MOUSE:
		if (getmouse(&m) != OK)
			return -1;
		return m.bstate & BUTTON4_PRESSED   ? FT_UI_KEY_WHEEL_UP
		       : m.bstate & BUTTON5_PRESSED ? FT_UI_KEY_WHEEL_DOWN
						    : -1;
	}
	return ch >= 0x20 && ch < 0x7f ? ch : -1;
}

/**
 * struct refresh - what brings the view up to date
 * @fn: the command's refresh
 * @respec: the command's change of a tab (e, n)
 * @data: passed to both
 */
struct refresh {
	ft_top_refresh_fn fn;
	ft_top_respec_fn respec;
	void *data;
};

/* A tab's spec was typed: the command makes it; the status line keeps what it said. */
static int do_respec(struct ft_top_view *v, const struct refresh *r, uint64_t *next)
{
	size_t tab = v->prompt == FT_TOP_PROMPT_NEW ? v->ntabs : v->tab;
	int ret;

	v->status[0] = '\0';
	ret = r->respec(v, tab, v->prompt_text, r->data);
	v->prompt = FT_TOP_PROMPT_NONE;
	if (ret == -ENOMEM)
		return ret;
	if (!ret) {
		v->tab = tab;
		*next = 0; /* its first snapshot now */
	}
	return 0;
}

/* One pass of the loop: refresh when due, draw when needed, wait for a key or the time. */
static int step(struct tty *t, struct ft_grid *g, const struct refresh *r, uint64_t *next,
		bool *dirty)
{
	const struct ft_curses *cur = &t->cur;
	uint64_t now = now_ms();
	int ch, k, ret;

	if (!t->v->paused && now >= *next) {
		ret = r->fn(t->v, r->data);
		if (ret < 0)
			return ret;
		*next = now + t->v->interval_ms;
		*dirty = true;
	}
	if (*dirty) {
		ret = ft_top_view_render(t->v, g);
		if (ret)
			return ret;
		draw(t, g);
		*dirty = false;
	}
	now = now_ms();
	timeout(t->v->paused || *next <= now ? (t->v->paused ? 1000 : 0)
		: *next - now > 1000	     ? 1000
					     : (int)(*next - now));
	ch = getch();
	if (ch == ERR)
		return 0;
	if (ch == KEY_RESIZE && ft_grid_resize(g, COLS, LINES))
		return -ENOMEM;
	k = view_key(&t->cur, ch);
	if (k < 0)
		return 0;
	switch (ft_top_view_key(t->v, k)) {
	case FT_TOP_QUIT:
		return 1;
	case FT_TOP_RESPEC:
		*dirty = true;
		return do_respec(t->v, r, next);
	case FT_TOP_INTERVAL:
		*next = now_ms() + t->v->interval_ms;
		/* fallthrough */
	case FT_TOP_REDRAW:
		t->v->status[0] = '\0';
		*dirty = true;
		break;
	}
	return 0;
}

/**
 * ft_ui_run() - the full-screen live view, until q or a stop signal
 * @v: the view
 * @refresh: called every interval (unless the view is paused) to bring @v's tabs up to date
 * @respec: called when a tab's spec was typed (e, n)
 * @data: passed to @refresh and @respec
 *
 * Takes over the terminal (stdin and stdout must be one), redirects the log sink to the
 * status line, and gives everything back before it returns, whatever ends it; the messages
 * logged meanwhile are then repeated on stderr.
 *
 * Return: 0 (q or SIGINT/SIGTERM/SIGHUP), -ENOTTY when there is no usable terminal (logged),
 * -ENOMEM.
 */
int ft_ui_run(struct ft_top_view *v, ft_top_refresh_fn refresh, ft_top_respec_fn respec, void *data)
{
	const struct refresh r = { refresh, respec, data };
	struct tty *t = calloc(1, sizeof(*t));
	/* A tab with a snapshot already: the next one is an interval away, for a real rate. */
	uint64_t next = v->ntabs && v->tabs[0].cur ? now_ms() + v->interval_ms : 0;
	const struct ft_curses *cur;
	bool dirty = true;
	struct ft_grid *g;
	int ret;

	if (!t)
		return -ENOMEM;
	t->v = v;
	ret = tty_open(t);
	if (ret) {
		free(t);
		return ret;
	}
	cur = &t->cur;
	g = ft_grid_alloc(COLS, LINES);
	ret = g ? 0 : -ENOMEM;
	while (!ret && !ft_stop_signal)
		ret = step(t, g, &r, &next, &dirty);
	tty_close(t);
	ft_grid_free(g);
	free(t);
	if (ret == -ENOMEM)
		ft_err("out of memory");
	return ret < 0 ? ret : 0;
}
