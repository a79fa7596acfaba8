// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks a parsed trigger against the event's format and what this kernel offers, before
 * anything is written, so that the user sees "no field 'nxt_pid' in sched:sched_switch; did
 * you mean 'next_pid'?" instead of the kernel's EINVAL. Only what the kernel would refuse
 * is refused: where kernels differ, the README and the event's trigger list decide.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "suggest.h"
#include "triggers/print.h"
#include "triggers/validate.h"

#define KERNEL_KEYS_MAX 3 /* TRACING_MAP_KEYS_MAX */
#define KERNEL_SORT_MAX 2 /* TRACING_MAP_SORT_KEYS_MAX */
#define KERNEL_VALS_MAX 3 /* TRACING_MAP_VALS_MAX, hitcount included (measured on 6.1) */
#define SIZE_MIN 128UL /* 1 << TRACING_MAP_BITS_MIN */
#define SIZE_MAX_ENTRIES 131072UL /* 1 << TRACING_MAP_BITS_MAX */

struct vstate {
	const struct ft_trigger *t;
	const struct ft_trig_env *env;
	struct ft_trig_error *err;
};

static int verr(struct vstate *v, int pos, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int verr(struct vstate *v, int pos, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (v->err) {
		v->err->pos = pos;
		v->err->len = (int)len;
		va_start(ap, fmt);
		vsnprintf(v->err->msg, sizeof(v->err->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool word_in(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
			return true;
	return false;
}

/* Roles of a field in a hist trigger. */
enum role { R_KEY, R_VAL, R_VAR, R_FILTER };

static const char *const specials[] = { "common_timestamp", "common_cpu", "cpu",
					"hitcount",	    "stacktrace", "common_stacktrace" };

/* " (did you mean 'X'?)" for a mistyped field, or "". */
static const char *field_hint(struct vstate *v, const char *name, char *buf, size_t size)
{
	const struct ft_event_format *fmt = v->env->fmt;
	const char **c = calloc(fmt->nfields + 6, sizeof(*c));
	size_t n = 0;
	int i;

	if (!c)
		return "";
	for (size_t k = 0; k < fmt->nfields; k++)
		c[n++] = fmt->fields[k].name;
	for (size_t k = 0; k < 6; k++)
		c[n++] = specials[k];
	i = ft_suggest_best(name, c, n);
	if (i >= 0)
		snprintf(buf, size, "; did you mean '%s'?", c[i]);
	else
		snprintf(buf, size, " ('ftrig list events %s --fields' shows them)", v->env->event);
	free(c);
	return buf;
}

static bool is_pid_field(const char *name)
{
	return !strcmp(name, "common_pid");
}

/* The modifier @mod on field @name (format field @fd, NULL for a special) in role @r. */
/* Something the kernel takes but that hardly means what the user wants: said, not refused. */
static int vwarn(struct vstate *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int vwarn(struct vstate *v, const char *fmt, ...)
{
	va_list ap;

	if (v->err && !v->err->warn[0]) {
		va_start(ap, fmt);
		vsnprintf(v->err->warn, sizeof(v->err->warn), fmt, ap);
		va_end(ap);
	}
	return 0;
}

static int check_mod(struct vstate *v, const char *name, const char *mod, const struct ft_field *fd,
		     enum role r, int pos)
{
	bool str = fd && fd->is_string;
	size_t len = strlen(name) + 1 + strlen(mod);

	if (!strcmp(mod, "usecs"))
		return strcmp(name, "common_timestamp")
			       ? vwarn(v,
				       "'.usecs' converts common_timestamp; on '%s' it does "
				       "nothing",
				       name)
			       : 0;
	if (!strcmp(mod, "percent") || !strcmp(mod, "graph")) {
		if (r != R_VAL)
			return verr(v, pos, len, "'.%s' is for values (vals=), not keys", mod);
		if (!strcmp(name, "hitcount") && v->env->readme &&
		    !strstr(v->env->readme, "nohitcount"))
			return verr(v, pos, len,
				    "this kernel takes no modifier on hitcount; put '.%s' on a "
				    "field value instead",
				    mod);
		return 0;
	}
	if (r == R_VAL && strcmp(mod, "hex"))
		return verr(v, pos, len,
			    "'.%s' is a key modifier; values take .hex, .percent or .graph", mod);
	if (!strcmp(mod, "execname") && !is_pid_field(name))
		return verr(v, pos, len,
			    "'.execname' shows the program of a pid and this kernel takes it on "
			    "common_pid only, not on '%s'",
			    name);
	/* The kernel takes these on strings too, but buckets of a string mean nothing. */
	if (str && (!strcmp(mod, "log2") || !strncmp(mod, "buckets", 7)))
		return vwarn(v,
			     "'%s' is a string: the kernel takes '.%s' on it but groups by the "
			     "whole string; use it on a number",
			     name, mod);
	if (str)
		return vwarn(v, "'%s' is a string: '.%s' shows nothing useful on it", name, mod);
	if (!fd && strcmp(name, "common_timestamp") && strcmp(name, "common_cpu") &&
	    strcmp(name, "cpu"))
		return verr(v, pos, len, "'%s' takes no modifier", name);
	return 0;
}

/* One operand: a field, a special name, a $variable or a number. */
static int check_operand(struct vstate *v, const char *name, const char *mod, enum role r, int pos)
{
	const struct ft_event_format *fmt = v->env->fmt;
	const struct ft_field *fd = NULL;
	char hint[128];

	if (name[0] == '$' || isdigit((unsigned char)name[0]))
		return r == R_KEY && name[0] != '$'
			       ? verr(v, pos, strlen(name), "a key must be a field, not a number")
			       : 0;
	if (!strcmp(name, "hitcount") && r == R_KEY)
		return verr(v, pos, strlen(name), "hitcount is a value, not a key");
	if (!strcmp(name, "hitcount") && r == R_VAR)
		return verr(v, pos, strlen(name),
			    "hitcount cannot be assigned to a variable or used in an expression");
	if (!strcmp(name, "stacktrace") || !strcmp(name, "common_stacktrace")) {
		if (r != R_KEY)
			return verr(v, pos, strlen(name), "'%s' can only be a key", name);
		if (v->env->readme && !strstr(v->env->readme, "common_stacktrace") &&
		    !strcmp(name, "common_stacktrace"))
			return verr(v, pos, strlen(name),
				    "this kernel calls the stack key 'stacktrace'");
	}
	if (fmt)
		fd = ft_format_field(fmt, name);
	if (!fd && fmt &&
	    !(r != R_FILTER && (!strcmp(name, "common_timestamp") || !strcmp(name, "common_cpu") ||
				!strcmp(name, "cpu") || !strcmp(name, "hitcount") ||
				!strcmp(name, "stacktrace") || !strcmp(name, "common_stacktrace"))))
		return verr(v, pos, strlen(name), "no field '%s' in %s%s", name, v->env->event,
			    field_hint(v, name, hint, sizeof(hint)));
	if (fd && r == R_VAL && (fd->is_string || fd->is_array))
		vwarn(v, "'%s' is a string: its sum as a value means nothing (make it a key)",
		      name);
	return mod ? check_mod(v, name, mod, fd, r, pos) : 0;
}

/* Each operand of an expression ("common_timestamp.usecs-$ts0"). */
static int check_expr(struct vstate *v, const char *s, int pos)
{
	char tok[128];

	while (*s) {
		size_t n = strcspn(s, "+-*/() ");
		char *dot;
		int ret;

		if (!n || n >= sizeof(tok)) {
			n = n ? n : 1;
			s += n;
			pos += (int)n;
			continue;
		}
		snprintf(tok, sizeof(tok), "%.*s", (int)n, s);
		dot = strchr(tok, '.');
		/* "sym-offset" is a modifier with a dash in it */
		if (dot && !strcmp(dot + 1, "sym") && !strncmp(s + n, "-offset", 7)) {
			snprintf(tok + strlen(tok), sizeof(tok) - strlen(tok), "-offset");
			n += 7;
		}
		dot = strchr(tok, '.');
		if (dot)
			*dot++ = '\0';
		ret = check_operand(v, tok, dot, R_VAR, pos);
		if (ret)
			return ret;
		s += n;
		pos += (int)n;
	}
	return 0;
}

/* A variable whose name is a misspelt parameter ("sortt=hitcount") that does not check. */
static bool misspelt_param(struct vstate *v, const struct ft_hfield *f)
{
	static const char *const params[] = { "keys", "key",  "vals", "values",
					      "sort", "size", "name", "clock" };
	int i = ft_suggest_best(f->var, params, sizeof(params) / sizeof(params[0]));

	if (i < 0)
		return false;
	verr(v, f->pos, strlen(f->var), "unknown hist parameter '%s='; did you mean '%s='?", f->var,
	     params[i]);
	return true;
}

static int check_field(struct vstate *v, const struct ft_hfield *f, enum role r)
{
	int pos = f->pos + (f->var ? (int)strlen(f->var) + 1 : 0);

	if (r == R_VAR && f->var) {
		struct ft_hfield plain = *f;
		struct vstate quiet = { v->t, v->env, NULL };

		plain.var = NULL;
		if (check_field(&quiet, &plain, r) && misspelt_param(v, f))
			return -EINVAL;
	}

	if (r == R_KEY && f->var)
		return verr(v, f->pos, strlen(f->var) + 1 + strlen(f->name),
			    "a key cannot assign a variable; give '%s=%s' its own parameter "
			    "(':%s=%s')",
			    f->var, f->name, f->var, f->name);
	if (f->expr)
		return check_expr(v, f->name, pos);
	return check_operand(v, f->name, f->mod, r, pos);
}

static int check_sort(struct vstate *v, const struct ft_hist_trigger *h)
{
	if (h->nsort > KERNEL_SORT_MAX)
		return verr(v, h->sort[KERNEL_SORT_MAX].pos, strlen(h->sort[KERNEL_SORT_MAX].name),
			    "too many sort keys: the kernel sorts by at most %d", KERNEL_SORT_MAX);
	for (size_t i = 0; i < h->nsort; i++) {
		const struct ft_hfield *s = &h->sort[i];
		bool found = !strcmp(s->name, "hitcount");

		for (size_t k = 0; k < h->nkeys && !found; k++)
			found = !strcmp(h->keys[k].name, s->name) ||
				(h->keys[k].var && !strcmp(h->keys[k].var, s->name));
		for (size_t k = 0; k < h->nvals && !found; k++)
			found = !strcmp(h->vals[k].name, s->name) ||
				(h->vals[k].var && !strcmp(h->vals[k].var, s->name));
		if (!found)
			return verr(v, s->pos, strlen(s->name),
				    "cannot sort by '%s': it is neither a key nor a value of this "
				    "hist (sort by hitcount or one of the keys= and vals= fields)",
				    s->name);
		/* The listing shows the key's modifier here, but the kernel takes none. */
		if (s->mod)
			return verr(v, s->pos, strlen(s->name) + 1 + strlen(s->mod),
				    "a sort key ends in .descending or .ascending, not '.%s' (sort "
				    "by the field's name: the key's modifier applies)",
				    s->mod);
	}
	return 0;
}

static bool exists(struct vstate *v, const char *sys, const char *ev)
{
	return !v->env->event_exists || v->env->event_exists(sys, ev, v->env->data);
}

static int check_action(struct vstate *v, const struct ft_haction *a)
{
	const char *dot;

	if (a->handler == FT_HANDLER_ONMATCH) {
		char sys[128];

		dot = strchr(a->arg, '.');
		if (!dot || dot == a->arg || !dot[1])
			return verr(v, a->pos + 8, strlen(a->arg),
				    "onmatch() names the matching event as system.event, not '%s'",
				    a->arg);
		snprintf(sys, sizeof(sys), "%.*s", (int)(dot - a->arg), a->arg);
		if (!exists(v, sys, dot + 1))
			return verr(v, a->pos + 8, strlen(a->arg), "no event %s:%s for onmatch()",
				    sys, dot + 1);
	} else if (a->arg[0] != '$') {
		return verr(v, a->pos + (a->handler == FT_HANDLER_ONMAX ? 6 : 9), strlen(a->arg),
			    "%s() tracks a variable: write $%s",
			    a->handler == FT_HANDLER_ONMAX ? "onmax" : "onchange", a->arg);
	}
	if (!strcmp(a->action, "save")) {
		if (a->handler == FT_HANDLER_ONMATCH)
			return verr(v, a->pos, 7, "save() goes with onmax() or onchange()");
		for (size_t i = 0; i < a->nparams; i++)
			if (check_operand(v, a->params[i], NULL, R_VAR, a->pos))
				return -EINVAL;
		return a->nparams ? 0 : verr(v, a->pos, 0, "save() needs the fields to save");
	}
	if (!strcmp(a->action, "snapshot")) {
		if (a->nparams)
			vwarn(v, "snapshot() takes no parameters; the kernel ignores '%s'",
			      a->params[0]);
		if (v->env->available && !word_in(v->env->available, "snapshot"))
			return verr(v, a->pos, 0,
				    "this kernel has no snapshot buffer (CONFIG_TRACER_SNAPSHOT), "
				    "so .snapshot() cannot work");
		return 0;
	}
	if (!strcmp(a->action, "trace")) {
		if (!a->nparams)
			return verr(v, a->pos, 0,
				    "trace() needs the synthetic event: trace(EVENT,PARAMS...)");
		return exists(v, "synthetic", a->params[0])
			       ? 0
			       : verr(v, a->pos, 0,
				      "no synthetic event '%s' for trace(); define it first "
				      "(synthetic_events)",
				      a->params[0]);
	}
	if (a->handler != FT_HANDLER_ONMATCH)
		return verr(v, a->pos, 0, "unknown action '%s': use trace(), save() or snapshot()",
			    a->action);
	return exists(v, "synthetic", a->action) ? 0
						 : verr(v, a->pos, 0,
							"'%s' is neither an action (trace, save, "
							"snapshot) nor a synthetic event",
							a->action);
}

/* Whether a key, value or variable of @h reads common_timestamp. */
static bool uses_timestamp(const struct ft_hist_trigger *h)
{
	const struct ft_hfield *lists[] = { h->keys, h->vals, h->vars };
	const size_t n[] = { h->nkeys, h->nvals, h->nvars };

	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < n[l]; i++)
			if (lists[l][i].name && strstr(lists[l][i].name, "common_timestamp"))
				return true;
	return false;
}

static int check_hist(struct vstate *v, const struct ft_hist_trigger *h)
{
	unsigned long size = ft_hist_size_rounded(h->size);
	const struct {
		const struct ft_hfield *f;
		size_t n;
		enum role r;
	} lists[] = { { h->keys, h->nkeys, R_KEY },
		      { h->vals, h->nvals, R_VAL },
		      { h->vars, h->nvars, R_VAR } };

	if (h->nkeys > KERNEL_KEYS_MAX)
		return verr(v, h->keys[KERNEL_KEYS_MAX].pos, strlen(h->keys[KERNEL_KEYS_MAX].name),
			    "too many keys: the kernel takes at most %d in one hist trigger",
			    KERNEL_KEYS_MAX);
	if (h->nvals > KERNEL_VALS_MAX - 1)
		return verr(v, h->vals[KERNEL_VALS_MAX - 1].pos,
			    strlen(h->vals[KERNEL_VALS_MAX - 1].name),
			    "too many values: the kernel sums at most %d fields besides hitcount",
			    KERNEL_VALS_MAX - 1);
	if (h->size && (size < SIZE_MIN || size > SIZE_MAX_ENTRIES))
		return verr(v, -1, 0,
			    "size=%lu is out of range: the kernel takes %lu to %lu entries (a "
			    "power of two; others are rounded up)",
			    h->size, SIZE_MIN, SIZE_MAX_ENTRIES);
	if (h->nohitcount && v->env->readme && !strstr(v->env->readme, "nohitcount"))
		return verr(v, -1, 0, "this kernel does not know 'nohitcount' (it came in 6.5)");
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < lists[l].n; i++)
			if (check_field(v, &lists[l].f[i], lists[l].r))
				return -EINVAL;
	if (check_sort(v, h))
		return -EINVAL;
	for (size_t i = 0; i < h->nactions; i++)
		if (check_action(v, &h->actions[i]))
			return -EINVAL;
	if (h->keys_given > 1)
		vwarn(v,
		      "keys= is given %u times; the kernel keeps only the last (keys=%s): put "
		      "every key in one keys= list",
		      h->keys_given, h->nkeys ? h->keys[0].name : "");
	if (h->clock && !uses_timestamp(h))
		vwarn(v,
		      "clock=%s does nothing here: the kernel sets the clock only for a hist "
		      "that uses common_timestamp",
		      h->clock);
	return 0;
}

/* Fields named on the left of a comparison in the filter. */
static int check_filter(struct vstate *v, const char *f, int pos)
{
	static const char *const extra[] = { "CPU", "COMM", "common_cpu", "cpu", "comm" };

	for (size_t i = 0; f[i];) {
		size_t n, j;

		if (f[i] == '"') {
			const char *q = strchr(f + i + 1, '"');

			i = q ? (size_t)(q - f) + 1 : strlen(f);
			continue;
		}
		if (!isalpha((unsigned char)f[i]) && f[i] != '_') {
			i++;
			continue;
		}
		for (n = 0; isalnum((unsigned char)f[i + n]) || f[i + n] == '_';)
			n++;
		for (j = i + n; f[j] == ' ' || f[j] == '\t';)
			j++;
		if (f[j] && strchr("=!<>~&", f[j]) && (f[j] != '&' || f[j + 1] != '&')) {
			char name[128];
			bool known = false;

			snprintf(name, sizeof(name), "%.*s", (int)n, f + i);
			for (size_t k = 0; k < sizeof(extra) / sizeof(extra[0]); k++)
				known |= !strcmp(name, extra[k]);
			if (!known && check_operand(v, name, NULL, R_FILTER, pos + (int)i))
				return -EINVAL;
		}
		i += n;
	}
	return 0;
}

static int check_available(struct vstate *v)
{
	const char *name = ft_trig_cmd_name(v->t->cmd);
	size_t len = strlen(name);

	if (!v->env->available || word_in(v->env->available, name))
		return 0;
	switch (v->t->cmd) {
	case FT_TRIG_HIST:
	case FT_TRIG_ENABLE_HIST:
	case FT_TRIG_DISABLE_HIST:
		return verr(v, 0, len,
			    "this kernel has no hist triggers on %s (CONFIG_HIST_TRIGGERS is off); "
			    "'ftrig hist start ... --backend bpf' counts the same with BPF",
			    v->env->event);
	case FT_TRIG_SNAPSHOT:
		return verr(v, 0, len,
			    "this kernel has no snapshot trigger (CONFIG_TRACER_SNAPSHOT is off)");
	default:
		return verr(v, 0, len, "the kernel offers only these triggers on %s: %s",
			    v->env->event, v->env->available);
	}
}

/* What the kernel reads in a loosely written trigger, said back to the user. */
static const char *quirk_text(const struct ft_trigger *t)
{
	switch (t->quirk) {
	case FT_TRIG_QUIRK_EMPTY_COUNT:
		return "nothing after the ':' is no count: the trigger fires every time; leave "
		       "the ':' out";
	case FT_TRIG_QUIRK_EXTRA_PARAMS:
		return "the kernel ignores what follows the count; write only one count";
	case FT_TRIG_QUIRK_SPACE:
		return "the kernel reads a blank after the command as ':'; write the ':'";
	default:
		return "";
	}
}

/**
 * ft_trigger_validate() - check a trigger against the event and the kernel before writing
 * @t: the parsed trigger
 * @env: what is known of the event and the kernel (NULL members are not checked)
 * @err: on error, the message and the offset in the parsed text of the offending token
 *
 * Checks that the command is offered on the event, that the events it names exist, that
 * every field exists (with a "did you mean" for near misses), that modifiers fit the
 * field's type and role, and the kernel's limits on keys, sort keys and size.
 *
 * What the kernel takes but is hardly meant (a string as a value, .usecs on another field)
 * is not refused: @err->warn says it.
 *
 * Return: 0 (@err->warn may be set), or -EINVAL with @err filled in.
 */
int ft_trigger_validate(const struct ft_trigger *t, const struct ft_trig_env *env,
			struct ft_trig_error *err)
{
	struct vstate v = { t, env, err };

	if (err)
		*err = (struct ft_trig_error){ .pos = -1 };
	if (t->listed) {
		char *w = ft_trigger_format(t);

		verr(&v, 0, 0,
		     "this is how the kernel lists a trigger (count=N, :unlimited, [active]), not "
		     "how one is written: write '%s'",
		     w ? w : "?");
		free(w);
		return -EINVAL;
	}
	if (check_available(&v))
		return -EINVAL;
	if (t->cmd >= FT_TRIG_ENABLE_EVENT && t->cmd <= FT_TRIG_DISABLE_HIST &&
	    !exists(&v, t->system, t->event))
		return verr(&v, (int)strlen(ft_trig_cmd_name(t->cmd)) + 1,
			    strlen(t->system) + 1 + strlen(t->event), "no event %s:%s", t->system,
			    t->event);
	if (t->cmd == FT_TRIG_HIST && check_hist(&v, &t->hist))
		return -EINVAL;
	if (t->filter && check_filter(&v, t->filter, t->filter_pos))
		return -EINVAL;
	if (t->quirk)
		vwarn(&v, "%s", quirk_text(t));
	if (t->cmd != FT_TRIG_HIST && t->count == 0)
		vwarn(&v,
		      "'%s:0' never fires: the count is how many more times it may fire; "
		      "leave ':0' out to fire every time",
		      ft_trig_cmd_name(t->cmd));
	return 0;
}
