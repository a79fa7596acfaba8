/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_UI_GRID_H
#define FT_UI_GRID_H

#include <stddef.h>
#include <stdint.h>

/*
 * A character grid: what the live view draws into. The views render here (pure, unit-tested
 * without a terminal); the curses driver copies the grid to the screen, and batch mode prints
 * it as text. One cell is one column: keys are shown one code point per column.
 */

/* Cell attributes, mapped by the driver to curses attributes (or ignored in text output). */
enum {
	FT_ATTR_BOLD = 1,
	FT_ATTR_REVERSE = 2,
	FT_ATTR_DIM = 4,
	FT_ATTR_UNDERLINE = 8,
};

/* Cell colours: roles, not colours; the driver picks the colours (or none under NO_COLOR). */
enum ft_ui_color {
	FT_COLOR_NONE,
	FT_COLOR_HEADER, /* header and title lines */
	FT_COLOR_SORTED, /* the column rows are sorted by */
	FT_COLOR_BAR, /* histogram bars */
	FT_COLOR_WARN, /* drops, errors */
	FT_COLOR_HEAT1, /* heat map levels, coolest to hottest */
	FT_COLOR_HEAT2,
	FT_COLOR_HEAT3,
	FT_COLOR_HEAT4,
	FT_COLOR_MAX,
};

/* The code points the views draw with beside text: ASCII, so every terminal shows them. */
#define FT_BAR_CHAR '#'

/**
 * struct ft_cell - one character cell
 * @ch: the code point (' ' when empty)
 * @attr: FT_ATTR_* bits
 * @color: an enum ft_ui_color role
 */
struct ft_cell {
	uint32_t ch;
	uint8_t attr;
	uint8_t color;
};

/**
 * struct ft_grid - @w columns by @h lines of cells
 * @w: width
 * @h: height
 * @cells: w * h cells, line by line
 */
struct ft_grid {
	int w, h;
	struct ft_cell *cells;
};

/**
 * struct ft_text - lines laid out as on a grid @w columns wide, written straight into a buffer
 * @buf: the finished lines (each ending in '\n'), then the line being written; not
 *       NUL-terminated
 * @len: bytes in @buf
 * @cap: its room
 * @end: @len without the current line's trailing blanks (ft_grid_line() drops them too)
 * @w: the width: text beyond it is clipped
 * @x: the columns the current line holds
 * @err: -ENOMEM once @buf could not grow (what came after is missing)
 *
 * For batch output, where a grid would need a cell for every character of every row. Text
 * goes left to right: columns a line already holds are not written again.
 */
struct ft_text {
	char *buf;
	size_t len, cap, end;
	int w, x, err;
};

struct ft_grid *ft_grid_alloc(int w, int h);
void ft_grid_free(struct ft_grid *g);
int ft_grid_resize(struct ft_grid *g, int w, int h);
void ft_grid_clear(struct ft_grid *g);
struct ft_cell *ft_grid_at(struct ft_grid *g, int x, int y);
int ft_grid_put(struct ft_grid *g, int x, int y, int maxw, const char *s, uint8_t attr,
		uint8_t color);
int ft_grid_putf(struct ft_grid *g, int x, int y, int maxw, uint8_t attr, uint8_t color,
		 const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void ft_grid_fill(struct ft_grid *g, int x, int y, int n, uint32_t ch, uint8_t attr, uint8_t color);
void ft_grid_style(struct ft_grid *g, int x, int y, int n, uint8_t attr, uint8_t color);
size_t ft_grid_line(const struct ft_grid *g, int y, char *buf, size_t size);
size_t ft_text_width(const char *s);
void ft_text_reset(struct ft_text *t, int w);
void ft_text_release(struct ft_text *t);
int ft_text_put(struct ft_text *t, int x, int maxw, const char *s);
void ft_text_fill(struct ft_text *t, int x, int n, uint32_t ch);
void ft_text_newline(struct ft_text *t);
char *ft_text_claim(struct ft_text *t, size_t n);
void ft_text_commit(struct ft_text *t, size_t n);

#endif
