/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_PROBE_H
#define FT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/* The default group of persistent probes (DESIGN.md: persistent objects live in `ftrig`). */
#define FT_PROBE_GROUP "ftrig"
/* The kernel's MAX_EVENT_NAME_LEN is 64, NUL included. */
#define FT_PROBE_NAME_MAX 63

enum ft_probe_kind {
	FT_PROBE_KPROBE,
	FT_PROBE_KRETPROBE,
	FT_PROBE_UPROBE,
	FT_PROBE_URETPROBE,
	FT_PROBE_EPROBE,
};

/**
 * struct ft_probe_spec - one dynamic probe, as the user asked for it or as the kernel lists it
 * @kind: what it is
 * @group: event group, NULL until chosen (ft_probe_name_defaults())
 * @name: event name, NULL until chosen
 * @target: kprobe: "[MOD:]SYMBOL" or "0xADDR"; uprobe: the binary's path; eprobe: the
 *          attached event's system
 * @symbol: uprobe: the symbol in @target, NULL when @offset is a file offset; eprobe: the
 *          attached event's name; kprobe: NULL
 * @offset: kprobe and uprobe: the offset after the symbol, or (uprobe without symbol) the
 *          file offset
 * @file_offset: uprobe: where @symbol + @offset lies in the file, once resolved
 * @resolved: @file_offset is valid
 * @maxactive: kretprobe: the rN count, 0 for the kernel's default
 * @ref_ctr: uprobe: the "(ref_ctr_offset)" text of a raw definition, or NULL
 * @args: the fetch arguments, each "NAME=FETCHARG[:TYPE]" (the name may be missing)
 * @nargs: how many
 * @filter: eprobe: the filter after "if", or NULL
 */
struct ft_probe_spec {
	enum ft_probe_kind kind;
	char *group;
	char *name;
	char *target;
	char *symbol;
	unsigned long long offset;
	unsigned long long file_offset;
	bool resolved;
	unsigned maxactive;
	char *ref_ctr;
	char **args;
	size_t nargs;
	char *filter;
};

/**
 * struct ft_probe_caps - what the running kernel's tracefs README says probes may fetch
 * @known: the README had a fetcharg section; when false everything is allowed
 * @arg_n: $argN
 * @comm: $comm
 * @imm: \imm-value and \"imm-string"
 * @uderef: +u<offset>(...) (user memory dereference)
 * @ret_args: kretprobes may fetch $argN (the README's "kernel return probes support" line)
 * @t_ustring: the ustring type
 * @t_symstr: the symstr type
 * @t_char: the char type
 * @t_pd: %pd / %pD
 * @t_bitfield: b<width>@<offset>/<size>
 * @t_array: <type>[<n>]
 * @btf_args: function parameters by name (<argname>, kernels with BTF probe arguments)
 */
struct ft_probe_caps {
	bool known;
	bool arg_n;
	bool comm;
	bool imm;
	bool uderef;
	bool ret_args;
	bool t_ustring;
	bool t_symstr;
	bool t_char;
	bool t_pd;
	bool t_bitfield;
	bool t_array;
	bool btf_args;
};

/* Parsing and formatting (pure; src/probes/spec.c). */
int ft_probe_parse(const char *text, enum ft_probe_kind kind, struct ft_probe_spec *spec, char *err,
		   size_t errsz);
int ft_probe_parse_raw(const char *line, struct ft_probe_spec *spec, char *err, size_t errsz);
char *ft_probe_format(const struct ft_probe_spec *spec);
void ft_probe_spec_release(struct ft_probe_spec *spec);
bool ft_probe_text_is_glob(const char *text);
int ft_probe_name_defaults(struct ft_probe_spec *spec, const char *group, const char *name,
			   char *err, size_t errsz);
bool ft_probe_ident_ok(const char *s);
const char *ft_probe_kind_name(enum ft_probe_kind kind);
bool ft_probe_is_user(enum ft_probe_kind kind);
bool ft_probe_is_return(enum ft_probe_kind kind);

/* Fetch-argument checks (pure; src/probes/fetcharg.c). */
void ft_probe_caps_from_readme(const char *readme, struct ft_probe_caps *caps);
int ft_probe_check_args(struct ft_probe_spec *spec, const struct ft_probe_caps *caps, size_t *bad,
			char *err, size_t errsz);
int ft_probe_arg_split(const char *arg, char *name, size_t namesz, const char **fetch);

/**
 * struct ft_elf_func - a function of an ELF file that a glob matched
 * @name: its name, without a symbol version
 * @offset: where its first instruction lies in the file (a uprobe's place)
 */
struct ft_elf_func {
	char *name;
	unsigned long long offset;
};

/* ELF symbols to uprobe file offsets (libelf; src/probes/elfsym.c). */
int ft_elf_resolve(const char *path, const char *symbol, unsigned long long add,
		   unsigned long long *file_offset, char *err, size_t errsz);
int ft_elf_functions(const char *path, const char *pattern, struct ft_elf_func **out, size_t *n,
		     size_t *ifuncs, char *err, size_t errsz);
void ft_elf_funcs_free(struct ft_elf_func *v, size_t n);

#endif
