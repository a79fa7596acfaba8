// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dumps of struct ft_hist: JSON (the schema in man/ftrig-hist.1), CSV, folded stacks and the
 * kernel's own text layout. They only write to the stream they are given.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "hist/export.h"
#include "json.h"
#include "util.h"

static const char *const key_types[] = {
	[FT_KEY_NUM] = "number", [FT_KEY_HEX] = "hex",		 [FT_KEY_SYM] = "symbol",
	[FT_KEY_STR] = "string", [FT_KEY_EXECNAME] = "execname", [FT_KEY_SYSCALL] = "syscall",
	[FT_KEY_LOG2] = "log2",	 [FT_KEY_BUCKET] = "bucket",	 [FT_KEY_STACK] = "stack",
};

static const char *const formats[] = {
	[FT_HIST_FMT_JSON] = "json",
	[FT_HIST_FMT_CSV] = "csv",
	[FT_HIST_FMT_FOLDED] = "folded",
	[FT_HIST_FMT_TEXT] = "text",
};

/**
 * ft_hist_format_lookup() - a dump format by name
 * @name: "json", "csv", "folded" or "text"
 *
 * Return: the enum ft_hist_format, or -EINVAL.
 */
int ft_hist_format_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i], name))
			return (int)i;
	return -EINVAL;
}

/**
 * ft_hist_format_ext() - the file name extension of a dump format
 * @fmt: the format
 *
 * Return: "json", "csv", "folded" or "txt".
 */
const char *ft_hist_format_ext(enum ft_hist_format fmt)
{
	return fmt == FT_HIST_FMT_TEXT ? "txt" : formats[fmt];
}

/**
 * ft_key_type_name() - the JSON name of a key kind
 * @kind: the kind
 *
 * Return: "number", "hex", "symbol", "string", "execname", "syscall", "log2", "bucket", "stack".
 */
const char *ft_key_type_name(enum ft_key_kind kind)
{
	return (unsigned)kind < sizeof(key_types) / sizeof(key_types[0]) ? key_types[kind] : "?";
}

/**
 * ft_key_type_lookup() - a key kind by its JSON name
 * @name: as ft_key_type_name() gives it
 *
 * Return: the enum ft_key_kind, or -EINVAL.
 */
int ft_key_type_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++)
		if (!strcmp(key_types[i], name))
			return (int)i;
	return -EINVAL;
}

/**
 * ft_hist_val_lookup() - a value column by name
 * @h: the hist
 * @name: "hitcount" or a field
 *
 * Return: its index, or -ENOENT.
 */
int ft_hist_val_lookup(const struct ft_hist *h, const char *name)
{
	for (size_t i = 0; i < h->nvals; i++)
		if (!strcmp(h->vals[i].name, name))
			return (int)i;
	return -ENOENT;
}

/**
 * ft_hist_key_lookup() - a key column by name
 * @h: the hist
 * @name: the field ("common_pid", "stacktrace")
 *
 * Return: its index, or -ENOENT.
 */
int ft_hist_key_lookup(const struct ft_hist *h, const char *name)
{
	for (size_t i = 0; i < h->nkeys; i++)
		if (!strcmp(h->keys[i].name, name))
			return (int)i;
	return -ENOENT;
}

/**
 * ft_hist_weight_col() - the value column that counts events: hitcount, else the first
 *                        value the hist shows as a plain number
 * @h: the hist
 *
 * Return: its index, or -ENOENT.
 */
int ft_hist_weight_col(const struct ft_hist *h)
{
	int i = ft_hist_val_lookup(h, "hitcount");

	if (i >= 0 && h->vals[i].shown)
		return i;
	for (size_t j = 0; j < h->nvals; j++)
		if (h->vals[j].shown && strcmp(h->vals[j].modifier, "percent") &&
		    strcmp(h->vals[j].modifier, "graph"))
			return (int)j;
	return -ENOENT;
}

/**
 * ft_key_format() - one key part as a short text ("sh [105]", "sys_read", "2^6", "0-63")
 * @col: its column
 * @k: the key part
 * @buf: where to write
 * @size: its size
 *
 * Stack frames are joined by ';', innermost first.
 *
 * Return: the length the full text has (snprintf style).
 */
size_t ft_key_format(const struct ft_hist_col *col, const struct ft_key *k, char *buf, size_t size)
{
	size_t n = 0;
	int r = 0;

	switch (k->kind) {
	case FT_KEY_NUM:
		/* The live view formats every key of every refresh: no printf for the common case. */
		if (col->is_signed && (int64_t)k->num < 0)
			r = snprintf(buf, size, "%" PRId64, (int64_t)k->num);
		else
			return ft_fmt_u64(buf, size, k->num, 0);
		break;
	case FT_KEY_HEX:
		r = snprintf(buf, size, "0x%" PRIx64, k->num);
		break;
	case FT_KEY_SYM:
		r = k->str && *k->str ? snprintf(buf, size, "%s", k->str)
				      : snprintf(buf, size, "0x%" PRIx64, k->num);
		break;
	case FT_KEY_STR:
		r = snprintf(buf, size, "%s", k->str ? k->str : "");
		break;
	case FT_KEY_EXECNAME:
		r = snprintf(buf, size, "%s [%" PRIu64 "]", k->str ? k->str : "", k->num);
		break;
	case FT_KEY_SYSCALL:
		r = k->str ? snprintf(buf, size, "%s", k->str)
			   : snprintf(buf, size, "syscall_%" PRIu64, k->num);
		break;
	case FT_KEY_LOG2:
	case FT_KEY_BUCKET:
		r = snprintf(buf, size, "%" PRIu64 "-%" PRIu64, k->lo, k->hi ? k->hi - 1 : 0);
		break;
	case FT_KEY_STACK:
		if (size)
			buf[0] = '\0';
		for (size_t i = 0; i < k->nframes; i++) {
			r = snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, "%s%s",
				     i ? ";" : "", k->frames[i]);
			n += (size_t)r;
		}
		return n;
	}
	return r < 0 ? 0 : (size_t)r;
}

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

static void json_actions(struct ft_json *j, const struct ft_hist_entry *e)
{
	ft_json_begin_arr(j, "actions");
	for (size_t a = 0; a < e->nactions; a++) {
		const struct ft_hist_action *ac = &e->actions[a];

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
		if (e->nactions)
			json_actions(j, e);
		ft_json_end(j, '}');
	}
	ft_json_end(j, ']');
	ft_json_begin_obj(j, "totals");
	ft_json_uint(j, "hits", h->hits);
	ft_json_uint(j, "entries", h->nentries_total);
	ft_json_uint(j, "dropped", h->dropped);
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

/* A CSV field, quoted when it holds a separator, a quote, a line break or edge spaces. */
static void csv_field(FILE *f, const char *s, bool first)
{
	size_t n = strlen(s);

	if (!first)
		fputc(',', f);
	if (!strpbrk(s, ",\"\n\r") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_header(FILE *f, const struct ft_hist *h)
{
	static const char *const second[] = {
		[FT_KEY_SYM] = "sym", [FT_KEY_EXECNAME] = "comm", [FT_KEY_SYSCALL] = "name"
	};
	char buf[256];
	bool first = true;

	for (size_t i = 0; i < h->nkeys; i++) {
		const struct ft_hist_col *c = &h->keys[i];
		const char *unit = ft_hist_key_unit(h, i);

		/* A time says its unit: lat_lo_us (FIG-8). */
		if (c->kind == FT_KEY_LOG2 || c->kind == FT_KEY_BUCKET) {
			snprintf(buf, sizeof(buf), "%s_lo%s%s", c->name, unit ? "_" : "",
				 unit ? unit : "");
			csv_field(f, buf, first);
			snprintf(buf, sizeof(buf), "%s_hi%s%s", c->name, unit ? "_" : "",
				 unit ? unit : "");
			csv_field(f, buf, false);
		} else {
			snprintf(buf, sizeof(buf), "%s%s%s", c->name, unit ? "_" : "",
				 unit ? unit : "");
			csv_field(f, buf, first);
		}
		first = false;
		if (c->kind < sizeof(second) / sizeof(second[0]) && second[c->kind]) {
			snprintf(buf, sizeof(buf), "%s_%s", c->name, second[c->kind]);
			csv_field(f, buf, false);
		}
	}
	for (size_t i = 0; i < h->nvals; i++) {
		const char *m = h->vals[i].modifier;

		snprintf(buf, sizeof(buf), "%s%s%s", h->vals[i].name,
			 !strcmp(m, "percent") || !strcmp(m, "graph") ? "_" : "",
			 !strcmp(m, "percent") || !strcmp(m, "graph") ? m : "");
		csv_field(f, buf, first);
		first = false;
	}
	fputc('\n', f);
}

static void csv_key(FILE *f, const struct ft_hist_col *c, const struct ft_key *k, bool first)
{
	char buf[4096];

	switch (k->kind) {
	case FT_KEY_LOG2:
	case FT_KEY_BUCKET:
		snprintf(buf, sizeof(buf), "%" PRIu64, k->lo);
		csv_field(f, buf, first);
		snprintf(buf, sizeof(buf), "%" PRIu64, k->hi);
		csv_field(f, buf, false);
		return;
	case FT_KEY_SYM:
	case FT_KEY_EXECNAME:
	case FT_KEY_SYSCALL:
		snprintf(buf, sizeof(buf), k->kind == FT_KEY_SYM ? "0x%" PRIx64 : "%" PRIu64,
			 k->num);
		csv_field(f, buf, first);
		csv_field(f, k->str ? k->str : "", false);
		return;
	default:
		ft_key_format(c, k, buf, sizeof(buf));
		csv_field(f, buf, first);
	}
}

static void val_text(const struct ft_hist_col *c, uint64_t v, char *buf, size_t size)
{
	if (!strcmp(c->modifier, "percent"))
		snprintf(buf, size, "%" PRIu64 ".%02" PRIu64, v / 100, v % 100);
	else
		snprintf(buf, size, "%" PRIu64, v);
}

/**
 * ft_hist_write_csv() - write a hist as CSV: a header row, then one row per entry
 * @f: the stream
 * @h: the hist
 *
 * Columns per key: NAME (number, hex as 0x..., string, symbol, stack frames joined by ';'
 * innermost first), NAME and NAME_sym / NAME_comm / NAME_name for symbol, execname and syscall
 * keys, NAME_lo and NAME_hi (hi exclusive) for log2 and linear buckets; then one per value
 * (NAME_percent as 12.34, NAME_graph as the bar length).
 */
void ft_hist_write_csv(FILE *f, const struct ft_hist *h)
{
	char buf[64];

	csv_header(f, h);
	for (size_t i = 0; i < h->nentries; i++) {
		const struct ft_hist_entry *e = &h->entries[i];

		for (size_t k = 0; k < h->nkeys; k++)
			csv_key(f, &h->keys[k], &e->keys[k], k == 0);
		for (size_t v = 0; v < h->nvals; v++) {
			val_text(&h->vals[v], e->vals[v], buf, sizeof(buf));
			csv_field(f, buf, !h->nkeys && !v);
		}
		fputc('\n', f);
	}
}

/* A frame for folded output: no "+0x1f/0x80" offset, no ';' (the frame separator). */
static void folded_frame(FILE *f, const char *s, size_t n)
{
	const char *plus = memchr(s, '+', n);

	if (plus && plus + 2 < s + n && plus[1] == '0' && plus[2] == 'x')
		n = (size_t)(plus - s);
	for (size_t i = 0; i < n; i++)
		fputc(s[i] == ';' ? ',' : s[i], f);
}

/**
 * ft_stack_frame_machinery() - whether a leading kernel frame is the tracing machinery's
 * @frame: the frame as symbolised ("__traceiter_sched_switch+0x41/0x60"), innermost first
 * @after_handler: a kprobe's ftrace handler came before it
 *
 * The tracepoint's iterator, the BPF and perf glue, a kprobe's ftrace handler and the
 * trampoline after it (not in kallsyms: a bare address), not the traced code. A hist
 * trigger's stacks start past the first ones (HIST_STACKTRACE_SKIP), so BPF's skip them too
 * (FIG-4, FIG-5); on kprobe events the hist trigger keeps the handler and the trampoline,
 * which BPF's stacks (taken from the probe's registers) never have.
 *
 * Return: true for a frame to leave out while it leads the stack.
 */
bool ft_stack_frame_machinery(const char *frame, bool after_handler)
{
	static const char *const prefixes[] = {
		"__traceiter_",		 "__bpf_trace_",
		"perf_trace_",		 "trace_event_raw_event_",
		"bpf_trace_run",	 "trace_call_bpf",
		"kprobe_perf_func",	 "kretprobe_perf_func",
		"kprobe_dispatcher",	 "kretprobe_dispatcher",
		"kprobe_ftrace_handler", "uprobe_perf_func",
		"uprobe_dispatcher",	 "perf_trace_run_bpf_submit",
	};

	if (after_handler && !strncmp(frame, "0x", 2))
		return true;
	for (size_t i = 0; i < FT_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(frame, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* An entry's key parts as folded frames (no weight, no newline). */
static void folded_key(FILE *f, const struct ft_hist *h, const struct ft_hist_entry *e)
{
	char buf[512];
	bool first = true;

	for (size_t k = 0; k < h->nkeys; k++) {
		const struct ft_key *key = &e->keys[k];

		if (key->kind != FT_KEY_STACK) {
			size_t n = ft_key_format(&h->keys[k], key, buf, sizeof(buf));

			if (!first)
				fputc(';', f);
			folded_frame(f, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
			first = false;
			continue;
		}
		/* The flame graph of the traced code: a kprobe's handler and trampoline, which
		 * the hist trigger's stacks begin with, are left out (BPF's have none). */
		size_t skip = 0;
		bool handler = false;

		while (skip + 1 < key->nframes &&
		       ft_stack_frame_machinery(key->frames[skip], handler))
			handler |= !strncmp(key->frames[skip++], "kprobe_ftrace_handler", 21);
		for (size_t fr = key->nframes; fr-- > skip; first = false) {
			if (!first)
				fputc(';', f);
			folded_frame(f, key->frames[fr], strlen(key->frames[fr]));
		}
	}
}

/* One folded line: its frames, its weight, where its first entry was. */
struct folded {
	char *line;
	uint64_t weight;
	size_t at;
};

static int by_line(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;
	int c = strcmp(x->line, y->line);

	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

static int by_at(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* The entries' folded lines, equal ones merged (their weights summed), in the order of their
 * first entries. Return: how many, or -ENOMEM. */
static ssize_t folded_lines(const struct ft_hist *h, size_t val, struct folded **out)
{
	struct folded *v = calloc(h->nentries + 1, sizeof(*v));
	size_t n = 0, m = 0, len;
	bool failed = !v;
	FILE *ms;

	for (size_t i = 0; !failed && i < h->nentries; i++) {
		if (!h->entries[i].vals[val])
			continue;
		ms = open_memstream(&v[n].line, &len);
		if (ms)
			folded_key(ms, h, &h->entries[i]);
		failed = !ms || fclose(ms) || !v[n].line;
		v[n].weight = h->entries[i].vals[val];
		v[n++].at = i;
	}
	if (failed) {
		for (size_t i = 0; v && i < n; i++)
			free(v[i].line);
		free(v);
		return -ENOMEM;
	}
	qsort(v, n, sizeof(*v), by_line);
	for (size_t i = 0; i < n; i++) {
		if (m && !strcmp(v[m - 1].line, v[i].line)) {
			v[m - 1].weight += v[i].weight;
			free(v[i].line);
			continue;
		}
		v[m++] = v[i];
	}
	qsort(v, m, sizeof(*v), by_at);
	*out = v;
	return (ssize_t)m;
}

/**
 * ft_hist_write_folded() - write a hist as folded stacks for flame-graph tools
 * @f: the stream
 * @h: the hist
 * @val: the value column that weighs each line (ft_hist_weight_col() gives the usual one)
 *
 * One line per distinct stack with a non-zero weight: the key parts as frames, in column
 * order, a stack key's frames outermost first without their +offset/size, joined by ';', then
 * a space and the weight. Entries whose lines are the same once offsets are dropped are one
 * line, their weights summed (FIG-4, #16).
 */
void ft_hist_write_folded(FILE *f, const struct ft_hist *h, size_t val)
{
	struct folded *v = NULL;
	ssize_t n = val < h->nvals ? folded_lines(h, val, &v) : 0;

	if (n < 0) {
		/* no memory to merge: one line per entry */
		for (size_t i = 0; i < h->nentries; i++) {
			if (!h->entries[i].vals[val])
				continue;
			folded_key(f, h, &h->entries[i]);
			fprintf(f, " %" PRIu64 "\n", h->entries[i].vals[val]);
		}
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		fprintf(f, "%s %" PRIu64 "\n", v[i].line, v[i].weight);
		free(v[i].line);
	}
	free(v);
}

/* One key part the way the kernel prints it (trace_events_hist.c, hist_trigger_print_key). */
static bool text_key(FILE *f, const struct ft_hist_col *c, const struct ft_key *k)
{
	switch (k->kind) {
	case FT_KEY_HEX:
		fprintf(f, "%s: %" PRIx64, c->name, k->num);
		break;
	case FT_KEY_SYM:
		fprintf(f, "%s: [%" PRIx64 "] %-*s", c->name, k->num,
			strcmp(c->modifier, "sym-offset") ? 45 : 55, k->str ? k->str : "");
		break;
	case FT_KEY_EXECNAME:
		fprintf(f, "%s: %-16s[%10" PRIu64 "]", c->name, k->str ? k->str : "", k->num);
		break;
	case FT_KEY_SYSCALL:
		fprintf(f, "%s: %-30s[%3" PRIu64 "]", c->name, k->str ? k->str : "unknown_syscall",
			k->num);
		break;
	case FT_KEY_STACK:
		fputs("stacktrace:\n", f);
		for (size_t i = 0; i < k->nframes; i++)
			fprintf(f, "%9s%s\n", "", k->frames[i]);
		return true;
	case FT_KEY_LOG2:
		fprintf(f, "%s: ~ 2^%-2" PRIu64, c->name, k->num);
		break;
	case FT_KEY_BUCKET:
		fprintf(f, "%s: ~ %" PRIu64 "-%" PRIu64, c->name, k->lo, k->hi - 1);
		break;
	case FT_KEY_STR:
		fprintf(f, "%s: %-50s", c->name, k->str ? k->str : "");
		break;
	case FT_KEY_NUM:
		fprintf(f, "%s: %10" PRIu64, c->name, k->num);
		break;
	}
	return false;
}

static void text_val(FILE *f, const struct ft_hist_col *c, uint64_t v)
{
	if (!strcmp(c->modifier, "percent")) {
		fprintf(f, " %s (%%): %3" PRIu64 ".%02" PRIu64, c->name, v / 100, v % 100);
	} else if (!strcmp(c->modifier, "graph")) {
		fprintf(f, " %s: ", c->name);
		for (uint64_t i = 0; i < 20; i++)
			fputc(i < v ? '#' : ' ', f);
	} else {
		fprintf(f, strcmp(c->modifier, "hex") ? " %s: %10" PRIu64 : " %s: %10" PRIx64,
			c->name, v);
	}
}

static void text_actions(FILE *f, const struct ft_hist_entry *e)
{
	for (size_t a = 0; a < e->nactions; a++) {
		const struct ft_hist_action *ac = &e->actions[a];

		fprintf(f, "\n\t%s: %10" PRIu64, ac->handler, ac->value);
		for (size_t s = 0; s < ac->nsaved; s++) {
			const char *v = ac->values[s];
			bool num = *v && strspn(v, "0123456789") == strlen(v);

			fprintf(f, num ? "  %s: %10s" : "  %s: %-32s", ac->names[s], v);
		}
	}
}

static void text_entry(FILE *f, const struct ft_hist *h, const struct ft_hist_entry *e)
{
	bool multiline = false, first = true;

	fputs("{ ", f);
	for (size_t k = 0; k < h->nkeys; k++) {
		if (k)
			fputs(", ", f);
		multiline |= text_key(f, &h->keys[k], &e->keys[k]);
	}
	fputs(multiline ? "}" : " }", f);
	for (size_t v = 0; v < h->nvals; v++) {
		if (!h->vals[v].shown)
			continue;
		if (!first)
			fputc(' ', f);
		text_val(f, &h->vals[v], e->vals[v]);
		first = false;
	}
	text_actions(f, e);
	fputc('\n', f);
}

/**
 * ft_hist_write_text() - write a hist in the layout of the kernel's hist file
 * @f: the stream
 * @h: the hist
 *
 * A hist parsed from a kernel hist file comes out as the kernel printed it (the unit tests
 * check this on every fixture); several hists written one after another make a hist file
 * with several blocks, as the kernel separates them.
 */
void ft_hist_write_text(FILE *f, const struct ft_hist *h)
{
	fprintf(f, "# event histogram\n#\n# trigger info: %s\n", h->trigger);
	/* FIG-8: a line the kernel does not print, only where a key is a time (the parser
	 * skips '#' lines) */
	for (size_t i = 0; i < h->nkeys; i++)
		if (ft_hist_key_unit(h, i))
			fprintf(f, "# unit: %s in %s\n", h->keys[i].name, ft_hist_key_unit(h, i));
	fprintf(f, "#\n\n");
	for (size_t i = 0; i < h->nentries; i++)
		text_entry(f, h, &h->entries[i]);
	fprintf(f,
		"\nTotals:\n    Hits: %" PRIu64 "\n    Entries: %" PRIu64 "\n    Dropped: %" PRIu64
		"\n",
		h->hits, h->nentries_total, h->dropped);
}

/**
 * ft_hist_write() - write hists in a dump format
 * @f: the stream
 * @fmt: the format
 * @v: the hists
 * @n: how many
 *
 * JSON makes one document of all; CSV and text write one block per hist, separated by a blank
 * line (CSV) or as the kernel separates them (text); folded writes every hist's lines, each
 * weighted by its ft_hist_weight_col().
 *
 * Return: 0, or -EIO when the stream reports an error.
 */
int ft_hist_write(FILE *f, enum ft_hist_format fmt, struct ft_hist *const *v, size_t n)
{
	if (fmt == FT_HIST_FMT_JSON)
		ft_hist_write_json(f, v, n, false);
	for (size_t i = 0; fmt != FT_HIST_FMT_JSON && i < n; i++) {
		int w = ft_hist_weight_col(v[i]);

		if (fmt == FT_HIST_FMT_CSV) {
			if (i)
				fputc('\n', f);
			/* Several tables (--backend both) say which is which (FIG-9). */
			if (n > 1)
				fprintf(f, "# %s%s%s backend=%s%s%s trigger=%s\n", v[i]->event,
					*v[i]->instance ? "@" : "", v[i]->instance, v[i]->backend,
					*v[i]->name ? " name=" : "", v[i]->name, v[i]->trigger);
			ft_hist_write_csv(f, v[i]);
		} else if (fmt == FT_HIST_FMT_TEXT) {
			if (i)
				fputs("\n\n", f);
			ft_hist_write_text(f, v[i]);
		} else if (w >= 0) {
			ft_hist_write_folded(f, v[i], (size_t)w);
		}
	}
	return ferror(f) ? -EIO : 0;
}
