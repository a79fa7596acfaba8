// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig probe add | ls | rm: dynamic probes (kprobe, kretprobe, uprobe, uretprobe, eprobe);
 * rm is in src/cmd-probe-rm.c.
 * Probes outlive the command: they go to the persistent ledger, so `probe rm --ours` and
 * `cleanup --all` find them again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-probe.h"
#include "json.h"
#include "ledger.h"
#include "probes/add.h"
#include "probes/dynev.h"
#include "probes/glob.h"
#include "probes/probe.h"
#include "tfs.h"
#include "util.h"
#include "writes.h"

/* probe add: the words, then ft_probe_add() (src/probes/add.c) into the persistent ledger. */
static int probe_add(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_writes own = { 0 };
	struct ft_probe_add_opts o;
	struct ft_tfs *t;
	char why[1024] = "";
	int ret;

	ret = ft_probe_add_parse(argc, argv, &o, why, sizeof(why));
	if (ret == -EINVAL)
		return ft_usage_error(cmd, "%s", why);
	if (ret)
		return FT_EXIT_ERR;
	if (ft_tfs_open(&t)) {
		free(o.text);
		return FT_EXIT_ERR;
	}
	if (!o.raw && ft_probe_text_is_glob(o.text)) {
		struct ft_probe_set set;

		ret = ft_probe_add_glob(t, NULL, &o, o.dry_run ? &own : NULL, stdout, &set);
		ft_probe_set_release(&set);
	} else {
		ret = ft_probe_add(t, NULL, &o, o.dry_run ? &own : NULL, stdout, NULL, 0);
	}
	if (!ret && o.dry_run)
		ret = ft_writes_print(&own, stdout);
	ft_writes_release(&own);
	ft_tfs_close(t);
	free(o.text);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

static const char *owner_text(const struct ft_dynev *d, char *buf, size_t size)
{
	switch (d->owner) {
	case FT_OWNER_PERSISTENT:
		return "ftrig";
	case FT_OWNER_SESSION:
		snprintf(buf, size, "session %d", (int)d->pid);
		return buf;
	case FT_OWNER_STALE:
		snprintf(buf, size, "dead session %d", (int)d->pid);
		return buf;
	default:
		return "-";
	}
}

static void ls_json(struct ft_json *j, const struct ft_dynev *d)
{
	char own[64];

	ft_json_begin_obj(j, NULL);
	ft_json_str(j, "group", d->spec.group);
	ft_json_str(j, "name", d->spec.name);
	ft_json_str(j, "kind", ft_probe_kind_name(d->spec.kind));
	ft_json_bool(j, "ours", d->owner != FT_OWNER_NONE);
	ft_json_str(j, "owner", owner_text(d, own, sizeof(own)));
	/* Every member always there (FIG-9): null where the kernel counts nothing (misses of
	 * uprobes, the profile of eprobes). */
	if (d->have_profile)
		ft_json_uint(j, "hits", d->hits);
	else
		ft_json_null(j, "hits");
	if (d->have_profile && !ft_probe_is_user(d->spec.kind))
		ft_json_uint(j, "misses", d->misses);
	else
		ft_json_null(j, "misses");
	ft_json_str(j, "definition", d->line);
	ft_json_end(j, '}');
}

static void ls_text(const struct ft_dynev *d)
{
	char own[64], ev[300], hits[32] = "-", miss[32] = "-";

	snprintf(ev, sizeof(ev), "%s:%s", d->spec.group, d->spec.name);
	if (d->have_profile)
		snprintf(hits, sizeof(hits), "%llu", d->hits);
	if (d->have_profile && !ft_probe_is_user(d->spec.kind))
		snprintf(miss, sizeof(miss), "%llu", d->misses);
	printf("%-32s %-9s %-18s %10s %8s  %s\n", ev, ft_probe_kind_name(d->spec.kind),
	       owner_text(d, own, sizeof(own)), hits, miss, d->line);
}

static int probe_ls(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { NULL, 0, NULL, 0 } };
	bool all = false, json = false;
	struct ft_dynev *v;
	struct ft_json j;
	struct ft_tfs *t;
	int c, bad = 0;
	size_t n;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		all |= c == 'a';
		json |= c == 'j';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind < argc)
		return ft_usage_error(cmd, "'probe ls' takes no names; it lists them all");
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	if (ft_dynev_list(t, ft_ledger_state_dir(), &v, &n)) {
		ft_tfs_close(t);
		return FT_EXIT_ERR;
	}
	ft_json_init(&j, stdout, false);
	if (json)
		ft_json_begin_arr(&j, NULL);
	else
		printf("%-32s %-9s %-18s %10s %8s  %s\n", "EVENT", "KIND", "OWNER", "HITS",
		       "MISSES", "DEFINITION");
	for (size_t i = 0; i < n; i++) {
		if (!all && v[i].owner == FT_OWNER_NONE && strcmp(v[i].spec.group, FT_PROBE_GROUP))
			continue;
		if (json)
			ls_json(&j, &v[i]);
		else
			ls_text(&v[i]);
	}
	if (json) {
		ft_json_end(&j, ']');
		printf("\n");
	}
	ft_dynev_free(v, n);
	ft_tfs_close(t);
	return FT_EXIT_OK;
}

static const struct ft_verb verbs[] = {
	{ "add", NULL, probe_add },
	{ "ls", "list", probe_ls },
	{ "rm", "remove", ft_cmd_probe_rm },
};

/* The `probe` subcommand's verbs, dispatched by ft_cmd_verbs(). */
const struct ft_verbs ft_probe_verbs = {
	verbs,
	FT_ARRAY_SIZE(verbs),
	"say what to do: add, ls or rm",
	{ "no 'probe ", "'; the probe commands are add, ls and rm" },
};
