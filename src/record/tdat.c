// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing a trace.dat file (the trace-cmd format, version 6, which trace-cmd report and
 * KernelShark read) with libtracecmd: the ring-buffer pages as the kernel wrote them, one
 * stream per CPU, behind the headers libtracecmd copies from tracefs (page header, event
 * formats, kallsyms, printk formats, saved_cmdlines).
 *
 * Nothing appears under the output's name until the file is whole: the CPU streams and the
 * file are unnamed files (O_TMPFILE) in the output's directory, so a failed or killed run
 * leaves nothing behind, and the finished file is linked in and renamed over the name last.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "record/tdat.h"

#if HAVE_TRACECMD
#include "record/tracecmd-dl.h"

/* The trace.dat version every reader knows (7 adds sections and compression). */
#define TDAT_VERSION 6

struct ft_tdat {
	struct ft_tracecmd tc;
	int dir_fd;
	int out_fd;
	int ncpus;
	int *cpu_fds;
	char *dir;
	char *base;
	char *path;
	char meta[NAME_MAX + 1];
};

/* The directory and last component of @path ("trace.dat" -> ".", "trace.dat"). */
static int split_path(struct ft_tdat *t, const char *path)
{
	const char *slash = strrchr(path, '/');

	t->path = strdup(path);
	if (slash) {
		t->dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
		t->base = strdup(slash + 1);
	} else {
		t->dir = strdup(".");
		t->base = strdup(path);
	}
	if (!t->path || !t->dir || !t->base)
		return -ENOMEM;
	if (!*t->base || !strcmp(t->base, ".") || !strcmp(t->base, ".."))
		return -EISDIR;
	return 0;
}

static int tmpfile_in(struct ft_tdat *t)
{
	int fd = openat(t->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);

	return fd < 0 ? -errno : fd;
}

static const char *open_error(int err, const struct ft_tdat *t, char *buf, size_t size)
{
	if (err == -ENOENT)
		snprintf(buf, size, "directory %s does not exist; create it or give another -o",
			 t->dir);
	else if (err == -ENOTDIR)
		snprintf(buf, size, "%s is not a directory", t->dir);
	else if (err == -EISDIR)
		snprintf(buf, size, "it is a directory; give a file name such as trace.dat");
	else if (err == -EOPNOTSUPP)
		snprintf(buf, size, "the file system of %s has no unnamed files (O_TMPFILE)",
			 t->dir);
	else
		snprintf(buf, size, "%s", strerror(-err));
	return buf;
}

/**
 * ft_tdat_open() - start a trace.dat file
 * @path: the file to write; it appears only when ft_tdat_finish() succeeds
 * @ncpus: CPUs whose streams the file will hold (CPU numbers 0 to @ncpus - 1)
 * @out: set to the writer, to free with ft_tdat_free()
 *
 * Checks what can be checked before recording: that @path's directory exists and takes
 * files, and that @path is not a directory. Nothing is created under a name.
 *
 * Return: 0, or -errno (logged, naming the problem).
 */
int ft_tdat_open(const char *path, int ncpus, struct ft_tdat **out)
{
	struct ft_tdat *t = calloc(1, sizeof(*t));
	char why[PATH_MAX + 128];
	struct stat st;
	int ret;

	if (!t)
		return -ENOMEM;
	t->dir_fd = t->out_fd = -1;
	/* Before anything is recorded: a missing library says so at once, not at the end. */
	ret = ft_tracecmd_load(&t->tc, "ftrig record");
	if (ret) {
		free(t);
		return ret;
	}
	t->ncpus = ncpus;
	t->cpu_fds = malloc((size_t)ncpus * sizeof(*t->cpu_fds));
	ret = t->cpu_fds ? split_path(t, path) : -ENOMEM;
	for (int i = 0; t->cpu_fds && i < ncpus; i++)
		t->cpu_fds[i] = -1;
	if (!ret && !stat(path, &st) && S_ISDIR(st.st_mode))
		ret = -EISDIR;
	if (!ret) {
		t->dir_fd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ret = t->dir_fd < 0 ? -errno : 0;
	}
	if (!ret)
		ret = t->out_fd = tmpfile_in(t);
	for (int i = 0; ret >= 0 && i < ncpus; i++)
		ret = t->cpu_fds[i] = tmpfile_in(t);
	if (ret < 0) {
		if (ret != -ENOMEM)
			ft_err("cannot write %s: %s", path, open_error(ret, t, why, sizeof(why)));
		ft_tdat_free(t);
		return ret;
	}
	*out = t;
	return 0;
}

/**
 * ft_tdat_page() - add one ring-buffer page to a CPU's stream
 * @t: the writer
 * @cpu: the CPU, below the count given to ft_tdat_open()
 * @page: the page as read from trace_pipe_raw
 * @size: its size (the sub-buffer size)
 *
 * Return: 0, or -errno (logged).
 */
int ft_tdat_page(struct ft_tdat *t, int cpu, const void *page, size_t size)
{
	const char *p = page;

	if (cpu < 0 || cpu >= t->ncpus)
		return -EINVAL;
	while (size) {
		ssize_t n = write(t->cpu_fds[cpu], p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ft_err("cannot write the data of CPU %d for %s: %s", cpu, t->path,
			       strerror(n < 0 ? errno : ENOSPC));
			return n < 0 ? -errno : -ENOSPC;
		}
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

/* The event list libtracecmd stores formats of: "system/event" for each "system:event". */
static struct tracecmd_event_list *event_list(char *const *events, char ***names)
{
	struct tracecmd_event_list *list = NULL;
	size_t n = 0;

	while (events[n])
		n++;
	*names = calloc(n + 1, sizeof(**names));
	list = calloc(n + 1, sizeof(*list));
	if (!*names || !list) {
		free(list);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char *g = strdup(events[i]), *colon = g ? strchr(g, ':') : NULL;

		if (!g)
			return list; /* the names so far are freed by the caller */
		if (colon)
			*colon = '/';
		(*names)[i] = g;
		list[i].glob = g;
		list[i].next = i + 1 < n ? &list[i + 1] : NULL;
	}
	return list;
}

/* @len bytes of @text as file @name in @dfd. */
static int put_file(int dfd, const char *name, const char *text, size_t len)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), ret = 0;

	if (fd < 0)
		return -errno;
	while (len && !ret) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		ret = n < 0 ? -errno : n == 0 ? -EIO : 0;
		text += n > 0 ? n : 0;
		len -= n > 0 ? (size_t)n : 0;
	}
	close(fd);
	return ret;
}

/* The kernel's symbols as they are now (they change as BPF programs come and go). */
static int put_kallsyms(int dfd)
{
	size_t len = 0, cap = 8 << 20;
	char *buf = malloc(cap);
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC), ret = 0;
	ssize_t n = 0;

	while (buf && fd >= 0 && (n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
	}
	if (!buf || fd < 0 || n < 0)
		ret = !buf ? -ENOMEM : -errno;
	else
		ret = put_file(dfd, "kallsyms", buf, len);
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

/*
 * libtracecmd copies each file it stores by reading it twice (its size, then its bytes) and
 * gives up when they differ, as saved_cmdlines and kallsyms do on a busy machine. So it is
 * handed a directory of its own: the task names, printk formats and kernel symbols as read
 * once, and a link to the event formats, which do not change. It lives beside the output,
 * hidden, only while the file is written.
 */
static int make_meta_dir(struct ft_tdat *t, const char *tracing_dir, const struct ft_tdat_meta *m)
{
	char link[PATH_MAX];
	int dfd, ret = 0;

	snprintf(t->meta, sizeof(t->meta), ".%.200s.ftrig-%d.d", t->base, (int)getpid());
	if (mkdirat(t->dir_fd, t->meta, 0700))
		return -errno;
	dfd = openat(t->dir_fd, t->meta, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	snprintf(link, sizeof(link), "%s/events", tracing_dir);
	if (symlinkat(link, dfd, "events"))
		ret = -errno;
	if (!ret)
		ret = put_file(dfd, "saved_cmdlines", m->cmdlines, m->cmdlines_len);
	if (!ret)
		ret = put_file(dfd, "printk_formats", m->printk, m->printk_len);
	if (!ret)
		ret = put_kallsyms(dfd);
	close(dfd);
	return ret;
}

static void remove_meta_dir(struct ft_tdat *t)
{
	int dfd;

	if (!t->meta[0])
		return;
	dfd = openat(t->dir_fd, t->meta, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dfd >= 0) {
		unlinkat(dfd, "events", 0);
		unlinkat(dfd, "printk_formats", 0);
		unlinkat(dfd, "saved_cmdlines", 0);
		unlinkat(dfd, "kallsyms", 0);
		close(dfd);
	}
	unlinkat(t->dir_fd, t->meta, AT_REMOVEDIR);
	t->meta[0] = '\0';
}

/* The whole file into out_fd: headers from @meta_dir, then each CPU's stream. */
static int write_file(struct ft_tdat *t, const char *meta_dir, char *const *events,
		      const char *clock)
{
	const struct ft_tracecmd *tc = &t->tc;
	struct tracecmd_output *h;
	struct tracecmd_event_list *list;
	char **names = NULL, **paths;
	int fd = dup(t->out_fd), ret = -EIO;
	char kallsyms[PATH_MAX];

	snprintf(kallsyms, sizeof(kallsyms), "%s/kallsyms", meta_dir);
	paths = calloc((size_t)t->ncpus, sizeof(*paths));
	list = event_list(events, &names);
	h = fd >= 0 && paths && list ? tracecmd_output_create_fd(fd) : NULL;
	if (!h) {
		if (fd >= 0)
			close(fd);
		ret = -ENOMEM;
		goto out;
	}
	/* libtracecmd opens the streams by name: their /proc/self/fd links. */
	for (int i = 0; i < t->ncpus; i++)
		if (asprintf(&paths[i], "/proc/self/fd/%d", t->cpu_fds[i]) < 0)
			paths[i] = NULL;
	tracecmd_set_quiet(h, true);
	/* (libtracecmd 1.3 does not free the kallsyms path it copies: 40 bytes, once a run.) */
	/* Its warning that the top buffer has no instance description is no error. */
	tracecmd_set_loglevel(TEP_LOG_ERROR);
	/* A version 6 file keeps the clock after the CPU offsets, but a reader looks for it only
	 * when the TRACECLOCK option says it is there (as trace-cmd record adds it): without it
	 * trace-cmd takes the file's timestamps for the local clock. */
	if (clock) {
		tracecmd_set_out_clock(h, clock);
		tracecmd_add_option(h, FT_TRACECMD_OPTION_TRACECLOCK, 0, NULL);
	}
	if (!tracecmd_output_set_version(h, TDAT_VERSION) &&
	    !tracecmd_output_set_trace_dir(h, meta_dir) &&
	    !tracecmd_output_set_kallsyms(h, kallsyms) && !tracecmd_output_write_headers(h, list) &&
	    !tracecmd_write_cmdlines(h) && !tracecmd_append_cpu_data(h, t->ncpus, paths))
		ret = 0;
	tracecmd_output_close(h); /* closes fd */
out:
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	for (int i = 0; paths && i < t->ncpus; i++)
		free(paths[i]);
	free(names);
	free(paths);
	free(list);
	return ret;
}

/* Give the finished unnamed file its name, replacing a file of that name. */
static int publish(struct ft_tdat *t)
{
	char tmp[NAME_MAX + 1], proc[64];
	int ret;

	snprintf(tmp, sizeof(tmp), ".%.200s.ftrig-%d", t->base, (int)getpid());
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t->out_fd);
	unlinkat(t->dir_fd, tmp, 0);
	ret = linkat(t->out_fd, "", t->dir_fd, tmp, AT_EMPTY_PATH);
	if (ret && (errno == EPERM || errno == ENOENT))
		ret = linkat(AT_FDCWD, proc, t->dir_fd, tmp, AT_SYMLINK_FOLLOW);
	if (!ret && renameat(t->dir_fd, tmp, t->dir_fd, t->base)) {
		ret = -1;
		unlinkat(t->dir_fd, tmp, 0);
	}
	return ret ? -errno : 0;
}

/**
 * ft_tdat_finish() - write the headers and the CPU streams, and give the file its name
 * @t: the writer, with every page added
 * @tracing_dir: the tracefs directory the headers and event formats are copied from
 * @m: saved_cmdlines and printk_formats, read once
 * @events: the recorded events, "system:event" each, NULL-terminated
 * @clock: the trace clock the timestamps are on ("mono"), or NULL for tracefs' own
 *
 * Return: 0, or -errno (logged); on failure no file of the output's name was made.
 */
int ft_tdat_finish(struct ft_tdat *t, const char *tracing_dir, const struct ft_tdat_meta *m,
		   char *const *events, const char *clock)
{
	char meta[PATH_MAX];
	int ret = make_meta_dir(t, tracing_dir, m);

	snprintf(meta, sizeof(meta), "%s/%s", t->dir, t->meta);
	if (ret) {
		ft_err("cannot write %s: %s", t->path, strerror(-ret));
		remove_meta_dir(t);
		return ret;
	}
	ret = write_file(t, meta, events, clock);
	remove_meta_dir(t);

	if (ret) {
		ft_err("libtracecmd could not write %s: %s", t->path, strerror(errno));
		return ret;
	}
	if (fsync(t->out_fd)) {
		ret = -errno;
		ft_err("cannot write %s: %s", t->path, strerror(errno));
		return ret;
	}
	ret = publish(t);
	if (ret)
		ft_err("cannot create %s: %s", t->path, strerror(-ret));
	return ret;
}

/**
 * ft_tdat_free() - close a writer; an unfinished file is discarded
 * @t: the writer, or NULL
 */
void ft_tdat_free(struct ft_tdat *t)
{
	if (!t)
		return;
	if (t->dir_fd >= 0)
		remove_meta_dir(t);
	for (int i = 0; t->cpu_fds && i < t->ncpus; i++)
		if (t->cpu_fds[i] >= 0)
			close(t->cpu_fds[i]);
	if (t->out_fd >= 0)
		close(t->out_fd);
	if (t->dir_fd >= 0)
		close(t->dir_fd);
	free(t->cpu_fds);
	free(t->dir);
	free(t->base);
	free(t->path);
	free(t);
}

#endif /* HAVE_TRACECMD */
