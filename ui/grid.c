// SPDX-License-Identifier: GPL-2.0-only
/*
 * The character grid the live view renders into, and its batch-mode twin that lays lines out
 * the same way straight into text. Pure: no terminal, no I/O.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/grid.h"

/**
 * ft_grid_alloc() - a blank grid
 * @w: columns (at least 1)
 * @h: lines (at least 1)
 *
 * Return: the grid (free with ft_grid_free()), or NULL with errno set.
 */
struct ft_grid *ft_grid_alloc(int w, int h)
{
	struct ft_grid *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	if (ft_grid_resize(g, w, h)) {
		free(g);
		errno = ENOMEM;
		return NULL;
	}
	return g;
}

/**
 * ft_grid_free() - free a grid; NULL is allowed
 * @g: the grid
 */
void ft_grid_free(struct ft_grid *g)
{
	if (!g)
		return;
	free(g->cells);
	free(g);
}

/**
 * ft_grid_resize() - change a grid's size and blank it
 * @g: the grid
 * @w: columns (values below 1 count as 1)
 * @h: lines (values below 1 count as 1)
 *
 * Return: 0, or -ENOMEM (the grid is left as it was).
 */
int ft_grid_resize(struct ft_grid *g, int w, int h)
{
	struct ft_cell *c;

	w = w < 1 ? 1 : w;
	h = h < 1 ? 1 : h;
	c = realloc(g->cells, (size_t)w * (size_t)h * sizeof(*c));
	if (!c)
		return -ENOMEM;
	g->cells = c;
	g->w = w;
	g->h = h;
	ft_grid_clear(g);
	return 0;
}

/**
 * ft_grid_clear() - blank every cell
 * @g: the grid
 */
void ft_grid_clear(struct ft_grid *g)
{
	for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
		g->cells[i] = (struct ft_cell){ ' ', 0, 0 };
}

/**
 * ft_grid_at() - the cell at column @x, line @y
 * @g: the grid
 * @x: column
 * @y: line
 *
 * Return: the cell, or NULL when outside the grid.
 */
struct ft_cell *ft_grid_at(struct ft_grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

/* The next code point of UTF-8 text @s, advancing it; invalid bytes come out as '?'. */
static uint32_t next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	int n = p[0] < 0x80		      ? 0
		: p[0] >= 0xf0 && p[0] < 0xf8 ? 3
		: p[0] >= 0xe0		      ? 2
		: p[0] >= 0xc2		      ? 1
					      : -1;
	uint32_t cp = n == 3 ? p[0] & 7 : n == 2 ? p[0] & 15 : p[0] & 31;

	if (n <= 0) {
		(*s)++;
		return n < 0 || p[0] < 0x20 || p[0] == 0x7f ? '?' : p[0];
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s += i;
			return '?';
		}
		cp = cp << 6 | (p[i] & 0x3f);
	}
	*s += n + 1;
	return cp < 0xa0 ? '?' : cp;
}

/**
 * ft_text_width() - how many cells UTF-8 text takes (one per code point)
 * @s: the text
 *
 * Return: the width.
 */
size_t ft_text_width(const char *s)
{
	size_t n = 0;

	/* Printable ASCII (numbers, most keys): a byte is a column. */
	while (*s >= 0x20 && *s < 0x7f)
		s++, n++;
	while (*s) {
		next_cp(&s);
		n++;
	}
	return n;
}

/**
 * ft_grid_put() - write UTF-8 text from column @x of line @y, clipped
 * @g: the grid
 * @x: first column
 * @y: line
 * @maxw: at most this many columns; negative for up to the right edge
 * @s: the text; control characters and invalid UTF-8 are shown as '?'
 * @attr: FT_ATTR_* bits of the cells written
 * @color: their colour role
 *
 * Return: the columns advanced (what was clipped by the grid's edges counts too), so callers
 * can lay out text that continues beyond the edge.
 */
int ft_grid_put(struct ft_grid *g, int x, int y, int maxw, const char *s, uint8_t attr,
		uint8_t color)
{
	int n = 0;

	while (*s && (maxw < 0 || n < maxw)) {
		uint32_t cp = next_cp(&s);
		struct ft_cell *c = ft_grid_at(g, x + n, y);

		if (c)
			*c = (struct ft_cell){ cp, attr, color };
		n++;
	}
	return n;
}

/**
 * ft_grid_putf() - ft_grid_put() of printf-formatted text
 * @g: the grid
 * @x: first column
 * @y: line
 * @maxw: at most this many columns; negative for no limit
 * @attr: attributes
 * @color: colour role
 * @fmt: printf format
 *
 * Return: the columns advanced.
 */
int ft_grid_putf(struct ft_grid *g, int x, int y, int maxw, uint8_t attr, uint8_t color,
		 const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ft_grid_put(g, x, y, maxw, buf, attr, color);
}

/**
 * ft_grid_fill() - write @n copies of a code point
 * @g: the grid
 * @x: first column
 * @y: line
 * @n: how many
 * @ch: the code point
 * @attr: attributes
 * @color: colour role
 */
void ft_grid_fill(struct ft_grid *g, int x, int y, int n, uint32_t ch, uint8_t attr, uint8_t color)
{
	for (int i = 0; i < n; i++) {
		struct ft_cell *c = ft_grid_at(g, x + i, y);

		if (c)
			*c = (struct ft_cell){ ch, attr, color };
	}
}

/**
 * ft_grid_style() - set the attributes and colour of @n cells, keeping their characters
 * @g: the grid
 * @x: first column
 * @y: line
 * @n: how many; negative for up to the right edge
 * @attr: attributes
 * @color: colour role
 */
void ft_grid_style(struct ft_grid *g, int x, int y, int n, uint8_t attr, uint8_t color)
{
	for (int i = 0; n < 0 ? x + i < g->w : i < n; i++) {
		struct ft_cell *c = ft_grid_at(g, x + i, y);

		if (c) {
			c->attr = attr;
			c->color = color;
		}
	}
}

/* @cp as UTF-8 into @buf (4 bytes at most); returns the bytes. */
static size_t utf8(uint32_t cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | cp >> 6);
		buf[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | cp >> 12);
		buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | cp >> 18);
	buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	buf[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/**
 * ft_grid_line() - the text of line @y as UTF-8, trailing blanks removed
 * @g: the grid
 * @y: the line
 * @buf: where to write (NUL-terminated, truncated to fit)
 * @size: its size
 *
 * Return: the length written (without the NUL).
 */
size_t ft_grid_line(const struct ft_grid *g, int y, char *buf, size_t size)
{
	size_t n = 0, end = 0;
	char u[4];

	if (!size)
		return 0;
	for (int x = 0; y >= 0 && y < g->h && x < g->w; x++) {
		uint32_t cp = g->cells[(size_t)y * (size_t)g->w + (size_t)x].ch;
		size_t k = utf8(cp, u);

		if (n + k >= size)
			break;
		memcpy(buf + n, u, k);
		n += k;
		if (cp != ' ')
			end = n;
	}
	buf[end] = '\0';
	return end;
}

/**
 * ft_text_reset() - empty a text, keeping its memory for the next one
 * @t: the text (zeroed the first time)
 * @w: the width of its lines
 */
void ft_text_reset(struct ft_text *t, int w)
{
	t->len = t->end = 0;
	t->w = w;
	t->x = 0;
	t->err = 0;
}

/**
 * ft_text_release() - free a text's memory
 * @t: the text
 */
void ft_text_release(struct ft_text *t)
{
	free(t->buf);
	*t = (struct ft_text){ 0 };
}

/* Room for @n more bytes. */
static bool text_room(struct ft_text *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 4096;
	char *b;

	if (t->len + n <= t->cap)
		return true;
	while (cap < t->len + n)
		cap *= 2;
	b = t->err ? NULL : realloc(t->buf, cap);
	if (!b) {
		t->err = -ENOMEM;
		return false;
	}
	t->buf = b;
	t->cap = cap;
	return true;
}

/* Code point @cp in column @col: blanks up to it, clipped as a grid clips. */
static void text_cp(struct ft_text *t, int col, uint32_t cp)
{
	if (col < t->x || col >= t->w || !text_room(t, (size_t)(col - t->x) + 4))
		return;
	memset(t->buf + t->len, ' ', (size_t)(col - t->x));
	t->len += (size_t)(col - t->x);
	t->len += utf8(cp, t->buf + t->len);
	t->x = col + 1;
	if (cp != ' ')
		t->end = t->len;
}

/**
 * ft_text_put() - ft_grid_put() into the current line of a text
 * @t: the text
 * @x: first column (columns the line already holds are skipped)
 * @maxw: at most this many columns; negative for no limit
 * @s: UTF-8 text; control characters and invalid UTF-8 come out as '?'
 *
 * Return: the columns advanced, clipped ones included, as ft_grid_put() returns.
 */
int ft_text_put(struct ft_text *t, int x, int maxw, const char *s)
{
	int n = 0;

	/* Printable ASCII that fits (numbers, most keys): copied at once, as text_cp() would. */
	while (s[n] >= 0x20 && s[n] < 0x7f && (maxw < 0 || n < maxw))
		n++;
	if (n && x >= t->x && x + n <= t->w && text_room(t, (size_t)(x - t->x + n))) {
		memset(t->buf + t->len, ' ', (size_t)(x - t->x));
		t->len += (size_t)(x - t->x);
		memcpy(t->buf + t->len, s, (size_t)n);
		for (int i = n; i > 0; i--)
			if (s[i - 1] != ' ') {
				t->end = t->len + (size_t)i;
				break;
			}
		t->len += (size_t)n;
		t->x = x + n;
		s += n;
	} else {
		n = 0;
	}
	while (*s && (maxw < 0 || n < maxw))
		text_cp(t, x + n++, next_cp(&s));
	return n;
}

/**
 * ft_text_fill() - ft_grid_fill() into the current line of a text
 * @t: the text
 * @x: first column
 * @n: how many copies
 * @ch: the code point
 */
void ft_text_fill(struct ft_text *t, int x, int n, uint32_t ch)
{
	for (int i = 0; i < n; i++)
		text_cp(t, x + i, ch);
}

/**
 * ft_text_newline() - end the current line, without its trailing blanks, as ft_grid_line()
 * @t: the text
 */
void ft_text_newline(struct ft_text *t)
{
	t->len = t->end;
	if (text_room(t, 1))
		t->buf[t->len++] = '\n';
	t->end = t->len;
	t->x = 0;
}

/**
 * ft_text_claim() - room for a line the caller lays out in place, after the text's last line
 * @t: the text, its current line empty (after ft_text_newline() or ft_text_reset())
 * @n: the most bytes the line will have
 *
 * For batch mode's rows (131,072 a second): laid out where they stay, not in a buffer of
 * their own copied here. ft_text_commit() makes what was written a line; without it, the
 * text is as it was.
 *
 * Return: where to write, valid until the next call on @t (the text's memory); NULL when out
 * of memory (then @t's error is set).
 */
char *ft_text_claim(struct ft_text *t, size_t n)
{
	return text_room(t, n + 1) ? t->buf + t->len : NULL;
}

/**
 * ft_text_commit() - the bytes laid out at ft_text_claim()'s pointer, as the next line
 * @t: the text
 * @n: how many were written (at most what was claimed); trailing blanks are dropped, as
 *     ft_text_newline() drops them
 */
void ft_text_commit(struct ft_text *t, size_t n)
{
	const char *s = t->buf + t->len;

	while (n && s[n - 1] == ' ')
		n--;
	t->len += n;
	t->buf[t->len++] = '\n';
	t->end = t->len;
	t->x = 0;
}
