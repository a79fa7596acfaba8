/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TFS_H
#define FT_TFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The tracing file system ftrig works on; only src/tfs*.c see inside (opaque). */
struct ft_tfs;

void ft_tfs_log_libraries(void);
int ft_tfs_open(struct ft_tfs **out);
void ft_tfs_close(struct ft_tfs *t);
int ft_tfs_locate(char *path, size_t size, bool *mounted_now, bool *debugfs);
int ft_mounts_find(const char *mounts, const char *fstype, const char *prefer, char *path,
		   size_t size);

const char *ft_tfs_dir(const struct ft_tfs *t);
bool ft_tfs_mounted_now(const struct ft_tfs *t);
bool ft_tfs_is_debugfs(const struct ft_tfs *t);
bool ft_tfs_is_readonly(const struct ft_tfs *t);

char *ft_tfs_read(struct ft_tfs *t, const char *inst, const char *relpath, size_t *len);
char *ft_tfs_event_read(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			const char *file, size_t *len);
bool ft_tfs_exists(struct ft_tfs *t, const char *inst, const char *relpath);
bool ft_tfs_event_exists(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			 const char *file);
bool ft_tfs_instance_exists(struct ft_tfs *t, const char *name);
int ft_tfs_open_file(struct ft_tfs *t, const char *inst, const char *relpath, int flags);
int ft_tfs_path(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
		const char *file, char *buf, size_t size);
char *ft_tfs_error_last(struct ft_tfs *t, const char *inst);
char **ft_tfs_instances(struct ft_tfs *t);
char **ft_tfs_systems(struct ft_tfs *t);
char **ft_tfs_events(struct ft_tfs *t, const char *system);
void ft_tfs_list_free(char **list);
struct ft_event_format;
int ft_tfs_event_format(struct ft_tfs *t, const char *inst, const char *sys, const char *ev,
			struct ft_event_format **out);

int ft_tfs_instance_create(struct ft_tfs *t, const char *name);
int ft_tfs_instance_destroy(struct ft_tfs *t, const char *name);
int ft_tfs_instance_id(struct ft_tfs *t, const char *name, unsigned long long *id);
int ft_tfs_trigger_write(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
			 const char *text, bool remove);
int ft_tfs_event_enable(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
			bool on);
int ft_tfs_event_filter(struct ft_tfs *t, const char *inst, const char *sys, const char *event,
			const char *expr);
int ft_tfs_instance_set(struct ft_tfs *t, const char *inst, const char *file, const char *value);
int ft_tfs_clock_restore(struct ft_tfs *t, const char *inst, const char *clock);
int ft_tfs_dynevent_write(struct ft_tfs *t, const char *file, const char *line);

const char *ft_tfs_strerror(int err, const char *path, char *buf, size_t size);

/* tfs-task.c: what a task is called now (procfs). */
int ft_task_comm(uint32_t pid, char *buf, size_t size);

#endif
