// SPDX-License-Identifier: GPL-2.0-only
/*
 * bcc trace's predicate, "(retval < 0)", "((int)arg1 == 3 && arg2 != 0)", as the kernel's
 * event filter on the probe's fields: each argN or retval becomes a fetch argument of its own
 * (typed s64, or as a cast says), args->FIELD a tracepoint's field, $pid common_pid. What the
 * kernel's filter cannot do (arithmetic, calls such as STRCMP) is refused here, saying so,
 * rather than left to a filter the kernel refuses or, worse, one that means something else.
 * Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tools/trace.h"

#define BAD(...) (snprintf(err, errsz, __VA_ARGS__), -EINVAL)

/* The C types a cast may name, and the fetch type each reads. */
static const struct {
	const char *c;
	const char *type;
} casts[] = {
	{ "int", "s32" },
	{ "signed int", "s32" },
	{ "signed", "s32" },
	{ "unsigned", "u32" },
	{ "unsigned int", "u32" },
	{ "long", "s64" },
	{ "unsigned long", "u64" },
	{ "long long", "s64" },
	{ "unsigned long long", "u64" },
	{ "short", "s16" },
	{ "unsigned short", "u16" },
	{ "char", "s8" },
	{ "unsigned char", "u8" },
	{ "s8", "s8" },
	{ "u8", "u8" },
	{ "s16", "s16" },
	{ "u16", "u16" },
	{ "s32", "s32" },
	{ "u32", "u32" },
	{ "s64", "s64" },
	{ "u64", "u64" },
	{ "int32_t", "s32" },
	{ "uint32_t", "u32" },
	{ "int64_t", "s64" },
	{ "uint64_t", "u64" },
	{ "size_t", "u64" },
	{ "ssize_t", "s64" },
};

struct out {
	char *buf;
	size_t size, n;
};

static int put(struct out *o, const char *s, size_t len)
{
	if (o->n + len >= o->size)
		return -E2BIG;
	memcpy(o->buf + o->n, s, len);
	o->n += len;
	o->buf[o->n] = '\0';
	return 0;
}

/* A cast "(TYPE)" at @s: its fetch type, and its length; 0 when @s is no cast. */
static size_t cast_at(const char *s, const char **type)
{
	const char *e = strchr(s, ')');
	char words[64];
	size_t k = 0;

	if (!e || (size_t)(e - s) >= sizeof(words))
		return 0;
	for (const char *c = s + 1; c < e; c++) {
		if (isspace((unsigned char)*c)) {
			if (k && words[k - 1] != ' ')
				words[k++] = ' ';
		} else if (isalnum((unsigned char)*c) || *c == '_') {
			words[k++] = *c;
		} else {
			return 0;
		}
	}
	while (k && words[k - 1] == ' ')
		k--;
	words[k] = '\0';
	for (size_t i = 0; i < sizeof(casts) / sizeof(casts[0]); i++)
		if (!strcmp(words, casts[i].c)) {
			*type = casts[i].type;
			return (size_t)(e - s) + 1;
		}
	return 0;
}

/* The field of a probe's value @name ("arg2", "retval") read as @type, fetched once. */
static int value_field(struct ft_trace_probe *p, const char *name, const char *type, struct out *o)
{
	char field[64];
	size_t i;

	if (strcmp(type, "s64"))
		snprintf(field, sizeof(field), "%s_%s", name, type);
	else
		snprintf(field, sizeof(field), "%s", name);
	for (i = 0; i < p->nfetch && strcmp(p->fetch[i].field, field); i++)
		;
	if (i == p->nfetch) {
		struct ft_trace_arg *a = &p->fetch[p->nfetch];

		if (p->nfetch == FT_TRACE_MAX_FETCH)
			return -E2BIG;
		snprintf(a->field, sizeof(a->field), "%s", field);
		snprintf(a->fetch, sizeof(a->fetch), "$%s", name);
		snprintf(a->type, sizeof(a->type), "%s", type);
		p->nfetch++;
	}
	return put(o, field, strlen(field));
}

/* The name at @s (@len long, "args->" included) as a field of the event. */
static int name(struct ft_trace_probe *p, const char *s, size_t len, const char *cast,
		struct out *o, char *err, size_t errsz)
{
	bool probe = p->kind != FT_TRACE_TRACEPOINT;
	bool ret = p->kind == FT_TRACE_KRETPROBE || p->kind == FT_TRACE_URETPROBE;
	char w[128];

	snprintf(w, sizeof(w), "%.*s", (int)len, s);
	if (cast && !probe)
		return BAD("'%s': casts apply to a probe's arg1..arg%d and retval; a tracepoint's "
			   "fields have their types",
			   w, FT_TRACE_MAX_ARGN);
	if (!strcmp(w, "$pid"))
		return put(o, "common_pid", 10);
	if (!strcmp(w, "$cpu"))
		return put(o, "CPU", 3);
	if (w[0] == '$')
		return BAD("'%s': the filter knows $pid and $cpu (the kernel's records have no "
			   "tgid, uid or gid)",
			   w);
	if (!strcmp(w, "STRCMP"))
		return BAD("STRCMP: compare a tracepoint's string field with == \"TEXT\" or "
			   "~ \"GLOB\"; the kernel's filter calls no functions");
	if (!probe)
		return put(o, w + (strncmp(w, "args->", 6) ? 0 : 6),
			   len - (strncmp(w, "args->", 6) ? 0 : 6));
	if (!strcmp(w, "retval") && !ret)
		return BAD(
			"'retval' in the filter of an entry probe: it is a return probe's (r:%s)",
			p->target);
	if (strcmp(w, "retval") &&
	    (len != 4 || strncmp(w, "arg", 3) || w[3] < '1' || w[3] > '0' + FT_TRACE_MAX_ARGN))
		return BAD("'%s': a probe's filter compares arg1..arg%d, retval (return probes) "
			   "and $pid",
			   w, FT_TRACE_MAX_ARGN);
	if (value_field(p, w, cast ? cast : "s64", o))
		return BAD("the filter compares more than %d values", FT_TRACE_MAX_FETCH);
	return 0;
}

/* The length of the operator at @s, 0 if none: the kernel's comparisons and logic. */
static size_t operator(const char *s)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "&&", "||",
					   "<",	 ">",  "&",  "~",  "!",	 "(" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(s, ops[i], strlen(ops[i])))
			return strlen(ops[i]);
	return *s == ')' ? 1 : 0;
}

/**
 * ft_trace_filter() - a probe's predicate as the kernel's event filter
 * @p: the probe, its kind known; its @filter is set, and @fetch gets what the filter compares
 * @pred: the predicate, without its parentheses
 * @err: set to what is wrong on -EINVAL
 * @errsz: size of @err
 *
 * Return: 0 or -EINVAL (see @err).
 */
int ft_trace_filter(struct ft_trace_probe *p, const char *pred, char *err, size_t errsz)
{
	struct out o = { p->filter, sizeof(p->filter), 0 };
	const char *s = pred, *cast = NULL;
	int ret = 0;

	p->filter[0] = '\0';
	while (!ret && *s) {
		size_t n = 0, c;

		if (isspace((unsigned char)*s)) {
			ret = cast ? 0 : put(&o, s, 1); /* "(int) arg1" is "(int)arg1" */
			s++;
			continue;
		}
		if (*s == '"' || *s == '\'') {
			for (n = 1; s[n] && s[n] != *s; n += s[n] == '\\' && s[n + 1] ? 2 : 1)
				;
			if (!s[n])
				return BAD("a string in the filter lacks its closing %c", *s);
			n++;
		} else if (isdigit((unsigned char)*s) ||
			   (*s == '-' && isdigit((unsigned char)s[1]))) {
			n = 1 + strspn(s + 1, "0123456789abcdefABCDEFxX");
		} else if (*s == '(' && (c = cast_at(s, &cast))) {
			s += c;
			continue;
		} else if (isalpha((unsigned char)*s) || *s == '_' || *s == '$') {
			n = 1 + strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					      "0123456789_");
			if (!strncmp(s, "args->", 6))
				n = 6 + strspn(s + 6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
						      "QRSTUVWXYZ0123456789_");
			ret = name(p, s, n, cast, &o, err, errsz);
			cast = NULL;
			s += n;
			continue;
		} else if (!(n = operator(s))) {
			return BAD("'%c' in the filter '%s': the kernel's event filter compares "
				   "values with numbers and strings (== != < <= > >= & ~), joined "
				   "by && || ! and parentheses; it does no arithmetic",
				   *s, pred);
		}
		if (cast)
			return BAD("a cast in the filter '%s' applies to arg1..arg%d or retval",
				   pred, FT_TRACE_MAX_ARGN);
		ret = put(&o, s, n);
		s += n;
	}
	if (ret == -E2BIG)
		return BAD("the filter '%s' is too long", pred);
	if (!ret && cast)
		return BAD("the filter '%s' ends with a cast", pred);
	return ret;
}
