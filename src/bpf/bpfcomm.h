/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_BPFCOMM_H
#define FT_BPF_BPFCOMM_H

/*
 * For the BPF programs only (clang -target bpf): -c's test of the task's name, the same in
 * the snoop program (snoop.bpf.c) and funccount's kprobe-multi counter (kmulti.bpf.c).
 */

/**
 * ft_comm_is() - whether a task's name is the one asked for
 * @comm: the task's name, as bpf_get_current_comm() gave it
 * @want: the name asked for (the read-only configuration's), NUL padded to 16 bytes
 *
 * Return: 1 when they are equal up to the first NUL, else 0.
 */
static __always_inline int ft_comm_is(const char *comm, const volatile char *want)
{
	for (int i = 0; i < 16; i++) {
		if (comm[i] != want[i])
			return 0;
		if (!comm[i])
			break;
	}
	return 1;
}

#endif
