// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the Prometheus exposition (src/metrics/): the input read as a kernel
 * hist file and as a dump (any key kinds, any numbers), exported three times into one state
 * (as ftrig serve scrapes: the second sees the same table, the third an empty one, a reset),
 * with a small series limit, stacks as labels and not, in both formats. `make fuzz` runs it,
 * seeded with the fixtures captured from the 6.1 kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hist/load.h"
#include "hist/parse.h"
#include "metrics/om.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void scrape(struct ft_om_state *st, struct ft_hist **v, size_t n, size_t limit, double now)
{
	struct ft_om_opts o = { .limit = limit, .stacks = limit & 1 };
	struct ft_om_scrape *s = ft_om_scrape_begin(st, &o, now);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		ft_om_add_hist(s, v[i]);
	f = open_memstream(&buf, &len);
	if (f) {
		ft_om_write(s, limit & 1 ? FT_OM_OPENMETRICS : FT_OM_TEXT, f);
		fclose(f);
	}
	free(buf);
	ft_om_scrape_end(s);
}

static void exercise(struct ft_hist **v, size_t n)
{
	struct ft_om_state *st = ft_om_state_alloc();

	if (!st)
		return;
	scrape(st, v, n, 2, 100);
	scrape(st, v, n, 2, 200);
	scrape(st, v, 0, 2, 300);
	scrape(st, v, n, 3, 400);
	ft_om_state_free(st);
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
