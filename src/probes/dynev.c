// SPDX-License-Identifier: GPL-2.0-only
/*
 * The probes the kernel has (dynamic_events, or kprobe_events and uprobe_events on kernels
 * before 5.0), who owns them according to the ftrig journals, how often they fired, and what
 * holds them (enables, triggers, attached event probes) when one is to be deleted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "ledger.h"
#include "log.h"
#include "probes/dynev.h"
#include "probes/listing.h"
#include "tfs.h"

/**
 * ft_dynev_file() - the file that defines and deletes probes of a kind on this kernel
 * @t: tracefs
 * @kind: the kind of probe
 *
 * Return: "dynamic_events" where the kernel has it, else "kprobe_events" or "uprobe_events".
 */
const char *ft_dynev_file(struct ft_tfs *t, enum ft_probe_kind kind)
{
	if (ft_tfs_exists(t, NULL, "dynamic_events"))
		return "dynamic_events";
	return ft_probe_is_user(kind) ? "uprobe_events" : "kprobe_events";
}

static int add_lines(const char *text, struct ft_dynev **v, size_t *n)
{
	char err[256];

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = strndup(line, len);
		struct ft_dynev *nv;
		struct ft_probe_spec s = { 0 };

		line = nl ? nl + 1 : NULL;
		if (!l)
			return -ENOMEM;
		if (!*l || ft_probe_parse_raw(l, &s, err, sizeof(err))) {
			ft_probe_spec_release(&s);
			free(l);
			continue;
		}
		nv = realloc(*v, (*n + 1) * sizeof(**v));
		if (!nv) {
			ft_probe_spec_release(&s);
			free(l);
			return -ENOMEM;
		}
		*v = nv;
		memset(&nv[*n], 0, sizeof(nv[*n]));
		nv[*n].spec = s;
		nv[(*n)++].line = l;
	}
	return 0;
}

static void add_owners(const char *state_dir, struct ft_dynev *v, size_t n)
{
	struct ft_session_info *s;
	size_t ns;

	if (ft_ledger_scan(state_dir, &s, &ns))
		return;
	for (size_t i = 0; i < ns; i++) {
		const struct ft_journal *j = &s[i].journal;

		if (s[i].other_boot)
			continue;
		for (size_t o = 0; o < j->nobjs; o++) {
			if (j->objs[o].kind != FT_OBJ_DYNEVENT)
				continue;
			for (size_t k = 0; k < n; k++) {
				/* By definition, not name: a probe somebody put in place of
				 * ftrig's under its name is not ftrig's (SEC-3). */
				if (strcmp(v[k].spec.group, j->objs[o].system) ||
				    strcmp(v[k].spec.name, j->objs[o].event) ||
				    !ft_guard_probe_is(j->objs[o].text, &v[k].spec))
					continue;
				v[k].pid = j->pid;
				v[k].owner = j->pid == 0  ? FT_OWNER_PERSISTENT
					     : s[i].alive ? FT_OWNER_SESSION
							  : FT_OWNER_STALE;
			}
		}
	}
	ft_ledger_scan_free(s, ns);
}

static void add_profiles(struct ft_tfs *t, struct ft_dynev *v, size_t n)
{
	char *kp = ft_tfs_read(t, NULL, "kprobe_profile", NULL);
	char *up = ft_tfs_read(t, NULL, "uprobe_profile", NULL);

	for (size_t i = 0; i < n; i++) {
		bool user = ft_probe_is_user(v[i].spec.kind);
		const char *text = user ? up : kp;

		if (v[i].spec.kind != FT_PROBE_EPROBE && text)
			v[i].have_profile = ft_profile_lookup(text, user, v[i].spec.name,
							      &v[i].hits, &v[i].misses);
	}
	free(kp);
	free(up);
}

/**
 * ft_dynev_list() - every k/u/e probe the kernel has, with owner and hit counts
 * @t: tracefs
 * @state_dir: where the ftrig journals are
 * @out: set to the array; free with ft_dynev_free()
 * @n: set to its length
 *
 * Synthetic events are left out: they are not probes.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_dynev_list(struct ft_tfs *t, const char *state_dir, struct ft_dynev **out, size_t *n)
{
	static const char *const files[] = { "kprobe_events", "uprobe_events" };
	int ret = 0;

	*out = NULL;
	*n = 0;
	if (ft_tfs_exists(t, NULL, "dynamic_events")) {
		char *text = ft_tfs_read(t, NULL, "dynamic_events", NULL);

		ret = text ? add_lines(text, out, n) : 0;
		free(text);
	} else {
		for (size_t f = 0; !ret && f < 2; f++) {
			char *text = ft_tfs_read(t, NULL, files[f], NULL);

			ret = text ? add_lines(text, out, n) : 0;
			free(text);
		}
	}
	if (ret) {
		ft_dynev_free(*out, *n);
		*out = NULL;
		*n = 0;
		return ret;
	}
	for (size_t i = 0; i < *n; i++)
		if (!(*out)[i].spec.group) /* listed lines always carry their group */
			(*out)[i].spec.group = strdup("");
	add_owners(state_dir, *out, *n);
	add_profiles(t, *out, *n);
	return 0;
}

/**
 * ft_dynev_free() - free what ft_dynev_list() returned
 * @v: the array, may be NULL
 * @n: its length
 */
void ft_dynev_free(struct ft_dynev *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ft_probe_spec_release(&v[i].spec);
		free(v[i].line);
	}
	free(v);
}

static int push(struct ft_holder **out, size_t *n, enum ft_holder_kind kind, const char *inst,
		const char *sys, const char *event, const char *text)
{
	struct ft_holder *nv = realloc(*out, (*n + 1) * sizeof(**out));

	if (!nv)
		return -ENOMEM;
	*out = nv;
	nv += (*n)++;
	memset(nv, 0, sizeof(*nv));
	nv->kind = kind;
	snprintf(nv->instance, sizeof(nv->instance), "%s", inst ? inst : "");
	snprintf(nv->system, sizeof(nv->system), "%s", sys);
	snprintf(nv->event, sizeof(nv->event), "%s", event);
	snprintf(nv->text, sizeof(nv->text), "%s", text);
	return 0;
}

/* The trigger lines of a trigger file (comment lines are the kernel's help when empty). */
static int each_trigger(const char *text, const char *must_contain, struct ft_holder **out,
			size_t *n, enum ft_holder_kind kind, const char *inst, const char *sys,
			const char *ev)
{
	int ret = 0;

	for (const char *line = text; !ret && line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char l[512];

		snprintf(l, sizeof(l), "%.*s", (int)len, line);
		line = nl ? nl + 1 : NULL;
		if (!*l || *l == '#' || (must_contain && !strstr(l, must_contain)))
			continue;
		ret = push(out, n, kind, inst, sys, ev, l);
	}
	return ret;
}

/* Triggers of any event in @inst that name group:name (enable_event:G:N and the like). */
static int refs_in(struct ft_tfs *t, const char *inst, char **systems, const char *needle,
		   struct ft_holder **out, size_t *n)
{
	int ret = 0;

	for (int s = 0; !ret && systems && systems[s]; s++) {
		char **events = ft_tfs_events(t, systems[s]);

		for (int e = 0; !ret && events && events[e]; e++) {
			char *text =
				ft_tfs_event_read(t, inst, systems[s], events[e], "trigger", NULL);

			if (text && strstr(text, needle))
				ret = each_trigger(text, needle, out, n, FT_HOLD_REF, inst,
						   systems[s], events[e]);
			free(text);
		}
		ft_tfs_list_free(events);
	}
	return ret;
}

/* Enables and triggers of the probe's event in @inst; *@soft when the kernel marks it "*". */
static int holders_in(struct ft_tfs *t, const char *inst, const char *group, const char *name,
		      struct ft_holder **out, size_t *n, bool *soft)
{
	char *text;
	int ret = 0;

	text = ft_tfs_event_read(t, inst, group, name, "enable", NULL);
	/* "0*": soft mode, set by a trigger (maybe of another event) that names this one. */
	*soft |= text && strchr(text, '*');
	if (text && text[0] == '1')
		ret = push(out, n, FT_HOLD_ENABLE, inst, group, name, "");
	free(text);
	text = ft_tfs_event_read(t, inst, group, name, "trigger", NULL);
	if (!ret && text)
		ret = each_trigger(text, NULL, out, n, FT_HOLD_TRIGGER, inst, group, name);
	free(text);
	return ret;
}

/**
 * ft_probe_holders() - what in tracefs keeps a probe from being deleted
 * @t: tracefs
 * @group: the probe's group
 * @name: the probe's name
 * @deep: also read every event's trigger file for triggers that name the probe
 *        (enable_event:GROUP:NAME); slow on big kernels, so done without @deep only when
 *        the kernel marks the event as in soft mode
 * @all: the probes the kernel has (for event probes attached to this one)
 * @nall: how many
 * @out: set to the holders; free() it
 * @n: set to how many
 *
 * Return: 0 or -ENOMEM.
 */
int ft_probe_holders(struct ft_tfs *t, const char *group, const char *name, bool deep,
		     const struct ft_dynev *all, size_t nall, struct ft_holder **out, size_t *n)
{
	char **insts = ft_tfs_instances(t), **systems = deep ? ft_tfs_systems(t) : NULL;
	char needle[300];
	bool soft = false;
	int ret;

	*out = NULL;
	*n = 0;
	snprintf(needle, sizeof(needle), ":%s:%s", group, name);
	ret = holders_in(t, NULL, group, name, out, n, &soft);
	for (int i = 0; !ret && insts && insts[i]; i++)
		ret = holders_in(t, insts[i], group, name, out, n, &soft);
	if (soft && !deep) {
		deep = true;
		systems = ft_tfs_systems(t);
	}
	if (!ret && deep)
		ret = refs_in(t, NULL, systems, needle, out, n);
	for (int i = 0; !ret && deep && insts && insts[i]; i++)
		ret = refs_in(t, insts[i], systems, needle, out, n);
	for (size_t i = 0; !ret && i < nall; i++) {
		const struct ft_probe_spec *s = &all[i].spec;

		if (s->kind == FT_PROBE_EPROBE && !strcmp(s->target, group) &&
		    !strcmp(s->symbol, name))
			ret = push(out, n, FT_HOLD_EPROBE, "", s->group, s->name, all[i].line);
	}
	ft_tfs_list_free(insts);
	ft_tfs_list_free(systems);
	return ret;
}

/**
 * ft_holder_describe() - one line for people naming a holder and where it is
 * @h: the holder
 * @buf: where the text goes
 * @size: size of @buf
 *
 * Return: the length snprintf() reports.
 */
int ft_holder_describe(const struct ft_holder *h, char *buf, size_t size)
{
	char where[300];

	if (h->instance[0])
		snprintf(where, sizeof(where), "in instance %s", h->instance);
	else
		snprintf(where, sizeof(where), "at the top level");
	switch (h->kind) {
	case FT_HOLD_ENABLE:
		return snprintf(buf, size, "the event is enabled %s", where);
	case FT_HOLD_TRIGGER:
		return snprintf(buf, size, "trigger '%s' on it %s", h->text, where);
	case FT_HOLD_REF:
		return snprintf(buf, size, "trigger '%s' on %s:%s %s", h->text, h->system, h->event,
				where);
	default:
		return snprintf(buf, size, "event probe %s/%s is attached to it", h->system,
				h->event);
	}
}
