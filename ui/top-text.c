// SPDX-License-Identifier: GPL-2.0-only
/*
 * Batch mode's table rows laid out a line at a time (pure): the common rows, printable ASCII
 * keys and numbers, straight into one buffer; top-render.c lays out the rest and the header.
 */
#include <stdbool.h>
#include <string.h>

#include "ui/top.h"

/*
 * Key text @s, @n columns wide, left-aligned in the @w columns at @p as put_cut_n() lays it
 * out; false, with nothing promised, when it is not all printable ASCII (then its bytes are
 * not its columns).
 */
static bool line_key(char *p, int w, const char *s, int n)
{
	int k = n <= w ? n : w - 1;

	for (int i = 0; i < k; i++) {
		if (s[i] < 0x20 || s[i] >= 0x7f)
			return false;
		p[i] = s[i];
	}
	if (k < n)
		p[k] = '~';
	return k == n ? !s[k] : true;
}

/**
 * ft_top_text_how() - how ft_top_text_row() lays out each column of the shown tab
 * @v: the view (after ft_top_view_rows())
 * @how: set, one per column: 'k' a key, 'i' a count, 'r' a rate, '-' not measured yet, 'f'
 *       through ft_top_cell_text() (a level); 'I' and 'R' a count and a rate whose largest is
 *       below 1e12 (a rate: 1000), where ft_top_num_back() writes every cell: the texts
 *       there grow with the number, so none is wider than the largest's, and each is written
 *       right-aligned in place
 */
void ft_top_text_how(const struct ft_top_view *v, char *how)
{
	const struct ft_top_tab *t = &v->tabs[v->tab];

	for (size_t c = 0; c < v->ncols; c++) {
		const struct ft_top_col *col = &v->cols[c];
		bool rate = col->kind == FT_TCOL_RATE || col->kind == FT_TCOL_VALRATE;

		how[c] = col->kind == FT_TCOL_KEY	       ? 'k'
			 : !ft_top_col_known(t, col)	       ? '-'
			 : col->kind == FT_TCOL_LEVEL	       ? 'f'
			 : v->colmax[c] < (rate ? 1000 : 1e12) ? (rate ? 'R' : 'I')
			 : rate				       ? 'r'
							       : 'i';
	}
}

/* Number cell @c of row @r as text: written before @end, its length returned. */
static size_t text_num(const struct ft_top_view *v, const struct ft_top_row *r, size_t c, char how,
		       char *end)
{
	char buf[64];
	bool rate = how == 'r' || how == 'R';
	size_t n = how == '-'	? (end[-1] = '-', 1)
		   : how == 'f' ? 0
				: ft_top_num_back(end, v->cells[r->e * v->ncols + c], rate);

	if (n)
		return n;
	n = ft_top_cell_text(v, &v->cols[c], r, buf, sizeof(buf));
	n = n < sizeof(buf) ? n : sizeof(buf) - 1;
	memcpy(end - n, buf, n);
	return n;
}

/* The line ft_top_text_row() lays out no wider: its widest before it was laid out in place. */
#define TEXT_ROW_MAX 4096

/**
 * ft_top_text_row() - one row of batch text, laid out straight into the text
 * @v: the view (after ft_top_view_rows())
 * @t: the text the line is added to
 * @w: the columns' widths, each at least its cells' (ft_top_col_width())
 * @width: the line's: the widths and the gaps after them
 * @how: from ft_top_text_how()
 * @r: the row
 *
 * The same bytes as the render's table row on a text canvas, without a call and a scan per
 * cell (131,072 rows a second), laid out where they stay: no line of its own copied into the
 * text, and most numbers written in place, not copied either (#21).
 *
 * Return: false, nothing added, when the row is wider than TEXT_ROW_MAX or has a key that is
 * not printable ASCII: the canvas lays it out then. True otherwise, also when the text is out
 * of memory (its error says so).
 */
bool ft_top_text_row(const struct ft_top_view *v, struct ft_text *t, const int *w, int width,
		     const char *how, const struct ft_top_row *r)
{
	const double *cells = &v->cells[r->e * v->ncols];
	char num[80], *line;
	int x = 0;

	if (width > TEXT_ROW_MAX)
		return false;
	line = ft_text_claim(t, (size_t)width);
	if (!line)
		return true;
	memset(line, ' ', (size_t)width);
	for (size_t c = 0; c < v->ncols; x += w[c] + FT_TOP_GAP, c++) {
		int k;

		if (how[c] == 'k') {
			if (!line_key(line + x, w[c], r->keys[v->cols[c].idx], (int)cells[c]))
				return false;
			continue;
		}
		/* 0 written: not a number it writes after all (NaN), which the general way does */
		if ((how[c] == 'I' || how[c] == 'R') &&
		    ft_top_num_back(line + x + w[c], cells[c], how[c] == 'R'))
			continue;
		k = (int)text_num(v, r, c, how[c], num + sizeof(num));
		/* a number wider than its column is cut, as the canvas clips it */
		memcpy(line + x + (k < w[c] ? w[c] - k : 0), num + sizeof(num) - k,
		       (size_t)(k < w[c] ? k : w[c]));
	}
	ft_text_commit(t, (size_t)x);
	return true;
}
