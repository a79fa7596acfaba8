// SPDX-License-Identifier: GPL-2.0-only
/*
 * What each key does in the live view (pure): sort, filter, scroll, pause, reset, tabs, the
 * pane, the interval. The key map is in man ftrig-top. Split from top.c, the model.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hist/analyze.h"
#include "log.h"
#include "source.h"
#include "ui/top.h"
#include "util.h"

/* The refresh intervals + and - step through. */
static const unsigned intervals[] = { 100, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000 };

static void scroll_by(struct ft_top_view *v, long n)
{
	struct ft_top_tab *t = &v->tabs[v->tab];

	t->scroll += n;
	if (t->scroll < 0)
		t->scroll = 0; /* the upper bound depends on the rows: render clamps it */
}

static int interval_step(struct ft_top_view *v, int dir)
{
	size_t n = FT_ARRAY_SIZE(intervals), i = 0;

	while (i + 1 < n && intervals[i] < v->interval_ms)
		i++;
	if (dir > 0 && intervals[i] <= v->interval_ms && i + 1 < n)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	if (intervals[i] == v->interval_ms)
		return FT_TOP_NONE;
	v->interval_ms = intervals[i];
	return FT_TOP_INTERVAL;
}

/* A key while the filter is being typed: it changes as you type. */
static int filter_key(struct ft_top_view *v, int key)
{
	char *f = v->tabs[v->tab].filter;
	size_t n = strlen(f);

	if (key == FT_UI_KEY_ENTER) {
		v->editing = false;
	} else if (key == FT_UI_KEY_ESC) {
		v->editing = false;
		f[0] = '\0';
	} else if (key == FT_UI_KEY_BACKSPACE || key == 127 || key == 8) {
		if (n)
			f[n - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof(v->tabs[v->tab].filter)) {
		f[n] = (char)key;
		f[n + 1] = '\0';
	} else {
		return FT_TOP_NONE;
	}
	v->tabs[v->tab].scroll = 0;
	return FT_TOP_REDRAW;
}

/* A key while a tab's spec is typed (e, n): Enter hands it to the driver, Esc drops it. */
static int prompt_key(struct ft_top_view *v, int key)
{
	char *p = v->prompt_text;
	size_t n = strlen(p);

	if (key == FT_UI_KEY_ENTER)
		return n ? FT_TOP_RESPEC : (v->prompt = FT_TOP_PROMPT_NONE, FT_TOP_REDRAW);
	if (key == FT_UI_KEY_ESC) {
		v->prompt = FT_TOP_PROMPT_NONE;
	} else if (key == FT_UI_KEY_BACKSPACE || key == 127 || key == 8) {
		if (n)
			p[n - 1] = '\0';
	} else if (key == 21) { /* ^U, as a shell takes it: the whole line */
		p[0] = '\0';
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof(v->prompt_text)) {
		p[n] = (char)key;
		p[n + 1] = '\0';
	} else {
		return FT_TOP_NONE;
	}
	return FT_TOP_REDRAW;
}

/* e: edit the shown tab's spec; n: a new tab (TOP-7). */
static int prompt_open(struct ft_top_view *v, int key)
{
	const char *args = v->ntabs ? v->tabs[v->tab].args : NULL;

	if (key == 'e' && !args) {
		snprintf(v->status, sizeof(v->status), "this tab's spec cannot be edited");
		return FT_TOP_REDRAW;
	}
	if (key == 'n' && v->ntabs >= FT_TOP_MAX_TABS) {
		snprintf(v->status, sizeof(v->status), "at most %d tabs", FT_TOP_MAX_TABS);
		return FT_TOP_REDRAW;
	}
	v->prompt = key == 'e' ? FT_TOP_PROMPT_EDIT : FT_TOP_PROMPT_NEW;
	snprintf(v->prompt_text, sizeof(v->prompt_text), "%s", key == 'e' ? args : "");
	return FT_TOP_REDRAW;
}

static int move_key(struct ft_top_view *v, int key)
{
	long page = v->page > 1 ? v->page - 1 : 1;

	switch (key) {
	case FT_UI_KEY_UP:
		scroll_by(v, -1);
		break;
	case FT_UI_KEY_DOWN:
		scroll_by(v, 1);
		break;
	case FT_UI_KEY_WHEEL_UP:
		scroll_by(v, -3);
		break;
	case FT_UI_KEY_WHEEL_DOWN:
		scroll_by(v, 3);
		break;
	case FT_UI_KEY_PGUP:
		scroll_by(v, -page);
		break;
	case FT_UI_KEY_PGDN:
		scroll_by(v, page);
		break;
	case FT_UI_KEY_HOME:
		v->tabs[v->tab].scroll = 0;
		break;
	case FT_UI_KEY_END:
		v->tabs[v->tab].scroll = (long)v->nrows;
		break;
	case FT_UI_KEY_RESIZE:
		break;
	default:
		return FT_TOP_NONE;
	}
	return FT_TOP_REDRAW;
}

static int sort_key(struct ft_top_view *v, int key)
{
	struct ft_top_tab *t = &v->tabs[v->tab];

	if (key == 'r') {
		t->reverse = !t->reverse;
		return FT_TOP_REDRAW;
	}
	if (!v->ncols)
		return FT_TOP_NONE;
	t->sort = t->sort + 1 >= (int)v->ncols ? 0 : t->sort + 1;
	t->reverse = false;
	t->scroll = 0;
	return FT_TOP_REDRAW;
}

/**
 * ft_top_view_key() - what a key does (the key map is in man ftrig-top)
 * @v: the view (its columns as of the last ft_top_view_rows())
 * @key: a printable character or an FT_UI_KEY_*
 *
 * Return: an enum ft_top_action.
 */
int ft_top_view_key(struct ft_top_view *v, int key)
{
	if (v->editing)
		return filter_key(v, key);
	if (v->prompt)
		return prompt_key(v, key);
	if (v->help && key != 'q') {
		v->help = false;
		return FT_TOP_REDRAW;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return FT_TOP_QUIT;
	case 's':
	case 'r':
		return sort_key(v, key);
	case '/':
		v->editing = true;
		return FT_TOP_REDRAW;
	case 'e':
	case 'n':
		return prompt_open(v, key);
	case ' ':
		v->paused = !v->paused;
		return FT_TOP_REDRAW;
	case 'c':
		return ft_top_view_reset(v, v->tab) ? FT_TOP_NONE : FT_TOP_REDRAW;
	case 'C':
		return ft_top_view_totals(v, v->tab) ? FT_TOP_NONE : FT_TOP_REDRAW;
	case '\t':
	case FT_UI_KEY_TAB:
		v->tab = (v->tab + 1) % (v->ntabs ? v->ntabs : 1);
		return FT_TOP_REDRAW;
	case 'h':
		v->pane = !v->pane;
		return FT_TOP_REDRAW;
	case '+':
	case '=':
		return interval_step(v, 1);
	case '-':
		return interval_step(v, -1);
	case '?':
		v->help = true;
		return FT_TOP_REDRAW;
	case FT_UI_KEY_ESC:
		return FT_TOP_NONE;
	}
	if (key >= '1' && key <= '9') {
		if ((size_t)(key - '1') >= v->ntabs)
			return FT_TOP_NONE;
		v->tab = (size_t)(key - '1');
		return FT_TOP_REDRAW;
	}
	return move_key(v, key);
}
