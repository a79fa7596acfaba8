// SPDX-License-Identifier: GPL-2.0-only
/*
 * A histogram counted from recorded events, offline. The request is planned exactly as the
 * BPF backend plans it (ft_bpf_plan_make() and ft_bpf_plan_fit_all(): the same checks, the
 * same columns, kinds and trigger text), each decoded record is counted as the aggregator
 * would count the live event, and the rows become a struct ft_hist through the backend's
 * own conversion (ft_bpf_hist_build()): one model, so dumps, `hist stats` and `hist diff`
 * read a report's histogram as a live one.
 *
 * Fields are read by name in each record's own event, so events whose formats differ (a
 * glob of syscall events) are counted together as the live aggregator counts them.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "bpf/ftbpf.h"
#include "bpf/table.h"
#include "format.h"
#include "record/count.h"

struct row {
	unsigned char *key;
	struct ft_bpf_val val;
};

struct ft_rec_count {
	struct ft_bpf_plan plan;
	struct tep_handle *tep;
	struct ft_event_format **fmts;
	size_t nfmts;
	struct row *rows;
	size_t nrows;
	size_t *slot; /* open addressing over rows, SIZE_MAX empty */
	size_t cap;
	uint64_t dropped;
	struct trace_seq seq;
};

/* The events of @tep a pattern names; "ftrace" ones only when named (they are headers). */
static bool named(const char *sys_pat, const char *ev_pat, const struct tep_event *ev)
{
	if (!strcmp(ev->system, "ftrace") && strcmp(sys_pat, "ftrace"))
		return false;
	return !fnmatch(sys_pat, ev->system, 0) && !fnmatch(ev_pat, ev->name, 0);
}

/* @spec with its patterns replaced by the events of the file they name. */
static int expand(struct ft_rec_count *c, const struct ft_hist_spec *in, struct ft_hist_spec *sp,
		  char *err, size_t errsize)
{
	struct tep_event **all = tep_list_events(c->tep, TEP_EVENT_SORT_ID);
	bool glob = strpbrk(in->system, "*?[") || strpbrk(in->event, "*?[") || in->nmore;

	*sp = *in;
	sp->nmore = 0;
	sp->system = NULL;
	for (size_t i = 0; all && all[i]; i++) {
		bool hit = named(in->system, in->event, all[i]);

		for (size_t k = 0; !hit && k < in->nmore; k++)
			hit = named(in->more[k].system, in->more[k].event, all[i]);
		if (!hit)
			continue;
		if (!sp->system) {
			sp->system = all[i]->system;
			sp->event = all[i]->name;
		} else if (sp->nmore < FT_HIST_MAX_MORE) {
			sp->more[sp->nmore++] =
				(struct ft_hist_event){ all[i]->system, all[i]->name };
		}
	}
	if (!sp->system) {
		snprintf(err, errsize,
			 "no event %s:%s in the file ('ftrig report FILE' lists them)", in->system,
			 in->event);
		return -ENOENT;
	}
	if (glob && !in->title)
		sp->title = in->nmore ? "events" : in->event;
	return 0;
}

/* What a trace.dat does not hold, or this counter does not read. */
static int unsupported(const struct ft_bpf_plan *p, char *err, size_t errsize)
{
	for (size_t i = 0; i < p->cfg.nparts; i++) {
		switch (p->cfg.parts[i].num.src) {
		case FT_SRC_PID:
			snprintf(err, errsize,
				 "a trace.dat records the thread (common_pid), not the "
				 "process id: key by common_pid");
			return -EINVAL;
		case FT_SRC_KSTACK:
		case FT_SRC_USTACK:
			snprintf(err, errsize,
				 "stack keys need the stacks at the event; a trace.dat "
				 "of these events has none");
			return -EINVAL;
		}
	}
	if (p->cfg.latency) {
		snprintf(err, errsize, "--latency is not counted from a file yet");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The planner takes an event with __probe_ip or __probe_func for a probe, whose fields BPF can
 * only fetch from the probe's registers. A recorded probe event holds its fetched fields in
 * the record as a tracepoint does, and is counted from there: the planner is shown it as a
 * tracepoint (those two fields, which no key needs, renamed out of its sight).
 */
static int as_recorded(struct ft_event_format *f)
{
	for (size_t i = 0; i < f->nfields; i++) {
		char *name = f->fields[i].name;

		if (strcmp(name, "__probe_ip") && strcmp(name, "__probe_func"))
			continue;
		if (asprintf(&f->fields[i].name, "(%s)", name) < 0) {
			f->fields[i].name = name;
			return -ENOMEM;
		}
		free(name);
	}
	return 0;
}

static int plan(struct ft_rec_count *c, const struct ft_hist_spec *sp, char *err, size_t errsize)
{
	size_t n = 1 + sp->nmore;
	int ret;

	c->fmts = calloc(n, sizeof(*c->fmts));
	if (!c->fmts)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *sys = i ? sp->more[i - 1].system : sp->system;
		const char *ev = i ? sp->more[i - 1].event : sp->event;

		ret = ft_format_from_event(tep_find_event_by_name(c->tep, sys, ev), &c->fmts[i]);
		if (ret)
			return ret;
		c->nfmts++;
		ret = as_recorded(c->fmts[i]);
		if (ret)
			return ret;
	}
	ret = ft_bpf_plan_make(sp, c->fmts[0], NULL, false, &c->plan, err, errsize);
	if (!ret && c->nfmts > 1)
		ret = ft_bpf_plan_fit_all(sp, false, &c->plan, c->fmts, &c->nfmts, NULL, err,
					  errsize);
	if (!ret)
		ret = unsupported(&c->plan, err, errsize);
	c->plan.nevents = (uint32_t)c->nfmts;
	return ret;
}

/**
 * ft_rec_count_alloc() - plan a histogram of the events of a file
 * @spec: the request as `hist start` takes it; its events may be globs, matched against the
 *        events the file holds
 * @tep: the file's events (its formats, saved task names and kernel symbols); kept
 * @out: set to the counter, to free with ft_rec_count_free()
 * @err: set to what is wrong with the request (an unknown field, with a suggestion)
 * @errsize: size of @err
 *
 * Return: 0, or -errno with @err set (-ENOMEM without).
 */
int ft_rec_count_alloc(const struct ft_hist_spec *spec, struct tep_handle *tep,
		       struct ft_rec_count **out, char *err, size_t errsize)
{
	struct ft_rec_count *c = calloc(1, sizeof(*c));
	struct ft_hist_spec *sp = malloc(sizeof(*sp));
	int ret;

	if (!c || !sp) {
		free(c);
		free(sp);
		return -ENOMEM;
	}
	c->tep = tep;
	trace_seq_init(&c->seq);
	ret = expand(c, spec, sp, err, errsize);
	if (!ret)
		ret = plan(c, sp, err, errsize);
	free(sp);
	if (ret) {
		ft_rec_count_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

/**
 * ft_rec_count_free() - free a counter; NULL is allowed
 * @c: the counter
 */
void ft_rec_count_free(struct ft_rec_count *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfmts; i++)
		ft_format_free(c->fmts[i]);
	for (size_t i = 0; i < c->nrows; i++)
		free(c->rows[i].key);
	trace_seq_destroy(&c->seq);
	free(c->fmts);
	free(c->rows);
	free(c->slot);
	free(c);
}

/**
 * ft_rec_count_index() - which of the counter's events a record is of
 * @c: the counter
 * @ev: the record's event
 *
 * Return: its index (what a key on the event's name holds), or -1 when it is not counted.
 */
int ft_rec_count_index(const struct ft_rec_count *c, const struct tep_event *ev)
{
	for (size_t i = 0; i < c->nfmts; i++)
		if (c->fmts[i]->id == ev->id && !strcmp(c->fmts[i]->system, ev->system))
			return (int)i;
	return -1;
}

/* A field of @ev by name, as a number the width of the field, sign-extended when signed. */
static uint64_t field_num(const struct tep_event *ev, struct tep_record *rec, const char *name)
{
	struct tep_format_field *f = tep_find_any_field((struct tep_event *)ev, name);
	unsigned long long v = 0;

	if (!f || tep_read_number_field(f, rec->data, &v))
		return 0;
	if ((f->flags & TEP_FIELD_IS_SIGNED) && f->size > 0 && f->size < 8 &&
	    (v >> (f->size * 8 - 1) & 1))
		v |= ~0ULL << (f->size * 8);
	return v;
}

/* A number the aggregator reads at the event, read from the record instead. */
static uint64_t number(struct ft_rec_count *c, const struct tep_event *ev, int index,
		       struct tep_record *rec, const struct ft_bpf_num *n, const char *name)
{
	switch (n->src) {
	case FT_SRC_FIELD:
	case FT_SRC_REGS: /* a probe's field, fetched from a register: the record holds it */
		return field_num(ev, rec, name);
	case FT_SRC_TID:
		return (uint32_t)tep_data_pid(c->tep, rec);
	case FT_SRC_CPU:
		return (uint64_t)rec->cpu;
	case FT_SRC_TYPE:
		return (uint64_t)ev->id;
	case FT_SRC_EVENT:
		return (uint64_t)index;
	}
	return 0;
}

static bool compare(uint64_t a, const struct ft_bpf_cond *k)
{
	bool sgn = k->num.is_signed;
	uint64_t b = k->value;

	switch (k->op) {
	case FT_OP_EQ:
		return a == b;
	case FT_OP_NE:
		return a != b;
	case FT_OP_LT:
		return sgn ? (int64_t)a < (int64_t)b : a < b;
	case FT_OP_LE:
		return sgn ? (int64_t)a <= (int64_t)b : a <= b;
	case FT_OP_GT:
		return sgn ? (int64_t)a > (int64_t)b : a > b;
	case FT_OP_GE:
		return sgn ? (int64_t)a >= (int64_t)b : a >= b;
	case FT_OP_AND:
		return (a & b) != 0;
	}
	return false;
}

/* The filter: an OR of groups of ANDed conditions, as the aggregator evaluates it. */
static bool pass(struct ft_rec_count *c, const struct tep_event *ev, int index,
		 struct tep_record *rec)
{
	const struct ft_bpf_cfg *cfg = &c->plan.cfg;
	bool group = true;

	for (size_t i = 0; i < cfg->nconds; i++) {
		if (group &&
		    !compare(number(c, ev, index, rec, &cfg->conds[i].num, c->plan.cond_names[i]),
			     &cfg->conds[i]))
			group = false;
		if (cfg->conds[i].or_next || i == cfg->nconds - 1U) {
			if (group)
				return true;
			group = true;
		}
	}
	return cfg->nconds == 0;
}

/* The kernel's .log2: ilog2(roundup_pow_of_two(x)), 0 for 0 and 1. */
static uint64_t log2_up(uint64_t x)
{
	return x <= 1 ? 0 : 64 - (uint64_t)__builtin_clzll(x - 1);
}

/* A string part: a char[] or __data_loc field, or the task's name, cut to the part's room. */
static void string_part(struct ft_rec_count *c, const struct tep_event *ev, struct tep_record *rec,
			const struct ft_bpf_part *p, const char *name, unsigned char *at)
{
	const char *s = NULL;
	int len = 0;

	if (p->num.src == FT_SRC_COMM) {
		s = tep_data_comm_from_pid(c->tep, tep_data_pid(c->tep, rec));
		len = s ? (int)strlen(s) : 0;
	} else {
		s = tep_get_field_raw(&c->seq, (struct tep_event *)ev, name, rec, &len, 0);
	}
	if (!s || len <= 0 || !p->klen)
		return;
	len = (int)strnlen(s, (size_t)len);
	memcpy(at, s, (size_t)len < p->klen - 1U ? (size_t)len : p->klen - 1U);
}

/* One record's key and values, or *@ok false when the filter leaves it out. */
static void make(struct ft_rec_count *c, const struct tep_event *ev, int index,
		 struct tep_record *rec, unsigned char *key, struct ft_bpf_val *val, bool *ok)
{
	const struct ft_bpf_cfg *cfg = &c->plan.cfg;

	*ok = pass(c, ev, index, rec);
	if (!*ok)
		return;
	for (size_t i = 0; i < cfg->nparts; i++) {
		const struct ft_bpf_part *p = &cfg->parts[i];
		const char *name = c->plan.keys[i].name;
		uint64_t v;

		if (p->num.src == FT_SRC_COMM || p->num.src == FT_SRC_STRFIELD ||
		    p->num.src == FT_SRC_DYNSTR) {
			string_part(c, ev, rec, p, name, key + p->koff);
			continue;
		}
		v = number(c, ev, index, rec, &p->num, name);
		if (p->mod == FT_MOD_LOG2)
			v = log2_up(v);
		else if (p->mod == FT_MOD_BUCKETS && p->step)
			v = v / p->step * p->step;
		memcpy(key + p->koff, &v, sizeof(v));
	}
	for (size_t i = 0; i < cfg->nsums; i++)
		val->sums[i] = number(c, ev, index, rec, &cfg->sums[i], c->plan.vals[1 + i].name);
	if (cfg->want_comm) {
		const char *comm = tep_data_comm_from_pid(c->tep, tep_data_pid(c->tep, rec));

		snprintf(val->comm, sizeof(val->comm), "%s", comm ? comm : "<...>");
	}
}

static uint64_t hash(const unsigned char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

static int grow(struct ft_rec_count *c)
{
	size_t cap = c->cap ? c->cap * 2 : 1024, ks = c->plan.cfg.ksize;
	size_t *slot = malloc(cap * sizeof(*slot));
	struct row *rows = realloc(c->rows, cap / 2 * sizeof(*rows));

	if (!slot || !rows) {
		free(slot);
		if (rows)
			c->rows = rows;
		return -ENOMEM;
	}
	c->rows = rows;
	memset(slot, 0xff, cap * sizeof(*slot));
	for (size_t i = 0; i < c->nrows; i++) {
		size_t at = hash(rows[i].key, ks) & (cap - 1);

		while (slot[at] != SIZE_MAX)
			at = (at + 1) & (cap - 1);
		slot[at] = i;
	}
	free(c->slot);
	c->slot = slot;
	c->cap = cap;
	return 0;
}

/* The row of @key: found, or made while the table has room (else NULL: dropped). */
static struct row *row_of(struct ft_rec_count *c, const unsigned char *key, int *err)
{
	size_t ks = c->plan.cfg.ksize, at;

	if (2 * (c->nrows + 1) > c->cap && (*err = grow(c)))
		return NULL;
	at = hash(key, ks) & (c->cap - 1);
	while (c->slot[at] != SIZE_MAX) {
		if (!memcmp(c->rows[c->slot[at]].key, key, ks))
			return &c->rows[c->slot[at]];
		at = (at + 1) & (c->cap - 1);
	}
	if (c->nrows >= c->plan.size)
		return NULL; /* a full table drops the new key, as a live one does */
	c->rows[c->nrows] = (struct row){ .key = malloc(ks ? ks : 1) };
	if (!c->rows[c->nrows].key) {
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(c->rows[c->nrows].key, key, ks);
	c->slot[at] = c->nrows;
	return &c->rows[c->nrows++];
}

/**
 * ft_rec_count_add() - count one record
 * @c: the counter
 * @rec: a record of the file (events the counter does not count are passed over)
 *
 * Return: 0 or -ENOMEM.
 */
int ft_rec_count_add(struct ft_rec_count *c, struct tep_record *rec)
{
	unsigned char key[FT_BPF_KEY_MAX] = { 0 };
	struct tep_event *ev = tep_find_event_by_record(c->tep, rec);
	struct ft_bpf_val val = { 0 };
	int index = ev ? ft_rec_count_index(c, ev) : -1, err = 0;
	bool ok = false;
	struct row *r;

	if (index < 0)
		return 0;
	make(c, ev, index, rec, key, &val, &ok);
	if (!ok)
		return 0;
	r = row_of(c, key, &err);
	if (!r) {
		c->dropped += !err;
		return err;
	}
	if (!r->val.hits)
		memcpy(r->val.comm, val.comm, sizeof(val.comm));
	r->val.hits++;
	for (size_t i = 0; i < c->plan.cfg.nsums; i++)
		r->val.sums[i] += val.sums[i];
	return 0;
}

static const char *sym_of(void *data, uint64_t addr, bool offset, char *buf, size_t size)
{
	struct ft_rec_count *c = data;
	const char *f = tep_find_function(c->tep, addr);
	unsigned long long start = tep_find_function_address(c->tep, addr);

	if (!f)
		return NULL;
	if (offset && addr > start)
		snprintf(buf, size, "%s+0x%llx", f, (unsigned long long)addr - start);
	else
		snprintf(buf, size, "%s", f);
	return buf;
}

static const char *event_of(void *data, uint64_t index, char *buf, size_t size)
{
	struct ft_rec_count *c = data;

	if (index >= c->nfmts)
		return NULL;
	snprintf(buf, size, "%s:%s", c->fmts[index]->system, c->fmts[index]->name);
	return buf;
}

/**
 * ft_rec_count_hist() - the histogram counted so far
 * @c: the counter
 * @out: set to the histogram (backend "bpf": counted as the BPF backend counts), to free
 *       with ft_hist_free()
 *
 * Return: 0 or -ENOMEM.
 */
int ft_rec_count_hist(struct ft_rec_count *c, struct ft_hist **out)
{
	struct ft_bpf_resolver res = { .sym = sym_of, .event = event_of, .data = c };
	struct ft_bpf_row *rows = calloc(c->nrows ? c->nrows : 1, sizeof(*rows));
	uint64_t hits = c->dropped;
	int ret;

	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < c->nrows; i++) {
		rows[i] = (struct ft_bpf_row){ .key = c->rows[i].key, .val = c->rows[i].val };
		hits += c->rows[i].val.hits;
	}
	ret = ft_bpf_hist_build(&c->plan, rows, c->nrows, hits, c->dropped, &res, out);
	free(rows);
	return ret;
}
