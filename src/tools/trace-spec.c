// SPDX-License-Identifier: GPL-2.0-only
/*
 * bcc trace's probe specs, parsed into what tracefs does with them: a kprobe or uprobe with
 * one fetch argument per value printed or filtered on (its type from the printf conversion or
 * the filter's cast), or a tracepoint as it is; and the predicate in parentheses turned into
 * the kernel's event filter on those fields, so events are filtered where they happen. Pure.
 *
 *     [p:|r:]FUNCTION | [p:|r:]:FUNCTION | [p:|r:]BINARY:SYMBOL | t:SYSTEM:EVENT
 *         [(PREDICATE)] ["FORMAT"[, ARG...]]
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace.h"

#define BAD(...) (snprintf(err, errsz, __VA_ARGS__), -EINVAL)

static bool is_probe(const struct ft_trace_probe *p)
{
	return p->kind != FT_TRACE_TRACEPOINT;
}

static bool is_return(const struct ft_trace_probe *p)
{
	return p->kind == FT_TRACE_KRETPROBE || p->kind == FT_TRACE_URETPROBE;
}

/**
 * ft_trace_is_kernel() - whether a probe is on a kernel function (needs kprobe events)
 * @p: the probe
 *
 * Return: true for kprobes and kretprobes.
 */
bool ft_trace_is_kernel(const struct ft_trace_probe *p)
{
	return p->kind == FT_TRACE_KPROBE || p->kind == FT_TRACE_KRETPROBE;
}

/* A function or symbol name, with an optional +OFFSET. */
static bool symbol_ok(const char *s)
{
	size_t n = strcspn(s, "+");

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.$@", s[i]))
			return false;
	if (!s[n])
		return true;
	s += n + 1;
	if (!strncmp(s, "0x", 2))
		s += 2;
	return *s && strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

/* The probe word: its kind, target and FUNC column. */
static int probe_word(const char *w, struct ft_trace_probe *p, char *err, size_t errsz)
{
	bool ret = !strncmp(w, "r:", 2);
	const char *rest = w, *colon;

	if (strpbrk(w, "*?["))
		return BAD("'%s': one function per probe, not a glob (funccount counts globs)", w);
	if (strchr(w, '('))
		return BAD("'%s': no signatures; name the arguments arg1..arg%d, and put a space "
			   "before the (filter)",
			   w, FT_TRACE_MAX_ARGN);
	if (!strncmp(w, "u:", 2))
		return BAD("'%s': USDT probes are not supported; a uprobe on the function is "
			   "BINARY:SYMBOL",
			   w);
	if (!strncmp(w, "t:", 2)) {
		rest = w + 2;
		colon = strchr(rest, ':');
		if (!colon || colon == rest || !colon[1] || strchr(colon + 1, ':'))
			return BAD("'%s': a tracepoint is t:SYSTEM:EVENT ('ftrig list events' "
				   "shows them)",
				   w);
		p->kind = FT_TRACE_TRACEPOINT;
		snprintf(p->target, sizeof(p->target), "%s", rest);
		snprintf(p->func, sizeof(p->func), "%s", colon + 1);
		return 0;
	}
	if (ret || !strncmp(w, "p:", 2))
		rest = w + 2;
	if (*rest == ':') /* bcc's p::FUNCTION: no library, the kernel */
		rest++;
	colon = strrchr(rest, ':');
	if (colon && !memchr(rest, '/', (size_t)(colon - rest)))
		return BAD("'%.*s' is not a path: a uprobe is BINARY:SYMBOL with the program's "
			   "or library's path (/usr/lib/x86_64-linux-gnu/libc.so.6:malloc); a "
			   "tracepoint is t:SYSTEM:EVENT",
			   (int)(colon - rest), rest);
	if (!symbol_ok(colon ? colon + 1 : rest))
		return BAD("'%s': %s", w,
			   *rest ? "not a function name ([p:|r:]FUNCTION, [p:|r:]BINARY:SYMBOL)"
				 : "say which function");
	if (colon)
		p->kind = ret ? FT_TRACE_URETPROBE : FT_TRACE_UPROBE;
	else
		p->kind = ret ? FT_TRACE_KRETPROBE : FT_TRACE_KPROBE;
	snprintf(p->target, sizeof(p->target), "%s", rest);
	snprintf(p->func, sizeof(p->func), "%.*s", (int)strcspn(colon ? colon + 1 : rest, "+"),
		 colon ? colon + 1 : rest);
	return 0;
}

/* Where the closing @close of what opens at @s is, past quoted strings; NULL if nowhere. */
static const char *closing(const char *s, char close)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '"' || *s == '\'') {
			const char *q = s + 1;

			while (*q && *q != *s)
				q += q[0] == '\\' && q[1] ? 2 : 1;
			if (!*q)
				return NULL;
			s = q;
		} else if (*s == '(') {
			depth++;
		} else if (*s == ')' && --depth == 0 && close == ')') {
			return s;
		}
	}
	return NULL;
}

/* The format between quotes at @s, its escapes resolved; *end set past the closing quote. */
static int format_text(const char *s, struct ft_trace_probe *p, const char **end, char *err,
		       size_t errsz)
{
	size_t n = 0;

	for (s++; *s && *s != '"'; s++) {
		char c = *s;

		if (c == '\\' && s[1]) {
			c = *++s;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			if (!strchr("nt\"\\", *s) && n + 1 < sizeof(p->format))
				p->format[n++] = '\\';
		}
		if (n + 1 >= sizeof(p->format))
			return BAD("the format is longer than %zu characters",
				   sizeof(p->format) - 1);
		p->format[n++] = c;
	}
	if (!*s)
		return BAD("the format's closing '\"' is missing");
	p->format[n] = '\0';
	*end = s + 1;
	return 0;
}

/*
 * The conversion at @f (after its '%'): its text into @conv, the fetch type into @type ("" for
 * strings: the caller picks string or ustring). Returns its length, or -EINVAL.
 */
static int conversion(const char *f, char *conv, size_t csize, char *type, char *err, size_t errsz)
{
	size_t n = strspn(f, "-+ #0"), len;
	char c;
	int bits;

	n += strspn(f + n, "0123456789");
	if (f[n] == '.')
		n += 1 + strspn(f + n + 1, "0123456789");
	len = !strncmp(f + n, "ll", 2) || !strncmp(f + n, "hh", 2) ? 2 : strchr("lh", f[n]) ? 1 : 0;
	c = f[n + len];
	bits = len == 0 ? 32 : f[n] == 'l' ? 64 : len == 2 ? 8 : 16;
	if (c == 'K' || c == 'U')
		return BAD("%%%c: symbols are not resolved by ftrig trace; print the address "
			   "with %%llx",
			   c);
	if (!c || !strchr("diuxXcsp", c) || (len && strchr("csp", c)))
		return BAD("'%%%.*s': the conversions are %%d %%i %%u %%x %%c %%s %%p, with h, l "
			   "or ll before d i u x",
			   (int)(n + len + (c ? 1 : 0)), f);
	if (n + len + 1 >= csize)
		return BAD("'%%%.*s': too long a conversion", (int)(n + len + 1), f);
	snprintf(conv, csize, "%.*s", (int)(n + len + 1), f);
	if (c == 's')
		snprintf(type, 8, "%s", "");
	else if (c == 'c')
		snprintf(type, 8, "u8");
	else if (c == 'p')
		snprintf(type, 8, "x64");
	else
		snprintf(type, 8, "%c%d", c == 'd' || c == 'i' ? 's' : c == 'u' ? 'u' : 'x', bits);
	return (int)(n + len + 1);
}

/* "arg3" -> 3, else 0. */
static int argn(const char *s, size_t len)
{
	if (len != 4 || strncmp(s, "arg", 3) || s[3] < '1' || s[3] > '0' + FT_TRACE_MAX_ARGN)
		return 0;
	return s[3] - '0';
}

/* One printed value: @expr (trimmed) for the conversion @conv of type @type. */
static int one_arg(struct ft_trace_probe *p, char *expr, const char *conv, const char *type,
		   char *err, size_t errsz)
{
	struct ft_trace_arg *a = &p->args[p->nargs];
	const char *at = strchr(expr, '@');
	size_t len = at ? (size_t)(at - expr) : strlen(expr);
	bool str = !type[0], user = at && !strcmp(at, "@user");
	int n = argn(expr, len);

	if (at && !user)
		return BAD("'%s': the only qualifier is @user (a string in user memory)", expr);
	if (user && !str)
		return BAD("'%s': @user goes with %%s (a string in user memory)", expr);
	snprintf(a->conv, sizeof(a->conv), "%s", conv);
	if (!strcmp(expr, "$pid")) {
		snprintf(a->field, sizeof(a->field), "common_pid");
	} else if (!is_probe(p)) {
		const char *f = !strncmp(expr, "args->", 6) ? expr + 6 : expr;

		expr[len] = '\0'; /* FIELD@user: the field, read from user memory (an eprobe) */
		if (user)
			snprintf(a->type, sizeof(a->type), "ustring");

		if (!*f ||
		    strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
			    strlen(f))
			return BAD("'%s': a tracepoint's arguments are its fields, args->FIELD or "
				   "FIELD ('ftrig list events %s --fields' shows them)",
				   expr, p->target);
		snprintf(a->field, sizeof(a->field), "%s", f);
	} else if (n || (len == 6 && !strncmp(expr, "retval", 6))) {
		if (!n && !is_return(p))
			return BAD("'%s': retval is a return probe's (r:%s)", expr, p->target);
		snprintf(a->field, sizeof(a->field), "v%zu", p->nargs);
		snprintf(a->fetch, sizeof(a->fetch), "%s%s%.*s%s", str ? "+0(" : "",
			 n ? "$arg" : "$retval", n ? 1 : 0, expr + 3, str ? ")" : "");
		/* uprobes read user memory with either type; kprobes need to be told */
		snprintf(a->type, sizeof(a->type), "%s",
			 !str				 ? type
			 : user && ft_trace_is_kernel(p) ? "ustring"
							 : "string");
	} else {
		return BAD("'%s': a probe's values are arg1..arg%d, retval (return probes) and "
			   "$pid",
			   expr, FT_TRACE_MAX_ARGN);
	}
	p->nargs++;
	return 0;
}

/* How many conversions @f has ("%%" is none). */
static size_t conversions(const char *f)
{
	size_t n = 0;

	for (; *f; f++)
		if (*f == '%' && f[1] == '%')
			f++;
		else if (*f == '%')
			n++;
	return n;
}

/* The format's conversions, and the arguments after it (from @s, after the format). */
static int format_args(struct ft_trace_probe *p, const char *s, char *err, size_t errsz)
{
	size_t nconv = conversions(p->format), nargs = 0;
	const char *f = p->format;

	for (const char *c = s; *c; c++)
		nargs += *c == ',';
	while (isspace((unsigned char)*s))
		s++;
	if (*s && *s != ',')
		return BAD("'%s': the arguments follow the format after a ','", s);
	if (nconv != nargs)
		return BAD("the format has %zu conversion%s but %zu argument%s", nconv,
			   nconv == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s");
	if (nargs > FT_TRACE_MAX_ARGS)
		return BAD("at most %d values in a message", FT_TRACE_MAX_ARGS);
	while (nargs--) {
		char conv[16], type[8], expr[128];
		size_t len;
		int n;

		while (*f != '%' || f[1] == '%')
			f += *f == '%' ? 2 : 1;
		n = conversion(f + 1, conv, sizeof(conv), type, err, errsz);
		if (n < 0)
			return n;
		f += 1 + n;
		s++; /* the ',' */
		len = strcspn(s, ",");
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		while (len && isspace((unsigned char)*s))
			s++, len--;
		if (!len || len >= sizeof(expr))
			return BAD("an empty or too long argument after a ','");
		snprintf(expr, sizeof(expr), "%.*s", (int)len, s);
		if (expr[0] == '(')
			return BAD("'%s': no casts in arguments: the conversion (%%d, %%lld, %%u) "
				   "gives the type",
				   expr);
		n = one_arg(p, expr, conv, type, err, errsz);
		if (n)
			return n;
		s += strcspn(s, ",");
	}
	return 0;
}

/**
 * ft_trace_parse() - one of bcc trace's probe specs into a probe
 * @text: the spec, as the user typed it
 * @p: set to the probe
 * @err: set to what is wrong and how to fix it on -EINVAL
 * @errsz: size of @err
 *
 * Return: 0, -EINVAL (see @err) or -E2BIG (a filter too long, said in @err).
 */
int ft_trace_parse(const char *text, struct ft_trace_probe *p, char *err, size_t errsz)
{
	const char *s = text, *e;
	char word[600];
	size_t n;
	int ret;

	memset(p, 0, sizeof(*p));
	while (isspace((unsigned char)*s))
		s++;
	n = strcspn(s, " \t\n");
	if (!n)
		return BAD("an empty probe: give [p:|r:]FUNCTION, [p:|r:]BINARY:SYMBOL or "
			   "t:SYSTEM:EVENT");
	if (n >= sizeof(word))
		return BAD("the probe '%.40s...' is too long", s);
	snprintf(word, sizeof(word), "%.*s", (int)n, s);
	ret = probe_word(word, p, err, errsz);
	for (s += n; !ret && isspace((unsigned char)*s);)
		s++;
	if (!ret && *s == '(') {
		char pred[512];

		e = closing(s, ')');
		if (!e)
			return BAD("the filter's closing ')' is missing: (PREDICATE)");
		if ((size_t)(e - s - 1) >= sizeof(pred))
			return BAD("the filter is longer than %zu characters", sizeof(pred) - 1);
		snprintf(pred, sizeof(pred), "%.*s", (int)(e - s - 1), s + 1);
		ret = ft_trace_filter(p, pred, err, errsz);
		for (s = e + 1; isspace((unsigned char)*s);)
			s++;
	}
	if (!ret && *s == '"') {
		ret = format_text(s, p, &s, err, errsz);
		if (!ret)
			ret = format_args(p, s, err, errsz);
	} else if (!ret && *s) {
		ret = BAD("'%s': after the probe come a (filter) and a \"format\", arguments", s);
	}
	return ret;
}

/**
 * ft_trace_probe_text() - a probe's definition as `probe add` takes it
 * @p: a kprobe or uprobe
 * @buf: set to "TARGET NAME=FETCH:TYPE ... comm=$comm"
 * @size: size of @buf
 *
 * The task's name is fetched too, so the COMM column is what the task was called at the event.
 *
 * Return: 0, or -E2BIG.
 */
int ft_trace_probe_text(const struct ft_trace_probe *p, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s", p->target);

	for (size_t i = 0; n < size && i < p->nargs + p->nfetch; i++) {
		const struct ft_trace_arg *a = i < p->nargs ? &p->args[i] : &p->fetch[i - p->nargs];

		if (a->fetch[0])
			n += (size_t)snprintf(buf + n, size - n, " %s=%s:%s", a->field, a->fetch,
					      a->type);
	}
	if (n < size)
		n += (size_t)snprintf(buf + n, size - n, " comm=$comm");
	return n < size ? 0 : -E2BIG;
}
