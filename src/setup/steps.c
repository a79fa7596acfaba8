// SPDX-License-Identifier: GPL-2.0-only
/*
 * The step table of setup files: per kind of line, how it is checked and made (or, for a dry
 * run, what it would write), whether what it makes is journaled, and how to tell that a
 * setting is in place. Command lines run the core functions their commands run (probe add,
 * trigger add, hist start), with the line's own journal passed down, so one grammar and one
 * validator serve both.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hist/spec.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "probes/add.h"
#include "serve/export.h"
#include "setup/steps.h"
#include "tfs.h"
#include "triggers/add.h"
#include "triggers/apply.h"
#include "histsvc/histsvc.h"
#include "util.h"
#include "writes.h"

static const char *last_word(const struct ft_setup_line *l)
{
	return l->argv[l->argc - 1];
}

static int instance_run(struct ft_setup_exec *x)
{
	const char *inst = x->s->instance;
	int ret;

	if (x->dry)
		return ft_writes_tfs(x->dry, FT_WRITE_MKDIR, ft_tfs_dir(x->t), inst, "", NULL);
	ret = ft_ledger_instance_create(x->led, inst);
	if (ret)
		ft_err("cannot create instance %s: %s", inst, strerror(-ret));
	else
		fprintf(x->out, "created instance %s\n", inst);
	return ret;
}

static bool instance_there(struct ft_tfs *t, const struct ft_setup *s,
			   const struct ft_setup_line *l)
{
	return ft_tfs_instance_exists(t, s->instance);
}

static int buffer_run(struct ft_setup_exec *x)
{
	const char *inst = x->s->instance;
	char kb[32];
	int ret;

	snprintf(kb, sizeof(kb), "%lu", x->s->buffer_kb);
	if (x->dry)
		return ft_writes_tfs(x->dry, FT_WRITE_SET, ft_tfs_dir(x->t), inst, "buffer_size_kb",
				     kb);
	ret = ft_tfs_instance_set(x->t, inst, "buffer_size_kb", kb);
	if (ret)
		ft_err("cannot set the buffer size of instance %s to %s KB: %s", inst, kb,
		       strerror(-ret));
	else
		fprintf(x->out, "set the buffer of instance %s to %s KB per CPU\n", inst, kb);
	return ret;
}

static bool buffer_there(struct ft_tfs *t, const struct ft_setup *s, const struct ft_setup_line *l)
{
	char *cur = ft_tfs_read(t, s->instance, "buffer_size_kb", NULL);
	unsigned long have = cur ? strtoul(cur, NULL, 10) : 0;

	free(cur);
	/* The kernel rounds the size up to whole pages (1024 reads back as 1027). */
	return have >= s->buffer_kb && have - s->buffer_kb < 64;
}

/* dump-dir: a directory, made with its parents; anything else there is an error. */
static int make_dump_dir(const char *dir, FILE *out)
{
	struct stat st;
	int ret = ft_mkdir_p(dir, 0755);

	if (!ret && (stat(dir, &st) ? (ret = -errno) : !S_ISDIR(st.st_mode)))
		ret = -ENOTDIR;
	if (ret)
		ft_err("cannot make the dump directory %s: %s", dir, strerror(-ret));
	else
		fprintf(out, "made the dump directory %s\n", dir);
	return ret;
}

static int dumpdir_run(struct ft_setup_exec *x)
{
	const char *dir = last_word(x->l);
	char why[PATH_MAX + 200];
	bool there;
	int ret = ft_setup_dump_dir_check(dir, &there, why, sizeof(why));

	if (ret) {
		ft_err("%s:%u: dump-dir %s cannot be made: %s", x->s->path, x->l->lineno, dir, why);
		return ret;
	}
	return x->dry ? ft_writes_add(x->dry, FT_WRITE_MKDIR_P, dir, NULL)
		      : make_dump_dir(dir, x->out);
}

static bool dumpdir_there(struct ft_tfs *t, const struct ft_setup *s, const struct ft_setup_line *l)
{
	bool there;

	/* A directory that cannot hold dumps (/proc) is not "there": apply refuses it. */
	return !ft_setup_dump_dir_check(last_word(l), &there, NULL, 0) && there;
}

static int synth_run(struct ft_setup_exec *x)
{
	return ft_synth_define(x->t, x->led, last_word(x->l), x->dry, x->out);
}

/* enable [--instance I] SYSTEM:EVENT: the instance it names, else the file's. */
static const char *enable_instance(const struct ft_setup *s, const struct ft_setup_line *l)
{
	return l->argc == 4 ? l->argv[2] : s->instance;
}

static int enable_run(struct ft_setup_exec *x)
{
	const char *inst = enable_instance(x->s, x->l), *spec = last_word(x->l);
	char sys[128] = "", ev[128] = "", rel[300];
	int ret;

	if (ft_event_split_copy(spec, sys, sizeof(sys), ev, sizeof(ev)) ||
	    !ft_tfs_event_exists(x->t, inst, sys, ev, "enable")) {
		ft_err("no event %s in %s; 'ftrig list events' shows them", spec,
		       inst ? inst : "the top level");
		return -ENOENT;
	}
	if (x->dry) {
		snprintf(rel, sizeof(rel), "events/%s/%s/enable", sys, ev);
		return ft_writes_tfs(x->dry, FT_WRITE_SET, ft_tfs_dir(x->t), inst, rel, "1");
	}
	ret = ft_ledger_event_enable(x->led, inst, sys, ev);
	if (ret)
		ft_err("cannot enable %s: %s", spec, strerror(-ret));
	else
		fprintf(x->out, "enabled %s in %s\n", spec, inst ? inst : "the top level");
	return ret;
}

static bool enable_there(struct ft_tfs *t, const struct ft_setup *s, const struct ft_setup_line *l)
{
	char sys[128], ev[128], *cur;
	bool on;

	if (ft_event_split_copy(last_word(l), sys, sizeof(sys), ev, sizeof(ev)))
		return false;
	cur = ft_tfs_event_read(t, enable_instance(s, l), sys, ev, "enable", NULL);
	on = cur && cur[0] == '1';
	free(cur);
	return on;
}

/*
 * The words a command line runs with (the file's instance added), as copies: the parsers
 * permute their argv and may split words in place. Free with free_words().
 */
static char **copy_words(const struct ft_setup_exec *x, int *argc)
{
	char **v = ft_setup_exec_argv(x->s, x->l, argc), **own;
	int n = 0;

	own = v ? calloc((size_t)*argc + 1, sizeof(*own)) : NULL;
	for (; own && n < *argc && (own[n] = strdup(v[n])); n++)
		;
	free(v);
	if (own && n < *argc) {
		while (n-- > 0)
			free(own[n]);
		free(own);
		own = NULL;
	}
	return own;
}

static void free_words(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static int probe_run(struct ft_setup_exec *x)
{
	struct ft_probe_add_opts o;
	int argc, ret;
	char **v = copy_words(x, &argc);

	if (!v)
		return -ENOMEM;
	/* v[0] is "probe": the grammar starts at the verb. */
	ret = ft_probe_add_parse(argc - 1, v + 1, &o, x->why, sizeof(x->why));
	if (!ret)
		ret = ft_probe_add(x->t, x->led, &o, x->dry, x->out, x->made, sizeof(x->made));
	free(o.text);
	free_words(v);
	return ret;
}

static int hist_start_run(struct ft_setup_exec *x, int argc, char **argv)
{
	struct ft_hist_spec spec;
	struct ft_histsvc svc;
	char err[256];

	/* The spec's words: those after "hist start", as `hist start` hands them on. */
	if (ft_hist_spec_parse(argc, argv, &spec, err, sizeof(err))) {
		snprintf(x->why, sizeof(x->why), "%s", err);
		return -EINVAL;
	}
	ft_histsvc_init(&svc, x->t, x->led, NULL);
	/* the spec parser took only auto, hist, bpf or both */
	return ft_histsvc_start(&svc, &spec, (enum ft_backend)ft_backend_lookup(spec.backend),
				x->dry, x->out);
}

/* trigger add ..., or hist start ... (either backend). */
static int trigger_run(struct ft_setup_exec *x)
{
	struct ft_trigger_add_opts o;
	int argc, ret;
	char **v = copy_words(x, &argc);

	if (!v)
		return -ENOMEM;
	if (!strcmp(v[0], "hist")) {
		ret = hist_start_run(x, argc - 2, v + 2);
	} else {
		ret = ft_trigger_add_parse(argc - 1, v + 1, &o, x->why, sizeof(x->why));
		if (!ret)
			ret = ft_trigger_add_opts_run(x->t, x->led, &o, x->dry, x->out);
	}
	free_words(v);
	return ret;
}

/*
 * export SYSTEM:EVENT: a record in the line's journal for `ftrig serve`, nothing in the
 * kernel. The event must exist where it is exported (its aggregations may come later).
 */
static int export_run(struct ft_setup_exec *x)
{
	struct ft_export e;
	int argc, ret;
	char **v = ft_setup_exec_argv(x->s, x->l, &argc);

	if (!v)
		return -ENOMEM;
	ret = ft_export_parse(argc, v, &e, x->why, sizeof(x->why));
	free(v);
	if (ret)
		return ret;
	if (!ft_tfs_event_exists(x->t, *e.instance ? e.instance : NULL, e.system, e.event, NULL)) {
		ft_err("%s:%u: no event %s:%s to export; 'ftrig list events' shows them",
		       x->s->path, x->l->lineno, e.system, e.event);
		return -ENOENT;
	}
	if (x->dry)
		return 0; /* serve reads the record; the kernel sees nothing */
	ret = ft_ledger_export_add(x->led, e.instance, e.system, e.event, e.limit);
	if (ret)
		ft_err("cannot record the export of %s:%s: %s", e.system, e.event, strerror(-ret));
	else
		fprintf(x->out, "exporting %s:%s (%s) to ftrig serve\n", e.system, e.event,
			*e.instance ? e.instance : "top level");
	return ret;
}

static const struct ft_setup_step steps[FT_SETUP_NKINDS] = {
	[FT_SETUP_INSTANCE] = { FT_SETUP_INSTANCE, true, instance_run, instance_there },
	[FT_SETUP_BUFFER] = { FT_SETUP_BUFFER, false, buffer_run, buffer_there },
	[FT_SETUP_DUMPDIR] = { FT_SETUP_DUMPDIR, false, dumpdir_run, dumpdir_there },
	[FT_SETUP_PROBE] = { FT_SETUP_PROBE, true, probe_run, NULL },
	[FT_SETUP_SYNTH] = { FT_SETUP_SYNTH, true, synth_run, NULL },
	[FT_SETUP_ENABLE] = { FT_SETUP_ENABLE, true, enable_run, enable_there },
	[FT_SETUP_TRIGGER] = { FT_SETUP_TRIGGER, true, trigger_run, NULL },
	[FT_SETUP_BPF] = { FT_SETUP_BPF, true, trigger_run, NULL },
	[FT_SETUP_EXPORT] = { FT_SETUP_EXPORT, true, export_run, NULL },
};

/**
 * ft_setup_step() - the step table's row for a kind of line
 * @kind: the kind
 *
 * Return: the row (static), or NULL for a kind out of range.
 */
const struct ft_setup_step *ft_setup_step(enum ft_setup_kind kind)
{
	return kind < FT_SETUP_NKINDS ? &steps[kind] : NULL;
}
