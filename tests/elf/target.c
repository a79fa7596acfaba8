// SPDX-License-Identifier: GPL-2.0-only
/*
 * A uprobe target for the ELF resolution unit tests, built as a PIE and a non-PIE executable
 * and as a stripped shared library. Each function's first bytes are a known marker, so a test
 * can read the file at the offset ftrig computed and see whether it is the right place.
 * ft_elf_dup is a local function here and in dup.c: an ambiguous name in .symtab.
 * __ft_elf_magic_a is an alias, ft_elf_magic_i a GNU indirect function (the glob tests).
 */
#include <stdio.h>

__asm__(".text\n"
	".globl ft_elf_magic_a\n"
	".type ft_elf_magic_a, @function\n"
	"ft_elf_magic_a:\n"
	".ascii \"FTRIG-MAGIC-A\"\n"
	".size ft_elf_magic_a, 13\n"
	".globl ft_elf_magic_b\n"
	".type ft_elf_magic_b, @function\n"
	"ft_elf_magic_b:\n"
	".Lft_elf_b:\n"
	".ascii \"FTRIG-MAGIC-B\"\n"
	".size ft_elf_magic_b, 13\n"
	".type ft_elf_dup, @function\n"
	"ft_elf_dup:\n"
	".ascii \"FTRIG-DUP-1\"\n"
	".size ft_elf_dup, 11\n"
	/* A second name of ft_elf_magic_a: one place, which a glob probes once. */
	".globl __ft_elf_magic_a\n"
	".type __ft_elf_magic_a, @function\n"
	".set __ft_elf_magic_a, ft_elf_magic_a\n"
	".size __ft_elf_magic_a, 13\n"
	/* A GNU indirect function: a glob leaves it out (its address is the resolver's). */
	".globl ft_elf_magic_i\n"
	".type ft_elf_magic_i, @gnu_indirect_function\n"
	"ft_elf_magic_i:\n"
	"lea .Lft_elf_b(%rip), %rax\n"
	"ret\n"
	".size ft_elf_magic_i, .-ft_elf_magic_i\n");

int ft_elf_main(void);
int ft_elf_main(void)
{
	return puts("ftrig ELF test target");
}
