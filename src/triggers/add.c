// SPDX-License-Identifier: GPL-2.0-only
/*
 * trigger add below the command: its words, and the synthetic event (--synth) made with the
 * trigger and gone again if the trigger is refused. `trigger add` and setup files' trigger
 * lines both run it, each with the ledger it journals in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ledger.h"
#include "opts.h"
#include "triggers/add.h"
#include "triggers/apply.h"

/**
 * ft_trigger_options() - the options of the trigger verbs (add, ls, rm take the same set)
 *
 * Return: a static table for getopt_long().
 */
const struct option *ft_trigger_options(void)
{
	static const struct option opts[] = { { "instance", required_argument, NULL, 'i' },
					      { "dry-run", no_argument, NULL, 'n' },
					      { "json", no_argument, NULL, 'j' },
					      { "all-instances", no_argument, NULL, 'A' },
					      { "ours", no_argument, NULL, 'o' },
					      { "synth", required_argument, NULL, 's' },
					      { NULL, 0, NULL, 0 } };

	return opts;
}

/**
 * ft_trigger_add_parse() - the words of `trigger add` (after "trigger") into what was asked
 * @argc: argument count
 * @argv: arguments, argv[0] being "add"; getopt permutes them
 * @o: set to what was asked (pointing into @argv)
 * @why: set to what is wrong with the words on -EINVAL
 * @size: size of @why
 *
 * The options are those every trigger verb takes (the ones add has no use for are
 * accepted, as the command always has).
 *
 * Return: 0 or -EINVAL (see @why).
 */
int ft_trigger_add_parse(int argc, char **argv, struct ft_trigger_add_opts *o, char *why,
			 size_t size)
{
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = ft_getopt_why("trigger", argc, argv, ft_trigger_options(), why, size)) != -1) {
		if (c == 'i')
			o->instance = optarg;
		if (c == 's')
			o->synth = optarg;
		o->dry_run |= c == 'n';
	}
	if (why[0])
		return -EINVAL;
	if (argc - optind != 2) {
		snprintf(why, size, "trigger add takes EVENT and one quoted SPEC");
		return -EINVAL;
	}
	o->event = argv[optind];
	o->spec = argv[optind + 1];
	return 0;
}

/**
 * ft_trigger_add_opts_run() - `trigger add`: define --synth's event, then add the trigger
 * @t: tracefs
 * @l: the ledger that journals both (the persistent one, or a setup line's); unused for a
 *     dry run
 * @o: what was asked (ft_trigger_add_parse())
 * @dry: for a dry run, where the writes go (nothing is written); NULL to write
 * @out: where to say what was made
 *
 * The synthetic event was made for this trigger: it goes again if the trigger fails.
 *
 * Return: 0, or -errno after logging what is wrong and how to fix it.
 */
int ft_trigger_add_opts_run(struct ft_tfs *t, struct ft_ledger *l,
			    const struct ft_trigger_add_opts *o, struct ft_writes *dry, FILE *out)
{
	struct ft_trig_ctx c;
	unsigned synth_seq = 0;
	int ret = o->synth ? ft_synth_define(t, l, o->synth, dry, out) : 0;

	if (ret)
		return ret;
	if (o->synth && !dry)
		synth_seq = ft_ledger_objects(l)->objs[ft_ledger_objects(l)->nobjs - 1].seq;
	ret = ft_trig_ctx_open(&c, t, o->instance, o->event);
	if (!ret) {
		/* A dry run defines nothing: the trigger may name the event it would define. */
		if (o->synth && dry)
			snprintf(c.pending, sizeof(c.pending), "%.*s",
				 (int)strcspn(o->synth, " \t"), o->synth);
		ret = ft_trigger_add(&c, l, o->spec, dry, out);
		ft_trig_ctx_close(&c);
	}
	if (ret && o->synth && !dry)
		ft_ledger_undo_one(l, synth_seq);
	return ret;
}
