// SPDX-License-Identifier: GPL-2.0-only
/*
 * A scrape from begin to end: hists and gauges added, each hist's series settled against
 * the state (buckets made complete, resets found, created times given), and the state
 * updated and pruned of what this scrape did not see.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/om-int.h"

static int by_le(const void *x, const void *y)
{
	const struct om_bucket *p = x, *q = y;

	return p->le < q->le ? -1 : p->le > q->le;
}

static int add_le(struct om_series *se, uint64_t le)
{
	struct om_bucket *nb;

	for (size_t i = 0; i < se->nb; i++)
		if (se->b[i].le == le)
			return 0;
	nb = realloc(se->b, (se->nb + 1) * sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	se->b = nb;
	se->b[se->nb++] = (struct om_bucket){ le, 0 };
	return 0;
}

/*
 * A histogram's buckets made complete and cumulative: the bounds exported before stay (a
 * bucket series never vanishes), and a log2 histogram has every power of two up to its
 * largest bucket, so that a quantile interpolates inside the right bucket.
 */
static int finish_hist(struct om_series *se, const struct om_sstate *ss, bool log2)
{
	uint64_t max = 0, run = 0;

	for (size_t i = 0; ss && i < ss->nb; i++)
		if (add_le(se, ss->le[i]))
			return -ENOMEM;
	for (size_t i = 0; i < se->nb; i++)
		max = se->b[i].le > max ? se->b[i].le : max;
	for (uint64_t le = 1; log2 && le && le <= max; le <<= 1)
		if (add_le(se, le))
			return -ENOMEM;
	if (se->nb)
		qsort(se->b, se->nb, sizeof(*se->b), by_le);
	for (size_t i = 0; i < se->nb; i++) {
		run += se->b[i].count;
		se->b[i].count = run;
	}
	return 0;
}

/* Whether @se went down since the last scrape. */
static bool went_down(const struct om_series *se, const struct om_sstate *ss)
{
	size_t k = 0;

	if (se->v < ss->v)
		return true;
	for (size_t i = 0; i < ss->nb; i++) {
		while (k < se->nb && se->b[k].le < ss->le[i])
			k++;
		if (k < se->nb && se->b[k].le == ss->le[i] && se->b[k].count < ss->cum[i])
			return true;
	}
	return false;
}

/* Keep what the next scrape compares @se with. */
static int remember(struct ft_om_scrape *s, const char *id, const struct om_series *se)
{
	void **slot = om_map_slot(s->st->series, id, true);
	struct om_sstate *ss;

	if (!slot)
		return -ENOMEM;
	ss = *slot;
	if (!ss) {
		ss = calloc(1, sizeof(*ss));
		if (!ss)
			return -ENOMEM;
		*slot = ss;
	}
	free(ss->le);
	free(ss->cum);
	ss->nb = 0;
	ss->le = malloc((se->nb + 1) * sizeof(*ss->le));
	ss->cum = malloc((se->nb + 1) * sizeof(*ss->cum));
	if (!ss->le || !ss->cum)
		return -ENOMEM;
	for (size_t i = 0; i < se->nb; i++) {
		ss->le[i] = se->b[i].le;
		ss->cum[i] = se->b[i].count;
	}
	ss->nb = se->nb;
	ss->v = se->v;
	ss->created = se->created;
	ss->gen = s->st->gen + 1;
	return 0;
}

static char *series_id(const struct om_family *f, const struct om_series *se)
{
	char *id = NULL;

	return asprintf(&id, "%s{%s}", f->name, se->labels) < 0 ? NULL : id;
}

/**
 * om_settle() - a hist's series checked against the last scrape, and the state updated
 * @s: the scrape
 * @a: the hist's build, its series made (@a->pend)
 * @reset: its table lost a key or Hits went down
 * @adm: the label sets exported one by one (taken over on success)
 * @nadm: how many
 *
 * Return: 0 or -ENOMEM.
 */
int om_settle(struct ft_om_scrape *s, struct agg *a, bool reset, struct om_map *adm, size_t nadm)
{
	bool log2 = a->hk >= 0 && a->h->keys[a->hk].kind == FT_KEY_LOG2, seen = s->st->gen > 0;
	struct om_astate *as;
	void **slot;

	for (size_t i = 0; i < a->npend; i++) {
		struct om_family *f = &s->f[a->pend[i].f];
		struct om_series *se = &f->s[a->pend[i].s];
		char *id = series_id(f, se);
		struct om_sstate *ss = id ? om_map_get(s->st->series, id) : NULL;

		if (!id || (f->type == OM_HISTOGRAM && finish_hist(se, ss, log2))) {
			free(id);
			return -ENOMEM;
		}
		reset |= ss && went_down(se, ss);
		free(id);
	}
	for (size_t i = 0; i < a->npend; i++) {
		struct om_family *f = &s->f[a->pend[i].f];
		struct om_series *se = &f->s[a->pend[i].s];
		char *id = series_id(f, se);
		struct om_sstate *ss = id ? om_map_get(s->st->series, id) : NULL;

		/* new or started again: after the last scrape, which did not see this count */
		se->created = ss && !reset ? ss->created : seen ? s->st->last : -1;
		if (!id || remember(s, id, se)) {
			free(id);
			return -ENOMEM;
		}
		free(id);
	}
	slot = om_map_slot(s->st->aggs, a->key, true);
	if (!slot)
		return -ENOMEM;
	if (!*slot)
		*slot = calloc(1, sizeof(struct om_astate));
	as = *slot;
	if (!as)
		return -ENOMEM;
	om_map_free(as->keys, NULL);
	om_map_free(as->admitted, NULL);
	as->keys = a->gidx;
	a->gidx = NULL;
	as->admitted = adm;
	as->nadmitted = nadm;
	as->hits = a->h->hits;
	as->gen = s->st->gen + 1;
	return 0;
}

/**
 * ft_om_scrape_begin() - start an exposition
 * @st: the state of the serving process (updated by this scrape)
 * @o: what is exported
 * @now: the time of the scrape, seconds since the epoch
 *
 * Return: the scrape (end it with ft_om_scrape_end()), or NULL on ENOMEM.
 */
struct ft_om_scrape *ft_om_scrape_begin(struct ft_om_state *st, const struct ft_om_opts *o,
					double now)
{
	struct ft_om_scrape *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->st = st;
	s->o = *o;
	s->now = now;
	s->fidx = om_map_alloc();
	s->ids = om_map_alloc();
	s->aggids = om_map_alloc();
	if (!s->fidx || !s->ids || !s->aggids) {
		ft_om_scrape_end(s);
		return NULL;
	}
	return s;
}

/**
 * ft_om_add_hist() - export a hist, its series limited as the scrape's options say
 * @s: the scrape
 * @h: the hist (only read during the call)
 *
 * Return: 0 or -ENOMEM.
 */
int ft_om_add_hist(struct ft_om_scrape *s, const struct ft_hist *h)
{
	return ft_om_add_hist_limit(s, h, s->o.limit);
}

/**
 * ft_om_add_hist_limit() - export a hist with a series limit of its own
 * @s: the scrape
 * @h: the hist (only read during the call)
 * @limit: series (key label sets) it may have before the rest go to 'other'; 0 for no limit
 *
 * Return: 0 or -ENOMEM.
 */
int ft_om_add_hist_limit(struct ft_om_scrape *s, const struct ft_hist *h, size_t limit)
{
	struct agg a = { 0 };
	int ret = om_agg_init(s, &a, h);

	a.limit = limit;
	if (!ret)
		ret = om_group_rows(&a);
	if (!ret)
		ret = om_emit(s, &a);
	om_agg_release(&a);
	return ret;
}

static int add_plain(struct ft_om_scrape *s, const char *name, enum om_type type, const char *help,
		     const char *unit, const char *labels, double value)
{
	struct om_family *f = om_family_get(s, name, type, help, unit, 0);
	struct om_series *se = f ? om_series_add(s, f, labels ? labels : "") : NULL;

	if (!se)
		return errno == EEXIST ? -EEXIST : -ENOMEM;
	se->g = value;
	return 0;
}

/**
 * ft_om_add_gauge() - export a gauge
 * @s: the scrape
 * @name: its name (valid, with its unit suffix)
 * @help: what it is
 * @unit: its unit, "" for none
 * @labels: its labels, escaped ('a="x",b="y"'), or NULL
 * @value: its value
 *
 * Return: 0, -EEXIST (the name is another type's, or the series is there already) or -ENOMEM.
 */
int ft_om_add_gauge(struct ft_om_scrape *s, const char *name, const char *help, const char *unit,
		    const char *labels, double value)
{
	return add_plain(s, name, OM_GAUGE, help, unit, labels, value);
}

/**
 * ft_om_add_info() - export an info metric (NAME_info{labels} 1)
 * @s: the scrape
 * @name: its name without _info
 * @help: what it is
 * @labels: its labels, escaped
 *
 * Return: 0, -EEXIST or -ENOMEM.
 */
int ft_om_add_info(struct ft_om_scrape *s, const char *name, const char *help, const char *labels)
{
	return add_plain(s, name, OM_INFO, help, "", labels, 1);
}

static bool series_seen(const char *key, void *val, void *data)
{
	return ((const struct om_sstate *)val)->gen == *(const unsigned *)data;
}

static bool agg_seen(const char *key, void *val, void *data)
{
	return ((const struct om_astate *)val)->gen == *(const unsigned *)data;
}

/**
 * ft_om_scrape_partial() - mark a scrape as one that could not read everything
 * @s: the scrape
 *
 * Its end then forgets nothing it did not see: a series of an aggregation that could not be
 * read this time continues when it is read again, rather than looking new (a created time
 * after counts it holds).
 */
void ft_om_scrape_partial(struct ft_om_scrape *s)
{
	s->partial = true;
}

/**
 * ft_om_scrape_end() - end a scrape: the state remembers it, the scrape is freed
 * @s: the scrape, may be NULL
 *
 * What this scrape did not see is forgotten (unless it was partial): a series that comes
 * back is new.
 */
void ft_om_scrape_end(struct ft_om_scrape *s)
{
	if (!s)
		return;
	if (s->fidx && s->ids && s->aggids) {
		s->st->gen++;
		s->st->last = s->now;
		if (!s->partial) {
			om_map_each(s->st->series, series_seen, om_sstate_free, &s->st->gen);
			om_map_each(s->st->aggs, agg_seen, om_astate_free, &s->st->gen);
		}
	}
	for (size_t i = 0; i < s->nf; i++) {
		for (size_t k = 0; k < s->f[i].n; k++) {
			free(s->f[i].s[k].labels);
			free(s->f[i].s[k].b);
		}
		free(s->f[i].s);
		free(s->f[i].name);
		free(s->f[i].help);
		free(s->f[i].unit);
	}
	free(s->f);
	om_map_free(s->fidx, NULL);
	om_map_free(s->ids, NULL);
	om_map_free(s->aggids, NULL);
	free(s);
}
