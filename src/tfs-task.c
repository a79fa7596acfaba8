// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a task is called now, from procfs: the kernel side of the live view's name cache
 * (ui/top-names.c). A kernel hist trigger keeps the comm a process had when its entry was
 * made; a view shows the name it has now (TOP-8).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tfs.h"

/**
 * ft_task_comm() - the comm of task @pid now
 * @pid: the task (a thread id: the hist's common_pid)
 * @buf: set to its comm, NUL-terminated
 * @size: room in @buf (16 holds any comm)
 *
 * Return: 0, or -errno (-ENOENT when the task is gone).
 */
int ft_task_comm(uint32_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	if (!size)
		return -EINVAL;
	/* /proc/PID/task/TID would need the process; /proc/TID works for any thread */
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return n ? -errno : -ENOENT;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}
