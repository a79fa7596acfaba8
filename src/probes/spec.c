// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe specs: the ftrig form the user types ("do_sys_openat2 dfd=$arg1", "/bin/bash:readline",
 * "sched:sched_switch next=$next_pid") and the kernel's own definition syntax (what --raw takes
 * and what dynamic_events lists), parsed into one struct and formatted back into the kernel's
 * syntax. Pure: no I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probe.h"

static const char *const kind_names[] = {
	[FT_PROBE_KPROBE] = "kprobe", [FT_PROBE_KRETPROBE] = "kretprobe",
	[FT_PROBE_UPROBE] = "uprobe", [FT_PROBE_URETPROBE] = "uretprobe",
	[FT_PROBE_EPROBE] = "eprobe",
};

/**
 * ft_probe_kind_name() - the word for a kind of probe in messages and listings
 * @kind: the kind
 *
 * Return: a static string.
 */
const char *ft_probe_kind_name(enum ft_probe_kind kind)
{
	return kind <= FT_PROBE_EPROBE ? kind_names[kind] : "probe";
}

/**
 * ft_probe_is_user() - whether a kind probes user space (uprobe_events)
 * @kind: the kind
 *
 * Return: true for uprobes and uretprobes.
 */
bool ft_probe_is_user(enum ft_probe_kind kind)
{
	return kind == FT_PROBE_UPROBE || kind == FT_PROBE_URETPROBE;
}

/**
 * ft_probe_is_return() - whether a kind fires on function return
 * @kind: the kind
 *
 * Return: true for kretprobes and uretprobes.
 */
bool ft_probe_is_return(enum ft_probe_kind kind)
{
	return kind == FT_PROBE_KRETPROBE || kind == FT_PROBE_URETPROBE;
}

/**
 * ft_probe_ident_ok() - whether a group or event name follows the kernel's rules
 * @s: the name
 *
 * Return: true for a C identifier of at most FT_PROBE_NAME_MAX characters.
 */
bool ft_probe_ident_ok(const char *s)
{
	size_t n = 0;

	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_')
			return false;
	return n <= FT_PROBE_NAME_MAX;
}

/**
 * ft_probe_spec_release() - free what a spec holds and zero it
 * @spec: the spec, may be NULL
 */
void ft_probe_spec_release(struct ft_probe_spec *spec)
{
	if (!spec)
		return;
	free(spec->group);
	free(spec->name);
	free(spec->target);
	free(spec->symbol);
	free(spec->ref_ctr);
	for (size_t i = 0; i < spec->nargs; i++)
		free(spec->args[i]);
	free(spec->args);
	free(spec->filter);
	memset(spec, 0, sizeof(*spec));
}

/* A number as the kernel reads it (kstrtoul base 0): decimal, 0x hex or 0 octal. */
static int parse_num(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static char *dupn(const char *s, size_t n)
{
	return strndup(s, n);
}

/* The next word of *@p, or NULL at the end; *@p is moved past it. */
static const char *next_word(const char **p, size_t *len)
{
	const char *s = *p, *w;

	while (isspace((unsigned char)*s))
		s++;
	w = s;
	while (*s && !isspace((unsigned char)*s))
		s++;
	*len = (size_t)(s - w);
	*p = s;
	return *len ? w : NULL;
}

/* Split the words after the place into arguments, and for eprobes the filter after "if". */
static int parse_args(const char *p, struct ft_probe_spec *spec, char *err, size_t errsz)
{
	const char *w;
	size_t n;

	while ((w = next_word(&p, &n))) {
		char **na;

		if (spec->kind == FT_PROBE_EPROBE && n == 2 && !strncmp(w, "if", 2)) {
			while (isspace((unsigned char)*p))
				p++;
			if (!*p) {
				snprintf(err, errsz, "'if' must be followed by a filter");
				return -EINVAL;
			}
			spec->filter = strdup(p);
			return spec->filter ? 0 : -ENOMEM;
		}
		na = realloc(spec->args, (spec->nargs + 1) * sizeof(*na));
		if (!na)
			return -ENOMEM;
		spec->args = na;
		if (!(na[spec->nargs] = dupn(w, n)))
			return -ENOMEM;
		spec->nargs++;
	}
	return 0;
}

/*
 * The kernel takes each line written to dynamic_events as a command of its own: a newline in
 * a probe would smuggle in a second definition, or a removal of somebody else's probe.
 */
static bool multi_line(const char *text, char *err, size_t errsz)
{
	if (!strpbrk(text, "\n\r"))
		return false;
	snprintf(err, errsz, "a probe is one line: remove the line break (add probes one by one)");
	return true;
}

/* "[MOD:]SYMBOL[+OFF]" or "0xADDR" of a kprobe. */
static int parse_kplace(const char *w, size_t n, struct ft_probe_spec *spec, char *err,
			size_t errsz)
{
	char *place = dupn(w, n), *plus;

	if (!place)
		return -ENOMEM;
	plus = strchr(place, '+');
	if (plus) {
		*plus = '\0';
		if (parse_num(plus + 1, &spec->offset)) {
			snprintf(err, errsz, "'%s': the offset after '+' must be a number",
				 plus + 1);
			free(place);
			return -EINVAL;
		}
	}
	if (!*place || place[strlen(place) - 1] == ':' || strchr(place, '%')) {
		snprintf(err, errsz,
			 "'%.*s' is not a kernel function: give SYMBOL[+OFFSET], "
			 "MODULE:SYMBOL or 0xADDRESS",
			 (int)n, w);
		free(place);
		return -EINVAL;
	}
	spec->target = place;
	return 0;
}

/* "BINARY:SYMBOL[+OFF]" or "BINARY:OFFSET" of a uprobe; @raw allows only the offset. */
static int parse_uplace(const char *w, size_t n, bool raw, struct ft_probe_spec *spec, char *err,
			size_t errsz)
{
	const char *colon = memrchr(w, ':', n);
	const char *rest, *plus;
	size_t rn;

	if (!colon || colon == w || colon + 1 == w + n) {
		snprintf(err, errsz,
			 "'%.*s': a uprobe is BINARY:SYMBOL[+OFFSET] or BINARY:0xOFFSET", (int)n,
			 w);
		return -EINVAL;
	}
	rest = colon + 1;
	rn = (size_t)(w + n - rest);
	if (!(spec->target = dupn(w, (size_t)(colon - w))))
		return -ENOMEM;
	if (isdigit((unsigned char)*rest)) {
		char *num = dupn(rest, rn);
		int ret = num ? parse_num(num, &spec->offset) : -ENOMEM;

		free(num);
		if (ret == -EINVAL)
			snprintf(err, errsz, "'%.*s' is not a file offset (0x1234)", (int)rn, rest);
		spec->file_offset = spec->offset;
		spec->resolved = true;
		return ret;
	}
	if (raw) {
		snprintf(err, errsz,
			 "'%.*s': the kernel's syntax takes a file offset; use the "
			 "ftrig form BINARY:SYMBOL without --raw",
			 (int)rn, rest);
		return -EINVAL;
	}
	plus = memchr(rest, '+', rn);
	if (plus) {
		char *num = dupn(plus + 1, (size_t)(rest + rn - plus - 1));
		int ret = num ? parse_num(num, &spec->offset) : -ENOMEM;

		free(num);
		if (ret) {
			if (ret == -EINVAL)
				snprintf(err, errsz,
					 "'%.*s': the offset after '+' must be a number", (int)rn,
					 rest);
			return ret;
		}
		rn = (size_t)(plus - rest);
	}
	spec->symbol = dupn(rest, rn);
	return spec->symbol ? 0 : -ENOMEM;
}

/* "SYS:EVENT", "SYS.EVENT" or "SYS/EVENT" of an eprobe. */
static int parse_eplace(const char *w, size_t n, struct ft_probe_spec *spec, char *err,
			size_t errsz)
{
	size_t i = strcspn(w, ":./");

	if (i >= n || i == 0 || i + 1 == n) {
		snprintf(err, errsz,
			 "'%.*s': an event probe attaches to SYSTEM:EVENT "
			 "(sched:sched_switch)",
			 (int)n, w);
		return -EINVAL;
	}
	spec->target = dupn(w, i);
	spec->symbol = dupn(w + i + 1, n - i - 1);
	return spec->target && spec->symbol ? 0 : -ENOMEM;
}

static int parse_place(const char *w, size_t n, bool raw, struct ft_probe_spec *spec, char *err,
		       size_t errsz)
{
	if (spec->kind == FT_PROBE_EPROBE)
		return parse_eplace(w, n, spec, err, errsz);
	if (ft_probe_is_user(spec->kind))
		return parse_uplace(w, n, raw, spec, err, errsz);
	return parse_kplace(w, n, spec, err, errsz);
}

/**
 * ft_probe_parse() - parse a probe in ftrig's form
 * @text: "PLACE [ARG...]" (with "if FILTER" at the end for eprobes); PLACE is a kernel
 *        function ([MOD:]SYMBOL[+OFF], 0xADDR), BINARY:SYMBOL[+OFF] or BINARY:0xOFFSET (the
 *        binary has a '/' in it: ./prog), or SYSTEM:EVENT for an eprobe
 * @kind: FT_PROBE_KPROBE, FT_PROBE_KRETPROBE (-r) or FT_PROBE_EPROBE (-e); a binary turns
 *        the first two into their uprobe counterparts
 * @spec: filled in (group and name NULL); release with ft_probe_spec_release(), also on error
 * @err: the reason on failure
 * @errsz: size of @err
 *
 * Return: 0, -EINVAL (with @err set) or -ENOMEM.
 */
int ft_probe_parse(const char *text, enum ft_probe_kind kind, struct ft_probe_spec *spec, char *err,
		   size_t errsz)
{
	const char *p = text, *w;
	size_t n;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (multi_line(text, err, errsz))
		return -EINVAL;
	w = next_word(&p, &n);
	if (!w) {
		snprintf(err, errsz,
			 "say what to probe: a kernel function, BINARY:SYMBOL, or "
			 "with -e SYSTEM:EVENT");
		return -EINVAL;
	}
	spec->kind = kind;
	if (kind != FT_PROBE_EPROBE && memchr(w, '/', n))
		spec->kind = kind == FT_PROBE_KRETPROBE ? FT_PROBE_URETPROBE : FT_PROBE_UPROBE;
	ret = parse_place(w, n, false, spec, err, errsz);
	return ret ? ret : parse_args(p, spec, err, errsz);
}

/* The "p[:[GROUP/]NAME]" head of a kernel definition. */
static int parse_head(const char *w, size_t n, struct ft_probe_spec *spec, char *err, size_t errsz)
{
	const char *colon = memchr(w, ':', n), *slash;
	const char *end = colon ? colon : w + n;
	char num[16];

	if (*w == 'p')
		spec->kind = FT_PROBE_KPROBE;
	else if (*w == 'r')
		spec->kind = FT_PROBE_KRETPROBE;
	else if (*w == 'e')
		spec->kind = FT_PROBE_EPROBE;
	else
		goto bad;
	if (end - w > 1) {
		if (*w != 'r' || end - w - 1 >= (long)sizeof(num))
			goto bad;
		snprintf(num, sizeof(num), "%.*s", (int)(end - w - 1), w + 1);
		for (char *c = num; *c; c++)
			if (!isdigit((unsigned char)*c))
				goto bad;
		spec->maxactive = (unsigned)strtoul(num, NULL, 10);
	}
	if (!colon)
		return 0;
	end = w + n;
	slash = memchr(colon + 1, '/', (size_t)(end - colon - 1));
	if (slash && !(spec->group = dupn(colon + 1, (size_t)(slash - colon - 1))))
		return -ENOMEM;
	w = slash ? slash + 1 : colon + 1;
	if (w < end && !(spec->name = dupn(w, (size_t)(end - w))))
		return -ENOMEM;
	return 0;
bad:
	snprintf(err, errsz,
		 "'%.*s' is not a probe definition: it starts with p, r, rN or e, "
		 "then :GROUP/NAME (-: removes, which is 'ftrig probe rm')",
		 (int)n, w);
	return -EINVAL;
}

/* Move a "%return" or "(ref_ctr)" suffix of a place into the spec. */
static int place_suffixes(char *place, struct ft_probe_spec *spec)
{
	char *paren = strchr(place, '(');
	char *ret = strstr(place, "%return");

	if (paren && place[strlen(place) - 1] == ')') {
		if (!(spec->ref_ctr = strdup(paren)))
			return -ENOMEM;
		*paren = '\0';
	}
	if (ret && !ret[7]) {
		*ret = '\0';
		if (spec->kind == FT_PROBE_KPROBE)
			spec->kind = FT_PROBE_KRETPROBE;
		else if (spec->kind == FT_PROBE_UPROBE)
			spec->kind = FT_PROBE_URETPROBE;
	}
	return 0;
}

/**
 * ft_probe_parse_raw() - parse a definition in the kernel's syntax
 * @line: "p[:[GROUP/]NAME] PLACE [ARG...]", "rN:...", "e:... SYS.EVENT [ARG...] [if FILTER]",
 *        as --raw takes it and dynamic_events lists it
 * @spec: filled in; group and name stay NULL when the line does not give them
 * @err: the reason on failure
 * @errsz: size of @err
 *
 * Return: 0, -EINVAL (with @err set), -ENOTSUP for lines that are not probes (synthetic
 * events), or -ENOMEM.
 */
int ft_probe_parse_raw(const char *line, struct ft_probe_spec *spec, char *err, size_t errsz)
{
	const char *p = line, *w;
	char *place;
	size_t n;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (multi_line(line, err, errsz))
		return -EINVAL;
	w = next_word(&p, &n);
	if (w && w[0] == 's' && w[1] == ':')
		return -ENOTSUP;
	ret = parse_head(w ? w : "", n, spec, err, errsz);
	if (ret)
		return ret;
	w = next_word(&p, &n);
	if (!w) {
		snprintf(err, errsz, "'%s': the definition names no place to probe", line);
		return -EINVAL;
	}
	place = dupn(w, n);
	if (!place)
		return -ENOMEM;
	if (spec->kind != FT_PROBE_EPROBE && strchr(place, '/'))
		spec->kind =
			spec->kind == FT_PROBE_KRETPROBE ? FT_PROBE_URETPROBE : FT_PROBE_UPROBE;
	ret = place_suffixes(place, spec);
	if (!ret)
		ret = parse_place(place, strlen(place), true, spec, err, errsz);
	free(place);
	return ret ? ret : parse_args(p, spec, err, errsz);
}

/* Everything after the head: place, arguments, filter. */
static void format_body(FILE *f, const struct ft_probe_spec *s)
{
	if (s->kind == FT_PROBE_EPROBE)
		fprintf(f, " %s.%s", s->target, s->symbol);
	else if (ft_probe_is_user(s->kind))
		fprintf(f, " %s:0x%llx%s", s->target, s->file_offset, s->ref_ctr ? s->ref_ctr : "");
	else if (s->offset)
		fprintf(f, " %s+%llu", s->target, s->offset);
	else
		fprintf(f, " %s", s->target);
	for (size_t i = 0; i < s->nargs; i++)
		fprintf(f, " %s", s->args[i]);
	if (s->filter)
		fprintf(f, " if %s", s->filter);
}

/**
 * ft_probe_format() - the kernel definition of a probe
 * @spec: the probe, with group and name set and, for uprobes, the file offset resolved
 *
 * Return: "p:GROUP/NAME PLACE ARGS..." for the caller to free, or NULL with errno set
 * (EINVAL when the spec is incomplete).
 */
char *ft_probe_format(const struct ft_probe_spec *spec)
{
	static const char heads[] = { [FT_PROBE_KPROBE] = 'p',
				      [FT_PROBE_KRETPROBE] = 'r',
				      [FT_PROBE_UPROBE] = 'p',
				      [FT_PROBE_URETPROBE] = 'r',
				      [FT_PROBE_EPROBE] = 'e' };
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!spec->group || !spec->name || !spec->target ||
	    (ft_probe_is_user(spec->kind) && !spec->resolved) || spec->kind > FT_PROBE_EPROBE) {
		errno = EINVAL;
		return NULL;
	}
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputc(heads[spec->kind], f);
	if (spec->kind == FT_PROBE_KRETPROBE && spec->maxactive)
		fprintf(f, "%u", spec->maxactive);
	fprintf(f, ":%s/%s", spec->group, spec->name);
	format_body(f, spec);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

/* @s made into an identifier: other characters become '_', a leading digit gets a '_'. */
static void identify(const char *s, char *out, size_t size)
{
	size_t o = 0;

	if (isdigit((unsigned char)*s) && size > 1)
		out[o++] = '_';
	for (; *s && o + 1 < size; s++)
		out[o++] = isalnum((unsigned char)*s) ? *s : '_';
	out[o] = '\0';
}

/* The readable default name: the symbol (or binary and offset), "_ret" for return probes. */
static void default_name(const struct ft_probe_spec *s, char *out, size_t size)
{
	const char *suffix = ft_probe_is_return(s->kind) ? "_ret" : "";
	char base[256];

	if (s->kind == FT_PROBE_EPROBE) {
		snprintf(base, sizeof(base), "%s", s->symbol);
	} else if (ft_probe_is_user(s->kind) && !s->symbol) {
		const char *slash = strrchr(s->target, '/');

		snprintf(base, sizeof(base), "%s_0x%llx", slash ? slash + 1 : s->target, s->offset);
	} else {
		const char *sym = ft_probe_is_user(s->kind) ? s->symbol : s->target;
		const char *colon = strrchr(sym, ':');

		snprintf(base, sizeof(base), "%s", colon ? colon + 1 : sym);
		if (s->offset)
			snprintf(base + strlen(base), sizeof(base) - strlen(base), "_%llu",
				 s->offset);
	}
	if (strlen(base) + strlen(suffix) > FT_PROBE_NAME_MAX)
		base[FT_PROBE_NAME_MAX - strlen(suffix)] = '\0';
	strcat(base, suffix);
	identify(base, out, size);
}

/* Set *@dst to @want (if given), else keep it, else use @fallback; then check it. */
static int choose(char **dst, const char *want, const char *fallback, const char *what, char *err,
		  size_t errsz)
{
	if (want) {
		free(*dst);
		*dst = NULL;
	}
	if (!*dst && !(*dst = strdup(want ? want : fallback)))
		return -ENOMEM;
	if (ft_probe_ident_ok(*dst))
		return 0;
	snprintf(err, errsz,
		 "%s '%s' is not valid: use letters, digits and '_', not starting "
		 "with a digit, at most %d characters",
		 what, *dst, FT_PROBE_NAME_MAX);
	return -EINVAL;
}

/**
 * ft_probe_name_defaults() - settle a probe's group and name
 * @spec: the probe
 * @group: the group asked for (-g), or NULL for the spec's own or FT_PROBE_GROUP
 * @name: the name asked for (-n), or NULL for the spec's own or one made from the symbol
 * @err: the reason on failure
 * @errsz: size of @err
 *
 * Return: 0, -EINVAL (a name the kernel would refuse; @err says why) or -ENOMEM.
 */
int ft_probe_name_defaults(struct ft_probe_spec *spec, const char *group, const char *name,
			   char *err, size_t errsz)
{
	char def[FT_PROBE_NAME_MAX + 2];
	int ret;

	default_name(spec, def, sizeof(def));
	ret = choose(&spec->group, group, FT_PROBE_GROUP, "group", err, errsz);
	return ret ? ret : choose(&spec->name, name, def, "name", err, errsz);
}

/**
 * ft_probe_text_is_glob() - whether a kprobe's words name functions by a glob
 * @text: the probe's words ("vfs_*", "vfs_read* count=%dx")
 *
 * Return: true when the first word (the function) holds *, ? or [.
 */
bool ft_probe_text_is_glob(const char *text)
{
	size_t len = strcspn(text, " \t");

	for (size_t i = 0; i < len; i++)
		if (strchr("*?[", text[i]))
			return true;
	return false;
}
