// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disk names for biolatency: the block events carry a request's disk as the kernel's dev_t
 * (MAJOR << 20 | MINOR, include/linux/kdev_t.h), and sysfs names it both ways:
 * /sys/dev/block/MAJOR:MINOR/uevent has DEVNAME=, /sys/class/block/NAME/dev has
 * "MAJOR:MINOR". Read only; the sysfs root is a parameter so tests can hand a tree of their
 * own.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tools.h"
#include "util.h"

#define MINORBITS 20 /* the kernel's internal dev_t, as the block events print it */

/**
 * ft_tool_disk_name() - the name of a block device from the dev_t the block events carry
 * @sysfs: the sysfs mount ("/sys")
 * @dev: the device, MAJOR << 20 | MINOR
 * @buf: set to its name ("vda"); on error, to "MAJOR:MINOR"
 * @size: size of @buf
 *
 * Return: 0, or -errno (no such device, or its uevent names none: -ENOENT).
 */
int ft_tool_disk_name(const char *sysfs, uint64_t dev, char *buf, size_t size)
{
	unsigned major = (unsigned)(dev >> MINORBITS),
		 minor = (unsigned)(dev & ((1U << MINORBITS) - 1));
	char path[512], *text, *name;
	int ret = -ENOENT;

	snprintf(buf, size, "%u:%u", major, minor);
	snprintf(path, sizeof(path), "%s/dev/block/%u:%u/uevent", sysfs, major, minor);
	text = ft_read_file(path, NULL);
	if (!text)
		return -errno;
	for (name = text; name; name = strchr(name, '\n')) {
		name += *name == '\n';
		if (!strncmp(name, "DEVNAME=", 8) && name[8] && name[8] != '\n') {
			snprintf(buf, size, "%.*s", (int)strcspn(name + 8, "\n"), name + 8);
			ret = 0;
			break;
		}
	}
	free(text);
	return ret;
}

/**
 * ft_tool_disk_dev() - the dev_t the block events carry for a block device's name
 * @sysfs: the sysfs mount ("/sys")
 * @name: the device ("vda"), a name of /sys/class/block (no '/')
 * @dev: set to MAJOR << 20 | MINOR
 *
 * Return: 0, -ENOENT when there is no such block device, -EINVAL for a name with a '/' or
 * a dev file that does not read "MAJOR:MINOR".
 */
int ft_tool_disk_dev(const char *sysfs, const char *name, uint64_t *dev)
{
	unsigned major, minor;
	char path[512], *text;
	int ret = -EINVAL;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/class/block/%s/dev", sysfs, name);
	text = ft_read_file(path, NULL);
	if (!text)
		return -errno;
	if (sscanf(text, "%u:%u", &major, &minor) == 2 && minor < (1U << MINORBITS)) {
		*dev = (uint64_t)major << MINORBITS | minor;
		ret = 0;
	}
	free(text);
	return ret;
}
