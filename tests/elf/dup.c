// SPDX-License-Identifier: GPL-2.0-only
/* The second local ft_elf_dup (see target.c), and main for the executables. */
int ft_elf_main(void);

__asm__(".text\n"
	".type ft_elf_dup, @function\n"
	"ft_elf_dup:\n"
	".ascii \"FTRIG-DUP-2\"\n"
	".size ft_elf_dup, 11\n");

int main(void)
{
	return ft_elf_main() < 0;
}
