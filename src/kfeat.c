// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel feature detection. Every answer comes from what the running kernel shows in tracefs
 * (files that exist, the README, an event's trigger file), never from the version number:
 * distributions configure the same version differently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kfeat.h"
#include "ledger.h"
#include "tfs.h"
#include "util.h"

static const struct {
	const char *name;
	const char *hint;
} feats[FT_FEAT_COUNT] = {
	[FT_FEAT_KPROBES] = { "kprobe_events", "a kernel with CONFIG_KPROBE_EVENTS=y" },
	[FT_FEAT_UPROBES] = { "uprobe_events", "a kernel with CONFIG_UPROBE_EVENTS=y" },
	[FT_FEAT_DYNAMIC_EVENTS] = { "dynamic_events", "a kernel of 5.0 or later with probe "
						       "events" },
	[FT_FEAT_EPROBES] = { "eprobes", "a kernel with CONFIG_EPROBE_EVENTS=y (5.15 or later)" },
	[FT_FEAT_HIST] = { "hist_triggers", "a kernel with CONFIG_HIST_TRIGGERS=y, or "
					    "'--backend bpf'" },
	[FT_FEAT_SNAPSHOT] = { "snapshot", "a kernel with CONFIG_TRACER_SNAPSHOT=y" },
	[FT_FEAT_SYNTH] = { "synthetic_events", "a kernel with CONFIG_SYNTH_EVENTS=y" },
	[FT_FEAT_INSTANCES] = { "instances", "a kernel of 3.10 or later" },
	[FT_FEAT_BPF] = { "bpf", "a kernel with CONFIG_BPF_SYSCALL=y, run as root" },
	[FT_FEAT_BTF] = { "btf", "a kernel with CONFIG_DEBUG_INFO_BTF=y" },
	[FT_FEAT_KPROBE_MULTI] = { "kprobe_multi", "a kernel with CONFIG_FPROBE=y (5.18 or "
						   "later), run as root; without it funccount "
						   "makes one kprobe per function" },
};

/**
 * ft_feature_name() - the name of a feature in output, JSON and --require
 * @feat: the feature
 *
 * Return: a static string.
 */
const char *ft_feature_name(enum ft_feature feat)
{
	return feat < FT_FEAT_COUNT ? feats[feat].name : "unknown";
}

/**
 * ft_feature_hint() - what gives a kernel this feature
 * @feat: the feature
 *
 * Return: a static string.
 */
const char *ft_feature_hint(enum ft_feature feat)
{
	return feat < FT_FEAT_COUNT ? feats[feat].hint : "";
}

/**
 * ft_feature_lookup() - a feature by name
 * @name: as ft_feature_name() gives it
 *
 * Return: the enum ft_feature, or -ENOENT.
 */
int ft_feature_lookup(const char *name)
{
	for (int i = 0; i < FT_FEAT_COUNT; i++)
		if (!strcmp(name, feats[i].name))
			return i;
	return -ENOENT;
}

/**
 * ft_parse_available_triggers() - the trigger list of an event's empty trigger file
 * @trigger_file: the file's text; the kernel prints "# Available triggers:" and then the
 *                list on a "# " line when the event has no trigger
 * @out: set to the list, space separated
 * @size: size of @out
 *
 * Return: 0, or -ENOENT if the text holds no list (the event has triggers).
 */
int ft_parse_available_triggers(const char *trigger_file, char *out, size_t size)
{
	const char *p = strstr(trigger_file, "# Available triggers:");
	const char *end;

	if (!p || !(p = strchr(p, '\n')) || strncmp(p + 1, "# ", 2))
		return -ENOENT;
	p += 3;
	end = strchrnul(p, '\n');
	snprintf(out, size, "%.*s", (int)(end - p), p);
	ft_strip(out);
	return 0;
}

/**
 * ft_readme_has_eprobes() - whether the tracefs README documents event probes
 * @readme: the README text
 *
 * Return: true if the dynamic event syntax lists the "e[:[<group>/]..." form.
 */
bool ft_readme_has_eprobes(const char *readme)
{
	return strstr(readme, "e[:[<group>/]") != NULL;
}

/**
 * ft_trigger_available() - whether the kernel lists @cmd among its triggers
 * @f: detected features
 * @cmd: a trigger command ("hist", "snapshot", ...)
 *
 * Return: true if listed.
 */
bool ft_trigger_available(const struct ft_features *f, const char *cmd)
{
	size_t n = strlen(cmd);

	for (const char *p = f->triggers; (p = strstr(p, cmd)); p += n)
		if ((p == f->triggers || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/**
 * ft_eprobes_work() - whether this kernel really takes event probes
 * @t: tracefs
 *
 * The README documents eprobes even on kernels built without CONFIG_EPROBE_EVENTS (seen on
 * the 6.18 host: the syntax is listed, the write fails with EINVAL and no error_log entry),
 * so define one in a group of this process's, through a ledger like any other object, and
 * remove it at once.
 *
 * Return: true if the README lists eprobes and a trial eprobe was taken.
 */
bool ft_eprobes_work(struct ft_tfs *t)
{
	struct ft_ledger *l;
	char group[32], def[128];
	int ret;

	char *readme = ft_tfs_read(t, NULL, "README", NULL);
	bool listed =
		ft_tfs_exists(t, NULL, "dynamic_events") && readme && ft_readme_has_eprobes(readme);

	free(readme);
	if (!listed)
		return false;
	if (!ft_tfs_event_exists(t, NULL, "sched", "sched_switch", NULL))
		return true; /* nothing to attach to; trust the README */
	if (ft_ledger_open(&l, t, ft_ledger_state_dir()))
		return false;
	snprintf(group, sizeof(group), "ftrig_cap_%d", (int)getpid());
	snprintf(def, sizeof(def), "e:%s/eprobe sched.sched_switch", group);
	ret = ft_ledger_dynevent_add(l, "dynamic_events", group, "eprobe", def);
	ft_ledger_undo_all(l, NULL);
	ft_ledger_close(l);
	return ret == 0;
}

/* The first event whose trigger file still shows the list of available triggers. */
static void detect_triggers(struct ft_tfs *t, struct ft_features *f)
{
	char **systems = ft_tfs_systems(t);
	char *text;

	text = ft_tfs_event_read(t, NULL, "sched", "sched_switch", "trigger", NULL);
	if (text && ft_parse_available_triggers(text, f->triggers, sizeof(f->triggers)) == 0)
		goto out;
	for (int s = 0; systems && systems[s]; s++) {
		char **events = ft_tfs_events(t, systems[s]);
		int found = -1;

		for (int e = 0; events && events[e] && found; e++) {
			free(text);
			text = ft_tfs_event_read(t, NULL, systems[s], events[e], "trigger", NULL);
			if (text)
				found = ft_parse_available_triggers(text, f->triggers,
								    sizeof(f->triggers));
		}
		ft_tfs_list_free(events);
		if (!found)
			break;
	}
out:
	free(text);
	ft_tfs_list_free(systems);
}

/**
 * ft_features_detect() - find out what the running kernel can do
 * @t: tracefs
 * @f: filled in
 *
 * Return: 0 (a feature that cannot be detected is reported as absent).
 */
int ft_features_detect(struct ft_tfs *t, struct ft_features *f)
{
	struct utsname u;
	char *readme;

	memset(f, 0, sizeof(*f));
	if (uname(&u) == 0)
		snprintf(f->release, sizeof(f->release), "%s", u.release);
	readme = ft_tfs_read(t, NULL, "README", NULL);
	detect_triggers(t, f);
	f->has[FT_FEAT_KPROBES] = ft_tfs_exists(t, NULL, "kprobe_events");
	f->has[FT_FEAT_UPROBES] = ft_tfs_exists(t, NULL, "uprobe_events");
	f->has[FT_FEAT_DYNAMIC_EVENTS] = ft_tfs_exists(t, NULL, "dynamic_events");
	f->has[FT_FEAT_EPROBES] = !ft_tfs_is_readonly(t) && ft_eprobes_work(t);
	f->has[FT_FEAT_HIST] = ft_trigger_available(f, "hist");
	f->has[FT_FEAT_SNAPSHOT] = ft_tfs_exists(t, NULL, "snapshot");
	f->has[FT_FEAT_SYNTH] = ft_tfs_exists(t, NULL, "synthetic_events");
	f->has[FT_FEAT_INSTANCES] = ft_tfs_exists(t, NULL, "instances");
	f->has[FT_FEAT_BPF] = ft_bpf_usable(f->bpf_why, sizeof(f->bpf_why));
	f->has[FT_FEAT_BTF] = ft_btf_present();
	f->has[FT_FEAT_KPROBE_MULTI] = f->has[FT_FEAT_BPF] && ft_bpf_kprobe_multi();
	free(readme);
	return 0;
}
