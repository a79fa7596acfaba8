// SPDX-License-Identifier: GPL-2.0-only
/*
 * A name of a histogram request at its event -> where the aggregator finds the number: a
 * field of the record, a register a probe fetched it from, or a value BPF knows by itself
 * ("common_pid", "comm", stacks); or a message saying why BPF cannot, with the close names.
 * Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/plan-int.h"
#include "format.h"
#include "hist/spec.h"
#include "suggest.h"

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
		/* the same, for globs where an event has a field "event" (sys_enter_epoll_ctl) */
		{ "common_event", FT_SRC_EVENT },
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
	return ft_bpf_plan_fail(
		c->err, c->errsize,
		"'%s' of %s:%s %s, and BPF sees only the probe's registers: fetch it from one "
		"(%%REG, $argN, $retval), or key on comm, common_pid, cpu, event or stacks%s",
		f->name, fmt->system, fmt->name, *why ? why : "is no number", ADVICE);
}

/**
 * ft_bpf_plan_resolve() - where the number a name means at an event lives
 * @c: the translation; its error buffer gets the reason on failure
 * @fmt: the event's format, NULL for a plain probe
 * @probe: the event runs BPF with a probe's registers, not with its record
 * @name: the field or pseudo-field
 * @n: filled in
 *
 * Return: 0, or -EINVAL with the reason in @c's error buffer.
 */
int ft_bpf_plan_resolve(struct ctx *c, const struct ft_event_format *fmt, bool probe,
			const char *name, struct ft_bpf_num *n)
{
	const struct ft_field *f = fmt ? ft_format_field(fmt, name) : NULL;
	bool latency = c->spec->end_event != NULL;
	char names[400];

	if (!strcmp(name, "common_timestamp"))
		return ft_bpf_plan_fail(c->err, c->errsize,
					"the BPF backend has no common_timestamp%s", ADVICE);
	if (!fmt && !strcmp(name, "common_type"))
		return ft_bpf_plan_fail(
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
		return ft_bpf_plan_fail(
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
			return ft_bpf_plan_fail(c->err, c->errsize, "no field '%s' in %s:%s%s",
						name, fmt ? fmt->system : c->spec->system,
						fmt ? fmt->name : c->spec->event, names);
		field_names(fmt, names, sizeof(names));
		return ft_bpf_plan_fail(c->err, c->errsize, "no field '%s' in %s:%s%s%s%s", name,
					fmt ? fmt->system : c->spec->system,
					fmt ? fmt->name : c->spec->event,
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
			return ft_bpf_plan_fail(c->err, c->errsize,
						"'%s' is a dynamic array, not a number%s", name,
						ADVICE);
		return 0;
	}
	if (f->is_array || f->size <= 0 || f->size > 8 || (f->size & (f->size - 1)))
		return ft_bpf_plan_fail(c->err, c->errsize,
					"'%s' (%s) is not a number the BPF backend reads%s", name,
					f->type, ADVICE);
	*n = (struct ft_bpf_num){ .src = FT_SRC_FIELD,
				  .offset = (uint16_t)f->offset,
				  .size = (uint8_t)f->size,
				  .is_signed = f->is_signed };
	return 0;
}
