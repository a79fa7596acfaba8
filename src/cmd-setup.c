// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig plan|apply|diff|teardown|save: setup files (man ftrig-setup.5).
 *
 * One file for the five because they are one job seen five ways: each reads the file (or,
 * for save, writes one), finds what earlier applies of it made through the same journals,
 * and runs the same per-line step (dry for plan and validation, real for apply).
 *
 * What a line makes is journaled in a tagged journal of its own whose tag is the file's
 * absolute path and the line's words ("PATH\nKEY"): teardown finds every journal of the file
 * however long ago it was applied, diff and apply know which line made which object, and save
 * can write the lines back. The lines run through the commands' own handlers (one grammar,
 * one validator), with persistent opens redirected to the line's journal.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "commands.h"
#include "ledger.h"
#include "log.h"
#include "setup/plan.h"
#include "setup/setup.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "undo-writes.h"
#include "util.h"

enum line_status { ST_MISSING, ST_OK, ST_PARTIAL };

/*
 * struct run - one command's view of a setup file and the kernel
 * @s: the parsed file (NULL for teardown of a file that is gone)
 * @abs: its absolute path, the first part of its journals' tags
 * @tags: per line, "ABS\nKEY"
 * @status: per line, whether what it makes is there
 * @j: journals of the state directory
 * @pending: names of instances and events the file creates that do not exist yet
 */
struct run {
	const struct ft_cmd *cmd;
	struct ft_tfs *t;
	struct ft_setup *s;
	char *abs;
	char **tags;
	enum line_status *status;
	struct ft_session_info *j;
	size_t nj;
	char **pending;
	size_t npending;
};

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

static bool tag_of_file(const char *tag, const char *abs)
{
	size_t n = strlen(abs);

	return !strncmp(tag, abs, n) && tag[n] == '\n';
}

static const struct ft_journal *find_journal(const struct run *r, const char *tag)
{
	for (size_t i = 0; i < r->nj; i++)
		if (r->j[i].journal.pid == 0 && !strcmp(r->j[i].journal.tag, tag))
			return &r->j[i].journal;
	return NULL;
}

static void run_release(struct run *r)
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
}

static int rescan(struct run *r)
{
	ft_ledger_scan_free(r->j, r->nj);
	return ft_ledger_scan(ft_ledger_state_dir(), &r->j, &r->nj);
}

/* Read and parse @path; with @need_file false a missing file is not an error (teardown). */
static int run_load(struct run *r, const struct ft_cmd *cmd, const char *path, bool need_file)
{
	char err[1024], *text;
	size_t len = 0;
	unsigned nul;
	int ret;

	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
	r->abs = abs_path(path);
	text = ft_read_file(path, &len);
	if (!text && (need_file || errno != ENOENT)) {
		ft_err("cannot read %s: %s", path, strerror(errno));
		return -errno;
	}
	nul = text ? ft_setup_nul_line(text, len) : 0;
	if (nul) {
		ft_err("%s:%u: a NUL byte: a setup file is text; remove it", path, nul);
		free(text);
		return -EINVAL;
	}
	if (text) {
		ret = ft_setup_parse(path, text, &r->s, err, sizeof(err));
		free(text);
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
	}
	if (ft_tfs_open(&r->t))
		return -ENODEV;
	return rescan(r);
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

/* Whether a journaled object is in the kernel now. */
static bool obj_present(struct ft_tfs *t, const struct ft_obj *o)
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

/* "SYSTEM:EVENT" or "SYSTEM/EVENT" into its parts. */
static bool split_event(const char *s, char *sys, char *ev, size_t size)
{
	size_t n = strcspn(s, ":/");

	if (!s[n] || n >= size || strlen(s + n + 1) >= size)
		return false;
	snprintf(sys, size, "%.*s", (int)n, s);
	snprintf(ev, size, "%s", s + n + 1);
	return true;
}

/* For lines that journal nothing when the object is there already (somebody else's). */
static enum line_status unjournaled_status(struct run *r, const struct ft_setup_line *l)
{
	const char *inst = r->s->instance, *spec = l->argv[l->argc - 1];
	char sys[128], ev[128], *cur;
	bool ok = false;

	if (l->kind == FT_SETUP_DUMPDIR) {
		bool there;

		/* A directory that cannot hold dumps (/proc) is not "there": apply refuses it. */
		if (ft_setup_dump_dir_check(spec, &there, NULL, 0))
			there = false;
		return there ? ST_OK : ST_MISSING;
	}
	if (l->kind == FT_SETUP_INSTANCE)
		return ft_tfs_instance_exists(r->t, inst) ? ST_OK : ST_MISSING;
	if (l->kind == FT_SETUP_BUFFER) {
		unsigned long have;

		cur = ft_tfs_read(r->t, inst, "buffer_size_kb", NULL);
		have = cur ? strtoul(cur, NULL, 10) : 0;
		/* The kernel rounds the size up to whole pages (1024 reads back as 1027). */
		ok = have >= r->s->buffer_kb && have - r->s->buffer_kb < 64;
		free(cur);
	} else if (l->kind == FT_SETUP_ENABLE && split_event(spec, sys, ev, sizeof(sys))) {
		if (l->argc == 4)
			inst = l->argv[2];
		cur = ft_tfs_event_read(r->t, inst, sys, ev, "enable", NULL);
		ok = cur && cur[0] == '1';
		free(cur);
	}
	return ok ? ST_OK : ST_MISSING;
}

static void compute_status(struct run *r)
{
	for (size_t i = 0; i < r->s->nlines; i++) {
		const struct ft_journal *j = find_journal(r, r->tags[i]);
		size_t there = 0;

		if (!j || !j->nobjs) {
			r->status[i] = unjournaled_status(r, &r->s->lines[i]);
			continue;
		}
		for (size_t k = 0; k < j->nobjs; k++)
			there += obj_present(r->t, &j->objs[k]);
		r->status[i] = there == j->nobjs ? ST_OK : there ? ST_PARTIAL : ST_MISSING;
	}
}

/* Journals of this file whose line is no longer in it. */
static bool is_extra(const struct run *r, const struct ft_journal *j)
{
	if (j->pid != 0 || !tag_of_file(j->tag, r->abs))
		return false;
	for (size_t i = 0; r->s && i < r->s->nlines; i++)
		if (!strcmp(j->tag, r->tags[i]))
			return false;
	return true;
}

/* dump-dir: a directory, made with its parents; anything else there is an error. */
static int make_dump_dir(const char *dir)
{
	struct stat st;
	int ret = ft_mkdir_p(dir, 0755);

	if (!ret && (stat(dir, &st) ? (ret = -errno) : !S_ISDIR(st.st_mode)))
		ret = -ENOTDIR;
	if (ret)
		ft_err("cannot make the dump directory %s: %s", dir, strerror(-ret));
	else
		printf("made the dump directory %s\n", dir);
	return ret;
}

/*
 * What a line's handler wrote to stderr, passed on; a usage error becomes one message naming
 * FILE:LINE, without the command's usage block (the line is not a command line typed).
 */
static void tell_errors(struct run *r, const struct ft_setup_line *l, FILE *err, bool usage)
{
	char buf[4096], *msg = buf;
	size_t n;

	rewind(err);
	n = fread(buf, 1, sizeof(buf) - 1, err);
	buf[n] = '\0';
	if (!usage) {
		do
			fwrite(buf, 1, n, stderr);
		while ((n = fread(buf, 1, sizeof(buf), err)) > 0);
		fclose(err);
		return;
	}
	fclose(err);
	buf[strcspn(buf, "\n")] = '\0';
	/* "ftrig CMD: MSG": the message is the line's. */
	if (!strncmp(msg, "ftrig ", 6) && strstr(msg, ": "))
		msg = strstr(msg, ": ") + 2;
	ft_err("%s:%u: %s ('ftrig help %s' shows the options)", r->s->path, l->lineno, msg,
	       l->argv[0]);
}

/* A command line's dry run, its writes going to @dry (one grammar, one validator). */
static int run_dry(const struct ft_cmd *cmd, int argc, char **argv, struct ft_writes *dry)
{
	if (!strcmp(argv[0], "probe"))
		return ft_cmd_probe_dry(cmd, argc, argv, dry);
	if (!strcmp(argv[0], "trigger"))
		return ft_cmd_trigger_dry(cmd, argc, argv, dry);
	return ft_cmd_hist_start_dry(cmd, argc - 1, argv + 1, dry);
}

/* A command line through its command's handler; with @dry, its dry run (writes to @dry). */
static int run_handler(struct run *r, const struct ft_setup_line *l, const char *tag,
		       struct ft_writes *dry)
{
	const struct ft_cmd *cmd = ft_cmd_find(l->argv[0]);
	int argc, ret = -ENOMEM, n = 0;
	char **argv = ft_setup_exec_argv(r->s, l, &argc), **v = NULL, **own = NULL;

	/*
	 * Handlers permute and compact their argv and split words in place: give them copies,
	 * and free through a second array of the same pointers.
	 */
	if (argv && cmd) {
		v = calloc((size_t)argc + 2, sizeof(*v));
		own = calloc((size_t)argc + 2, sizeof(*own));
	}
	for (; v && own && n < argc && (own[n] = strdup(argv[n])); n++)
		;
	if (v && own && n == argc) {
		FILE *err = tmpfile();
		int saved = -1, rc;

		memcpy(v, own, ((size_t)argc + 1) * sizeof(*v));
		optind = 0;
		/* What the handler says is held back: a usage error is told as FILE:LINE. */
		fflush(stderr);
		if (err && (saved = dup(STDERR_FILENO)) >= 0)
			dup2(fileno(err), STDERR_FILENO);
		ft_ledger_redirect_persistent(dry ? NULL : tag);
		rc = dry ? run_dry(cmd, argc, v, dry) : cmd->run(cmd, argc, v);
		ft_ledger_redirect_persistent(NULL);
		fflush(stderr);
		if (saved >= 0) {
			dup2(saved, STDERR_FILENO);
			close(saved);
		}
		if (err)
			tell_errors(r, l, err, rc == FT_EXIT_USAGE);
		ret = rc == FT_EXIT_OK ? 0 : -EINVAL;
	}
	for (int i = 0; own && i <= argc; i++)
		free(own[i]);
	free(own);
	free(v);
	free(argv);
	return ret;
}

/* A setting line, written through the line's own journal; with @dry, its writes go there. */
static int run_setting(struct run *r, const struct ft_setup_line *l, const char *tag,
		       struct ft_writes *dry)
{
	const char *inst = r->s->instance, *spec = l->argv[l->argc - 1];
	struct ft_ledger *led = NULL;
	char sys[128], ev[128], kb[32];
	int ret = 0;

	if (l->kind == FT_SETUP_DUMPDIR) {
		char why[PATH_MAX + 200];
		bool there;

		ret = ft_setup_dump_dir_check(spec, &there, why, sizeof(why));
		if (ret)
			ft_err("%s:%u: dump-dir %s cannot be made: %s", r->s->path, l->lineno, spec,
			       why);
		else
			ret = dry ? ft_writes_add(dry, FT_WRITE_MKDIR_P, spec, NULL)
				  : make_dump_dir(spec);
		return ret;
	}
	if (l->kind == FT_SETUP_BUFFER) {
		snprintf(kb, sizeof(kb), "%lu", r->s->buffer_kb);
		if (dry)
			return ft_writes_tfs(dry, FT_WRITE_SET, ft_tfs_dir(r->t), inst,
					     "buffer_size_kb", kb);
		ret = ft_tfs_instance_set(r->t, inst, "buffer_size_kb", kb);
		if (!ret)
			printf("set the buffer of instance %s to %s KB per CPU\n", inst, kb);
		if (ret)
			ft_err("cannot set the buffer size of instance %s to %s KB: %s", inst, kb,
			       strerror(-ret));
		return ret;
	}
	if (l->kind == FT_SETUP_ENABLE) {
		if (l->argc == 4)
			inst = l->argv[2];
		split_event(spec, sys, ev, sizeof(sys));
		if (!ft_tfs_event_exists(r->t, inst, sys, ev, "enable")) {
			ft_err("no event %s in %s; 'ftrig list events' shows them", spec,
			       inst ? inst : "the top level");
			return -ENOENT;
		}
	}
	if (dry) {
		if (l->kind == FT_SETUP_INSTANCE)
			return ft_writes_tfs(dry, FT_WRITE_MKDIR, ft_tfs_dir(r->t), inst, "", NULL);
		if (l->kind == FT_SETUP_ENABLE) {
			char rel[300];

			snprintf(rel, sizeof(rel), "events/%s/%s/enable", sys, ev);
			return ft_writes_tfs(dry, FT_WRITE_SET, ft_tfs_dir(r->t), inst, rel, "1");
		}
		return l->kind == FT_SETUP_SYNTH ? ft_synth_define(r->t, NULL, spec, dry, stdout)
						 : 0;
	}
	ret = ft_ledger_open_tagged(&led, r->t, ft_ledger_state_dir(), tag);
	if (ret)
		return ret;
	if (l->kind == FT_SETUP_INSTANCE) {
		ret = ft_ledger_instance_create(led, inst);
		if (!ret)
			printf("created instance %s\n", inst);
		if (ret)
			ft_err("cannot create instance %s: %s", inst, strerror(-ret));
	} else if (l->kind == FT_SETUP_ENABLE) {
		ret = ft_ledger_event_enable(led, inst, sys, ev);
		if (!ret)
			printf("enabled %s in %s\n", spec, inst ? inst : "the top level");
		if (ret)
			ft_err("cannot enable %s: %s", spec, strerror(-ret));
	} else if (l->kind == FT_SETUP_SYNTH) {
		ret = ft_synth_define(r->t, led, spec, NULL, stdout);
	}
	ft_ledger_close(led);
	return ret;
}

static bool is_setting(const struct ft_setup_line *l)
{
	return l->kind != FT_SETUP_PROBE && l->kind != FT_SETUP_TRIGGER && l->kind != FT_SETUP_BPF;
}

static int run_line(struct run *r, size_t i, struct ft_writes *dry)
{
	const struct ft_setup_line *l = &r->s->lines[i];

	return is_setting(l) ? run_setting(r, l, r->tags[i], dry)
			     : run_handler(r, l, r->tags[i], dry);
}

/*
 * The dry run of a line, its writes into @w (NULL: discarded), with standard output
 * captured: the handlers' dry runs print nothing there, but nothing they say may mix in.
 */
static int run_captured(struct run *r, size_t i, struct ft_writes *w)
{
	struct ft_writes own = { 0 };
	FILE *tmp = tmpfile();
	int saved, ret;

	if (!tmp)
		return -errno;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	ret = run_line(r, i, w ? w : &own);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	fclose(tmp);
	ft_writes_release(&own);
	return ret;
}

/* Adds "@a@sep@b" to the names the file will create. */
static int add_pending(struct run *r, const char *a, const char *sep, const char *b)
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

/*
 * What a line will create that later lines may name: the instance, a probe's event (from
 * its dry run, "p:GROUP/NAME ..."), a synthetic event. Only names that do not exist yet.
 */
static void note_creations(struct run *r, size_t i, const struct ft_writes *w)
{
	const char *dry_out = w && w->n ? w->v[w->n - 1].text : NULL;
	const struct ft_setup_line *l = &r->s->lines[i];
	char sys[128] = "", ev[128] = "";

	if (l->kind == FT_SETUP_INSTANCE) {
		add_pending(r, r->s->instance, "", "");
		return;
	}
	if (l->kind == FT_SETUP_SYNTH) {
		snprintf(sys, sizeof(sys), "synthetic");
		snprintf(ev, sizeof(ev), "%.*s", (int)strcspn(l->argv[1], " \t"), l->argv[1]);
	} else if (l->kind == FT_SETUP_PROBE && dry_out && strchr(dry_out, ':')) {
		sscanf(strchr(dry_out, ':') + 1, "%127[^/ ]/%127[^ \n]", sys, ev);
	}
	if (!*sys || !*ev || ft_tfs_event_exists(r->t, NULL, sys, ev, NULL))
		return;
	add_pending(r, sys, ":", ev);
	add_pending(r, sys, "/", ev);
	if (l->kind == FT_SETUP_SYNTH)
		add_pending(r, ev, "", "");
}

/* The file's instance is to be made by it (note_creations() puts it first). */
static bool instance_pending(const struct run *r)
{
	return r->s->instance && r->npending && !strcmp(r->pending[0], r->s->instance);
}

/* A line whose own words name something the file creates, checked once that exists. */
static bool words_use_pending(const struct run *r, size_t i)
{
	const struct ft_setup_line *l = &r->s->lines[i];

	if (l->kind == FT_SETUP_INSTANCE)
		return false;
	for (int a = 0; a < l->argc; a++)
		for (size_t p = 0; p < r->npending; p++)
			if (!strcmp(l->argv[a], r->pending[p]) ||
			    (!strchr(r->pending[p], ':') && !strchr(r->pending[p], '/') &&
			     !(p == 0 && instance_pending(r)) && strstr(l->argv[a], r->pending[p])))
				return true;
	return false;
}

/* Also the lines that go into the instance the file makes (it has no --instance word). */
static bool uses_pending(const struct run *r, size_t i)
{
	enum ft_setup_kind k = r->s->lines[i].kind;

	return words_use_pending(r, i) ||
	       (instance_pending(r) &&
		(k == FT_SETUP_TRIGGER || k == FT_SETUP_ENABLE || k == FT_SETUP_BUFFER));
}

/*
 * Validation of a line that goes into the instance the file is to make: every instance has
 * the top level's events, so the line is checked there (its words without the instance).
 */
static int check_at_top(struct run *r, size_t i, struct ft_writes *w)
{
	char *inst = r->s->instance;
	int ret;

	if (r->s->lines[i].kind == FT_SETUP_BUFFER)
		return 0;
	r->s->instance = NULL;
	ret = run_captured(r, i, w);
	r->s->instance = inst;
	return ret;
}

/*
 * Check every line that apply will run, in apply's order, without writing anything. Lines
 * that use what the file creates are marked in @deferred, to be checked just before their
 * write (still before anything of theirs is written). Returns the index of the first bad
 * line, or -1.
 */
static ssize_t validate(struct run *r, const size_t *order, bool *deferred)
{
	for (size_t k = 0; k < r->s->nlines; k++) {
		struct ft_writes w = { 0 };
		size_t i = order[k];
		int ret;

		if (r->status[i] == ST_OK)
			continue;
		deferred[i] = r->status[i] == ST_PARTIAL || words_use_pending(r, i);
		if (deferred[i])
			continue;
		ret = instance_pending(r) ? check_at_top(r, i, &w) : run_captured(r, i, &w);
		if (!ret)
			note_creations(r, i, &w);
		ft_writes_release(&w);
		if (ret)
			return (ssize_t)i;
	}
	return -1;
}

/* What ft_ledger_undo_set() could not remove, said once per object. */
static size_t tell_left(struct ft_ledger **led, size_t n)
{
	char what[1024];
	size_t left = 0;

	for (size_t k = 0; k < n; k++) {
		const struct ft_journal *j = ft_ledger_objects(led[k]);

		for (size_t o = 0; o < j->nobjs; o++) {
			ft_obj_describe(&j->objs[o], what, sizeof(what));
			ft_err("could not remove %s; 'ftrig teardown' or 'cleanup --all' retries",
			       what);
		}
		left += j->nobjs;
	}
	return left;
}

/* Undo everything the journals tagged @tags hold, together, in dependency order. */
static int undo_tags(struct run *r, char **tags, size_t n, FILE *report)
{
	struct ft_ledger **led = calloc(n + 1, sizeof(*led));
	size_t opened = 0, left;

	if (!led)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++)
		if (!ft_ledger_open_tagged(&led[opened], r->t, ft_ledger_state_dir(), tags[k]))
			opened++;
	ft_ledger_undo_set(led, opened, report);
	left = tell_left(led, opened);
	for (size_t k = 0; k < opened; k++)
		ft_ledger_close(led[k]);
	free(led);
	return left ? -EBUSY : 0;
}

/* Journal records of a line whose objects are all gone (removed by hand): drop them. */
static void forget_gone(struct run *r, size_t i)
{
	struct ft_ledger *led;
	const struct ft_journal *j;

	if (ft_ledger_open_tagged(&led, r->t, ft_ledger_state_dir(), r->tags[i]))
		return;
	j = ft_ledger_objects(led);
	for (size_t o = j->nobjs; o-- > 0;) {
		if (!obj_present(r->t, &j->objs[o]))
			ft_ledger_forget(led, j->objs[o].seq);
		j = ft_ledger_objects(led);
	}
	ft_ledger_close(led);
}

/* The FILE operand, the only argument these commands take. */
static const char *file_arg(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	int c, bad = 0;

	optind = 0;
	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1)
		;
	if (bad)
		return NULL;
	if (argc - optind != 1) {
		ft_usage_error(cmd, "%s takes one FILE", cmd->name);
		return NULL;
	}
	return argv[optind];
}

/*
 * The caller releases @r with run_release() whatever this returns, also after a usage error
 * (SET-1), so @r is zeroed before anything can fail.
 */
static int open_run(struct run *r, const struct ft_cmd *cmd, int argc, char **argv, bool writes)
{
	const char *path;

	memset(r, 0, sizeof(*r));
	path = file_arg(cmd, argc, argv);
	if (!path)
		return FT_EXIT_USAGE;
	if (run_load(r, cmd, path, strcmp(cmd->name, "teardown") != 0))
		return FT_EXIT_ERR;
	if (writes && ft_tfs_is_readonly(r->t)) {
		ft_err("tracefs at %s is mounted read-only; remount it read-write (mount -o "
		       "remount,rw %s)",
		       ft_tfs_dir(r->t), ft_tfs_dir(r->t));
		return FT_EXIT_ERR;
	}
	if (r->s)
		compute_status(r);
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

/* Tags of the journals of this file whose line is gone from it. */
static size_t extra_tags(struct run *r, char ***out)
{
	size_t n = 0;

	*out = calloc(r->nj + 1, sizeof(**out));
	for (size_t i = 0; *out && i < r->nj; i++)
		if (is_extra(r, &r->j[i].journal))
			(*out)[n++] = r->j[i].journal.tag;
	return n;
}

/* The undo writes of the journal tagged @tag (as undo_ledgers() goes). */
static int undo_writes(struct run *r, const char *tag, struct ft_writes *w)
{
	const struct ft_journal *j = find_journal(r, tag);

	return ft_journals_undo_writes(&j, 1, ft_tfs_dir(r->t), w);
}

/*
 * Whether the kernel has hist triggers, where `hist start` (backend auto) uses them: read
 * only (ft_features_detect() tries an eprobe, a write a dry run must not make).
 */
static bool has_hist(struct run *r)
{
	return ft_tfs_exists(r->t, NULL, "events/sched/sched_switch/hist");
}

/*
 * One line's step of the plan: checked and dry-run by its command where the kernel can check
 * it now, else its writes from its words (lines that use what earlier lines create).
 */
static int plan_line(struct run *r, size_t i, struct ft_plan_step *st, int *hist)
{
	const struct ft_setup_line *l = &r->s->lines[i];
	bool words = words_use_pending(r, i);
	int ret;

	if (r->status[i] == ST_OK) {
		st->state = FT_PLAN_THERE;
		return 0;
	}
	if (*hist < 0)
		*hist = has_hist(r);
	if (r->status[i] == ST_PARTIAL) {
		st->state = FT_PLAN_REDO;
		ret = undo_writes(r, r->tags[i], &st->w);
		return ret ? ret
			   : ft_setup_line_writes(r->s, l, ft_tfs_dir(r->t), *hist, &st->w,
						  &st->unknown);
	}
	st->deferred = uses_pending(r, i);
	if (words || (st->deferred && l->kind == FT_SETUP_BUFFER))
		return ft_setup_line_writes(r->s, l, ft_tfs_dir(r->t), *hist, &st->w, &st->unknown);
	if (!st->deferred)
		return run_captured(r, i, &st->w);
	/* Into the instance the file makes: checked at the top level, which has its events. */
	ret = check_at_top(r, i, &st->w);
	return ret ? ret : ft_writes_into_instance(&st->w, ft_tfs_dir(r->t), r->s->instance);
}

/**
 * ft_cmd_plan() - `plan FILE`: the exact tracefs writes apply would make, in order
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * The plan is data (struct ft_plan): each line's writes, from its command's own dry run.
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR when a line is refused (named FILE:LINE), FT_EXIT_USAGE.
 */
int ft_cmd_plan(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_plan p = { 0 };
	struct run r;
	size_t *order = NULL, n;
	char **extra = NULL;
	int ret = open_run(&r, cmd, argc, argv, false), hist = -1;

	if (!ret && !(order = ft_setup_order(r.s)))
		ret = FT_EXIT_ERR;
	for (size_t k = 0; !ret && k < r.s->nlines; k++) {
		struct ft_plan_step *st = ft_plan_step_add(&p, order[k]);

		if (!st || plan_line(&r, order[k], st, &hist)) {
			ft_plan_print(&p, r.s, stdout);
			ft_err("%s:%u: refused (see above)", r.s->path,
			       r.s->lines[order[k]].lineno);
			ret = FT_EXIT_ERR;
			break;
		}
		note_creations(&r, order[k], &st->w);
	}
	n = ret ? 0 : extra_tags(&r, &extra);
	for (size_t k = 0; k < n && !ret; k++) {
		struct ft_writes *w = ft_plan_extra_add(&p, strchr(extra[k], '\n') + 1);

		if (!w || undo_writes(&r, extra[k], w))
			ret = FT_EXIT_ERR;
	}
	if (!ret && ft_plan_print(&p, r.s, stdout))
		ret = FT_EXIT_ERR;
	ft_plan_release(&p);
	free(extra);
	free(order);
	run_release(&r);
	return ret;
}

/* apply's writes, in order; on a failure, what this run made is removed again. */
static int apply_lines(struct run *r, const size_t *order, const bool *deferred)
{
	char **made = calloc(r->s->nlines + 1, sizeof(*made));
	size_t nmade = 0, same = 0;
	int ret = 0;

	for (size_t k = 0; made && k < r->s->nlines && !ret; k++) {
		size_t i = order[k];
		const struct ft_setup_line *l = &r->s->lines[i];

		if (r->status[i] == ST_OK) {
			same++;
			continue;
		}
		if (r->status[i] == ST_PARTIAL)
			undo_tags(r, &r->tags[i], 1, stdout);
		else
			forget_gone(r, i);
		made[nmade++] = r->tags[i];
		ret = deferred[i] ? run_captured(r, i, NULL) : 0;
		if (!ret)
			ret = run_line(r, i, NULL);
		if (ret) {
			ft_err("%s:%u: failed (see above): %s\nremoving what this apply made; the "
			       "kernel is left as it was",
			       r->s->path, l->lineno, l->key);
			undo_tags(r, made, nmade, stdout);
		}
	}
	if (!made)
		ret = -ENOMEM;
	if (!ret)
		printf("applied %s: %zu line%s made, %zu already there\n", r->s->path, nmade,
		       nmade == 1 ? "" : "s", same);
	free(made);
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
 * has are removed. Applying twice changes nothing the second time. `apply --dry-run FILE` is
 * `plan FILE`.
 *
 * Return: FT_EXIT_OK, FT_EXIT_ERR (a line refused or failed, named FILE:LINE; nothing of
 * this run is left), FT_EXIT_USAGE.
 */
int ft_cmd_apply(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct run r;
	size_t *order = NULL, n;
	bool *deferred = NULL;
	char **extra = NULL;
	ssize_t bad;
	int ret;

	if (take_dry_run(&argc, argv))
		return ft_cmd_plan(cmd, argc, argv);
	ret = open_run(&r, cmd, argc, argv, true);

	if (!ret && (!(order = ft_setup_order(r.s)) ||
		     !(deferred = calloc(r.s->nlines + 1, sizeof(*deferred)))))
		ret = FT_EXIT_ERR;
	bad = ret ? -1 : validate(&r, order, deferred);
	if (bad >= 0) {
		ft_err("%s:%u: refused (see above); nothing was changed", r.s->path,
		       r.s->lines[bad].lineno);
		ret = FT_EXIT_ERR;
	}
	if (!ret && apply_lines(&r, order, deferred))
		ret = FT_EXIT_ERR;
	if (!ret && !rescan(&r) && (n = extra_tags(&r, &extra)) > 0 &&
	    undo_tags(&r, extra, n, stdout))
		ret = FT_EXIT_ERR;
	free(extra);
	free(deferred);
	free(order);
	run_release(&r);
	return ret;
}

/* Ends a diff line: a setting that differs says what it is now ("(is 2048)"). */
static void print_current(struct run *r, const struct ft_setup_line *l)
{
	char *cur = l->kind == FT_SETUP_BUFFER
			    ? ft_tfs_read(r->t, r->s->instance, "buffer_size_kb", NULL)
			    : NULL;

	if (cur)
		printf(" (is %.*s)", (int)strcspn(cur, " \n"), cur);
	putchar('\n');
	free(cur);
}

/**
 * ft_cmd_diff() - `diff FILE`: what differs between the file and the kernel
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: FT_EXIT_OK when the kernel matches the file, FT_EXIT_ERR when it differs (or on
 * errors), FT_EXIT_USAGE.
 */
int ft_cmd_diff(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const char *const what[] = { [ST_MISSING] = "missing", [ST_PARTIAL] = "different" };
	struct run r;
	char **extra = NULL;
	size_t n, differ = 0;
	int ret = open_run(&r, cmd, argc, argv, false);

	for (size_t i = 0; !ret && i < r.s->nlines; i++) {
		const struct ft_journal *j = find_journal(&r, r.tags[i]);

		if (r.status[i] == ST_OK)
			continue;
		differ++;
		printf("%-9s %s:%u: %s", what[r.status[i]], r.s->path, r.s->lines[i].lineno,
		       r.s->lines[i].key);
		print_current(&r, &r.s->lines[i]);
		for (size_t o = 0; j && o < j->nobjs; o++) {
			char d[1024];

			ft_obj_describe(&j->objs[o], d, sizeof(d));
			printf("    %s %s\n",
			       obj_present(r.t, &j->objs[o]) ? "there:" : "gone: ", d);
		}
	}
	n = ret ? 0 : extra_tags(&r, &extra);
	for (size_t k = 0; k < n; k++) {
		printf("%-9s %s (no longer in %s)\n", "extra", strchr(extra[k], '\n') + 1,
		       r.s->path);
		print_objs(find_journal(&r, extra[k]), "", stdout);
	}
	differ += n;
	if (!ret && !differ)
		printf("%s: the kernel matches\n", r.s->path);
	free(extra);
	run_release(&r);
	return ret ? ret : differ ? FT_EXIT_ERR : FT_EXIT_OK;
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
	const struct ft_journal **js = NULL;
	struct ft_writes w = { 0 };
	struct run r;
	size_t *order = NULL, n = 0;
	char **tags = NULL;
	int ret = open_run(&r, cmd, argc, argv, !dry);

	if (!ret && (!(tags = calloc(r.nj + (r.s ? r.s->nlines : 0) + 1, sizeof(*tags))) ||
		     !(js = calloc(r.nj + (r.s ? r.s->nlines : 0) + 1, sizeof(*js)))))
		ret = FT_EXIT_ERR;
	/* The file's lines in apply order, so that their reverse is undone first. */
	if (!ret && r.s && (order = ft_setup_order(r.s)))
		for (size_t k = 0; k < r.s->nlines; k++)
			if (find_journal(&r, r.tags[order[k]]))
				tags[n++] = r.tags[order[k]];
	for (size_t i = 0; !ret && i < r.nj; i++) {
		bool listed = false;

		for (size_t k = 0; k < n; k++)
			listed |= !strcmp(tags[k], r.j[i].journal.tag);
		if (!listed && r.j[i].journal.pid == 0 && tag_of_file(r.j[i].journal.tag, r.abs))
			tags[n++] = r.j[i].journal.tag;
	}
	if (!ret && !n)
		printf("%snothing of %s to remove\n", dry ? "# " : "", r.abs);
	/* As undo_tags() goes: rank by rank, the journals and their objects newest first. */
	for (size_t k = 0; !ret && dry && k < n; k++)
		js[k] = find_journal(&r, tags[k]);
	if (!ret && dry &&
	    (ft_journals_undo_writes(js, n, ft_tfs_dir(r.t), &w) || ft_writes_print(&w, stdout)))
		ret = FT_EXIT_ERR;
	if (!ret && !dry && n && undo_tags(&r, tags, n, stdout))
		ret = FT_EXIT_ERR;
	ft_writes_release(&w);
	free(js);
	free(tags);
	free(order);
	run_release(&r);
	return ret;
}

/* One line of a saved file and the kind that places it in apply's order. */
struct saved {
	int kind;
	char *text;
};

static int save_add(struct saved **v, size_t *n, int kind, char *text)
{
	struct saved *nv;

	if (!text)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv) {
		free(text);
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = (struct saved){ kind, text };
	return 0;
}

static char *quoted(int argc, ...)
{
	char *argv[8];
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc && i < 8; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return ft_setup_quote(argc, argv);
}

/* An object of persistent.journal (trigger add, probe add, hist start) as a setup line. */
static int save_obj(struct saved **v, size_t *n, const struct ft_obj *o)
{
	char ev[300];
	bool in = o->instance[0];

	snprintf(ev, sizeof(ev), "%s:%s", o->system, o->event);
	switch (o->kind) {
	case FT_OBJ_DYNEVENT:
		if (!strncmp(o->text, "s:", 2))
			return save_add(v, n, FT_SETUP_SYNTH, quoted(2, "synth", o->text + 2));
		return save_add(v, n, FT_SETUP_PROBE, quoted(4, "probe", "add", "--raw", o->text));
	case FT_OBJ_TRIGGER:
		return save_add(
			v, n, FT_SETUP_TRIGGER,
			in ? quoted(6, "trigger", "add", "--instance", o->instance, ev, o->text)
			   : quoted(4, "trigger", "add", ev, o->text));
	case FT_OBJ_ENABLE:
		return save_add(v, n, FT_SETUP_ENABLE,
				in ? quoted(4, "enable", "--instance", o->instance, ev)
				   : quoted(2, "enable", ev));
	case FT_OBJ_INSTANCE:
		return save_add(v, n, FT_SETUP_INSTANCE, quoted(2, "instance", o->instance));
	default: {
		char *c;

		/* A pinned aggregation records its pin, not the hist start that made it. */
		if (asprintf(&c,
			     "# not saved: %s:%s counted by BPF (pinned at %s); recreate it "
			     "with 'hist start %s ... --backend bpf'",
			     o->system, o->event, o->text, ev) < 0)
			c = NULL;
		return save_add(v, n, FT_SETUP_BPF, c);
	}
	}
}

/*
 * Every line of every file applied (their own words) and every persistent object, of those
 * the kernel still has: an object removed by hand is not saved, nor a line whose objects are
 * all gone (a line that journals nothing, a setting, is saved).
 */
static int save_collect(struct ft_tfs *t, const struct ft_session_info *j, size_t nj,
			struct saved **v, size_t *n)
{
	int ret = 0;

	for (size_t i = 0; i < nj && !ret; i++) {
		const struct ft_journal *jj = &j[i].journal;
		const char *key = strchr(jj->tag, '\n');
		struct ft_setup *one;
		char err[512], *line;
		size_t there = 0;

		if (jj->pid != 0)
			continue;
		for (size_t o = 0; !key && o < jj->nobjs && !ret; o++)
			if (obj_present(t, &jj->objs[o]))
				ret = save_obj(v, n, &jj->objs[o]);
		if (!key || ret)
			continue;
		for (size_t o = 0; o < jj->nobjs; o++)
			there += obj_present(t, &jj->objs[o]);
		if (jj->nobjs && !there)
			continue;
		if (asprintf(&line, "%s\n", key + 1) < 0)
			return -ENOMEM;
		if (!ft_setup_parse("journal", line, &one, err, sizeof(err)) && one->nlines)
			ret = save_add(v, n, one->lines[0].kind, strdup(key + 1));
		ft_setup_free(one);
		free(line);
	}
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
	const char *path = file_arg(cmd, argc, argv);
	struct ft_session_info *j = NULL;
	struct ft_tfs *t = NULL;
	struct saved *v = NULL;
	size_t nj = 0, n = 0;
	bool have_instance = false;
	FILE *f;
	int ret;

	if (!path)
		return FT_EXIT_USAGE;
	ret = ft_tfs_open(&t) ? -ENODEV : ft_ledger_scan(ft_ledger_state_dir(), &j, &nj);
	if (!ret)
		ret = save_collect(t, j, nj, &v, &n);
	ft_ledger_scan_free(j, nj);
	if (t)
		ft_tfs_close(t);
	f = ret ? NULL : strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!ret && !f)
		ft_err("cannot write %s: %s", path, strerror(errno));
	if (f) {
		fprintf(f, "# ftrig setup file written by 'ftrig save' (man ftrig-setup.5)\n");
		for (int k = 0; k < FT_SETUP_NKINDS; k++) {
			for (size_t i = 0; i < n; i++) {
				bool dup = k == FT_SETUP_INSTANCE && have_instance;

				if (v[i].kind != k)
					continue;
				/* One instance setting per file; the other instances are named
				 * by the lines that use them. */
				fprintf(f, "%s%s\n", dup ? "# " : "", v[i].text);
				have_instance |= k == FT_SETUP_INSTANCE;
			}
		}
		ret = ferror(f) ? -EIO : 0;
		if (f != stdout && fclose(f))
			ret = -errno;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	return ret || !f ? FT_EXIT_ERR : FT_EXIT_OK;
}
