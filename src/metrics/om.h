/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_OM_H
#define FT_OM_H

/*
 * Histograms as Prometheus metrics (pure: no I/O but the FILE it is handed, no globals). A
 * scrape turns struct ft_hist snapshots into metric families and writes them in the
 * Prometheus text format 0.0.4 or OpenMetrics 1.0; a state, kept by the caller from one
 * scrape to the next, keeps counters monotonic: a table that was cleared or re-created is
 * a counter reset (OpenMetrics _created changes), and a key that moved in or out of the
 * series limit never makes a series jump backwards. man ftrig-serve has the name mapping.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ft_hist;

/* The exposition formats. */
enum ft_om_format {
	FT_OM_TEXT, /* text/plain; version=0.0.4 */
	FT_OM_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
};

#define FT_OM_CT_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define FT_OM_CT_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

/**
 * struct ft_om_opts - what a scrape exports
 * @limit: series (key label sets) per aggregation; the rest are summed into one series
 *         labelled ftrig_other="true"; 0 for no limit
 * @stacks: export stack keys as a folded label (root first, ';' between frames) instead of
 *          summing over them
 */
struct ft_om_opts {
	size_t limit;
	bool stacks;
};

struct ft_om_state;
struct ft_om_scrape;

struct ft_om_state *ft_om_state_alloc(void);
void ft_om_state_free(struct ft_om_state *st);

struct ft_om_scrape *ft_om_scrape_begin(struct ft_om_state *st, const struct ft_om_opts *o,
					double now);
int ft_om_add_hist(struct ft_om_scrape *s, const struct ft_hist *h);
int ft_om_add_hist_limit(struct ft_om_scrape *s, const struct ft_hist *h, size_t limit);
int ft_om_add_gauge(struct ft_om_scrape *s, const char *name, const char *help, const char *unit,
		    const char *labels, double value);
int ft_om_add_info(struct ft_om_scrape *s, const char *name, const char *help, const char *labels);
int ft_om_write(struct ft_om_scrape *s, enum ft_om_format fmt, FILE *f);
void ft_om_scrape_partial(struct ft_om_scrape *s);
void ft_om_scrape_end(struct ft_om_scrape *s);

enum ft_om_format ft_om_negotiate(const char *accept);
const char *ft_om_content_type(enum ft_om_format fmt);

/* Names and values (om-names.c), exported for the tests. */
size_t ft_om_sanitize(char *buf, size_t size, const char *s, bool label);
void ft_om_escape(FILE *f, const char *s, bool help);
void ft_om_double(char *buf, size_t size, double v);

#endif
