// SPDX-License-Identifier: GPL-2.0-only
/*
 * The events of one BPF aggregation checked against its plan (pure but for one ft_info()):
 * every key, value and filter name must mean the same thing in every event a glob matched,
 * or the glob is refused naming the events that differ, or (--skip-missing) those are left
 * out, saying which. ft_bpf_plan_fits() checks one event, ft_bpf_plan_fit_all() all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "bpf/plan-int.h"
#include "format.h"
#include "hist/spec.h"
#include "log.h"

/*
 * Whether @name means in @fmt what it means in the plan's first event: a field at the same
 * place, or no field of its own where the first has none either (then it is what the
 * aggregator knows by that name: "pid" is the current process). -ENOENT when one of the two
 * has the field and the other not (FIG-2, #16): *@first_lacks says which.
 */
static int same_field(const struct ft_event_format *fmt, const char *name,
		      const struct ft_bpf_num *n, bool *first_lacks, char *err, size_t errsize)
{
	const struct ft_field *f = ft_format_field(fmt, name);

	*first_lacks = false;
	if (n->src == FT_SRC_REGS) {
		int off = -1;
		char why[300];

		if (!f || !fmt->probe_def ||
		    ft_bpf_fetch_reg(fmt->probe_def, name, &off, why, sizeof(why)) ||
		    off != n->offset || f->size != n->size || f->is_signed != n->is_signed)
			return ft_bpf_plan_fail(
				err, errsize,
				"'%s' of %s:%s is not fetched from the register the first "
				"event's is; one aggregation reads one register",
				name, fmt->system, fmt->name);
		return 0;
	}
	if (!reads_record(n)) {
		if (!f || f->common || ft_bpf_is_probe_event(fmt) || n->src == FT_SRC_LAT)
			return 0;
		*first_lacks = true;
		ft_bpf_plan_fail(err, errsize, "%s:%s has a field '%s'", fmt->system, fmt->name,
				 name);
		return -ENOENT;
	}
	if (!f) {
		ft_bpf_plan_fail(err, errsize, "%s:%s has no field '%s'", fmt->system, fmt->name,
				 name);
		return -ENOENT;
	}
	if (f->offset != n->offset ||
	    (n->src == FT_SRC_FIELD && (f->size != n->size || f->is_signed != n->is_signed)))
		return ft_bpf_plan_fail(
			err, errsize,
			"'%s' of %s:%s is not where the first event has it (offset %d size %d); "
			"one aggregation counts events of one layout",
			name, fmt->system, fmt->name, f->offset, f->size);
	return 0;
}

/**
 * ft_bpf_plan_fits() - whether one aggregation can also count another event
 * @plan: the plan (made for its first event)
 * @fmt: the other event's format
 * @err: set to the reason when it cannot
 * @errsize: size of @err
 *
 * The aggregator reads fields at the offsets of the first event, so every field the plan
 * reads (keys, sums, filter) must sit at the same place in @fmt, as __syscall_nr does in
 * every sys_enter_* event; and a name that is no field of the first event (but a value the
 * aggregator knows, "pid") must be none of @fmt either. The other event must be of the same
 * kind (tracepoint or probe).
 *
 * Return: 0, -ENOENT when a name is a field of only one of the two (@missing set to it,
 * *@first_lacks true when the plan's first event is the one without), or -EINVAL, with @err
 * set.
 */
int ft_bpf_plan_fits(const struct ft_bpf_plan *plan, const struct ft_event_format *fmt,
		     const char **missing, bool *first_lacks, char *err, size_t errsize)
{
	int ret = 0;

	if (plan->cfg.latency)
		return ft_bpf_plan_fail(err, errsize,
					"a latency aggregation has one start and one end event");
	if (plan->attach_a !=
	    (ft_bpf_is_probe_event(fmt) ? FT_ATTACH_PROBE_EVENT : FT_ATTACH_TRACEPOINT))
		return ft_bpf_plan_fail(err, errsize,
					"%s:%s is not of the kind of %s:%s (tracepoint or probe)",
					fmt->system, fmt->name, plan->system, plan->event);
	*first_lacks = false;
	for (uint32_t i = 0; !ret && i < plan->cfg.nparts; i++)
		ret = same_field(fmt, *missing = plan->keys[i].name, &plan->cfg.parts[i].num,
				 first_lacks, err, errsize);
	for (uint32_t i = 0; !ret && i < plan->cfg.nsums; i++)
		ret = same_field(fmt, *missing = plan->vals[i + 1].name, &plan->cfg.sums[i],
				 first_lacks, err, errsize);
	for (uint32_t i = 0; !ret && i < plan->cfg.nconds; i++)
		ret = same_field(fmt, *missing = plan->cond_names[i], &plan->cfg.conds[i].num,
				 first_lacks, err, errsize);
	return ret;
}

/**
 * ft_bpf_plan_names_common() - whether every name @plan reads that is no field of its first
 *                              event is one no event has as a field of its own
 * @plan: the plan
 *
 * "common_pid", "stacktrace", "comm" are no syscall event's own field; "pid" or "cpu" may be
 * (sys_enter_kill has a pid): then every event's format must be read to know what it means.
 *
 * Return: true when no other event can give a name another meaning.
 */
bool ft_bpf_plan_names_common(const struct ft_bpf_plan *plan)
{
	/* Prefixes; "pid", "cpu" and "event" are fields of syscall events. */
	static const char *const fixed[] = { "common_", "stacktrace", "lat",   "comm",
					     "tid",	"kstack",     "ustack" };
	const char *names[FT_BPF_MAX_PARTS + FT_BPF_MAX_SUMS + FT_BPF_MAX_CONDS];
	const struct ft_bpf_num *nums[FT_BPF_MAX_PARTS + FT_BPF_MAX_SUMS + FT_BPF_MAX_CONDS];
	size_t n = 0;

	for (uint32_t i = 0; i < plan->cfg.nparts; i++)
		names[n] = plan->keys[i].name, nums[n++] = &plan->cfg.parts[i].num;
	for (uint32_t i = 0; i < plan->cfg.nsums; i++)
		names[n] = plan->vals[i + 1].name, nums[n++] = &plan->cfg.sums[i];
	for (uint32_t i = 0; i < plan->cfg.nconds; i++)
		names[n] = plan->cond_names[i], nums[n++] = &plan->cfg.conds[i].num;
	for (size_t i = 0; i < n; i++) {
		bool ok = reads_record(nums[i]);

		for (size_t k = 0; !ok && k < sizeof(fixed) / sizeof(fixed[0]); k++)
			ok = !strncmp(names[i], fixed[k], strlen(fixed[k]));
		if (!ok)
			return false;
	}
	return true;
}

/* The events after the first where a name of the plan is a field of only one of the two. */
struct lacking {
	const char *name;
	bool first_lacks;
	size_t n;
	char list[300];
};

static void lacking_add(struct lacking *l, const char *name, bool first_lacks,
			const struct ft_event_format *fmt)
{
	size_t len = strlen(l->list);

	if (!l->n++) {
		l->name = name;
		l->first_lacks = first_lacks;
	}
	if (l->n <= 4)
		snprintf(l->list + len, sizeof(l->list) - len, "%s%s:%s", len ? ", " : "",
			 fmt->system, fmt->name);
}

static int lacking_err(const struct lacking *l, const struct ft_event_format *first, char *err,
		       size_t errsize)
{
	char more[48] = "";

	if (l->n > 4)
		snprintf(more, sizeof(more), " and %zu more", l->n - 4);
	if (l->first_lacks && !strcmp(l->name, "event"))
		snprintf(err, errsize,
			 "'event' is a field of %s%s, so it would not name the event there; "
			 "'--key common_event' names the event that fired whatever its fields",
			 l->list, more);
	else if (l->first_lacks)
		snprintf(err, errsize,
			 "'%s' is a field of %s%s but not of %s:%s, where it would be the current "
			 "task's (or CPU's) instead; count the events that have it (name them, a "
			 "narrower pattern, or --skip-missing)",
			 l->name, l->list, more, first->system, first->name);
	else
		snprintf(err, errsize,
			 "'%s' is a field of %s:%s but not of %s%s; count the events that have it "
			 "(name them, a narrower pattern, or --skip-missing)",
			 l->name, first->system, first->name, l->list, more);
	return -EINVAL;
}

/*
 * Check the events @fmts after the first against @plan; @drop[i] marks those where a name is a
 * field of only one of the two (@lack names them), @has[i] those that have it where the first
 * has not. Events known by name only (syscalls of a known layout) need no check.
 */
static int fit_pass(const struct ft_bpf_plan *plan, struct ft_event_format *const *fmts, size_t n,
		    bool *drop, bool *has, struct lacking *lack, char *err, size_t errsize)
{
	const char *name;
	bool first_lacks;
	int ret = 0;

	*lack = (struct lacking){ .n = 0 };
	drop[0] = has[0] = false;
	for (size_t i = 1; !ret && i < n; i++) {
		drop[i] = has[i] = false;
		if (fmts[i]->id == -1)
			continue;
		ret = ft_bpf_plan_fits(plan, fmts[i], &name, &first_lacks, err, errsize);
		if (ret == -ENOENT && (!lack->n || !strcmp(name, lack->name))) {
			lacking_add(lack, name, first_lacks, fmts[i]);
			drop[i] = true;
			has[i] = first_lacks;
			ret = 0;
		}
	}
	return ret;
}

/* Leave out the events marked in @drop, saying which (--skip-missing). */
static void drop_events(struct ft_event_format **fmts, size_t *nfmts, const bool *drop,
			const char *name)
{
	size_t kept = 0, n = 0;
	char list[300] = "";

	for (size_t i = 0; i < *nfmts; i++) {
		size_t len = strlen(list);

		if (!drop[i]) {
			fmts[kept++] = fmts[i];
			continue;
		}
		if (n++ < 4)
			snprintf(list + len, sizeof(list) - len, "%s%s:%s", len ? ", " : "",
				 fmts[i]->system, fmts[i]->name);
		ft_format_free(fmts[i]);
	}
	*nfmts = kept;
	ft_info("--skip-missing: leaving out %zu event%s where '%s' means something else: %s%s", n,
		n == 1 ? "" : "s", name, list, n > 4 ? ", ..." : "");
}

/**
 * ft_bpf_plan_fit_all() - check every event of a glob against its plan (FIG-2, #16)
 * @spec: the request (its skip_missing)
 * @hist_can: this kernel has hist triggers (for the advice of a plan made again)
 * @plan: made for @fmts[0]; made again when the first event is left out
 * @fmts: the events' formats, the first the plan's; those known by name only (id -1) are
 *        not checked. Left-out ones are freed and the rest moved down
 * @n: how many; set to how many are kept
 * @end_fmt: latency mode's end event, or NULL
 * @err: set to the reason when refused
 * @errsize: size of @err
 *
 * A key, value or filter name must mean the same in every event: a name that is a field of
 * some events and not of others (where it would be the current task's) is refused, naming
 * the events. With --skip-missing the events without the field are left out instead, saying
 * which, and when the first is one of them the plan is made again for the first that has it.
 *
 * Return: 0, or -EINVAL (or another -errno of ft_bpf_plan_fits()) with @err set, -ENOMEM.
 */
int ft_bpf_plan_fit_all(const struct ft_hist_spec *spec, bool hist_can, struct ft_bpf_plan *plan,
			struct ft_event_format **fmts, size_t *n,
			const struct ft_event_format *end_fmt, char *err, size_t errsize)
{
	bool *drop = calloc(*n, sizeof(*drop)), *has = calloc(*n, sizeof(*has));
	struct ft_hist_spec *alt = NULL;
	struct lacking lack;
	size_t j = 0;
	int ret = drop && has ? fit_pass(plan, fmts, *n, drop, has, &lack, err, errsize) : -ENOMEM;

	if (!ret && lack.n && !spec->skip_missing)
		ret = lacking_err(&lack, fmts[0], err, errsize);
	if (!ret && lack.n && lack.first_lacks) {
		/* keep those that have it: the first of them counts first */
		for (size_t i = 0; i < *n; i++)
			drop[i] = !has[i];
		while (j < *n && drop[j])
			j++;
		alt = j < *n ? malloc(sizeof(*alt)) : NULL;
		ret = alt ? 0 : -ENOMEM;
	}
	if (alt) {
		drop_events(fmts, n, drop, lack.name);
		*alt = *spec;
		alt->system = fmts[0]->system, alt->event = fmts[0]->name;
		ret = ft_bpf_plan_make(alt, fmts[0], end_fmt, hist_can, plan, err, errsize);
		if (!ret)
			ret = fit_pass(plan, fmts, *n, drop, has, &lack, err, errsize);
		if (!ret && lack.n && lack.first_lacks)
			ret = lacking_err(&lack, fmts[0], err, errsize);
		free(alt);
	}
	if (!ret && lack.n)
		drop_events(fmts, n, drop, lack.name);
	free(drop);
	free(has);
	return ret;
}
