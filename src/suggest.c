// SPDX-License-Identifier: GPL-2.0-only
/*
 * "Did you mean": keeps the few names closest to a misspelt word while a caller streams
 * candidates (a symbol table, kallsyms, an event's fields) through it. Pure.
 */
#include <stdio.h>
#include <string.h>

#include "suggest.h"

/**
 * ft_edit_distance_max() - Levenshtein distance of two words, bounded
 * @a: one word, not necessarily NUL-terminated
 * @la: its length
 * @b: the other
 * @lb: its length
 * @limit: the largest distance of interest
 *
 * Return: the distance, or @limit + 1 once it must exceed @limit (or a word is longer than
 * FT_SUGGEST_LEN).
 */
unsigned ft_edit_distance_max(const char *a, size_t la, const char *b, size_t lb, unsigned limit)
{
	unsigned row[FT_SUGGEST_LEN + 1];

	if (la > FT_SUGGEST_LEN || lb > FT_SUGGEST_LEN || (la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0], best;

		row[0] = (unsigned)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

/**
 * ft_suggest_init() - start collecting names close to @word
 * @s: the collector
 * @word: the misspelt word; must outlive @s
 */
void ft_suggest_init(struct ft_suggest *s, const char *word)
{
	memset(s, 0, sizeof(*s));
	s->word = word;
}

/**
 * ft_suggest_add() - consider one candidate name
 * @s: the collector
 * @name: the candidate, not necessarily NUL-terminated
 * @len: its length
 *
 * A name counts as close when its edit distance is at most a third of the word's length
 * (at least 2), or when one contains the other.
 */
void ft_suggest_add(struct ft_suggest *s, const char *name, size_t len)
{
	size_t wl = strlen(s->word), pos;
	unsigned limit = wl / 3 > 2 ? (unsigned)(wl / 3) : 2, d;
	char tmp[FT_SUGGEST_LEN];

	if (!len || len >= FT_SUGGEST_LEN || !wl)
		return;
	memcpy(tmp, name, len);
	tmp[len] = '\0';
	if (!strcmp(tmp, s->word))
		return;
	d = ft_edit_distance_max(s->word, wl, tmp, len, limit);
	if (d > limit && wl >= 4 && (strstr(tmp, s->word) || (len >= 4 && strstr(s->word, tmp))))
		d = limit + 1 + (unsigned)(len > wl ? len - wl : wl - len) / 4;
	else if (d > limit)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], tmp))
			return;
	for (pos = s->n; pos > 0 && s->dist[pos - 1] > d; pos--)
		;
	if (pos >= FT_SUGGEST_MAX)
		return;
	if (s->n < FT_SUGGEST_MAX)
		s->n++;
	memmove(&s->dist[pos + 1], &s->dist[pos], (s->n - 1 - pos) * sizeof(s->dist[0]));
	memmove(&s->names[pos + 1], &s->names[pos], (s->n - 1 - pos) * sizeof(s->names[0]));
	s->dist[pos] = d;
	memcpy(s->names[pos], tmp, len + 1);
}

/**
 * ft_suggest_list() - the close names as "a, b or c"
 * @s: the collector
 * @buf: where the list goes
 * @size: size of @buf
 *
 * Return: @buf, or NULL when no name was close.
 */
const char *ft_suggest_list(const struct ft_suggest *s, char *buf, size_t size)
{
	size_t off = 0;

	if (!s->n || !size)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n && off < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == s->n ? " or " : ", ";
		int w = snprintf(buf + off, size - off, "%s%s", sep, s->names[i]);

		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

static size_t prefix(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/**
 * ft_suggest_hint() - "; did you mean a or b?" for a word among a list of names
 * @word: what the user wrote
 * @names: the names it could have meant, as compared with @word
 * @shown: how each is written in the hint ("sched:sched_switch" for "sched_switch"), or NULL
 *         to write @names
 * @n: how many
 * @buf: where the hint goes
 * @size: size of @buf
 *
 * Only the names at the smallest distance are given.
 *
 * Return: @buf: the hint, or "" when no name is close.
 */
const char *ft_suggest_hint(const char *word, const char *const *names, const char *const *shown,
			    size_t n, char *buf, size_t size)
{
	struct ft_suggest s;
	size_t off, best = 0;

	ft_suggest_init(&s, word);
	for (size_t i = 0; i < n; i++)
		ft_suggest_add(&s, names[i], strlen(names[i]));
	if (!size)
		return buf;
	buf[0] = '\0';
	/* Only the closest, and among those the ones sharing the longest beginning: "getppd" is
	 * getppid, not also getpid (as close), getcpu and getsid. */
	while (s.n > 1 && s.dist[s.n - 1] > s.dist[0])
		s.n--;
	if (s.dist[0] >= strlen(word))
		s.n = 0; /* "fd" is not "pid": nothing of the word is left */
	if (!s.n)
		return buf;
	for (size_t k = 0; k < s.n; k++)
		best = prefix(word, s.names[k]) > best ? prefix(word, s.names[k]) : best;
	for (size_t k = 0; k < s.n;) {
		if (prefix(word, s.names[k]) < best) {
			memmove(&s.names[k], &s.names[k + 1], (s.n - k - 1) * sizeof(s.names[0]));
			s.n--;
		} else {
			k++;
		}
	}
	off = (size_t)snprintf(buf, size, "; did you mean ");
	for (size_t k = 0; k < s.n && off < size; k++) {
		const char *show = s.names[k];

		for (size_t i = 0; shown && i < n; i++)
			if (!strcmp(names[i], s.names[k])) {
				show = shown[i];
				break;
			}
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
					k == 0	       ? ""
					: k + 1 == s.n ? " or "
						       : ", ",
					show);
	}
	if (off < size)
		snprintf(buf + off, size - off, "?");
	return buf;
}

/**
 * ft_edit_distance() - Levenshtein distance between two words
 * @a: one word (at most 63 characters are compared)
 * @b: the other
 *
 * Return: the number of insertions, deletions and substitutions from @a to @b.
 */
size_t ft_edit_distance(const char *a, const char *b)
{
	return ft_edit_distance_max(a, strnlen(a, 63), b, strnlen(b, 63), 64);
}

/**
 * ft_suggest_best() - the candidate a mistyped word most likely meant
 * @word: what the user wrote
 * @cands: the words it could have meant
 * @n: how many
 *
 * Return: the index of the closest candidate within a third of its length (at least 1, at
 * most 3 edits), or -1 when none is close.
 */
int ft_suggest_best(const char *word, const char *const *cands, size_t n)
{
	size_t best = (size_t)-1, best_prefix = 0;
	int at = -1;

	for (size_t i = 0; i < n; i++) {
		size_t d = ft_edit_distance(word, cands[i]), len = strlen(cands[i]), prefix = 0;
		size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;

		while (word[prefix] && word[prefix] == cands[i][prefix])
			prefix++;
		/* on a tie, the one that shares the longer beginning ("getppd": getppid) */
		if (d && d <= limit && (d < best || (d == best && prefix > best_prefix))) {
			best = d;
			best_prefix = prefix;
			at = (int)i;
		}
	}
	return at;
}
