// SPDX-License-Identifier: GPL-2.0-only
/*
 * A fake tracefs tree for unit tests: a temp directory laid out like tracefs, its README and
 * event files copied from fixtures captured on a real kernel. FTRIG_TRACEFS makes it the
 * tracing directory, and since its files are plain files, what ftrig writes can be read back
 * (a trigger write appends, as the kernel's trigger file accumulates).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faketfs.h"
#include "ledger.h"
#include "tfs.h"
#include "util.h"

static void put(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	*strrchr(path, '/') = '\0';
	ft_mkdir_p(path, 0755);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/**
 * fixture_read() - a fixture file's text
 * @relpath: path below tests/fixtures
 *
 * Return: the text (caller frees), or NULL.
 */
char *fixture_read(const char *relpath)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FT_FIXTURES, relpath);
	return ft_read_file(path, NULL);
}

/**
 * fake_read() - a file of the fake tree
 * @dir: the tree
 * @relpath: path below it
 *
 * Return: the text (caller frees), or NULL.
 */
char *fake_read(const char *dir, const char *relpath)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, relpath);
	return ft_read_file(path, NULL);
}

static void copy_event(const char *dir, const char *fixture, const char *ev)
{
	static const char *const files[] = { "format", "id", "trigger" };
	char rel[512], *text;

	for (size_t i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "%s/events/%s/%s", fixture, ev, files[i]);
		text = fixture_read(rel);
		snprintf(rel, sizeof(rel), "events/%s/%s", ev, files[i]);
		put(dir, rel, text ? text : "");
		free(text);
	}
	snprintf(rel, sizeof(rel), "events/%s/enable", ev);
	put(dir, rel, "0\n");
	/* libtracefs counts a directory as an event system only if it has an enable file. */
	snprintf(rel, sizeof(rel), "events/%.*s/enable", (int)(strchr(ev, '/') - ev), ev);
	put(dir, rel, "0\n");
}

/**
 * fake_tfs_create() - make a fake tracefs tree from a fixture set
 * @fixture: "host-6.18" or "vm-6.1"
 *
 * Return: the tree's path (free with fake_tfs_destroy()), or NULL.
 */
char *fake_tfs_create(const char *fixture)
{
	static const char *const events[] = { "sched/sched_switch", "sched/sched_process_exit",
					      "syscalls/sys_enter_openat" };
	char tmpl[] = "/tmp/ftrig-fake.XXXXXX", rel[512], *text;
	char *dir = mkdtemp(tmpl);

	if (!dir)
		return NULL;
	dir = strdup(dir);
	snprintf(rel, sizeof(rel), "%s/README", fixture);
	text = fixture_read(rel);
	put(dir, "README", text ? text : "");
	free(text);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		copy_event(dir, fixture, events[i]);
	put(dir, "dynamic_events", "");
	put(dir, "uprobe_events", "");
	put(dir, "error_log", "");
	put(dir, "trace", "");
	mkdir(strcat(strcpy(rel, dir), "/instances"), 0755);
	return dir;
}

/**
 * fake_tfs_destroy() - remove a fake tree and free its path
 * @dir: the tree
 */
void fake_tfs_destroy(char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

/**
 * fake_tfs_fd_rel() - the path of an open file relative to the fake tree in $FTRIG_TRACEFS
 * @fd: the file
 * @buf: where the relative path goes
 * @size: size of @buf
 *
 * tfs.c writes through write() on files it opened below the tree: failure-injecting tests
 * wrap write() and use this to tell tracefs writes from the journal's.
 *
 * Return: @buf, or NULL when @fd is not below the tree.
 */
const char *fake_tfs_fd_rel(int fd, char *buf, size_t size)
{
	char link[64], path[PATH_MAX], root[PATH_MAX];
	const char *tree = getenv("FTRIG_TRACEFS");
	ssize_t n;
	size_t rl;

	if (!tree || !realpath(tree, root))
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	rl = strlen(root);
	if (strncmp(path, root, rl) || path[rl] != '/')
		return NULL;
	snprintf(buf, size, "%s", path + rl + 1);
	return buf;
}

/**
 * fake_env_open() - a fake tree made tracefs, and a state dir of its own with a ledger
 * @e: filled in; close with fake_env_close(); on failure @e->l is NULL
 * @fixture: "host-6.18" or "vm-6.1"
 */
void fake_env_open(struct fake_env *e, const char *fixture)
{
	memset(e, 0, sizeof(*e));
	e->tree = fake_tfs_create(fixture);
	strcpy(e->state, "/tmp/ftrig-state.XXXXXX");
	if (!e->tree || !mkdtemp(e->state))
		return;
	setenv("FTRIG_TRACEFS", e->tree, 1);
	setenv("FTRIG_STATE_DIR", e->state, 1);
	if (!ft_tfs_open(&e->tfs) && ft_ledger_open_persistent(&e->l, e->tfs, e->state))
		e->l = NULL;
}

/**
 * fake_env_close() - close and remove what fake_env_open() made
 * @e: the environment
 */
void fake_env_close(struct fake_env *e)
{
	char cmd[128];

	ft_ledger_close(e->l);
	ft_tfs_close(e->tfs);
	if (e->tree)
		fake_tfs_destroy(e->tree);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->state);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", e->state);
	unsetenv("FTRIG_TRACEFS");
	unsetenv("FTRIG_STATE_DIR");
}
