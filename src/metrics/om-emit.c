// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hist's groups as series, and the counters kept monotonic. The label sets exported one by
 * one are chosen once (the largest, up to the limit) and kept: a key never moves between its
 * own series and 'other', so neither jumps backwards. A new key gets a series of its own
 * while there is room; one that was in 'other' stays there. Each series is compared with the
 * last scrape: when any value of the aggregation went down, or its table lost a key or Hits
 * went down, the table was cleared or made anew, and every series of it gets a new created
 * time: the time of the last scrape, after which it started again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics/om-int.h"

static uint64_t weight(const struct agg *a, const struct group *g)
{
	return a->wc >= 0 ? g->vals[a->wc] : 0;
}

static int by_weight(const void *x, const void *y, void *data)
{
	const struct agg *a = data;
	const struct group *p = &a->g[*(const size_t *)x], *q = &a->g[*(const size_t *)y];
	uint64_t wp = weight(a, p), wq = weight(a, q);

	if (wp != wq)
		return wp > wq ? -1 : 1;
	return strcmp(p->labels, q->labels);
}

static int by_labels(const void *x, const void *y, void *data)
{
	const struct agg *a = data;

	return strcmp(a->g[*(const size_t *)x].labels, a->g[*(const size_t *)y].labels);
}

static bool note_lost(const char *key, void *val, void *data)
{
	struct agg *a = data;

	if (!om_map_slot(a->gidx, key, false))
		a->lost = true;
	return true;
}

/* Whether the table lost a key or Hits went down since the last scrape: it was cleared. */
static bool table_reset(struct agg *a)
{
	if (!a->st)
		return false;
	if (a->h->hits < a->st->hits)
		return true;
	a->lost = false;
	om_map_each(a->st->keys, note_lost, NULL, a);
	return a->lost;
}

static bool has(const struct om_map *m, const char *key)
{
	return m && om_map_slot((struct om_map *)m, key, false);
}

/* Which groups get series of their own (@own), and the set of them for the next scrape. */
static int admit(const struct ft_om_scrape *s, struct agg *a, bool reset, const size_t *order,
		 bool *own, struct om_map *adm, size_t *nadm)
{
	bool kept = a->st && !reset;

	*nadm = 0;
	for (size_t i = 0; i < a->ng; i++) {
		if (a->limit && !(kept && has(a->st->admitted, a->g[i].labels)))
			continue;
		own[i] = true;
		if (!om_map_slot(adm, a->g[i].labels, true))
			return -ENOMEM;
		(*nadm)++;
	}
	for (size_t k = 0; a->limit && k < a->ng && *nadm < a->limit; k++) {
		size_t i = order[k];

		/* a key summed in 'other' before stays there: 'other' must not go down */
		if (own[i] || (kept && has(a->st->keys, a->g[i].labels)))
			continue;
		own[i] = true;
		if (!om_map_slot(adm, a->g[i].labels, true))
			return -ENOMEM;
		(*nadm)++;
	}
	return 0;
}

static int add_pending(struct agg *a, size_t f, size_t s)
{
	struct pending *np = realloc(a->pend, (a->npend + 1) * sizeof(*np));

	if (!np)
		return -ENOMEM;
	a->pend = np;
	a->pend[a->npend++] = (struct pending){ f, s };
	return 0;
}

/* A series of family @name; -EEXIST (said once) when the name is another type's. */
static int series(struct ft_om_scrape *s, struct agg *a, const char *name, enum om_type type,
		  const char *help, const char *unit, double scale, const char *labels,
		  struct om_series **out)
{
	struct om_family *f = om_family_get(s, name, type, help, unit, scale);
	struct om_series *se;

	if (!f) {
		if (errno == EEXIST && om_map_slot(s->st->warned, name, true) &&
		    !*om_map_slot(s->st->warned, name, false)) {
			*om_map_slot(s->st->warned, name, false) = (void *)1;
			ft_warn("serve: %s of %s (%s) is not exported: the name is taken by a "
				"metric of another kind",
				name, a->h->event, a->ident);
		}
		return errno == EEXIST ? -EEXIST : -ENOMEM;
	}
	se = om_series_add(s, f, labels);
	if (!se)
		return errno == EEXIST ? -EEXIST : -ENOMEM;
	*out = se;
	return add_pending(a, (size_t)(f - s->f), f->n - 1);
}

/* A counter of value column @v. */
static int emit_counter(struct ft_om_scrape *s, struct agg *a, size_t v, const char *labels,
			uint64_t value)
{
	const struct ft_hist_col *c = &a->h->vals[v];
	char name[512], help[512];
	struct om_series *se;
	const char *unit = "";
	double scale = 0;
	int ret;

	if ((int)v == a->hc) {
		snprintf(name, sizeof(name), "%s_events", a->prefix);
		snprintf(help, sizeof(help), "Events counted on %s by ftrig (hitcount), by key",
			 a->h->event);
	} else {
		unit = om_field_unit(a->h, c->name, &scale);
		om_field_name(a, c->name, unit, name, sizeof(name));
		snprintf(help, sizeof(help),
			 "Sum of %s over the events counted on %s by ftrig, by key", c->name,
			 a->h->event);
	}
	ret = series(s, a, name, OM_COUNTER, help, unit, scale, labels, &se);
	if (!ret)
		se->v = value;
	return ret == -EEXIST ? 0 : ret;
}

/* The histogram of a group, and counters of its other values. */
static int emit_hist(struct ft_om_scrape *s, struct agg *a, const struct group *g,
		     const char *labels)
{
	const struct ft_hist_col *kc = &a->h->keys[a->hk];
	char name[512], help[512];
	struct om_series *se;
	double scale;
	const char *unit = om_field_unit(a->h, kc->name, &scale);
	int sumc = -1, ret;

	for (size_t v = 0; v < a->h->nvals; v++)
		if ((int)v != a->hc && sumc < 0 && !strcmp(a->h->vals[v].name, kc->name) &&
		    om_val_usable(&a->h->vals[v]))
			sumc = (int)v;
	om_field_name(a, kc->name, unit, name, sizeof(name));
	snprintf(help, sizeof(help), "%s of the events counted on %s by ftrig (%s buckets)",
		 kc->name, a->h->event, kc->kind == FT_KEY_LOG2 ? "log2" : "linear");
	ret = series(s, a, name, OM_HISTOGRAM, help, unit, scale, labels, &se);
	if (!ret) {
		se->v = g->vals[a->hc];
		se->has_sum = sumc >= 0;
		se->sum = sumc >= 0 ? g->vals[sumc] : 0;
		se->nb = g->nb;
		se->b = g->nb ? malloc(g->nb * sizeof(*se->b)) : NULL;
		if (g->nb && !se->b)
			return -ENOMEM;
		if (g->nb)
			memcpy(se->b, g->b, g->nb * sizeof(*se->b));
	}
	if (ret && ret != -EEXIST)
		return ret;
	for (size_t v = 0; v < a->h->nvals; v++) {
		if ((int)v == a->hc || (int)v == sumc || !om_val_usable(&a->h->vals[v]))
			continue;
		ret = emit_counter(s, a, v, labels, g->vals[v]);
		if (ret)
			return ret;
	}
	return 0;
}

static int emit_group(struct ft_om_scrape *s, struct agg *a, const struct group *g)
{
	char *labels = NULL;
	int ret = 0;

	if (asprintf(&labels, "%s%s%s", a->ident, *g->labels ? "," : "", g->labels) < 0)
		return -ENOMEM;
	if (a->hk >= 0)
		ret = emit_hist(s, a, g, labels);
	for (size_t v = 0; a->hk < 0 && !ret && v < a->h->nvals; v++)
		if (om_val_usable(&a->h->vals[v]))
			ret = emit_counter(s, a, v, labels, g->vals[v]);
	free(labels);
	return ret;
}

/* The drops, the kernel's skipped runs and the fill of the table. */
static int emit_meta(struct ft_om_scrape *s, struct agg *a)
{
	char *ev = NULL, *labels = NULL;
	size_t len = 0;
	struct om_series *se;
	int ret = om_label(&ev, &len, "event", a->h->event);

	if (!ret && asprintf(&labels, "%s,%s", ev, a->ident) < 0) {
		labels = NULL;
		ret = -ENOMEM;
	}
	free(ev);
	if (!ret)
		ret = series(s, a, "ftrig_dropped_events", OM_COUNTER,
			     "Events an aggregation did not count because its table was full", "",
			     0, labels, &se);
	if (!ret)
		se->v = a->h->dropped;
	if (!ret)
		ret = series(s, a, "ftrig_missed_events", OM_COUNTER,
			     "Events the kernel did not run an aggregation's BPF program for (BPF "
			     "already running on their CPU)",
			     "", 0, labels, &se);
	if (!ret)
		se->v = a->h->missed;
	if (!ret || ret == -EEXIST)
		ret = ft_om_add_gauge(s, "ftrig_aggregation_entries",
				      "Keys in an aggregation's table (it holds size= of them)", "",
				      labels, (double)a->h->nentries);
	free(labels);
	return ret == -EEXIST ? 0 : ret;
}

/**
 * om_emit() - a hist's series, its label sets limited, checked against the last scrape
 * @s: the scrape
 * @a: the hist's build, its rows grouped
 *
 * Return: 0 or -ENOMEM.
 */
int om_emit(struct ft_om_scrape *s, struct agg *a)
{
	size_t *order = calloc(a->ng + 1, sizeof(*order)), nadm = 0;
	bool *own = calloc(a->ng + 1, sizeof(*own)), reset = false;
	struct group other = { .labels = "ftrig_other=\"true\"" };
	struct om_map *adm = om_map_alloc();
	bool any_other = false;
	int ret = -ENOMEM;

	other.vals = calloc(a->h->nvals + 1, sizeof(uint64_t));
	if (!order || !own || !adm || !other.vals)
		goto out;
	a->st = om_map_get(s->st->aggs, a->key);
	reset = table_reset(a);
	for (size_t i = 0; i < a->ng; i++)
		order[i] = i;
	qsort_r(order, a->ng, sizeof(*order), by_weight, a);
	ret = admit(s, a, reset, order, own, adm, &nadm);
	qsort_r(order, a->ng, sizeof(*order), by_labels, a);
	for (size_t k = 0; !ret && k < a->ng; k++) {
		const struct group *g = &a->g[order[k]];

		if (own[order[k]]) {
			ret = emit_group(s, a, g);
		} else {
			any_other = true;
			ret = om_group_add(a, &other, g->vals, NULL, g);
		}
	}
	if (!ret && any_other)
		ret = emit_group(s, a, &other);
	if (!ret)
		ret = emit_meta(s, a);
	if (!ret)
		ret = om_settle(s, a, reset, adm, nadm);
	if (!ret)
		adm = NULL; /* the state has it */
out:
	free(other.vals);
	free(other.b);
	om_map_free(adm, NULL);
	free(own);
	free(order);
	return ret;
}
