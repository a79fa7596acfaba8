// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig funccount PATTERN: how often each kernel function, user function (BINARY:GLOB) or
 * tracepoint matching a glob ran, in bcc funccount's columns (FUNC COUNT, the rarest first).
 * Functions: one kprobe or uprobe each in the session's probe group (src/probes/glob.c), gone
 * with the session. Tracepoints: the events as they are. Counted per event by one BPF
 * aggregation keyed by the event's name, or by one hist trigger per event (--backend hist).
 * Kernel functions counted by BPF on a kernel with kprobe-multi: no probe at all, one BPF
 * link on all of them (src/bpf/kmulti.c), keyed by the function; where the kernel has no
 * kprobe-multi, the probes as above. --live shows specs in `top`, which counts events: it
 * takes the probes.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/kmulti-src.h"
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
 * @multi: kernel functions on one kprobe-multi link: @names are the functions, the table is
 *         keyed by them, and -p, -c are applied in the kernel
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
	bool multi;
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

/*
 * Every kernel function of @pattern counted by one kprobe-multi link, with no kprobe event;
 * -EOPNOTSUPP where the kernel cannot (then they get one kprobe each).
 */
static int multi(struct ft_tool_run *r, const char *pattern, const struct ft_tool_opts *o,
		 struct fc *c)
{
	struct ft_kmulti_opts ko = { .title = pattern, .tid = o->pid, .comm = o->comm };
	struct ft_source *src;
	int ret;

	/* A kernel without kprobe events is told so by the per-event path, as before: the
	 * glob's errors then come in the same order on every kernel. */
	if (!ft_tfs_exists(r->s->tfs, NULL, "kprobe_events"))
		return -EOPNOTSUPP;
	ret = ft_probe_glob_kernel(r->s->tfs, pattern, o->max, &c->names, &c->n);
	if (ret)
		return ret == -EOPNOTSUPP ? -EIO : ret;
	ko.funcs = c->names;
	ko.n = c->n;
	ret = ft_bpf_kmulti_source(&ko, &src);
	if (ret) {
		ft_probe_names_free(c->names, c->n);
		c->names = NULL;
		c->n = 0;
		return ret;
	}
	c->multi = true;
	ret = ft_tool_add_source(r, src);
	/* said; and not a reason to make the probes after all */
	return ret == -EOPNOTSUPP ? -EIO : ret;
}

/*
 * The functions of @pattern: for BPF on one kprobe-multi link where the kernel has it, else
 * one kprobe (or, for BINARY:GLOB, uprobe) per function in the session's group.
 */
static int functions(struct ft_tool_run *r, const char *pattern, const struct ft_tool_opts *o,
		     struct fc *c)
{
	struct ft_probe_add_opts po = { .kind = FT_PROBE_KPROBE, .max = o->max };
	int ret = -EOPNOTSUPP;

	if (r->be == FT_BACKEND_BPF && !o->live && !strchr(pattern, '/'))
		ret = multi(r, pattern, o, c);
	if (ret != -EOPNOTSUPP)
		return ret;
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

/*
 * The name row @en of table @i is printed under, NULL for a row of another task (-c, which
 * BPF's per-event path keys by): kprobe-multi's rows are named by function, -c applied in the
 * kernel.
 */
static const char *row_name(const struct fc *c, const struct ft_hist *h, size_t i,
			    const struct ft_hist_entry *en, const struct ft_tool_opts *o, char *buf,
			    size_t size)
{
	const char *ev = c->per_event ? c->names[i] : en->keys[0].str;

	if (!ev || c->multi)
		return ev;
	if (!c->per_event && o->comm &&
	    (h->nkeys < 2 || !en->keys[1].str || strcmp(en->keys[1].str, o->comm)))
		return NULL;
	return shown_name(c, ev, buf, size);
}

static size_t collect(const struct fc *c, struct ft_hist *const *h, size_t n,
		      const struct ft_tool_opts *o, struct fc_row *rows, char (*buf)[300])
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t e = 0; h[i] && e < h[i]->nentries; e++) {
			const struct ft_hist_entry *en = &h[i]->entries[e];
			uint64_t cnt = ft_tool_count(h[i], en);
			const char *ev = row_name(c, h[i], i, en, o, buf[k], sizeof(buf[k]));
			size_t r;

			if (!cnt || !ev)
				continue;
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
	bool events;
	int ret;

	if (!strncmp(pattern, "t:", 2))
		pattern += 2;
	else if (!strncmp(pattern, "p:", 2) && (strchr(pattern, '/') || !strchr(pattern + 2, ':')))
		pattern += 2;
	events = strchr(pattern, ':') && !strchr(pattern, '/');
	ret = events ? tracepoints(r->s->tfs, pattern, c) : functions(r, pattern, o, c);
	if (!ret && !c->multi)
		ret = make_specs(c, r->be, o);
	if (ret == -E2BIG)
		ft_err("%zu events, more than %d tables: use BPF (--backend bpf or auto)", c->n,
		       FC_MAX_SPECS);
	if (!ret && o->live)
		return ft_tool_live(cmd, r, c->specs, c->nspecs) ? -EINVAL : 0;
	for (size_t i = 0; !ret && i < c->nspecs; i++)
		ret = ft_tool_add(r, &c->specs[i], o);
	if (ret)
		return ret;
	ft_tool_ready(o, "Tracing %zu %s for \"%s\"... Hit Ctrl-C to end.", c->n,
		      c->probes.n || c->multi ? "functions" : "events", o->args[0]);
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
	/* The run's end first: the kprobe-multi source reads the names until then. */
	if (r.s && ft_tool_end(&r))
		ret = ret ?: -EBUSY;
	if (!c.probes.n) {
		for (size_t i = 0; c.names && i < c.n; i++)
			free(c.names[i]);
		free(c.names);
	}
	ft_probe_set_release(&c.probes);
	free(c.specs);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
