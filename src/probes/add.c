// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe add below the command: its words, the checks before anything is written (the
 * kernel's abilities, an eprobe's event and fields, a uprobe's binary and symbol), the write
 * through a ledger the caller names, and the kernel's refusal told against the user's words.
 * `probe add` and setup files' probe lines both run it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "kfeat.h"
#include "ledger.h"
#include "log.h"
#include "opts.h"
#include "probes/add.h"
#include "probes/dynev.h"
#include "probes/listing.h"
#include "suggest.h"
#include "tfs.h"
#include "util.h"
#include "writes.h"

#define ERRSZ 1024

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

/**
 * ft_probe_kernel_support() - whether the kernel makes this kind of probe
 * @t: tracefs
 * @kind: the kind
 *
 * Return: 0, or -ENOTSUP after saying what the kernel lacks (which option gives it) and what
 * works instead.
 */
int ft_probe_kernel_support(struct ft_tfs *t, enum ft_probe_kind kind)
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

/**
 * ft_probe_add_prepare() - check and complete a probe before anything is written
 * @t: tracefs
 * @o: what was asked
 * @s: set to the probe, named and resolved; ft_probe_spec_release() it whatever this returns
 *
 * Return: 0, or -errno after logging what is wrong and how to fix it.
 */
int ft_probe_add_prepare(struct ft_tfs *t, const struct ft_probe_add_opts *o,
			 struct ft_probe_spec *s)
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
	ret = ft_probe_kernel_support(t, s->kind);
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

/*
 * Write the probe through @led, or through the persistent ledger when @led is NULL: opened
 * only now, so that a probe refused by the checks leaves no journal behind.
 */
static int add_write(struct ft_tfs *t, struct ft_ledger *led, const struct ft_probe_spec *s,
		     const char *line)
{
	const char *file = ft_dynev_file(t, s->kind);
	struct ft_ledger *l = led;
	char *before;
	int ret;

	if (ft_tfs_event_exists(t, NULL, s->group, s->name, NULL)) {
		explain_refusal(t, s, line, -EEXIST, NULL, file);
		return -EEXIST;
	}
	if (!l && ft_ledger_open_persistent(&l, t, ft_ledger_state_dir()))
		return -EIO;
	before = ft_tfs_error_last(t, NULL);
	ret = ft_ledger_dynevent_add(l, file, s->group, s->name, line);
	if (ret)
		explain_refusal(t, s, line, ret, before, file);
	free(before);
	if (!led)
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

/**
 * ft_probe_add_parse() - the words of `probe add` (after "add") into what was asked
 * @argc: argument count
 * @argv: arguments, argv[0] being "add"; getopt permutes them
 * @o: set to what was asked; free @o->text
 * @why: set to what is wrong with the words on -EINVAL
 * @size: size of @why
 *
 * The one grammar of `probe add`, for the command and for setup files' lines alike.
 *
 * Return: 0, -EINVAL (see @why) or -ENOMEM.
 */
int ft_probe_add_parse(int argc, char **argv, struct ft_probe_add_opts *o, char *why, size_t size)
{
	static const struct option opts[] = {
		{ "return", no_argument, NULL, 'r' },	  { "event", no_argument, NULL, 'e' },
		{ "raw", no_argument, NULL, 'R' },	  { "group", required_argument, NULL, 'g' },
		{ "name", required_argument, NULL, 'n' }, { "dry-run", no_argument, NULL, 'D' },
		{ "max", required_argument, NULL, 'M' },  { NULL, 0, NULL, 0 }
	};
	const char *max = NULL;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = ft_getopt_why("probe", argc, argv, opts, why, size)) != -1) {
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
		else if (c == 'M')
			max = optarg;
	}
	if (why[0])
		return -EINVAL;
	if (max && ((o->max = (unsigned)strtoul(max, &end, 10)) < 1 || *end || o->max > 100000))
		return snprintf(why, size, "--max takes a number of probes, 1 to 100000, not '%s'",
				max),
		       -EINVAL;
	if (optind >= argc)
		return snprintf(why, size,
				"say what to probe: 'ftrig probe add do_sys_openat2', "
				"'ftrig probe add /bin/bash:readline'"),
		       -EINVAL;
	if (o->raw && o->kind != FT_PROBE_KPROBE)
		return snprintf(why, size,
				"--raw takes the kernel's syntax, where the kind is the "
				"first letter (p, r, e); drop -r/-e"),
		       -EINVAL;
	o->text = join_args(argc, argv, optind);
	if (o->text && !o->raw && o->name && ft_probe_text_is_glob(o->text)) {
		snprintf(why, size,
			 "a glob makes one probe per function, each named after it: --name names "
			 "one "
			 "probe; drop it (-g puts them in another group)");
		free(o->text);
		o->text = NULL;
		return -EINVAL;
	}
	return o->text ? 0 : -ENOMEM;
}

/**
 * ft_probe_add() - `probe add`: check a probe, then write it or, for a dry run, its write
 * @t: tracefs
 * @l: the ledger that journals the probe (a setup line's); NULL for the persistent ledger,
 *     opened once the checks have passed. Unused for a dry run.
 * @o: what was asked (ft_probe_add_parse())
 * @dry: for a dry run, where the write goes (nothing is written); NULL to write
 * @out: where to say what was added, or NULL
 * @made: set to the probe's event, "GROUP/NAME" (a setup file's later lines may name it);
 *        NULL when not wanted
 * @size: size of @made
 *
 * Return: 0, or -errno after logging what is wrong and how to fix it.
 */
int ft_probe_add(struct ft_tfs *t, struct ft_ledger *l, const struct ft_probe_add_opts *o,
		 struct ft_writes *dry, FILE *out, char *made, size_t size)
{
	struct ft_probe_spec s = { 0 };
	char *line = NULL;
	int ret;

	if (!o->raw && ft_probe_text_is_glob(o->text)) {
		ft_err("a glob of functions ('%s') cannot be a setup file's line yet: name the "
		       "functions one per line ('ftrig probe add' takes the glob)",
		       o->text);
		return -EINVAL;
	}
	ret = ft_probe_add_prepare(t, o, &s);

	if (!ret && !(line = ft_probe_format(&s)))
		ret = -errno;
	if (!ret && made)
		snprintf(made, size, "%s/%s", s.group, s.name);
	if (!ret)
		ret = dry ? dry_add(t, &s, line, dry) : add_write(t, l, &s, line);
	if (!ret && !dry && out)
		fprintf(out, "added %s %s:%s: %s\n", ft_probe_kind_name(s.kind), s.group, s.name,
			line);
	free(line);
	ft_probe_spec_release(&s);
	return ret;
}
