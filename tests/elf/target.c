// SPDX-License-Identifier: GPL-2.0-only
/*
 * A uprobe target for the ELF resolution unit tests, built as a PIE and a non-PIE executable
 * and as a stripped shared library. Each function's first bytes are a known marker, so a test
 * can read the file at the offset ftrig computed and see whether it is the right place.
 * ft_elf_dup is a local function here and in dup.c: an ambiguous name in .symtab.
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
	".ascii \"FTRIG-MAGIC-B\"\n"
	".size ft_elf_magic_b, 13\n"
	".type ft_elf_dup, @function\n"
	"ft_elf_dup:\n"
	".ascii \"FTRIG-DUP-1\"\n"
	".size ft_elf_dup, 11\n");

int ft_elf_main(void);
int ft_elf_main(void)
{
	return puts("ftrig ELF test target");
}
