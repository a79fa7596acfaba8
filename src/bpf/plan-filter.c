// SPDX-License-Identifier: GPL-2.0-only
/*
 * The filter of a histogram request as the aggregator tests it: comparisons of numbers
 * ("NAME OP VALUE") joined by && and ||, no parentheses, no strings; anything else is refused
 * saying what can do it instead. Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/plan-int.h"

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
		return ft_bpf_plan_fail(c->err, c->errsize, "filter: expected a field name at '%s'",
					start);
	memcpy(name, start, len);
	name[len] = '\0';
	ret = ft_bpf_plan_resolve(c, fmt, probe, name, &cond->num);
	if (ret)
		return ret;
	if (is_string(&cond->num) || is_stack(&cond->num))
		return ft_bpf_plan_fail(c->err, c->errsize,
					"filter: the BPF backend compares numbers only, "
					"'%s' is not one%s",
					name, ADVICE);
	p = skip_space(p);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(p, ops[i], strlen(ops[i])))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]) || (codes[i] == FT_OP_AND && p[1] == '&'))
		return ft_bpf_plan_fail(c->err, c->errsize,
					"filter: expected ==, !=, <, <=, >, >= or & after "
					"'%s'",
					name);
	cond->op = codes[i];
	p = skip_space(p + strlen(ops[i]));
	errno = 0;
	cond->value = *p == '-' ? (uint64_t)strtoll(p, &end, 0) : strtoull(p, &end, 0);
	if (end == p || errno)
		return ft_bpf_plan_fail(c->err, c->errsize,
					"filter: '%s' needs a number, not '%.20s'%s", name, p,
					*p == '"' || *p == '\'' ? ADVICE : "");
	*s = end;
	return 0;
}

/**
 * ft_bpf_plan_filter() - the filter into the plan's conditions
 * @c: the translation; its plan gets the conditions and their names
 * @fmt: the event's format the filter is tested at, NULL for a plain probe
 * @probe: the event runs BPF with a probe's registers
 * @filter: the filter text
 *
 * Return: 0, or -EINVAL with the reason in @c's error buffer.
 */
int ft_bpf_plan_filter(struct ctx *c, const struct ft_event_format *fmt, bool probe,
		       const char *filter)
{
	struct ft_bpf_cfg *cfg = &c->plan->cfg;
	const char *s = filter;
	int ret;

	if (strpbrk(filter, "()~\""))
		return ft_bpf_plan_fail(
			c->err, c->errsize,
			"filter '%s': the BPF backend takes comparisons of "
			"numbers joined by && and ||, without parentheses or strings%s",
			filter, ADVICE);
	for (;;) {
		if (cfg->nconds >= FT_BPF_MAX_CONDS)
			return ft_bpf_plan_fail(c->err, c->errsize,
						"filter: at most %d comparisons%s",
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
			return ft_bpf_plan_fail(c->err, c->errsize,
						"filter: expected && or || at '%s'", s);
		s += 2;
	}
}
