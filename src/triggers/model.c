// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trigger model's own functions: the command keywords, and a trigger's life (empty,
 * released). Parsing, printing, comparing and validating are modules of their own above it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "triggers/model.h"

static const char *const cmd_names[FT_TRIG_NCMDS] = {
	[FT_TRIG_TRACEON] = "traceon",
	[FT_TRIG_TRACEOFF] = "traceoff",
	[FT_TRIG_STACKTRACE] = "stacktrace",
	[FT_TRIG_SNAPSHOT] = "snapshot",
	[FT_TRIG_ENABLE_EVENT] = "enable_event",
	[FT_TRIG_DISABLE_EVENT] = "disable_event",
	[FT_TRIG_ENABLE_HIST] = "enable_hist",
	[FT_TRIG_DISABLE_HIST] = "disable_hist",
	[FT_TRIG_HIST] = "hist",
};

/**
 * ft_trig_cmd_name() - the keyword of a trigger command
 * @cmd: the command
 *
 * Return: a static string ("enable_event", ...).
 */
const char *ft_trig_cmd_name(enum ft_trig_cmd cmd)
{
	return cmd < FT_TRIG_NCMDS ? cmd_names[cmd] : "?";
}

/**
 * ft_trig_cmd_lookup() - a trigger command by keyword
 * @name: the keyword
 *
 * Return: the enum ft_trig_cmd, or -ENOENT.
 */
int ft_trig_cmd_lookup(const char *name)
{
	for (int i = 0; i < FT_TRIG_NCMDS; i++)
		if (!strcmp(name, cmd_names[i]))
			return i;
	return -ENOENT;
}

/**
 * ft_trigger_init() - an empty trigger: no count limit, no filter, nothing allocated
 * @t: the trigger; ft_trigger_release() frees what is put into it later
 */
void ft_trigger_init(struct ft_trigger *t)
{
	memset(t, 0, sizeof(*t));
	t->count = -1;
	t->filter_pos = -1;
}

/**
 * ft_hfields_release() - free what the fields of a list hold (not the array)
 * @f: the fields
 * @n: how many
 */
void ft_hfields_release(struct ft_hfield *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].var);
		free(f[i].name);
		free(f[i].mod);
	}
}

/**
 * ft_trigger_release() - free what a trigger holds (not @t itself)
 * @t: the trigger; it is zeroed
 */
void ft_trigger_release(struct ft_trigger *t)
{
	struct ft_hist_trigger *h = &t->hist;

	free(t->system);
	free(t->event);
	free(t->filter);
	free(h->name);
	free(h->clock);
	ft_hfields_release(h->keys, h->nkeys);
	ft_hfields_release(h->vals, h->nvals);
	ft_hfields_release(h->vars, h->nvars);
	ft_hfields_release(h->sort, h->nsort);
	for (size_t i = 0; i < h->nactions; i++) {
		free(h->actions[i].arg);
		free(h->actions[i].action);
		for (size_t j = 0; j < h->actions[i].nparams; j++)
			free(h->actions[i].params[j]);
	}
	memset(t, 0, sizeof(*t));
}
