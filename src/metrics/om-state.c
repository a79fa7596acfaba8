// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory of a scrape and of the state between scrapes: a small string map, the families
 * and series of one exposition, and what the state keeps of each series and aggregation.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/om-int.h"
#include "util.h"

/* Open addressing; each key's hash is kept, so probes and growth rarely touch the strings. */
struct om_map {
	char **keys;
	void **vals;
	uint64_t *hash;
	size_t n, cap;
};

/**
 * om_map_alloc() - an empty map
 *
 * Return: the map (free with om_map_free()), or NULL.
 */
struct om_map *om_map_alloc(void)
{
	return calloc(1, sizeof(struct om_map));
}

/**
 * om_map_free() - free a map, its keys and, with @free_val, its values
 * @m: the map, may be NULL
 * @free_val: called on each value, or NULL
 */
void om_map_free(struct om_map *m, void (*free_val)(void *))
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		free(m->keys[i]);
		if (free_val)
			free_val(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m->hash);
	free(m);
}

static uint64_t hash_of(const char *key)
{
	return ft_hash64(key, strlen(key));
}

/* The slot of @key (hash @h): where it is, or the empty one where it would go. */
static size_t find(const struct om_map *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->keys[i] && (m->hash[i] != h || strcmp(m->keys[i], key)))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Empty arrays of @cap slots in @nm; -ENOMEM leaves nothing allocated. */
static int alloc_slots(struct om_map *nm, size_t cap)
{
	nm->cap = cap;
	nm->keys = calloc(cap, sizeof(*nm->keys));
	nm->vals = calloc(cap, sizeof(*nm->vals));
	nm->hash = calloc(cap, sizeof(*nm->hash));
	if (nm->keys && nm->vals && nm->hash)
		return 0;
	free(nm->keys);
	free(nm->vals);
	free(nm->hash);
	return -ENOMEM;
}

/* Move the entry in slot @i of @from into @to (which has room and not the key). */
static void move_in(struct om_map *to, const struct om_map *from, size_t i)
{
	size_t j = (size_t)from->hash[i] & (to->cap - 1);

	while (to->keys[j])
		j = (j + 1) & (to->cap - 1);
	to->keys[j] = from->keys[i];
	to->vals[j] = from->vals[i];
	to->hash[j] = from->hash[i];
}

/* Swap in @nm's arrays for @m's, freeing the old ones. */
static void replace(struct om_map *m, struct om_map *nm)
{
	free(m->keys);
	free(m->vals);
	free(m->hash);
	m->keys = nm->keys;
	m->vals = nm->vals;
	m->hash = nm->hash;
	m->cap = nm->cap;
}

static int grow(struct om_map *m)
{
	struct om_map nm;

	if (alloc_slots(&nm, m->cap ? 2 * m->cap : 16))
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			move_in(&nm, m, i);
	replace(m, &nm);
	return 0;
}

/**
 * om_map_slot() - the value slot of a key
 * @m: the map
 * @key: the key (copied when added)
 * @create: add the key (its value NULL) when it is not there
 *
 * Return: the slot, valid until the next key is added; NULL when the key is not there and
 * @create is false, or on ENOMEM.
 */
void **om_map_slot(struct om_map *m, const char *key, bool create)
{
	uint64_t h = hash_of(key);
	size_t i;

	if (m->cap && (i = find(m, key, h), m->keys[i]))
		return &m->vals[i];
	if (!create || ((m->n + 1) * 2 > m->cap && grow(m)))
		return NULL;
	i = find(m, key, h);
	m->keys[i] = strdup(key);
	if (!m->keys[i])
		return NULL;
	m->vals[i] = NULL;
	m->hash[i] = h;
	m->n++;
	return &m->vals[i];
}

/**
 * om_map_get() - the value of a key
 * @m: the map
 * @key: the key
 *
 * Return: the value, or NULL when the key is not there.
 */
void *om_map_get(const struct om_map *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = find(m, key, hash_of(key));
	return m->keys[i] ? m->vals[i] : NULL;
}

/**
 * om_map_each() - keep or drop each entry
 * @m: the map
 * @keep: called with each key and value; false drops the entry
 * @free_val: called on the value of each dropped entry, or NULL
 * @data: passed to @keep
 */
void om_map_each(struct om_map *m, bool (*keep)(const char *key, void *val, void *data),
		 void (*free_val)(void *), void *data)
{
	struct om_map nm;

	/* no memory to rebuild: keep everything */
	if (!m->cap || alloc_slots(&nm, m->cap))
		return;
	m->n = 0;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		if (!keep(m->keys[i], m->vals[i], data)) {
			free(m->keys[i]);
			if (free_val)
				free_val(m->vals[i]);
			continue;
		}
		move_in(&nm, m, i);
		m->n++;
	}
	replace(m, &nm);
}

/**
 * om_sstate_free() - free what the state keeps of a series
 * @p: a struct om_sstate, may be NULL
 */
void om_sstate_free(void *p)
{
	struct om_sstate *s = p;

	if (s) {
		free(s->le);
		free(s->cum);
		free(s);
	}
}

/**
 * om_astate_free() - free what the state keeps of an aggregation
 * @p: a struct om_astate, may be NULL
 */
void om_astate_free(void *p)
{
	struct om_astate *a = p;

	if (a) {
		om_map_free(a->keys, NULL);
		om_map_free(a->admitted, NULL);
		free(a);
	}
}

/**
 * ft_om_state_alloc() - the state of a serving process, before its first scrape
 *
 * Return: the state (free with ft_om_state_free()), or NULL.
 */
struct ft_om_state *ft_om_state_alloc(void)
{
	struct ft_om_state *st = calloc(1, sizeof(*st));

	if (st) {
		st->series = om_map_alloc();
		st->aggs = om_map_alloc();
		st->warned = om_map_alloc();
	}
	if (!st || !st->series || !st->aggs || !st->warned) {
		ft_om_state_free(st);
		return NULL;
	}
	return st;
}

/**
 * ft_om_state_free() - free a state
 * @st: the state, may be NULL
 */
void ft_om_state_free(struct ft_om_state *st)
{
	if (!st)
		return;
	om_map_free(st->series, om_sstate_free);
	om_map_free(st->aggs, om_astate_free);
	om_map_free(st->warned, NULL);
	free(st);
}

/**
 * om_family_get() - the family of a name, added when new
 * @s: the scrape
 * @name: its name (without _total or _info)
 * @type: its type
 * @help: what it is
 * @unit: its unit, "" for none
 * @scale: what raw numbers are divided by, 0 for integers
 *
 * Return: the family, valid until the next one is added; NULL on ENOMEM or when the name
 * is taken by a family of another type or scale (errno EEXIST).
 */
struct om_family *om_family_get(struct ft_om_scrape *s, const char *name, enum om_type type,
				const char *help, const char *unit, double scale)
{
	void **slot = om_map_slot(s->fidx, name, true);
	struct om_family *nf, *f;

	if (!slot)
		return NULL;
	if (*slot) {
		f = &s->f[(size_t)*slot - 1];
		if (f->type == type && f->scale == scale)
			return f;
		errno = EEXIST;
		return NULL;
	}
	nf = realloc(s->f, (s->nf + 1) * sizeof(*nf));
	if (!nf)
		return NULL;
	s->f = nf;
	f = &s->f[s->nf];
	*f = (struct om_family){ .name = strdup(name),
				 .type = type,
				 .help = strdup(help),
				 .unit = strdup(unit),
				 .scale = scale };
	if (!f->name || !f->help || !f->unit) {
		free(f->name);
		free(f->help);
		free(f->unit);
		return NULL;
	}
	*slot = (void *)(++s->nf);
	return f;
}

/**
 * om_series_add() - a new series of a family
 * @s: the scrape
 * @f: the family
 * @labels: its labels (copied)
 *
 * Return: the series (zeroed, no created time), valid until the family's next one; NULL on
 * ENOMEM or when the family has a series of these labels already (errno EEXIST).
 */
struct om_series *om_series_add(struct ft_om_scrape *s, struct om_family *f, const char *labels)
{
	struct om_series *ns;
	char *id = NULL;
	void **slot;

	if (asprintf(&id, "%s{%s}", f->name, labels) < 0)
		return NULL;
	slot = om_map_slot(s->ids, id, true);
	free(id);
	if (!slot)
		return NULL;
	if (*slot) {
		errno = EEXIST;
		return NULL;
	}
	*slot = f;
	ns = realloc(f->s, (f->n + 1) * sizeof(*ns));
	if (!ns)
		return NULL;
	f->s = ns;
	ns = &f->s[f->n];
	*ns = (struct om_series){ .labels = strdup(labels), .created = -1 };
	if (!ns->labels)
		return NULL;
	f->n++;
	return ns;
}
