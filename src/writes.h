/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_WRITES_H
#define FT_WRITES_H

#include <stdio.h>

struct ft_json;

/*
 * What a command would change, as data: a dry run fills a list of writes instead of making
 * them, the command (or plan) prints it, and tests assert on it. Pure: no I/O but printing.
 */

/* One kind of change, and how it prints (the shell command that would make it). */
enum ft_write_op {
	FT_WRITE_APPEND, /* echo 'TEXT' >> PATH */
	FT_WRITE_SET, /* echo 'TEXT' > PATH */
	FT_WRITE_MKDIR, /* mkdir PATH (an instance) */
	FT_WRITE_RMDIR, /* rmdir PATH */
	FT_WRITE_MKDIR_P, /* mkdir -p PATH (a directory outside tracefs) */
	FT_WRITE_BPF_PIN, /* load TEXT and pin it at PATH */
	FT_WRITE_BPF_UNPIN, /* rm -r PATH */
	FT_WRITE_BPF_MAP, /* update the map pinned under PATH: TEXT */
};

/**
 * struct ft_write - one change a command would make
 * @op: what kind
 * @path: the file or directory, absolute
 * @text: what is written (FT_WRITE_APPEND, FT_WRITE_SET), or what is loaded or updated
 *        (FT_WRITE_BPF_*); "" otherwise
 */
struct ft_write {
	enum ft_write_op op;
	char *path;
	char *text;
};

/**
 * struct ft_writes - a list of changes, in the order they would be made
 * @v: the changes
 * @n: how many
 */
struct ft_writes {
	struct ft_write *v;
	size_t n;
};

int ft_writes_add(struct ft_writes *w, enum ft_write_op op, const char *path, const char *text);
int ft_writes_tfs(struct ft_writes *w, enum ft_write_op op, const char *dir, const char *inst,
		  const char *rel, const char *text);
char *ft_write_format(const struct ft_write *x);
int ft_writes_print(const struct ft_writes *w, FILE *f);
int ft_writes_json(struct ft_json *j, const char *key, const struct ft_writes *w);
void ft_writes_release(struct ft_writes *w);

#endif
