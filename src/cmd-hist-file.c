// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig hist diff and hist stats: the verbs that read dumps (ftrig's JSON or a kernel hist
 * file), and for stats a live event too. What they compute is in src/hist/analyze.h; this
 * file picks the hist, says what is wrong, and prints.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-hist.h"
#include "hist/analyze.h"
#include "hist/cols.h"
#include "hist/export-json.h"
#include "hist/load.h"
#include "json.h"
#include "log.h"
#include "tfs.h"
#include "util.h"

/* A file given to diff or stats: a JSON dump or a kernel hist file. */
static int load_file(const char *path, struct ft_hist ***v, size_t *n)
{
	char err[256];
	size_t len;
	struct stat st;
	char *text;
	int ret;

	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		ft_err("%s is a directory; give a dump file ('ftrig hist dump') or a kernel hist "
		       "file",
		       path);
		return -EISDIR;
	}
	text = ft_read_file(path, &len);
	if (!text) {
		ft_err("cannot read %s: %s", path, strerror(errno));
		return -errno;
	}
	ret = ft_hist_load(text, len, v, n, err, sizeof(err));
	free(text);
	if (ret == -EINVAL)
		ft_err("%s: %s", path, err);
	else if (ret)
		ft_err("%s: %s", path, strerror(-ret));
	else if (!*n)
		ft_err("%s holds no histogram", path);
	for (size_t i = 0; !ret && i < *n; i++)
		if (!*(*v)[i]->event)
			(*v)[i]->event = ft_hist_strdup((*v)[i], path);
	return ret ? ret : *n ? 0 : -ENOENT;
}

/* The hist of @v to use: the one named @name, or the first (saying so when there are more). */
static struct ft_hist *choose(struct ft_hist **v, size_t n, const char *name, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (!name || !strcmp(v[i]->name, name)) {
			if (!name && n > 1)
				ft_warn("%s holds %zu hists; using the first ('%s'); --name picks "
					"another",
					what, n, v[i]->trigger);
			return v[i];
		}
	ft_err("%s has no hist named '%s'", what, name);
	return NULL;
}

static void diff_print(const char *pa, const char *pb, const struct ft_hist *a,
		       const struct ft_hist *b, const struct ft_hist_diff *d, const char *val,
		       long top)
{
	char key[1024];

	double dt = (double)(b->taken.tv_sec - a->taken.tv_sec) +
		    (double)(b->taken.tv_nsec - a->taken.tv_nsec) / 1e9;

	/* Dumps of kernel text carry no time: the interval is shown when both have one. */
	if (a->taken.tv_sec && b->taken.tv_sec)
		printf("%s  %s  (%s -> %s, %.3f s apart)\n", b->event, val, pa, pb, dt);
	else
		printf("%s  %s  (%s -> %s)\n", b->event, val, pa, pb);
	printf("%12s %12s %12s  %s\n", "delta", "before", "after", "key");
	for (size_t i = 0; i < d->n && (top <= 0 || (long)i < top); i++) {
		const struct ft_hist_change *c = &d->v[i];
		const struct ft_hist *h = c->b ? b : a;
		int va = ft_hist_val_lookup(a, val), vb = ft_hist_val_lookup(b, val);

		ft_hist_key_text(h, c->b ? c->b : c->a, key, sizeof(key));
		printf("%+12" PRId64 " %12" PRIu64 " %12" PRIu64 "  %s%s\n", c->delta,
		       c->a ? c->a->vals[va] : 0, c->b ? c->b->vals[vb] : 0, key,
		       !c->a   ? "  (new)"
		       : !c->b ? "  (gone)"
			       : "");
	}
	printf("%zu changed, %zu appeared, %zu disappeared, %zu unchanged; hits %" PRIu64
	       " -> %" PRIu64 "\n",
	       d->n - d->appeared - d->disappeared, d->appeared, d->disappeared, d->unchanged,
	       a->hits, b->hits);
}

/* One side of a diff in JSON: the file, its hits and when it was taken (null: kernel text). */
static void diff_side_json(struct ft_json *j, const char *key, const char *path,
			   const struct ft_hist *h)
{
	ft_json_begin_obj(j, key);
	ft_json_str(j, "file", path);
	ft_json_uint(j, "hits", h->hits);
	if (h->taken.tv_sec)
		ft_json_double(j, "taken",
			       (double)h->taken.tv_sec + (double)h->taken.tv_nsec / 1e9);
	else
		ft_json_null(j, "taken");
	ft_json_end(j, '}');
}

/*
 * `hist diff --json`: one object, the schema in man ftrig-hist (JSON OF REPORTS): the changes
 * in diff_print()'s order, each key as a dump writes it (numbers as numbers).
 */
static void diff_json(const char *pa, const char *pb, const struct ft_hist *a,
		      const struct ft_hist *b, const struct ft_hist_diff *d, const char *val,
		      long top)
{
	int va = ft_hist_val_lookup(a, val), vb = ft_hist_val_lookup(b, val);
	struct ft_json j;

	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_str(&j, "format", "ftrig-hist-diff");
	ft_json_int(&j, "version", FT_REPORT_JSON_VERSION);
	ft_json_str(&j, "event", b->event);
	ft_json_str(&j, "value", val);
	diff_side_json(&j, "before", pa, a);
	diff_side_json(&j, "after", pb, b);
	ft_json_begin_arr(&j, "changes");
	for (size_t i = 0; i < d->n && (top <= 0 || (long)i < top); i++) {
		const struct ft_hist_change *c = &d->v[i];
		const struct ft_hist *h = c->b ? b : a;
		const struct ft_hist_entry *e = c->b ? c->b : c->a;

		ft_json_begin_obj(&j, NULL);
		ft_json_begin_arr(&j, "key");
		for (size_t k = 0; k < h->nkeys; k++)
			ft_hist_json_key(&j, NULL, &h->keys[k], &e->keys[k]);
		ft_json_end(&j, ']');
		ft_json_int(&j, "delta", c->delta);
		ft_json_uint(&j, "before", c->a ? c->a->vals[va] : 0);
		ft_json_uint(&j, "after", c->b ? c->b->vals[vb] : 0);
		ft_json_str(&j, "state", !c->a ? "new" : !c->b ? "gone" : "changed");
		ft_json_end(&j, '}');
	}
	ft_json_end(&j, ']');
	ft_json_uint(&j, "changed", d->n - d->appeared - d->disappeared);
	ft_json_uint(&j, "appeared", d->appeared);
	ft_json_uint(&j, "disappeared", d->disappeared);
	ft_json_uint(&j, "unchanged", d->unchanged);
	ft_json_end(&j, '}');
}

static int diff_files(const char *pa, const char *pb, const char *name, const char *val, long top,
		      bool json)
{
	struct ft_hist **va = NULL, **vb = NULL, *a, *b;
	size_t na = 0, nb = 0;
	struct ft_hist_diff d;
	int ret = load_file(pa, &va, &na);

	if (!ret)
		ret = load_file(pb, &vb, &nb);
	a = ret ? NULL : choose(va, na, name, pa);
	b = a ? choose(vb, nb, name, pb) : NULL;
	if (!b)
		ret = -ENOENT;
	else if ((ret = ft_hist_diff(a, b, val, &d)) == -EINVAL)
		ft_err("%s and %s have different keys; diff compares snapshots of one hist", pa,
		       pb);
	else if (ret == -ENOENT)
		ft_err("no value '%s' in both hists", val ? val : "hitcount");
	if (!ret) {
		const char *v = val ? val : a->vals[ft_hist_weight_col(a)].name;

		if (json)
			diff_json(pa, pb, a, b, &d, v, top);
		else
			diff_print(pa, pb, a, b, &d, v, top);
		ft_hist_diff_release(&d);
	}
	ft_hist_free_all(va, na);
	ft_hist_free_all(vb, nb);
	return ret;
}

/**
 * ft_cmd_hist_diff() - `hist diff A B`: per-key changes between two dumps of one hist
 * @cmd: the hist command's row
 * @argc: argument count
 * @argv: arguments; argv[0] is "diff"
 *
 * Return: an FT_EXIT_* status.
 */
int ft_cmd_hist_diff(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "top", required_argument, NULL, 't' },
		{ "value", required_argument, NULL, 'v' },
		{ "name", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *val = NULL;
	bool json = false;
	int c, bad = 0;
	long top = 0;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		if (c == 't' && (top = strtol(optarg, NULL, 10)) <= 0)
			return ft_usage_error(cmd, "--top needs a positive number");
		if (c == 'v')
			val = optarg;
		if (c == 'n')
			name = optarg;
		if (c == 'j')
			json = true;
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (argc - optind != 2)
		return ft_usage_error(cmd,
				      "diff compares two dumps: 'ftrig hist diff a.json b.json'");
	return diff_files(argv[optind], argv[optind + 1], name, val, top, json) ? FT_EXIT_ERR
										: FT_EXIT_OK;
}

/* The first key column stats can summarise. */
static int numeric_key(const struct ft_hist *h)
{
	for (size_t i = 0; i < h->nkeys; i++) {
		enum ft_key_kind k = h->keys[i].kind;

		if (k == FT_KEY_NUM || k == FT_KEY_HEX || k == FT_KEY_LOG2 || k == FT_KEY_BUCKET)
			return (int)i;
	}
	return -ENOENT;
}

/*
 * The key stats would use in @h: --key's (FIELD, or FIELD.MOD as the candidates are listed),
 * or the first numeric one; -ENOENT when none.
 */
static int stats_key(const struct ft_hist *h, const char *keyname)
{
	const char *dot = keyname ? strchr(keyname, '.') : NULL;

	if (!keyname)
		return numeric_key(h);
	if (!dot)
		return ft_hist_key_lookup(h, keyname);
	for (size_t i = 0; i < h->nkeys; i++)
		if (strlen(h->keys[i].name) == (size_t)(dot - keyname) &&
		    !strncmp(h->keys[i].name, keyname, (size_t)(dot - keyname)) &&
		    !strcmp(h->keys[i].modifier, dot + 1))
			return (int)i;
	return -ENOENT;
}

/* A value of the column as it holds it: signed or not, exactly. */
static void stat_int(char *buf, size_t size, const struct ft_hist_stats *s, uint64_t v)
{
	if (s->is_signed)
		snprintf(buf, size, "%" PRId64, (int64_t)v);
	else
		snprintf(buf, size, "%" PRIu64, v);
}

/* A mean or an estimate: two decimals while they mean something, then 7 significant digits. */
static void stat_real(char *buf, size_t size, double v)
{
	snprintf(buf, size, fabs(v) < 1e13 ? "%.2f" : "%.7g", v);
}

static void stats_json(const struct ft_hist *h, int key, int val, const struct ft_hist_stats *s,
		       const char *unit)
{
	static const char *const lbl[] = { "p50", "p90", "p99", "p99.9" };
	const double p[] = { s->p50, s->p90, s->p99, s->p999 };
	struct ft_json j;

	ft_json_init(&j, stdout, false);
	ft_json_begin_obj(&j, NULL);
	ft_json_str(&j, "event", h->event);
	ft_json_str(&j, "key", h->keys[key].name);
	if (unit)
		ft_json_str(&j, "unit", unit);
	else
		ft_json_null(&j, "unit");
	ft_json_str(&j, "weight", h->vals[val].name);
	ft_json_str(&j, "method", s->exact ? "exact" : "interpolated");
	ft_json_uint(&j, "count", s->count);
	if (s->is_signed) {
		ft_json_int(&j, "min", (int64_t)s->min);
		ft_json_int(&j, "max", (int64_t)s->max);
	} else {
		ft_json_uint(&j, "min", s->min);
		ft_json_uint(&j, "max", s->max);
	}
	ft_json_double(&j, "mean", s->mean);
	for (size_t i = 0; i < FT_HIST_NPCT; i++) {
		if (!s->exact)
			ft_json_double(&j, lbl[i], p[i]);
		else if (s->is_signed)
			ft_json_int(&j, lbl[i], (int64_t)s->exact_p[i]);
		else
			ft_json_uint(&j, lbl[i], s->exact_p[i]);
	}
	ft_json_end(&j, '}');
}

static void stats_print(const struct ft_hist *h, int key, int val, const struct ft_hist_stats *s,
			bool json)
{
	static const char *const lbl[] = { "p50", "p90", "p99", "p99.9" };
	const double p[] = { s->p50, s->p90, s->p99, s->p999 };
	const char *how = s->exact ? "exact (nearest rank)"
				   : "estimated: linear interpolation inside buckets";
	const char *unit = ft_hist_key_unit(h, (size_t)key);
	char num[64];

	if (json) {
		stats_json(h, key, val, s, unit);
		return;
	}
	printf("%s  key %s%s%s%s%s%s, weighted by %s; percentiles %s\n", h->event,
	       h->keys[key].name, *h->keys[key].modifier ? "." : "", h->keys[key].modifier,
	       unit ? " (in " : "", unit ? unit : "", unit ? ")" : "", h->vals[val].name, how);
	printf("%-6s %" PRIu64 "\n", "count", s->count);
	stat_int(num, sizeof(num), s, s->min);
	printf("%-6s %s%s%s\n", "min", num, unit ? " " : "", unit ? unit : "");
	stat_int(num, sizeof(num), s, s->max);
	printf("%-6s %s%s%s\n", "max", num, unit ? " " : "", unit ? unit : "");
	stat_real(num, sizeof(num), s->mean);
	printf("%-6s %s%s%s\n", "mean", num, unit ? " " : "", unit ? unit : "");
	for (size_t i = 0; i < FT_HIST_NPCT; i++) {
		if (s->exact)
			stat_int(num, sizeof(num), s, s->exact_p[i]);
		else
			stat_real(num, sizeof(num), p[i]);
		printf("%-6s %s%s%s\n", lbl[i], num, unit ? " " : "", unit ? unit : "");
	}
}

/* stats on one hist: which key and weight, then the numbers. */
static int stats_one(const struct ft_hist *h, const char *keyname, const char *valname, bool json)
{
	int key = stats_key(h, keyname);
	int val = valname ? ft_hist_val_lookup(h, valname) : ft_hist_weight_col(h);
	struct ft_hist_stats s;
	int ret;

	if (key < 0 || val < 0) {
		ft_err("%s: no %s '%s' in %s", h->event, key < 0 ? "key" : "value",
		       key < 0	 ? (keyname ? keyname : "(numeric)")
		       : valname ? valname
				 : "hitcount",
		       h->trigger);
		return -ENOENT;
	}
	ret = ft_hist_stats(h, (size_t)key, (size_t)val, &s);
	if (ret == -EINVAL)
		ft_err("key '%s' is a %s: stats need a number, .hex, .log2 or .buckets key, "
		       "weighted by a plain value",
		       h->keys[key].name, ft_key_type_name(h->keys[key].kind));
	else if (ret == -ENODATA)
		ft_err("%s: the hist is empty (total %s is 0)", h->event, h->vals[val].name);
	else if (ret == -EOVERFLOW)
		ft_err("%s: the total %s exceeds 2^64-1; no kernel hist counts that far", h->event,
		       h->vals[val].name);
	if (!ret)
		stats_print(h, key, val, &s, json);
	return ret;
}

/* "keys=call_site.sym" of a hist, or its name: how to tell the user which one it is. */
static const char *hist_label(const struct ft_hist *h, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s%s%s", *h->name ? "name=" : "", h->name,
				    *h->name ? " " : "");

	for (size_t i = 0; i < h->nkeys && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s",
				      i ? "," : "keys=", h->keys[i].name,
				      *h->keys[i].modifier ? "." : "", h->keys[i].modifier);
	return buf;
}

/*
 * The hist of @v that stats summarise: the one named, else the only one with the key asked
 * for (or with a numeric key). Several candidates are listed and the user picks; a stack or
 * string hist is told apart from a typo.
 */
static struct ft_hist *stats_choose(struct ft_hist **v, size_t n, const char *name,
				    const char *keyname, const char *what)
{
	struct ft_hist *first = NULL;
	char list[1024], lbl[256];
	size_t nc = 0, len = 0;
	bool stack = false;

	if (name)
		return choose(v, n, name, what);
	list[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		stack |= v[i]->nkeys && v[i]->keys[v[i]->nkeys - 1].kind == FT_KEY_STACK;
		if (stats_key(v[i], keyname) < 0)
			continue;
		first = first ? first : v[i];
		nc++;
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "\n  %s",
						hist_label(v[i], lbl, sizeof(lbl)));
	}
	if (nc == 1 || (nc > 1 && keyname && !*first->name))
		return first; /* unnamed hists on one key: nothing tells them apart */
	if (nc > 1) {
		ft_err("%s holds %zu hists stats can summarise; pick one with %s:%s", what, nc,
		       *first->name ? "--name N" : "--key F", list);
		return NULL;
	}
	if (keyname)
		ft_err("no hist in %s has a key '%s'", what, keyname);
	else if (stack)
		ft_err("%s holds a stacktrace hist: stats summarise a numeric key (a number, .hex, "
		       ".log2 or .buckets); show its stacks with 'ftrig hist dump --format folded'",
		       what);
	else
		ft_err("no hist in %s has a numeric key (a number, .hex, .log2 or .buckets) for "
		       "stats to summarise",
		       what);
	return NULL;
}

static int stats_source(const char *arg, const struct ft_hist_where *w, struct ft_hist ***v,
			size_t *n)
{
	struct ft_histsvc svc;
	struct stat st;
	struct ft_tfs *t;
	int ret;

	if (!stat(arg, &st) || !strpbrk(arg, ":"))
		return load_file(arg, v, n);
	if (ft_tfs_open(&t))
		return -EIO;
	ft_histsvc_init(&svc, t, NULL, NULL);
	ret = ft_histsvc_collect(&svc, w, v, n);
	ft_tfs_close(t);
	return ret;
}

/**
 * ft_cmd_hist_stats() - `hist stats FILE|EVENT`: the distribution of a numeric key
 * @cmd: the hist command's row
 * @argc: argument count
 * @argv: arguments; argv[0] is "stats"
 *
 * Return: an FT_EXIT_* status.
 */
int ft_cmd_hist_stats(const struct ft_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "value", required_argument, NULL, 'v' },
		{ "name", required_argument, NULL, 'n' },
		{ "instance", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key = NULL, *val = NULL;
	struct ft_hist_where w = { .instance = NULL };
	struct ft_hist **v = NULL, *h;
	int c, bad = 0, ret;
	bool json = false;
	size_t n = 0;

	while ((c = ft_getopt(cmd, argc, argv, opts, &bad)) != -1) {
		key = c == 'k' ? optarg : key;
		val = c == 'v' ? optarg : val;
		w.name = c == 'n' ? optarg : w.name;
		w.instance = c == 'i' ? optarg : w.instance;
		json |= c == 'j';
	}
	if (bad)
		return FT_EXIT_USAGE;
	if (argc - optind != 1)
		return ft_usage_error(cmd, "stats takes one dump file or event");
	if (strchr(argv[optind], ':') && access(argv[optind], F_OK) &&
	    ft_hist_where_parse(cmd, argv[optind], &w))
		return FT_EXIT_USAGE;
	ret = stats_source(argv[optind], &w, &v, &n);
	h = ret ? NULL : stats_choose(v, n, w.name, key, argv[optind]);
	ret = h ? stats_one(h, key, val, json) : -ENOENT;
	ft_hist_free_all(v, n);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
