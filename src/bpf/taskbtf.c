// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where task_struct keeps a thread's id and its process's, from the running kernel's BTF.
 *
 * The raw syscall gates hold the current task (bpf_get_current_task_btf(), for the compat
 * test); with these offsets a pid or tid key is two loads from it, where
 * bpf_get_current_pid_tgid() is a helper call at every event (~18 ns here, a third of what
 * ftrig's program adds over the floor's). The verifier checks each load against task_struct's
 * BTF type. The file is mapped where the kernel allows it (6.16 and later), else read in
 * windows (btfwalk.c reads only what it walks through).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf/btfwalk.h"
#include "log.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define WINDOW (64 * 1024)

/**
 * struct reader - the kernel's BTF file, mapped or read in windows
 * @map: the whole file mapped, or NULL
 * @fd: the file
 * @size: its size
 * @buf: per region, a window of the file (when not mapped)
 * @lo: the window's first byte in the file
 * @len: bytes in the window
 */
struct reader {
	const char *map;
	int fd;
	uint64_t size;
	char *buf[2];
	uint64_t lo[2];
	size_t len[2];
};

static const void *reader_at(void *priv, uint64_t off, size_t len, enum ft_btf_region region)
{
	struct reader *r = priv;
	ssize_t got;

	if (off > r->size || len > r->size - off || len > WINDOW)
		return NULL;
	if (r->map)
		return r->map + off;
	if (off >= r->lo[region] && off + len <= r->lo[region] + r->len[region])
		return r->buf[region] + (off - r->lo[region]);
	got = pread(r->fd, r->buf[region], WINDOW, (off_t)off);
	if (got < 0 || (size_t)got < len) {
		r->len[region] = 0;
		return NULL;
	}
	r->lo[region] = off, r->len[region] = (size_t)got;
	return r->buf[region];
}

/**
 * ft_btf_task_ids() - offsets of task_struct's pid and tgid in the running kernel
 * @pid: set to pid's offset (the thread's id)
 * @tgid: set to tgid's offset (the process's id)
 *
 * Return: 0; a negative errno when the kernel has no BTF, its task_struct does not have them
 * as its own members, or they lie beyond 64 KiB (the configuration keeps 16 bits): the caller
 * then reads the ids with the helper.
 */
int ft_btf_task_ids(uint16_t *pid, uint16_t *tgid)
{
	static const char *const names[] = { "pid", "tgid" };
	struct reader r = { .fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC) };
	struct ft_btf_src src = { reader_at, &r };
	uint32_t offs[2];
	struct stat st;
	void *map;
	int ret;

	if (r.fd < 0)
		return -errno;
	if (fstat(r.fd, &st)) {
		ret = -errno;
		close(r.fd);
		return ret;
	}
	r.size = (uint64_t)st.st_size;
	map = mmap(NULL, r.size, PROT_READ, MAP_PRIVATE, r.fd, 0);
	r.map = map == MAP_FAILED ? NULL : map;
	if (!r.map) {
		r.buf[0] = malloc(2 * WINDOW);
		r.buf[1] = r.buf[0] ? r.buf[0] + WINDOW : NULL;
	}
	ret = r.map || r.buf[0] ? ft_btf_member_offsets(&src, "task_struct", names, 2, offs)
				: -ENOMEM;
	if (r.map)
		munmap(map, r.size);
	free(r.buf[0]);
	close(r.fd);
	if (!ret && (offs[0] > UINT16_MAX || offs[1] > UINT16_MAX))
		ret = -ERANGE;
	if (ret) {
		ft_dbg("task_struct's pid and tgid not found in %s (%s): ids read by helper",
		       VMLINUX_BTF, strerror(-ret));
		return ret;
	}
	*pid = (uint16_t)offs[0], *tgid = (uint16_t)offs[1];
	ft_dbg("task_struct: pid at %u, tgid at %u", *pid, *tgid);
	return 0;
}
