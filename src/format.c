// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event formats: libtraceevent parses the kernel's format text; this turns its result into a
 * plain struct that the rest of ftrig (listing, validation, BPF specialisation) reads without
 * keeping a tep handle around.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "format.h"

static int copy_fields(struct tep_format_field **tf, bool common, struct ft_event_format *f)
{
	size_t n = 0;
	struct ft_field *nf;

	while (tf && tf[n])
		n++;
	nf = realloc(f->fields, (f->nfields + n) * sizeof(*nf));
	if (!nf && n)
		return -ENOMEM;
	f->fields = nf;
	for (size_t i = 0; i < n; i++) {
		struct ft_field *d = &f->fields[f->nfields];
		unsigned long fl = tf[i]->flags;

		*d = (struct ft_field){
			.name = strdup(tf[i]->name),
			.type = strdup(tf[i]->type),
			.offset = tf[i]->offset,
			.size = tf[i]->size,
			.is_signed = fl & TEP_FIELD_IS_SIGNED,
			.is_string = fl & TEP_FIELD_IS_STRING,
			.is_array = fl & TEP_FIELD_IS_ARRAY,
			.is_dynamic = fl & TEP_FIELD_IS_DYNAMIC,
			.common = common,
		};
		f->nfields++;
		if (!d->name || !d->type)
			return -ENOMEM;
	}
	return 0;
}

/**
 * ft_format_from_event() - the plain form of an event libtraceevent has parsed
 * @ev: the event (from a tep handle: a format file's, or a trace.dat file's)
 * @out: set to the format; free with ft_format_free()
 *
 * Return: 0 or -ENOMEM.
 */
int ft_format_from_event(struct tep_event *ev, struct ft_event_format **out)
{
	struct tep_format_field **common = NULL, **own = NULL;
	struct ft_event_format *f = calloc(1, sizeof(*f));
	int ret = -ENOMEM;

	if (!f || !(f->system = strdup(ev->system)) || !(f->name = strdup(ev->name)))
		goto out;
	f->id = ev->id;
	common = tep_event_common_fields(ev);
	own = tep_event_fields(ev);
	ret = copy_fields(common, true, f);
	if (!ret)
		ret = copy_fields(own, false, f);
out:
	free(common);
	free(own);
	if (ret) {
		ft_format_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

/**
 * ft_format_parse() - parse an event's format file
 * @system: the event's system (the format text does not name it)
 * @text: the text of events/SYSTEM/EVENT/format
 * @out: set to the parsed format; free with ft_format_free()
 *
 * Return: 0, -EINVAL when libtraceevent cannot parse the text, or -ENOMEM.
 */
int ft_format_parse(const char *system, const char *text, struct ft_event_format **out)
{
	struct tep_handle *tep = tep_alloc();
	struct tep_event *ev = NULL;
	int ret;

	if (!tep)
		return -ENOMEM;
	if (tep_parse_format(tep, &ev, text, strlen(text), system) != TEP_ERRNO__SUCCESS)
		ret = -EINVAL;
	else
		ret = ft_format_from_event(ev, out);
	tep_free(tep);
	return ret;
}

/**
 * ft_format_free() - free a parsed format; NULL is allowed
 * @f: the format
 */
void ft_format_free(struct ft_event_format *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nfields; i++) {
		free(f->fields[i].name);
		free(f->fields[i].type);
	}
	free(f->fields);
	free(f->probe_def);
	free(f->system);
	free(f->name);
	free(f);
}

/**
 * ft_format_field() - a field by name
 * @f: the format
 * @name: the field name
 *
 * Return: the field (owned by @f), or NULL.
 */
const struct ft_field *ft_format_field(const struct ft_event_format *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}
