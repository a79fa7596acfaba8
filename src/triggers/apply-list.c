// SPDX-License-Identifier: GPL-2.0-only
/*
 * Listing triggers with their owners: each line a trigger file lists is matched with ftrig's
 * journals by meaning, since the kernel lists a canonical form, not what was written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "names.h"
#include "tfs.h"
#include "triggers/apply-int.h"
#include "triggers/apply.h"
#include "triggers/compare.h"
#include "util.h"

/**
 * ft_trig_listing() - the triggers an event's trigger file lists, one a line
 * @t: tracefs
 * @inst: instance, NULL or "" for the top level
 * @sys: event system
 * @ev: event name
 *
 * The comment lines (what the kernel lists while the event has no trigger) are left out.
 *
 * Return: a NULL-terminated list to free with ft_tfs_list_free(), or NULL when the file
 * cannot be read or lists nothing.
 */
char **ft_trig_listing(struct ft_tfs *t, const char *inst, const char *sys, const char *ev)
{
	char *text, *save = NULL, **v = NULL;
	size_t n = 0;

	text = ft_tfs_event_read(t, inst, sys, ev, "trigger", NULL);
	if (!text)
		return NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char **nv;

		l = ft_strip(l);
		if (l[0] == '#' || !*l)
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n++] = strdup(l);
		v[n] = NULL;
	}
	free(text);
	return v;
}

/* Marks @e as ftrig's when a journal holds a trigger that means the same. */
static void find_owner(struct ft_listed *e, const struct ft_session_info *s, size_t ns)
{
	for (size_t i = 0; i < ns && !e->ours; i++) {
		const struct ft_journal *j = &s[i].journal;

		for (size_t k = 0; k < j->nobjs && !e->ours; k++) {
			const struct ft_obj *o = &j->objs[k];

			if (o->kind != FT_OBJ_TRIGGER || strcmp(o->instance, e->instance) ||
			    strcmp(o->system, e->system) || strcmp(o->event, e->event) ||
			    !ft_trigger_text_same(o->text, e->text))
				continue;
			e->ours = true;
			e->pid = (int)j->pid;
			e->seq = o->seq;
			e->written = strdup(o->text);
		}
	}
}

struct lister {
	struct ft_tfs *t;
	struct ft_session_info *s;
	size_t ns;
	struct ft_listed *v;
	size_t n;
};

static int list_event(struct lister *L, const char *inst, const char *sys, const char *ev)
{
	char **lines = ft_trig_listing(L->t, inst, sys, ev);

	for (size_t i = 0; lines && lines[i]; i++) {
		struct ft_listed *nv = realloc(L->v, (L->n + 1) * sizeof(*nv)), *e;

		if (!nv) {
			ft_tfs_list_free(lines);
			return -ENOMEM;
		}
		L->v = nv;
		e = &nv[L->n++];
		*e = (struct ft_listed){ .instance = strdup(inst),
					 .system = strdup(sys),
					 .event = strdup(ev),
					 .text = strdup(lines[i]) };
		find_owner(e, L->s, L->ns);
	}
	ft_tfs_list_free(lines);
	return 0;
}

static int list_instance(struct lister *L, const char *inst, const char *event)
{
	char **systems;
	int ret = 0;

	if (event) {
		char sys[128], ev[256];

		if (ft_event_split_copy(event, sys, sizeof(sys), ev, sizeof(ev)))
			return -EINVAL;
		return list_event(L, inst, sys, ev);
	}
	systems = ft_tfs_systems(L->t);
	for (size_t s = 0; systems && systems[s] && !ret; s++) {
		char **events = ft_tfs_events(L->t, systems[s]);

		for (size_t e = 0; events && events[e] && !ret; e++)
			ret = list_event(L, inst, systems[s], events[e]);
		ft_tfs_list_free(events);
	}
	ft_tfs_list_free(systems);
	return ret;
}

/**
 * ft_trigger_list() - the triggers trigger files list, each with its owner
 * @t: tracefs
 * @instance: the instance to look in, NULL or "" for the top level
 * @event: "system:event", or NULL for every event
 * @all_instances: look in the top level and every instance (@instance is ignored)
 * @out: set to the triggers; free with ft_listed_free()
 * @n: set to how many
 *
 * Ownership comes from every ftrig journal in the state directory (persistent and
 * sessions), matched by meaning (ft_trigger_text_same()).
 *
 * Return: 0 or -errno.
 */
int ft_trigger_list(struct ft_tfs *t, const char *instance, const char *event, bool all_instances,
		    struct ft_listed **out, size_t *n)
{
	struct lister L = { .t = t };
	int ret;

	ft_ledger_scan(ft_ledger_state_dir(), &L.s, &L.ns);
	ret = list_instance(&L, all_instances || !instance ? "" : instance, event);
	if (all_instances) {
		char **insts = ft_tfs_instances(t);

		for (size_t i = 0; insts && insts[i] && !ret; i++)
			ret = list_instance(&L, insts[i], event);
		ft_tfs_list_free(insts);
	}
	ft_ledger_scan_free(L.s, L.ns);
	if (ret) {
		ft_listed_free(L.v, L.n);
		return ret;
	}
	*out = L.v;
	*n = L.n;
	return 0;
}

/**
 * ft_listed_free() - free what ft_trigger_list() returned
 * @v: the triggers (NULL allowed)
 * @n: how many
 */
void ft_listed_free(struct ft_listed *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].instance);
		free(v[i].system);
		free(v[i].event);
		free(v[i].text);
		free(v[i].written);
	}
	free(v);
}
