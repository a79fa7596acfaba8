// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig plan|apply|diff|teardown|save: setup files (man ftrig-setup.5).
 *
 * One file for the five because they are one job seen five ways: each reads the file (or,
 * for save, writes one), finds what earlier applies of it made through the same journals,
 * and runs the setup engine (src/setup/engine.c): its dry run for plan, its apply for apply.
 * Here: the words of the command line, and the printing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "ledger.h"
#include "log.h"
#include "setup/engine.h"
#include "setup/plan.h"
#include "setup/save.h"
#include "tfs.h"
#include "undo-writes.h"

/* The FILE operand, the only argument these commands take, and --json where @json is given. */
static const char *file_arg(const struct ft_cmd *cmd, int argc, char **argv, bool *json)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	static const struct option with_json[] = { { "json", no_argument, NULL, 'j' },
						   { NULL, 0, NULL, 0 } };
	int c, bad = 0;

	optind = 0;
	while ((c = ft_getopt(cmd, argc, argv, json ? with_json : none, &bad)) != -1)
		if (c == 'j')
			*json = true;
	if (bad)
		return NULL;
	if (argc - optind != 1) {
		ft_usage_error(cmd, "%s takes one FILE", cmd->name);
		return NULL;
	}
	return argv[optind];
}

/*
 * The caller releases @r with ft_setup_run_release() whatever this returns, also after a
 * usage error (SET-1), so @r is zeroed before anything can fail.
 */
static int open_run(struct ft_setup_run *r, const struct ft_cmd *cmd, int argc, char **argv,
		    bool writes, bool *json)
{
	const char *path;

	memset(r, 0, sizeof(*r));
	path = file_arg(cmd, argc, argv, json);
	if (!path)
		return FT_EXIT_USAGE;
	if (ft_setup_run_load(r, path, strcmp(cmd->name, "teardown") != 0))
		return FT_EXIT_ERR;
	if (writes && ft_tfs_is_readonly(r->t)) {
		ft_err("tracefs at %s is mounted read-only; remount it read-write (mount -o "
		       "remount,rw %s)",
		       ft_tfs_dir(r->t), ft_tfs_dir(r->t));
		return FT_EXIT_ERR;
	}
	if (r->s)
		ft_setup_run_status(r);
	return FT_EXIT_OK;
}

static void print_objs(const struct ft_journal *j, const char *how, FILE *f)
{
	char what[1024];

	for (size_t o = 0; j && o < j->nobjs; o++) {
		ft_obj_describe(&j->objs[o], what, sizeof(what));
		fprintf(f, "    %s %s\n", how, what);
	}
}

/**
 * ft_cmd_plan() - `plan FILE`: the exact tracefs writes apply would make, in order
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * The plan is data (struct ft_plan, from ft_setup_run_plan()): each line's writes, from the
 * dry run of the core functions its command runs.
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR when a line is refused (named FILE:LINE), FT_EXIT_USAGE.
 */
int ft_cmd_plan(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_plan p = { 0 };
	struct ft_setup_run r;
	ssize_t bad = -1;
	bool json = false;
	int ret = open_run(&r, cmd, argc, argv, false, &json);

	if (!ret && ft_setup_run_plan(&r, &p, &bad))
		ret = FT_EXIT_ERR;
	if (r.s && json && (bad >= 0 || !ret)) {
		if (ft_plan_json(&p, r.s, bad, stdout))
			ret = FT_EXIT_ERR;
		if (bad >= 0)
			ft_err("%s:%u: refused", r.s->path, r.s->lines[bad].lineno);
	} else if (bad >= 0) {
		ft_plan_print(&p, r.s, stdout);
		ft_err("%s:%u: refused (see above)", r.s->path, r.s->lines[bad].lineno);
	} else if (!ret && ft_plan_print(&p, r.s, stdout)) {
		ret = FT_EXIT_ERR;
	}
	ft_plan_release(&p);
	ft_setup_run_release(&r);
	return ret;
}

/* Takes --dry-run out of @argv (these commands take no other option); says if it was there. */
static bool take_dry_run(int *argc, char **argv)
{
	int n = 0;
	bool dry = false;

	for (int i = 0; i < *argc; i++) {
		if (i && !strcmp(argv[i], "--dry-run"))
			dry = true;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	*argc = n;
	return dry;
}

/**
 * ft_cmd_apply() - `apply FILE`: make what the file says, all or nothing
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Every line is checked first; then the lines that are not there yet are made in dependency
 * order, each journaled under the file; lines of an earlier apply that the file no longer
 * has are removed (ft_setup_run_apply()). Applying twice changes nothing the second time.
 * `apply --dry-run FILE` is `plan FILE`.
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR (a line refused or failed, named FILE:LINE; nothing of
 * this run is left), FT_EXIT_USAGE.
 */
int ft_cmd_apply(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_setup_run r;
	int ret;

	if (take_dry_run(&argc, argv))
		return ft_cmd_plan(cmd, argc, argv);
	ret = open_run(&r, cmd, argc, argv, true, NULL);
	if (!ret && ft_setup_run_apply(&r, stdout))
		ret = FT_EXIT_ERR;
	ft_setup_run_release(&r);
	return ret;
}

/* Ends a diff line: a setting that differs says what it is now ("(is 2048)"). */
static void print_current(struct ft_setup_run *r, const struct ft_setup_line *l)
{
	char *cur = l->kind == FT_SETUP_BUFFER
			    ? ft_tfs_read(r->t, r->s->instance, "buffer_size_kb", NULL)
			    : NULL;

	if (cur)
		printf(" (is %.*s)", (int)strcspn(cur, " \n"), cur);
	putchar('\n');
	free(cur);
}

/* The objects of a line's journal in JSON: {"object", "present"} each. */
static void objs_json(struct ft_json *js, struct ft_setup_run *r, const struct ft_journal *j)
{
	ft_json_begin_arr(js, "objects");
	for (size_t o = 0; j && o < j->nobjs; o++) {
		char d[1024];

		ft_obj_describe(&j->objs[o], d, sizeof(d));
		ft_json_begin_obj(js, NULL);
		ft_json_str(js, "object", d);
		ft_json_bool(js, "present", ft_setup_obj_present(r->t, &j->objs[o]));
		ft_json_end(js, '}');
	}
	ft_json_end(js, ']');
}

/* A line that differs, as text (@js NULL) or as a member of the "lines" array. */
static void diff_line(struct ft_setup_run *r, size_t i, struct ft_json *js)
{
	static const char *const what[] = {
		[FT_LINE_MISSING] = "missing", [FT_LINE_PARTIAL] = "different"
	};
	const struct ft_journal *j = ft_setup_run_journal(r, r->tags[i]);
	const struct ft_setup_line *l = &r->s->lines[i];

	if (js) {
		ft_json_begin_obj(js, NULL);
		ft_json_str(js, "state", what[r->status[i]]);
		ft_json_uint(js, "line", l->lineno);
		ft_json_str(js, "text", l->key);
		objs_json(js, r, j);
		ft_json_end(js, '}');
		return;
	}
	printf("%-9s %s:%u: %s", what[r->status[i]], r->s->path, l->lineno, l->key);
	print_current(r, l);
	for (size_t o = 0; j && o < j->nobjs; o++) {
		char d[1024];

		ft_obj_describe(&j->objs[o], d, sizeof(d));
		printf("    %s %s\n",
		       ft_setup_obj_present(r->t, &j->objs[o]) ? "there:" : "gone: ", d);
	}
}

/* What applies of lines no longer in the file left, as text (@js NULL) or JSON members. */
static void diff_extra(struct ft_setup_run *r, char **extra, size_t n, struct ft_json *js)
{
	if (js)
		ft_json_begin_arr(js, "extra");
	for (size_t k = 0; k < n; k++) {
		const struct ft_journal *j = ft_setup_run_journal(r, extra[k]);

		if (!js) {
			printf("%-9s %s (no longer in %s)\n", "extra", strchr(extra[k], '\n') + 1,
			       r->s->path);
			print_objs(j, "", stdout);
			continue;
		}
		ft_json_begin_obj(js, NULL);
		ft_json_str(js, "text", strchr(extra[k], '\n') + 1);
		objs_json(js, r, j);
		ft_json_end(js, '}');
	}
	if (js)
		ft_json_end(js, ']');
}

/**
 * ft_cmd_diff() - `diff FILE`: what differs between the file and the kernel
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * With --json, one document {"format": "ftrig-diff", "version", "file", "lines": [...],
 * "extra": [...], "matches"} (ftrig(1), JSON OUTPUT).
 *
 * Return: FT_EXIT_OK when the kernel matches the file, FT_EXIT_ERR when it differs (or on
 * errors), FT_EXIT_USAGE.
 */
int ft_cmd_diff(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_setup_run r;
	struct ft_json js, *jp = NULL;
	char **extra = NULL;
	size_t n, differ = 0;
	bool json = false;
	int ret = open_run(&r, cmd, argc, argv, false, &json);

	if (!ret && json) {
		jp = &js;
		ft_json_init(jp, stdout, false);
		ft_json_begin_obj(jp, NULL);
		ft_json_str(jp, "format", "ftrig-diff");
		ft_json_int(jp, "version", FT_REPORT_JSON_VERSION);
		ft_json_str(jp, "file", r.s->path);
		ft_json_begin_arr(jp, "lines");
	}
	for (size_t i = 0; !ret && i < r.s->nlines; i++) {
		if (r.status[i] == FT_LINE_OK)
			continue;
		differ++;
		diff_line(&r, i, jp);
	}
	if (jp)
		ft_json_end(jp, ']');
	n = ret ? 0 : ft_setup_run_extra(&r, &extra);
	if (!ret)
		diff_extra(&r, extra, n, jp);
	differ += n;
	if (jp) {
		ft_json_bool(jp, "matches", !differ);
		ft_json_end(jp, '}');
	} else if (!ret && !differ) {
		printf("%s: the kernel matches\n", r.s->path);
	}
	free(extra);
	ft_setup_run_release(&r);
	return ret ? ret : differ ? FT_EXIT_ERR : FT_EXIT_OK;
}

/*
 * The tags of the journals of the file: its lines' in apply order, so that their reverse is
 * undone first, then those of lines gone from it. Returns how many, or -ENOMEM.
 */
static ssize_t file_tags(struct ft_setup_run *r, char ***out)
{
	size_t *order = NULL, n = 0;
	char **tags = calloc(r->nj + (r->s ? r->s->nlines : 0) + 1, sizeof(*tags));

	*out = tags;
	if (!tags)
		return -ENOMEM;
	if (r->s && (order = ft_setup_order(r->s)))
		for (size_t k = 0; k < r->s->nlines; k++)
			if (ft_setup_run_journal(r, r->tags[order[k]]))
				tags[n++] = r->tags[order[k]];
	for (size_t i = 0; i < r->nj; i++) {
		bool listed = false;

		for (size_t k = 0; k < n; k++)
			listed |= !strcmp(tags[k], r->j[i].journal.tag);
		if (!listed && r->j[i].journal.pid == 0 &&
		    ft_setup_tag_of_file(r->j[i].journal.tag, r->abs))
			tags[n++] = r->j[i].journal.tag;
	}
	free(order);
	return (ssize_t)n;
}

/* teardown --dry-run: the removals undo would make, in its order (ft_ledger_undo_set()). */
static int print_teardown(struct ft_setup_run *r, char **tags, size_t n)
{
	const struct ft_journal **js = calloc(n + 1, sizeof(*js));
	struct ft_writes w = { 0 };
	int ret = js ? 0 : -ENOMEM;

	for (size_t k = 0; js && k < n; k++)
		js[k] = ft_setup_run_journal(r, tags[k]);
	if (!ret)
		ret = ft_journals_undo_writes(js, n, ft_tfs_dir(r->t), &w);
	if (!ret)
		ret = ft_writes_print(&w, stdout);
	ft_writes_release(&w);
	free(js);
	return ret;
}

/**
 * ft_cmd_teardown() - `teardown FILE`: remove what applies of FILE made, in reverse order
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Works from the journals alone, so also after the file was edited or deleted. With
 * --dry-run, prints the exact writes instead and changes nothing.
 *
 * Return: FT_EXIT_OK when nothing of the file is left, FT_EXIT_ERR otherwise, FT_EXIT_USAGE.
 */
int ft_cmd_teardown(const struct ft_cmd *cmd, int argc, char **argv)
{
	bool dry = take_dry_run(&argc, argv);
	struct ft_setup_run r;
	char **tags = NULL;
	ssize_t n = 0;
	int ret = open_run(&r, cmd, argc, argv, !dry, NULL);

	if (!ret && (n = file_tags(&r, &tags)) < 0)
		ret = FT_EXIT_ERR;
	if (!ret && !n)
		printf("%snothing of %s to remove\n", dry ? "# " : "", r.abs);
	if (!ret && dry && print_teardown(&r, tags, (size_t)n))
		ret = FT_EXIT_ERR;
	if (!ret && !dry && n && ft_setup_run_undo(&r, tags, (size_t)n, stdout))
		ret = FT_EXIT_ERR;
	free(tags);
	ft_setup_run_release(&r);
	return ret;
}

/**
 * ft_cmd_save() - `save FILE`: what ftrig owns persistently now, as a setup file
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments; FILE "-" is standard output
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR, FT_EXIT_USAGE.
 */
int ft_cmd_save(const struct ft_cmd *cmd, int argc, char **argv)
{
	const char *path = file_arg(cmd, argc, argv, NULL);
	struct ft_session_info *j = NULL;
	struct ft_tfs *t = NULL;
	char *text = NULL;
	size_t nj = 0;
	FILE *f;
	int ret;

	if (!path)
		return FT_EXIT_USAGE;
	ret = ft_tfs_open(&t) ? -ENODEV : ft_ledger_scan(ft_ledger_state_dir(), &j, &nj);
	if (!ret)
		ret = ft_setup_save(t, j, nj, &text);
	ft_ledger_scan_free(j, nj);
	if (t)
		ft_tfs_close(t);
	f = ret ? NULL : strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!ret && !f)
		ft_err("cannot write %s: %s", path, strerror(errno));
	if (f) {
		fputs(text, f);
		ret = ferror(f) ? -EIO : 0;
		if (f != stdout && fclose(f))
			ret = -errno;
	}
	free(text);
	return ret || !f ? FT_EXIT_ERR : FT_EXIT_OK;
}
