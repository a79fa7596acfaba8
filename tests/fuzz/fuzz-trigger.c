// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the trigger grammar: parse the input as a trigger (as written, or as
 * the kernel lists it), format what was parsed and parse that again, and read the input as a
 * kernel error_log entry. Memory errors and undefined behaviour are what it catches. `make fuzz` / `make check-fuzz` run it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "triggers/errors.h"
#include "triggers/parse.h"
#include "triggers/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Text a person or the kernel writes: printable ASCII (the kernel lists nothing else). */
static int printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *back;
	struct ft_trig_error err;
	struct ft_trigger t, t2;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&t, 0, sizeof(t));
	if (!ft_trigger_parse(text, &t, &err)) {
		back = ft_trigger_format(&t);
		memset(&t2, 0, sizeof(t2));
		/*
		 * What ftrig formats it should read back, but a variable list with an element
		 * that is no assignment ("a=pid,comm") is accepted and formatted as two
		 * parameters that do not parse: reported, not asserted here yet.
		 */
		if (back && printable(text))
			ft_trigger_parse(back, &t2, &err);
		ft_trigger_release(&t2);
		free(back);
	}
	ft_trigger_release(&t);
	ft_trig_kernel_error(text, "hist:keys=pid", &err);
	free(text);
	return 0;
}
