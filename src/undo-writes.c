// SPDX-License-Identifier: GPL-2.0-only
/*
 * What undoing a journaled object writes, as data, for the dry runs of the commands that
 * remove (trigger rm, probe rm, hist rm, teardown). Keep it in step with undo_obj() in
 * ledger.c, which makes these writes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ledger.h"
#include "undo-writes.h"

/**
 * ft_obj_undo_writes() - the writes that undo one journaled object
 * @o: the object
 * @dir: the tracing directory
 * @w: where the writes are appended
 *
 * Return: 0, -ENOMEM, or -EINVAL for a kind ftrig does not know.
 */
int ft_obj_undo_writes(const struct ft_obj *o, const char *dir, struct ft_writes *w)
{
	char rel[1024], line[600];

	switch (o->kind) {
	case FT_OBJ_TRIGGER:
		snprintf(rel, sizeof(rel), "events/%s/%s/trigger", o->system, o->event);
		snprintf(line, sizeof(line), "!%s", o->text);
		return ft_writes_tfs(w, FT_WRITE_APPEND, dir, o->instance, rel, line);
	case FT_OBJ_ENABLE:
		snprintf(rel, sizeof(rel), "events/%s/%s/enable", o->system, o->event);
		return ft_writes_tfs(w, FT_WRITE_SET, dir, o->instance, rel, "0");
	case FT_OBJ_FILTER:
		snprintf(rel, sizeof(rel), "events/%s/%s/filter", o->system, o->event);
		return ft_writes_tfs(w, FT_WRITE_SET, dir, o->instance, rel, "0");
	case FT_OBJ_DYNEVENT:
		if (!strcmp(o->file, "synthetic_events"))
			snprintf(line, sizeof(line), "!%s", o->event);
		else
			snprintf(line, sizeof(line), "-:%s/%s", o->system, o->event);
		return ft_writes_tfs(w, FT_WRITE_APPEND, dir, NULL, o->file, line);
	case FT_OBJ_INSTANCE:
		return ft_writes_tfs(w, FT_WRITE_RMDIR, dir, o->instance, "", NULL);
	case FT_OBJ_BPF:
		return ft_writes_add(w, FT_WRITE_BPF_UNPIN, o->text, NULL);
	case FT_OBJ_EXPORT:
		return 0; /* nothing in the kernel */
	default:
		return -EINVAL;
	}
}

/**
 * ft_journals_undo_writes() - the writes that undo every object of several journals
 * @j: the journals, oldest first (NULL entries are skipped)
 * @n: how many
 * @dir: the tracing directory
 * @w: where the writes are appended
 *
 * In the order undo goes: rank by rank (ft_obj_rank()), and within a rank the newest journal
 * and the newest object first.
 *
 * Return: 0, -ENOMEM or -EINVAL.
 */
int ft_journals_undo_writes(const struct ft_journal *const *j, size_t n, const char *dir,
			    struct ft_writes *w)
{
	int ret = 0;

	for (int rank = 0; rank <= FT_OBJ_LAST_RANK && !ret; rank++)
		for (size_t k = n; k-- > 0 && !ret;)
			for (size_t o = j[k] ? j[k]->nobjs : 0; o-- > 0 && !ret;)
				if (ft_obj_rank(&j[k]->objs[o]) == rank)
					ret = ft_obj_undo_writes(&j[k]->objs[o], dir, w);
	return ret;
}
