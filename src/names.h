/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_NAMES_H
#define FT_NAMES_H

#include <stddef.h>

/**
 * enum ft_name_kind - the kinds of name that become one component of a tracefs or bpffs path
 * @FT_NAME_INSTANCE: a tracefs instance (a directory under instances/)
 * @FT_NAME_SYSTEM: an existing event system (a directory under events/)
 * @FT_NAME_EVENT: an existing event (a directory under events/SYSTEM/)
 * @FT_NAME_GROUP: the group of a new dynamic event (probe), as the kernel checks it
 * @FT_NAME_PROBE: the name of a new dynamic or synthetic event, as the kernel checks it
 * @FT_NAME_AGG: a hist trigger's name= or a BPF aggregation (a pin directory under bpffs)
 */
enum ft_name_kind {
	FT_NAME_INSTANCE,
	FT_NAME_SYSTEM,
	FT_NAME_EVENT,
	FT_NAME_GROUP,
	FT_NAME_PROBE,
	FT_NAME_AGG,
};

/* The kernel's MAX_EVENT_NAME_LEN (kernel/trace/trace_probe.h), NUL included. */
#define FT_NAME_EVENT_MAX 64
/* A BPF aggregation's name is kept in its pinned plan (FT_BPF_TEXT bytes, NUL included). */
#define FT_NAME_AGG_MAX 63

int ft_name_instance(const char *name, char *why, size_t size);
int ft_name_system(const char *name, char *why, size_t size);
int ft_name_event(const char *name, char *why, size_t size);
int ft_name_group(const char *name, char *why, size_t size);
int ft_name_probe(const char *name, char *why, size_t size);
int ft_name_agg(const char *name, char *why, size_t size);
int ft_name_pin(const char *name, char *why, size_t size);
int ft_name_check(enum ft_name_kind kind, const char *name, char *why, size_t size);
int ft_name_relpath(const char *path, char *why, size_t size);

/* "SYSTEM:EVENT" or "SYSTEM/EVENT" into its parts (pure). */
int ft_event_split(const char *name, size_t *syslen, const char **event);
int ft_event_split_copy(const char *name, char *sys, size_t syssize, char *ev, size_t evsize);

#endif
