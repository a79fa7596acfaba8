// SPDX-License-Identifier: GPL-2.0-only
/* ftrig cleanup: undo what dead ftrig sessions (and, with --all, persistent setups) left. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "journal.h"
#include "json.h"
#include "ledger.h"
#include "log.h"
#include "tfs.h"

/* A persistent journal holding a bpffs mount record and no pin: the mount's orphan. */
static bool orphan_mount(const struct ft_session_info *s)
{
	bool mount = false;

	if (s->journal.pid != 0 || s->journal.tag[0] || s->alive || s->other_boot)
		return false;
	for (size_t o = 0; o < s->journal.nobjs; o++) {
		if (s->journal.objs[o].kind == FT_OBJ_BPF)
			return false;
		mount |= s->journal.objs[o].kind == FT_OBJ_MOUNT;
	}
	return mount;
}

/*
 * Without --all the persistent journal is left alone, but for a bpffs mount no pin needs: a
 * `hist start` killed between journaling the mount and journaling its first pin leaves it,
 * and no `hist rm` can name it. Returns how many such records were (or would be) removed.
 */
static int undo_orphan_mounts(struct ft_tfs *t, bool dry_run)
{
	struct ft_ledger *l;
	int done;

	if (ft_ledger_open_persistent(&l, t, ft_ledger_state_dir()))
		return 0;
	done = ft_ledger_undo_orphan_mounts(l, dry_run, stdout);
	ft_ledger_close(l);
	return done;
}

/* Returns the number of journals that could not be emptied. */
static int replay_all(struct ft_tfs *t, const struct ft_session_info *s, size_t n, bool all,
		      bool dry_run)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		int ret;

		if (s[i].journal.pid == 0 && !all) {
			if (orphan_mount(&s[i]))
				undo_orphan_mounts(t, dry_run);
			continue;
		}
		if (s[i].alive) {
			ft_info("session %d is still running; it removes its own objects when it "
				"ends (stop it with 'kill %d')",
				(int)s[i].journal.pid, (int)s[i].journal.pid);
			continue;
		}
		ret = ft_ledger_replay(t, s[i].path, dry_run, stdout);
		if (ret == -EBUSY && !s[i].journal.nobjs)
			continue;
		if (ret) {
			failed++;
			if (ret != -EBUSY)
				ft_err("cannot replay %s: %s", s[i].path, strerror(-ret));
		}
	}
	return failed;
}

/*
 * `cleanup --dry-run --json`: the journals found and what replaying each would remove, in the
 * order replay removes it (ftrig(1), JSON OUTPUT). From the scan's data, as replay_all()
 * chooses: a running session's journal and, without --all, a persistent one are skipped; one
 * of an earlier boot removes nothing (its objects went with that boot).
 */
static void dry_run_json(const struct ft_session_info *s, size_t n, bool all, int empty)
{
	struct ft_json j;
	char what[1024];

	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_str(&j, "format", "ftrig-cleanup");
	ft_json_int(&j, "version", FT_REPORT_JSON_VERSION);
	ft_json_begin_arr(&j, "journals");
	for (size_t i = 0; i < n; i++) {
		bool kept = s[i].journal.pid == 0 && !all, orphan = kept && orphan_mount(&s[i]);
		bool skip = s[i].alive || (kept && !orphan);

		ft_json_begin_obj(&j, NULL);
		ft_json_str(&j, "journal", s[i].path);
		ft_json_int(&j, "pid", s[i].journal.pid);
		ft_json_bool(&j, "persistent", s[i].journal.pid == 0);
		ft_json_str(&j, "action",
			    s[i].alive ? "running: left to its session"
			    : skip     ? "persistent: left without --all"
			    : orphan   ? "persistent: only its orphaned bpffs mount"
				       : "replay");
		ft_json_bool(&j, "other_boot", s[i].other_boot);
		ft_json_begin_arr(&j, "would_remove");
		for (int rank = 0; !skip && !s[i].other_boot && rank <= FT_OBJ_LAST_RANK; rank++)
			for (size_t o = s[i].journal.nobjs; o-- > 0;) {
				if (ft_obj_rank(&s[i].journal.objs[o]) != rank ||
				    (orphan && s[i].journal.objs[o].kind != FT_OBJ_MOUNT))
					continue;
				ft_obj_describe(&s[i].journal.objs[o], what, sizeof(what));
				ft_json_str(&j, NULL, what);
			}
		ft_json_end(&j, ']');
		ft_json_end(&j, '}');
	}
	ft_json_end(&j, ']');
	ft_json_int(&j, "empty_journals", empty > 0 ? empty : 0);
	ft_json_end(&j, '}');
}

/**
 * ft_cmd_cleanup() - the `cleanup` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: FT_EXIT_OK when everything it was asked to remove is gone, FT_EXIT_ERR otherwise.
 */
int ft_cmd_cleanup(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "stale", no_argument, NULL, 's' },
					      { "all", no_argument, NULL, 'a' },
					      { "dry-run", no_argument, NULL, 'n' },
					      { "json", no_argument, NULL, 'j' },
					      { NULL, 0, NULL, 0 } };
	bool stale = false, all = false, dry_run = false, json = false;
	struct ft_session_info *s;
	struct ft_tfs *t;
	int c, bad = 0, failed, refused, empty;
	size_t n, objs = 0;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		stale |= c == 's';
		all |= c == 'a';
		dry_run |= c == 'n';
		json |= c == 'j';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (json && !dry_run)
		return ft_usage_error(cmd, "--json reports a --dry-run; add --dry-run");
	if (optind < argc)
		return ft_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!stale && !all)
		return ft_usage_error(cmd, "say what to remove: --stale (dead sessions) or --all");
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	if (ft_tfs_is_readonly(t) && !dry_run) {
		ft_err("tracefs at %s is mounted read-only, so nothing can be removed; remount it "
		       "read-write (mount -o remount,rw %s)",
		       ft_tfs_dir(t), ft_tfs_dir(t));
		ft_tfs_close(t);
		return FT_EXIT_ERR;
	}
	/* A state dir or journal not the user's is refused (said); the others are cleaned. */
	refused = ft_ledger_scan(ft_ledger_state_dir(), &s, &n);
	for (size_t i = 0; i < n; i++)
		objs += s[i].alive || (s[i].journal.pid == 0 && !all && !orphan_mount(&s[i]))
				? 0
				: s[i].journal.nobjs;
	if (json) {
		failed = 0;
		empty = ft_ledger_remove_empty(ft_ledger_state_dir(), true, NULL);
		dry_run_json(s, n, all, empty);
	} else {
		failed = replay_all(t, s, n, all, dry_run);
		empty = ft_ledger_remove_empty(ft_ledger_state_dir(), dry_run, stdout);
	}
	objs += empty > 0 ? (size_t)empty : 0;
	failed += refused != 0 || empty < 0;
	if (!objs && !refused && !json)
		printf("nothing to clean up\n");
	ft_ledger_scan_free(s, n);
	ft_tfs_close(t);
	return failed ? FT_EXIT_ERR : FT_EXIT_OK;
}
