/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PROBE_DYNEV_H
#define FT_PROBE_DYNEV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "probes/probe.h"

struct ft_tfs;

enum ft_owner { FT_OWNER_NONE, FT_OWNER_PERSISTENT, FT_OWNER_SESSION, FT_OWNER_STALE };

/**
 * struct ft_dynev - one probe the kernel lists in its dynamic event files
 * @spec: the definition, parsed
 * @line: the definition as the kernel lists it
 * @have_profile: @hits and @misses come from kprobe_profile / uprobe_profile
 * @hits: how often it fired
 * @misses: how often it could not fire (kprobes only)
 * @owner: which ftrig journal holds it, if any
 * @pid: the session's pid for FT_OWNER_SESSION and FT_OWNER_STALE
 */
struct ft_dynev {
	struct ft_probe_spec spec;
	char *line;
	bool have_profile;
	unsigned long long hits;
	unsigned long long misses;
	enum ft_owner owner;
	pid_t pid;
};

enum ft_holder_kind { FT_HOLD_ENABLE, FT_HOLD_TRIGGER, FT_HOLD_REF, FT_HOLD_EPROBE };

/**
 * struct ft_holder - something in tracefs that keeps a probe from being deleted
 * @kind: an enable, a trigger on the probe's event, a trigger of another event naming it,
 *        or an event probe attached to it
 * @instance: the instance it is in ("" for the top level)
 * @system: the event the trigger sits on (FT_HOLD_REF), or the eprobe's group
 * @event: that event's name, or the eprobe's name
 * @text: the trigger as listed
 */
struct ft_holder {
	enum ft_holder_kind kind;
	char instance[256];
	char system[128];
	char event[128];
	char text[512];
};

int ft_dynev_list(struct ft_tfs *t, const char *state_dir, struct ft_dynev **out, size_t *n);
void ft_dynev_free(struct ft_dynev *v, size_t n);
const char *ft_dynev_file(struct ft_tfs *t, enum ft_probe_kind kind);
int ft_probe_holders(struct ft_tfs *t, const char *group, const char *name, bool deep,
		     const struct ft_dynev *all, size_t nall, struct ft_holder **out, size_t *n);
int ft_holder_describe(const struct ft_holder *h, char *buf, size_t size);

#endif
