// SPDX-License-Identifier: GPL-2.0-only
/* Whether this kernel can run ftrig's BPF aggregators: load a trivial program and see. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kfeat.h"

#if HAVE_LIBBPF
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/**
 * ft_bpf_usable() - whether a tracepoint BPF program loads on this kernel
 * @why: set to the reason when it does not
 * @size: size of @why
 *
 * libbpf's probe loads (and unloads) a minimal program of the type ftrig attaches to events.
 *
 * Return: true when it loaded.
 */
bool ft_bpf_usable(char *why, size_t size)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	int ret = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);

	libbpf_set_print(old);
	if (ret == 1)
		return true;
	if (ret == 0)
		snprintf(why, size, "this kernel does not load tracepoint BPF programs");
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
