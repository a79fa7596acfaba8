// SPDX-License-Identifier: GPL-2.0-only
/*
 * Metric and label names by Prometheus's rules, label values and help texts escaped as both
 * text formats want them, numbers printed so they read back exactly, and the choice of format
 * by the scraper's Accept header.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "metrics/om-int.h"

/**
 * ft_om_sanitize() - a name made a valid Prometheus metric or label name, in snake case
 * @buf: where to write
 * @size: its size (at least 1)
 * @s: the name (an event, field or system name)
 * @label: a label name: a leading digit gets a '_' before it
 *
 * camelCase becomes camel_case, letters lower case, every character outside [a-z0-9_] a
 * '_', runs of '_' one, and no '_' at either end (a name starting with "__" is reserved).
 *
 * Return: the length written (truncated to fit).
 */
size_t ft_om_sanitize(char *buf, size_t size, const char *s, bool label)
{
	unsigned char last_in = 0;
	char last_out = '_'; /* no '_' at the start */
	size_t n = 0;

	for (; *s && n + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;
		char out = isalnum(c) && c < 0x80 ? (char)tolower(c) : '_';

		/* camelCase: a word starts at an upper-case letter after a lower one or a digit */
		if (isupper(c) && (islower(last_in) || isdigit(last_in)) && last_out != '_')
			buf[n++] = last_out = '_';
		last_in = c;
		if (out == '_' && last_out == '_')
			continue;
		if (!n && label && isdigit(c))
			buf[n++] = '_';
		buf[n++] = last_out = out;
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = '\0';
	return n;
}

/* The length of the valid UTF-8 sequence at @s, 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80		   ? 1
		   : (s[0] & 0xe0) == 0xc0 ? 2
		   : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4
					   : 0;

	if (s[0] >= 0x80 && s[0] < 0xc2)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/**
 * ft_om_escape() - write a label value or help text as the text formats want it
 * @f: where to
 * @s: the text
 * @help: a help text (0.0.4 escapes no '"' there; OpenMetrics does, so both are escaped
 *        the same and help texts simply never hold one)
 *
 * '\' '"' and newline become \\ \" \n; bytes that are not UTF-8 (a comm may hold any) become
 * '?', since Prometheus refuses the whole scrape otherwise.
 */
void ft_om_escape(FILE *f, const char *s, bool help)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (!n) {
			fputc('?', f);
			p++;
			continue;
		}
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"' && !help)
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fwrite(p, 1, n, f);
		p += n;
	}
}

/**
 * ft_om_double() - a number as the shortest text that reads back as the same double
 * @buf: where to write
 * @size: its size
 * @v: the number
 *
 * "+Inf", "-Inf" and "NaN" as both formats spell them.
 */
void ft_om_double(char *buf, size_t size, double v)
{
	if (v != v) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
		snprintf(buf, size, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* whole numbers as integers: a count read as a gauge prints as the count */
	if (v == (double)(long long)v && v < 1e15 && v > -1e15) {
		snprintf(buf, size, "%lld", (long long)v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/**
 * om_label() - append name="value" (escaped) to a label list
 * @buf: the list, realloc()ed (NULL to start one)
 * @len: its length
 * @name: the label's name (valid already)
 * @value: its value
 *
 * Return: 0 or -ENOMEM.
 */
int om_label(char **buf, size_t *len, const char *name, const char *value)
{
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	char *nb;

	if (!f)
		return -ENOMEM;
	fprintf(f, "%s%s=\"", *len ? "," : "", name);
	ft_om_escape(f, value, false);
	fputc('"', f);
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	nb = realloc(*buf, *len + tlen + 1);
	if (!nb) {
		free(text);
		return -ENOMEM;
	}
	memcpy(nb + *len, text, tlen + 1);
	*buf = nb;
	*len += tlen;
	free(text);
	return 0;
}

/**
 * ft_om_negotiate() - the format a scraper asked for in its Accept header
 * @accept: the header, or NULL
 *
 * OpenMetrics when the header names application/openmetrics-text (with a version of 1.x or
 * none) with a non-zero q, the text format otherwise (what every Prometheus reads).
 *
 * Return: the format.
 */
enum ft_om_format ft_om_negotiate(const char *accept)
{
	const char *p = accept;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		char part[256];
		const char *q, *ver;

		snprintf(part, sizeof(part), "%.*s", (int)(n < sizeof(part) ? n : sizeof(part) - 1),
			 p);
		p += n + (p[n] == ',');
		while (*part && strchr(" \t", part[0]))
			memmove(part, part + 1, strlen(part));
		if (strncasecmp(part, "application/openmetrics-text", 28) ||
		    (part[28] && !strchr("; \t", part[28])))
			continue;
		q = strstr(part, "q=");
		if (q && strtod(q + 2, NULL) <= 0)
			continue;
		ver = strstr(part, "version=");
		if (ver && strncmp(ver + 8, "1.", 2))
			continue;
		return FT_OM_OPENMETRICS;
	}
	return FT_OM_TEXT;
}

/**
 * ft_om_content_type() - the Content-Type of a format
 * @fmt: the format
 *
 * Return: a static string.
 */
const char *ft_om_content_type(enum ft_om_format fmt)
{
	return fmt == FT_OM_OPENMETRICS ? FT_OM_CT_OPENMETRICS : FT_OM_CT_TEXT;
}
