// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ownership ledger: every kernel object ftrig creates is journaled before it is written,
 * and undone in dependency order when the session ends, or later by `ftrig cleanup --stale`
 * when the session was killed.
 *
 * A session's journal is STATE_DIR/PID-STARTTIME.journal. The session holds an exclusive
 * flock on it for its whole life; the kernel drops the lock when the process dies however it
 * dies, so "the lock can be taken" is the test for a dead session, immune to pid reuse.
 *
 * Objects meant to outlive the command (trigger add, apply, pinned BPF) go to
 * STATE_DIR/persistent.journal (pid 0), locked only while a command changes it; they are
 * removed by their own rm/teardown commands or by cleanup --all, never by cleanup --stale.
 *
 * Here: opening and closing ledgers. The journal's text is src/journal.c's, its files on disk
 * src/jfile.c's (trust, whole records, locks); making objects is src/ledger-add.c, undoing
 * them src/ledger-undo.c, listing and replaying the state directory src/ledger-scan.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "jfile.h"
#include "ledger-int.h"
#include "log.h"
#include "signals.h"
#include "tfs.h"
#include "util.h"

#define DEFAULT_STATE_DIR "/run/ftrig"
#define PERSISTENT_NAME "persistent.journal"
/* The size past which an empty persistent.journal is deleted (close_deletes()). */
#define PERSISTENT_KEEP_MAX (64 * 1024)

static int write_header(struct ft_ledger *l);
static int create_file(struct ft_ledger *l);

/**
 * ft_ledger_state_dir() - where journals live
 *
 * Return: $FTRIG_STATE_DIR if set, else /run/ftrig (a tmpfs: journals die with the boot that
 * their objects die with).
 */
const char *ft_ledger_state_dir(void)
{
	const char *d = getenv("FTRIG_STATE_DIR");

	return d && *d ? d : DEFAULT_STATE_DIR;
}

/**
 * ft_ledger_boot_id() - this boot's id, as journals record it
 * @buf: where it goes
 * @size: size of @buf
 */
void ft_ledger_boot_id(char *buf, size_t size)
{
	char *s = ft_read_file("/proc/sys/kernel/random/boot_id", NULL);

	snprintf(buf, size, "%s", s ? ft_strip(s) : "unknown");
	free(s);
}

/* Field 22 of /proc/self/stat, after the parenthesised comm that may hold spaces. */
static unsigned long long read_starttime(void)
{
	char *s = ft_read_file("/proc/self/stat", NULL);
	unsigned long long v = 0;
	char *p = s ? strrchr(s, ')') : NULL;

	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	free(s);
	return v;
}

/**
 * ft_ledger_open() - a ledger for this session; nothing is written until the first object
 * @out: set to the new ledger; free with ft_ledger_close()
 * @tfs: the tracefs the objects live in; must outlive the ledger
 * @state_dir: the journal directory, usually ft_ledger_state_dir()
 *
 * Return: 0 or -ENOMEM.
 */
int ft_ledger_open(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir)
{
	char name[64];
	struct ft_ledger *l;
	pid_t pid = getpid();
	unsigned long long st = read_starttime();

	snprintf(name, sizeof(name), "%d-%llu.journal", (int)pid, st);
	l = ft_ledger_alloc(tfs, state_dir, name);
	if (!l)
		return -ENOMEM;
	l->j.pid = pid;
	l->j.starttime = st;
	ft_ledger_boot_id(l->j.boot_id, sizeof(l->j.boot_id));
	*out = l;
	return 0;
}

/**
 * ft_ledger_alloc() - a ledger for the journal @name in @dir, nothing opened yet
 * @tfs: the tracefs the objects live in
 * @dir: the state directory
 * @name: the journal's name
 *
 * Return: the ledger, to ft_ledger_close(), or NULL (ENOMEM).
 */
struct ft_ledger *ft_ledger_alloc(struct ft_tfs *tfs, const char *dir, const char *name)
{
	struct ft_ledger *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->tfs = tfs;
	l->fd = -1;
	l->dfd = -1;
	l->dir = strdup(dir);
	l->name = strdup(name);
	if (!l->dir || !l->name || asprintf(&l->path, "%s/%s", dir, name) < 0) {
		l->path = NULL;
		ft_ledger_close(l);
		return NULL;
	}
	return l;
}

/**
 * ft_ledger_tagged_path() - the journal file that holds the objects of @tag
 * @state_dir: the journal directory
 * @tag: the tag, NULL for persistent.journal
 *
 * Return: a path to free(), or NULL (ENOMEM).
 */
char *ft_ledger_tagged_path(const char *state_dir, const char *tag)
{
	char *p;

	if (!tag)
		return asprintf(&p, "%s/%s", state_dir, PERSISTENT_NAME) < 0 ? NULL : p;
	return asprintf(&p, "%s/setup-%016llx.journal", state_dir,
			(unsigned long long)ft_fnv1a(tag, strlen(tag))) < 0
		       ? NULL
		       : p;
}

/**
 * ft_ledger_open_tagged() - a persistent ledger of its own, for the objects of @tag
 * @out: set to the ledger; free with ft_ledger_close() (which does not undo anything)
 * @tfs: the tracefs the objects live in; must outlive the ledger
 * @state_dir: the journal directory, usually ft_ledger_state_dir()
 * @tag: what the objects belong to (a setup file's absolute path); NULL is persistent.journal
 *
 * Like persistent.journal (pid 0: cleanup --all removes its objects, --stale never does), but
 * in a file named after @tag and recording it, so that `teardown` removes exactly what one
 * setup file made. Waits for the journal's lock. A tagged journal is deleted when it is closed
 * empty.
 *
 * Return: 0, -EEXIST if the file belongs to another tag (a hash collision; logged), or
 * -errno (logged).
 */
int ft_ledger_open_tagged(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir,
			  const char *tag)
{
	char *path = ft_ledger_tagged_path(state_dir, tag), *text = NULL;
	struct ft_ledger *l = path ? ft_ledger_alloc(tfs, state_dir, strrchr(path, '/') + 1) : NULL;
	int ret;

	free(path);
	if (!l)
		return -ENOMEM;
	/* From the journal's creation on, a signal must not leave it behind half made. */
	ft_signals_catch();
	l->persistent = !tag;
	snprintf(l->j.tag, sizeof(l->j.tag), "%s", tag ? tag : "");
	ft_ledger_boot_id(l->j.boot_id, sizeof(l->j.boot_id));
	ret = ft_jfile_dir_open(state_dir, true, &l->dfd);
	while (!ret) {
		ret = ft_jfile_open(l->dfd, l->dir, l->name, O_RDWR | O_APPEND, LOCK_EX, &l->fd);
		if (ret != -ENOENT)
			break;
		ret = create_file(l);
		if (ret != -EEXIST)
			break;
		ret = 0; /* made by another command in between: open that one */
	}
	if (!ret)
		ret = ft_jfile_read(l->fd, l->path, true, &text);
	if (!ret && text && *text) {
		ret = ft_journal_parse(text, &l->j);
		if (ret)
			ft_err("%s is not a journal ftrig can read (%s); move it away to start "
			       "afresh",
			       l->path, l->j.why);
		else if (strcmp(l->j.tag, tag ? tag : ""))
			ret = -EEXIST;
		if (ret == -EEXIST)
			ft_err("%s belongs to '%s', not '%s'", l->path, l->j.tag, tag ? tag : "");
	} else if (!ret && text) {
		ret = write_header(l);
	}
	free(text);
	if (ret) {
		ft_ledger_close(l);
		return ret;
	}
	*out = l;
	return 0;
}

/**
 * ft_ledger_open_persistent() - the ledger of objects that outlive the command
 * @out: set to the ledger; free with ft_ledger_close() (which does not undo anything)
 * @tfs: the tracefs the objects live in; must outlive the ledger
 * @state_dir: the journal directory, usually ft_ledger_state_dir()
 *
 * Waits for the journal's lock, so two commands never interleave their records, and reads
 * the objects recorded so far. (A setup file's lines journal in tagged journals of their
 * own, which the setup engine opens with ft_ledger_open_tagged() and passes down.)
 *
 * Return: 0 or -errno (the cause has been logged).
 */
int ft_ledger_open_persistent(struct ft_ledger **out, struct ft_tfs *tfs, const char *state_dir)
{
	return ft_ledger_open_tagged(out, tfs, state_dir, NULL);
}

/**
 * ft_ledger_objects() - what the ledger holds now
 * @l: the ledger
 *
 * Return: the journal's live objects, owned by the ledger, valid until its next change.
 */
const struct ft_journal *ft_ledger_objects(const struct ft_ledger *l)
{
	return &l->j;
}

/**
 * ft_ledger_append() - append whole records to the ledger's journal (src/jfile.c)
 * @l: the ledger, its journal started
 * @text: the records
 * @len: their length
 *
 * Return: 0 or -errno (logged, naming the journal).
 */
int ft_ledger_append(struct ft_ledger *l, const char *text, size_t len)
{
	int ret = ft_jfile_append(l->fd, l->path, text, len);

	l->appended |= !ret;
	return ret;
}

/* The journal's first line, into a string to free(); NULL when out of memory. */
static char *format_header(const struct ft_ledger *l, size_t *n)
{
	char *hdr = NULL;
	FILE *f = open_memstream(&hdr, n);

	if (!f)
		return NULL;
	ft_journal_format_header(f, &l->j);
	fclose(f);
	return hdr;
}

/* Only for a journal found empty (an older ftrig was killed making it). */
static int write_header(struct ft_ledger *l)
{
	size_t n = 0;
	char *hdr = format_header(l, &n);
	int ret = hdr ? ft_ledger_append(l, hdr, n) : -ENOMEM;

	free(hdr);
	return ret;
}

/* Make the journal file, with its header, and lock it: -EEXIST if it exists. */
static int create_file(struct ft_ledger *l)
{
	size_t n = 0;
	char *hdr = format_header(l, &n);
	int ret;

	if (!hdr)
		return -ENOMEM;
	ret = ft_jfile_create(l->dfd, l->dir, l->name, hdr, n, &l->fd);
	free(hdr);
	return ret;
}

/**
 * ft_ledger_start() - make the session's journal, unless it is made already
 * @l: the ledger
 *
 * Return: 0 or -errno (logged, naming the journal or the state directory).
 */
int ft_ledger_start(struct ft_ledger *l)
{
	int ret;

	if (l->fd >= 0)
		return 0;
	ret = l->dfd >= 0 ? 0 : ft_jfile_dir_open(l->dir, true, &l->dfd);
	if (!ret)
		ret = create_file(l);
	if (ret == -EEXIST)
		ft_err("the ledger journal %s exists already; another ftrig of this pid left it: "
		       "run 'ftrig cleanup --stale'",
		       l->path);
	return ret;
}

/**
 * ft_ledger_retire() - append the "-" record of @seq
 * @l: the ledger
 * @seq: the object
 *
 * Return: 0 or -errno (logged).
 */
int ft_ledger_retire(struct ft_ledger *l, unsigned seq)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "-\t%u\n", seq);

	return ft_ledger_append(l, line, (size_t)n);
}

/*
 * Whether the journal, holding no object, is deleted as it is closed. A session's or a
 * setup file's always is. persistent.journal is shared by every command, and each
 * `hist start` after a `hist rm` would make it again before its first kernel write: it is
 * kept while it is small, and deleted (the next command starts a new one) once its retired
 * records pass PERSISTENT_KEEP_MAX bytes, which every command reads; before,
 * it grew by a record pair for every object ever made, for as long as the machine ran. Only
 * by a command that wrote to it (the one that retired its last object, say): one refused
 * before its first write leaves the state directory as it found it.
 */
static bool close_deletes(const struct ft_ledger *l)
{
	struct stat st;

	if (l->j.nobjs)
		return false;
	return !l->persistent ||
	       (l->appended && !fstat(l->fd, &st) && st.st_size > PERSISTENT_KEEP_MAX);
}

/**
 * ft_ledger_close() - free the ledger; NULL is allowed
 * @l: the ledger
 *
 * The journal is deleted when it holds nothing more (persistent.journal: once it has grown,
 * close_deletes()), and kept (for cleanup --stale) otherwise. The lock is held until here,
 * so no other command appended to it since this one read it. Call ft_ledger_undo_all()
 * first to remove the objects.
 */
void ft_ledger_close(struct ft_ledger *l)
{
	if (!l)
		return;
	if (l->fd >= 0) {
		if (close_deletes(l))
			ft_jfile_unlink(l->dfd, l->name, l->fd);
		close(l->fd);
	}
	if (l->dfd >= 0)
		close(l->dfd);
	ft_journal_release(&l->j);
	free(l->dir);
	free(l->name);
	free(l->path);
	free(l);
}
