// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hists as one JSON document (the schema in man/ftrig-hist.1, JSON), and one key part as a
 * typed JSON object, which `top --json` writes too. Writes only to the stream it is given.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hist/cols.h"
#include "hist/export-json.h"
#include "json.h"

/**
 * ft_hist_json_key() - one part of an entry's key as a typed JSON object
 * @j: the writer
 * @name: the member name inside an object, NULL inside an array
 * @c: the part's column
 * @k: the part
 *
 * {"pid": N, "comm": S} for an execname, {"nr": N, "name": S} for a syscall, and so on (man
 * ftrig-hist, JSON): the dump and `top --json` write keys alike.
 */
void ft_hist_json_key(struct ft_json *j, const char *name, const struct ft_hist_col *c,
		      const struct ft_key *k)
{
	ft_json_begin_obj(j, name);
	switch (k->kind) {
	case FT_KEY_NUM:
		if (c->is_signed)
			ft_json_int(j, "value", (int64_t)k->num);
		else
			ft_json_uint(j, "value", k->num);
		break;
	case FT_KEY_HEX:
		ft_json_uint(j, "value", k->num);
		break;
	case FT_KEY_SYM:
		ft_json_uint(j, "addr", k->num);
		ft_json_str(j, "sym", k->str ? k->str : "");
		break;
	case FT_KEY_STR:
		ft_json_str(j, "str", k->str ? k->str : "");
		break;
	case FT_KEY_EXECNAME:
		ft_json_uint(j, "pid", k->num);
		ft_json_str(j, "comm", k->str ? k->str : "");
		break;
	case FT_KEY_SYSCALL:
		ft_json_uint(j, "nr", k->num);
		if (k->str)
			ft_json_str(j, "name", k->str);
		else
			ft_json_null(j, "name");
		break;
	case FT_KEY_LOG2:
		ft_json_uint(j, "log2", k->num);
		/* fall through */
	case FT_KEY_BUCKET:
		ft_json_uint(j, "lo", k->lo);
		ft_json_uint(j, "hi", k->hi);
		break;
	case FT_KEY_STACK:
		ft_json_begin_arr(j, "frames");
		for (size_t i = 0; i < k->nframes; i++)
			ft_json_str(j, NULL, k->frames[i]);
		ft_json_end(j, ']');
		break;
	}
	ft_json_end(j, '}');
}

static void json_actions(struct ft_json *j, const struct ft_hist_actions *acts)
{
	ft_json_begin_arr(j, "actions");
	for (size_t a = 0; a < acts->n; a++) {
		const struct ft_hist_action *ac = &acts->v[a];

		ft_json_begin_obj(j, NULL);
		ft_json_str(j, "handler", ac->handler);
		ft_json_uint(j, "value", ac->value);
		ft_json_begin_obj(j, "saved");
		for (size_t s = 0; s < ac->nsaved; s++)
			ft_json_str(j, ac->names[s], ac->values[s]);
		ft_json_end(j, '}');
		ft_json_end(j, '}');
	}
	ft_json_end(j, ']');
}

static void json_cols(struct ft_json *j, const char *name, const struct ft_hist *h,
		      const struct ft_hist_col *c, size_t n, bool keys)
{
	ft_json_begin_arr(j, name);
	for (size_t i = 0; i < n; i++) {
		ft_json_begin_obj(j, NULL);
		ft_json_str(j, "name", c[i].name);
		ft_json_str(j, "modifier", c[i].modifier);
		if (keys) {
			ft_json_str(j, "type", ft_key_type_name(c[i].kind));
			ft_json_bool(j, "signed", c[i].is_signed);
			if (ft_hist_key_unit(h, i)) /* FIG-8: times say their unit */
				ft_json_str(j, "unit", ft_hist_key_unit(h, i));
		} else {
			ft_json_bool(j, "shown", c[i].shown);
		}
		ft_json_end(j, '}');
	}
	ft_json_end(j, ']');
}

static void json_meta(struct ft_json *j, const struct ft_hist *h)
{
	char ts[64];
	struct tm tm;

	gmtime_r(&h->taken.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, h->taken.tv_nsec);
	ft_json_str(j, "event", h->event);
	ft_json_str(j, "instance", h->instance);
	ft_json_str(j, "backend", h->backend);
	ft_json_str(j, "trigger", h->trigger);
	ft_json_str(j, "name", h->name);
	ft_json_str(j, "filter", h->filter);
	ft_json_bool(j, "paused", h->paused);
	ft_json_uint(j, "size", h->size);
	ft_json_str(j, "taken", ts);
	ft_json_uint(j, "taken_ns",
		     (uint64_t)h->taken.tv_sec * 1000000000u + (uint64_t)h->taken.tv_nsec);
	ft_json_uint(j, "mono_ns",
		     (uint64_t)h->taken_mono.tv_sec * 1000000000u +
			     (uint64_t)h->taken_mono.tv_nsec);
	ft_json_uint(j, "interval_ns", h->interval_ns);
	json_cols(j, "keys", h, h->keys, h->nkeys, true);
	json_cols(j, "values", h, h->vals, h->nvals, false);
}

static void json_hist(struct ft_json *j, const struct ft_hist *h)
{
	ft_json_begin_obj(j, NULL);
	json_meta(j, h);
	ft_json_begin_arr(j, "entries");
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_hist_entry *e = &h->entries[i];

		ft_json_begin_obj(j, NULL);
		ft_json_begin_arr(j, "key");
		for (size_t k = 0; k < h->nkeys; k++)
			ft_hist_json_key(j, NULL, &h->keys[k], &e->keys[k]);
		ft_json_end(j, ']');
		ft_json_begin_arr(j, "values");
		for (size_t v = 0; v < h->nvals; v++)
			ft_json_uint(j, NULL, e->vals[v]);
		ft_json_end(j, ']');
		if (ft_hist_entry_actions(h, e))
			json_actions(j, ft_hist_entry_actions(h, e));
		ft_json_end(j, '}');
	}
	ft_json_end(j, ']');
	ft_json_begin_obj(j, "totals");
	ft_json_uint(j, "hits", h->hits);
	ft_json_uint(j, "entries", h->nentries_total);
	ft_json_uint(j, "dropped", h->dropped);
	if (h->missed)
		ft_json_uint(j, "missed", h->missed);
	if (h->unindexed) {
		ft_json_uint(j, "unindexed", h->unindexed);
		ft_json_str(j, "unindexed_reason",
			    h->index_err ? strerror(h->index_err) : "no reason kept");
	}
	ft_json_end(j, '}');
	ft_json_begin_arr(j, "unknown_lines");
	for (size_t i = 0; i < h->nunknown; i++)
		ft_json_str(j, NULL, h->unknown[i]);
	ft_json_end(j, ']');
	ft_json_end(j, '}');
}

/**
 * ft_hist_write_json() - write hists as one JSON document (schema: man ftrig-hist, JSON)
 * @f: the stream
 * @v: the hists
 * @n: how many
 * @pretty: indent
 */
void ft_hist_write_json(FILE *f, struct ft_hist *const *v, size_t n, bool pretty)
{
	struct ft_json j;

	ft_json_init(&j, f, pretty);
	ft_json_begin_obj(&j, NULL);
	ft_json_str(&j, "format", FT_HIST_JSON_FORMAT);
	ft_json_int(&j, "version", FT_HIST_JSON_VERSION);
	ft_json_begin_arr(&j, "hists");
	for (size_t i = 0; i < n; i++)
		json_hist(&j, v[i]);
	ft_json_end(&j, ']');
	ft_json_end(&j, '}');
	fputc('\n', f);
}
