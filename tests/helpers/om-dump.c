// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hist file (as the kernel prints it) as ftrig serve would export it, so that a test can
 * hand the exposition of hist triggers captured from a real kernel to promtool on a host
 * whose kernel has none.
 *
 * usage: om-dump [--openmetrics] [--limit N] [--stacks] FILE SYSTEM:EVENT
 * Prints the exposition of every hist in FILE; exits 1 when it cannot read or build it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "hist/parse.h"
#include "metrics/om.h"
#include "util.h"

int main(int argc, char **argv)
{
	struct ft_om_opts o = { .limit = 0 };
	enum ft_om_format fmt = FT_OM_TEXT;
	struct ft_om_scrape *s;
	struct ft_om_state *st;
	struct ft_hist **v = NULL;
	size_t n = 0, len;
	char *text;
	int i = 1, rc = 0;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--openmetrics"))
			fmt = FT_OM_OPENMETRICS;
		else if (!strcmp(argv[i], "--stacks"))
			o.stacks = true;
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			o.limit = strtoul(argv[++i], NULL, 10);
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: om-dump [--openmetrics] [--limit N] [--stacks] FILE "
				"SYSTEM:EVENT\n");
		return 2;
	}
	text = ft_read_file(argv[i], &len);
	if (!text || ft_hist_parse(text, len, argv[i + 1], "", &v, &n)) {
		fprintf(stderr, "om-dump: cannot read %s\n", argv[i]);
		return 1;
	}
	st = ft_om_state_alloc();
	s = st ? ft_om_scrape_begin(st, &o, 1e9) : NULL;
	for (size_t k = 0; s && k < n && !rc; k++)
		rc = ft_om_add_hist(s, v[k]) ? 1 : 0;
	if (!s || rc || ft_om_write(s, fmt, stdout))
		rc = 1;
	ft_om_scrape_end(s);
	ft_om_state_free(st);
	ft_hist_free_all(v, n);
	free(text);
	return rc;
}
