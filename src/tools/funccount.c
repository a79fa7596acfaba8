// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig funccount PATTERN: how often each kernel function or tracepoint matching a glob ran,
 * in bcc funccount's columns (FUNC COUNT, the rarest first). Functions: one kprobe each in the
 * session's probe group (src/probes/glob.c), gone with the session. Tracepoints: the events
 * as they are. Counted per event by one BPF aggregation keyed by the event's name, or by one
 * hist trigger per event (--backend hist).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "hist/hist.h"
#include "json.h"
#include "log.h"
#include "probes/add.h"
#include "probes/glob.h"
#include "session.h"
#include "tfs.h"
#include "tools/tools.h"

#define FC_MAX_SPECS 1024

/**
 * struct fc - a funccount run
 * @sys: the events' system (the session's probe group for functions)
 * @glob: the events' names as one glob (the user's for tracepoints, all of the group's for
 *        functions)
 * @names: the events counted
 * @n: how many
 * @probes: for functions, the probes made (their functions are what is printed)
 * @per_event: one hist per event (hist triggers) rather than one keyed by event (BPF)
 * @specs: the specs
 * @nspecs: how many
 */
struct fc {
	char sys[256];
	char glob[256];
	char **names;
	size_t n;
	struct ft_probe_set probes;
	bool per_event;
	struct ft_tool_spec *specs;
	size_t nspecs;
};

/* The tracepoints of SYS:GLOB, into @c->names. */
static int tracepoints(struct ft_tfs *t, const char *pattern, struct fc *c)
{
	const char *colon = strchr(pattern, ':');
	char **all;
	size_t n = 0;

	snprintf(c->sys, sizeof(c->sys), "%.*s", (int)(colon - pattern), pattern);
	snprintf(c->glob, sizeof(c->glob), "%s", colon + 1);
	all = ft_tfs_events(t, c->sys);
	for (size_t i = 0; all && all[i]; i++)
		n++;
	c->names = calloc(n + 1, sizeof(*c->names));
	for (size_t i = 0; c->names && i < n; i++)
		if (!fnmatch(colon + 1, all[i], 0) && !(c->names[c->n++] = strdup(all[i])))
			return ft_tfs_list_free(all), -ENOMEM;
	ft_tfs_list_free(all);
	if (!c->names)
		return -ENOMEM;
	if (!c->n) {
		ft_err("no event matches '%s' ('ftrig list events \"%s:*\"' lists them)", pattern,
		       c->sys);
		return -ENOENT;
	}
	return 0;
}

/* One kprobe per function of @pattern, in the session's probe group. */
static int functions(struct ft_tool_run *r, const char *pattern, const struct ft_tool_opts *o,
		     struct fc *c)
{
	struct ft_probe_add_opts po = { .kind = FT_PROBE_KPROBE, .max = o->max };
	int ret;

	snprintf(c->sys, sizeof(c->sys), "ftrig_%d", (int)getpid());
	snprintf(c->glob, sizeof(c->glob), "*");
	po.group = c->sys;
	po.text = (char *)pattern;
	ret = ft_probe_add_glob(r->s->tfs, r->s->ledger, &po, NULL, NULL, &c->probes);
	if (ret)
		return ret;
	c->names = c->probes.names;
	c->n = c->probes.n;
	return 0;
}

/* The words of one spec: EVENT, the key, and -p/-c as the backend can take them. */
static int spec_words(struct ft_tool_spec *s, const char *sys, const char *event, bool per_event,
		      enum ft_backend be, const struct ft_tool_opts *o)
{
	return ft_tool_word(s, "%s:%s", sys, event) ?: ft_tool_word(s, "--key") ?:
	       ft_tool_word(s, "%s", per_event ? "common_pid" : "common_event") ?:
	       ft_tool_task_words(s, be, o, NULL);
}

static int make_specs(struct fc *c, enum ft_backend be, const struct ft_tool_opts *o)
{
	size_t n;
	int ret = 0;

	c->per_event = be == FT_BACKEND_HIST;
	n = c->per_event ? c->n : 1;
	if (n > FC_MAX_SPECS)
		return -E2BIG;
	c->specs = calloc(n, sizeof(*c->specs));
	if (!c->specs)
		return -ENOMEM;
	for (size_t i = 0; !ret && i < n; i++)
		ret = spec_words(&c->specs[i], c->sys, c->per_event ? c->names[i] : c->glob,
				 c->per_event, be, o);
	c->nspecs = n;
	return ret;
}

/**
 * struct fc_row - one line of output
 * @name: the function or event
 * @count: its count
 */
struct fc_row {
	const char *name;
	unsigned long long count;
};

static int by_count(const void *a, const void *b)
{
	const struct fc_row *x = a, *y = b;

	return x->count != y->count ? (x->count < y->count ? -1 : 1) : strcmp(x->name, y->name);
}

/* The name printed for event @ev ("sys:event" or "event"): the function, or the event. */
static const char *shown_name(const struct fc *c, const char *ev, char *buf, size_t size)
{
	const char *e = strchr(ev, ':') ? strchr(ev, ':') + 1 : ev;

	for (size_t i = 0; i < c->probes.n; i++)
		if (!strcmp(c->probes.names[i], e))
			return c->probes.funcs[i];
	snprintf(buf, size, "%s:%s", c->sys, e);
	return buf;
}

static size_t collect(const struct fc *c, struct ft_hist *const *h, size_t n,
		      const struct ft_tool_opts *o, struct fc_row *rows, char (*buf)[300])
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t e = 0; h[i] && e < h[i]->nentries; e++) {
			const struct ft_hist_entry *en = &h[i]->entries[e];
			uint64_t cnt = ft_tool_count(h[i], en);
			const char *ev = c->per_event ? c->names[i] : en->keys[0].str;
			size_t r;

			if (!cnt || !ev)
				continue;
			if (!c->per_event && o->comm &&
			    (h[i]->nkeys < 2 || !en->keys[1].str ||
			     strcmp(en->keys[1].str, o->comm)))
				continue;
			ev = shown_name(c, ev, buf[k], sizeof(buf[k]));
			for (r = 0; r < k && strcmp(rows[r].name, ev); r++)
				;
			if (r == k)
				rows[k++] = (struct fc_row){ ev, 0 };
			rows[r].count += cnt;
		}
	}
	qsort(rows, k, sizeof(*rows), by_count);
	return k;
}

static int print(struct ft_hist *const *h, size_t n, const struct ft_tool_opts *o, void *data)
{
	const struct fc *c = data;
	struct fc_row *rows = calloc(c->n + 1, sizeof(*rows));
	char(*buf)[300] = calloc(c->n + 1, sizeof(*buf));
	struct ft_json j;
	size_t k;

	if (!rows || !buf) {
		free(rows);
		free(buf);
		return -ENOMEM;
	}
	k = collect(c, h, n, o, rows, buf);
	if (o->json) {
		ft_tool_json_begin(&j);
		ft_json_begin_arr(&j, "counts");
		for (size_t i = 0; i < k; i++) {
			ft_json_begin_obj(&j, NULL);
			ft_json_str(&j, "func", rows[i].name);
			ft_json_uint(&j, "count", rows[i].count);
			ft_json_end(&j, '}');
		}
		ft_tool_json_end(&j);
	} else {
		printf("\n");
		ft_tool_stamp(o, stdout);
		printf("%-36s %8s\n", "FUNC", "COUNT");
		for (size_t i = 0; i < k; i++)
			printf("%-36s %8llu\n", rows[i].name, rows[i].count);
	}
	free(rows);
	free(buf);
	return 0;
}

static int run(const struct ft_cmd *cmd, struct ft_tool_run *r, struct ft_tool_opts *o,
	       struct fc *c)
{
	const char *pattern = o->args[0];
	int ret;

	if (!strncmp(pattern, "t:", 2))
		pattern += 2;
	else if (!strncmp(pattern, "p:", 2) && !strchr(pattern + 2, ':'))
		pattern += 2;
	if (strchr(pattern, '/'))
		return ft_err("user functions (%s) are not counted yet: uprobes from a glob are "
			      "to come; a kernel function glob or SYSTEM:EVENT glob works",
			      pattern),
		       -ENOTSUP;
	if (o->live && !strchr(pattern, ':'))
		return ft_err("--live with kernel functions is to come (the view's session cannot "
			      "take over the probes yet): 'ftrig probe add -g GROUP %s' then "
			      "'ftrig "
			      "top GROUP:* --key event' shows them live",
			      pattern),
		       -ENOTSUP;
	ret = strchr(pattern, ':') ? tracepoints(r->s->tfs, pattern, c)
				   : functions(r, pattern, o, c);
	if (!ret)
		ret = make_specs(c, r->be, o);
	if (ret == -E2BIG)
		ft_err("%zu events, more than %d tables: use BPF (--backend bpf or auto)", c->n,
		       FC_MAX_SPECS);
	if (!ret && o->live)
		return ft_tool_live(cmd, c->specs, c->nspecs, r->be) ? -EINVAL : 0;
	for (size_t i = 0; !ret && i < c->nspecs; i++)
		ret = ft_tool_add(r, &c->specs[i], o);
	if (ret)
		return ret;
	ft_tool_ready(o, "Tracing %zu %s for \"%s\"... Hit Ctrl-C to end.", c->n,
		      c->probes.n ? "functions" : "events", o->args[0]);
	return ft_tool_loop(r, o, print, c);
}

/**
 * ft_tool_funccount() - `ftrig funccount PATTERN`
 * @cmd: its row
 * @o: its options and operand
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_funccount(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	struct ft_tool_run r;
	struct fc c = { 0 };
	int ret = ft_tool_begin(&r, o);

	if (!ret)
		ret = run(cmd, &r, o, &c);
	if (!c.probes.n) {
		for (size_t i = 0; c.names && i < c.n; i++)
			free(c.names[i]);
		free(c.names);
	}
	ft_probe_set_release(&c.probes);
	free(c.specs);
	if (r.s && ft_tool_end(&r))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
