/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SERVE_EXPORT_H
#define FT_SERVE_EXPORT_H

/*
 * The `export` line of a setup file (man ftrig-setup.5), pure: which event's aggregations
 * `ftrig serve` exports, in which instance, with how many series. apply records it in the
 * file's journal; serve reads the records (src/serve/gather.c).
 */
#include <stddef.h>

/**
 * struct ft_export - one export line, parsed
 * @instance: --instance, or "" for the top level
 * @system: the event's system
 * @event: the event
 * @limit: --limit as digits, or "" for serve's own --limit
 */
struct ft_export {
	char instance[256];
	char system[256];
	char event[256];
	char limit[16];
};

int ft_export_parse(int argc, char *const *argv, struct ft_export *e, char *why, size_t size);
int ft_export_where_parse(const char *arg, char *inst, size_t isz, char *sys, size_t ssz, char *ev,
			  size_t esz);

#endif
