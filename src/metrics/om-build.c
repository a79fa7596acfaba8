// SPDX-License-Identifier: GPL-2.0-only
/*
 * One hist snapshot as metric families: its rows grouped by the label sets their keys make
 * (stacks summed over unless asked for, a log2 or bucket key made the histogram's buckets),
 * the label sets past the series limit summed into one 'other' series, and every series
 * checked against the last scrape: a value that went down, or a key the table lost, means
 * the table was cleared or made anew, and every series of the aggregation starts again with
 * a new created time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/cols.h"
#include "hist/export.h"
#include "hist/hist.h"
#include "metrics/om-int.h"

static const char *const reserved[] = { "le",	    "quantile",	      "agg",
					"backend",  "trace_instance", "job",
					"instance", "ftrig_other",    "event",
					NULL };

static bool label_taken(const struct agg *a, size_t upto, const char *name)
{
	for (size_t i = 0; reserved[i]; i++)
		if (!strcmp(reserved[i], name))
			return true;
	for (size_t i = 0; i < upto; i++)
		if (!strcmp(a->lab[i], name) || !strcmp(a->comm[i], name))
			return true;
	return false;
}

/* A label name for @want that no other label of the hist has: "_key" added until free. */
static void unique_label(struct agg *a, size_t col, char *out, size_t size, const char *want)
{
	char name[80];

	ft_om_sanitize(name, sizeof(name), *want ? want : "key", true);
	if (!*name)
		snprintf(name, sizeof(name), "key");
	while (label_taken(a, col + 1, name) && strlen(name) + 5 < sizeof(name))
		strcat(name, "_key");
	snprintf(out, size, "%s", name);
}

/**
 * om_val_usable() - whether a value column holds numbers to export
 * @c: the column
 *
 * Return: false for percent and graph (the kernel prints no raw number there) and for
 * columns the kernel does not print.
 */
bool om_val_usable(const struct ft_hist_col *c)
{
	return c->shown && strcmp(c->modifier, "percent") && strcmp(c->modifier, "graph");
}

/**
 * om_field_unit() - the unit of a column's numbers, and what they are multiplied by for it
 * @h: the hist
 * @field: the column's field name
 * @scale: set to what the numbers are divided by (1e6 for microseconds to seconds), 0 for
 *         none
 *
 * Return: "seconds", "bytes" (a field named with the word bytes) or "".
 */
const char *om_field_unit(const struct ft_hist *h, const char *field, double *scale)
{
	const char *u = NULL;
	char san[128];

	*scale = 0;
	for (size_t k = 0; k < h->nkeys && !u; k++)
		if (!strcmp(h->keys[k].name, field))
			u = ft_hist_key_unit(h, k);
	if (!u && !strcmp(field, "lat") &&
	    ((h->trigger && strstr(h->trigger, "(latency until ")) ||
	     (h->event && !strncmp(h->event, "synthetic:", 10))))
		u = "us";
	if (u) {
		*scale = !strcmp(u, "us") ? 1e6 : 1e9;
		return "seconds";
	}
	ft_om_sanitize(san, sizeof(san), field, false);
	if (!strcmp(san, "bytes") || !strncmp(san, "bytes_", 6) || strstr(san, "_bytes_") ||
	    (strlen(san) > 6 && !strcmp(san + strlen(san) - 6, "_bytes")))
		return "bytes";
	return "";
}

/**
 * om_field_name() - PREFIX_FIELD[_UNIT]: the unit suffix unless the name ends with it already
 * @a: the hist's build
 * @field: the field
 * @unit: its unit, "" for none
 * @buf: where to write
 * @size: its size
 */
void om_field_name(const struct agg *a, const char *field, const char *unit, char *buf, size_t size)
{
	char san[128];
	size_t n, u = strlen(unit);

	ft_om_sanitize(san, sizeof(san), field, false);
	n = strlen(san);
	if (u && !(n >= u && !strcmp(san + n - u, unit) && (n == u || san[n - u - 1] == '_')))
		snprintf(buf, size, "%s_%s_%s", a->prefix, san, unit);
	else
		snprintf(buf, size, "%s_%s", a->prefix, san);
}

/* The labels naming the aggregation; a second one of the same name gets "#2". */
static int agg_ident(struct ft_om_scrape *s, struct agg *a)
{
	const struct ft_hist *h = a->h;
	char name[256], id[1024];
	size_t len = 0;
	int ret;

	if (h->name && *h->name) {
		snprintf(name, sizeof(name), "%s", h->name);
	} else {
		const char *k = h->trigger ? strstr(h->trigger, "keys=") : NULL;

		snprintf(name, sizeof(name), "%.*s", k ? (int)strcspn(k + 5, ": ") : 0,
			 k ? k + 5 : "");
	}
	for (int i = 2;; i++) {
		void **slot;

		snprintf(id, sizeof(id), "%s|%s|%s|%s", h->event, h->instance, h->backend, name);
		slot = om_map_slot(s->aggids, id, true);
		if (!slot)
			return -ENOMEM;
		if (!*slot) {
			*slot = a;
			break;
		}
		snprintf(name + strcspn(name, "#"), sizeof(name) - strcspn(name, "#"), "#%d", i);
	}
	if (asprintf(&a->key, "%s|%s", a->prefix, id) < 0) {
		a->key = NULL;
		return -ENOMEM;
	}
	ret = om_label(&a->ident, &len, "agg", name);
	if (!ret)
		ret = om_label(&a->ident, &len, "backend", h->backend);
	if (!ret && h->instance && *h->instance)
		ret = om_label(&a->ident, &len, "trace_instance", h->instance);
	return ret;
}

/**
 * om_agg_init() - what a hist is built with: its names, columns and labels
 * @s: the scrape
 * @a: set up (release with om_agg_release(), also on failure)
 * @h: the hist
 *
 * Return: 0 or -ENOMEM.
 */
int om_agg_init(struct ft_om_scrape *s, struct agg *a, const struct ft_hist *h)
{
	char sys[128], ev[128];
	const char *colon = strchr(h->event, ':');

	a->h = h;
	a->limit = s->o.limit;
	a->hk = a->hc = a->wc = -1;
	snprintf(sys, sizeof(sys), "%.*s", colon ? (int)(colon - h->event) : 0, h->event);
	ft_om_sanitize(sys, sizeof(sys), sys, false);
	ft_om_sanitize(ev, sizeof(ev), colon ? colon + 1 : h->event, false);
	snprintf(a->prefix, sizeof(a->prefix), "ftrig_%s%s%s", sys, *sys ? "_" : "", ev);
	for (size_t v = 0; v < h->nvals; v++) {
		if (!om_val_usable(&h->vals[v]))
			continue;
		if (a->hc < 0 && !strcmp(h->vals[v].name, "hitcount"))
			a->hc = (int)v;
		if (a->wc < 0)
			a->wc = (int)v;
	}
	if (a->hc >= 0)
		a->wc = a->hc;
	for (size_t k = 0; k < h->nkeys; k++) {
		enum ft_key_kind kind = h->keys[k].kind;

		if (a->hk < 0 && a->hc >= 0 && (kind == FT_KEY_LOG2 || kind == FT_KEY_BUCKET)) {
			a->hk = (int)k;
			continue;
		}
		if (kind == FT_KEY_STACK && !s->o.stacks)
			continue;
		unique_label(a, k, a->lab[k], sizeof(a->lab[k]), h->keys[k].name);
		if (kind == FT_KEY_EXECNAME) {
			const char *want = label_taken(a, k + 1, "comm") ? "" : "comm";
			char alt[160];

			snprintf(alt, sizeof(alt), "%s_comm", a->lab[k]);
			unique_label(a, k, a->comm[k], sizeof(a->comm[k]), *want ? want : alt);
		}
	}
	a->gidx = om_map_alloc();
	return a->gidx ? agg_ident(s, a) : -ENOMEM;
}

/* A stack as a folded line: the outermost frame first, ';' between frames. */
static int stack_label(char **l, size_t *len, const char *name, const struct ft_key *k)
{
	size_t n = 0;
	char *text;
	int ret;

	for (size_t i = 0; i < k->nframes; i++)
		n += strlen(k->frames[i]) + 1;
	text = malloc(n + 1);
	if (!text)
		return -ENOMEM;
	text[0] = '\0';
	for (size_t i = k->nframes; i-- > 0;) {
		strcat(text, k->frames[i]);
		if (i)
			strcat(text, ";");
	}
	ret = om_label(l, len, name, text);
	free(text);
	return ret;
}

/* The key labels of a row, or NULL on ENOMEM. */
static char *row_labels(const struct agg *a, const struct ft_hist_entry *e)
{
	char *l = NULL, val[512];
	size_t len = 0;
	int ret = 0;

	for (size_t k = 0; !ret && k < a->h->nkeys; k++) {
		const struct ft_key *key = &e->keys[k];

		if (!a->lab[k][0])
			continue;
		if (key->kind == FT_KEY_STACK) {
			ret = stack_label(&l, &len, a->lab[k], key);
			continue;
		}
		if (key->kind == FT_KEY_EXECNAME)
			snprintf(val, sizeof(val), "%" PRIu64, key->num);
		else
			ft_key_format(&a->h->keys[k], key, val, sizeof(val));
		ret = om_label(&l, &len, a->lab[k], val);
		if (!ret && key->kind == FT_KEY_EXECNAME)
			ret = om_label(&l, &len, a->comm[k], key->str ? key->str : "");
	}
	if (!ret && !l)
		l = strdup("");
	if (ret) {
		free(l);
		return NULL;
	}
	return l;
}

/* Add @count at bucket bound @le. */
static int bucket_add(struct group *g, uint64_t le, uint64_t count)
{
	struct om_bucket *nb;

	for (size_t i = 0; i < g->nb; i++) {
		if (g->b[i].le == le) {
			g->b[i].count += count;
			return 0;
		}
	}
	nb = realloc(g->b, (g->nb + 1) * sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	g->b = nb;
	g->b[g->nb++] = (struct om_bucket){ le, count };
	return 0;
}

/* The group of label set @labels (taken over), made when new. */
static struct group *group_get(struct agg *a, char *labels)
{
	void **slot = om_map_slot(a->gidx, labels, true);
	struct group *ng;

	if (!slot) {
		free(labels);
		return NULL;
	}
	if (*slot) {
		free(labels);
		return &a->g[(size_t)*slot - 1];
	}
	ng = realloc(a->g, (a->ng + 1) * sizeof(*ng));
	if (!ng) {
		free(labels);
		return NULL;
	}
	a->g = ng;
	ng = &a->g[a->ng];
	*ng = (struct group){ .labels = labels, .vals = calloc(a->h->nvals + 1, sizeof(uint64_t)) };
	if (!ng->vals) {
		free(labels);
		return NULL;
	}
	*slot = (void *)(++a->ng);
	return ng;
}

/**
 * om_group_add() - add a row's values, or a group's, to a group
 * @a: the hist's build
 * @g: the group
 * @vals: the values, one per value column of the hist
 * @hkey: a row's histogram key part, or NULL
 * @from: a group whose buckets are added too, or NULL
 *
 * Return: 0 or -ENOMEM.
 */
int om_group_add(const struct agg *a, struct group *g, const uint64_t *vals,
		 const struct ft_key *hkey, const struct group *from)
{
	for (size_t v = 0; v < a->h->nvals; v++)
		g->vals[v] += vals[v];
	for (size_t i = 0; from && i < from->nb; i++)
		if (bucket_add(g, from->b[i].le, from->b[i].count))
			return -ENOMEM;
	if (!hkey)
		return 0;
	if (bucket_add(g, hkey->hi ? hkey->hi - 1 : 0, vals[a->hc]))
		return -ENOMEM;
	/* a linear bucket's lower bound, so a quantile interpolates inside the right bucket */
	if (hkey->kind == FT_KEY_BUCKET && hkey->lo)
		return bucket_add(g, hkey->lo - 1, 0);
	return 0;
}

/**
 * om_group_rows() - the hist's rows summed by label set
 * @a: the hist's build
 *
 * Return: 0 or -ENOMEM.
 */
int om_group_rows(struct agg *a)
{
	const struct ft_hist *h = a->h;

	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_hist_entry *e = &h->entries[i];
		char *labels = row_labels(a, e);
		struct group *g = labels ? group_get(a, labels) : NULL;

		if (!g || om_group_add(a, g, e->vals, a->hk >= 0 ? &e->keys[a->hk] : NULL, NULL))
			return -ENOMEM;
	}
	return 0;
}

/**
 * om_agg_release() - free what a hist's build holds
 * @a: the build
 */
void om_agg_release(struct agg *a)
{
	for (size_t i = 0; i < a->ng; i++) {
		free(a->g[i].labels);
		free(a->g[i].vals);
		free(a->g[i].b);
	}
	free(a->g);
	free(a->ident);
	free(a->key);
	free(a->pend);
	om_map_free(a->gidx, NULL);
}
