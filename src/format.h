/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_FORMAT_H
#define FT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

/**
 * struct ft_field - one field of an event, as its format file describes it
 * @name: field name
 * @type: C type as the kernel prints it ("pid_t", "char[16]", "__data_loc char[]")
 * @offset: byte offset in the record
 * @size: size in bytes
 * @is_signed: signed integer
 * @is_string: a string (fixed array of char or dynamic string)
 * @is_array: an array
 * @is_dynamic: a __data_loc / __rel_loc field whose data sits after the fixed part
 * @common: one of the common_* fields every event has
 */
struct ft_field {
	char *name;
	char *type;
	int offset;
	int size;
	bool is_signed;
	bool is_string;
	bool is_array;
	bool is_dynamic;
	bool common;
};

/**
 * struct ft_event_format - an event's identity and fields
 * @system: event system
 * @name: event name
 * @id: the kernel's event id
 * @fields: common fields first, then the event's own, in format order
 * @nfields: how many
 * @probe_def: a kprobe/uprobe event's definition line in dynamic_events, which says where
 *             each field is fetched from; NULL when unknown or not a probe (the BPF backend
 *             sets it: ft_bpf_fetch_reg())
 */
struct ft_event_format {
	char *system;
	char *name;
	int id;
	struct ft_field *fields;
	size_t nfields;
	char *probe_def;
};

struct tep_event;

int ft_format_parse(const char *system, const char *text, struct ft_event_format **out);
int ft_format_from_event(struct tep_event *ev, struct ft_event_format **out);
void ft_format_free(struct ft_event_format *f);
const struct ft_field *ft_format_field(const struct ft_event_format *f, const char *name);

#endif
