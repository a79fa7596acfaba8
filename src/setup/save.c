// SPDX-License-Identifier: GPL-2.0-only
/*
 * `save`: what ftrig owns persistently now, written as a setup file. Lines of applied files
 * are written in their own words (their journals' tags); objects of `trigger add`, `probe
 * add` and `hist start` as the lines that make them again. Only what the kernel still has.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/engine.h"
#include "setup/save.h"

/* One line of a saved file and the kind that places it in apply's order. */
struct saved {
	int kind;
	char *text;
};

static int save_add(struct saved **v, size_t *n, int kind, char *text)
{
	struct saved *nv;

	if (!text)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv) {
		free(text);
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = (struct saved){ kind, text };
	return 0;
}

static char *quoted(int argc, ...)
{
	char *argv[8];
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc && i < 8; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return ft_setup_quote(argc, argv);
}

/* An object of persistent.journal (trigger add, probe add, hist start) as a setup line. */
static int save_obj(struct saved **v, size_t *n, const struct ft_obj *o)
{
	char ev[300];
	bool in = o->instance[0];

	snprintf(ev, sizeof(ev), "%s:%s", o->system, o->event);
	switch (o->kind) {
	case FT_OBJ_DYNEVENT:
		if (!strncmp(o->text, "s:", 2))
			return save_add(v, n, FT_SETUP_SYNTH, quoted(2, "synth", o->text + 2));
		return save_add(v, n, FT_SETUP_PROBE, quoted(4, "probe", "add", "--raw", o->text));
	case FT_OBJ_TRIGGER:
		return save_add(
			v, n, FT_SETUP_TRIGGER,
			in ? quoted(6, "trigger", "add", "--instance", o->instance, ev, o->text)
			   : quoted(4, "trigger", "add", ev, o->text));
	case FT_OBJ_ENABLE:
		return save_add(v, n, FT_SETUP_ENABLE,
				in ? quoted(4, "enable", "--instance", o->instance, ev)
				   : quoted(2, "enable", ev));
	case FT_OBJ_INSTANCE:
		return save_add(v, n, FT_SETUP_INSTANCE, quoted(2, "instance", o->instance));
	case FT_OBJ_EXPORT: {
		char *w[6] = { "export" };
		int k = 1;

		if (in)
			w[k++] = "--instance", w[k++] = o->instance;
		w[k++] = ev;
		if (*o->text)
			w[k++] = "--limit", w[k++] = o->text;
		return save_add(v, n, FT_SETUP_EXPORT, ft_setup_quote(k, w));
	}
	default: {
		char *c;

		/* A pinned aggregation records its pin, not the hist start that made it. */
		if (asprintf(&c,
			     "# not saved: %s:%s counted by BPF (pinned at %s); recreate it "
			     "with 'hist start %s ... --backend bpf'",
			     o->system, o->event, o->text, ev) < 0)
			c = NULL;
		return save_add(v, n, FT_SETUP_BPF, c);
	}
	}
}

/*
 * Every line of every file applied (their own words) and every persistent object, of those
 * the kernel still has: an object removed by hand is not saved, nor a line whose objects are
 * all gone (a line that journals nothing, a setting, is saved).
 */
static int save_collect(struct ft_tfs *t, const struct ft_session_info *j, size_t nj,
			struct saved **v, size_t *n)
{
	int ret = 0;

	for (size_t i = 0; i < nj && !ret; i++) {
		const struct ft_journal *jj = &j[i].journal;
		const char *key = strchr(jj->tag, '\n');
		struct ft_setup *one;
		char err[512], *line;
		size_t there = 0;

		if (jj->pid != 0)
			continue;
		for (size_t o = 0; !key && o < jj->nobjs && !ret; o++)
			if (ft_setup_obj_present(t, &jj->objs[o]))
				ret = save_obj(v, n, &jj->objs[o]);
		if (!key || ret)
			continue;
		for (size_t o = 0; o < jj->nobjs; o++)
			there += ft_setup_obj_present(t, &jj->objs[o]);
		if (jj->nobjs && !there)
			continue;
		if (asprintf(&line, "%s\n", key + 1) < 0)
			return -ENOMEM;
		if (!ft_setup_parse("journal", line, &one, err, sizeof(err)) && one->nlines)
			ret = save_add(v, n, one->lines[0].kind, strdup(key + 1));
		ft_setup_free(one);
		free(line);
	}
	return ret;
}

/**
 * ft_setup_save() - every persistent object ftrig owns, of those the kernel still has, as the
 * text of a setup file
 * @t: tracefs
 * @j: the journals of the state directory
 * @nj: how many
 * @text: set to the file's text, to free(), on success
 *
 * Lines go in apply's order; one instance setting per file.
 *
 * Return: 0 or -ENOMEM.
 */
int ft_setup_save(struct ft_tfs *t, const struct ft_session_info *j, size_t nj, char **text)
{
	struct saved *v = NULL;
	bool have_instance = false;
	size_t n = 0, len = 0;
	int ret = save_collect(t, j, nj, &v, &n);
	FILE *f = ret ? NULL : open_memstream(text, &len);

	if (!ret && !f)
		ret = -ENOMEM;
	if (f)
		fprintf(f, "# ftrig setup file written by 'ftrig save' (man ftrig-setup.5)\n");
	for (int k = 0; f && k < FT_SETUP_NKINDS; k++) {
		for (size_t i = 0; i < n; i++) {
			bool dup = k == FT_SETUP_INSTANCE && have_instance;

			if (v[i].kind != k)
				continue;
			/* One instance setting per file; the other instances are named by the
			 * lines that use them. */
			fprintf(f, "%s%s\n", dup ? "# " : "", v[i].text);
			have_instance |= k == FT_SETUP_INSTANCE;
		}
	}
	if (f && fclose(f))
		ret = -ENOMEM;
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	return ret;
}
