// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the journal reader (a journal may be damaged, or planted in a shared
 * state directory): parse the input; every object accepted is described, ranked and written
 * back, and the text written back must parse to the same objects.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const struct ft_journal *a, const struct ft_journal *b)
{
	if (a->nobjs != b->nobjs || a->pid != b->pid || strcmp(a->tag, b->tag))
		abort();
	for (size_t i = 0; i < a->nobjs; i++) {
		const struct ft_obj *x = &a->objs[i], *y = &b->objs[i];

		if (x->seq != y->seq || x->kind != y->kind || strcmp(x->instance, y->instance) ||
		    strcmp(x->system, y->system) || strcmp(x->event, y->event) ||
		    strcmp(x->file, y->file) || strcmp(x->text, y->text))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *out = NULL, what[512];
	struct ft_journal j, back;
	size_t len = 0;
	FILE *f;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!ft_journal_parse(text, &j) && (f = open_memstream(&out, &len))) {
		ft_journal_format_header(f, &j);
		for (size_t i = 0; i < j.nobjs; i++) {
			ft_obj_describe(&j.objs[i], what, sizeof(what));
			ft_obj_rank(&j.objs[i]);
			ft_obj_note(&j.objs[i], "ino", what, sizeof(what));
			ft_journal_format_obj(f, &j.objs[i]);
		}
		fclose(f);
		if (ft_journal_parse(out, &back))
			abort();
		same(&j, &back);
		ft_journal_release(&back);
		free(out);
	}
	ft_journal_release(&j);
	free(text);
	return 0;
}
