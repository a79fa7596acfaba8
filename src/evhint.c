// SPDX-License-Identifier: GPL-2.0-only
/*
 * "No event X; did you mean Y?" for every command that takes an event name (CMD-9): the
 * events tracefs lists, compared with the misspelt name by src/suggest.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evhint.h"
#include "suggest.h"
#include "tfs.h"

/* The events of @sys as "sys:event", appended to @v. */
static int add_events(struct ft_tfs *t, const char *sys, char ***v, size_t *n, size_t *cap)
{
	char **ev = ft_tfs_events(t, sys);

	for (size_t i = 0; ev && ev[i]; i++) {
		if (*n + 1 >= *cap) {
			char **nv = realloc(*v, (*cap = *cap ? 2 * *cap : 256) * sizeof(*nv));

			if (!nv)
				break;
			*v = nv;
		}
		if (asprintf(&(*v)[*n], "%s:%s", sys, ev[i]) >= 0)
			(*n)++;
	}
	ft_tfs_list_free(ev);
	return 0;
}

/**
 * ft_event_hint() - "; did you mean sched:sched_switch?" for an event name that is not one
 * @t: tracefs
 * @name: what the user wrote: "system:event", "system/event" or a bare event name
 * @buf: where the hint goes
 * @size: size of @buf
 *
 * With a system that exists, its events are the candidates; otherwise (a bare name or a
 * misspelt system) every event is, compared by its event name, so "sched_swich" and
 * "shed:sched_switch" both find sched:sched_switch. Reads tracefs only.
 *
 * Return: @buf: the hint, or "" when nothing is close.
 */
const char *ft_event_hint(struct ft_tfs *t, const char *name, char *buf, size_t size)
{
	const char *sep = strpbrk(name, ":/");
	char sys[256] = "", **v = NULL, **systems = NULL;
	size_t n = 0, cap = 0;
	bool whole = false;

	if (size)
		buf[0] = '\0';
	if (sep && (size_t)(sep - name) < sizeof(sys)) {
		memcpy(sys, name, (size_t)(sep - name));
		sys[sep - name] = '\0';
		snprintf(buf, size, "events/%s", sys);
		whole = *sys && ft_tfs_exists(t, NULL, buf);
		buf[0] = '\0';
	}
	if (whole) {
		add_events(t, sys, &v, &n, &cap);
	} else {
		systems = ft_tfs_systems(t);
		for (size_t i = 0; systems && systems[i]; i++)
			add_events(t, systems[i], &v, &n, &cap);
		ft_tfs_list_free(systems);
	}
	if (n) {
		/* Event parts are compared (the limit grows with the word); whole names shown. */
		const char **cands = malloc(n * sizeof(*cands));
		const char *word = sep ? sep + 1 : name;
		size_t exact = 0, off = 0;
		char full[512];

		/* A misspelt system: whole names, so that "nosuch:event" is not mc_event */
		if (sep && !whole) {
			snprintf(full, sizeof(full), "%s", name);
			full[sep - name] = ':';
			word = full;
		}
		for (size_t i = 0; cands && i < n; i++) {
			cands[i] = sep && !whole ? v[i] : strchr(v[i], ':') + 1;
			/* A misspelt system with a right event: that event, wherever it is */
			if (!strcmp(strchr(v[i], ':') + 1, sep ? sep + 1 : name) && off < size)
				off += (size_t)snprintf(buf + off, size - off, "%s%s",
							exact++ ? " or " : "; did you mean ", v[i]);
		}
		if (exact && off < size)
			snprintf(buf + off, size - off, "?");
		else if (cands && !exact)
			ft_suggest_hint(word, cands, (const char *const *)v, n, buf, size);
		free(cands);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return buf;
}
