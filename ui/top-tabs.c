// SPDX-License-Identifier: GPL-2.0-only
/*
 * The line of tabs (pure). Each tab is named by its event or pattern only, and when the tabs
 * are wider than the screen the line scrolls so that the shown tab is on it, with a mark for
 * the tabs cut off at either end (TOP-3: the full trigger text in every label pushed the
 * third tab off a 160-column screen). The header says the rest about the shown tab.
 */
#include <stdio.h>
#include <string.h>

#include "ui/top.h"

#define TAB_NAME 48 /* columns a tab's name takes at most */

/**
 * ft_top_tab_name() - what a tab is called on the tab line
 * @label: the source's label ("sched:sched_switch hist:keys=...:size=2048 (bpf)")
 * @buf: set to its first word, cut to TAB_NAME columns ("sched:sched_switch")
 * @size: room in @buf
 *
 * Return: @buf.
 */
const char *ft_top_tab_name(const char *label, char *buf, size_t size)
{
	size_t n = strcspn(label, " ");

	if (n > TAB_NAME)
		n = TAB_NAME;
	snprintf(buf, size, "%.*s", (int)n, label);
	return buf;
}

/**
 * ft_top_tab_window() - which tabs fit on the line, the shown one among them
 * @w: each tab's width (its gap included)
 * @n: how many tabs
 * @active: the shown tab
 * @avail: the line's width
 * @first: set to the first tab drawn
 * @end: set to one past the last tab drawn
 *
 * From the first tab on when everything up to the shown one fits; else the shown tab as far
 * right as fits, leaving room for the marks ("< " before, " >" after) of the tabs left out.
 */
void ft_top_tab_window(const int *w, size_t n, size_t active, int avail, size_t *first, size_t *end)
{
	int used = 0;

	*first = 0;
	for (size_t i = 0; i <= active && i < n; i++)
		used += w[i];
	/* Room for " >" after, when more tabs follow. */
	while (*first < active && used + (active + 1 < n ? 2 : 0) + (*first ? 2 : 0) > avail) {
		used -= w[*first];
		(*first)++;
	}
	if (*first)
		used += 2;
	*end = active + 1 <= n ? active + 1 : n;
	while (*end < n && used + w[*end] + (*end + 1 < n ? 2 : 0) <= avail)
		used += w[(*end)++];
}

/**
 * ft_top_tabs_render() - draw the tab line
 * @v: the view
 * @g: the grid
 * @y: the line
 */
void ft_top_tabs_render(const struct ft_top_view *v, struct ft_grid *g, int y)
{
	int w[FT_TOP_MAX_TABS] = { 0 }, x = 0;
	char name[FT_TOP_MAX_TABS][TAB_NAME + 1];
	size_t first, end, n = v->ntabs < FT_TOP_MAX_TABS ? v->ntabs : FT_TOP_MAX_TABS;

	for (size_t i = 0; i < n; i++) {
		ft_top_tab_name(v->tabs[i].label, name[i], sizeof(name[i]));
		/* " N name " and a blank */
		w[i] = (int)ft_text_width(name[i]) + 5;
	}
	ft_top_tab_window(w, n, v->tab < n ? v->tab : n - 1, g->w, &first, &end);
	if (first)
		x += ft_grid_put(g, x, y, -1, "< ", FT_ATTR_BOLD, 0);
	for (size_t i = first; i < end; i++) {
		uint8_t a = i == v->tab ? FT_ATTR_REVERSE | FT_ATTR_BOLD : FT_ATTR_DIM;

		x += ft_grid_putf(g, x, y, -1, a, i == v->tab ? FT_COLOR_HEADER : 0, " %zu %s ",
				  i + 1, name[i]);
		x++;
	}
	if (end < n)
		ft_grid_put(g, x, y, -1, " >", FT_ATTR_BOLD, 0);
}
