// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lists of writes: what a dry run returns. Each prints as the shell command a person could
 * run to make the same change, with the text quoted for sh, so that the output of a dry run
 * is exact (the bytes that would be written) and can be pasted.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "writes.h"

/**
 * ft_writes_add() - append a change to a list
 * @w: the list (zeroed to start)
 * @op: what kind
 * @path: the file or directory
 * @text: what is written or loaded; NULL for ""
 *
 * Return: 0 or -ENOMEM (the list is left as it was).
 */
int ft_writes_add(struct ft_writes *w, enum ft_write_op op, const char *path, const char *text)
{
	struct ft_write *nv = realloc(w->v, (w->n + 1) * sizeof(*nv));
	struct ft_write x = { op, strdup(path), strdup(text ? text : "") };

	if (nv)
		w->v = nv;
	if (!nv || !x.path || !x.text) {
		free(x.path);
		free(x.text);
		return -ENOMEM;
	}
	w->v[w->n++] = x;
	return 0;
}

/**
 * ft_writes_tfs() - append a change to a tracefs file
 * @w: the list
 * @op: what kind
 * @dir: the tracing directory
 * @inst: the instance, NULL or "" for the top level
 * @rel: the file relative to the instance (or top level), e.g. "events/sched/sched_switch/enable";
 *       "" for the instance directory itself
 * @text: what is written; NULL for ""
 *
 * Return: 0 or -ENOMEM.
 */
int ft_writes_tfs(struct ft_writes *w, enum ft_write_op op, const char *dir, const char *inst,
		  const char *rel, const char *text)
{
	bool in = inst && *inst;
	char *path;
	int ret;

	if (asprintf(&path, "%s%s%s%s%s", dir, in ? "/instances/" : "", in ? inst : "",
		     *rel ? "/" : "", rel) < 0)
		return -ENOMEM;
	ret = ft_writes_add(w, op, path, text);
	free(path);
	return ret;
}

/* @s quoted for sh: in single quotes, a single quote written as '\'' */
static void quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/**
 * ft_write_format() - a change as the shell command that makes it
 * @x: the change
 *
 * Return: one line without its newline, to free(); NULL (ENOMEM).
 */
char *ft_write_format(const struct ft_write *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	switch (x->op) {
	case FT_WRITE_APPEND:
	case FT_WRITE_SET:
		fputs("echo ", f);
		quote(f, x->text);
		fprintf(f, " %s %s", x->op == FT_WRITE_APPEND ? ">>" : ">", x->path);
		break;
	case FT_WRITE_MKDIR:
		fprintf(f, "mkdir %s", x->path);
		break;
	case FT_WRITE_RMDIR:
		fprintf(f, "rmdir %s", x->path);
		break;
	case FT_WRITE_MKDIR_P:
		fprintf(f, "mkdir -p %s", x->path);
		break;
	case FT_WRITE_BPF_PIN:
		fprintf(f, "load %s and pin it at %s", x->text, x->path);
		break;
	case FT_WRITE_BPF_UNPIN:
		fprintf(f, "rm -r %s", x->path);
		break;
	case FT_WRITE_BPF_MAP:
		fprintf(f, "update the maps pinned at %s: %s", x->path, x->text);
		break;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/**
 * ft_writes_print() - print a list of changes, one line each
 * @w: the list
 * @f: the stream
 *
 * Return: 0, -ENOMEM or -EIO.
 */
int ft_writes_print(const struct ft_writes *w, FILE *f)
{
	for (size_t i = 0; i < w->n; i++) {
		char *line = ft_write_format(&w->v[i]);

		if (!line)
			return -ENOMEM;
		fprintf(f, "%s\n", line);
		free(line);
	}
	return ferror(f) ? -EIO : 0;
}

/**
 * ft_writes_json() - a list of changes as a JSON array member (schema: ftrig(1), JSON OUTPUT)
 * @j: the writer, inside an object
 * @key: the member's name
 * @w: the list
 *
 * Each change is {"op", "path", "text", "shell"}: op one of append, set, mkdir, rmdir,
 * mkdir_p, bpf_pin, bpf_unpin, bpf_map; text the bytes written or loaded ("" when none);
 * shell the line a dry run prints.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_writes_json(struct ft_json *j, const char *key, const struct ft_writes *w)
{
	static const char *const op[] = {
		[FT_WRITE_APPEND] = "append",	    [FT_WRITE_SET] = "set",
		[FT_WRITE_MKDIR] = "mkdir",	    [FT_WRITE_RMDIR] = "rmdir",
		[FT_WRITE_MKDIR_P] = "mkdir_p",	    [FT_WRITE_BPF_PIN] = "bpf_pin",
		[FT_WRITE_BPF_UNPIN] = "bpf_unpin", [FT_WRITE_BPF_MAP] = "bpf_map",
	};
	int ret = 0;

	ft_json_begin_arr(j, key);
	for (size_t i = 0; i < w->n; i++) {
		char *line = ft_write_format(&w->v[i]);

		if (!line) {
			ret = -ENOMEM;
			break;
		}
		ft_json_begin_obj(j, NULL);
		ft_json_str(j, "op", op[w->v[i].op]);
		ft_json_str(j, "path", w->v[i].path);
		ft_json_str(j, "text", w->v[i].text);
		ft_json_str(j, "shell", line);
		ft_json_end(j, '}');
		free(line);
	}
	ft_json_end(j, ']');
	return ret;
}

/**
 * ft_writes_release() - free the changes of a list and empty it
 * @w: the list
 */
void ft_writes_release(struct ft_writes *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].path);
		free(w->v[i].text);
	}
	free(w->v);
	w->v = NULL;
	w->n = 0;
}
