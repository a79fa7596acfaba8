// SPDX-License-Identifier: GPL-2.0-only
/*
 * The events of an aggregation that counts several, pinned beside it ("events": an array
 * map of "system\0event" slots), so that the hist verbs, trigger ls and top --attach find it
 * by any of its events, not only by the first one its plan names.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/ftbpf.h"
#include "config.h"
#include "hist/spec.h"

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>

/* One slot: the system, then the event, each NUL-padded. */
struct slot {
	char system[FT_BPF_TEXT];
	char event[FT_BPF_TEXT];
};

/**
 * ft_bpf_members_pin() - pin the events of an aggregation in its pin directory
 * @dir: the aggregation's pin directory
 * @ev: its events
 * @n: how many (at least one)
 *
 * Return: 0 or -errno.
 */
int ft_bpf_members_pin(const char *dir, const struct ft_hist_event *ev, size_t n)
{
	struct slot *s = calloc(n, sizeof(*s));
	uint32_t *keys = calloc(n, sizeof(*keys));
	char path[PATH_MAX];
	uint32_t count = (uint32_t)n;
	int fd = -1, ret = s && keys ? 0 : -ENOMEM;

	for (size_t i = 0; !ret && i < n; i++) {
		snprintf(s[i].system, sizeof(s[i].system), "%s", ev[i].system);
		snprintf(s[i].event, sizeof(s[i].event), "%s", ev[i].event);
		keys[i] = (uint32_t)i;
	}
	if (!ret) {
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ftrig_events", sizeof(*keys), sizeof(*s),
				    count, NULL);
		ret = fd < 0 ? -errno : 0;
	}
	if (!ret && bpf_map_update_batch(fd, keys, s, &count, NULL))
		ret = -errno;
	snprintf(path, sizeof(path), "%s/events", dir);
	if (!ret && bpf_obj_pin(fd, path))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	free(s);
	free(keys);
	return ret;
}

/**
 * ft_bpf_members_has() - whether the aggregation pinned in @dir counts @sys:@event
 * @dir: its pin directory
 * @n: its events (the plan's nevents)
 * @sys: the event's system
 * @event: the event's name
 *
 * Return: true when its pinned events name it; false also when it has no such pin.
 */
bool ft_bpf_members_has(const char *dir, uint32_t n, const char *sys, const char *event)
{
	char path[PATH_MAX];
	bool found = false;
	struct slot s;
	int fd;

	snprintf(path, sizeof(path), "%s/events", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return false;
	for (uint32_t i = 0; !found && i < n; i++)
		found = !bpf_map_lookup_elem(fd, &i, &s) && !strncmp(s.system, sys, FT_BPF_TEXT) &&
			!strncmp(s.event, event, FT_BPF_TEXT);
	close(fd);
	return found;
}

/**
 * ft_bpf_members_name() - "SYSTEM:EVENT" of event @index of the aggregation pinned in @dir
 * @dir: its pin directory
 * @index: the event's index (its tag's, agg.h)
 * @buf: where the name goes
 * @size: size of @buf
 *
 * Return: @buf, or NULL when the aggregation has no pinned events or no such index.
 */
const char *ft_bpf_members_name(const char *dir, uint32_t index, char *buf, size_t size)
{
	char path[PATH_MAX];
	struct slot s;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/events", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return NULL;
	ret = bpf_map_lookup_elem(fd, &index, &s);
	close(fd);
	if (ret)
		return NULL;
	snprintf(buf, size, "%.*s:%.*s", FT_BPF_TEXT, s.system, FT_BPF_TEXT, s.event);
	return buf;
}
#else
const char *ft_bpf_members_name(const char *dir, uint32_t index, char *buf, size_t size)
{
	return NULL;
}

int ft_bpf_members_pin(const char *dir, const struct ft_hist_event *ev, size_t n)
{
	return -EOPNOTSUPP;
}

bool ft_bpf_members_has(const char *dir, uint32_t n, const char *sys, const char *event)
{
	return false;
}
#endif
