/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SUGGEST_H
#define FT_SUGGEST_H

#include <stddef.h>

#define FT_SUGGEST_MAX 5
#define FT_SUGGEST_LEN 128

/**
 * struct ft_suggest - the closest names to a word seen so far ("did you mean ...?")
 * @word: the word the user typed
 * @n: how many names are kept
 * @dist: their distances (edit distance, substring matches count as close)
 * @names: the names, closest first
 */
struct ft_suggest {
	const char *word;
	size_t n;
	unsigned dist[FT_SUGGEST_MAX];
	char names[FT_SUGGEST_MAX][FT_SUGGEST_LEN];
};

size_t ft_edit_distance(const char *a, const char *b);
int ft_suggest_best(const char *word, const char *const *cands, size_t n);
unsigned ft_edit_distance_max(const char *a, size_t la, const char *b, size_t lb, unsigned limit);
void ft_suggest_init(struct ft_suggest *s, const char *word);
void ft_suggest_add(struct ft_suggest *s, const char *name, size_t len);
const char *ft_suggest_list(const struct ft_suggest *s, char *buf, size_t size);
const char *ft_suggest_hint(const char *word, const char *const *names, const char *const *shown,
			    size_t n, char *buf, size_t size);

#endif
