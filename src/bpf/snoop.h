/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_BPF_SNOOP_H
#define FT_BPF_SNOOP_H

/*
 * The contract between the snoop program (snoop.bpf.c: execsnoop's and opensnoop's calls,
 * each entry joined with its return in the kernel) and user space (snooper.c): the read-only
 * configuration, the attachments' cookies, and the record sent through the ring buffer.
 * Only fixed-width types, so both compilers lay it out the same.
 */
#include <linux/types.h>

#define FT_SNOOP_PATH 256 /* bytes of a file name kept (NUL included) */
#define FT_SNOOP_ARG 128 /* bytes of one argument kept (NUL included) */
#define FT_SNOOP_ARGS 20 /* arguments after argv[0] kept, as bcc's execsnoop */
#define FT_SNOOP_PENDING 10240 /* calls in flight at once */

enum ft_snoop_kind { FT_SNOOP_EXEC = 1, FT_SNOOP_OPEN = 2 };

/* ft_snoop_rec.flags */
#define FT_SNOOP_TRUNC 1 /* more arguments than FT_SNOOP_ARGS */
#define FT_SNOOP_NOFILE 2 /* the file name could not be read (a bad pointer) */
#define FT_SNOOP_LATE 4 /* the file name was read at the return (not paged in at entry) */
#define FT_SNOOP_BLOB 8 /* @args is the new program's argument area: @blob bytes of argv[0..] */
#define FT_SNOOP_NOPPID 16 /* @ppid is not known (hist triggers: user space sets it) */

/*
 * The cookie of an attachment: at an entry, what kind of call and where its filename and argv
 * pointers are in the record (from the event's format file); at a return, where ret is.
 */
#define FT_SNOOP_COOKIE(kind, off_a, off_b) \
	((__u64)(kind) << 32 | (__u64)((off_a)&0xffff) << 16 | (__u64)((off_b)&0xffff))
#define FT_SNOOP_C_KIND(c) ((__u32)((c) >> 32))
#define FT_SNOOP_C_A(c) ((__u32)(((c) >> 16) & 0xffff))
#define FT_SNOOP_C_B(c) ((__u32)((c)&0xffff))

/* The counters in the stats map: what could not be shown, so that it is said, never lost. */
enum {
	FT_SNOOP_LOST_RING, /* the ring buffer was full at a return */
	FT_SNOOP_LOST_PENDING, /* the map of calls in flight was full at an entry */
	FT_SNOOP_NSTATS,
};

/**
 * struct ft_snoop_cfg - the program's read-only configuration, set before load
 * @tgid: only this process (-p), 0 for all
 * @failed: only calls that failed (-x)
 * @has_comm: only tasks named @comm (-c)
 * @comm: the name, NUL padded
 */
struct ft_snoop_cfg {
	__u32 tgid;
	__u32 failed;
	__u32 has_comm;
	char comm[16];
};

/**
 * struct ft_snoop_rec - one call, its entry joined with its return
 * @ts: the return's time, CLOCK_MONOTONIC ns
 * @ptr: the file name's user address (to read it again at the return)
 * @ret: the return value
 * @pid: the calling process (tgid)
 * @tid: the calling thread
 * @ppid: its parent process
 * @kind: enum ft_snoop_kind
 * @flags: FT_SNOOP_* flags
 * @argc: arguments after argv[0] in @args (FT_SNOOP_BLOB: set by user space)
 * @blob: FT_SNOOP_BLOB: bytes of the argument area in @args
 * @comm: the caller's task name at the entry
 * @file: the file name (an exec's filename, an open's path)
 * @args: an exec's argv[1...], NUL-terminated each
 */
struct ft_snoop_rec {
	__u64 ts;
	__u64 ptr;
	__s64 ret;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 kind;
	__u32 flags;
	__u32 argc;
	__u32 blob;
	__u32 pad;
	char comm[16];
	char file[FT_SNOOP_PATH];
	char args[FT_SNOOP_ARGS][FT_SNOOP_ARG];
};

/* What an open sends: the record without its arguments. */
#define FT_SNOOP_OPEN_SIZE ((unsigned long)&((struct ft_snoop_rec *)0)->args)

#endif
