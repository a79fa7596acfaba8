// SPDX-License-Identifier: GPL-2.0-only
/*
 * --latency START,END on hist triggers (CLS-5, #16 item 4): the texts (pure), and their
 * start, lookup and removal through the trigger and synthetic-event code that journals every
 * write in the ledger.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dryrun.h"
#include "format.h"
#include "hist/spec.h"
#include "ledger.h"
#include "log.h"
#include "names.h"
#include "tfs.h"
#include "triggers/apply.h"
#include "triggers/from-spec.h"
#include "triggers/print.h"
#include "triggers/latency.h"
#include "undo-writes.h"
#include "util.h"
#include "writes.h"

/* Entries of the start and end events' tables: one per start waiting for its end. A start
 * whose table is full is not timed (the kernel counts it as dropped there). */
#define LAT_PENDING 8192

static int lerr(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int lerr(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * The scalar type names synthetic_events takes (the kernel's synth_field_size()). A field
 * declared with one of them is passed on under that name: 6.1 compares the names before
 * sizes and signedness, and refuses a 'long' field passed to an s64 ("Param type doesn't
 * match synthetic event field type").
 */
static bool synth_knows(const char *type)
{
	static const char *const known[] = { "s64",  "u64",	      "s32",   "u32",
					     "s16",  "u16",	      "s8",    "u8",
					     "char", "unsigned char", "int",   "unsigned int",
					     "long", "unsigned long", "short", "unsigned short",
					     "bool", "pid_t",	      "gfp_t" };

	for (size_t i = 0; type && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(type, known[i]))
			return true;
	return false;
}

/* The synthetic event's type for end field @f, the way synthetic_events takes it. */
static int synth_type(const struct ft_field *f, char *buf, size_t size)
{
	if (f->is_array && f->is_string && !f->is_dynamic)
		return snprintf(buf, size, "char %s[%d]", f->name, f->size), 0;
	if (f->is_array || f->is_dynamic ||
	    (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8))
		return -EINVAL;
	if (synth_knows(f->type))
		snprintf(buf, size, "%s %s", f->type, f->name);
	else
		snprintf(buf, size, "%c%d %s", f->is_signed ? 's' : 'u', f->size * 8, f->name);
	return 0;
}

/* The start's or end's key: its match fields, or the thread. */
static void match_keys(const struct ft_hist_spec *spec, bool end, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < spec->nmatch; i++)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					i ? "," : "",
					end ? spec->match_end[i] : spec->match_start[i]);
	if (!spec->nmatch)
		snprintf(buf, size, "common_pid");
}

/* The synthetic event's fields beyond lat, and the end fields passed to it: the --key fields
 * of the end event but lat. */
static int extra_fields(const struct ft_hist_spec *spec, const struct ft_event_format *end_fmt,
			char *def, size_t dsize, char *params, size_t psize, char *err,
			size_t errsize)
{
	size_t d = strlen(def), p = 0;

	params[0] = '\0';
	for (size_t i = 0; i < spec->nkeys; i++) {
		const struct ft_hist_keyspec *ks = &spec->keys[i];
		const struct ft_field *f = end_fmt ? ft_format_field(end_fmt, ks->field) : NULL;
		char type[160];

		if (!strcmp(ks->field, "lat"))
			continue;
		if (!f || f->common || synth_type(f, type, sizeof(type)))
			return lerr(err, errsize,
				    "'%s': with hist triggers, a latency is keyed on fields of its "
				    "end event %s:%s (numbers or char arrays)%s; BPF keys on what "
				    "the end's task is (--backend bpf)",
				    ks->field, spec->end_system, spec->end_event,
				    f ? "" : ", and it has no such field");
		d += (size_t)snprintf(def + d, d < dsize ? dsize - d : 0, "; %s", type);
		p += (size_t)snprintf(params + p, p < psize ? psize - p : 0, ",%s", ks->field);
	}
	if (d >= dsize || p >= psize)
		return lerr(err, errsize, "too many keys for one latency");
	return 0;
}

/*
 * The synthetic event's hist, printed by the one hist-trigger printer: the --key fields of
 * the end event, then lat (as a log2 histogram unless given), sorted, sized and named as
 * `hist start` asked. NULL with @err set, or with errno ENOMEM.
 */
static char *synth_hist(const struct ft_hist_spec *spec, char *err, size_t errsize)
{
	struct ft_hist_spec *h;
	struct ft_trigger t;
	bool has_lat = false;
	char *s = NULL;

	for (size_t i = 0; i < spec->nkeys; i++)
		has_lat |= !strcmp(spec->keys[i].field, "lat");
	if (spec->nkeys + !has_lat > FT_TRIG_MAX_KEYS) {
		lerr(err, errsize, "too many keys for one latency");
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	memcpy(h->keys, spec->keys, spec->nkeys * sizeof(h->keys[0]));
	h->nkeys = spec->nkeys;
	if (!has_lat)
		h->keys[h->nkeys++] = (struct ft_hist_keyspec){ "lat", "log2" };
	memcpy(h->sort, spec->sort, sizeof(h->sort));
	h->nsort = spec->nsort;
	h->size = spec->size;
	h->name = spec->name;
	if (!ft_trigger_from_hist_spec(h, &t)) {
		s = ft_trigger_format(&t);
		ft_trigger_release(&t);
	}
	free(h);
	return s;
}

/**
 * ft_latency_make() - the writes that count --latency START,END with hist triggers
 * @spec: the request: start and end events, match fields, --key fields of the end event,
 *        filter (on the start), sort, size, name (also the synthetic event's)
 * @end_fmt: the end event's format, for the types of the fields keyed on
 * @out: filled in; release with ft_latency_release()
 * @err: on error, why
 * @errsize: size of @err
 *
 * The times are common_timestamp.usecs, so "lat" is in microseconds, as on the BPF backend.
 *
 * Return: 0, -EINVAL with @err set (values, a key that is no field of the end event, a name
 * that is no synthetic event's), or -ENOMEM.
 */
int ft_latency_make(const struct ft_hist_spec *spec, const struct ft_event_format *end_fmt,
		    struct ft_latency *out, char *err, size_t errsize)
{
	char ks[200], ke[200], def[600], params[300], filter[600] = "";
	const char *s = out->synth;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!spec->end_event)
		return lerr(err, errsize, "not a latency");
	if (spec->nvals)
		return lerr(err, errsize,
			    "a latency counts samples: --val does not apply with hist triggers");
	if (spec->name)
		snprintf(out->synth, sizeof(out->synth), "%s", spec->name);
	else
		snprintf(out->synth, sizeof(out->synth), "lat_%.56s", spec->event);
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			return lerr(err, errsize,
				    "'%s' names the latency's synthetic event: letters, digits and "
				    "'_' only; give another --name",
				    s);
	snprintf(def, sizeof(def), "%s u64 lat", s);
	ret = extra_fields(spec, end_fmt, def, sizeof(def), params, sizeof(params), err, errsize);
	if (ret)
		return ret;
	match_keys(spec, false, ks, sizeof(ks));
	match_keys(spec, true, ke, sizeof(ke));
	if (spec->filter && *spec->filter)
		snprintf(filter, sizeof(filter), " if %s", spec->filter);
	out->def = strdup(def);
	if (asprintf(&out->start, "hist:keys=%s:%s_t0=common_timestamp.usecs:size=%d%s", ks, s,
		     LAT_PENDING, filter) < 0)
		out->start = NULL;
	if (asprintf(&out->end,
		     "hist:keys=%s:%s_lat=common_timestamp.usecs-$%s_t0:size=%d:onmatch(%s.%s)"
		     ".trace(%s,$%s_lat%s)",
		     ke, s, s, LAT_PENDING, spec->system, spec->event, s, s, params) < 0)
		out->end = NULL;
	err[0] = '\0';
	out->hist = synth_hist(spec, err, errsize);
	if (!out->def || !out->start || !out->end || !out->hist) {
		ft_latency_release(out);
		return err[0] ? -EINVAL : -ENOMEM;
	}
	return 0;
}

/**
 * ft_latency_release() - free the texts of ft_latency_make()
 * @lat: the latency; its texts become NULL
 */
void ft_latency_release(struct ft_latency *lat)
{
	free(lat->def);
	free(lat->start);
	free(lat->end);
	free(lat->hist);
	lat->def = lat->start = lat->end = lat->hist = NULL;
}

/* The identifier that ends just before @at in @text, or "" when none. */
static void ident_before(const char *text, const char *at, char *buf, size_t size)
{
	const char *b = at;

	while (b > text && (isalnum((unsigned char)b[-1]) || b[-1] == '_'))
		b--;
	snprintf(buf, size, "%.*s", (int)(at - b), b);
}

/**
 * ft_latency_synth_of() - the synthetic event of a latency, from one of its hist triggers
 * @trigger: a hist trigger's text as written or listed
 * @synth: set to the synthetic event's name
 * @size: size of @synth
 *
 * The end event's trigger feeds it (".trace(S,"), the start event's saves "S_t0".
 *
 * Return: true when @trigger is the start or end of a latency ft_latency_make() wrote.
 */
bool ft_latency_synth_of(const char *trigger, char *synth, size_t size)
{
	const char *m = strstr(trigger, "onmatch("), *tr = m ? strstr(m, ").trace(") : NULL;
	const char *t0 = strstr(trigger, "_t0=common_timestamp.usecs");

	if (tr) {
		tr += 8;
		snprintf(synth, size, "%.*s", (int)strcspn(tr, ",)"), tr);
		return *synth != '\0';
	}
	if (!t0 || strncmp(trigger, "hist:", 5))
		return false;
	ident_before(trigger, t0, synth, size);
	return *synth != '\0';
}

/**
 * ft_latency_owns() - whether a journaled object is part of the latency of @synth
 * @system: the object's system
 * @event: its event
 * @text: the text written
 * @synth: the latency's synthetic event
 *
 * Return: true for its synthetic event, that event's hist trigger, and the start and end
 * triggers that name it.
 */
bool ft_latency_owns(const char *system, const char *event, const char *text, const char *synth)
{
	char s[128];

	if (!strcmp(system, "synthetic") && !strcmp(event, synth))
		return true;
	return !strncmp(text, "hist:", 5) && ft_latency_synth_of(text, s, sizeof(s)) &&
	       !strcmp(s, synth);
}

/* The four writes, made with the end event's format (the types of the fields passed on). */
static int end_latency(const struct ft_trig_ctx *end, const struct ft_hist_spec *spec,
		       struct ft_latency *lat)
{
	char err[512];
	int ret = ft_latency_make(spec, end->fmt, lat, err, sizeof(err));

	if (ret == -EINVAL)
		ft_err("--latency with hist triggers: %s", err);
	if (!ret && ft_name_probe(lat->synth, err, sizeof(err))) {
		ft_err("the latency's synthetic event: %s", err);
		ft_latency_release(lat);
		ret = -EINVAL;
	}
	return ret;
}

/**
 * ft_latency_can() - whether hist triggers can count the latency @spec here
 * @end: the end event (ft_trig_ctx_open()), as the command read it
 * @spec: the request
 * @why: set to the reason when they cannot
 * @size: size of @why
 *
 * Return: true when the kernel has synthetic events and ft_latency_make() can write it.
 */
bool ft_latency_can(const struct ft_trig_ctx *end, const struct ft_hist_spec *spec, char *why,
		    size_t size)
{
	struct ft_latency lat;
	char err[300];
	bool ok;

	if (!ft_tfs_exists(end->tfs, NULL, "synthetic_events")) {
		snprintf(why, size, "this kernel has no synthetic events (CONFIG_SYNTH_EVENTS)");
		return false;
	}
	ok = ft_latency_make(spec, end->fmt, &lat, err, sizeof(err)) == 0;
	if (!ok)
		snprintf(why, size, "%s", err);
	ft_latency_release(&lat);
	return ok;
}

/*
 * A hist trigger @text on the event of @c, where the synthetic event @pending is taken as
 * existing (a dry run defines it only on paper).
 */
static int add_on(struct ft_trig_ctx *c, struct ft_ledger *l, const char *pending, const char *text,
		  struct ft_writes *dry, FILE *out)
{
	int ret;

	snprintf(c->pending, sizeof(c->pending), "%s", pending);
	ret = ft_trigger_add(c, l, text, dry, out);
	c->pending[0] = '\0';
	return ret;
}

/* The synthetic event's hist trigger: in a dry run the event is not there to open, and its
 * write is said as is. */
static int add_on_synth(struct ft_tfs *t, struct ft_ledger *l, const char *inst,
			const struct ft_latency *lat, struct ft_writes *dry, FILE *out)
{
	char event[260], rel[300];
	struct ft_trig_ctx c;
	int ret;

	if (dry) {
		snprintf(rel, sizeof(rel), "events/synthetic/%s/trigger", lat->synth);
		return ft_writes_tfs(dry, FT_WRITE_APPEND, ft_tfs_dir(t), inst, rel, lat->hist);
	}
	snprintf(event, sizeof(event), "synthetic:%s", lat->synth);
	ret = ft_trig_ctx_open(&c, t, inst, event);
	if (ret)
		return ret;
	ret = add_on(&c, l, lat->synth, lat->hist, dry, out);
	ft_trig_ctx_close(&c);
	return ret;
}

/**
 * ft_latency_start() - count --latency START,END with hist triggers, journaled
 * @start: the start event, as the command read it (ft_trig_ctx_open())
 * @end: the end event, likewise
 * @l: the persistent ledger (NULL for a dry run)
 * @spec: the request
 * @dry: for a dry run, where every write goes instead; else NULL
 * @out: where to say what was done
 *
 * Defines the synthetic event, then adds the start, end and synthetic event's triggers,
 * each journaled before it is written. When one fails, what was made is removed again.
 *
 * Return: 0, or -errno after logging why.
 */
int ft_latency_start(struct ft_trig_ctx *start, struct ft_trig_ctx *end, struct ft_ledger *l,
		     const struct ft_hist_spec *spec, struct ft_writes *dry, FILE *out)
{
	struct ft_tfs *t = start->tfs;
	struct ft_latency lat;
	int ret = end_latency(end, spec, &lat);

	if (ret)
		return ret;
	ret = ft_synth_define(t, l, lat.def, dry, out);
	if (!ret)
		ret = add_on(start, l, lat.synth, lat.start, dry, out);
	if (!ret)
		ret = add_on(end, l, lat.synth, lat.end, dry, out);
	if (!ret)
		ret = add_on_synth(t, l, spec->instance, &lat, dry, out);
	if (!ret && !dry)
		fprintf(out,
			"counting the latency %s:%s -> %s:%s with hist triggers on "
			"synthetic:%s (lat in us)\n",
			spec->system, spec->event, spec->end_system, spec->end_event, lat.synth);
	if (ret && ret != -EEXIST && !dry && l)
		ft_latency_remove(l, NULL, ft_tfs_dir(t), lat.synth, NULL, out);
	ft_latency_release(&lat);
	return ret;
}

/**
 * ft_latency_find() - the latency on hist triggers that @event starts, ends or counts
 * @t: tracefs
 * @instance: instance, NULL for the top level
 * @event: "system:event"
 * @name: the latency's name (its synthetic event), or NULL for the event's only one
 * @synth: set to its synthetic event's name
 * @size: size of @synth
 *
 * Return: 0, -ENOENT when the event takes part in none (of that name).
 */
int ft_latency_find(struct ft_tfs *t, const char *instance, const char *event, const char *name,
		    char *synth, size_t size)
{
	struct ft_listed *v = NULL;
	size_t n = 0;
	int ret = -ENOENT;

	if (ft_trigger_list(t, instance, event, false, &v, &n))
		return -ENOENT;
	for (size_t i = 0; ret && i < n; i++) {
		char s[128];

		if (ft_latency_synth_of(v[i].text, s, sizeof(s)) && (!name || !strcmp(s, name)) &&
		    ft_tfs_event_exists(t, instance, "synthetic", s, NULL)) {
			snprintf(synth, size, "%s", s);
			ret = 0;
		}
	}
	ft_listed_free(v, n);
	return ret;
}

/**
 * ft_latency_remove() - remove a latency's triggers and synthetic event, newest first
 * @l: the persistent ledger (NULL for a dry run)
 * @dry_journal: for a dry run, the persistent journal; else NULL
 * @dir: the tracing directory (for the dry run's writes)
 * @synth: the latency's synthetic event
 * @dry: for a dry run, where the writes go; else NULL
 * @out: where to say what was removed
 *
 * The journal holds them in the order they were made (the synthetic event, start, end, the
 * synthetic event's hist), so undoing them newest first removes each after what uses it.
 *
 * Return: 0, -ENOENT (the ledger has no part of it), or the first -errno of an undo.
 */
int ft_latency_remove(struct ft_ledger *l, const struct ft_journal *dry_journal, const char *dir,
		      const char *synth, struct ft_writes *dry, FILE *out)
{
	const struct ft_journal *j = dry ? dry_journal : ft_ledger_objects(l);
	unsigned *seqs = calloc(j->nobjs + 1, sizeof(*seqs));
	size_t n = 0;
	int ret = 0;

	if (!seqs)
		return -ENOMEM;
	for (size_t i = j->nobjs; i-- > 0;) {
		const struct ft_obj *o = &j->objs[i];

		if ((o->kind == FT_OBJ_TRIGGER || o->kind == FT_OBJ_DYNEVENT) &&
		    ft_latency_owns(o->system, o->event, o->text, synth))
			seqs[n++] = o->seq;
		if (dry && (o->kind == FT_OBJ_TRIGGER || o->kind == FT_OBJ_DYNEVENT) &&
		    ft_latency_owns(o->system, o->event, o->text, synth) && !ret)
			ret = ft_obj_undo_writes(o, dir, dry);
	}
	for (size_t i = 0; !dry && !ret && i < n; i++) {
		ret = ft_ledger_undo_one(l, seqs[i]);
		if (ret == -ESTALE)
			ret = 0; /* somebody replaced it; the ledger said so */
	}
	free(seqs);
	if (!ret && !n)
		return -ENOENT;
	if (ret)
		ft_err("cannot remove the latency '%s': %s", synth, strerror(-ret));
	else if (!dry)
		fprintf(out, "removed the latency '%s' (its triggers and synthetic event)\n",
			synth);
	return ret;
}

/* Whether the ledger (the dry run's persistent journal) holds a part of the latency @synth. */
static bool ledger_has(struct ft_ledger *l, const struct ft_dry *dry, const char *synth)
{
	const struct ft_journal *j = dry ? dry->persistent : l ? ft_ledger_objects(l) : NULL;

	for (size_t i = 0; j && i < j->nobjs; i++)
		if ((j->objs[i].kind == FT_OBJ_TRIGGER || j->objs[i].kind == FT_OBJ_DYNEVENT) &&
		    ft_latency_owns(j->objs[i].system, j->objs[i].event, j->objs[i].text, synth))
			return true;
	return false;
}

/**
 * ft_latency_rm() - remove a latency on hist triggers, found by one of its events
 * @t: tracefs
 * @l: the persistent ledger
 * @instance: instance, NULL or "" for the top level
 * @event: "system:event": the latency's start, end or synthetic event
 * @name: the latency's name, or NULL for the event's only one
 * @dry: for a dry run, the journals and where the writes go; NULL otherwise
 * @out: where to say what was done
 * @synth: set to the latency's synthetic event
 * @size: size of @synth
 *
 * Removes the triggers and the synthetic event the ledger holds (ft_latency_remove()). Its
 * histogram is paused, continued and cleared as any hist trigger of its synthetic event, by
 * the histogram service.
 *
 * Return: 0, -ENOENT when @event takes part in no latency (of that name), -EPERM when no
 * ledger holds it, or another -errno after logging why.
 */
int ft_latency_rm(struct ft_tfs *t, struct ft_ledger *l, const char *instance, const char *event,
		  const char *name, struct ft_dry *dry, FILE *out, char *synth, size_t size)
{
	bool synthetic = !strncmp(event, "synthetic:", 10);
	int ret = ft_latency_find(t, instance, event, name, synth, size);

	if (ret && synthetic && (!name || !strcmp(name, event + 10)))
		snprintf(synth, size, "%s", event + 10), ret = 0;
	/*
	 * A latency whose start was killed half-way has records and maybe a synthetic event but
	 * not every trigger, so the kernel may not tie @event to it. Its name is its synthetic
	 * event's, unique in the kernel: rm --name takes the ledger's parts of that name.
	 */
	if (ret && name && ledger_has(l, dry, name))
		snprintf(synth, size, "%s", name), ret = 0;
	if (ret)
		return -ENOENT;
	ret = ft_latency_remove(l, dry ? dry->persistent : NULL, ft_tfs_dir(t), synth,
				dry ? &dry->w : NULL, out);
	if (ret == -ENOENT && synthetic)
		return -ENOENT;
	if (ret == -ENOENT) {
		ft_err("%s: the latency '%s' was not started by 'ftrig hist start' (no ledger "
		       "holds it); remove its triggers with 'ftrig trigger rm'",
		       event, synth);
		return -EPERM;
	}
	return ret;
}
