// SPDX-License-Identifier: GPL-2.0-only
/*
 * Why a trigger was refused, shown against the user's own text: a caret under the token
 * (ft_trig_caret()), the kernel's error_log entry placed in what was written
 * (ft_trig_kernel_error()), and both logged (ft_trig_report()).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "triggers/errors.h"

/**
 * ft_trig_caret() - @text with a caret line under the token @err points at
 * @text: the trigger as the user gave it
 * @err: the error (pos -1: no caret line)
 * @indent: put before both lines
 *
 * Return: "INDENTtext\nINDENT   ^~~~\n" for the caller to free, or NULL with errno set.
 */
char *ft_trig_caret(const char *text, const struct ft_trig_error *err, const char *indent)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	fprintf(f, "%s%s\n", indent, text);
	if (err->pos >= 0 && (size_t)err->pos <= strlen(text)) {
		fputs(indent, f);
		for (int i = 0; i < err->pos; i++)
			fputc(text[i] == '\t' ? '\t' : ' ', f);
		fputc('^', f);
		for (int i = 1; i < err->len && err->pos + i < (int)strlen(text); i++)
			fputc('~', f);
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

/**
 * ft_trig_kernel_error() - the kernel's error_log entry, placed in what the user wrote
 * @entry: the last error_log entry ("[ts] hist:sys:event: error: MSG\n  Command: CMD\n
 *         <blanks>^\n")
 * @written: the trigger text that was written (and that the user gave)
 * @err: set to the message and to the caret's offset in @written (-1 without a caret)
 *
 * Return: 0, or -ENOENT when @entry is not an error_log entry or is about another command.
 */
int ft_trig_kernel_error(const char *entry, const char *written, struct ft_trig_error *err)
{
	const char *m = entry ? strstr(entry, "error: ") : NULL, *cmd, *caret, *eol, *line;
	const char *at;
	size_t cmdlen;
	int col;

	if (!m)
		return -ENOENT;
	m += 7;
	eol = strchrnul(m, '\n');
	/* "event filter parse error: error: MSG": the message follows the last "error: ". */
	for (const char *n; (n = strstr(m, "error: ")) && n < eol;)
		m = n + 7;
	cmd = strstr(eol, "Command: ");
	while (isspace((unsigned char)*written))
		written++;
	at = written;
	cmdlen = cmd ? strcspn(cmd + 9, "\n") : 0;
	/* A filter's parse error quotes only the filter, what follows "if"; an entry about
	 * another command (an older failure) says nothing about this one. */
	if (cmd && strncmp(cmd + 9, written, cmdlen)) {
		at = strstr(written, " if ");
		if (!at)
			return -ENOENT;
		at += 4;
		while (isspace((unsigned char)*at))
			at++;
		if (strncmp(cmd + 9, at, cmdlen) || at[cmdlen])
			return -ENOENT;
	}
	*err = (struct ft_trig_error){ .pos = -1 };
	snprintf(err->msg, sizeof(err->msg), "the kernel refused it: %.*s", (int)(eol - m), m);
	if (!cmd)
		return 0;
	caret = strchr(cmd, '\n');
	if (!caret || !strchr(caret + 1, '^'))
		return 0;
	line = cmd;
	while (line > entry && line[-1] != '\n')
		line--;
	/* The caret line counts from the start of the Command line. */
	col = (int)(strchr(caret + 1, '^') - (caret + 1)) - (int)(cmd + 9 - line);
	/* A missing operand is pointed at past the end ("a ==  ^"): point at the end. */
	if (col >= 0)
		err->pos =
			(int)(at - written) + ((size_t)col <= strlen(at) ? col : (int)strlen(at));
	return 0;
}

/**
 * ft_trig_report() - log an error about a trigger, with a caret under the offending token
 * @text: the trigger as the user gave it
 * @err: what is wrong, and where
 * @what: put before the message (the event, when the message does not name it), or NULL
 */
void ft_trig_report(const char *text, const struct ft_trig_error *err, const char *what)
{
	char *caret = ft_trig_caret(text, err, "    ");
	size_t n = caret ? strlen(caret) : 0;

	if (n && caret[n - 1] == '\n')
		caret[n - 1] = '\0';
	ft_err("%s%s%s\n%s", what ? what : "", what ? ": " : "", err->msg, caret ? caret : "");
	free(caret);
}
