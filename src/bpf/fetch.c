// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which register a probe event's field is fetched from (CMD-5). A BPF program on a kprobe or
 * uprobe event runs with the probe's pt_regs, not with the record the event fetches; for a
 * field fetched from a register ($argN, $retval, %REG) it reads the same register itself.
 * Pure: text in, a pt_regs offset out.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <asm/ptrace.h>
#endif

#include "bpf/ftbpf.h"

#if defined(__x86_64__)
#define REG(kname, field)                              \
	{                                              \
		kname, offsetof(struct pt_regs, field) \
	}
/* The kernel's names (arch/x86/kernel/ptrace.c regoffset_table), user space's fields. */
static const struct {
	const char *name;
	size_t offset;
} regs[] = {
	REG("ax", rax),	 REG("bx", rbx),  REG("cx", rcx),
	REG("dx", rdx),	 REG("si", rsi),  REG("di", rdi),
	REG("bp", rbp),	 REG("sp", rsp),  REG("r8", r8),
	REG("r9", r9),	 REG("r10", r10), REG("r11", r11),
	REG("r12", r12), REG("r13", r13), REG("r14", r14),
	REG("r15", r15), REG("ip", rip),  REG("flags", eflags),
	REG("cs", cs),	 REG("ss", ss),	  REG("orig_ax", orig_rax),
};
/* The x86_64 calling convention: $arg1..$arg6 (regs_get_kernel_argument()). */
static const char *const args[] = { "di", "si", "dx", "cx", "r8", "r9" };
#define NARGS 6
#else
#define NARGS 0
#endif

static int reg_offset(const char *name, size_t len)
{
#if defined(__x86_64__)
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (strlen(regs[i].name) == len && !strncmp(regs[i].name, name, len))
			return (int)regs[i].offset;
#else
	(void)name, (void)len;
#endif
	return -1;
}

/**
 * ft_bpf_probe_def() - an event's definition line in a dynamic_events listing
 * @listing: the text of dynamic_events (or kprobe_events, uprobe_events)
 * @sys: the event's system (probe group)
 * @event: the event's name
 *
 * Return: the line ("p:GROUP/EVENT LOCATION ARGS...") for the caller to free, or NULL (also
 * when out of memory).
 */
char *ft_bpf_probe_def(const char *listing, const char *sys, const char *event)
{
	size_t ls = strlen(sys), le = strlen(event);

	for (const char *l = listing; l && *l;) {
		const char *end = l + strcspn(l, "\n"), *name = memchr(l, ':', (size_t)(end - l));

		if (name && (size_t)(end - name) > ls + le + 1 && !strncmp(name + 1, sys, ls) &&
		    name[1 + ls] == '/' && !strncmp(name + 2 + ls, event, le) &&
		    (name[2 + ls + le] == ' ' || name + 2 + ls + le == end))
			return strndup(l, (size_t)(end - l));
		l = *end ? end + 1 : end;
	}
	return NULL;
}

/**
 * ft_bpf_fetch_reg() - the pt_regs offset a probe event's field is fetched from
 * @def: the event's definition (ft_bpf_probe_def())
 * @field: the field's name
 * @offset: set to its register's offset in struct pt_regs
 * @why: on -EINVAL, what the field is fetched as ("is fetched as '+0(%sp)', read from
 *       memory"), to follow its name
 * @size: size of @why
 *
 * Registers, $argN (x86_64: six in registers) and, on return probes, $retval can be read from
 * pt_regs; memory dereferences, $stack, symbols, $comm and strings cannot: they are read by
 * the kernel when the probe fires, out of BPF's reach at the registers it sees.
 *
 * Return: 0, -ENOENT when @def fetches no @field, or -EINVAL with @why set.
 */
int ft_bpf_fetch_reg(const char *def, const char *field, int *offset, char *why, size_t size)
{
	size_t fl = strlen(field), n;
	bool ret_probe = def[0] == 'r';
	const char *w = def, *arg = NULL, *type;
	char text[256];
	int off = -1;

	/* The words after TYPE:GROUP/EVENT and the location: NAME=FETCHARG[:TYPE]. */
	for (int k = 0; *w; k++) {
		n = strcspn(w, " \t");
		if (k >= 2 && n > fl && !strncmp(w, field, fl) && w[fl] == '=')
			arg = w + fl + 1;
		w += n;
		w += strspn(w, " \t");
		if (arg)
			break;
	}
	if (!arg)
		return -ENOENT;
	n = strcspn(arg, " \t");
	snprintf(text, sizeof(text), "%.*s", (int)n, arg);
	type = strchr(text, ':');
	if (type && (strstr(type, "string") || strchr(type, '@') || strchr(type, '['))) {
		snprintf(why, size, "is fetched as '%s', a string, bitfield or array", text);
		return -EINVAL;
	}
	if (type)
		n = (size_t)(type - text);
	if (NARGS == 0) {
		snprintf(why, size, "ftrig reads probe arguments from registers on x86_64 only");
		return -EINVAL;
	}
	if (text[0] == '%')
		off = reg_offset(text + 1, n - 1);
	else if (!strncmp(text, "$retval", n) && n == 7 && ret_probe)
		off = reg_offset("ax", 2);
	else if (!strncmp(text, "$arg", 4) && n > 4 && n < 7 && isdigit((unsigned char)text[4]) &&
		 !ret_probe) {
		long i = strtol(text + 4, NULL, 10);

#if NARGS
		if (i >= 1 && i <= NARGS)
			off = reg_offset(args[i - 1], strlen(args[i - 1]));
#endif
		(void)i;
	}
	if (off >= 0) {
		*offset = off;
		return 0;
	}
	snprintf(why, size, "is fetched as '%.*s', read %s", (int)n, text,
		 text[0] == '$' && ret_probe ? "at the function's entry" : "from memory");
	return -EINVAL;
}
