// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probes from a glob: `probe add 'vfs_*'` makes one kprobe per kernel function the glob
 * matches in available_filter_functions (the functions the kernel can trace), and
 * `probe add /lib/libc.so.6:'str*'` one uprobe per function the file's symbol table names
 * (src/probes/elfsym.c: one per address, so an alias does not count a call twice). Each is
 * checked once as one probe is, named after its function, journaled and written in batches
 * (one journal sync and one write for all of them). A function the kernel refuses (on its
 * kprobe blacklist, say) is left out with a warning, as bcc leaves it out; all of them
 * refused is an error.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "log.h"
#include "probes/add.h"
#include "probes/dynev.h"
#include "probes/glob.h"
#include "tfs.h"
#include "writes.h"

#define ERRSZ 1024

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/**
 * ft_probe_glob_match() - the functions of a list that a glob matches
 * @list: available_filter_functions as read: one function a line, "NAME" or "NAME [MODULE]"
 * @pattern: a shell glob (fnmatch(3)) of names
 * @out: set to the names, sorted, each once (a static function of several files is listed
 *       once per file and probed by name); free with ft_probe_names_free()
 * @n: set to how many
 *
 * Return: 0 (also for no match) or -ENOMEM.
 */
int ft_probe_glob_match(const char *list, const char *pattern, char ***out, size_t *n)
{
	char **v = NULL, **nv;
	size_t cap = 0, k = 0;

	*out = NULL;
	*n = 0;
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, " \t\n");
		const char *next = p + strcspn(p, "\n");
		char name[256];

		if (len && len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			if (!fnmatch(pattern, name, 0)) {
				if (k == cap) {
					cap = cap ? 2 * cap : 64;
					nv = realloc(v, cap * sizeof(*v));
					if (!nv)
						goto nomem;
					v = nv;
				}
				if (!(v[k] = strdup(name)))
					goto nomem;
				k++;
			}
		}
		p = *next ? next + 1 : next;
	}
	if (k)
		qsort(v, k, sizeof(*v), cmp_str);
	*n = 0;
	for (size_t i = 0; i < k; i++) {
		if (*n && !strcmp(v[*n - 1], v[i]))
			free(v[i]);
		else
			v[(*n)++] = v[i];
	}
	*out = v;
	return 0;
nomem:
	ft_probe_names_free(v, k);
	return -ENOMEM;
}

/**
 * ft_probe_names_free() - free an array of strings and the strings
 * @v: the array, may be NULL
 * @n: how many strings it holds
 */
void ft_probe_names_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/**
 * ft_probe_set_release() - free what a set holds (not the set itself)
 * @set: the set, emptied
 */
void ft_probe_set_release(struct ft_probe_set *set)
{
	free(set->group);
	ft_probe_names_free(set->names, set->n);
	ft_probe_names_free(set->funcs, set->n);
	memset(set, 0, sizeof(*set));
}

/* Said and -errno when a glob matched no function, or more than the bound. */
static int check_count(const char *pattern, const char *where, size_t n, unsigned max)
{
	if (!n) {
		ft_err("no %sfunction matches '%s'%s", where ? "" : "kernel ", pattern,
		       where ? where
			     : " (available_filter_functions lists those that can be probed)");
		return -ENOENT;
	}
	if (n > max) {
		ft_err("'%s' matches %zu %sfunctions, more than the bound of %u probes at once: "
		       "narrow the glob, or raise the bound with --max %zu",
		       pattern, n, where ? "" : "kernel ", max, n);
		return -E2BIG;
	}
	return 0;
}

/* The kernel functions @pattern matches in available_filter_functions. */
static int kernel_matches(struct ft_tfs *t, const char *pattern, char ***fn, size_t *n)
{
	char *aff = ft_tfs_read(t, NULL, "available_filter_functions", NULL);
	int ret;

	if (!aff) {
		ft_err("cannot read available_filter_functions, the list of functions a glob is "
		       "matched against: %s (the kernel needs CONFIG_DYNAMIC_FTRACE); name the "
		       "functions one by one",
		       strerror(errno));
		return -ENOTSUP;
	}
	ret = ft_probe_glob_match(aff, pattern, fn, n);
	free(aff);
	return ret;
}

/*
 * The functions of BINARY:GLOB in @pattern (@bin set to the binary's absolute path), their
 * file offsets in @offs: the ELF file's symbol table is the list, as bcc and bpftrace read it.
 */
static int user_matches(const char *pattern, char *bin, char ***fn, unsigned long long **offs,
			size_t *n)
{
	const char *colon = strrchr(pattern, ':');
	char path[PATH_MAX], err[ERRSZ], where[PATH_MAX + 64];
	struct ft_elf_func *f = NULL;
	size_t nf = 0, ifuncs = 0;
	int ret;

	if (!colon || !colon[1]) {
		ft_err("'%s': a glob of user functions is BINARY:GLOB", pattern);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%.*s", (int)(colon - pattern), pattern);
	if (!realpath(path, bin)) {
		ft_err("%s: %s; give the program's or library's path", path, strerror(errno));
		return -ENOENT;
	}
	ret = ft_elf_functions(bin, colon + 1, &f, &nf, &ifuncs, err, sizeof(err));
	if (ret)
		ft_err("%s", err);
	if (!ret && ifuncs)
		ft_warn("%zu GNU indirect functions of %s match '%s' and are left out: a probe "
			"there would count their resolver, which runs once when the library "
			"loads (probe the implementation, e.g. __strlen_avx2, where the symbol "
			"table names it)",
			ifuncs, bin, colon + 1);
	*fn = !ret && nf ? calloc(nf, sizeof(char *)) : NULL;
	*offs = !ret && nf ? calloc(nf, sizeof(**offs)) : NULL;
	if (!ret && nf && (!*fn || !*offs))
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < nf; i++) {
		(*fn)[i] = f[i].name;
		(*offs)[i] = f[i].offset;
		f[i].name = NULL;
		*n = i + 1;
	}
	ft_elf_funcs_free(f, nf);
	snprintf(where, sizeof(where), " in %s ('nm -D --defined-only %s' lists its functions)",
		 bin, bin);
	return ret ?: check_count(colon + 1, where, *n, UINT_MAX);
}

/* The functions @o's glob matches, within the bound; said and -errno when none or too many. */
static int matches(struct ft_tfs *t, const struct ft_probe_add_opts *o, bool user, char *bin,
		   char ***fn, unsigned long long **offs, size_t *n)
{
	unsigned max = o->max ? o->max : FT_PROBE_GLOB_MAX;
	char pattern[PATH_MAX + 256];
	int ret;

	snprintf(pattern, sizeof(pattern), "%.*s", (int)strcspn(o->text, " \t"), o->text);
	ret = user ? user_matches(pattern, bin, fn, offs, n) : kernel_matches(t, pattern, fn, n);
	return ret ?: check_count(pattern, user ? "" : NULL, *n, max);
}

/**
 * ft_probe_glob_kernel() - the kernel functions a glob matches, within the bound
 * @t: tracefs (its available_filter_functions)
 * @pattern: the glob
 * @max: the bound (0: FT_PROBE_GLOB_MAX)
 * @fn: set to the names, sorted, each once; free with ft_probe_names_free()
 * @n: set to how many
 *
 * What ft_probe_add_glob() would make kprobes on, for a caller that attaches to the
 * functions without kprobe events (funccount's kprobe-multi path).
 *
 * Return: 0, or -errno said (none, or more than the bound, as ft_probe_add_glob() says it).
 */
int ft_probe_glob_kernel(struct ft_tfs *t, const char *pattern, unsigned max, char ***fn, size_t *n)
{
	int ret;

	*fn = NULL;
	*n = 0;
	ret = kernel_matches(t, pattern, fn, n);
	return ret ?: check_count(pattern, NULL, *n, max ? max : FT_PROBE_GLOB_MAX);
}

/* Point @s at function @i of the glob: a kernel function by name, a user one by offset. */
static int place(struct ft_probe_spec *s, char **fn, const unsigned long long *offs, size_t i)
{
	char **slot = offs ? &s->symbol : &s->target;

	free(*slot);
	free(s->name);
	s->name = NULL;
	if (offs) {
		s->offset = 0; /* else the default name would carry it */
		s->file_offset = offs[i];
		s->resolved = true;
	}
	*slot = strdup(fn[i]);
	return *slot ? 0 : -ENOMEM;
}

/* The text of the first probe, which is checked as one probe is: the glob's first match. */
static char *first_text(const struct ft_probe_add_opts *o, const char *bin, char **fn,
			const unsigned long long *offs)
{
	const char *rest = o->text + strcspn(o->text, " \t");
	char *text;
	int n = offs ? asprintf(&text, "%s:0x%llx%s", bin, offs[0], rest)
		     : asprintf(&text, "%s%s", fn[0], rest);

	return n < 0 ? NULL : text;
}

/*
 * The definitions: the checks of one probe made once (on the first function), then the same
 * probe for each function under its own name. Names the kernel has already are refused.
 */
static int define(struct ft_tfs *t, const struct ft_probe_add_opts *o, const char *bin, char **fn,
		  const unsigned long long *offs, size_t n, struct ft_probe_set *set, char **defs)
{
	struct ft_probe_add_opts one = *o;
	struct ft_probe_spec s = { 0 };
	size_t taken = 0;
	char err[ERRSZ], *first = NULL;
	int ret;

	one.text = first_text(o, bin, fn, offs);
	ret = one.text ? ft_probe_add_prepare(t, &one, &s) : -ENOMEM;
	for (size_t i = 0; !ret && i < n; i++) {
		if ((ret = place(&s, fn, offs, i)))
			break;
		if ((ret = ft_probe_name_defaults(&s, o->group, NULL, err, sizeof(err))))
			ft_err("%s: %s", fn[i], err);
		else if (!(defs[i] = ft_probe_format(&s)) || !(set->names[i] = strdup(s.name)) ||
			 !(set->funcs[i] = strdup(fn[i])))
			ret = -ENOMEM;
		set->n = i + 1;
		if (!ret && ft_tfs_event_exists(t, NULL, s.group, s.name, NULL) && !taken++)
			first = set->names[i];
	}
	if (!ret && taken)
		ft_err("%s/%s exists already%s%.0zu%s: remove them first ('ftrig probe rm -g %s') "
		       "or put these in another group with -g",
		       s.group, first, taken > 1 ? ", and " : "", taken > 1 ? taken - 1 : 0,
		       taken > 1 ? " more of these" : "", s.group);
	if (!ret && !(set->group = strdup(s.group)))
		ret = -ENOMEM;
	free(one.text);
	ft_probe_spec_release(&s);
	return ret ? ret : taken ? -EEXIST : 0;
}

/*
 * Write the definitions through @l in batches: the kernel stops at the first line it refuses,
 * so after a refusal the batch goes on after that line. @keep[i] says which were made.
 */
static int write_all(struct ft_ledger *l, enum ft_probe_kind kind, const char *file,
		     struct ft_probe_set *set, char **defs, bool *keep, size_t *made)
{
	size_t i = 0, refused = 0;
	int ret = 0;

	*made = 0;
	while (i < set->n) {
		size_t k = 0;

		ret = ft_ledger_dynevents_add(l, file, set->group, set->names + i, defs + i,
					      set->n - i, &k);
		for (size_t j = i; j < i + k; j++)
			keep[j] = true;
		*made += k;
		i += k;
		if (!ret)
			break;
		if (ret == -ECANCELED || ret == -ENOMEM || i >= set->n)
			return ret;
		if (!refused++)
			ft_warn("the kernel refused some of these functions (%s); they are left "
				"out:",
				ft_probe_is_user(kind)
					? "not code it can probe"
					: "notrace, on the kprobe blacklist, or gone");
		ft_warn("  %s: %s", set->funcs[i], strerror(-ret));
		i++;
	}
	if (!*made) {
		ft_err("the kernel refused every function the glob matched");
		return -EINVAL;
	}
	return 0;
}

/* Keep only the probes that were made in @set. */
static void keep_made(struct ft_probe_set *set, const bool *keep)
{
	size_t k = 0;

	for (size_t i = 0; i < set->n; i++) {
		if (keep[i]) {
			set->names[k] = set->names[i];
			set->funcs[k++] = set->funcs[i];
		} else {
			free(set->names[i]);
			free(set->funcs[i]);
		}
	}
	set->n = k;
}

/* Undo the ledger's record of the dynamic event @group/@name. */
static void undo_named(struct ft_ledger *l, const char *group, const char *name)
{
	const struct ft_journal *j = ft_ledger_objects(l);

	for (size_t i = j->nobjs; i-- > 0;)
		if (j->objs[i].kind == FT_OBJ_DYNEVENT && !strcmp(j->objs[i].system, group) &&
		    !strcmp(j->objs[i].event, name)) {
			ft_ledger_undo_one(l, j->objs[i].seq);
			return;
		}
}

/* The writes: printed for a dry run, else made through @l (the persistent ledger if NULL). */
static int commit(struct ft_tfs *t, struct ft_ledger *led, enum ft_probe_kind kind,
		  struct ft_probe_set *set, char **defs, struct ft_writes *dry, FILE *out)
{
	const char *file = ft_dynev_file(t, kind);
	struct ft_ledger *l = led;
	size_t made = 0;
	bool *keep;
	int ret = 0;

	for (size_t i = 0; dry && !ret && i < set->n; i++)
		ret = ft_writes_tfs(dry, FT_WRITE_APPEND, ft_tfs_dir(t), NULL, file, defs[i]);
	if (dry)
		return ret;
	keep = calloc(set->n, sizeof(*keep));
	if (!keep)
		return -ENOMEM;
	if (!l && ft_ledger_open_persistent(&l, t, ft_ledger_state_dir()))
		ret = -EIO;
	if (!ret)
		ret = write_all(l, kind, file, set, defs, keep, &made);
	/* All or nothing in the persistent ledger: a session's ends with its undo anyway. */
	for (size_t i = 0; ret && !led && l && i < set->n; i++)
		if (keep[i])
			undo_named(l, set->group, set->names[i]);
	if (!led)
		ft_ledger_close(l);
	keep_made(set, keep);
	free(keep);
	if (!ret && out)
		fprintf(out, "added %zu %ss %s:%s%s\n", made, ft_probe_kind_name(kind), set->group,
			set->n ? set->names[0] : "", made > 1 ? " ..." : "");
	return ret;
}

/**
 * ft_probe_add_glob() - one probe per function a glob matches
 * @t: tracefs
 * @l: the ledger that journals them (a session's); NULL for the persistent ledger
 * @o: what was asked: @o->text starts with the glob, a kernel function glob (kprobes, or
 *     kretprobes with FT_PROBE_KRETPROBE) or BINARY:GLOB (uprobes, or uretprobes); the fetch
 *     arguments after it apply to each; @o->max bounds how many (0: FT_PROBE_GLOB_MAX)
 * @dry: for a dry run, where the writes go (nothing is written); NULL to write
 * @out: where to say what was added, or NULL
 * @set: set to the probes made (for a dry run, those that would be): their names, and the
 *       function of each; ft_probe_set_release() it whatever this returns
 *
 * Return: 0, or -errno after logging what is wrong and how to fix it (nothing is left made:
 * on an error the caller's ledger, or the persistent ledger's records, hold what was made).
 */
int ft_probe_add_glob(struct ft_tfs *t, struct ft_ledger *l, const struct ft_probe_add_opts *o,
		      struct ft_writes *dry, FILE *out, struct ft_probe_set *set)
{
	bool user = memchr(o->text, '/', strcspn(o->text, " \t")) != NULL;
	enum ft_probe_kind kind = o->kind;
	char **fn = NULL, **defs = NULL, bin[PATH_MAX] = "";
	unsigned long long *offs = NULL;
	size_t n = 0;
	int ret;

	memset(set, 0, sizeof(*set));
	if (kind != FT_PROBE_KPROBE && kind != FT_PROBE_KRETPROBE) {
		ft_err("a glob names functions: it makes kprobes or uprobes (return probes with "
		       "-r)");
		return -EINVAL;
	}
	if (user)
		kind = kind == FT_PROBE_KRETPROBE ? FT_PROBE_URETPROBE : FT_PROBE_UPROBE;
	ret = ft_probe_kernel_support(t, kind) ?: matches(t, o, user, bin, &fn, &offs, &n);
	if (!ret) {
		set->names = calloc(n, sizeof(char *));
		set->funcs = calloc(n, sizeof(char *));
		defs = calloc(n, sizeof(char *));
		ret = set->names && set->funcs && defs ? 0 : -ENOMEM;
	}
	if (!ret)
		ret = define(t, o, bin, fn, offs, n, set, defs);
	if (!ret)
		ret = commit(t, l, kind, set, defs, dry, out);
	ft_probe_names_free(defs, n);
	ft_probe_names_free(fn, n);
	free(offs);
	return ret;
}
