// SPDX-License-Identifier: GPL-2.0-only
/* struct ft_hist_spec (what `hist start` asks for) -> a hist trigger in the grammar model. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist/spec.h"
#include "triggers/from-spec.h"

static int field(struct ft_hfield *f, const char *name, const char *mod)
{
	*f = (struct ft_hfield){ .name = strdup(name), .pos = -1 };
	if (mod && *mod)
		f->mod = strdup(mod);
	return f->name && (!mod || !*mod || f->mod) ? 0 : -ENOMEM;
}

/**
 * ft_trigger_from_hist_spec() - the hist trigger that counts what @spec asks for
 * @spec: the request (keys, values, sort, size, name, filter)
 * @t: set to the trigger; release with ft_trigger_release(); ft_trigger_format() gives the
 *     text to write
 *
 * A plain "hitcount" value is left out (every hist trigger counts hits); a sort key keeps
 * its direction. The latency mode (@spec->end_event) is not a
 * single trigger and is refused here.
 *
 * Return: 0, -EINVAL (no key, too many parts for the model, or latency mode), -ENOMEM.
 */
int ft_trigger_from_hist_spec(const struct ft_hist_spec *spec, struct ft_trigger *t)
{
	struct ft_hist_trigger *h = &t->hist;
	int ret = 0;

	ft_trigger_init(t);
	t->cmd = FT_TRIG_HIST;
	if (!spec->nkeys || spec->nkeys > FT_TRIG_MAX_KEYS || spec->nvals > FT_TRIG_MAX_VALS ||
	    spec->nsort > FT_TRIG_MAX_SORT || spec->end_event)
		return -EINVAL;
	for (size_t i = 0; i < spec->nkeys && !ret; i++)
		ret = field(&h->keys[h->nkeys++], spec->keys[i].field, spec->keys[i].modifier);
	for (size_t i = 0; i < spec->nvals && !ret; i++) {
		if (!strcmp(spec->vals[i].field, "hitcount") &&
		    (!spec->vals[i].modifier || !*spec->vals[i].modifier))
			continue;
		ret = field(&h->vals[h->nvals++], spec->vals[i].field, spec->vals[i].modifier);
	}
	for (size_t i = 0; i < spec->nsort && !ret; i++) {
		ret = field(&h->sort[h->nsort], spec->sort[i].field, NULL);
		h->sort[h->nsort++].dir = spec->sort[i].descending ? -1 : 0;
	}
	h->size = spec->size;
	if (!ret && spec->name && !(h->name = strdup(spec->name)))
		ret = -ENOMEM;
	if (!ret && spec->filter && !(t->filter = strdup(spec->filter)))
		ret = -ENOMEM;
	if (ret)
		ft_trigger_release(t);
	return ret;
}
