// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exposition text: the Prometheus text format 0.0.4 (what every Prometheus and the
 * node_exporter textfile collector read) and OpenMetrics 1.0 (TYPE, UNIT and HELP per
 * family, counters' _created, # EOF). The two differ in what a family is called: 0.0.4
 * names a counter's family with its _total and an info metric is a gauge there.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "metrics/om-int.h"

static const char *const type_name[] = {
	[OM_COUNTER] = "counter",
	[OM_GAUGE] = "gauge",
	[OM_HISTOGRAM] = "histogram",
	[OM_INFO] = "info",
};

/* A raw number of family @f: an integer as it is, else scaled to the family's unit. */
static void number(FILE *f, const struct om_family *fam, uint64_t v)
{
	char buf[64];

	if (!fam->scale) {
		fprintf(f, "%" PRIu64, v);
		return;
	}
	ft_om_double(buf, sizeof(buf), (double)v / fam->scale);
	fputs(buf, f);
}

/* NAME+SUFFIX{LABELS[,EXTRA]} */
static void sample(FILE *f, const struct om_family *fam, const char *suffix,
		   const struct om_series *se, const char *extra)
{
	fprintf(f, "%s%s", fam->name, suffix);
	if (*se->labels || extra)
		fprintf(f, "{%s%s%s}", se->labels, *se->labels && extra ? "," : "",
			extra ? extra : "");
	fputc(' ', f);
}

static void header(FILE *f, const struct om_family *fam, enum ft_om_format fmt)
{
	const char *suffix = "";
	const char *type = type_name[fam->type];

	if (fmt == FT_OM_TEXT && fam->type == OM_COUNTER)
		suffix = "_total";
	if (fmt == FT_OM_TEXT && fam->type == OM_INFO) {
		suffix = "_info";
		type = "gauge";
	}
	fprintf(f, "# HELP %s%s ", fam->name, suffix);
	ft_om_escape(f, fam->help, true);
	fprintf(f, "\n# TYPE %s%s %s\n", fam->name, suffix, type);
	if (fmt == FT_OM_OPENMETRICS && *fam->unit)
		fprintf(f, "# UNIT %s %s\n", fam->name, fam->unit);
}

static void created(FILE *f, const struct om_family *fam, const struct om_series *se,
		    enum ft_om_format fmt)
{
	if (fmt != FT_OM_OPENMETRICS || se->created < 0)
		return;
	sample(f, fam, "_created", se, NULL);
	fprintf(f, "%.3f\n", se->created);
}

static void histogram(FILE *f, const struct om_family *fam, const struct om_series *se,
		      enum ft_om_format fmt)
{
	char le[96], num[64];

	for (size_t i = 0; i < se->nb; i++) {
		if (fam->scale)
			ft_om_double(num, sizeof(num), (double)se->b[i].le / fam->scale);
		else
			snprintf(num, sizeof(num), "%" PRIu64, se->b[i].le);
		snprintf(le, sizeof(le), "le=\"%s\"", num);
		sample(f, fam, "_bucket", se, le);
		fprintf(f, "%" PRIu64 "\n", se->b[i].count);
	}
	sample(f, fam, "_bucket", se, "le=\"+Inf\"");
	fprintf(f, "%" PRIu64 "\n", se->v);
	/* OpenMetrics: a _count only with a _sum; the sum of a bucket key is not known unless
	 * the aggregation sums the same field */
	if (fmt == FT_OM_TEXT || se->has_sum) {
		sample(f, fam, "_count", se, NULL);
		fprintf(f, "%" PRIu64 "\n", se->v);
	}
	if (se->has_sum) {
		sample(f, fam, "_sum", se, NULL);
		number(f, fam, se->sum);
		fputc('\n', f);
	}
	created(f, fam, se, fmt);
}

static void family(FILE *f, const struct om_family *fam, enum ft_om_format fmt)
{
	char num[64];

	if (!fam->n)
		return;
	header(f, fam, fmt);
	for (size_t i = 0; i < fam->n; i++) {
		const struct om_series *se = &fam->s[i];

		switch (fam->type) {
		case OM_COUNTER:
			sample(f, fam, "_total", se, NULL);
			number(f, fam, se->v);
			fputc('\n', f);
			created(f, fam, se, fmt);
			break;
		case OM_GAUGE:
		case OM_INFO:
			sample(f, fam, fam->type == OM_INFO ? "_info" : "", se, NULL);
			ft_om_double(num, sizeof(num), se->g);
			fprintf(f, "%s\n", num);
			break;
		case OM_HISTOGRAM:
			histogram(f, fam, se, fmt);
			break;
		}
	}
}

/**
 * ft_om_write() - write a scrape's exposition
 * @s: the scrape
 * @fmt: the format
 * @f: where to
 *
 * Return: 0, or -EIO when @f reports an error.
 */
int ft_om_write(struct ft_om_scrape *s, enum ft_om_format fmt, FILE *f)
{
	for (size_t i = 0; i < s->nf; i++)
		family(f, &s->f[i], fmt);
	if (fmt == FT_OM_OPENMETRICS)
		fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}
