// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fetch arguments ("path=+0($arg2):ustring") checked before anything is written, so that a
 * typo gets a message pointing at the argument instead of the kernel's terse EINVAL. What the
 * kernel supports comes from its own tracefs README; where this check is unsure it lets the
 * argument through, so the kernel has the last word. Pure: no I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/probe.h"
#include "suggest.h"

/**
 * ft_probe_caps_from_readme() - what the kernel's README says probes can fetch
 * @readme: the tracefs README text, or NULL
 * @caps: filled in; with no fetcharg section in the README, everything counts as supported
 */
void ft_probe_caps_from_readme(const char *readme, struct ft_probe_caps *caps)
{
	const char *fa = readme ? strstr(readme, "fetcharg:") : NULL;

	memset(caps, 0, sizeof(*caps));
	if (!fa) {
		memset(caps, 1, sizeof(*caps));
		caps->known = false;
		return;
	}
	caps->known = true;
	caps->arg_n = strstr(fa, "$arg<N>") != NULL;
	caps->comm = strstr(fa, "$comm") != NULL;
	caps->imm = strstr(fa, "\\imm-value") != NULL;
	caps->uderef = strstr(fa, "[u]<offset>") != NULL;
	caps->ret_args = strstr(fa, "return probes support:") &&
			 strstr(strstr(fa, "return probes support:"), "$arg<N>");
	caps->t_ustring = strstr(fa, "ustring") != NULL;
	caps->t_symstr = strstr(fa, "symstr") != NULL;
	caps->t_char = strstr(fa, " char,") != NULL;
	caps->t_pd = strstr(fa, "%pd") != NULL;
	caps->t_bitfield = strstr(fa, "b<bit-width>@") != NULL;
	caps->t_array = strstr(fa, "<array-size>") != NULL;
	caps->btf_args = strstr(fa, "<argname>") != NULL;
}

/* What an argument's fetch turned out to be, for the type check. */
enum fetch_class { F_MEMORY, F_VALUE, F_STRING_OK };

struct ctx {
	const struct ft_probe_spec *spec;
	const struct ft_probe_caps *caps;
	char *err;
	size_t errsz;
	bool args_in_regs;
};

static const char *fail(struct ctx *c, const char *msg)
{
	snprintf(c->err, c->errsz, "%s", msg);
	return NULL;
}

static int bad(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *skip_num(const char *p)
{
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		p += 2;
		while (isxdigit((unsigned char)*p))
			p++;
		return p;
	}
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

static const char *skip_ident(const char *p)
{
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return p;
}

static const char *fetch(struct ctx *c, const char *p, enum fetch_class *cls);

/* $VAR: $argN, $retval, $comm, $stack, $stackN, or an eprobe's $FIELD. */
static const char *fetch_var(struct ctx *c, const char *p, enum fetch_class *cls)
{
	enum ft_probe_kind k = c->spec->kind;
	const char *end = skip_ident(p + 1);
	size_t n = (size_t)(end - p - 1);
	char var[64];

	snprintf(var, sizeof(var), "%.*s", (int)(n < 63 ? n : 63), p + 1);
	*cls = F_VALUE;
	if (!n)
		return fail(c, "'$' must be followed by a name ($arg1, $retval, $comm, or an "
			       "event probe's $FIELD)");
	if (!strcmp(var, "comm")) {
		*cls = F_STRING_OK;
		return c->caps->comm ? end : fail(c, "this kernel cannot fetch $comm");
	}
	if (k == FT_PROBE_EPROBE) {
		*cls = F_STRING_OK; /* a field; the event's format says what it holds */
		return end;
	}
	if (!strcmp(var, "retval"))
		return ft_probe_is_return(k) ? end
					     : fail(c, "$retval exists only at a return "
						       "probe: add -r");
	if (!strncmp(var, "stack", 5) && (!var[5] || isdigit((unsigned char)var[5])))
		return end;
	if (!strncmp(var, "arg", 3) && isdigit((unsigned char)var[3]) &&
	    *skip_num(var + 3) == '\0') {
		if (atoi(var + 3) < 1)
			return fail(c, "arguments are counted from 1: $arg1 is the first");
		if (ft_probe_is_user(k) && c->args_in_regs && atoi(var + 3) <= 6)
			return end; /* rewritten to its register (uprobe_args_to_regs()) */
		if (ft_probe_is_user(k))
			return fail(c, "the kernel cannot fetch $argN in uprobes here: use "
				       "the argument registers (%di, %si, %dx, %cx, %r8, %r9 on "
				       "x86-64) or probe the function's entry, BINARY:SYMBOL");
		if (k == FT_PROBE_KRETPROBE && !c->caps->ret_args)
			return fail(c, "this kernel cannot fetch $argN at a return probe; "
				       "probe the entry (without -r)");
		if (c->spec->offset)
			return fail(c, "$argN exists only at a function's entry, not at "
				       "SYMBOL+OFFSET");
		return c->caps->arg_n ? end : fail(c, "this kernel cannot fetch $argN");
	}
	snprintf(c->err, c->errsz,
		 "unknown variable '$%s': the kernel knows $argN, $retval, "
		 "$comm, $stack and $stackN",
		 var);
	return NULL;
}

/* +OFF(FETCH), -OFF(FETCH), +uOFF(FETCH): a memory read through another fetch. */
static const char *fetch_deref(struct ctx *c, const char *p, enum fetch_class *cls)
{
	enum fetch_class inner;
	const char *q = p + 1, *n;

	if (*q == 'u') {
		if (!c->caps->uderef)
			return fail(c, "this kernel has no user-memory dereference (+u)");
		q++;
	}
	n = skip_num(q);
	if (n == q)
		return fail(c, "a dereference is +OFFSET(FETCHARG): the offset is missing");
	if (*n != '(')
		return fail(c, "a dereference is +OFFSET(FETCHARG): '(' is missing");
	n = fetch(c, n + 1, &inner);
	if (!n)
		return NULL;
	if (*n != ')')
		return fail(c, "a dereference is +OFFSET(FETCHARG): ')' is missing");
	*cls = F_MEMORY;
	return n + 1;
}

/* @ADDR, @SYMBOL[+|-OFF] (kernel), @+OFFSET (uprobe file offset). */
static const char *fetch_mem(struct ctx *c, const char *p, enum fetch_class *cls)
{
	const char *q = p + 1;

	*cls = F_MEMORY;
	if (c->spec->kind == FT_PROBE_EPROBE)
		return fail(c, "event probes fetch event fields ($FIELD), not memory");
	if (*q == '+' || *q == '-' || isdigit((unsigned char)*q)) {
		const char *n = skip_num(q + (*q == '+' || *q == '-'));

		return n > q ? n : fail(c, "'@' must be followed by an address or symbol");
	}
	if (ft_probe_is_user(c->spec->kind))
		return fail(c, "uprobes read memory at @ADDRESS or @+FILE_OFFSET, not "
			       "at symbols");
	q = skip_ident(q);
	if (q == p + 1)
		return fail(c, "'@' must be followed by an address or symbol");
	if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1]))
		q = skip_num(q + 1);
	return q;
}

static const char *fetch_imm(struct ctx *c, const char *p, enum fetch_class *cls)
{
	const char *q = p + 1;

	if (!c->caps->imm)
		return fail(c, "this kernel has no immediate values (\\VALUE)");
	*cls = F_STRING_OK;
	if (*q == '"') {
		const char *e = strchr(q + 1, '"');

		return e ? e + 1 : fail(c, "an immediate string needs its closing '\"'");
	}
	if (*q == '-' || *q == '+')
		q++;
	*cls = F_VALUE;
	return skip_num(q) > q ? skip_num(q)
			       : fail(c, "'\\' must be followed by a "
					 "number or a \"string\"");
}

#if defined(__x86_64__)
/* The names the kernel's regs_query_register_offset() knows on x86-64
 * (arch/x86/kernel/ptrace.c, regoffset_table): pt_regs' own names, not rdi or edi. */
static const char *const kernel_regs[] = { "di",  "si",	 "dx",	"cx",	 "r8",	"r9",  "ax",
					   "bx",  "bp",	 "sp",	"ip",	 "r10", "r11", "r12",
					   "r13", "r14", "r15", "flags", "cs",	"ss",  "orig_ax" };
#endif

/* %REG: on x86-64 a name the kernel knows; elsewhere the kernel is asked. */
static const char *check_register(struct ctx *c, const char *name, const char *end)
{
#if defined(__x86_64__)
	size_t n = (size_t)(end - name);
	struct ft_suggest sg;
	char reg[32], word[34], cand[16], near[200];

	snprintf(reg, sizeof(reg), "%.*s", (int)(n < 31 ? n : 31), name);
	/* rdi, edi: user space's names of the kernel's di */
	snprintf(word, sizeof(word), "%%%s",
		 (n == 3 && (reg[0] == 'r' || reg[0] == 'e')) ? reg + 1 : reg);
	ft_suggest_init(&sg, word);
	for (size_t i = 0; i < sizeof(kernel_regs) / sizeof(*kernel_regs); i++) {
		if (!strcmp(reg, kernel_regs[i]))
			return end;
		snprintf(cand, sizeof(cand), "%%%s", kernel_regs[i]);
		/* the suggester leaves out the word itself: %rdi's %di is the one to give */
		if (!strcmp(cand, word)) {
			ft_suggest_init(&sg, word);
			snprintf(sg.names[0], sizeof(sg.names[0]), "%s", cand);
			sg.n = 1;
			break;
		}
		ft_suggest_add(&sg, cand, strlen(cand));
	}
	snprintf(c->err, c->errsz,
		 "no register '%%%s' on x86-64: the kernel names them di si dx cx r8 r9 (the "
		 "arguments), ax bx bp sp ip flags, r10-r15%s%s%s",
		 reg, sg.n ? "; did you mean " : "",
		 sg.n ? ft_suggest_list(&sg, near, sizeof(near)) : "", sg.n ? "?" : "");
	return NULL;
#else
	(void)c;
	(void)name;
	return end;
#endif
}

static const char *fetch(struct ctx *c, const char *p, enum fetch_class *cls)
{
	switch (*p) {
	case '%':
		*cls = F_VALUE;
		if (c->spec->kind == FT_PROBE_EPROBE)
			return fail(c, "event probes have no registers: fetch event "
				       "fields ($FIELD)");
		if (skip_ident(p + 1) == p + 1)
			return fail(c, "'%' must be followed by a register name (%di)");
		return check_register(c, p + 1, skip_ident(p + 1));
	case '$':
		return fetch_var(c, p, cls);
	case '+':
	case '-':
		return fetch_deref(c, p, cls);
	case '@':
		return fetch_mem(c, p, cls);
	case '\\':
		return fetch_imm(c, p, cls);
	default:
		/* Kernels with BTF take a function's parameters by name: "file->f_path.dentry". */
		if (c->caps->btf_args && (isalpha((unsigned char)*p) || *p == '_') &&
		    c->spec->kind != FT_PROBE_EPROBE && !ft_probe_is_user(c->spec->kind)) {
			*cls = F_STRING_OK;
			return p + strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "0123456789_.->");
		}
		return fail(c, "a fetch argument starts with %REG, $VAR, @ADDR, "
			       "+OFF(...) or \\IMM");
	}
}

static bool width_ok(const char *w)
{
	return !strcmp(w, "8") || !strcmp(w, "16") || !strcmp(w, "32") || !strcmp(w, "64");
}

/* bWIDTH@OFFSET/SIZE: the bits must fit their container. */
static int check_bitfield(struct ctx *c, const char *t)
{
	unsigned w, o, sz;
	char tail;

	if (!c->caps->t_bitfield)
		return bad(c, "this kernel has no bitfield types");
	if (sscanf(t, "b%u@%u/%u%c", &w, &o, &sz, &tail) != 3 ||
	    (sz != 8 && sz != 16 && sz != 32 && sz != 64) || !w || w + o > sz)
		return bad(c,
			   "bad bitfield '%s': bWIDTH@OFFSET/SIZE with "
			   "SIZE 8, 16, 32 or 64 and WIDTH+OFFSET <= SIZE",
			   t);
	return 0;
}

static int check_type(struct ctx *c, const char *type, enum fetch_class cls)
{
	char base[32];
	const char *br = strchr(type, '[');
	bool strish;

	snprintf(base, sizeof(base), "%.*s", (int)(br ? br - type : (long)strlen(type)), type);
	if (br) {
		char *end;
		long n = strtol(br + 1, &end, 10);

		if (!c->caps->t_array)
			return bad(c, "this kernel has no array types");
		if (n < 1 || n > 64 || strcmp(end, "]"))
			return bad(c,
				   "bad array '%s': TYPE[N] with N from 1 to "
				   "64",
				   type);
	}
	if (base[0] == 'b' && isdigit((unsigned char)base[1]))
		return check_bitfield(c, base);
	if (strchr("usx", base[0]) && width_ok(base + 1))
		return 0;
	strish = !strcmp(base, "string") || !strcmp(base, "ustring") || !strcmp(base, "symstr");
	if ((!strcmp(base, "ustring") && !c->caps->t_ustring) ||
	    (!strcmp(base, "symstr") && !c->caps->t_symstr) ||
	    (!strcmp(base, "char") && !c->caps->t_char) ||
	    ((!strcmp(base, "%pd") || !strcmp(base, "%pD")) && !c->caps->t_pd))
		return bad(c, "this kernel has no '%s' type", base);
	if (!strish && strcmp(base, "symbol") && strcmp(base, "char") && strcmp(base, "%pd") &&
	    strcmp(base, "%pD"))
		return bad(c,
			   "unknown type '%s': use u8..u64, s8..s64, x8..x64, "
			   "string, ustring, symbol or bWIDTH@OFFSET/SIZE",
			   type);
	if ((strish && strcmp(base, "symstr")) && cls == F_VALUE)
		return bad(c,
			   "'%s' needs memory to read from: dereference the "
			   "pointer, e.g. +0(%%di):%s",
			   base, base);
	if ((!strcmp(base, "symbol") || !strcmp(base, "symstr")) && ft_probe_is_user(c->spec->kind))
		return bad(c,
			   "'%s' resolves kernel addresses; uprobes cannot "
			   "use it",
			   base);
	return 0;
}

/**
 * ft_probe_arg_split() - the name and the fetch part of "NAME=FETCHARG[:TYPE]"
 * @arg: the argument
 * @name: where the name goes ("" when the argument has none)
 * @namesz: size of @name
 * @fetch: set to the part after "NAME="
 *
 * Return: 0, or -EINVAL when the name is not an identifier.
 */
int ft_probe_arg_split(const char *arg, char *name, size_t namesz, const char **fetch)
{
	const char *eq = strchr(arg, '=');

	*fetch = arg;
	name[0] = '\0';
	if (!eq || strchr("%$@+-\\", arg[0]))
		return 0;
	snprintf(name, namesz, "%.*s", (int)(eq - arg), arg);
	*fetch = eq + 1;
	return ft_probe_ident_ok(name) ? 0 : -EINVAL;
}

static int check_one(struct ctx *c, const char *arg)
{
	enum fetch_class cls = F_VALUE;
	const char *f, *end;
	char name[80];

	if (ft_probe_arg_split(arg, name, sizeof(name), &f))
		return bad(c,
			   "'%s' is not a valid argument name: use letters, "
			   "digits and '_'",
			   name);
	end = fetch(c, f, &cls);
	if (!end)
		return -EINVAL;
	if (*end == ':')
		return check_type(c, end + 1, cls);
	if (*end)
		return bad(c, "unexpected '%s' after the fetch argument", end);
	return 0;
}

/* x86-64 passes the first six integer arguments in these registers. */
static const char *const arg_regs[] = { "%di", "%si", "%dx", "%cx", "%r8", "%r9" };

/*
 * The kernel refuses $argN in uprobes (it cannot know the function's entry). At a symbol's
 * entry on x86-64 the calling convention says where the arguments are, so use the registers.
 */
static int uprobe_args_to_regs(struct ft_probe_spec *s)
{
#if defined(__x86_64__)
	if (s->kind != FT_PROBE_UPROBE || !s->symbol || s->offset)
		return 0;
	for (size_t i = 0; i < s->nargs; i++) {
		char *p, *out;
		size_t cap = strlen(s->args[i]) * 2 + 8;

		if (!strstr(s->args[i], "$arg"))
			continue;
		out = calloc(1, cap);
		if (!out)
			return -ENOMEM;
		for (p = s->args[i]; *p;) {
			int n = 0;
			const char *q = p + 4;

			if (!strncmp(p, "$arg", 4) && isdigit((unsigned char)*q))
				n = (int)strtol(q, (char **)&q, 10);
			if (n >= 1 && n <= 6 && !isalnum((unsigned char)*q)) {
				strcat(out, arg_regs[n - 1]);
				p = (char *)q;
			} else {
				strncat(out, p, 1);
				p++;
			}
		}
		free(s->args[i]);
		s->args[i] = out;
	}
#endif
	return 0;
}

/**
 * ft_probe_check_args() - check every fetch argument of a probe against the kernel's syntax
 * @spec: the probe; on x86-64, $argN of a uprobe at a symbol's entry is rewritten to the
 *        argument's register, since the kernel does not take $argN in uprobes
 * @caps: what this kernel supports (ft_probe_caps_from_readme())
 * @bad: set to the index of the first bad argument
 * @err: what is wrong with it
 * @errsz: size of @err
 *
 * Return: 0, -EINVAL (@bad and @err set) or -ENOMEM.
 */
int ft_probe_check_args(struct ft_probe_spec *spec, const struct ft_probe_caps *caps, size_t *bad,
			char *err, size_t errsz)
{
	struct ctx c = { spec, caps, err, errsz, false };
	int ret = 0;

#if defined(__x86_64__)
	/* Checked as the user wrote them, so an error quotes their words; rewritten after. */
	c.args_in_regs = spec->kind == FT_PROBE_UPROBE && spec->symbol && !spec->offset;
#endif
	for (size_t i = 0; !ret && i < spec->nargs; i++) {
		char ni[80];
		const char *f;

		ret = check_one(&c, spec->args[i]);
		ft_probe_arg_split(spec->args[i], ni, sizeof(ni), &f);
		for (size_t j = 0; !ret && ni[0] && j < i; j++) {
			char nj[80];

			ft_probe_arg_split(spec->args[j], nj, sizeof(nj), &f);
			if (!strcmp(ni, nj)) {
				snprintf(err, errsz, "the name '%s' is used twice", ni);
				ret = -EINVAL;
			}
		}
		if (ret)
			*bad = i;
	}
	return ret ? ret : uprobe_args_to_regs(spec);
}
