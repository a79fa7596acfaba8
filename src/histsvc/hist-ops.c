// SPDX-License-Identifier: GPL-2.0-only
/*
 * The service's hist-trigger backend on the kernel: src/triggers/ (and kread.c's hist
 * source) as struct ft_histsvc_hist, beside the BPF backend's table (bpf-ops.c). The service
 * calls down into the trigger and latency code only through it, so a unit test can hand it
 * another table and stand in for the kernel's hist triggers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dryrun.h"
#include "hist/spec.h"
#include "histsvc/histsvc.h"
#include "log.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "triggers/from-spec.h"
#include "triggers/latency.h"
#include "triggers/parse.h"
#include "triggers/print.h"
#include "triggers/validate.h"
#include "writes.h"

/* Whether the event of @c can take @spec's hist trigger (or, with the end event @end, a
 * latency's four writes). */
static int check(struct ft_trig_ctx *c, struct ft_trig_ctx *end, const struct ft_hist_spec *spec,
		 char *why, size_t size)
{
	struct ft_trig_error err = { 0 };
	struct ft_trigger trig;
	int ret;

	if (spec->end_event)
		return end && ft_latency_can(end, spec, why, size) ? 0 : -EINVAL;
	ret = ft_trigger_from_hist_spec(spec, &trig);
	if (ret) {
		snprintf(why, size, "it cannot be written as one hist trigger");
		return ret;
	}
	ret = ft_trigger_validate(&trig, &c->env, &err);
	if (ret)
		snprintf(why, size, "%s", err.msg);
	ft_trigger_release(&trig);
	return ret;
}

/* The hist trigger of @spec on the event of @c, journaled in @l; a latency's four writes,
 * with its end event @end. */
static int start(struct ft_trig_ctx *c, struct ft_trig_ctx *end, struct ft_ledger *l,
		 const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out)
{
	struct ft_trigger trig;
	char *text;
	int ret;

	if (spec->end_event)
		return end ? ft_latency_start(c, end, l, spec, dry, out) : -ENOENT;
	ret = ft_trigger_from_hist_spec(spec, &trig);
	if (ret) {
		ft_err("%s: cannot express this histogram as one hist trigger", c->name);
		return ret;
	}
	text = ft_trigger_format(&trig);
	ft_trigger_release(&trig);
	if (!text)
		return -ENOMEM;
	ret = ft_trigger_add(c, l, text, dry, out);
	free(text);
	return ret;
}

static int list(struct ft_tfs *t, const char *instance, const char *event, struct ft_listed **v,
		size_t *n)
{
	return ft_trigger_list(t, instance, event, false, v, n);
}

/*
 * pause, cont or clear: the listed form written back with the flag, which the kernel
 * applies to the hist trigger that matches (it creates nothing: not journaled).
 */
static int control(struct ft_trig_ctx *c, const char *listed, enum ft_hist_op op,
		   struct ft_dry *dry, FILE *out)
{
	static const char *const verbs[] = { "paused", "continued", "cleared" };
	struct ft_trigger t;
	char *text;
	int ret = ft_trigger_parse(listed, &t, NULL);

	if (ret || op == FT_HIST_RM) {
		ft_trigger_release(&t);
		return ret ? ret : -EINVAL;
	}
	t.hist.pause = op == FT_HIST_PAUSE;
	t.hist.cont = op == FT_HIST_CONT;
	t.hist.clear = op == FT_HIST_CLEAR;
	text = ft_trigger_format(&t);
	ft_trigger_release(&t);
	if (!text)
		return -ENOMEM;
	if (dry) {
		char rel[300];

		snprintf(rel, sizeof(rel), "events/%s/%s/trigger", c->system, c->event);
		ret = ft_writes_tfs(&dry->w, FT_WRITE_APPEND, ft_tfs_dir(c->tfs), c->instance, rel,
				    text);
		free(text);
		return ret;
	}
	ret = ft_tfs_trigger_write(c->tfs, c->instance, c->system, c->event, text, false);
	if (ret)
		ft_err("%s: cannot write '%s': %s", c->name, text, strerror(-ret));
	else
		fprintf(out, "%s '%s' on %s\n", verbs[op], listed, c->name);
	free(text);
	return ret;
}

/* Whether @text is a hist trigger, of the name @name when not NULL. */
static bool is_hist(const char *text, const char *name)
{
	struct ft_trigger t;
	bool match = false;

	if (!ft_trigger_parse(text, &t, NULL) && t.cmd == FT_TRIG_HIST)
		match = !name || (t.hist.name && !strcmp(t.hist.name, name));
	ft_trigger_release(&t);
	return match;
}

static const struct ft_histsvc_hist kernel_hist = {
	.open = ft_trig_ctx_open,
	.close = ft_trig_ctx_close,
	.check = check,
	.start = start,
	.list = list,
	.list_free = ft_listed_free,
	.is_hist = is_hist,
	.control = control,
	.remove = ft_trigger_remove,
	.latency_find = ft_latency_find,
	.latency_rm = ft_latency_rm,
	.source = ft_hist_source_alloc,
};

/**
 * ft_histsvc_hist_kernel() - the hist-trigger backend that writes into this kernel
 *
 * Return: the table (static).
 */
const struct ft_histsvc_hist *ft_histsvc_hist_kernel(void)
{
	return &kernel_hist;
}
