/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_SETUP_H
#define FT_SETUP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Setup files (man ftrig-setup.5), pure: text in, lines and their order out. Each command
 * line is an ftrig command line (probe add, trigger add, hist start) kept as argv, so that the
 * commands' own parsers and validators check it; the settings are instance, buffer-size,
 * enable, synth, dump-dir and export.
 */

/* What a line is, in the order apply makes them (dependency order). */
enum ft_setup_kind {
	FT_SETUP_INSTANCE, /* instance NAME: the instance to use, created if missing */
	FT_SETUP_BUFFER, /* buffer-size KB: of that instance */
	FT_SETUP_DUMPDIR, /* dump-dir DIR: where `hist dump --every` of this setup writes */
	FT_SETUP_PROBE, /* probe add ... */
	FT_SETUP_SYNTH, /* synth 'NAME TYPE FIELD; ...': a synthetic event */
	FT_SETUP_ENABLE, /* enable SYSTEM:EVENT: in the instance */
	FT_SETUP_TRIGGER, /* trigger add ..., hist start ... (hist backend) */
	FT_SETUP_BPF, /* hist start ... --backend bpf|both */
	FT_SETUP_EXPORT, /* export SYSTEM:EVENT [--limit N]: what `ftrig serve` exports */
	FT_SETUP_NKINDS,
};

/**
 * struct ft_setup_line - one logical line (continuations joined) of a setup file
 * @lineno: the physical line it starts on
 * @kind: what it makes
 * @argc: words
 * @argv: the words, unquoted; NULL-terminated. For commands, argv[0] is the command ("probe")
 * @key: the line's identity (its words, re-quoted, with the instance it applies to): how
 *       apply, diff and teardown recognise what a line made on an earlier run
 */
struct ft_setup_line {
	unsigned lineno;
	enum ft_setup_kind kind;
	int argc;
	char **argv;
	char *key;
};

/**
 * struct ft_setup - a parsed setup file
 * @path: the file's name as given (for messages)
 * @instance: the instance setting, or NULL for the top level
 * @buffer_kb: the buffer-size setting, 0 when not set
 * @dump_dir: the dump-dir setting, or NULL
 * @lines: every line that makes something, in file order (settings included)
 * @nlines: how many
 */
struct ft_setup {
	char *path;
	char *instance;
	unsigned long buffer_kb;
	char *dump_dir;
	struct ft_setup_line *lines;
	size_t nlines;
};

int ft_setup_parse(const char *path, const char *text, struct ft_setup **out, char *err,
		   size_t errsz);
void ft_setup_free(struct ft_setup *s);
unsigned ft_setup_nul_line(const char *text, size_t len);
int ft_setup_dump_dir_check(const char *dir, bool *exists, char *why, size_t size);
size_t *ft_setup_order(const struct ft_setup *s);
char **ft_setup_exec_argv(const struct ft_setup *s, const struct ft_setup_line *l, int *argc);
int ft_setup_words(const char *text, int *argc, char ***argv);
void ft_setup_words_free(int argc, char **argv);
char *ft_setup_quote(int argc, char *const *argv);

#endif
