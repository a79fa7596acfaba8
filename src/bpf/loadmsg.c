// SPDX-License-Identifier: GPL-2.0-only
/*
 * What to tell the user when the kernel does not load the aggregator (pure): the cause in
 * their words and what to do, and the verifier's last lines, where its reason is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bpf/ftbpf.h"

/**
 * ft_bpf_vlog_tail() - the last lines of a verifier log
 * @log: the log, NUL-terminated
 * @lines: how many lines
 *
 * Trailing newlines do not count as lines: the verifier ends its log with one.
 *
 * Return: a pointer into @log, at the first of the last @lines lines (@log itself when it
 * has no more).
 */
const char *ft_bpf_vlog_tail(const char *log, int lines)
{
	const char *p = log + strlen(log);

	while (p > log && p[-1] == '\n')
		p--;
	while (p > log && lines > 0)
		if (*--p == '\n' && --lines == 0)
			return p + 1;
	return log;
}

/**
 * ft_bpf_load_msg() - the error message for a failed load of the aggregator
 * @ret: the load's -errno
 * @vlog: the verifier's log ("" when it wrote none)
 * @event: the aggregation's event, "system:event"
 * @root: ftrig runs as root
 * @hist_can: hist triggers can count this instead: the message says so
 * @buf: where the message is written
 * @size: size of @buf
 *
 * A log means the verifier refused the program: its reason is in the last lines, shown
 * under -v. Without one, EPERM is a missing privilege, or for root a kernel that forbids it
 * (lockdown, the JIT's memory limit).
 *
 * Return: @buf.
 */
const char *ft_bpf_load_msg(int ret, const char *vlog, const char *event, bool root, bool hist_can,
			    char *buf, size_t size)
{
	const char *alt = hist_can ? "; hist triggers can count this instead (--backend hist)" : "";

	if (vlog[0] && (ret == -EPERM || ret == -EACCES || ret == -EINVAL || ret == -E2BIG))
		snprintf(buf, size,
			 "the kernel's verifier refused ftrig's aggregator for %s (run 'ftrig -v "
			 "...' to see its last lines)%s",
			 event, alt);
	else if ((ret == -EPERM || ret == -EACCES) && !root)
		snprintf(buf, size, "loading BPF needs root (CAP_BPF and CAP_PERFMON)%s", alt);
	else if (ret == -EPERM || ret == -EACCES)
		snprintf(buf, size,
			 "the kernel does not let root load ftrig's aggregator for %s (%s: kernel "
			 "lockdown, or the BPF JIT's memory limit net.core.bpf_jit_limit)%s",
			 event, strerror(-ret), alt);
	else if (ret == -ENOSYS || ret == -EOPNOTSUPP)
		snprintf(buf, size, "this kernel has no BPF support (%s)%s", strerror(-ret), alt);
	else
		snprintf(buf, size, "loading the BPF aggregator for %s failed: %s%s", event,
			 strerror(-ret), alt);
	return buf;
}
