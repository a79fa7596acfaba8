// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spec -> aggregator configuration: the BPF side of `hist start`. Pure: it reads the event's
 * parsed format and the spec, and says in plain words what the aggregator cannot do (and
 * that hist triggers can, where they can) before anything reaches the kernel.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "format.h"
#include "hist/spec.h"
#include "suggest.h"

/*
 * Errors say what is wrong, and what can do it instead on this kernel: hist triggers where it
 * has them (ctx.hist_can), else what ftrig does without them (CMD-5, #16).
 */
#define HIST_CAN "; hist triggers can do this (--backend hist)"
#define NO_HIST "; this kernel has no hist triggers: 'ftrig pipe' shows each event with its fields"
#define ADVICE (c->hist_can ? HIST_CAN : NO_HIST)

static int fail(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t size, const char *fmt, ...)
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

/* Context of one translation, so helpers stay small. */
struct ctx {
	const struct ft_hist_spec *spec;
	struct ft_bpf_plan *plan;
	char *err;
	size_t errsize;
	bool hist_can;
};

/* Names that are not record fields but the aggregator knows (BPF reads them at the event). */
static int pseudo(const char *name, bool latency, struct ft_bpf_num *n)
{
	static const struct {
		const char *name;
		enum ft_bpf_src src;
	} tab[] = {
		{ "common_pid", FT_SRC_TID },
		{ "tid", FT_SRC_TID },
		{ "pid", FT_SRC_PID },
		{ "common_cpu", FT_SRC_CPU },
		{ "cpu", FT_SRC_CPU },
		{ "comm", FT_SRC_COMM },
		{ "common_comm", FT_SRC_COMM },
		{ "stacktrace", FT_SRC_KSTACK },
		{ "common_stacktrace", FT_SRC_KSTACK },
		{ "kstack", FT_SRC_KSTACK },
		{ "ustack", FT_SRC_USTACK },
		{ "common_type", FT_SRC_TYPE },
		{ "event", FT_SRC_EVENT },
	};

	if (latency && !strcmp(name, "lat")) {
		*n = (struct ft_bpf_num){ .src = FT_SRC_LAT, .usecs = 1, .size = 8 };
		return 0;
	}
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(tab[i].name, name)) {
			*n = (struct ft_bpf_num){ .src = (uint8_t)tab[i].src, .size = 8 };
			return 0;
		}
	return -ENOENT;
}

/* The list of an event's fields, for "no field" errors. */
static void field_names(const struct ft_event_format *fmt, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; fmt && i < fmt->nfields && len + 2 < size; i++) {
		if (fmt->fields[i].common)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
					fmt->fields[i].name);
	}
}

/* "; did you mean 'prev_pid'?" among the event's fields and the names BPF knows, or "". */
static const char *field_hint(const struct ft_event_format *fmt, const char *name, char *buf,
			      size_t size)
{
	static const char *const pseudo_names[] = {
		"common_pid", "pid", "tid", "cpu", "comm", "kstack", "ustack", "stacktrace"
	};
	size_t np = sizeof(pseudo_names) / sizeof(pseudo_names[0]), n = 0;
	const char **c = calloc((fmt ? fmt->nfields : 0) + np, sizeof(*c));

	buf[0] = '\0';
	if (!c)
		return buf;
	for (size_t i = 0; fmt && i < fmt->nfields; i++)
		c[n++] = fmt->fields[i].name;
	for (size_t i = 0; i < np; i++)
		c[n++] = pseudo_names[i];
	ft_suggest_hint(name, c, NULL, n, buf, size);
	free(c);
	return buf;
}

/*
 * A probe event's own field: BPF runs with the probe's registers, not the record, so it reads
 * a field fetched from a register itself (CMD-5); anything else is out of its reach.
 */
static int probe_field(struct ctx *c, const struct ft_event_format *fmt, const struct ft_field *f,
		       struct ft_bpf_num *n)
{
	char why[300] = "";
	int off, ret = fmt->probe_def
			       ? ft_bpf_fetch_reg(fmt->probe_def, f->name, &off, why, sizeof(why))
			       : -ENOENT;

	if (!ret && !f->is_array && !f->is_dynamic && f->size > 0 && f->size <= 8) {
		*n = (struct ft_bpf_num){ .src = FT_SRC_REGS,
					  .offset = (uint16_t)off,
					  .size = (uint8_t)f->size,
					  .is_signed = f->is_signed };
		return 0;
	}
	if (ret == -ENOENT)
		snprintf(why, sizeof(why), "%s",
			 fmt->probe_def ? "is not fetched by the probe"
					: "is fetched from where ftrig cannot tell");
	return fail(c->err, c->errsize,
		    "'%s' of %s:%s %s, and BPF sees only the probe's registers: fetch it from one "
		    "(%%REG, $argN, $retval), or key on comm, common_pid, cpu, event or stacks%s",
		    f->name, fmt->system, fmt->name, *why ? why : "is no number", ADVICE);
}

/* Resolve a name at the event @fmt (NULL for a plain probe) into where the number lives. */
static int resolve(struct ctx *c, const struct ft_event_format *fmt, bool probe, const char *name,
		   struct ft_bpf_num *n)
{
	const struct ft_field *f = fmt ? ft_format_field(fmt, name) : NULL;
	bool latency = c->spec->end_event != NULL;
	char names[400];

	if (!strcmp(name, "common_timestamp"))
		return fail(c->err, c->errsize, "the BPF backend has no common_timestamp%s",
			    ADVICE);
	if (!fmt && !strcmp(name, "common_type"))
		return fail(
			c->err, c->errsize,
			"%s:%s is a plain probe without a tracefs event: it has no common_type; "
			"key on 'event'",
			c->spec->system, c->spec->event);
	/* A probe event's own fields are out of reach; a "comm" it fetches is current's comm. */
	if ((!f || f->common || probe) && !pseudo(name, latency, n))
		return 0;
	/* The kernel writes a pt_regs pointer over the record's first 8 bytes before it runs a
	 * BPF program (perf_trace_run_bpf_submit): common fields there are gone (FIG-1). */
	if (f && f->common)
		return fail(
			c->err, c->errsize,
			"'%s': the BPF backend cannot know it: the kernel overwrites the common "
			"fields of the record it gives BPF programs, and the irq flags and "
			"preempt count of the event are not kept elsewhere%s",
			name,
			c->hist_can ? HIST_CAN
				    : "; this kernel has no hist triggers: 'ftrig pipe' "
				      "shows them in each event's flags column");
	if (!f) {
		/* CMD-9: the close names when there are some, else the list */
		if (*field_hint(fmt, name, names, sizeof(names)))
			return fail(c->err, c->errsize, "no field '%s' in %s:%s%s", name,
				    fmt ? fmt->system : c->spec->system,
				    fmt ? fmt->name : c->spec->event, names);
		field_names(fmt, names, sizeof(names));
		return fail(c->err, c->errsize, "no field '%s' in %s:%s%s%s%s", name,
			    fmt ? fmt->system : c->spec->system, fmt ? fmt->name : c->spec->event,
			    *names ? " (its fields: " : "", names, *names ? ")" : "");
	}
	if (probe)
		return probe_field(c, fmt, f, n);
	if (f->is_dynamic || (f->is_array && f->is_string)) {
		*n = (struct ft_bpf_num){ .src = f->is_dynamic ? FT_SRC_DYNSTR : FT_SRC_STRFIELD,
					  .offset = (uint16_t)f->offset,
					  .size = (uint8_t)(f->size < FT_BPF_STR ? f->size
										 : FT_BPF_STR) };
		if (!f->is_string)
			return fail(c->err, c->errsize, "'%s' is a dynamic array, not a number%s",
				    name, ADVICE);
		return 0;
	}
	if (f->is_array || f->size <= 0 || f->size > 8 || (f->size & (f->size - 1)))
		return fail(c->err, c->errsize, "'%s' (%s) is not a number the BPF backend reads%s",
			    name, f->type, ADVICE);
	*n = (struct ft_bpf_num){ .src = FT_SRC_FIELD,
				  .offset = (uint16_t)f->offset,
				  .size = (uint8_t)f->size,
				  .is_signed = f->is_signed };
	return 0;
}

static bool is_string(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_COMM || n->src == FT_SRC_STRFIELD || n->src == FT_SRC_DYNSTR;
}

static bool is_stack(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_KSTACK || n->src == FT_SRC_USTACK;
}

/* A key's modifier -> how the aggregator makes the part, and how the hist presents it. */
static int key_modifier(struct ctx *c, const char *field, const char *mod, struct ft_bpf_part *p,
			struct ft_bpf_colinfo *col)
{
	char *end;

	if ((is_string(&p->num) || is_stack(&p->num)) && *mod)
		return fail(c->err, c->errsize, "'%s' is a %s and takes no .%s here", field,
			    is_string(&p->num) ? "string" : "stack", mod);
	col->kind = is_string(&p->num) ? FT_KEY_STR : is_stack(&p->num) ? FT_KEY_STACK : FT_KEY_NUM;
	/* The event's index, shown as SYSTEM:EVENT. */
	if (p->num.src == FT_SRC_EVENT) {
		col->kind = FT_KEY_STR;
		if (*mod)
			return fail(c->err, c->errsize, "'%s' names the event and takes no .%s",
				    field, mod);
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
			return fail(c->err, c->errsize, "'%s.%s': buckets needs a size above 0",
				    field, mod);
		col->kind = FT_KEY_BUCKET, p->mod = FT_MOD_BUCKETS;
	} else if (!strcmp(mod, "execname")) {
		if (p->num.src != FT_SRC_TID)
			return fail(c->err, c->errsize, ".execname applies to common_pid, not '%s'",
				    field);
		col->kind = FT_KEY_EXECNAME;
		c->plan->cfg.want_comm = 1;
	} else {
		return fail(c->err, c->errsize,
			    "the BPF backend has no key modifier .%s (on '%s')%s", mod, field,
			    ADVICE);
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
		return fail(c->err, c->errsize, "the BPF backend takes at most %d keys%s",
			    FT_BPF_MAX_PARTS,
			    c->spec->end_event ? " (latency mode adds 'lat')" : "");
	ret = resolve(c, fmt, probe, field, &p->num);
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
		return fail(c->err, c->errsize, "the BPF backend sums at most %d values%s",
			    FT_BPF_MAX_SUMS, ADVICE);
	ret = resolve(c, fmt, probe, v->field, n);
	if (ret)
		return ret;
	if (is_string(n) || is_stack(n))
		return fail(c->err, c->errsize, "'%s' is not a number and cannot be summed",
			    v->field);
	snprintf(col->name, sizeof(col->name), "%s", v->field);
	snprintf(col->modifier, sizeof(col->modifier), "%s", v->modifier ? v->modifier : "");
	col->kind = FT_KEY_NUM;
	col->is_signed = n->is_signed;
	pl->cfg.nsums++;
	pl->nvals++;
	return 0;
}

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* One "NAME OP VALUE" at *s; advances *s past it. */
static int parse_cond(struct ctx *c, const struct ft_event_format *fmt, bool probe, const char **s,
		      struct ft_bpf_cond *cond, char name[FT_BPF_TEXT])
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">", "&" };
	static const uint8_t codes[] = { FT_OP_EQ, FT_OP_NE, FT_OP_LE, FT_OP_GE,
					 FT_OP_LT, FT_OP_GT, FT_OP_AND };
	const char *p = skip_space(*s), *start = p;
	char *end;
	size_t i, len;
	int ret;

	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	len = (size_t)(p - start);
	if (!len || len >= FT_BPF_TEXT)
		return fail(c->err, c->errsize, "filter: expected a field name at '%s'", start);
	memcpy(name, start, len);
	name[len] = '\0';
	ret = resolve(c, fmt, probe, name, &cond->num);
	if (ret)
		return ret;
	if (is_string(&cond->num) || is_stack(&cond->num))
		return fail(c->err, c->errsize,
			    "filter: the BPF backend compares numbers only, "
			    "'%s' is not one%s",
			    name, ADVICE);
	p = skip_space(p);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(p, ops[i], strlen(ops[i])))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]) || (codes[i] == FT_OP_AND && p[1] == '&'))
		return fail(c->err, c->errsize,
			    "filter: expected ==, !=, <, <=, >, >= or & after "
			    "'%s'",
			    name);
	cond->op = codes[i];
	p = skip_space(p + strlen(ops[i]));
	errno = 0;
	cond->value = *p == '-' ? (uint64_t)strtoll(p, &end, 0) : strtoull(p, &end, 0);
	if (end == p || errno)
		return fail(c->err, c->errsize, "filter: '%s' needs a number, not '%.20s'%s", name,
			    p, *p == '"' || *p == '\'' ? ADVICE : "");
	*s = end;
	return 0;
}

static int plan_filter(struct ctx *c, const struct ft_event_format *fmt, bool probe,
		       const char *filter)
{
	struct ft_bpf_cfg *cfg = &c->plan->cfg;
	const char *s = filter;
	int ret;

	if (strpbrk(filter, "()~\""))
		return fail(c->err, c->errsize,
			    "filter '%s': the BPF backend takes comparisons of "
			    "numbers joined by && and ||, without parentheses or strings%s",
			    filter, ADVICE);
	for (;;) {
		if (cfg->nconds >= FT_BPF_MAX_CONDS)
			return fail(c->err, c->errsize, "filter: at most %d comparisons%s",
				    FT_BPF_MAX_CONDS, ADVICE);
		ret = parse_cond(c, fmt, probe, &s, &cfg->conds[cfg->nconds],
				 c->plan->cond_names[cfg->nconds]);
		if (ret)
			return ret;
		cfg->nconds++;
		s = skip_space(s);
		if (!*s)
			return 0;
		if (!strncmp(s, "||", 2))
			cfg->conds[cfg->nconds - 1].or_next = 1;
		else if (strncmp(s, "&&", 2))
			return fail(c->err, c->errsize, "filter: expected && or || at '%s'", s);
		s += 2;
	}
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
			return fail(c->err, c->errsize,
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
		return fail(c->err, c->errsize, "no format for %s: not an event", sys);
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
		return fail(c->err, c->errsize, "a histogram needs at least one key");
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
		ret = plan_filter(c, fmt, pl->attach_a != FT_ATTACH_TRACEPOINT, spec->filter);
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
			int ret = resolve(c, w ? end_fmt : fmt,
					  (w ? pl->attach_b : pl->attach_a) != FT_ATTACH_TRACEPOINT,
					  name, n);

			if (ret)
				return ret;
			if (is_string(n) || is_stack(n) || n->src == FT_SRC_LAT)
				return fail(
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

static bool reads_record(const struct ft_bpf_num *n)
{
	return n->src == FT_SRC_FIELD || n->src == FT_SRC_STRFIELD || n->src == FT_SRC_DYNSTR;
}

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
			return fail(err, errsize,
				    "'%s' of %s:%s is not fetched from the register the first "
				    "event's is; one aggregation reads one register",
				    name, fmt->system, fmt->name);
		return 0;
	}
	if (!reads_record(n)) {
		if (!f || f->common || ft_bpf_is_probe_event(fmt) || n->src == FT_SRC_LAT)
			return 0;
		*first_lacks = true;
		fail(err, errsize, "%s:%s has a field '%s'", fmt->system, fmt->name, name);
		return -ENOENT;
	}
	if (!f) {
		fail(err, errsize, "%s:%s has no field '%s'", fmt->system, fmt->name, name);
		return -ENOENT;
	}
	if (f->offset != n->offset ||
	    (n->src == FT_SRC_FIELD && (f->size != n->size || f->is_signed != n->is_signed)))
		return fail(
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
		return fail(err, errsize, "a latency aggregation has one start and one end event");
	if (plan->attach_a !=
	    (ft_bpf_is_probe_event(fmt) ? FT_ATTACH_PROBE_EVENT : FT_ATTACH_TRACEPOINT))
		return fail(err, errsize, "%s:%s is not of the kind of %s:%s (tracepoint or probe)",
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
