// SPDX-License-Identifier: GPL-2.0-only
/* ftrig info: where tracefs is, what this kernel can do, and what ftrig owns in it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "kfeat.h"
#include "json.h"
#include "ledger.h"
#include "log.h"
#include "tfs.h"

enum owner { RUNNING, PERSISTENT, DEAD };

static enum owner owner_of(const struct ft_session_info *s)
{
	return s->journal.pid == 0 ? PERSISTENT : s->alive ? RUNNING : DEAD;
}

static void json_sessions(struct ft_json *j, const struct ft_session_info *s, size_t n)
{
	ft_json_begin_arr(j, "sessions");
	for (size_t i = 0; i < n; i++) {
		ft_json_begin_obj(j, NULL);
		ft_json_int(j, "pid", s[i].journal.pid);
		static const char *const states[] = { "running", "persistent", "dead" };

		ft_json_str(j, "state", s[i].other_boot ? "other-boot" : states[owner_of(&s[i])]);
		ft_json_str(j, "journal", s[i].path);
		ft_json_begin_arr(j, "objects");
		for (size_t k = 0; k < s[i].journal.nobjs; k++) {
			const struct ft_obj *o = &s[i].journal.objs[k];

			ft_json_begin_obj(j, NULL);
			ft_json_str(j, "kind", ft_obj_kind_name(o->kind));
			ft_json_str(j, "instance", o->instance);
			ft_json_str(j, "system", o->system);
			ft_json_str(j, "event", o->event);
			ft_json_str(j, "text", o->text);
			ft_json_end(j, '}');
		}
		ft_json_end(j, ']');
		ft_json_end(j, '}');
	}
	ft_json_end(j, ']');
}

static void print_json(const struct ft_tfs *t, const struct ft_features *f,
		       const struct ft_session_info *s, size_t n)
{
	struct ft_json j;
	char trig[sizeof(f->triggers)], *save = NULL;

	ft_json_init(&j, stdout, true);
	ft_json_begin_obj(&j, NULL);
	ft_json_begin_obj(&j, "tracefs");
	ft_json_str(&j, "path", ft_tfs_dir(t));
	ft_json_bool(&j, "mounted_now", ft_tfs_mounted_now(t));
	ft_json_bool(&j, "debugfs", ft_tfs_is_debugfs(t));
	ft_json_bool(&j, "readonly", ft_tfs_is_readonly(t));
	ft_json_end(&j, '}');
	ft_json_str(&j, "kernel", f->release);
	ft_json_begin_obj(&j, "features");
	for (int i = 0; i < FT_FEAT_COUNT; i++)
		ft_json_bool(&j, ft_feature_name(i), f->has[i]);
	ft_json_end(&j, '}');
	if (!f->has[FT_FEAT_BPF])
		ft_json_str(&j, "bpf_unusable_because", f->bpf_why);
	ft_json_begin_arr(&j, "triggers");
	snprintf(trig, sizeof(trig), "%s", f->triggers);
	for (char *w = strtok_r(trig, " ", &save); w; w = strtok_r(NULL, " ", &save))
		ft_json_str(&j, NULL, w);
	ft_json_end(&j, ']');
	json_sessions(&j, s, n);
	ft_json_end(&j, '}');
}

static void print_objects(const struct ft_session_info *s, size_t n, enum owner which)
{
	char what[1024];
	int shown = 0;

	for (size_t i = 0; i < n; i++) {
		if (owner_of(&s[i]) != which)
			continue;
		for (size_t k = 0; k < s[i].journal.nobjs; k++, shown++) {
			ft_obj_describe(&s[i].journal.objs[k], what, sizeof(what));
			if (which == PERSISTENT)
				printf("  %s\n", what);
			else
				printf("  pid %-7d %s%s\n", (int)s[i].journal.pid, what,
				       s[i].other_boot ? " (earlier boot: already gone)" : "");
		}
	}
	if (!shown)
		printf("  none\n");
}

static void print_text(const struct ft_tfs *t, const struct ft_features *f,
		       const struct ft_session_info *s, size_t n)
{
	printf("tracefs:   %s%s%s%s\n", ft_tfs_dir(t),
	       ft_tfs_mounted_now(t) ? " (mounted by ftrig just now)" : "",
	       ft_tfs_is_debugfs(t) ? " (legacy debugfs location)" : "",
	       ft_tfs_is_readonly(t) ? " (read-only)" : "");
	printf("kernel:    %s\n", f->release);
	printf("features:\n");
	for (int i = 0; i < FT_FEAT_COUNT; i++) {
		printf("  %-18s %s", ft_feature_name(i), f->has[i] ? "yes" : "no");
		if (i == FT_FEAT_BPF && !f->has[i])
			printf("   (%s)", f->bpf_why);
		else if (!f->has[i])
			printf("   (needs %s)", ft_feature_hint(i));
		printf("\n");
	}
	printf("triggers:  %s\n", f->triggers[0] ? f->triggers : "(none listed)");
	printf("objects of running ftrig sessions:\n");
	print_objects(s, n, RUNNING);
	printf("persistent objects ftrig created (remove with 'ftrig cleanup --all'):\n");
	print_objects(s, n, PERSISTENT);
	printf("objects left by dead ftrig sessions (remove with 'ftrig cleanup --stale'):\n");
	print_objects(s, n, DEAD);
}

/* --require: every named feature must be present. */
static int check_required(const struct ft_cmd *cmd, const struct ft_features *f, const char *list,
			  int *missing)
{
	char *copy = strdup(list), *save = NULL;

	*missing = 0;
	if (!copy)
		return FT_EXIT_ERR;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int feat = ft_feature_lookup(w);

		if (feat < 0) {
			ft_usage_error(cmd, "no feature '%s'; 'ftrig info' lists the names", w);
			free(copy);
			return FT_EXIT_USAGE;
		}
		if (!f->has[feat]) {
			if (feat == FT_FEAT_BPF)
				ft_err("this kernel lacks %s: %s", w, f->bpf_why);
			else
				ft_err("this kernel lacks %s: it needs %s", w,
				       ft_feature_hint(feat));
			(*missing)++;
		}
	}
	free(copy);
	return FT_EXIT_OK;
}

/**
 * ft_cmd_info() - the `info` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: an FT_EXIT_* status.
 */
int ft_cmd_info(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
					      { "require", required_argument, NULL, 'r' },
					      { NULL, 0, NULL, 0 } };
	struct ft_session_info *sessions;
	struct ft_features f;
	struct ft_tfs *t;
	const char *require = NULL;
	bool json = false;
	int c, bad = 0, missing = 0, ret;
	size_t n;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'r')
			require = optarg;
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind < argc)
		return ft_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	/* An empty name would require nothing and pass: a script's typo must not (X14). */
	if (require && (!*require || *require == ',' || strstr(require, ",,") ||
			require[strlen(require) - 1] == ','))
		return ft_usage_error(cmd,
				      "--require '%s': an empty feature name; give names as "
				      "'ftrig info' prints them, e.g. --require uprobe_events,bpf",
				      require);
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	if (ft_tfs_mounted_now(t) && !json)
		ft_info("tracefs was not mounted; mounted it at %s", ft_tfs_dir(t));
	ft_features_detect(t, &f);
	if (require) {
		ret = check_required(cmd, &f, require, &missing);
		ft_tfs_close(t);
		return ret != FT_EXIT_OK ? ret : missing ? FT_EXIT_ERR : FT_EXIT_OK;
	}
	ft_ledger_scan(ft_ledger_state_dir(), &sessions, &n);
	if (json)
		print_json(t, &f, sessions, n);
	else
		print_text(t, &f, sessions, n);
	ft_ledger_scan_free(sessions, n);
	ft_tfs_close(t);
	return FT_EXIT_OK;
}
