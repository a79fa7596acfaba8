/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_KFEAT_H
#define FT_KFEAT_H

#include <stdbool.h>
#include <stddef.h>

struct ft_tfs;

/* What a kernel can do, each detected from tracefs itself (or by loading a BPF program). */
enum ft_feature {
	FT_FEAT_KPROBES,
	FT_FEAT_UPROBES,
	FT_FEAT_DYNAMIC_EVENTS,
	FT_FEAT_EPROBES,
	FT_FEAT_HIST,
	FT_FEAT_SNAPSHOT,
	FT_FEAT_SYNTH,
	FT_FEAT_INSTANCES,
	FT_FEAT_BPF,
	FT_FEAT_BTF,
	FT_FEAT_KPROBE_MULTI,
	FT_FEAT_COUNT,
};

/**
 * struct ft_features - the abilities of the running kernel
 * @release: the kernel release (uname -r)
 * @has: one flag per enum ft_feature
 * @triggers: the trigger commands the kernel lists as available, space separated
 * @bpf_why: why BPF is not usable, when it is not
 */
struct ft_features {
	char release[128];
	bool has[FT_FEAT_COUNT];
	char triggers[256];
	char bpf_why[160];
};

int ft_features_detect(struct ft_tfs *t, struct ft_features *f);
const char *ft_feature_name(enum ft_feature feat);
const char *ft_feature_hint(enum ft_feature feat);
int ft_feature_lookup(const char *name);
int ft_parse_available_triggers(const char *trigger_file, char *out, size_t size);
bool ft_readme_has_eprobes(const char *readme);
bool ft_eprobes_work(struct ft_tfs *t);
bool ft_trigger_available(const struct ft_features *f, const char *cmd);

/* src/bpf/probe.c: whether this kernel loads a trivial BPF program (false, @why, when not). */
bool ft_bpf_usable(char *why, size_t size);
bool ft_btf_present(void);
bool ft_bpf_kprobe_multi(void);

#endif
