// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for setup files: parse the input as one, and print its plan. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512], *out = NULL;
	struct ft_setup *s = NULL;
	size_t len = 0;
	FILE *f;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!ft_setup_parse("/fuzz.ftrig", text, &s, err, sizeof(err))) {
		f = open_memstream(&out, &len);
		if (f) {
			ft_setup_plan_format(f, s);
			fclose(f);
		}
		free(out);
	}
	ft_setup_free(s);
	free(text);
	return 0;
}
