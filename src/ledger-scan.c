// SPDX-License-Identifier: GPL-2.0-only
/*
 * The journals of the state directory as a whole: listing them (info, trigger ls, cleanup,
 * dry runs) and replaying those of dead sessions (cleanup). Every journal is opened through
 * src/jfile.c, so one that is not the user's, or a symlink, is refused and never replayed,
 * and every field is checked when it is read (ft_journal_parse()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "jfile.h"
#include "ledger-int.h"
#include "log.h"

/* What ft_ledger_undo_all() would remove, in the order it would try. */
static void print_plan(const struct ft_ledger *l, FILE *report)
{
	char what[1024];

	for (int rank = 0; report && rank <= FT_OBJ_LAST_RANK; rank++) {
		for (size_t i = l->j.nobjs; i-- > 0;) {
			if (ft_obj_rank(&l->j.objs[i]) != rank)
				continue;
			ft_obj_describe(&l->j.objs[i], what, sizeof(what));
			fprintf(report, "would remove %s\n", what);
		}
	}
}

/* A journal without a complete line: its maker was killed before its header was on disk. */
static bool is_empty(const char *text)
{
	return !strchr(text, '\n');
}

/* Read the journal @name; 1 when it is empty (not listed), 0 when listed, or -errno. */
static int load_info(int dfd, const char *dir, const char *name, const char *boot_id,
		     struct ft_session_info *s)
{
	char *text = NULL;
	int fd, ret;

	memset(s, 0, sizeof(*s));
	if (asprintf(&s->path, "%s/%s", dir, name) < 0) {
		s->path = NULL;
		return -ENOMEM;
	}
	ret = ft_jfile_open(dfd, dir, name, O_RDONLY, 0, &fd);
	if (ret)
		return ret;
	ret = ft_jfile_read(fd, s->path, false, &text);
	if (!ret && is_empty(text))
		ret = 1;
	if (!ret) {
		ret = ft_journal_parse(text, &s->journal);
		if (ret == -EINVAL)
			ft_warn("%s is not a readable ftrig journal (%s); skipped", s->path,
				s->journal.why);
	}
	if (!ret) {
		s->other_boot = strcmp(s->journal.boot_id, boot_id) != 0;
		s->alive = flock(fd, LOCK_EX | LOCK_NB) && errno == EWOULDBLOCK;
	}
	free(text);
	close(fd);
	return ret;
}

static void release_info(struct ft_session_info *s)
{
	free(s->path);
	ft_journal_release(&s->journal);
}

static bool journal_name(const char *name)
{
	size_t len = strlen(name);

	return len > 8 && !strcmp(name + len - 8, ".journal");
}

/*
 * Call @fn for each journal file of the state directory (opened as src/jfile.c trusts it)
 * until it returns an error: 0 (also when the directory does not exist), @fn's error, or
 * -errno from opening the directory.
 */
static int each_journal(const char *state_dir,
			int (*fn)(int dfd, const char *dir, const char *name, void *arg), void *arg)
{
	struct dirent *de;
	int dfd, ret;
	DIR *d;

	ret = ft_jfile_dir_open(state_dir, false, &dfd);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	d = fdopendir(dup(dfd));
	if (!d) {
		ret = -errno;
		close(dfd);
		return ret;
	}
	while (!ret && (de = readdir(d)))
		if (journal_name(de->d_name))
			ret = fn(dfd, state_dir, de->d_name, arg);
	closedir(d);
	close(dfd);
	return ret;
}

/**
 * struct scan - what ft_ledger_scan() collects
 * @v: the journals listed
 * @n: how many
 * @boot_id: this boot's id
 * @res: -EPERM once a journal was refused
 */
struct scan {
	struct ft_session_info *v;
	size_t n;
	char boot_id[40];
	int res;
};

static int scan_one(int dfd, const char *dir, const char *name, void *arg)
{
	struct scan *s = arg;
	struct ft_session_info *nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	int ret;

	if (!nv)
		return -ENOMEM;
	s->v = nv;
	ret = load_info(dfd, dir, name, s->boot_id, &s->v[s->n]);
	if (ret == -EPERM || ret == -ELOOP || ret == -EINVAL)
		s->res = -EPERM;
	if (ret)
		release_info(&s->v[s->n]);
	else
		s->n++;
	return 0;
}

/**
 * ft_ledger_scan() - every journal in the state directory, alive or not
 * @state_dir: the directory
 * @out: set to an array to free with ft_ledger_scan_free()
 * @n: set to its length
 *
 * Files that are not readable journals are skipped with a warning; empty journals (see
 * ft_ledger_remove_empty()) silently. A state directory or a journal that is not the user's,
 * or that others may write, is not read (logged).
 *
 * Return: 0 (also when the directory does not exist), -EPERM when the directory or a journal
 * was refused or unreadable (the others are still listed: ownership is then not fully
 * known), or -ENOMEM.
 */
int ft_ledger_scan(const char *state_dir, struct ft_session_info **out, size_t *n)
{
	struct scan s = { 0 };
	int ret;

	ft_ledger_boot_id(s.boot_id, sizeof(s.boot_id));
	ret = each_journal(state_dir, scan_one, &s);
	*out = s.v;
	*n = s.n;
	return ret ? ret : s.res;
}

/**
 * ft_ledger_scan_free() - free what ft_ledger_scan() returned
 * @s: the array, may be NULL
 * @n: its length
 */
void ft_ledger_scan_free(struct ft_session_info *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		release_info(&s[i]);
	free(s);
}

/* Remove @name if it is an empty journal nobody holds; 1 when it was (or would be) removed. */
static int remove_if_empty(int dfd, const char *dir, const char *name, bool dry_run, FILE *report)
{
	char *text = NULL;
	int fd, ret;

	ret = ft_jfile_open(dfd, dir, name, dry_run ? O_RDONLY : O_RDWR, LOCK_EX | LOCK_NB, &fd);
	if (ret)
		return 0;
	ret = ft_jfile_read(fd, name, false, &text);
	if (!ret && is_empty(text)) {
		ret = dry_run ? 0 : ft_jfile_unlink(dfd, name, fd);
		if (!ret && report)
			fprintf(report,
				"%s the empty journal %s/%s (ftrig was killed as it made it)\n",
				dry_run ? "would remove" : "removed", dir, name);
		ret = ret ? ret : 1;
	} else {
		ret = 0;
	}
	free(text);
	close(fd);
	return ret;
}

/**
 * struct sweep - what ft_ledger_remove_empty() does and has done
 * @dry_run: only say which would be removed
 * @report: where to say so, or NULL
 * @n: how many were removed (or would be)
 */
struct sweep {
	bool dry_run;
	FILE *report;
	int n;
};

static int sweep_one(int dfd, const char *dir, const char *name, void *arg)
{
	struct sweep *w = arg;

	w->n += remove_if_empty(dfd, dir, name, w->dry_run, w->report) > 0;
	return 0;
}

/**
 * ft_ledger_remove_empty() - remove the empty journals nobody holds
 * @state_dir: the directory
 * @dry_run: only say which would be removed
 * @report: where to say so, or NULL
 *
 * An ftrig older than src/jfile.c, or one on a file system without O_TMPFILE, could be killed
 * between making its journal and writing the header; nothing is in such a journal (the header
 * goes before any record) and nothing else would ever remove it.
 *
 * Return: how many were removed (or would be), or -errno from opening the directory.
 */
int ft_ledger_remove_empty(const char *state_dir, bool dry_run, FILE *report)
{
	struct sweep w = { .dry_run = dry_run, .report = report };
	int ret = each_journal(state_dir, sweep_one, &w);

	return ret ? ret : w.n;
}

/* Open and lock the journal of @l without waiting and read it: -EBUSY if its session holds it. */
static int open_for_replay(struct ft_ledger *l, bool dry_run, char **text)
{
	int ret = ft_jfile_dir_open(l->dir, false, &l->dfd);

	if (!ret)
		ret = ft_jfile_open(l->dfd, l->dir, l->name, dry_run ? O_RDONLY : O_RDWR | O_APPEND,
				    LOCK_EX | LOCK_NB, &l->fd);
	if (!ret)
		ret = ft_jfile_read(l->fd, l->path, !dry_run, text);
	if (!ret && is_empty(*text))
		ret = -ENODATA;
	if (!ret) {
		ret = ft_journal_parse(*text, &l->j);
		if (ret == -EINVAL)
			ft_err("%s is not a journal ftrig can read (%s); it is left alone: look at "
			       "it, and remove it by hand",
			       l->path, l->j.why);
	}
	return ret;
}

/**
 * ft_ledger_replay() - undo what a dead session's journal still holds
 * @tfs: tracefs
 * @path: the journal
 * @dry_run: only report what would be removed
 * @report: where to print one line per object, or NULL
 *
 * The journal is locked for the replay, so two cleanups never race, and a live session's
 * journal is refused. It is deleted once empty (a command waiting for its lock then makes a
 * new one: src/jfile.c); a journal from another boot is deleted outright, since its objects
 * went with that boot. A journal that is not the user's, or not readable, is left alone.
 *
 * Return: 0, -EBUSY if the session is alive or objects remain, or another -errno.
 */
int ft_ledger_replay(struct ft_tfs *tfs, const char *path, bool dry_run, FILE *report)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], boot_id[40], *text = NULL;
	struct ft_ledger *l;
	int ret;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	l = ft_ledger_alloc(tfs, dir, slash ? slash + 1 : path);
	if (!l)
		return -ENOMEM;
	ret = open_for_replay(l, dry_run, &text);
	free(text);
	if (ret == -ENODATA) {
		/* Nothing to undo in it: ft_ledger_close() unlinks it unless this is a dry run. */
		ret = 0;
	} else if (ret && l->fd >= 0) {
		/* Not a journal we can read: keep the file for a person to look at. */
		close(l->fd);
		l->fd = -1;
	}
	ft_ledger_boot_id(boot_id, sizeof(boot_id));
	if (!ret && strcmp(boot_id, l->j.boot_id) && l->j.boot_id[0])
		ft_journal_release(&l->j);
	if (!ret && dry_run) {
		print_plan(l, report);
		close(l->fd);
		l->fd = -1;
	} else if (!ret) {
		ret = ft_ledger_undo_all(l, report);
	}
	ft_ledger_close(l);
	return ret;
}
