// SPDX-License-Identifier: GPL-2.0-only
/* Whether this kernel can run ftrig's BPF aggregators: load a trivial program and see. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kfeat.h"

#if HAVE_LIBBPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/*
 * Whether the verifier takes an atomic fetch-and-add (5.12 on): the aggregator hands out the
 * slots of its table with one. Older kernels refuse it as a reserved encoding, and would
 * refuse the aggregator at every load. Return: 1, 0 when refused, or -errno.
 */
static int probe_fetch_add(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 0 },
		{ .code = BPF_STX | BPF_DW | BPF_MEM,
		  .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1,
		  .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_DW | BPF_ATOMIC,
		  .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1,
		  .off = -8,
		  .imm = BPF_ADD | BPF_FETCH },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, NULL, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EINVAL ? 0 : -errno;
}

/**
 * ft_bpf_usable() - whether a tracepoint BPF program loads on this kernel
 * @why: set to the reason when it does not
 * @size: size of @why
 *
 * libbpf's probe loads (and unloads) a minimal program of the type ftrig attaches to events;
 * a second one checks the one instruction the aggregator needs newer kernels for.
 *
 * Return: true when it loaded.
 */
bool ft_bpf_usable(char *why, size_t size)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	int ret = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);
	int fetch = ret == 1 ? probe_fetch_add() : 1;

	libbpf_set_print(old);
	if (ret == 1 && fetch == 1)
		return true;
	if (ret == 1 && fetch <= 0)
		ret = fetch ? fetch : -ENOEXEC;
	if (ret == 0)
		snprintf(why, size, "this kernel does not load tracepoint BPF programs");
	else if (ret == -ENOEXEC)
		snprintf(why, size,
			 "this kernel's BPF has no atomic fetch-and-add: ftrig's "
			 "aggregator needs Linux 5.12 or later");
	else if (ret == -EPERM || ret == -EACCES)
		snprintf(why, size, "loading BPF needs root (CAP_BPF and CAP_PERFMON)");
	else
		snprintf(why, size, "loading a test BPF program failed: %s", strerror(-ret));
	return false;
}
#else
bool ft_bpf_usable(char *why, size_t size)
{
	snprintf(why, size, "ftrig was built without libbpf (configure --disable-bpf)");
	return false;
}
#endif

/**
 * ft_btf_present() - whether the kernel exposes its BTF type information
 *
 * Return: true if /sys/kernel/btf/vmlinux is readable.
 */
bool ft_btf_present(void)
{
	return access("/sys/kernel/btf/vmlinux", R_OK) == 0;
}
