/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HIST_EXPORT_H
#define FT_HIST_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "hist/hist.h"

struct ft_json;

/* The dump formats (man ftrig-hist documents each). */
enum ft_hist_format {
	FT_HIST_FMT_JSON,
	FT_HIST_FMT_CSV,
	FT_HIST_FMT_FOLDED,
	FT_HIST_FMT_TEXT,
};

#define FT_HIST_JSON_FORMAT "ftrig-hist"
#define FT_HIST_JSON_VERSION 1

int ft_hist_format_lookup(const char *name);
const char *ft_hist_format_ext(enum ft_hist_format fmt);
const char *ft_key_type_name(enum ft_key_kind kind);
int ft_key_type_lookup(const char *name);
size_t ft_key_format(const struct ft_hist_col *col, const struct ft_key *k, char *buf, size_t size);
int ft_hist_val_lookup(const struct ft_hist *h, const char *name);
int ft_hist_key_lookup(const struct ft_hist *h, const char *name);
int ft_hist_weight_col(const struct ft_hist *h);

void ft_hist_json_key(struct ft_json *j, const char *name, const struct ft_hist_col *c,
		      const struct ft_key *k);
void ft_hist_write_json(FILE *f, struct ft_hist *const *v, size_t n, bool pretty);
void ft_hist_write_csv(FILE *f, const struct ft_hist *h);
void ft_hist_write_folded(FILE *f, const struct ft_hist *h, size_t val);
bool ft_stack_frame_machinery(const char *frame, bool after_handler);
void ft_hist_write_text(FILE *f, const struct ft_hist *h);
int ft_hist_write(FILE *f, enum ft_hist_format fmt, struct ft_hist *const *v, size_t n);

#endif
