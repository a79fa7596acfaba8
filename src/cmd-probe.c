// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig probe add | ls | rm: dynamic probes (kprobe, kretprobe, uprobe, uretprobe, eprobe).
 * Probes outlive the command: they go to the persistent ledger, so `probe rm --ours` and
 * `cleanup --all` find them again.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "dryrun.h"
#include "format.h"
#include "json.h"
#include "kfeat.h"
#include "guard.h"
#include "ledger.h"
#include "log.h"
#include "probes/dynev.h"
#include "probes/listing.h"
#include "probes/probe.h"
#include "suggest.h"
#include "tfs.h"
#include "undo-writes.h"
#include "util.h"

#define ERRSZ 1024

/**
 * struct add_opts - what `probe add` was asked
 * @kind: FT_PROBE_KPROBE, FT_PROBE_KRETPROBE (-r) or FT_PROBE_EPROBE (-e)
 * @raw: the text is in the kernel's syntax
 * @dry_run: print the definition, write nothing
 * @group: -g
 * @name: -n
 * @text: the probe, its words joined
 */
struct add_opts {
	enum ft_probe_kind kind;
	bool raw;
	bool dry_run;
	const char *group;
	const char *name;
	char *text;
};

/* The words of argv[from..] joined by spaces (the shell may have split the spec). */
static char *join_args(int argc, char **argv, int from)
{
	size_t len = 1;
	char *s;

	for (int i = from; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	for (int i = from; s && i < argc; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* The user's words on a line of their own, with a caret under @arg, the one that is wrong. */
static const char *point_at(const char *text, const char *arg, char *buf, size_t size)
{
	const char *at = strstr(text, arg);

	if (at)
		snprintf(buf, size, "\n    %s\n    %*s^", text, (int)(at - text), "");
	else
		snprintf(buf, size, "\n    %s", text);
	return buf;
}

/* The kernel lacks the file this kind of probe needs: say which option gives it. */
static int kernel_support(struct ft_tfs *t, enum ft_probe_kind kind)
{
	bool user = ft_probe_is_user(kind);

	if (kind != FT_PROBE_EPROBE) {
		if (ft_tfs_exists(t, NULL, user ? "uprobe_events" : "kprobe_events"))
			return 0;
		ft_err("this kernel has no %s (it was built without %s), so %s cannot be probed; "
		       "%stracepoints still work",
		       user ? "uprobe events" : "kprobe events",
		       user ? "CONFIG_UPROBE_EVENTS" : "CONFIG_KPROBE_EVENTS",
		       user ? "programs" : "kernel functions",
		       user ? "" : "uprobes (BINARY:SYMBOL) and ");
		return -ENOTSUP;
	}
	/* Tried, not read from the README, which lists eprobes on kernels without them. */
	if (ft_eprobes_work(t))
		return 0;
	ft_err("this kernel has no event probes (they need Linux 5.15 or later with "
	       "CONFIG_EPROBE_EVENTS; 'ftrig info' shows eprobes no); tracepoints can still be "
	       "used directly, and their fields with 'ftrig pipe --filter' or 'ftrig hist start'");
	return -ENOTSUP;
}

/* An eprobe's event is missing: suggest events of its system, or systems. */
static void no_event(struct ft_tfs *t, const struct ft_probe_spec *s)
{
	char **names = ft_tfs_events(t, s->target), near[700];
	bool events = names && names[0];
	struct ft_suggest sg;

	if (!events) {
		ft_tfs_list_free(names);
		names = ft_tfs_systems(t);
	}
	ft_suggest_init(&sg, events ? s->symbol : s->target);
	for (int i = 0; names && names[i]; i++)
		ft_suggest_add(&sg, names[i], strlen(names[i]));
	ft_tfs_list_free(names);
	ft_err("no event %s:%s to attach to ('ftrig list events' shows them)%s%s%s", s->target,
	       s->symbol, sg.n ? "; did you mean " : "",
	       sg.n ? ft_suggest_list(&sg, near, sizeof(near)) : "", sg.n ? "?" : "");
}

/* An eprobe's event must exist, and its $FIELD arguments must be fields of it. */
static int check_eprobe(struct ft_tfs *t, const struct ft_probe_spec *s, const char *text)
{
	struct ft_event_format *fmt = NULL;
	int ret = 0;

	if (ft_tfs_event_format(t, NULL, s->target, s->symbol, &fmt)) {
		no_event(t, s);
		return -ENOENT;
	}
	for (size_t i = 0; !ret && i < s->nargs; i++) {
		const char *p = strchr(s->args[i], '$');
		char field[128], near[700], caret[1200];
		struct ft_suggest sg;

		if (!p || sscanf(p + 1, "%127[A-Za-z0-9_]", field) != 1 || !strcmp(field, "comm") ||
		    ft_format_field(fmt, field))
			continue;
		ft_suggest_init(&sg, field);
		for (size_t f = 0; f < fmt->nfields; f++)
			ft_suggest_add(&sg, fmt->fields[f].name, strlen(fmt->fields[f].name));
		ft_err("no field '%s' in %s:%s%s%s%s%s", field, s->target, s->symbol,
		       sg.n ? "; did you mean " : "",
		       sg.n ? ft_suggest_list(&sg, near, sizeof(near)) : "", sg.n ? "?" : "",
		       point_at(text, s->args[i], caret, sizeof(caret)));
		ret = -EINVAL;
	}
	ft_format_free(fmt);
	return ret;
}

/* A uprobe's binary: made absolute (the kernel resolves it), its symbol turned into an offset. */
static int resolve_uprobe(struct ft_probe_spec *s)
{
	char abs[PATH_MAX], err[ERRSZ];
	int ret;

	if (!realpath(s->target, abs)) {
		ft_err("%s: %s; give the program's path (a '/' in it tells ftrig it is a program)",
		       s->target, strerror(errno));
		return -ENOENT;
	}
	free(s->target);
	if (!(s->target = strdup(abs)))
		return -ENOMEM;
	ret = ft_elf_resolve(s->target, s->symbol, s->offset, &s->file_offset, err, sizeof(err));
	if (ret) {
		ft_err("%s", err);
		return ret;
	}
	s->resolved = true;
	return 0;
}

/* Whether the kprobe's function is one the kernel lists; @why says what was found. */
static void kprobe_target_note(struct ft_tfs *t, const struct ft_probe_spec *s, char *why,
			       size_t size)
{
	char *aff = ft_tfs_read(t, NULL, "available_filter_functions", NULL);
	char *ks = ft_read_file("/proc/kallsyms", NULL);
	char near[FT_SUGGEST_MAX * (FT_SUGGEST_LEN + 4)];
	struct ft_suggest sg;

	why[0] = '\0';
	ft_suggest_init(&sg, strchr(s->target, ':') ? strchr(s->target, ':') + 1 : s->target);
	if (!strncmp(s->target, "0x", 2) || (aff && ft_symlist_find(aff, false, s->target, NULL)))
		goto out;
	if (ks && ft_symlist_find(ks, true, s->target, &sg)) {
		snprintf(why, size,
			 "%s is in /proc/kallsyms but not in available_filter_functions: "
			 "it may be inlined away, notrace or on the kprobe blacklist",
			 s->target);
		goto out;
	}
	if (ks || aff)
		snprintf(why, size, "%s is not a kernel function (not in /proc/kallsyms)%s%s%s",
			 s->target, sg.n ? "; did you mean " : "",
			 sg.n ? ft_suggest_list(&sg, near, sizeof(near)) : "", sg.n ? "?" : "");
out:
	free(aff);
	free(ks);
}

/* Check and complete a probe before anything is written. */
static int prepare(struct ft_tfs *t, const struct add_opts *o, struct ft_probe_spec *s)
{
	struct ft_probe_caps caps;
	char err[ERRSZ], *readme;
	size_t bad = 0;
	int ret;

	ret = o->raw ? ft_probe_parse_raw(o->text, s, err, sizeof(err))
		     : ft_probe_parse(o->text, o->kind, s, err, sizeof(err));
	if (!ret)
		ret = ft_probe_name_defaults(s, o->group, o->name, err, sizeof(err));
	if (ret) {
		ft_err("%s", ret == -ENOMEM ? strerror(ENOMEM) : err);
		return ret;
	}
	ret = kernel_support(t, s->kind);
	if (ret)
		return ret;
	readme = ft_tfs_read(t, NULL, "README", NULL);
	ft_probe_caps_from_readme(readme, &caps);
	free(readme);
	ret = ft_probe_check_args(s, &caps, &bad, err, sizeof(err));
	if (ret == -EINVAL) {
		char caret[1200];

		ft_err("bad fetch argument '%s': %s%s", s->args[bad], err,
		       point_at(o->text, s->args[bad], caret, sizeof(caret)));
	}
	if (!ret && s->kind == FT_PROBE_EPROBE)
		ret = check_eprobe(t, s, o->text);
	if (!ret && ft_probe_is_user(s->kind) && !s->symbol)
		ret = ft_elf_resolve(s->target, NULL, s->offset, &s->file_offset, err, sizeof(err))
			      ? (ft_err("%s", err), -EINVAL)
			      : 0;
	if (!ret && ft_probe_is_user(s->kind) && (s->symbol || s->target[0] != '/'))
		ret = resolve_uprobe(s);
	return ret;
}

/* The kernel refused the definition: show its error_log entry against what was written. */
static void explain_refusal(struct ft_tfs *t, const struct ft_probe_spec *s, const char *line,
			    int err, const char *log_before, const char *file)
{
	char *log = ft_tfs_error_last(t, NULL), why[ERRSZ];
	bool fresh = log && *log && (!log_before || strcmp(log, log_before));

	if (err == -ECANCELED) {
		ft_err("'%s' was not written", line); /* the ledger said why */
		free(log);
		return;
	}
	if (err == -EEXIST)
		ft_err("%s/%s exists already; remove it first ('ftrig probe rm %s/%s') or pick "
		       "another name with -n",
		       s->group, s->name, s->group, s->name);
	else if (fresh)
		ft_err("the kernel refused the %s:\n%s", ft_probe_kind_name(s->kind),
		       ft_strip(log));
	else
		ft_err("the kernel refused '%s': %s", line,
		       ft_tfs_strerror(err, file, why, sizeof(why)));
	if (s->kind == FT_PROBE_KPROBE || s->kind == FT_PROBE_KRETPROBE) {
		kprobe_target_note(t, s, why, sizeof(why));
		if (why[0])
			ft_err("%s", why);
	} else if (s->kind == FT_PROBE_EPROBE && !fresh && err == -EINVAL) {
		ft_err("the kernel gave no reason; it may lack CONFIG_EPROBE_EVENTS");
	}
	free(log);
}

static int add_write(struct ft_tfs *t, const struct ft_probe_spec *s, const char *line)
{
	const char *file = ft_dynev_file(t, s->kind);
	struct ft_ledger *l;
	char *before;
	int ret;

	if (ft_tfs_event_exists(t, NULL, s->group, s->name, NULL)) {
		explain_refusal(t, s, line, -EEXIST, NULL, file);
		return -EEXIST;
	}
	if (ft_ledger_open_persistent(&l, t, ft_ledger_state_dir()))
		return -EIO;
	before = ft_tfs_error_last(t, NULL);
	ret = ft_ledger_dynevent_add(l, file, s->group, s->name, line);
	if (ret)
		explain_refusal(t, s, line, ret, before, file);
	free(before);
	ft_ledger_close(l);
	return ret;
}

/* The write add_write() would make, with the checks it makes first, into @w. */
static int dry_add(struct ft_tfs *t, const struct ft_probe_spec *s, const char *line,
		   struct ft_writes *w)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "events/%s/%s", s->group, s->name);
	if (ft_tfs_exists(t, NULL, rel)) {
		explain_refusal(t, s, line, -EEXIST, NULL, ft_dynev_file(t, s->kind));
		return -EEXIST;
	}
	return ft_writes_tfs(w, FT_WRITE_APPEND, ft_tfs_dir(t), NULL, ft_dynev_file(t, s->kind),
			     line);
}

static int parse_add(const struct ft_cmd *cmd, int argc, char **argv, struct add_opts *o)
{
	static const struct option opts[] = { { "return", no_argument, NULL, 'r' },
					      { "event", no_argument, NULL, 'e' },
					      { "raw", no_argument, NULL, 'R' },
					      { "group", required_argument, NULL, 'g' },
					      { "name", required_argument, NULL, 'n' },
					      { "dry-run", no_argument, NULL, 'D' },
					      { NULL, 0, NULL, 0 } };
	int c, bad = 0;

	memset(o, 0, sizeof(*o));
	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 'r')
			o->kind = FT_PROBE_KRETPROBE;
		else if (c == 'e')
			o->kind = FT_PROBE_EPROBE;
		else if (c == 'R')
			o->raw = true;
		else if (c == 'g')
			o->group = optarg;
		else if (c == 'n')
			o->name = optarg;
		else if (c == 'D')
			o->dry_run = true;
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind >= argc)
		return ft_usage_error(cmd, "say what to probe: 'ftrig probe add do_sys_openat2', "
					   "'ftrig probe add /bin/bash:readline'");
	if (o->raw && o->kind != FT_PROBE_KPROBE)
		return ft_usage_error(cmd, "--raw takes the kernel's syntax, where the kind is the "
					   "first letter (p, r, e); drop -r/-e");
	o->text = join_args(argc, argv, optind);
	return o->text ? FT_EXIT_OK : FT_EXIT_ERR;
}

/* probe add; with @into, a dry run whose writes go there (as with --dry-run). */
static int probe_add_to(const struct ft_cmd *cmd, int argc, char **argv, struct ft_writes *into)
{
	struct ft_probe_spec s = { 0 };
	struct ft_writes own = { 0 };
	struct add_opts o;
	struct ft_tfs *t;
	char *line = NULL;
	int ret;

	ret = parse_add(cmd, argc, argv, &o);
	if (ret)
		return ret;
	o.dry_run |= into != NULL;
	if (ft_tfs_open(&t)) {
		free(o.text);
		return FT_EXIT_ERR;
	}
	ret = prepare(t, &o, &s);
	if (!ret && !(line = ft_probe_format(&s)))
		ret = -errno;
	if (!ret && o.dry_run)
		ret = dry_add(t, &s, line, into ? into : &own);
	if (!ret && o.dry_run && !into)
		ret = ft_writes_print(&own, stdout);
	else if (!ret && !o.dry_run)
		ret = add_write(t, &s, line);
	if (!ret && !o.dry_run)
		printf("added %s %s:%s: %s\n", ft_probe_kind_name(s.kind), s.group, s.name, line);
	free(line);
	ft_writes_release(&own);
	ft_probe_spec_release(&s);
	ft_tfs_close(t);
	free(o.text);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

static int probe_add(const struct ft_cmd *cmd, int argc, char **argv)
{
	return probe_add_to(cmd, argc, argv, NULL);
}

/**
 * ft_cmd_probe_dry() - the dry run of `probe add ...`, as data
 * @cmd: the probe command's table row
 * @argc: argument count
 * @argv: arguments; argv[1] is the verb
 * @w: where the writes go
 *
 * Return: an FT_EXIT_* code; FT_EXIT_USAGE for verbs other than add.
 */
int ft_cmd_probe_dry(const struct ft_cmd *cmd, int argc, char **argv, struct ft_writes *w)
{
	if (argc < 2 || strcmp(argv[1], "add"))
		return ft_usage_error(cmd, "only 'probe add' has a dry run as data");
	optind = 0;
	return probe_add_to(cmd, argc - 1, argv + 1, w);
}

static const char *owner_text(const struct ft_dynev *d, char *buf, size_t size)
{
	switch (d->owner) {
	case FT_OWNER_PERSISTENT:
		return "ftrig";
	case FT_OWNER_SESSION:
		snprintf(buf, size, "session %d", (int)d->pid);
		return buf;
	case FT_OWNER_STALE:
		snprintf(buf, size, "dead session %d", (int)d->pid);
		return buf;
	default:
		return "-";
	}
}

static void ls_json(struct ft_json *j, const struct ft_dynev *d)
{
	char own[64];

	ft_json_begin_obj(j, NULL);
	ft_json_str(j, "group", d->spec.group);
	ft_json_str(j, "name", d->spec.name);
	ft_json_str(j, "kind", ft_probe_kind_name(d->spec.kind));
	ft_json_bool(j, "ours", d->owner != FT_OWNER_NONE);
	ft_json_str(j, "owner", owner_text(d, own, sizeof(own)));
	/* Every member always there (FIG-9): null where the kernel counts nothing (misses of
	 * uprobes, the profile of eprobes). */
	if (d->have_profile)
		ft_json_uint(j, "hits", d->hits);
	else
		ft_json_null(j, "hits");
	if (d->have_profile && !ft_probe_is_user(d->spec.kind))
		ft_json_uint(j, "misses", d->misses);
	else
		ft_json_null(j, "misses");
	ft_json_str(j, "definition", d->line);
	ft_json_end(j, '}');
}

static void ls_text(const struct ft_dynev *d)
{
	char own[64], ev[300], hits[32] = "-", miss[32] = "-";

	snprintf(ev, sizeof(ev), "%s:%s", d->spec.group, d->spec.name);
	if (d->have_profile)
		snprintf(hits, sizeof(hits), "%llu", d->hits);
	if (d->have_profile && !ft_probe_is_user(d->spec.kind))
		snprintf(miss, sizeof(miss), "%llu", d->misses);
	printf("%-32s %-9s %-18s %10s %8s  %s\n", ev, ft_probe_kind_name(d->spec.kind),
	       owner_text(d, own, sizeof(own)), hits, miss, d->line);
}

static int probe_ls(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { NULL, 0, NULL, 0 } };
	bool all = false, json = false;
	struct ft_dynev *v;
	struct ft_json j;
	struct ft_tfs *t;
	int c, bad = 0;
	size_t n;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		all |= c == 'a';
		json |= c == 'j';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind < argc)
		return ft_usage_error(cmd, "'probe ls' takes no names; it lists them all");
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	if (ft_dynev_list(t, ft_ledger_state_dir(), &v, &n)) {
		ft_tfs_close(t);
		return FT_EXIT_ERR;
	}
	ft_json_init(&j, stdout, false);
	if (json)
		ft_json_begin_arr(&j, NULL);
	else
		printf("%-32s %-9s %-18s %10s %8s  %s\n", "EVENT", "KIND", "OWNER", "HITS",
		       "MISSES", "DEFINITION");
	for (size_t i = 0; i < n; i++) {
		if (!all && v[i].owner == FT_OWNER_NONE && strcmp(v[i].spec.group, FT_PROBE_GROUP))
			continue;
		if (json)
			ls_json(&j, &v[i]);
		else
			ls_text(&v[i]);
	}
	if (json) {
		ft_json_end(&j, ']');
		printf("\n");
	}
	ft_dynev_free(v, n);
	ft_tfs_close(t);
	return FT_EXIT_OK;
}

/**
 * struct rm_ctx - what `probe rm` works with
 * @t: tracefs
 * @l: the persistent ledger
 * @all: the probes the kernel has
 * @n: how many
 * @dry: for a dry run (--dry-run), the journals and the writes collected (@l is NULL)
 */
struct rm_ctx {
	struct ft_tfs *t;
	struct ft_ledger *l;
	struct ft_dynev *all;
	size_t n;
	struct ft_dry *dry;
	bool ours;
};

/* The persistent ledger's objects, as the ledger holds them or as a dry run read them. */
static const struct ft_journal *objects(const struct rm_ctx *c)
{
	return c->dry ? c->dry->persistent : ft_ledger_objects(c->l);
}

/*
 * The meaning of a trigger, enough to match what ftrig wrote with what the kernel lists
 * ("traceoff if x" is listed as "traceoff:unlimited if x"; hist triggers gain vals, sort and
 * size): the command, its event target, a hist trigger's keys, and the filter.
 */
static void trigger_meaning(const char *text, char *out, size_t size)
{
	const char *filter = strstr(text, " if ");
	size_t cmd = strcspn(text, ": ");
	const char *keys = NULL;
	size_t tlen = 0, klen = 0;

	if (!strncmp(text, "enable_", 7) || !strncmp(text, "disable_", 8)) {
		const char *t = text + cmd + 1;

		tlen = strcspn(t, ":");
		if (t[tlen] == ':')
			tlen += 1 + strcspn(t + tlen + 1, ": ");
	}
	if (!strncmp(text, "hist", 4)) {
		keys = strstr(text, "keys=");
		keys = keys ? keys + 5 : (keys = strstr(text, "key=")) ? keys + 4 : NULL;
		klen = keys ? strcspn(keys, ": ") : 0;
	}
	snprintf(out, size, "%.*s|%.*s|%.*s|%s", (int)cmd, text, (int)tlen,
		 tlen ? text + cmd + 1 : "", (int)klen, keys ? keys : "", filter ? filter + 4 : "");
	if (filter && strstr(out, " [active]"))
		*strstr(out, " [active]") = '\0';
}

static bool same_trigger(const char *written, const char *listed)
{
	char a[600], b[600];

	trigger_meaning(written, a, sizeof(a));
	trigger_meaning(listed, b, sizeof(b));
	return !strcmp(a, b);
}

/* The persistent-ledger object a holder is, if ftrig made it; else NULL. */
static const struct ft_obj *holder_obj(struct rm_ctx *c, const struct ft_holder *h,
				       const struct ft_dynev *d)
{
	const struct ft_journal *j = objects(c);

	for (size_t i = 0; i < j->nobjs; i++) {
		const struct ft_obj *o = &j->objs[i];
		bool same_inst = !strcmp(o->instance, h->instance);

		if (h->kind == FT_HOLD_ENABLE && o->kind == FT_OBJ_ENABLE && same_inst &&
		    !strcmp(o->system, d->spec.group) && !strcmp(o->event, d->spec.name))
			return o;
		if ((h->kind == FT_HOLD_TRIGGER || h->kind == FT_HOLD_REF) &&
		    o->kind == FT_OBJ_TRIGGER && same_inst && !strcmp(o->system, h->system) &&
		    !strcmp(o->event, h->event) && same_trigger(o->text, h->text))
			return o;
		if (h->kind == FT_HOLD_EPROBE && o->kind == FT_OBJ_DYNEVENT &&
		    !strcmp(o->system, h->system) && !strcmp(o->event, h->event))
			return o;
	}
	return NULL;
}

/* Whether a persistent-ledger object holds @d: acts on it, names it, or is an eprobe on it. */
static bool holds(const struct ft_obj *o, const struct ft_dynev *d)
{
	bool on_it = !strcmp(o->system, d->spec.group) && !strcmp(o->event, d->spec.name);
	struct ft_probe_spec s = { 0 };
	char needle[300], err[256];
	bool attached;

	snprintf(needle, sizeof(needle), ":%s:%s", d->spec.group, d->spec.name);
	switch (o->kind) {
	case FT_OBJ_ENABLE:
	case FT_OBJ_BPF:
		return on_it;
	case FT_OBJ_TRIGGER:
		return on_it || strstr(o->text, needle);
	case FT_OBJ_DYNEVENT:
		if (o->text[0] != 'e' || ft_probe_parse_raw(o->text, &s, err, sizeof(err))) {
			ft_probe_spec_release(&s);
			return false;
		}
		attached = !strcmp(s.target, d->spec.group) && !strcmp(s.symbol, d->spec.name);
		ft_probe_spec_release(&s);
		return attached;
	default:
		return false;
	}
}

/* Undo ftrig's own holders (BPF, triggers, enables, attached eprobes) in the ledger's order. */
static int release_ours(struct rm_ctx *c, const struct ft_dynev *d)
{
	const struct ft_journal *j = objects(c);
	char what[1024];
	int ret = 0;

	for (int rank = 0; !ret && rank <= FT_OBJ_LAST_RANK; rank++) {
		bool again = true;

		while (!ret && again) {
			again = false;
			for (size_t i = j->nobjs; i-- > 0;) {
				const struct ft_obj *o = &j->objs[i];

				if (ft_obj_rank(o) != rank || !holds(o, d))
					continue;
				ft_obj_describe(o, what, sizeof(what));
				if (c->dry) {
					/* Nothing changes: go on with the next older one. */
					ret = ft_obj_undo_writes(o, ft_tfs_dir(c->t), &c->dry->w);
					continue;
				}
				ret = ft_ledger_undo_one(c->l, o->seq);
				if (!ret)
					printf("removed %s\n", what);
				/* the array changed under us: scan it afresh */
				again = !ret || ret == -ESTALE;
				if (ret == -ESTALE)
					ret = 0; /* replaced by somebody: left alone, said why */
				break;
			}
		}
	}
	return ret;
}

/* Name everything that keeps @d busy and is not ftrig's; 0 when all holders are ftrig's. */
static int foreign_holders(struct rm_ctx *c, const struct ft_dynev *d, bool deep)
{
	struct ft_holder *h;
	size_t nh, foreign = 0;
	char what[1024];

	if (ft_probe_holders(c->t, d->spec.group, d->spec.name, deep, c->all, c->n, &h, &nh))
		return -ENOMEM;
	for (size_t i = 0; i < nh; i++) {
		if (holder_obj(c, &h[i], d))
			continue;
		if (!foreign++)
			ft_err("%s:%s is in use by what ftrig did not create, so it stays:",
			       d->spec.group, d->spec.name);
		ft_holder_describe(&h[i], what, sizeof(what));
		ft_err("  %s", what);
	}
	free(h);
	if (foreign)
		ft_err("remove those first (or use the probe's owner's own tools), then run "
		       "'ftrig probe rm %s/%s' again",
		       d->spec.group, d->spec.name);
	return foreign ? -EBUSY : 0;
}

/* Delete the probe itself, through the ledger when it is ftrig's; EBUSY retried a while. */
static int delete_probe(struct rm_ctx *c, const struct ft_dynev *d)
{
	const struct ft_journal *j = objects(c);
	struct timespec wait = { 0, 50 * 1000 * 1000 };
	char line[300];
	int ret = -EBUSY;

	snprintf(line, sizeof(line), "-:%s/%s", d->spec.group, d->spec.name);
	for (size_t i = 0; c->dry && i < j->nobjs; i++)
		if (j->objs[i].kind == FT_OBJ_DYNEVENT &&
		    !strcmp(j->objs[i].system, d->spec.group) &&
		    !strcmp(j->objs[i].event, d->spec.name))
			return ft_obj_undo_writes(&j->objs[i], ft_tfs_dir(c->t), &c->dry->w);
	if (c->dry)
		return ft_writes_tfs(&c->dry->w, FT_WRITE_APPEND, ft_tfs_dir(c->t), NULL,
				     ft_dynev_file(c->t, d->spec.kind), line);
	for (int tries = 0; ret == -EBUSY && tries < 40; tries++) {
		unsigned seq = 0;
		bool ours = false;

		if (tries)
			nanosleep(&wait, NULL);
		for (size_t i = 0; i < j->nobjs; i++)
			if (j->objs[i].kind == FT_OBJ_DYNEVENT &&
			    !strcmp(j->objs[i].system, d->spec.group) &&
			    !strcmp(j->objs[i].event, d->spec.name))
				seq = j->objs[i].seq, ours = true;
		ret = ours ? ft_ledger_undo_one(c->l, seq) : -ESTALE;
		/*
		 * Not ftrig's (any more): removed by name only when the user named it, as any
		 * other probe; --ours leaves a probe somebody put in place of ftrig's alone.
		 */
		if (ret == -ESTALE && !c->ours)
			ret = ft_tfs_dynevent_write(c->t, ft_dynev_file(c->t, d->spec.kind), line);
	}
	return ret;
}

static int rm_one(struct rm_ctx *c, const struct ft_dynev *d)
{
	char why[1024];
	int ret;

	if (d->owner == FT_OWNER_SESSION) {
		ft_err("%s:%s belongs to the running ftrig session %d, which removes it when it "
		       "ends (stop it with 'kill %d')",
		       d->spec.group, d->spec.name, (int)d->pid, (int)d->pid);
		return -EBUSY;
	}
	ret = foreign_holders(c, d, false);
	if (ret)
		return ret;
	ret = release_ours(c, d);
	if (!ret)
		ret = delete_probe(c, d);
	if (ret == -EBUSY && !foreign_holders(c, d, true))
		ft_err("%s:%s is still in use, by something outside tracefs: a perf or BPF user "
		       "(perf record, bpftrace) or a program holding one of its files open",
		       d->spec.group, d->spec.name);
	else if (ret == -ESTALE)
		return 0; /* the guard said why it stays */
	else if (ret && ret != -EBUSY)
		ft_err("cannot remove %s:%s: %s", d->spec.group, d->spec.name,
		       ft_tfs_strerror(ret, "dynamic_events", why, sizeof(why)));
	if (!ret && !c->dry)
		printf("removed %s %s:%s\n", ft_probe_kind_name(d->spec.kind), d->spec.group,
		       d->spec.name);
	return ret;
}

/* The probes `rm` is asked for: names, a whole group, or all of ftrig's persistent ones. */
static int pick(struct rm_ctx *c, const char *group, bool ours, int argc, char **argv,
		const struct ft_dynev **out, size_t *n)
{
	int missing = 0;

	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct ft_probe_spec *s = &c->all[i].spec;

		if ((ours && c->all[i].owner == FT_OWNER_PERSISTENT) ||
		    (group && !strcmp(s->group, group) && argc == 0))
			out[(*n)++] = &c->all[i];
	}
	for (int a = 0; a < argc; a++) {
		char g[256], name[256], near[700];
		const char *sep = strpbrk(argv[a], "/:");
		struct ft_suggest sg;
		bool found = false;

		snprintf(g, sizeof(g), "%.*s", sep ? (int)(sep - argv[a]) : 0, argv[a]);
		snprintf(name, sizeof(name), "%s", sep ? sep + 1 : argv[a]);
		if (!sep)
			snprintf(g, sizeof(g), "%s", group ? group : FT_PROBE_GROUP);
		ft_suggest_init(&sg, argv[a]);
		for (size_t i = 0; i < c->n && !found; i++) {
			const struct ft_probe_spec *s = &c->all[i].spec;
			char full[520];

			found = !strcmp(s->group, g) && !strcmp(s->name, name);
			if (found)
				out[(*n)++] = &c->all[i];
			snprintf(full, sizeof(full), "%s%s%s", sep ? s->group : "", sep ? "/" : "",
				 s->name);
			ft_suggest_add(&sg, full, strlen(full));
		}
		if (!found) {
			ft_err("no probe %s/%s%s%s%s; 'ftrig probe ls --all' lists them", g, name,
			       sg.n ? "; did you mean " : "",
			       sg.n ? ft_suggest_list(&sg, near, sizeof(near)) : "",
			       sg.n ? "?" : "");
			missing++;
		}
	}
	return missing ? -ENOENT : 0;
}

/*
 * --ours: records of probes the kernel does not have (an add killed between its record and
 * its write, or a probe removed by hand, or replaced by somebody's of the same name, which
 * the ledger's guard leaves alone) are retired too, so that the journal holds no more than
 * the kernel. The persistent journal's lock keeps any add from being half way now.
 * Synthetic events are not probes; `trigger rm --ours` removes them.
 */
static void retire_missing(struct rm_ctx *c)
{
	const struct ft_journal *j = ft_ledger_objects(c->l);

	for (size_t i = j->nobjs; i-- > 0;) {
		const struct ft_obj *o = &j->objs[i];
		bool listed = false;

		if (o->kind != FT_OBJ_DYNEVENT || !strcmp(o->system, "synthetic"))
			continue;
		for (size_t k = 0; k < c->n && !listed; k++)
			listed = !strcmp(c->all[k].spec.group, o->system) &&
				 !strcmp(c->all[k].spec.name, o->event) &&
				 ft_guard_probe_is(o->text, &c->all[k].spec);
		/* Retiring shifts only the objects above i: the walk down goes on. */
		if (!listed)
			ft_ledger_undo_one(c->l, o->seq);
	}
}

static int rm_run(struct rm_ctx *c, const char *group, bool ours, int argc, char **argv)
{
	const struct ft_dynev **sel = calloc(c->n + (size_t)argc + 1, sizeof(*sel));
	size_t n = 0;
	int failed = 0;

	if (!sel)
		return FT_EXIT_ERR;
	if (pick(c, group, ours, argc, argv, sel, &n)) {
		free(sel);
		return FT_EXIT_ERR;
	}
	if (!n)
		printf("%sno probes to remove\n", c->dry ? "# " : "");
	/* Event probes first: one may be attached to another probe of the same set. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++)
			if ((sel[i]->spec.kind == FT_PROBE_EPROBE) == (pass == 0))
				failed += rm_one(c, sel[i]) != 0;
	free(sel);
	if (!failed && c->dry && ft_writes_print(&c->dry->w, stdout))
		failed++;
	/* A dry run changes no journal either. */
	if (ours && !c->dry)
		retire_missing(c);
	return failed ? FT_EXIT_ERR : FT_EXIT_OK;
}

static int probe_rm(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "group", required_argument, NULL, 'g' },
					      { "ours", no_argument, NULL, 'o' },
					      { "dry-run", no_argument, NULL, 'D' },
					      { NULL, 0, NULL, 0 } };
	struct rm_ctx c = { 0 };
	const char *group = NULL;
	bool ours = false, dry_run = false;
	struct ft_dry dry;
	int ch, bad = 0, ret;

	while ((ch = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (ch == 'g')
			group = optarg;
		ours |= ch == 'o';
		dry_run |= ch == 'D';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind >= argc && !group && !ours)
		return ft_usage_error(cmd, "say what to remove: NAME..., --group GROUP or --ours");
	if (ours && (group || optind < argc))
		return ft_usage_error(cmd, "--ours removes every probe ftrig added; give no names "
					   "or group with it");
	if (ft_tfs_open(&c.t))
		return FT_EXIT_ERR;
	c.ours = ours;
	ret = FT_EXIT_ERR;
	/* A dry run reads the journals without opening the ledger, which would create it. */
	c.dry = dry_run ? &dry : NULL;
	if ((dry_run ? !ft_dry_open(&dry)
		     : !ft_ledger_open_persistent(&c.l, c.t, ft_ledger_state_dir())) &&
	    !ft_dynev_list(c.t, ft_ledger_state_dir(), &c.all, &c.n))
		ret = rm_run(&c, group, ours, argc - optind, argv + optind);
	ft_dynev_free(c.all, c.n);
	if (dry_run)
		ft_dry_close(&dry);
	ft_ledger_close(c.l);
	ft_tfs_close(c.t);
	return ret;
}

/**
 * ft_cmd_probe() - the `probe` subcommand: add, ls, rm
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments; argv[1] is add, ls or rm
 *
 * Return: an FT_EXIT_* status.
 */
int ft_cmd_probe(const struct ft_cmd *cmd, int argc, char **argv)
{
	if (argc < 2)
		return ft_usage_error(cmd, "say what to do: add, ls or rm");
	optind = 0;
	if (!strcmp(argv[1], "add"))
		return probe_add(cmd, argc - 1, argv + 1);
	if (!strcmp(argv[1], "ls") || !strcmp(argv[1], "list"))
		return probe_ls(cmd, argc - 1, argv + 1);
	if (!strcmp(argv[1], "rm") || !strcmp(argv[1], "remove"))
		return probe_rm(cmd, argc - 1, argv + 1);
	return ft_usage_error(cmd, "no 'probe %s'; the probe commands are add, ls and rm", argv[1]);
}
