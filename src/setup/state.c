// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the kernel and the journals say about a setup file: it is read and parsed, each
 * line's journal found, whether what the line makes is there now, which journals belong to
 * lines the file no longer has, and which names the file creates that later lines use.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "names.h"
#include "setup/engine.h"
#include "setup/steps.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "util.h"

static char *abs_path(const char *path)
{
	char buf[PATH_MAX], cwd[PATH_MAX], *p;

	if (realpath(path, buf))
		return strdup(buf);
	/* Teardown of a file deleted since: its path as it was given. */
	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return strdup(path);
	return asprintf(&p, "%s/%s", cwd, path) < 0 ? NULL : p;
}

/**
 * ft_setup_tag_of_file() - whether a journal's tag is one of a setup file's lines
 * @tag: the tag, "ABS\nKEY"
 * @abs: the file's absolute path
 *
 * Return: true when it is.
 */
bool ft_setup_tag_of_file(const char *tag, const char *abs)
{
	size_t n = strlen(abs);

	return !strncmp(tag, abs, n) && tag[n] == '\n';
}

/**
 * ft_setup_run_journal() - the persistent journal tagged @tag
 * @r: the run
 * @tag: the tag
 *
 * Return: the journal, owned by @r until its next rescan, or NULL when there is none.
 */
const struct ft_journal *ft_setup_run_journal(const struct ft_setup_run *r, const char *tag)
{
	for (size_t i = 0; i < r->nj; i++)
		if (r->j[i].journal.pid == 0 && !strcmp(r->j[i].journal.tag, tag))
			return &r->j[i].journal;
	return NULL;
}

/**
 * ft_setup_run_release() - free what a run holds; the run may be zeroed or half loaded
 * @r: the run
 */
void ft_setup_run_release(struct ft_setup_run *r)
{
	for (size_t i = 0; r->tags && r->s && i < r->s->nlines; i++)
		free(r->tags[i]);
	for (size_t i = 0; i < r->npending; i++)
		free(r->pending[i]);
	free(r->pending);
	free(r->tags);
	free(r->status);
	ft_ledger_scan_free(r->j, r->nj);
	ft_setup_free(r->s);
	free(r->abs);
	if (r->t)
		ft_tfs_close(r->t);
	memset(r, 0, sizeof(*r));
}

/**
 * ft_setup_run_rescan() - read the journals of the state directory again
 * @r: the run
 *
 * Return: 0 or -errno.
 */
int ft_setup_run_rescan(struct ft_setup_run *r)
{
	ft_ledger_scan_free(r->j, r->nj);
	r->j = NULL;
	r->nj = 0;
	return ft_ledger_scan(ft_ledger_state_dir(), &r->j, &r->nj);
}

static int parse_text(struct ft_setup_run *r, const char *path, char *text, size_t len)
{
	char err[1024];
	unsigned nul = ft_setup_nul_line(text, len);
	int ret;

	if (nul) {
		ft_err("%s:%u: a NUL byte: a setup file is text; remove it", path, nul);
		return -EINVAL;
	}
	ret = ft_setup_parse(path, text, &r->s, err, sizeof(err));
	if (ret) {
		ft_err("%s", ret == -EINVAL ? err : strerror(-ret));
		return ret;
	}
	r->tags = calloc(r->s->nlines + 1, sizeof(*r->tags));
	r->status = calloc(r->s->nlines + 1, sizeof(*r->status));
	if (!r->tags || !r->status)
		return -ENOMEM;
	for (size_t i = 0; i < r->s->nlines; i++)
		if (asprintf(&r->tags[i], "%s\n%s", r->abs, r->s->lines[i].key) < 0)
			return -ENOMEM;
	return 0;
}

/**
 * ft_setup_run_load() - read and parse a setup file, open tracefs, read the journals
 * @r: the run, zeroed here; ft_setup_run_release() it whatever this returns
 * @path: the file
 * @need_file: false when a missing file is no error (teardown of a deleted file: @r->s NULL)
 *
 * Return: 0, or -errno after logging why (FILE:LINE for what is wrong in the file).
 */
int ft_setup_run_load(struct ft_setup_run *r, const char *path, bool need_file)
{
	size_t len = 0;
	char *text;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	r->abs = abs_path(path);
	if (!r->abs)
		return -ENOMEM;
	text = ft_read_file(path, &len);
	if (!text && (need_file || errno != ENOENT)) {
		ret = -errno;
		ft_err("cannot read %s: %s", path, strerror(errno));
		return ret;
	}
	ret = text ? parse_text(r, path, text, len) : 0;
	free(text);
	if (ret)
		return ret;
	if (ft_tfs_open(&r->t))
		return -ENODEV;
	return ft_setup_run_rescan(r);
}

static bool trigger_present(struct ft_tfs *t, const struct ft_obj *o)
{
	char ev[300];
	struct ft_listed *v;
	size_t n;
	bool found = false;

	snprintf(ev, sizeof(ev), "%s:%s", o->system, o->event);
	if (ft_trigger_list(t, o->instance, ev, false, &v, &n))
		return false;
	for (size_t i = 0; i < n && !found; i++)
		found = v[i].ours && v[i].written && !strcmp(v[i].written, o->text) &&
			!strcmp(v[i].instance, o->instance);
	ft_listed_free(v, n);
	return found;
}

/**
 * ft_setup_obj_present() - whether a journaled object is in the kernel now
 * @t: tracefs
 * @o: the object
 *
 * Return: true when it is (kinds that cannot be checked count as there).
 */
bool ft_setup_obj_present(struct ft_tfs *t, const struct ft_obj *o)
{
	char *cur;
	struct stat st;
	bool on;

	switch (o->kind) {
	case FT_OBJ_INSTANCE:
		return ft_tfs_instance_exists(t, o->instance);
	case FT_OBJ_DYNEVENT:
		return ft_tfs_event_exists(t, NULL, o->system, o->event, NULL);
	case FT_OBJ_ENABLE:
		cur = ft_tfs_event_read(t, o->instance, o->system, o->event, "enable", NULL);
		on = cur && cur[0] == '1';
		free(cur);
		return on;
	case FT_OBJ_TRIGGER:
		return trigger_present(t, o);
	case FT_OBJ_BPF:
		return stat(o->text, &st) == 0;
	default:
		return true;
	}
}

/**
 * ft_setup_run_status() - whether what each line makes is there, into @r->status
 * @r: the run, its file loaded
 *
 * A line with journaled objects is there when all of them are, partly there when some are;
 * a line that journaled nothing (a setting, or what was there already) asks its step.
 */
void ft_setup_run_status(struct ft_setup_run *r)
{
	for (size_t i = 0; i < r->s->nlines; i++) {
		const struct ft_journal *j = ft_setup_run_journal(r, r->tags[i]);
		const struct ft_setup_line *l = &r->s->lines[i];
		const struct ft_setup_step *st = ft_setup_step(l->kind);
		size_t there = 0;

		if (!j || !j->nobjs) {
			r->status[i] = st->there && st->there(r->t, r->s, l) ? FT_LINE_OK
									     : FT_LINE_MISSING;
			continue;
		}
		for (size_t k = 0; k < j->nobjs; k++)
			there += ft_setup_obj_present(r->t, &j->objs[k]);
		r->status[i] = there == j->nobjs ? FT_LINE_OK
			       : there		 ? FT_LINE_PARTIAL
						 : FT_LINE_MISSING;
	}
}

/* Journals of this file whose line is no longer in it. */
static bool is_extra(const struct ft_setup_run *r, const struct ft_journal *j)
{
	if (j->pid != 0 || !ft_setup_tag_of_file(j->tag, r->abs))
		return false;
	for (size_t i = 0; r->s && i < r->s->nlines; i++)
		if (!strcmp(j->tag, r->tags[i]))
			return false;
	return true;
}

/**
 * ft_setup_run_extra() - the tags of the journals of this file whose line is gone from it
 * @r: the run
 * @out: set to the tags (pointing into @r's journals), an array to free()
 *
 * Return: how many (0 also when out of memory).
 */
size_t ft_setup_run_extra(const struct ft_setup_run *r, char ***out)
{
	size_t n = 0;

	*out = calloc(r->nj + 1, sizeof(**out));
	for (size_t i = 0; *out && i < r->nj; i++)
		if (is_extra(r, &r->j[i].journal))
			(*out)[n++] = r->j[i].journal.tag;
	return n;
}

/* Adds "@a@sep@b" to the names the file will create. */
static int add_pending(struct ft_setup_run *r, const char *a, const char *sep, const char *b)
{
	char **nv = realloc(r->pending, (r->npending + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	r->pending = nv;
	if (asprintf(&nv[r->npending], "%s%s%s", a, sep, b) < 0)
		return -ENOMEM;
	r->npending++;
	return 0;
}

/**
 * ft_setup_note_creations() - remember what line @i will create that later lines may name
 * @r: the run
 * @i: the line
 * @made: the event its dry run said it creates ("SYSTEM/EVENT": a probe's), or "" or NULL
 *
 * The instance, a probe's event, a synthetic event: only names that do not exist yet.
 */
void ft_setup_note_creations(struct ft_setup_run *r, size_t i, const char *made)
{
	const struct ft_setup_line *l = &r->s->lines[i];
	char sys[128] = "", ev[128] = "", synth[300];

	if (l->kind == FT_SETUP_INSTANCE) {
		add_pending(r, r->s->instance, "", "");
		return;
	}
	/* A synthetic event's name is in its words, also when the line was not dry-run. */
	if (l->kind == FT_SETUP_SYNTH) {
		snprintf(synth, sizeof(synth), "synthetic/%.*s", (int)strcspn(l->argv[1], " \t"),
			 l->argv[1]);
		made = synth;
	}
	if (!made || ft_event_split_copy(made, sys, sizeof(sys), ev, sizeof(ev)) ||
	    ft_tfs_event_exists(r->t, NULL, sys, ev, NULL))
		return;
	add_pending(r, sys, ":", ev);
	add_pending(r, sys, "/", ev);
	if (l->kind == FT_SETUP_SYNTH)
		add_pending(r, ev, "", "");
}

/**
 * ft_setup_instance_pending() - whether the file's instance is to be made by it
 * @r: the run (ft_setup_note_creations() puts the instance first)
 *
 * Return: true when it is.
 */
bool ft_setup_instance_pending(const struct ft_setup_run *r)
{
	return r->s->instance && r->npending && !strcmp(r->pending[0], r->s->instance);
}

/**
 * ft_setup_words_use_pending() - whether line @i's own words name what the file creates
 * @r: the run
 * @i: the line
 *
 * Such a line is checked once what it names exists.
 *
 * Return: true when they do.
 */
bool ft_setup_words_use_pending(const struct ft_setup_run *r, size_t i)
{
	const struct ft_setup_line *l = &r->s->lines[i];

	if (l->kind == FT_SETUP_INSTANCE)
		return false;
	for (int a = 0; a < l->argc; a++)
		for (size_t p = 0; p < r->npending; p++)
			if (!strcmp(l->argv[a], r->pending[p]) ||
			    (!strchr(r->pending[p], ':') && !strchr(r->pending[p], '/') &&
			     !(p == 0 && ft_setup_instance_pending(r)) &&
			     strstr(l->argv[a], r->pending[p])))
				return true;
	return false;
}

/**
 * ft_setup_uses_pending() - whether line @i uses what the file creates
 * @r: the run
 * @i: the line
 *
 * Its words name it, or it goes into the instance the file makes (it has no --instance).
 *
 * Return: true when it does.
 */
bool ft_setup_uses_pending(const struct ft_setup_run *r, size_t i)
{
	enum ft_setup_kind k = r->s->lines[i].kind;

	return ft_setup_words_use_pending(r, i) ||
	       (ft_setup_instance_pending(r) &&
		(k == FT_SETUP_TRIGGER || k == FT_SETUP_ENABLE || k == FT_SETUP_BUFFER));
}
