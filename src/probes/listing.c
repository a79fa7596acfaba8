// SPDX-License-Identifier: GPL-2.0-only
/*
 * Texts the kernel prints about probes: the kprobe/uprobe profiles (hits and misses) and the
 * symbol lists kprobes are checked against (available_filter_functions, /proc/kallsyms).
 * Pure: the callers read the files.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/listing.h"
#include "suggest.h"

/* The next whitespace-separated word of a line; NULL at the end of the line. */
static const char *word(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\n')
		return NULL;
	*len = strcspn(s, " \t\n");
	*p = s + *len;
	return s;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return w && strlen(s) == n && !strncmp(w, s, n);
}

/**
 * ft_profile_lookup() - one probe's hits (and misses) in kprobe_profile or uprobe_profile
 * @text: the profile's text; kprobe_profile has "NAME HITS MISSES" lines, uprobe_profile
 *        "PATH NAME HITS"
 * @user: @text is uprobe_profile
 * @name: the event name (the profiles do not show the group)
 * @hits: set to the hits
 * @misses: set to the misses (0 for uprobes, which do not count them)
 *
 * Return: true if the probe is listed.
 */
bool ft_profile_lookup(const char *text, bool user, const char *name, unsigned long long *hits,
		       unsigned long long *misses)
{
	for (const char *line = text; line && *line;) {
		const char *p = line, *w;
		size_t n = 0;

		if (user)
			word(&p, &n);
		w = word(&p, &n);
		if (word_is(w, n, name)) {
			const char *h = word(&p, &n);
			const char *m = h ? word(&p, &n) : NULL;

			*hits = h ? strtoull(h, NULL, 10) : 0;
			*misses = !user && m ? strtoull(m, NULL, 10) : 0;
			return true;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

/**
 * ft_symlist_find() - whether a kernel function is in a symbol list, collecting close names
 * @text: available_filter_functions ("NAME [MODULE]" lines) or /proc/kallsyms ("ADDR TYPE
 *        NAME [MODULE]" lines; only text symbols, type t or T, count)
 * @kallsyms: @text is /proc/kallsyms
 * @sym: the function, "NAME" or "MODULE:NAME"
 * @near: close names are added here, may be NULL
 *
 * Return: true if found.
 */
bool ft_symlist_find(const char *text, bool kallsyms, const char *sym, struct ft_suggest *near)
{
	const char *colon = strchr(sym, ':');
	const char *name = colon ? colon + 1 : sym;
	size_t modlen = colon ? (size_t)(colon - sym) : 0;

	for (const char *line = text; line && *line;) {
		const char *p = line, *w, *t = NULL, *m;
		size_t n = 0, tn = 0, mn = 0;

		if (kallsyms) {
			word(&p, &n);
			t = word(&p, &tn);
		}
		w = word(&p, &n);
		m = word(&p, &mn);
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
		if (!w || (kallsyms && (!t || tn != 1 || (*t != 't' && *t != 'T'))))
			continue;
		if (m && mn > 2 && *m == '[')
			m++, mn -= 2;
		else
			m = NULL, mn = 0;
		if (word_is(w, n, name) &&
		    (!colon || (m && mn == modlen && !strncmp(m, sym, modlen))))
			return true;
		if (near)
			ft_suggest_add(near, w, n);
	}
	return false;
}
