// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for setup files: parse the input as one, and order its lines as apply does. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct ft_setup *s = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!ft_setup_parse("/fuzz.ftrig", text, &s, err, sizeof(err))) {
		size_t *o = ft_setup_order(s);

		/* every line once, in apply's order */
		for (size_t i = 0; o && i < s->nlines; i++)
			if (o[i] >= s->nlines)
				__builtin_trap();
		free(o);
	}
	ft_setup_free(s);
	free(text);
	return 0;
}
