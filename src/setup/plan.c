// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plans of setup files as data. A plan holds, per line in apply's order, the exact writes
 * apply would make; `plan` prints it. For a line that names what an earlier line creates
 * (the file's instance, a probe, a synthetic event), the kernel cannot check it yet, but its
 * writes are known from its words: ft_setup_line_writes() derives them without the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "hist/spec.h"
#include "json.h"
#include "names.h"
#include "setup/plan.h"
#include "triggers/latency.h"
#include "triggers/from-spec.h"
#include "triggers/print.h"

/**
 * ft_plan_step_add() - append a step for a line
 * @p: the plan
 * @line: the line's index
 *
 * Return: the new step (zeroed but for @line, state FT_PLAN_MAKE), or NULL (ENOMEM).
 */
struct ft_plan_step *ft_plan_step_add(struct ft_plan *p, size_t line)
{
	struct ft_plan_step *nv = realloc(p->steps, (p->nsteps + 1) * sizeof(*nv));

	if (!nv)
		return NULL;
	p->steps = nv;
	nv[p->nsteps] = (struct ft_plan_step){ .line = line, .state = FT_PLAN_MAKE };
	return &nv[p->nsteps++];
}

/**
 * ft_plan_extra_add() - append a line that is gone from the file
 * @p: the plan
 * @key: its words
 *
 * Return: the list to put its removal writes in, or NULL (ENOMEM).
 */
struct ft_writes *ft_plan_extra_add(struct ft_plan *p, const char *key)
{
	struct ft_plan_extra *nv = realloc(p->extra, (p->nextra + 1) * sizeof(*nv));

	if (!nv)
		return NULL;
	p->extra = nv;
	nv[p->nextra] = (struct ft_plan_extra){ .key = strdup(key) };
	if (!nv[p->nextra].key)
		return NULL;
	return &nv[p->nextra++].w;
}

/**
 * ft_plan_print() - a plan as `plan` prints it: each line as a comment, then its writes
 * @p: the plan
 * @s: the file
 * @f: the stream
 *
 * Return: 0, -ENOMEM or -EIO.
 */
int ft_plan_print(const struct ft_plan *p, const struct ft_setup *s, FILE *f)
{
	int ret = 0;

	for (size_t k = 0; k < p->nsteps && !ret; k++) {
		const struct ft_plan_step *st = &p->steps[k];
		const struct ft_setup_line *l = &s->lines[st->line];

		fprintf(f, "# %s:%u: %s%s\n", s->path, l->lineno, l->key,
			st->state == FT_PLAN_THERE ? " (already applied: nothing to do)" : "");
		if (st->state == FT_PLAN_REDO)
			fprintf(f, "#   partly there: apply removes the rest and makes it again\n");
		if (st->deferred)
			fprintf(f,
				"#   uses what an earlier line creates: checked once that exists, "
				"before this line writes anything\n");
		if (st->unknown)
			fprintf(f, "#   %s\n", st->unknown);
		ret = ft_writes_print(&st->w, f);
	}
	for (size_t k = 0; k < p->nextra && !ret; k++) {
		fprintf(f, "# no longer in %s: %s\n", s->path, p->extra[k].key);
		ret = ft_writes_print(&p->extra[k].w, f);
	}
	return ret ? ret : ferror(f) ? -EIO : 0;
}

/**
 * ft_plan_json() - a plan as `plan --json` prints it (schema: ftrig(1), JSON OUTPUT)
 * @p: the plan
 * @s: the file
 * @refused: the index of the line the dry run refused, or -1
 * @f: the stream
 *
 * One document: {"format": "ftrig-plan", "version": 1, "file", "lines": [...], "removed":
 * [...], "refused": LINE or null}; each line {"line", "text", "state": "make", "there" or
 * "redo", "deferred", "note" (or null), "writes": [...]}, each removed line {"text",
 * "writes"}.
 *
 * Return: 0, -ENOMEM or -EIO.
 */
int ft_plan_json(const struct ft_plan *p, const struct ft_setup *s, ssize_t refused, FILE *f)
{
	static const char *const state[] = {
		[FT_PLAN_MAKE] = "make", [FT_PLAN_THERE] = "there", [FT_PLAN_REDO] = "redo"
	};
	struct ft_json j;
	int ret = 0;

	ft_json_init(&j, f, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_str(&j, "format", "ftrig-plan");
	ft_json_int(&j, "version", FT_REPORT_JSON_VERSION);
	ft_json_str(&j, "file", s->path);
	ft_json_begin_arr(&j, "lines");
	for (size_t k = 0; k < p->nsteps; k++) {
		const struct ft_plan_step *st = &p->steps[k];

		ft_json_begin_obj(&j, NULL);
		ft_json_uint(&j, "line", s->lines[st->line].lineno);
		ft_json_str(&j, "text", s->lines[st->line].key);
		ft_json_str(&j, "state", state[st->state]);
		ft_json_bool(&j, "deferred", st->deferred);
		if (st->unknown)
			ft_json_str(&j, "note", st->unknown);
		else
			ft_json_null(&j, "note");
		ret = ret ? ret : ft_writes_json(&j, "writes", &st->w);
		ft_json_end(&j, '}');
	}
	ft_json_end(&j, ']');
	ft_json_begin_arr(&j, "removed");
	for (size_t k = 0; k < p->nextra; k++) {
		ft_json_begin_obj(&j, NULL);
		ft_json_str(&j, "text", p->extra[k].key);
		ret = ret ? ret : ft_writes_json(&j, "writes", &p->extra[k].w);
		ft_json_end(&j, '}');
	}
	ft_json_end(&j, ']');
	if (refused >= 0)
		ft_json_uint(&j, "refused", s->lines[refused].lineno);
	else
		ft_json_null(&j, "refused");
	ft_json_end(&j, '}');
	return ret ? ret : ferror(f) ? -EIO : 0;
}

/**
 * ft_plan_release() - free what a plan holds
 * @p: the plan
 */
void ft_plan_release(struct ft_plan *p)
{
	for (size_t k = 0; k < p->nsteps; k++)
		ft_writes_release(&p->steps[k].w);
	for (size_t k = 0; k < p->nextra; k++) {
		free(p->extra[k].key);
		ft_writes_release(&p->extra[k].w);
	}
	free(p->steps);
	free(p->extra);
	memset(p, 0, sizeof(*p));
}

/**
 * ft_writes_into_instance() - move writes to top-level event files into an instance
 * @w: the writes (checked at the top level, since every instance has its events)
 * @dir: the tracing directory
 * @inst: the instance
 *
 * Return: 0 or -ENOMEM.
 */
int ft_writes_into_instance(struct ft_writes *w, const char *dir, const char *inst)
{
	size_t n = strlen(dir);

	for (size_t i = 0; i < w->n; i++) {
		char *p = w->v[i].path, *np;

		if (strncmp(p, dir, n) || strncmp(p + n, "/events/", 8))
			continue;
		if (asprintf(&np, "%s/instances/%s%s", dir, inst, p + n) < 0)
			return -ENOMEM;
		free(p);
		w->v[i].path = np;
	}
	return 0;
}

/* The value of option @name in @argv (--name V or --name=V), or NULL. */
static const char *opt_value(int argc, char *const *argv, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], name) && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	}
	return NULL;
}

/* trigger add [--instance I] [--synth DEF] EVENT SPEC: the operands after the options. */
static int trigger_writes(int argc, char *const *argv, const char *dir, struct ft_writes *w)
{
	const char *inst = opt_value(argc, argv, "--instance"), *synth, *ops[2], *ev;
	char rel[300], *def = NULL;
	int n = 0, ret = 0;
	size_t syslen;

	synth = opt_value(argc, argv, "--synth");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--instance") || !strcmp(argv[i], "--synth"))
			i++;
		else if (strncmp(argv[i], "--", 2) && n < 2)
			ops[n++] = argv[i];
	}
	if (n != 2 || ft_event_split(ops[0], &syslen, &ev))
		return -EINVAL;
	if (synth) {
		ret = asprintf(&def, "s:%s", synth) < 0 ? -ENOMEM : 0;
		if (!ret)
			ret = ft_writes_tfs(w, FT_WRITE_APPEND, dir, NULL, "dynamic_events", def);
		free(def);
	}
	snprintf(rel, sizeof(rel), "events/%.*s/%s/trigger", (int)syslen, ops[0], ev);
	return ret ? ret : ft_writes_tfs(w, FT_WRITE_APPEND, dir, inst, rel, ops[1]);
}

/* hist start --latency on hist triggers: the synthetic event and its three triggers, as
 * ft_latency_start() writes them. */
static int latency_writes(const struct ft_hist_spec *spec, const char *dir, struct ft_writes *w,
			  const char **unknown)
{
	char rel[3][300], err[300], *def = NULL;
	struct ft_latency lat;
	int ret;

	/* Keys on the end event's fields need their types, from its format: known once the
	 * line is made. */
	if (ft_latency_make(spec, NULL, &lat, err, sizeof(err))) {
		*unknown = "a latency's keys take their types from the end event's format, read "
			   "when the line is made";
		return 0;
	}
	snprintf(rel[0], sizeof(rel[0]), "events/%s/%s/trigger", spec->system, spec->event);
	snprintf(rel[1], sizeof(rel[1]), "events/%s/%s/trigger", spec->end_system, spec->end_event);
	snprintf(rel[2], sizeof(rel[2]), "events/synthetic/%s/trigger", lat.synth);
	ret = asprintf(&def, "s:%s", lat.def) < 0 ? -ENOMEM : 0;
	if (!ret)
		ret = ft_writes_tfs(w, FT_WRITE_APPEND, dir, NULL, "dynamic_events", def);
	if (!ret)
		ret = ft_writes_tfs(w, FT_WRITE_APPEND, dir, spec->instance, rel[0], lat.start);
	if (!ret)
		ret = ft_writes_tfs(w, FT_WRITE_APPEND, dir, spec->instance, rel[1], lat.end);
	if (!ret)
		ret = ft_writes_tfs(w, FT_WRITE_APPEND, dir, spec->instance, rel[2], lat.hist);
	free(def);
	ft_latency_release(&lat);
	return ret;
}

/* hist start ...: its hist trigger, or BPF pin, as ft_histsvc_start() would make it. */
static int hist_writes(int argc, char *const *argv, const char *dir, bool hist_triggers,
		       struct ft_writes *w, const char **unknown)
{
	struct ft_hist_spec *spec = calloc(1, sizeof(*spec));
	char **words = calloc((size_t)argc + 1, sizeof(*words)), err[256], rel[300], pin[512];
	const char *b;
	struct ft_trigger t;
	int n = 0, ret;

	for (int i = 2; words && i < argc; i++)
		words[n++] = argv[i];
	ret = spec && words ? ft_hist_spec_parse(n, words, spec, err, sizeof(err)) : -ENOMEM;
	if (ret)
		goto out;
	b = spec->backend ? spec->backend : "auto";
	if (strpbrk(spec->event, "*?[") || spec->nmore) {
		*unknown = "the events it counts are known once the earlier lines are made";
		goto out;
	}
	if (spec->end_event &&
	    (!strcmp(b, "hist") || !strcmp(b, "both") || (!strcmp(b, "auto") && hist_triggers))) {
		ret = latency_writes(spec, dir, w, unknown);
	} else if (!strcmp(b, "hist") || !strcmp(b, "both") ||
		   (!strcmp(b, "auto") && hist_triggers)) {
		ret = ft_trigger_from_hist_spec(spec, &t);
		if (!ret) {
			char *text = ft_trigger_format(&t);

			snprintf(rel, sizeof(rel), "events/%s/%s/trigger", spec->system,
				 spec->event);
			ret = text ? ft_writes_tfs(w, FT_WRITE_APPEND, dir, spec->instance, rel,
						   text)
				   : -ENOMEM;
			free(text);
			ft_trigger_release(&t);
		}
	}
	if (!ret && strcmp(b, "hist") && (strcmp(b, "auto") || !hist_triggers)) {
		char name[300], what[300];

		snprintf(name, sizeof(name), "%s%s%s", spec->name ? spec->name : spec->system,
			 spec->name ? "" : "-", spec->name ? "" : spec->event);
		snprintf(what, sizeof(what), "the BPF aggregator on %s:%s", spec->system,
			 spec->event);
		ret = ft_bpf_pin_dir(name, pin, sizeof(pin));
		if (!ret)
			ret = ft_writes_add(w, FT_WRITE_BPF_PIN, pin, what);
	}
out:
	free(words);
	free(spec);
	return ret;
}

/**
 * ft_setup_line_writes() - the writes of a line, from its words alone
 * @s: the file
 * @l: the line
 * @dir: the tracing directory
 * @hist_triggers: the kernel has hist triggers (where `hist start` would use them)
 * @w: where the writes go
 * @unknown: set to why the writes cannot be known yet (a probe's definition needs its
 *           target), else left alone
 *
 * For lines that name what an earlier line of the file creates, which the kernel cannot
 * check yet: the writes are what apply makes once the checks pass.
 *
 * Return: 0, -EINVAL (the line does not parse), -ENOMEM.
 */
int ft_setup_line_writes(const struct ft_setup *s, const struct ft_setup_line *l, const char *dir,
			 bool hist_triggers, struct ft_writes *w, const char **unknown)
{
	const char *inst = s->instance, *last = l->argv[l->argc - 1], *ev;
	char rel[300], kb[32], *def = NULL;
	int argc, ret = 0;
	size_t syslen;
	char **argv;

	switch (l->kind) {
	case FT_SETUP_INSTANCE:
		return ft_writes_tfs(w, FT_WRITE_MKDIR, dir, inst, "", NULL);
	case FT_SETUP_BUFFER:
		snprintf(kb, sizeof(kb), "%lu", s->buffer_kb);
		return ft_writes_tfs(w, FT_WRITE_SET, dir, inst, "buffer_size_kb", kb);
	case FT_SETUP_DUMPDIR:
		return ft_writes_add(w, FT_WRITE_MKDIR_P, last, NULL);
	case FT_SETUP_SYNTH:
		ret = asprintf(&def, "s:%s", last) < 0 ? -ENOMEM : 0;
		if (!ret)
			ret = ft_writes_tfs(w, FT_WRITE_APPEND, dir, NULL, "dynamic_events", def);
		free(def);
		return ret;
	case FT_SETUP_ENABLE:
		if (l->argc == 4)
			inst = l->argv[2];
		if (ft_event_split(last, &syslen, &ev))
			return -EINVAL;
		snprintf(rel, sizeof(rel), "events/%.*s/%s/enable", (int)syslen, last, ev);
		return ft_writes_tfs(w, FT_WRITE_SET, dir, inst, rel, "1");
	case FT_SETUP_PROBE:
		*unknown = "its definition is known once what it attaches to exists";
		return 0;
	case FT_SETUP_EXPORT:
		return 0; /* a record for serve: nothing is written to the kernel */
	default:
		break;
	}
	argv = ft_setup_exec_argv(s, l, &argc);
	if (!argv)
		return -ENOMEM;
	if (!strcmp(argv[0], "trigger"))
		ret = trigger_writes(argc, argv, dir, w);
	else
		ret = hist_writes(argc, argv, dir, hist_triggers, w, unknown);
	free(argv);
	return ret;
}
