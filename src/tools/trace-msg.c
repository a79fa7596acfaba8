// SPDX-License-Identifier: GPL-2.0-only
/*
 * The message of one `ftrig trace` event: the probe's format with each conversion applied to
 * the value its record holds, with C's meaning (%d an int, %lld a long long, %x an unsigned
 * in hex, %s the string), as bcc's trace prints it. Pure.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tools/trace.h"

/* The flags, width and precision of a conversion, as printf reads them. */
struct spec {
	bool minus, zero, plus, space, hash;
	int width, prec;
};

static const char *spec_of(const char *c, struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; c++) {
		if (*c == '-')
			sp->minus = true;
		else if (*c == '0')
			sp->zero = true;
		else if (*c == '+')
			sp->plus = true;
		else if (*c == ' ')
			sp->space = true;
		else if (*c == '#')
			sp->hash = true;
		else
			break;
	}
	for (; isdigit((unsigned char)*c) && sp->width < 1000; c++)
		sp->width = sp->width * 10 + (*c - '0');
	if (*c == '.')
		for (sp->prec = 0, c++; isdigit((unsigned char)*c) && sp->prec < 1000; c++)
			sp->prec = sp->prec * 10 + (*c - '0');
	return c;
}

/* @body (after @sign) padded to the width: zeros after the sign or spaces, left or right. */
static int pad(const struct spec *sp, const char *sign, const char *body, bool zeros, char *buf,
	       size_t size)
{
	int len = (int)(strlen(sign) + strlen(body)), fill = sp->width > len ? sp->width - len : 0;

	if (sp->minus)
		return snprintf(buf, size, "%s%s%*s", sign, body, fill, "");
	if (zeros && sp->zero && fill)
		return snprintf(buf, size, "%s%0*d%s", sign, fill, 0, body);
	return snprintf(buf, size, "%*s%s%s", fill, "", sign, body);
}

/* One conversion @conv ("-8lld") of @v into @buf, with C's meaning of it. */
static int one(const char *conv, const struct ft_trace_val *v, char *buf, size_t size)
{
	struct spec sp;
	const char *l = spec_of(conv, &sp), *sign = "";
	char c = conv[strlen(conv) - 1], body[4200], digits[32];
	bool h = l[0] == 'h', hh = h && l[1] == 'h', lng = l[0] == 'l';
	unsigned long long u = v->num;
	long long d = (long long)v->num;
	int n;

	if (c == 's') {
		size_t len = v->str ? strnlen(v->str, v->len) : 0;

		if (sp.prec >= 0 && (size_t)sp.prec < len)
			len = (size_t)sp.prec;
		snprintf(body, sizeof(body), "%.*s", (int)len, v->str ? v->str : "");
		return pad(&sp, "", body, false, buf, size);
	}
	if (c == 'p')
		return snprintf(buf, size, "0x%llx", u);
	if (!lng) {
		u = hh ? (uint8_t)u : h ? (uint16_t)u : (uint32_t)u;
		d = hh ? (int8_t)d : h ? (int16_t)d : (int32_t)d;
	}
	if (c == 'c') {
		body[0] = (char)(unsigned char)u;
		body[1] = '\0';
		return pad(&sp, "", body, false, buf, size);
	}
	if (c == 'd' || c == 'i') {
		sign = d < 0 ? "-" : sp.plus ? "+" : sp.space ? " " : "";
		u = d < 0 ? 0ULL - (unsigned long long)d : (unsigned long long)d;
		snprintf(digits, sizeof(digits), "%llu", u);
	} else if (c == 'u') {
		snprintf(digits, sizeof(digits), "%llu", u);
	} else {
		snprintf(digits, sizeof(digits), c == 'X' ? "%llX" : "%llx", u);
		sign = sp.hash && u ? (c == 'X' ? "0X" : "0x") : "";
	}
	n = (int)strlen(digits);
	if (sp.prec > n)
		snprintf(body, sizeof(body), "%0*d%s", sp.prec - n, 0, digits);
	else
		snprintf(body, sizeof(body), "%s", digits);
	return pad(&sp, sign, body, sp.prec < 0, buf, size);
}

/**
 * ft_trace_message() - the message of one event
 * @p: its probe: the format and the conversions
 * @v: the values of the event, one per conversion (@p->nargs)
 * @buf: set to the message, cut to fit
 * @size: size of @buf
 *
 * Return: its length (as snprintf(), what it would have been without the cut).
 */
int ft_trace_message(const struct ft_trace_probe *p, const struct ft_trace_val *v, char *buf,
		     size_t size)
{
	const char *f = p->format;
	size_t n = 0, k = 0;

	if (size)
		buf[0] = '\0';
	while (*f) {
		char tmp[4200];
		size_t len;

		if (*f == '%' && f[1] == '%') {
			tmp[0] = '%';
			tmp[1] = '\0';
			f += 2;
		} else if (*f == '%' && k < p->nargs) {
			one(p->args[k].conv, &v[k], tmp, sizeof(tmp));
			f += 1 + strlen(p->args[k].conv);
			k++;
		} else {
			tmp[0] = *f++;
			tmp[1] = '\0';
		}
		len = strlen(tmp);
		/* as snprintf() "%s" would, without parsing a format per character */
		if (n < size) {
			size_t fit = len < size - n - 1 ? len : size - n - 1;

			memcpy(buf + n, tmp, fit);
			buf[n + fit] = '\0';
		}
		n += len;
	}
	return (int)n;
}
