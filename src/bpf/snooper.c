// SPDX-License-Identifier: GPL-2.0-only
/*
 * execsnoop's and opensnoop's kernel side: load the snoop program (snoop.bpf.c) with the
 * filters as its configuration, attach it to each call's syscalls:sys_enter_* and
 * sys_exit_* tracepoints with cookies that say where the call's pointers and return value
 * are in the record (read from the events' format files), and hand the ring buffer's
 * records to a callback.
 *
 * Nothing is pinned and nothing is written to tracefs: the program, its maps and its perf
 * events are held by this process's descriptors only, so the kernel drops them when the
 * process ends, by Ctrl-C, the end of -d, SIGTERM or SIGKILL alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/snooper.h"
#include "config.h"

/**
 * ft_snoop_rec_split() - a record's argument area, as an exec's return read it, into slots
 * @r: the record; with FT_SNOOP_BLOB, @r->args holds @r->blob bytes of the new program's
 *     argv[0], argv[1], ... each NUL-terminated (the last maybe cut short); on return
 *     @r->args[i] is argv[i + 1], @r->argc their number, FT_SNOOP_TRUNC set when some did not
 *     fit, and FT_SNOOP_BLOB clear. Other records are left as they are.
 *
 * An argument longer than a slot is cut to it, as the entry's reading cuts it.
 */
void ft_snoop_rec_split(struct ft_snoop_rec *r)
{
	char area[sizeof(r->args)];
	size_t n = r->blob < sizeof(area) ? r->blob : sizeof(area), at = 0;
	bool first = true;

	if (!(r->flags & FT_SNOOP_BLOB))
		return;
	memcpy(area, r->args, n);
	memset(r->args, 0, sizeof(r->args));
	r->argc = 0;
	while (at < n) {
		size_t len = strnlen(area + at, n - at);

		if (!first && r->argc == FT_SNOOP_ARGS) {
			r->flags |= FT_SNOOP_TRUNC;
			break;
		}
		if (!first)
			snprintf(r->args[r->argc++], FT_SNOOP_ARG, "%.*s", (int)len, area + at);
		first = false;
		at += len + 1;
	}
	r->flags &= ~FT_SNOOP_BLOB;
	r->blob = 0;
}

#if HAVE_BPF_OBJECTS
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/loaded.h"
#include "format.h"
#include "log.h"
#include "tfs.h"
#include "util.h"
/* After snoop.h, whose configuration the skeleton names. */
#include "snoop.skel.h"

#define MAX_LINKS 6

struct ft_snooper {
	struct ft_snoop *skel;
	struct bpf_link *links[MAX_LINKS];
	size_t nlinks;
	struct ring_buffer *rb;
	ft_snoop_fn fn;
	void *data;
	size_t calls;
};

/* Each kind's calls: the entry's pointer fields, in the order the cookie takes them. */
static const struct call {
	enum ft_snoop_kind kind;
	const char *name;
	const char *ptr_a, *ptr_b;
} calls[] = {
	{ FT_SNOOP_EXEC, "execve", "filename", "argv" },
	{ FT_SNOOP_EXEC, "execveat", "filename", "argv" },
	{ FT_SNOOP_OPEN, "open", "filename", NULL },
	{ FT_SNOOP_OPEN, "openat", "filename", NULL },
	{ FT_SNOOP_OPEN, "openat2", "filename", NULL },
};

/* The offset of pointer field @name of syscalls:@ev, or -errno (said). */
static int field_at(struct ft_tfs *tfs, const char *ev, const char *name)
{
	struct ft_event_format *f = NULL;
	const struct ft_field *fl;
	int ret = ft_tfs_event_format(tfs, NULL, "syscalls", ev, &f);

	if (ret)
		return ret;
	fl = ft_format_field(f, name);
	ret = fl && fl->size == 8 && fl->offset >= 0 && fl->offset < 0xffff ? fl->offset : -EPROTO;
	if (ret < 0)
		ft_err("syscalls:%s has no 8-byte field '%s' (its format file): cannot snoop on it",
		       ev, name);
	ft_format_free(f);
	return ret;
}

static int attach(struct ft_snooper *s, struct bpf_program *p, const char *ev, uint64_t cookie)
{
	LIBBPF_OPTS(bpf_tracepoint_opts, o, .bpf_cookie = cookie);
	struct bpf_link *l = bpf_program__attach_tracepoint_opts(p, "syscalls", ev, &o);

	if (!l) {
		int ret = -errno;

		ft_err("cannot attach to syscalls:%s: %s%s", ev, strerror(-ret),
		       ret == -EACCES || ret == -EPERM ? " (it needs root)" : "");
		return ret;
	}
	s->links[s->nlinks++] = l;
	return 0;
}

/* Attach to one call's entry and return; -ENOENT when this kernel has no such call. */
static int attach_call(struct ft_snooper *s, struct ft_tfs *tfs, const struct call *c)
{
	char enter[64], exit[64];
	int a, b = 0, r;

	snprintf(enter, sizeof(enter), "sys_enter_%s", c->name);
	snprintf(exit, sizeof(exit), "sys_exit_%s", c->name);
	a = field_at(tfs, enter, c->ptr_a);
	if (a == -ENOENT)
		return a;
	if (a >= 0 && c->ptr_b)
		b = field_at(tfs, enter, c->ptr_b);
	r = field_at(tfs, exit, "ret");
	if (a < 0 || b < 0 || r < 0)
		return a < 0 ? a : b < 0 ? b : r == -ENOENT ? -EPROTO : r;
	/* The return first: an entry seen before its return's program is attached is kept in
	 * the map of calls in flight for nothing. */
	return attach(s, s->skel->progs.snoop_exit, exit, FT_SNOOP_COOKIE(c->kind, 0, r))
		       ?: attach(s, s->skel->progs.snoop_enter, enter,
				 FT_SNOOP_COOKIE(c->kind, a, b));
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct ft_snooper *s = ctx;
	struct ft_snoop_rec r;

	memset(&r, 0, sizeof(r));
	memcpy(&r, data, size < sizeof(r) ? size : sizeof(r));
	ft_snoop_rec_split(&r);
	r.argc = r.argc > FT_SNOOP_ARGS ? FT_SNOOP_ARGS : r.argc;
	r.file[sizeof(r.file) - 1] = '\0';
	for (size_t i = 0; i < FT_SNOOP_ARGS; i++)
		r.args[i][FT_SNOOP_ARG - 1] = '\0';
	s->calls++;
	return s->fn(&r, s->data);
}

static int load(struct ft_snooper *s, const struct ft_snoop_opts *o)
{
	struct ft_snoop_cfg *cfg;
	int ret;

	s->skel = ft_snoop__open();
	if (!s->skel)
		return -errno;
	cfg = (struct ft_snoop_cfg *)&s->skel->rodata->cfg;
	cfg->tgid = (uint32_t)o->pid;
	cfg->failed = o->failed;
	if (o->comm) {
		cfg->has_comm = 1;
		snprintf(cfg->comm, sizeof(cfg->comm), "%s", o->comm);
	}
	ret = ft_snoop__load(s->skel);
	if (ret)
		ft_err("cannot load ftrig's snoop program: %s%s (ftrig -v shows the verifier's "
		       "words)",
		       strerror(-ret),
		       ret == -EPERM ? "; it needs root (CAP_BPF, CAP_PERFMON)" : "");
	return ret;
}

/**
 * ft_snooper_create() - load and attach the snoop program for one kind of call
 * @tfs: tracefs, where the calls' format files are read
 * @o: which calls, and the filters applied in the kernel
 * @fn: called by ft_snooper_poll() with each call
 * @data: handed to @fn
 * @out: set to the snooper; free with ft_snooper_destroy()
 *
 * Calls this kernel does not have (open on some architectures) are left out; none at all is
 * an error. Errors are said with ft_err().
 *
 * Return: 0 or -errno.
 */
int ft_snooper_create(struct ft_tfs *tfs, const struct ft_snoop_opts *o, ft_snoop_fn fn, void *data,
		      struct ft_snooper **out)
{
	struct ft_snooper *s = calloc(1, sizeof(*s));
	size_t attached = 0;
	int ret;

	if (!s)
		return -ENOMEM;
	s->fn = fn;
	s->data = data;
	ft_bpf_log_init();
	ret = load(s, o);
	for (size_t i = 0; !ret && i < FT_ARRAY_SIZE(calls); i++) {
		if (calls[i].kind != o->kind)
			continue;
		ret = attach_call(s, tfs, &calls[i]);
		attached += !ret;
		if (ret == -ENOENT) {
			ft_dbg("no syscalls:sys_enter_%s here", calls[i].name);
			ret = 0;
		}
	}
	if (!ret && !attached) {
		ft_err("this kernel has no syscalls:sys_enter_%s events (CONFIG_FTRACE_SYSCALLS)",
		       o->kind == FT_SNOOP_EXEC ? "execve" : "open*");
		ret = -ENOENT;
	}
	if (!ret) {
		s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.ring), on_record, s, NULL);
		ret = s->rb ? 0 : -errno;
	}
	if (ret) {
		ft_snooper_destroy(s);
		return ret;
	}
	*out = s;
	return 0;
}

/**
 * ft_snooper_poll() - hand the calls that returned to the callback, waiting for some
 * @s: the snooper
 * @timeout_ms: how long to wait for the first, at most
 *
 * Return: how many were handed over, or -errno (-EINTR: a signal came; or what the callback
 * returned to stop, after the call it was handed).
 */
int ft_snooper_poll(struct ft_snooper *s, int timeout_ms)
{
	return ring_buffer__poll(s->rb, timeout_ms);
}

/**
 * ft_snooper_detach() - stop seeing calls: detach the program from every tracepoint
 * @s: the snooper
 *
 * What returned before is still in the ring buffer (ft_snooper_drain()), and the counts of
 * ft_snooper_lost() are final from here on: a stop that ends with a drain shows every call
 * that returned before it, however many more are made meanwhile.
 */
void ft_snooper_detach(struct ft_snooper *s)
{
	for (size_t i = 0; i < s->nlinks; i++)
		bpf_link__destroy(s->links[i]);
	s->nlinks = 0;
}

/**
 * ft_snooper_drain() - hand the calls in the ring buffer to the callback, without waiting
 * @s: the snooper
 *
 * Return: how many were handed over, or -errno (what the callback returned to stop).
 */
int ft_snooper_drain(struct ft_snooper *s)
{
	return ring_buffer__consume(s->rb);
}

/**
 * ft_snooper_lost() - what the program could not show
 * @s: the snooper
 * @ring: set to the calls whose record found the ring buffer full
 * @pending: set to the calls whose entry found the map of calls in flight full
 *
 * Return: 0 or -errno.
 */
int ft_snooper_lost(struct ft_snooper *s, uint64_t *ring, uint64_t *pending)
{
	int fd = bpf_map__fd(s->skel->maps.stats);
	uint32_t k0 = FT_SNOOP_LOST_RING, k1 = FT_SNOOP_LOST_PENDING;

	*ring = *pending = 0;
	if (bpf_map_lookup_elem(fd, &k0, ring) || bpf_map_lookup_elem(fd, &k1, pending))
		return -errno;
	return 0;
}

/**
 * ft_snooper_calls() - how many calls were handed to the callback
 * @s: the snooper
 *
 * Return: the number.
 */
size_t ft_snooper_calls(const struct ft_snooper *s)
{
	return s->calls;
}

/**
 * ft_snooper_destroy() - detach and unload; NULL is allowed
 * @s: the snooper
 */
void ft_snooper_destroy(struct ft_snooper *s)
{
	if (!s)
		return;
	ring_buffer__free(s->rb);
	ft_snooper_detach(s);
	ft_snoop__destroy(s->skel);
	free(s);
}
#endif

#if !HAVE_BPF_OBJECTS
#include "log.h"

int ft_snooper_create(struct ft_tfs *tfs, const struct ft_snoop_opts *o, ft_snoop_fn fn, void *data,
		      struct ft_snooper **out)
{
	ft_err("this ftrig was built without the BPF backend (configure --disable-bpf, or "
	       "libbpf, clang or bpftool missing), which execsnoop and opensnoop need");
	return -EOPNOTSUPP;
}

int ft_snooper_poll(struct ft_snooper *s, int timeout_ms)
{
	return -EOPNOTSUPP;
}

int ft_snooper_lost(struct ft_snooper *s, uint64_t *ring, uint64_t *pending)
{
	return -EOPNOTSUPP;
}

void ft_snooper_detach(struct ft_snooper *s)
{
}

int ft_snooper_drain(struct ft_snooper *s)
{
	return -EOPNOTSUPP;
}

size_t ft_snooper_calls(const struct ft_snooper *s)
{
	return 0;
}

void ft_snooper_destroy(struct ft_snooper *s)
{
}
#endif
