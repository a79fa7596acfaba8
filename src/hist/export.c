// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dump formats of struct ft_hist by name, and a dump in any of them: JSON
 * (export-json.c), CSV (export-csv.c), folded stacks (export-folded.c) and the kernel's own
 * text layout (export-text.c). Writes only to the stream it is given.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hist/cols.h"
#include "hist/export-csv.h"
#include "hist/export-folded.h"
#include "hist/export-json.h"
#include "hist/export-text.h"
#include "hist/export.h"

static const char *const formats[] = {
	[FT_HIST_FMT_JSON] = "json",
	[FT_HIST_FMT_CSV] = "csv",
	[FT_HIST_FMT_FOLDED] = "folded",
	[FT_HIST_FMT_TEXT] = "text",
};

/**
 * ft_hist_format_lookup() - a dump format by name
 * @name: "json", "csv", "folded" or "text"
 *
 * Return: the enum ft_hist_format, or -EINVAL.
 */
int ft_hist_format_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i], name))
			return (int)i;
	return -EINVAL;
}

/**
 * ft_hist_format_ext() - the file name extension of a dump format
 * @fmt: the format
 *
 * Return: "json", "csv", "folded" or "txt".
 */
const char *ft_hist_format_ext(enum ft_hist_format fmt)
{
	return fmt == FT_HIST_FMT_TEXT ? "txt" : formats[fmt];
}

/**
 * ft_hist_write() - write hists in a dump format
 * @f: the stream
 * @fmt: the format
 * @v: the hists
 * @n: how many
 *
 * JSON makes one document of all; CSV and text write one block per hist, separated by a blank
 * line (CSV) or as the kernel separates them (text); folded writes every hist's lines, each
 * weighted by its ft_hist_weight_col().
 *
 * Return: 0, or -EIO when the stream reports an error.
 */
int ft_hist_write(FILE *f, enum ft_hist_format fmt, struct ft_hist *const *v, size_t n)
{
	if (fmt == FT_HIST_FMT_JSON)
		ft_hist_write_json(f, v, n, false);
	for (size_t i = 0; fmt != FT_HIST_FMT_JSON && i < n; i++) {
		int w = ft_hist_weight_col(v[i]);

		if (fmt == FT_HIST_FMT_CSV) {
			if (i)
				fputc('\n', f);
			/* Several tables (--backend both) say which is which (FIG-9). */
			if (n > 1)
				fprintf(f, "# %s%s%s backend=%s%s%s trigger=%s\n", v[i]->event,
					*v[i]->instance ? "@" : "", v[i]->instance, v[i]->backend,
					*v[i]->name ? " name=" : "", v[i]->name, v[i]->trigger);
			ft_hist_write_csv(f, v[i]);
		} else if (fmt == FT_HIST_FMT_TEXT) {
			if (i)
				fputs("\n\n", f);
			ft_hist_write_text(f, v[i]);
		} else if (w >= 0) {
			ft_hist_write_folded(f, v[i], (size_t)w);
		}
	}
	return ferror(f) ? -EIO : 0;
}
