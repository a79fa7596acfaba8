// SPDX-License-Identifier: GPL-2.0-only
/* ftrig trigger add|ls|rm: event triggers as persistent, journaled objects. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ftbpf.h"
#include "cmd.h"
#include "dryrun.h"
#include "histsvc/histsvc.h"
#include "json.h"
#include "ledger.h"
#include "log.h"
#include "tfs.h"
#include "triggers/add.h"
#include "triggers/apply.h"
#include "util.h"

/* What ls and rm were asked (add parses its own: ft_trigger_add_parse()). */
struct trig_opts {
	const char *instance;
	bool dry_run, json, all_instances, ours;
};

/* Options after the verb; argv[0] is the verb. Returns the index of the first operand. */
static int parse_opts(const struct ft_cmd *cmd, int argc, char **argv, struct trig_opts *o)
{
	int c, bad = 0;

	optind = 0;
	while ((c = ft_getopt(cmd, argc, argv, ft_trigger_options(), &bad)) != -1) {
		if (c == 'i')
			o->instance = optarg;
		o->dry_run |= c == 'n';
		o->json |= c == 'j';
		o->all_instances |= c == 'A';
		o->ours |= c == 'o';
	}
	return bad ? -1 : optind;
}

/**
 * ft_trig_open_all() - open tracefs and, unless nothing will be written, the persistent ledger
 * @t: set to tracefs
 * @l: set to the persistent ledger, or NULL when @writes is false
 * @writes: the command will write (not a dry run)
 *
 * Return: FT_EXIT_OK, or FT_EXIT_ERR after logging why.
 */
int ft_trig_open_all(struct ft_tfs **t, struct ft_ledger **l, bool writes)
{
	int ret;

	*l = NULL;
	if (ft_tfs_open(t))
		return FT_EXIT_ERR;
	if (writes && ft_tfs_is_readonly(*t)) {
		ft_err("tracefs at %s is mounted read-only; remount it read-write (mount -o "
		       "remount,rw %s)",
		       ft_tfs_dir(*t), ft_tfs_dir(*t));
		ft_tfs_close(*t);
		return FT_EXIT_ERR;
	}
	/* A dry run writes nothing, the journal included. */
	ret = writes ? ft_ledger_open_persistent(l, *t, ft_ledger_state_dir()) : 0;
	if (ret) {
		ft_err("cannot open the ledger in %s: %s", ft_ledger_state_dir(), strerror(-ret));
		ft_tfs_close(*t);
		return FT_EXIT_ERR;
	}
	return FT_EXIT_OK;
}

/**
 * ft_trig_close_all() - close what ft_trig_open_all() opened
 * @t: tracefs
 * @l: the ledger, or NULL
 */
void ft_trig_close_all(struct ft_tfs *t, struct ft_ledger *l)
{
	ft_ledger_close(l);
	ft_tfs_close(t);
}

/* trigger add: the words, then ft_trigger_add_opts_run() into the persistent ledger. */
static int add(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct ft_writes own = { 0 };
	struct ft_trigger_add_opts o;
	struct ft_ledger *l;
	struct ft_tfs *t;
	char why[1024] = "";
	int ret;

	if (ft_trigger_add_parse(argc, argv, &o, why, sizeof(why)))
		return ft_usage_error(cmd, "%s", why);
	if (ft_trig_open_all(&t, &l, !o.dry_run))
		return FT_EXIT_ERR;
	ret = ft_trigger_add_opts_run(t, l, &o, o.dry_run ? &own : NULL, stdout);
	if (!ret && o.dry_run)
		ret = ft_writes_print(&own, stdout);
	ft_writes_release(&own);
	ft_trig_close_all(t, l);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

static const char *owner(const struct ft_listed *e, char *buf, size_t size)
{
	if (!e->ours)
		return "-";
	if (!e->pid)
		return "ftrig";
	snprintf(buf, size, "ftrig:%d", e->pid);
	return buf;
}

static void print_json(const struct ft_listed *v, size_t n)
{
	struct ft_json j;

	ft_json_init(&j, stdout, true);
	ft_json_begin_arr(&j, NULL);
	for (size_t i = 0; i < n; i++) {
		ft_json_begin_obj(&j, NULL);
		ft_json_str(&j, "instance", v[i].instance);
		ft_json_str(&j, "system", v[i].system);
		ft_json_str(&j, "event", v[i].event);
		ft_json_str(&j, "trigger", v[i].text);
		ft_json_bool(&j, "ours", v[i].ours);
		if (v[i].ours) {
			ft_json_int(&j, "session", v[i].pid);
			ft_json_str(&j, "written", v[i].written);
		}
		ft_json_end(&j, '}');
	}
	ft_json_end(&j, ']');
	fputc('\n', stdout);
}

/*
 * Whether the pin directory of aggregation @name is in a journal of this state directory, and
 * whose (SEC-11: pins made through another state directory are not ours to claim).
 */
static bool pin_ours(const struct ft_session_info *s, size_t ns, const char *name, int *pid)
{
	char dir[PATH_MAX];

	if (ft_bpf_pin_dir(name, dir, sizeof(dir)))
		return false;
	for (size_t i = 0; i < ns; i++) {
		for (size_t k = 0; k < s[i].journal.nobjs; k++) {
			const struct ft_obj *o = &s[i].journal.objs[k];

			if (o->kind == FT_OBJ_BPF && !strcmp(o->text, dir)) {
				*pid = s[i].journal.pid;
				return true;
			}
		}
	}
	return false;
}

/**
 * struct bpf_rows - the listing pinned BPF aggregations are added to
 * @v: the rows
 * @n: how many
 * @s: the sessions' journals, to tell whose each one is
 * @ns: how many
 */
struct bpf_rows {
	struct ft_listed **v;
	size_t *n;
	struct ft_session_info *s;
	size_t ns;
};

static void add_agg(const char *name, const struct ft_bpf_plan *p, void *data)
{
	struct bpf_rows *r = data;
	struct ft_listed *nv = realloc(*r->v, (*r->n + 1) * sizeof(*nv));
	size_t n = *r->n;

	if (!nv)
		return;
	*r->v = nv;
	nv[n] = (struct ft_listed){ .instance = strdup(""),
				    .system = strdup(p->system),
				    .event = strdup(p->event) };
	nv[n].ours = pin_ours(r->s, r->ns, name, &nv[n].pid);
	if (p->nevents > 1 ? asprintf(&nv[n].text, "bpf:%s (and %u more events)", p->trigger,
				      p->nevents - 1) < 0
			   : asprintf(&nv[n].text, "bpf:%s", p->trigger) < 0)
		nv[n].text = NULL;
	nv[n].written = strdup(nv[n].text ? nv[n].text : "");
	(*r->n)++;
}

/*
 * Pinned BPF aggregations, listed among the triggers (as "bpf:" and their equivalent hist
 * trigger) since they count events the way hist triggers do; @event limits them to those
 * counting it (one of several, too). One of several events is listed under its first.
 */
static int add_bpf(struct ft_tfs *t, const char *event, struct ft_listed **v, size_t *n)
{
	struct bpf_rows r = { v, n, NULL, 0 };
	char sys[128] = "", ev[128] = "";
	struct ft_histsvc svc;

	if (event && sscanf(event, "%127[^:/]%*[:/]%127s", sys, ev) != 2)
		return 0;
	ft_ledger_scan(ft_ledger_state_dir(), &r.s, &r.ns);
	ft_histsvc_init(&svc, t, NULL, NULL);
	ft_histsvc_each_agg(&svc, event ? sys : NULL, ev, add_agg, &r);
	ft_ledger_scan_free(r.s, r.ns);
	return 0;
}

static int ls(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct trig_opts o = { 0 };
	int i = parse_opts(cmd, argc, argv, &o), ret;
	struct ft_listed *v;
	struct ft_tfs *t;
	char buf[32];
	size_t n;

	if (i < 0)
		return FT_EXIT_USAGE;
	if (argc - i > 1)
		return ft_usage_error(cmd, "trigger ls takes at most one EVENT");
	if (ft_tfs_open(&t))
		return FT_EXIT_ERR;
	if (i < argc) {
		struct ft_trig_ctx c;

		ret = ft_trig_ctx_open(&c, t, o.all_instances ? NULL : o.instance, argv[i]);
		ft_trig_ctx_close(&c);
		if (ret) {
			ft_tfs_close(t);
			return FT_EXIT_ERR;
		}
	}
	ret = ft_trigger_list(t, o.instance, i < argc ? argv[i] : NULL, o.all_instances, &v, &n);
	if (!ret && (!o.instance || !*o.instance))
		ret = add_bpf(t, i < argc ? argv[i] : NULL, &v, &n);
	ft_tfs_close(t);
	if (ret) {
		ft_err("cannot list triggers: %s", strerror(-ret));
		return FT_EXIT_ERR;
	}
	if (o.json)
		print_json(v, n);
	else if (!n)
		printf("no triggers\n");
	for (size_t k = 0; k < n && !o.json; k++)
		printf("%-9s %s%s%s:%s  %s\n", owner(&v[k], buf, sizeof(buf)), v[k].instance,
		       *v[k].instance ? "@" : "", v[k].system, v[k].event, v[k].text);
	ft_listed_free(v, n);
	return FT_EXIT_OK;
}

static int rm(const struct ft_cmd *cmd, int argc, char **argv)
{
	struct trig_opts o = { 0 };
	int i = parse_opts(cmd, argc, argv, &o), ret;
	struct ft_trig_ctx c;
	struct ft_ledger *l;
	struct ft_tfs *t;
	struct ft_dry dry;

	if (i < 0)
		return FT_EXIT_USAGE;
	if (o.ours ? argc != i : argc - i != 2)
		return ft_usage_error(cmd, "trigger rm takes EVENT and 'SPEC', or --ours alone");
	if (ft_trig_open_all(&t, &l, !o.dry_run))
		return FT_EXIT_ERR;
	/* A dry run reads the journals without opening the ledger, which would create it. */
	ret = o.dry_run ? ft_dry_open(&dry) : 0;
	if (!ret && o.ours) {
		ret = o.dry_run ? ft_triggers_remove_ours_dry(dry.persistent, ft_tfs_dir(t), &dry.w)
				: ft_triggers_remove_ours(l, stdout);
	} else if (!ret) {
		ret = ft_trig_ctx_open(&c, t, o.instance, argv[i]);
		if (!ret) {
			ret = ft_trigger_remove(&c, l, argv[i + 1], o.dry_run ? &dry : NULL,
						stdout);
			ft_trig_ctx_close(&c);
		}
	}
	if (!ret && o.dry_run)
		ret = ft_writes_print(&dry.w, stdout);
	if (o.dry_run)
		ft_dry_close(&dry);
	ft_trig_close_all(t, l);
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}

static const struct ft_verb verbs[] = {
	{ "add", NULL, add },
	{ "ls", "list", ls },
	{ "rm", "remove", rm },
};

/* The `trigger` subcommand's verbs, dispatched by ft_cmd_verbs(). */
const struct ft_verbs ft_trigger_verbs = {
	verbs,
	FT_ARRAY_SIZE(verbs),
	"say what to do: add, ls or rm",
	{ "unknown verb '", "': add, ls or rm" },
};
