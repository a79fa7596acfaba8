// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for probe specs: the input as a spec of each kind and as a line of
 * dynamic_events; what parses is formatted and read back as a raw line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct ft_probe_spec *s)
{
	struct ft_probe_spec back;
	char err[256], *line = ft_probe_format(s);

	memset(&back, 0, sizeof(back));
	if (line)
		ft_probe_parse_raw(line, &back, err, sizeof(err));
	ft_probe_spec_release(&back);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct ft_probe_spec s;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (int k = FT_PROBE_KPROBE; k <= FT_PROBE_EPROBE; k++) {
		memset(&s, 0, sizeof(s));
		if (!ft_probe_parse(text, (enum ft_probe_kind)k, &s, err, sizeof(err)))
			round_trip(&s);
		ft_probe_spec_release(&s);
	}
	memset(&s, 0, sizeof(s));
	if (!ft_probe_parse_raw(text, &s, err, sizeof(err)))
		round_trip(&s);
	ft_probe_spec_release(&s);
	free(text);
	return 0;
}
