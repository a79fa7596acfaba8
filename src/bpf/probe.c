// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whether this kernel can run ftrig's BPF aggregators, and attach kprobe-multi programs: load
 * trivial programs and see.
 */
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
 * One minimal program of the type ftrig attaches to events, with the one instruction the
 * aggregator needs newer kernels for (it is on the way to every attachment: one load, not
 * several). Only when it is refused, libbpf's probe of the program type tells which of the
 * two this kernel lacks.
 *
 * Return: true when it loaded.
 */
bool ft_bpf_usable(char *why, size_t size)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	int fetch = probe_fetch_add();
	int ret = fetch == 1 ? 1 : libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);

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
/**
 * ft_bpf_kprobe_multi() - whether this kernel attaches BPF kprobe-multi programs
 *
 * Asked by trying, never by the version (Debian's 6.1 has the code without CONFIG_FPROBE):
 * a minimal kprobe-multi program linked to one symbol that no kernel has. A kernel that can
 * looks the symbol up and refuses with ESRCH; one that cannot says EOPNOTSUPP (or EINVAL
 * before 5.18) first. Nothing is ever attached.
 *
 * Return: true when it can.
 */
bool ft_bpf_kprobe_multi(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, po, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	const char *syms[] = { "ftrig_no_such_function" };
	int prog, link, err;

	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), &po);
	if (prog < 0)
		return false;
	lo.kprobe_multi.syms = syms;
	lo.kprobe_multi.cnt = 1;
	link = bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	err = errno;
	if (link >= 0)
		close(link);
	close(prog);
	return link >= 0 || err == ESRCH;
}
#else
bool ft_bpf_kprobe_multi(void)
{
	return false;
}

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
