// SPDX-License-Identifier: GPL-2.0-only
/*
 * Setup files: lines, comments, continuations, quoting, settings, and the order in which
 * apply makes what they name. Pure: no I/O. Words are split as sh splits them (quotes,
 * backslashes), so a command that works typed works pasted into a file; what the words mean
 * is left to the commands' own parsers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "serve/export.h"
#include "setup/setup.h"
#include "util.h"

static const char *const kind_names[FT_SETUP_NKINDS] = {
	[FT_SETUP_INSTANCE] = "instance", [FT_SETUP_BUFFER] = "buffer-size",
	[FT_SETUP_DUMPDIR] = "dump-dir",  [FT_SETUP_PROBE] = "probe",
	[FT_SETUP_SYNTH] = "synth",	  [FT_SETUP_ENABLE] = "enable",
	[FT_SETUP_TRIGGER] = "trigger",	  [FT_SETUP_BPF] = "bpf",
	[FT_SETUP_EXPORT] = "export",
};

/* A growing word list; words are malloc'd. */
struct words {
	char **v;
	int n;
};

static int push(struct words *w, const char *s, size_t len)
{
	char **nv = realloc(w->v, (size_t)(w->n + 2) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	w->v = nv;
	if (!(nv[w->n] = strndup(s, len)))
		return -ENOMEM;
	nv[++w->n] = NULL;
	return 0;
}

static void words_free(struct words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

static int fail(char *err, size_t errsz, const char *path, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errsz, const char *path, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errsz, "%s:%u: ", path, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errsz)
		vsnprintf(err + n, errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Split one logical line, starting at *@p, into words; stops after its newline. A backslash
 * before a newline joins the next physical line (also inside double quotes), '#' at the start
 * of a word comments out the rest of the physical line. *@lines counts the newlines consumed.
 */
static int split_line(const char **p, struct words *w, unsigned *lines, char *quote)
{
	char buf[8192];
	size_t len = 0;
	bool in_word = false;
	const char *s = *p;

	*quote = 0;
	for (; *s; s++) {
		char c = *s;

		if (len >= sizeof(buf) - 1)
			return -E2BIG;
		if (*quote == '\'') {
			if (c == '\'')
				*quote = 0;
			else
				buf[len++] = c;
			*lines += c == '\n';
			continue;
		}
		if (c == '\\' && s[1] == '\n') {
			s++;
			++*lines;
			continue;
		}
		if (*quote == '"') {
			if (c == '"')
				*quote = 0;
			else if (c == '\\' && s[1] && strchr("\"\\$`", s[1]))
				buf[len++] = *++s;
			else
				buf[len++] = c;
			*lines += c == '\n';
			continue;
		}
		if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
			if (in_word && push(w, buf, len))
				return -ENOMEM;
			in_word = false;
			len = 0;
			if (c == '\n') {
				++*lines;
				s++;
				break;
			}
			continue;
		}
		if (c == '#' && !in_word) {
			while (s[1] && s[1] != '\n')
				s++;
			continue;
		}
		in_word = true;
		if (c == '\'' || c == '"')
			*quote = c;
		else if (c == '\\' && s[1])
			buf[len++] = *++s;
		else
			buf[len++] = c;
	}
	*p = s;
	if (*quote)
		return -EINVAL;
	if (in_word && push(w, buf, len))
		return -ENOMEM;
	return 0;
}

/**
 * ft_setup_words() - split one line into words as a setup file's lines are split (sh quoting)
 * @text: the line
 * @argc: set to how many words
 * @argv: set to the words, NULL-terminated; free with ft_setup_words_free()
 *
 * Return: 0, -EINVAL (an unclosed quote, or more than one line), -E2BIG or -ENOMEM.
 */
int ft_setup_words(const char *text, int *argc, char ***argv)
{
	struct words w = { 0 };
	unsigned lines = 0;
	char quote;
	const char *p = text;
	int ret = split_line(&p, &w, &lines, &quote);

	if (!ret && *p)
		ret = -EINVAL;
	if (ret) {
		words_free(&w);
		return ret;
	}
	*argc = w.n;
	*argv = w.v;
	return 0;
}

/**
 * ft_setup_words_free() - free what ft_setup_words() made
 * @argc: how many words
 * @argv: the words, or NULL
 */
void ft_setup_words_free(int argc, char **argv)
{
	struct words w = { argv, argc };

	words_free(&w);
}

/**
 * ft_setup_quote() - words joined by spaces, each quoted for sh where it needs it
 * @argc: how many
 * @argv: the words
 *
 * Return: a string to free(), or NULL (ENOMEM). Parsing it gives @argv back.
 */
char *ft_setup_quote(int argc, char *const *argv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (i)
			fputc(' ', f);
		if (*a && !a[strcspn(a, " \t\n'\"\\#$`;&|<>()*?[]{}~!")]) {
			fputs(a, f);
			continue;
		}
		fputc('\'', f);
		for (; *a; a++)
			fputs(*a == '\'' ? "'\\''" : (char[]){ *a, 0 }, f);
		fputc('\'', f);
	}
	fclose(f);
	return buf;
}

static bool has_opt(const struct words *w, const char *opt, const char *val)
{
	size_t n = strlen(opt);

	for (int i = 0; i < w->n; i++) {
		if (!strcmp(w->v[i], opt) && (!val || (i + 1 < w->n && !strcmp(w->v[i + 1], val))))
			return true;
		if (val && !strncmp(w->v[i], opt, n) && w->v[i][n] == '=' &&
		    !strcmp(w->v[i] + n + 1, val))
			return true;
	}
	return false;
}

/*
 * The first value of --instance (as "--instance V" or "--instance=V") that is no instance
 * name, with @why set; NULL when there is none. Checked when the file is read, so that apply
 * refuses the whole file before it writes anything (SEC-6).
 */
static const char *bad_instance_opt(const struct words *w, char *why, size_t size)
{
	for (int i = 0; i < w->n; i++) {
		const char *v = !strcmp(w->v[i], "--instance") && i + 1 < w->n ? w->v[i + 1]
				: !strncmp(w->v[i], "--instance=", 11)	       ? w->v[i] + 11
									       : NULL;

		if (v && ft_name_instance(v, why, size))
			return v;
	}
	return NULL;
}

/* Which command a line is; -1 (with @err) when it is none a setup file takes. */
static int command_kind(const struct words *w, const char *path, unsigned ln, char *err,
			size_t errsz)
{
	const char *c = w->v[0], *verb = w->n > 1 ? w->v[1] : "";

	if (!strcmp(c, "probe") && !strcmp(verb, "add"))
		return FT_SETUP_PROBE;
	if (!strcmp(c, "trigger") && !strcmp(verb, "add"))
		return FT_SETUP_TRIGGER;
	if (!strcmp(c, "hist") && !strcmp(verb, "start"))
		return has_opt(w, "--backend", "bpf") || has_opt(w, "--backend", "both")
			       ? FT_SETUP_BPF
			       : FT_SETUP_TRIGGER;
	for (int k = 0; k < FT_SETUP_NKINDS; k++)
		if (!strcmp(c, kind_names[k]) && k != FT_SETUP_PROBE && k != FT_SETUP_TRIGGER &&
		    k != FT_SETUP_BPF)
			return k;
	fail(err, errsz, path, ln,
	     "'%s%s%s' cannot be in a setup file, which says what to create: write 'probe add', "
	     "'trigger add', 'hist start', 'export', or a setting (instance, buffer-size, "
	     "dump-dir, synth, enable)",
	     c, w->n > 1 ? " " : "", verb);
	return -1;
}

/* Settings take one value; commands may not carry --dry-run (plan is the dry run). */
static int check_words(struct ft_setup *s, const struct words *w, int kind, unsigned ln, char *err,
		       size_t errsz)
{
	const char *p = s->path;
	char *end, why[512];

	if (bad_instance_opt(w, why, sizeof(why)))
		return fail(err, errsz, p, ln, "--instance: %s", why);
	if (kind == FT_SETUP_EXPORT &&
	    ft_export_parse(w->n, w->v, &(struct ft_export){ 0 }, why, sizeof(why)))
		return fail(err, errsz, p, ln, "%s", why);
	if (kind >= FT_SETUP_PROBE && kind != FT_SETUP_SYNTH && kind != FT_SETUP_ENABLE) {
		if (has_opt(w, "--dry-run", NULL))
			return fail(err, errsz, p, ln,
				    "drop --dry-run: 'ftrig plan' is the dry run");
		return 0;
	}
	/* enable [--instance I] SYSTEM:EVENT, as apply runs it and save writes it. */
	if (kind == FT_SETUP_ENABLE && w->n == 4 && !strcmp(w->v[1], "--instance"))
		return strpbrk(w->v[3], ":/")
			       ? 0
			       : fail(err, errsz, p, ln, "enable takes SYSTEM:EVENT, not '%s'",
				      w->v[3]);
	if (w->n != 2)
		return fail(err, errsz, p, ln, "'%s' takes one value, e.g. '%s'", w->v[0],
			    kind == FT_SETUP_INSTANCE  ? "instance lat"
			    : kind == FT_SETUP_BUFFER  ? "buffer-size 8192"
			    : kind == FT_SETUP_DUMPDIR ? "dump-dir /var/tmp/ftrig"
			    : kind == FT_SETUP_SYNTH   ? "synth 'wakeup_lat pid_t pid; u64 lat'"
						       : "enable sched:sched_switch");
	if ((kind == FT_SETUP_INSTANCE && s->instance) ||
	    (kind == FT_SETUP_BUFFER && s->buffer_kb) || (kind == FT_SETUP_DUMPDIR && s->dump_dir))
		return fail(err, errsz, p, ln, "'%s' is set twice; keep one", w->v[0]);
	if (kind == FT_SETUP_INSTANCE && ft_name_instance(w->v[1], why, sizeof(why)))
		return fail(err, errsz, p, ln, "%s", why);
	if (kind == FT_SETUP_BUFFER) {
		errno = 0;
		s->buffer_kb = strtoul(w->v[1], &end, 10);
		/* strtoul() takes "-5" as a huge number: only digits are a size. */
		if (errno || *end || !s->buffer_kb || !isdigit((unsigned char)w->v[1][0]))
			return fail(err, errsz, p, ln,
				    "buffer-size takes kilobytes per CPU, e.g. 8192");
	}
	if (kind == FT_SETUP_ENABLE && !strpbrk(w->v[1], ":/"))
		return fail(err, errsz, p, ln, "enable takes SYSTEM:EVENT, not '%s'", w->v[1]);
	if (kind == FT_SETUP_INSTANCE && !(s->instance = strdup(w->v[1])))
		return -ENOMEM;
	if (kind == FT_SETUP_DUMPDIR && !(s->dump_dir = strdup(w->v[1])))
		return -ENOMEM;
	return 0;
}

static int add_line(struct ft_setup *s, struct words *w, int kind, unsigned ln)
{
	struct ft_setup_line *nl = realloc(s->lines, (s->nlines + 1) * sizeof(*nl));

	if (!nl)
		return -ENOMEM;
	s->lines = nl;
	nl[s->nlines++] =
		(struct ft_setup_line){ .lineno = ln, .kind = kind, .argc = w->n, .argv = w->v };
	w->v = NULL;
	w->n = 0;
	return 0;
}

/* The identity of a line: its words as apply runs them (with the instance they apply to). */
static int make_keys(struct ft_setup *s, char *err, size_t errsz)
{
	for (size_t i = 0; i < s->nlines; i++) {
		struct ft_setup_line *l = &s->lines[i];
		int argc;
		char **argv = ft_setup_exec_argv(s, l, &argc);

		if (!argv)
			return -ENOMEM;
		l->key = ft_setup_quote(argc, argv);
		free(argv);
		if (!l->key)
			return -ENOMEM;
		/* Two lines with one key would share one journal and make the object once. */
		for (size_t k = 0; k < i; k++)
			if (!strcmp(s->lines[k].key, l->key))
				return fail(err, errsz, s->path, l->lineno,
					    "this line repeats line %u", s->lines[k].lineno);
	}
	return 0;
}

/**
 * ft_setup_parse() - parse the text of a setup file
 * @path: its name, for messages
 * @text: its content
 * @out: set to the parsed file; free with ft_setup_free()
 * @err: set to "PATH:LINE: what is wrong and how to fix it" on -EINVAL
 * @errsz: size of @err
 *
 * Only the shape of each line is checked here; what the commands' words mean is checked by
 * the commands (plan and apply run their validation).
 *
 * Return: 0, -EINVAL (see @err) or -ENOMEM.
 */
int ft_setup_parse(const char *path, const char *text, struct ft_setup **out, char *err,
		   size_t errsz)
{
	struct ft_setup *s = calloc(1, sizeof(*s));
	struct words w = { 0 };
	unsigned next = 1;
	int ret = 0;
	char quote;

	*out = NULL;
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return -ENOMEM;
	}
	while (*text && !ret) {
		unsigned ln = next, used = 0;
		int kind;

		ret = split_line(&text, &w, &used, &quote);
		next += used;
		if (ret == -EINVAL)
			ret = fail(err, errsz, path, ln, "the %s quote opened here is not closed",
				   quote == '"' ? "double" : "single");
		else if (ret == -E2BIG)
			ret = fail(err, errsz, path, ln, "line too long");
		if (ret || !w.n)
			continue;
		/* A pasted command line keeps its program name. */
		if (!strcmp(w.v[0], "ftrig")) {
			free(w.v[0]);
			memmove(w.v, w.v + 1, (size_t)w.n-- * sizeof(*w.v));
		}
		kind = w.n ? command_kind(&w, path, ln, err, errsz) : -1;
		ret = kind < 0 ? -EINVAL : check_words(s, &w, kind, ln, err, errsz);
		if (!ret)
			ret = add_line(s, &w, kind, ln);
	}
	words_free(&w);
	if (!ret && s->buffer_kb && !s->instance)
		ret = fail(err, errsz, path, 1,
			   "buffer-size needs an instance: add 'instance NAME' (the top level's "
			   "buffer is shared by everybody)");
	if (!ret)
		ret = make_keys(s, err, errsz);
	if (ret) {
		ft_setup_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

/**
 * ft_setup_nul_line() - where a file read as text holds a NUL byte
 * @text: its content
 * @len: its length in bytes
 *
 * A NUL would silently end the text where it stands (and apply what is before it), so a file
 * holding one is refused.
 *
 * Return: the line of the first NUL byte, or 0 when there is none.
 */
unsigned ft_setup_nul_line(const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);
	unsigned line = 1;

	if (!nul)
		return 0;
	for (const char *p = text; p < nul; p++)
		line += *p == '\n';
	return line;
}

/**
 * ft_setup_free() - free a parsed setup file; NULL is allowed
 * @s: the file
 */
void ft_setup_free(struct ft_setup *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nlines; i++) {
		for (int k = 0; k < s->lines[i].argc; k++)
			free(s->lines[i].argv[k]);
		free(s->lines[i].argv);
		free(s->lines[i].key);
	}
	free(s->lines);
	free(s->path);
	free(s->instance);
	free(s->dump_dir);
	free(s);
}

/* Whether a trigger line uses hist variables ($name), which other triggers define. */
static bool uses_variables(const struct ft_setup_line *l)
{
	for (int i = 2; i < l->argc; i++)
		if (strchr(l->argv[i], '$'))
			return true;
	return false;
}

/**
 * ft_setup_order() - the lines in the order apply makes them
 * @s: the file
 *
 * Dependency order: instance, probes, synthetic events, enables, triggers, BPF. Triggers
 * that use variables ($ts0) come after those that do not, since those define them (a
 * variable must exist before an expression or action names it); file order otherwise.
 *
 * Return: @s->nlines indexes into @s->lines, to free(); NULL (ENOMEM).
 */
size_t *ft_setup_order(const struct ft_setup *s)
{
	size_t *o = malloc((s->nlines + 1) * sizeof(*o)), n = 0;

	if (!o)
		return NULL;
	for (int k = 0; k < FT_SETUP_NKINDS; k++)
		for (int tier = 0; tier < (k == FT_SETUP_TRIGGER ? 2 : 1); tier++)
			for (size_t i = 0; i < s->nlines; i++)
				if ((int)s->lines[i].kind == k &&
				    (k != FT_SETUP_TRIGGER || uses_variables(&s->lines[i]) == tier))
					o[n++] = i;
	return o;
}

/**
 * ft_setup_exec_argv() - the words apply runs for a line
 * @s: the file
 * @l: one of its lines
 * @argc: set to the count
 *
 * trigger add, hist start (hist backend), enable and export go to the file's instance unless
 * they name one: "--instance NAME" is inserted after the verb (after "enable", "export").
 *
 * Return: a NULL-terminated array to free() (the words are @l's), or NULL (ENOMEM).
 */
char **ft_setup_exec_argv(const struct ft_setup *s, const struct ft_setup_line *l, int *argc)
{
	bool add = s->instance && (l->kind == FT_SETUP_TRIGGER || l->kind == FT_SETUP_ENABLE ||
				   l->kind == FT_SETUP_EXPORT);
	int at = l->kind == FT_SETUP_ENABLE || l->kind == FT_SETUP_EXPORT ? 0 : 1;
	char **v = calloc((size_t)l->argc + 3, sizeof(*v));
	int n = 0;

	if (!v)
		return NULL;
	for (int i = 0; add && i < l->argc; i++)
		add = strcmp(l->argv[i], "--instance") && strncmp(l->argv[i], "--instance=", 11);
	for (int i = 0; i < l->argc; i++) {
		v[n++] = l->argv[i];
		/* After the verb: the commands take options anywhere, but errors read better. */
		if (i == at && add) {
			v[n++] = "--instance";
			v[n++] = s->instance;
		}
	}
	*argc = n;
	return v;
}
