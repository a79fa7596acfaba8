// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spec -> aggregator configuration: the BPF side of `hist start`. Pure: it reads the event's
 * parsed format and the spec, and says in plain words what the aggregator cannot do (and
 * that hist triggers can, where they can) before anything reaches the kernel. The names it
 * reads are resolved in plan-field.c, the filter in plan-filter.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/plan-int.h"
#include "format.h"
#include "hist/spec.h"

/**
 * ft_bpf_plan_fail() - set a plan's error message
 * @err: the buffer
 * @size: its size
 * @fmt: printf format of the message
 *
 * Return: -EINVAL.
 */
int ft_bpf_plan_fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/**
 * ft_bpf_is_probe_event() - whether an event is a kprobe/uprobe event defined in tracefs
 * @fmt: its format
 *
 * Such events carry __probe_ip (probes) or __probe_func (return probes) first. A BPF program
 * on them runs with the probe's registers, not with the record of fetched arguments.
 *
 * Return: true for a kprobe, kretprobe, uprobe or uretprobe event.
 */
bool ft_bpf_is_probe_event(const struct ft_event_format *fmt)
{
	return fmt && (ft_format_field(fmt, "__probe_ip") || ft_format_field(fmt, "__probe_func"));
}

/* A key's modifier -> how the aggregator makes the part, and how the hist presents it. */
static int key_modifier(struct ctx *c, const char *field, const char *mod, struct ft_bpf_part *p,
			struct ft_bpf_colinfo *col)
{
	char *end;

	if ((is_string(&p->num) || is_stack(&p->num)) && *mod)
		return ft_bpf_plan_fail(c->err, c->errsize, "'%s' is a %s and takes no .%s here",
					field, is_string(&p->num) ? "string" : "stack", mod);
	col->kind = is_string(&p->num) ? FT_KEY_STR : is_stack(&p->num) ? FT_KEY_STACK : FT_KEY_NUM;
	/* The event's index, shown as SYSTEM:EVENT. */
	if (p->num.src == FT_SRC_EVENT) {
		col->kind = FT_KEY_STR;
		if (*mod)
			return ft_bpf_plan_fail(c->err, c->errsize,
						"'%s' names the event and takes no .%s", field,
						mod);
	}
	if (p->num.src == FT_SRC_USTACK)
		c->plan->cfg.want_tgid = 1;
	if (!*mod || (!strcmp(mod, "usecs") && p->num.src == FT_SRC_LAT))
		return 0;
	if (!strcmp(mod, "hex"))
		col->kind = FT_KEY_HEX;
	else if (!strcmp(mod, "sym") || !strcmp(mod, "sym-offset"))
		col->kind = FT_KEY_SYM;
	else if (!strcmp(mod, "syscall"))
		col->kind = FT_KEY_SYSCALL;
	else if (!strcmp(mod, "log2"))
		col->kind = FT_KEY_LOG2, p->mod = FT_MOD_LOG2;
	else if (!strncmp(mod, "buckets=", 8)) {
		p->step = strtoull(mod + 8, &end, 0);
		if (*end || !p->step)
			return ft_bpf_plan_fail(c->err, c->errsize,
						"'%s.%s': buckets needs a size above 0", field,
						mod);
		col->kind = FT_KEY_BUCKET, p->mod = FT_MOD_BUCKETS;
	} else if (!strcmp(mod, "execname")) {
		if (p->num.src != FT_SRC_TID)
			return ft_bpf_plan_fail(c->err, c->errsize,
						".execname applies to common_pid, not '%s'", field);
		col->kind = FT_KEY_EXECNAME;
		c->plan->cfg.want_comm = 1;
	} else {
		return ft_bpf_plan_fail(c->err, c->errsize,
					"the BPF backend has no key modifier .%s (on '%s')%s", mod,
					field, ADVICE);
	}
	return 0;
}

static int plan_key(struct ctx *c, const struct ft_event_format *fmt, bool probe, const char *field,
		    const char *mod)
{
	struct ft_bpf_plan *pl = c->plan;
	struct ft_bpf_part *p = &pl->cfg.parts[pl->cfg.nparts];
	struct ft_bpf_colinfo *col = &pl->keys[pl->nkeys];
	int ret;

	if (pl->cfg.nparts >= FT_BPF_MAX_PARTS)
		return ft_bpf_plan_fail(c->err, c->errsize,
					"the BPF backend takes at most %d keys%s", FT_BPF_MAX_PARTS,
					c->spec->end_event ? " (latency mode adds 'lat')" : "");
	ret = ft_bpf_plan_resolve(c, fmt, probe, field, &p->num);
	if (!ret)
		ret = key_modifier(c, field, mod ? mod : "", p, col);
	if (ret)
		return ret;
	snprintf(col->name, sizeof(col->name), "%s", field);
	snprintf(col->modifier, sizeof(col->modifier), "%s", mod ? mod : "");
	col->is_signed = p->num.is_signed;
	/* Packed key: numbers take 8 bytes, strings their room, each part 8-aligned. */
	p->klen = p->num.src == FT_SRC_COMM	  ? FT_BPF_COMM
		  : p->num.src == FT_SRC_STRFIELD ? p->num.size
		  : p->num.src == FT_SRC_DYNSTR	  ? FT_BPF_STR
						  : 8;
	p->koff = pl->cfg.ksize;
	pl->cfg.ksize = (uint16_t)(pl->cfg.ksize + ((p->klen + 7u) & ~7u));
	pl->cfg.nparts++;
	pl->nkeys++;
	return 0;
}

static int plan_val(struct ctx *c, const struct ft_event_format *fmt, bool probe,
		    const struct ft_hist_valspec *v)
{
	struct ft_bpf_plan *pl = c->plan;
	struct ft_bpf_num *n = &pl->cfg.sums[pl->cfg.nsums];
	struct ft_bpf_colinfo *col = &pl->vals[pl->nvals];
	int ret;

	if (!strcmp(v->field, "hitcount")) {
		snprintf(pl->vals[0].modifier, sizeof(pl->vals[0].modifier), "%s",
			 v->modifier ? v->modifier : "");
		return 0;
	}
	if (pl->cfg.nsums >= FT_BPF_MAX_SUMS)
		return ft_bpf_plan_fail(c->err, c->errsize,
					"the BPF backend sums at most %d values%s", FT_BPF_MAX_SUMS,
					ADVICE);
	ret = ft_bpf_plan_resolve(c, fmt, probe, v->field, n);
	if (ret)
		return ret;
	if (is_string(n) || is_stack(n))
		return ft_bpf_plan_fail(c->err, c->errsize,
					"'%s' is not a number and cannot be summed", v->field);
	snprintf(col->name, sizeof(col->name), "%s", v->field);
	snprintf(col->modifier, sizeof(col->modifier), "%s", v->modifier ? v->modifier : "");
	col->kind = FT_KEY_NUM;
	col->is_signed = n->is_signed;
	pl->cfg.nsums++;
	pl->nvals++;
	return 0;
}

/* The hist trigger that would count the same, for headers and listings. */
static void trigger_text(const struct ft_hist_spec *spec, struct ft_bpf_plan *pl)
{
	size_t len = 0, size = sizeof(pl->trigger);
	char *t = pl->trigger;

#define ADD(...) (len += (size_t)snprintf(t + len, len < size ? size - len : 0, __VA_ARGS__))
	ADD("hist:keys=");
	for (uint32_t i = 0; i < pl->nkeys; i++)
		ADD("%s%s%s%s", i ? "," : "", pl->keys[i].name, *pl->keys[i].modifier ? "." : "",
		    pl->keys[i].modifier);
	ADD(":vals=hitcount");
	for (uint32_t i = 1; i < pl->nvals; i++)
		ADD(",%s", pl->vals[i].name);
	for (uint32_t i = 0; i < pl->nsort; i++)
		ADD("%s%s%s", i ? "," : ":sort=", pl->sort[i],
		    pl->descending[i] ? ".descending" : "");
	ADD(":size=%u", pl->size);
	if (spec->name)
		ADD(":name=%s", spec->name);
	if (spec->filter)
		ADD(" if %s", spec->filter);
	if (*pl->end_event)
		ADD(" (latency until %s:%s", pl->end_system, pl->end_event);
	for (size_t i = 0; *pl->end_event && i < spec->nmatch; i++)
		ADD("%s%s%s%s", i ? "," : " matched on ", spec->match_start[i],
		    strcmp(spec->match_start[i], spec->match_end[i]) ? "=" : "",
		    strcmp(spec->match_start[i], spec->match_end[i]) ? spec->match_end[i] : "");
	if (*pl->end_event)
		ADD("%s)", spec->nmatch ? "" : " of the same thread");
#undef ADD
	if (len >= size)
		memcpy(t + size - 4, "...", 4);
}

static int plan_sort(struct ctx *c)
{
	struct ft_bpf_plan *pl = c->plan;

	for (size_t i = 0; i < c->spec->nsort && i < 2; i++) {
		const char *f = c->spec->sort[i].field;
		bool found = false;

		for (uint32_t k = 0; k < pl->nkeys; k++)
			found |= !strcmp(pl->keys[k].name, f);
		for (uint32_t v = 0; v < pl->nvals; v++)
			found |= !strcmp(pl->vals[v].name, f);
		if (!found)
			return ft_bpf_plan_fail(c->err, c->errsize,
						"sort key '%s' is neither a key nor a value", f);
		snprintf(pl->sort[i], sizeof(pl->sort[i]), "%s", f);
		pl->descending[i] = c->spec->sort[i].descending;
		pl->nsort++;
	}
	return 0;
}

/* Which program an event gets; plain probes are named kprobe:FUNC / kretprobe:FUNC. */
static int attach_kind(struct ctx *c, const char *sys, const struct ft_event_format *fmt,
		       uint8_t *kind)
{
	if (!strcmp(sys, "kprobe") || !strcmp(sys, "kretprobe")) {
		*kind = !strcmp(sys, "kprobe") ? FT_ATTACH_KPROBE : FT_ATTACH_KRETPROBE;
		return 0;
	}
	if (!fmt)
		return ft_bpf_plan_fail(c->err, c->errsize, "no format for %s: not an event", sys);
	*kind = ft_bpf_is_probe_event(fmt) ? FT_ATTACH_PROBE_EVENT : FT_ATTACH_TRACEPOINT;
	return 0;
}

static int plan_columns(struct ctx *c, const struct ft_event_format *fmt,
			const struct ft_event_format *key_fmt)
{
	const struct ft_hist_spec *spec = c->spec;
	struct ft_bpf_plan *pl = c->plan;
	bool key_probe = pl->cfg.latency ? pl->attach_b != FT_ATTACH_TRACEPOINT
					 : pl->attach_a != FT_ATTACH_TRACEPOINT;
	bool has_lat = false;
	int ret = 0;

	if (!spec->nkeys && !pl->cfg.latency)
		return ft_bpf_plan_fail(c->err, c->errsize, "a histogram needs at least one key");
	for (size_t i = 0; !ret && i < spec->nkeys; i++) {
		has_lat |= pl->cfg.latency && !strcmp(spec->keys[i].field, "lat");
		ret = plan_key(c, key_fmt, key_probe, spec->keys[i].field, spec->keys[i].modifier);
	}
	/* Latency mode is a log2 histogram of the latency, per whatever else was asked. */
	if (!ret && pl->cfg.latency && !has_lat)
		ret = plan_key(c, key_fmt, key_probe, "lat", "log2");
	snprintf(pl->vals[0].name, sizeof(pl->vals[0].name), "hitcount");
	pl->nvals = 1;
	for (size_t i = 0; !ret && i < spec->nvals; i++)
		ret = plan_val(c, key_fmt, key_probe, &spec->vals[i]);
	if (!ret && spec->filter && *spec->filter)
		ret = ft_bpf_plan_filter(c, fmt, pl->attach_a != FT_ATTACH_TRACEPOINT,
					 spec->filter);
	return ret ? ret : plan_sort(c);
}

/* Latency mode: the fields a start and its end are matched by, each read where it fires. */
static int plan_match(struct ctx *c, const struct ft_event_format *fmt,
		      const struct ft_event_format *end_fmt)
{
	struct ft_bpf_plan *pl = c->plan;

	for (size_t i = 0; i < c->spec->nmatch; i++)
		for (int w = 0; w < 2; w++) {
			const char *name = w ? c->spec->match_end[i] : c->spec->match_start[i];
			struct ft_bpf_num *n = &pl->cfg.match[w][i];
			int ret = ft_bpf_plan_resolve(
				c, w ? end_fmt : fmt,
				(w ? pl->attach_b : pl->attach_a) != FT_ATTACH_TRACEPOINT, name, n);

			if (ret)
				return ret;
			if (is_string(n) || is_stack(n) || n->src == FT_SRC_LAT)
				return ft_bpf_plan_fail(
					c->err, c->errsize,
					"match field '%s' of %s:%s is not a number: a start and "
					"its end are matched on numbers (ids, pids, sectors)",
					name, w ? pl->end_system : pl->system,
					w ? pl->end_event : pl->event);
		}
	pl->cfg.nmatch = (uint8_t)c->spec->nmatch;
	return 0;
}

/**
 * ft_bpf_plan_make() - translate a histogram request into the aggregator's configuration
 * @spec: the request; keys, values, filter, size, sort, latency end event
 * @fmt: the format of @spec's event (the start event in latency mode); NULL for a plain
 *       kprobe/kretprobe (system "kprobe"/"kretprobe", event = the kernel function)
 * @end_fmt: latency mode: the end event's format; else NULL
 * @hist_can: this kernel has hist triggers: errors point at them, else at what works here
 * @plan: filled in
 * @err: set to a message naming the problem (and what can serve instead on this kernel)
 * @errsize: size of @err
 *
 * Keys and values are read at the event that counts (the end event in latency mode, where
 * the pseudo-field "lat" is the time since the start event of the same thread, or with the
 * same values of the match fields, in microseconds); the
 * filter is tested at the event, or the start event. "common_type" is the event's id and
 * "event" names the event (SYSTEM:EVENT): both come from the tag of the event's attachment.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int ft_bpf_plan_make(const struct ft_hist_spec *spec, const struct ft_event_format *fmt,
		     const struct ft_event_format *end_fmt, bool hist_can, struct ft_bpf_plan *plan,
		     char *err, size_t errsize)
{
	struct ctx c = {
		.spec = spec, .plan = plan, .err = err, .errsize = errsize, .hist_can = hist_can
	};
	int ret;

	memset(plan, 0, sizeof(*plan));
	snprintf(plan->system, sizeof(plan->system), "%s", spec->system);
	snprintf(plan->event, sizeof(plan->event), "%s", spec->event);
	snprintf(plan->name, sizeof(plan->name), "%s", spec->name ? spec->name : "");
	plan->size = spec->size ? spec->size : 2048;
	plan->cfg.cap = plan->size;
	plan->cfg.rotate = spec->rotate;
	ret = attach_kind(&c, spec->system, fmt, &plan->attach_a);
	if (ret)
		return ret;
	if (spec->end_event) {
		plan->cfg.latency = 1;
		snprintf(plan->end_system, sizeof(plan->end_system), "%s",
			 spec->end_system ? spec->end_system : spec->system);
		snprintf(plan->end_event, sizeof(plan->end_event), "%s", spec->end_event);
		ret = attach_kind(&c, plan->end_system, end_fmt, &plan->attach_b);
		if (!ret)
			ret = plan_match(&c, fmt, end_fmt);
		if (ret)
			return ret;
	}
	ret = plan_columns(&c, fmt, spec->end_event ? end_fmt : fmt);
	if (ret)
		return ret;
	trigger_text(spec, plan);
	plan->nevents = 1;
	snprintf(plan->title, sizeof(plan->title), "%s:%s", spec->system,
		 spec->title ? spec->title : spec->event);
	return 0;
}

/**
 * ft_bpf_plan_small() - whether the aggregator's small build can count @plan
 * @plan: the plan
 *
 * The small build (agg.h) takes keys of numbers and a comm of at most FT_BPF_SMALL_KEY bytes,
 * at most FT_BPF_SMALL_SUMS sums and FT_BPF_SMALL_CONDS conditions.
 *
 * Return: true when it fits.
 */
bool ft_bpf_plan_small(const struct ft_bpf_plan *plan)
{
	const struct ft_bpf_cfg *c = &plan->cfg;

	if (c->ksize > FT_BPF_SMALL_KEY || c->nsums > FT_BPF_SMALL_SUMS ||
	    c->nconds > FT_BPF_SMALL_CONDS)
		return false;
	for (uint32_t i = 0; i < c->nparts; i++)
		if (is_stack(&c->parts[i].num) ||
		    (is_string(&c->parts[i].num) && c->parts[i].num.src != FT_SRC_COMM))
			return false;
	return true;
}

/**
 * ft_bpf_plan_lite() - whether the aggregator's lite build can count @plan
 * @plan: the plan
 *
 * The lite build (agg.h) is the small one for plans of at most FT_BPF_LITE_PARTS key parts,
 * no filter, no sums and no latency.
 *
 * Return: true when it fits.
 */
bool ft_bpf_plan_lite(const struct ft_bpf_plan *plan)
{
	const struct ft_bpf_cfg *c = &plan->cfg;

	return ft_bpf_plan_small(plan) && c->nparts <= FT_BPF_LITE_PARTS && !c->nsums &&
	       !c->nconds && !c->latency && !c->nmatch;
}

/**
 * ft_bpf_plan_stacks() - whether @plan keys on stacks (and so needs the stack map)
 * @plan: the plan
 *
 * Return: true when a key part is a kernel or user stack.
 */
bool ft_bpf_plan_stacks(const struct ft_bpf_plan *plan)
{
	for (uint32_t i = 0; i < plan->cfg.nparts; i++)
		if (is_stack(&plan->cfg.parts[i].num))
			return true;
	return false;
}

/**
 * ft_bpf_plan_stack_buckets() - the size of @plan's stack map
 * @plan: the plan
 *
 * The kernel hashes a stack into one of the map's buckets and refuses a different stack in a
 * taken one (-EEXIST: the event's stack is "[stack lost]"; BPF_F_REUSE_STACKID would instead
 * give the earlier stack's counts to the new one). k distinct stacks collide about
 * k * k / (2 * buckets) times: 1,024 buckets lost one of three stacks about once in 300 runs
 * (vm/76-hist-both-stacks). Eight a table entry, from 16,384 (bcc stackcount's size) to
 * 65,536: 4 to 16 MiB of the kernel's memory, made only when the plan keys on stacks.
 *
 * Return: the stack map's max_entries.
 */
uint32_t ft_bpf_plan_stack_buckets(const struct ft_bpf_plan *plan)
{
	uint64_t n = (uint64_t)plan->size * 8;

	return n < 16384 ? 16384 : n > 65536 ? 65536 : (uint32_t)n;
}
