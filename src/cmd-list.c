// SPDX-License-Identifier: GPL-2.0-only
/* ftrig list events: the events tracefs offers, and their fields from the format files. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "json.h"
#include "log.h"
#include "evhint.h"
#include "tfs.h"
#include "util.h"

struct list_opts {
	const char *glob;
	bool fields;
	bool json;
};

/* A pattern with a colon is matched against "system:event"; one without, against either. */
static bool matches(const char *glob, const char *sys, const char *ev)
{
	char full[512];

	snprintf(full, sizeof(full), "%s:%s", sys, ev);
	if (!glob || ft_glob_match(glob, full))
		return true;
	return !strchr(glob, ':') && (ft_glob_match(glob, ev) || ft_glob_match(glob, sys));
}

static void print_field_text(const struct ft_field *fl)
{
	const char *kind = fl->is_string   ? "string"
			   : fl->is_array  ? "array"
			   : fl->is_signed ? "signed"
					   : "unsigned";

	printf("    %-24s %-24s offset %-4d size %-3d %s\n", fl->name, fl->type, fl->offset,
	       fl->size, kind);
}

static void print_field_json(struct ft_json *j, const struct ft_field *fl)
{
	ft_json_begin_obj(j, NULL);
	ft_json_str(j, "name", fl->name);
	ft_json_str(j, "type", fl->type);
	ft_json_int(j, "offset", fl->offset);
	ft_json_int(j, "size", fl->size);
	ft_json_bool(j, "signed", fl->is_signed);
	ft_json_bool(j, "string", fl->is_string);
	ft_json_bool(j, "array", fl->is_array);
	ft_json_bool(j, "dynamic", fl->is_dynamic);
	ft_json_bool(j, "common", fl->common);
	ft_json_end(j, '}');
}

/* One event: its name, and with --fields its format. Returns -1 if the format is unreadable. */
static int list_one(struct ft_tfs *t, const struct list_opts *o, struct ft_json *j, const char *sys,
		    const char *ev)
{
	struct ft_event_format *fmt = NULL;
	int ret = 0;

	if (o->fields) {
		if (ft_tfs_event_format(t, NULL, sys, ev, &fmt)) {
			ft_warn("cannot read the format of %s:%s", sys, ev);
			ret = -1;
		}
	}
	if (o->json) {
		ft_json_begin_obj(j, NULL);
		ft_json_str(j, "system", sys);
		ft_json_str(j, "event", ev);
		if (fmt) {
			ft_json_int(j, "id", fmt->id);
			ft_json_begin_arr(j, "fields");
			for (size_t i = 0; i < fmt->nfields; i++)
				print_field_json(j, &fmt->fields[i]);
			ft_json_end(j, ']');
		}
		ft_json_end(j, '}');
	} else {
		printf("%s:%s\n", sys, ev);
		for (size_t i = 0; fmt && i < fmt->nfields; i++)
			if (!fmt->fields[i].common)
				print_field_text(&fmt->fields[i]);
	}
	ft_format_free(fmt);
	return ret;
}

static int list_events(struct ft_tfs *t, const struct list_opts *o, unsigned *found)
{
	char **systems = ft_tfs_systems(t);
	struct ft_json j;
	int bad = 0;

	if (!systems) {
		ft_err("no event systems under %s/events; is this a tracefs?", ft_tfs_dir(t));
		return -1;
	}
	ft_json_init(&j, stdout, false);
	if (o->json)
		ft_json_begin_arr(&j, NULL);
	for (int s = 0; systems[s]; s++) {
		char **events = ft_tfs_events(t, systems[s]);

		for (int e = 0; events && events[e]; e++) {
			if (!matches(o->glob, systems[s], events[e]))
				continue;
			(*found)++;
			bad |= list_one(t, o, &j, systems[s], events[e]);
		}
		ft_tfs_list_free(events);
	}
	if (o->json)
		ft_json_end(&j, ']');
	ft_tfs_list_free(systems);
	return bad;
}

/**
 * ft_cmd_list() - the `list` subcommand
 * @cmd: its table row
 * @argc: argument count
 * @argv: arguments
 *
 * Return: an FT_EXIT_* status; a pattern that matches nothing is an error.
 */
int ft_cmd_list(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = { { "fields", no_argument, NULL, 'f' },
					      { "json", no_argument, NULL, 'j' },
					      { NULL, 0, NULL, 0 } };
	struct list_opts o = { 0 };
	unsigned found = 0;
	struct ft_tfs *t;
	int c, bad = 0, ret;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 'f')
			o.fields = true;
		else if (c == 'j')
			o.json = true;
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (optind >= argc)
		return ft_usage_error(cmd, "say what to list: 'ftrig list events'");
	if (strcmp(argv[optind], "events"))
		return ft_usage_error(cmd, "cannot list '%s'; try 'ftrig list events'",
				      argv[optind]);
	if (optind + 2 < argc)
		return ft_usage_error(cmd, "one pattern at most; quote it: 'sched:*'");
	o.glob = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	ret = list_events(t, &o, &found);
	if (!ret && !found && o.glob) {
		char hint[512] = "";

		/* CMD-9: a misspelt name, not a glob, gets a suggestion */
		if (!strpbrk(o.glob, "*?["))
			ft_event_hint(t, o.glob, hint, sizeof(hint));
		ft_err("no event matches '%s'%s", o.glob,
		       *hint ? hint : "; 'ftrig list events' shows them all");
		ft_tfs_close(t);
		return FT_EXIT_ERR;
	}
	ft_tfs_close(t);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
