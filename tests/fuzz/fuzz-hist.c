// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the hist parser and everything that reads its output: parse the input
 * as a kernel hist file, write every format, read the JSON back, and run stats, diff and
 * delta on the result; then read the input itself as a dump (JSON reader). `make fuzz` runs
 * it, seeded with the fixtures captured from the 6.1 kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hist/analyze.h"
#include "hist/export.h"
#include "hist/load.h"
#include "hist/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(struct ft_hist **v, size_t n)
{
	struct ft_hist_stats st;
	struct ft_hist_diff d;
	struct ft_hist **back;
	char *buf = NULL, err[128];
	size_t len = 0, nb;
	FILE *f = open_memstream(&buf, &len);

	for (int fmt = FT_HIST_FMT_JSON; f && fmt <= FT_HIST_FMT_TEXT; fmt++)
		ft_hist_write(f, (enum ft_hist_format)fmt, v, n);
	if (f)
		fclose(f);
	if (buf && !ft_hist_load_json(buf, len, &back, &nb, err, sizeof(err)))
		ft_hist_free_all(back, nb);
	free(buf);
	for (size_t i = 0; i < n; i++) {
		struct ft_hist *delta = ft_hist_delta(v[i], v[i]);

		ft_hist_free(delta);
		if (!ft_hist_diff(v[i], v[i], NULL, &d))
			ft_hist_diff_release(&d);
		for (size_t k = 0; k < v[i]->nkeys; k++)
			for (size_t val = 0; val < v[i]->nvals; val++)
				ft_hist_stats(v[i], k, val, &st);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_hist **v;
	char err[128];
	size_t n;

	if (!ft_hist_parse((const char *)data, size, "fuzz:event", NULL, &v, &n)) {
		exercise(v, n);
		ft_hist_free_all(v, n);
	}
	if (!ft_hist_load_json((const char *)data, size, &v, &n, err, sizeof(err))) {
		exercise(v, n);
		ft_hist_free_all(v, n);
	}
	return 0;
}
