// SPDX-License-Identifier: GPL-2.0-only
/*
 * The texts of execsnoop and opensnoop on hist triggers, and their synthetic event's record
 * read back (pure; src/tools/snoop-hist.c writes and reads them). Checked on Debian's 6.1:
 *
 * - opens: a kprobe on do_sys_openat2 (open, openat, creat and openat2 all pass there) fetches
 *   the path behind the user pointer (ustring) and the task's name; a kretprobe its return.
 * - execs: eprobes on syscalls:sys_enter_execve and _execveat fetch the file name and
 *   argv[1..FT_SNOOP_HIST_ARGS] (and the pointers, argv[1..FT_SNOOP_HIST_ARGS + 1]: a NULL
 *   one ends argv, and what the kernel gives for the string behind it is another field's
 *   text, not an empty one); eprobes on their sys_exit events fetch the return and the task's
 *   name after the exec (bcc's PCOMM).
 *
 * The return's variables refer to the entry's by name across events, so each is named after
 * the synthetic event (the session's group) and the entry, unique in the kernel. The thread
 * is the synthetic event's common_pid: onmatch() traces it in the return's context. A -errno
 * return is 'long' on the sys_exit events and s64 for the kretprobe: both fetched as s64.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/snoop.h"
#include "tools/snoop-hist.h"

/* Append to the malloc'ed *@s (NULL to start); on failure *@s is freed and NULL. */
static void cat(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cat(char **s, const char *fmt, ...)
{
	size_t old = *s ? strlen(*s) : 0;
	va_list ap;
	char *n;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	n = len < 0 ? NULL : realloc(*s, old + (size_t)len + 1);
	if (!n) {
		free(*s);
		*s = NULL;
		return;
	}
	if (!*s)
		n[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(n + old, (size_t)len + 1, fmt, ap);
	va_end(ap);
	*s = n;
}

/* The entry's filter: -c (its name at the entry) and -p (the process's threads). */
static void entry_filter(const struct ft_snoop_hist_opts *o, char **s)
{
	if (o->comm)
		cat(s, " if comm == \"%s\"", o->comm);
	if (o->ntids)
		cat(s, "%s ", o->comm ? " &&" : " if");
	for (size_t i = 0; i < o->ntids; i++)
		cat(s, "%s%scommon_pid == %ld%s", i ? " || " : "", !i && o->ntids > 1 ? "(" : "",
		    o->tids[i], i + 1 == o->ntids && o->ntids > 1 ? ")" : "");
}

/* Room for one more trigger on @event; its text is cat() to the returned slot. */
static char **trig_on(struct ft_snoop_hist *h, const char *group, const char *event)
{
	snprintf(h->trig_ev[h->ntrig], sizeof(h->trig_ev[0]), "%s:%s", group, event);
	return &h->trig[h->ntrig++];
}

/* An open: the kprobe and kretprobe on do_sys_openat2, their triggers. */
static void make_open(const struct ft_snoop_hist_opts *o, struct ft_snoop_hist *h)
{
	const char *g = o->group, *s = h->synth;
	char **t;

	cat(&h->defs[h->ndefs++], "%s char comm[]; char file[]; s64 ret", s);
	cat(&h->probes[0], "p:%s/open do_sys_openat2 comm=$comm:string path=+0(%%si):ustring", g);
	cat(&h->probes[1], "r64:%s/open_ret do_sys_openat2 ret=$retval:s64", g);
	h->nprobes = 2;
	t = trig_on(h, g, "open");
	cat(t, "hist:keys=common_pid:%s_c0=comm,%s_f0=path:size=%d", s, s, FT_SNOOP_HIST_PENDING);
	entry_filter(o, t);
	h->nentry = 1;
	cat(trig_on(h, g, "open_ret"),
	    "hist:keys=common_pid:onmatch(%s.open).trace(%s,$%s_c0,$%s_f0,ret)%s", g, s, s, s,
	    o->failed ? " if ret < 0" : "");
}

/* The entry eprobe of exec call @call ("execve"), number @i, and its trigger. */
static void exec_entry(const struct ft_snoop_hist_opts *o, struct ft_snoop_hist *h,
		       const char *call, size_t i)
{
	const char *g = o->group, *s = h->synth;
	char **e = &h->probes[h->nprobes++], **t = trig_on(h, g, call);

	cat(e, "e:%s/%s syscalls.sys_enter_%s comm=$comm:string file=+0($filename):ustring", g,
	    call, call);
	cat(t, "hist:keys=common_pid:%s_f%zu=file", s, i);
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS; a++) {
		cat(e, " a%d=+0(+%d($argv)):ustring", a, 8 * a);
		cat(t, ",%s_a%d_%zu=a%d", s, a, i, a);
	}
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS + 1; a++) {
		cat(e, " p%d=+%d($argv):u64", a, 8 * a);
		cat(t, ",%s_p%d_%zu=p%d", s, a, i, a);
	}
	cat(t, ":size=%d", FT_SNOOP_HIST_PENDING);
	entry_filter(o, t);
}

/*
 * The return of exec call @call, number @i: a failed one at its sys_exit event, a successful
 * one at start_thread(), where the new program's argv is on its stack, paged in (the
 * caller's strings need not be at the entry, and a probe cannot fault them in).
 */
static void exec_return(const struct ft_snoop_hist_opts *o, struct ft_snoop_hist *h,
			const char *call, size_t i)
{
	const char *g = o->group, *s = h->synth;
	char ev[64], **r;

	cat(&h->probes[h->nprobes++],
	    "e:%s/%s_ret syscalls.sys_exit_%s ret=$ret:s64 comm=$comm:string", g, call, call);
	snprintf(ev, sizeof(ev), "%s_ret", call);
	r = trig_on(h, g, ev);
	cat(r, "hist:keys=common_pid:onmatch(%s.%s).trace(%s,comm,$%s_f%zu", g, call, s, s, i);
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS; a++)
		cat(r, ",$%s_a%d_%zu", s, a, i);
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS + 1; a++)
		cat(r, ",$%s_p%d_%zu", s, a, i);
	cat(r, ",ret) if ret < 0");
	if (o->failed)
		return;
	/* one hist per entry on the same event: they differ in their values */
	r = trig_on(h, g, "exec_new");
	cat(r, "hist:keys=common_pid%s:onmatch(%s.%s).trace(%s_ok,comm,$%s_f%zu,argc",
	    i ? ":vals=hitcount,argc" : "", g, call, s, s, i);
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS; a++)
		cat(r, ",a%d", a);
	cat(r, ")");
}

static void make_exec(const struct ft_snoop_hist_opts *o, struct ft_snoop_hist *h)
{
	static const char *const calls[] = { "execve", "execveat" };
	const char *s = h->synth;

	snprintf(h->synth_ok, sizeof(h->synth_ok), "%s_ok", s);
	cat(&h->defs[0], "%s char comm[]; char file[]", s);
	cat(&h->defs[1], "%s_ok char comm[]; char file[]; u64 argc", s);
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS; a++) {
		cat(&h->defs[0], "; char a%d[]", a);
		cat(&h->defs[1], "; char a%d[]", a);
	}
	for (int a = 1; a <= FT_SNOOP_HIST_ARGS + 1; a++)
		cat(&h->defs[0], "; u64 p%d", a);
	cat(&h->defs[0], "; s64 ret");
	h->ndefs = o->failed ? 1 : 2;
	for (size_t i = 0; i < 2; i++)
		exec_entry(o, h, calls[i], i);
	h->nentry = 2;
	if (!o->failed) {
		cat(&h->probes[h->nprobes],
		    "p:%s/exec_new start_thread comm=$comm:string argc=+0(%%dx):u64", o->group);
		for (int a = 1; a <= FT_SNOOP_HIST_ARGS; a++)
			cat(&h->probes[h->nprobes], " a%d=+0(+%d(%%dx)):ustring", a, 8 * (a + 1));
		h->nprobes++;
	}
	for (size_t i = 0; i < 2; i++)
		exec_return(o, h, calls[i], i);
}

/**
 * ft_snoop_hist_make() - the texts of a snoop tool on hist triggers
 * @o: the tool and its filters
 * @h: filled in; release with ft_snoop_hist_release(), also on error
 * @err: why, on -EINVAL
 * @size: size of @err
 *
 * Return: 0, -EINVAL (a name -c or the group cannot be written in a filter or an event
 * name), or -ENOMEM.
 */
int ft_snoop_hist_make(const struct ft_snoop_hist_opts *o, struct ft_snoop_hist *h, char *err,
		       size_t size)
{
	memset(h, 0, sizeof(*h));
	if (o->comm && strpbrk(o->comm, "\"\\")) {
		snprintf(err, size,
			 "-c '%s': with hist triggers the name is compared in a filter, which "
			 "takes no quotes or backslashes",
			 o->comm);
		return -EINVAL;
	}
	if (!o->group || strlen(o->group) > 40 || strpbrk(o->group, "/: .")) {
		snprintf(err, size, "'%s' is no probe group for a snoop tool",
			 o->group ? o->group : "");
		return -EINVAL;
	}
	snprintf(h->synth, sizeof(h->synth), "%s_%s", o->group,
		 o->kind == FT_SNOOP_EXEC ? "exec" : "open");
	if (o->kind == FT_SNOOP_EXEC)
		make_exec(o, h);
	else
		make_open(o, h);
	for (size_t i = 0; i < h->nprobes; i++)
		if (!h->probes[i])
			return -ENOMEM;
	for (size_t i = 0; i < h->ntrig; i++)
		if (!h->trig[i])
			return -ENOMEM;
	for (size_t i = 0; i < 2; i++)
		if (!h->defs[i] && (i < h->ndefs || (o->kind == FT_SNOOP_EXEC)))
			return -ENOMEM;
	return 0;
}

/**
 * ft_snoop_hist_release() - free the texts of ft_snoop_hist_make()
 * @h: the texts; all NULL after
 */
void ft_snoop_hist_release(struct ft_snoop_hist *h)
{
	for (size_t i = 0; i < 2; i++) {
		free(h->defs[i]);
		h->defs[i] = NULL;
	}
	for (size_t i = 0; i < FT_SNOOP_HIST_PROBES; i++) {
		free(h->probes[i]);
		h->probes[i] = NULL;
	}
	for (size_t i = 0; i < FT_SNOOP_HIST_TRIGS; i++) {
		free(h->trig[i]);
		h->trig[i] = NULL;
	}
}

/* String field @name into @buf (@size with its NUL); false when absent or empty. */
static bool str_of(ft_snoop_field_fn get, void *ctx, const char *name, char *buf, size_t size)
{
	const char *s = NULL;
	size_t len = 0;
	int64_t num;

	buf[0] = '\0';
	if (get(ctx, name, &s, &len, &num) || !s)
		return false;
	len = strnlen(s, len);
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return len > 0;
}

static int64_t num_of(ft_snoop_field_fn get, void *ctx, const char *name)
{
	const char *s = NULL;
	size_t len = 0;
	int64_t num = 0;

	return get(ctx, name, &s, &len, &num) ? 0 : num;
}

/* An exec's arguments: @argc of them (UINT32_MAX: up to the first NULL pointer p1...). */
static void exec_args(ft_snoop_field_fn get, void *ctx, uint64_t argc, struct ft_snoop_rec *r)
{
	char name[16];

	for (int a = 1; a <= FT_SNOOP_HIST_ARGS + 1; a++) {
		snprintf(name, sizeof(name), "p%d", a);
		if (argc == UINT64_MAX ? !num_of(get, ctx, name) : (uint64_t)a > argc)
			break;
		if (a > FT_SNOOP_HIST_ARGS) {
			r->flags |= FT_SNOOP_TRUNC;
			break;
		}
		snprintf(name, sizeof(name), "a%d", a);
		str_of(get, ctx, name, r->args[a - 1], sizeof(r->args[a - 1]));
		r->argc = (uint32_t)a;
	}
}

/**
 * ft_snoop_hist_rec() - a call as the BPF backend gives it, from a synthetic event's record
 * @kind: enum ft_snoop_kind of the tool
 * @ok: the record is of @synth_ok (a successful exec: ret 0, argc and argv of the new
 *      program's stack), not of @synth
 * @get: reads a field of the record
 * @ctx: handed to @get
 * @r: filled in (pid and tid: the thread, common_pid, to be mapped to its process by the
 *     caller; ts: 0); PPID is not known on hist triggers (FT_SNOOP_NOPPID)
 *
 * A failed exec's arguments end at the first NULL pointer of argv. FT_SNOOP_TRUNC when argv
 * has more than FT_SNOOP_HIST_ARGS after argv[0]. An empty file name is taken as unreadable
 * (FT_SNOOP_NOFILE): the kernel gives no text for a bad pointer.
 *
 * Return: 0, or -ENOENT when the record lacks the thread or the return value.
 */
int ft_snoop_hist_rec(int kind, bool ok, ft_snoop_field_fn get, void *ctx, struct ft_snoop_rec *r)
{
	const char *s;
	size_t len;
	int64_t num = 0;

	memset(r, 0, sizeof(*r));
	if (get(ctx, "common_pid", &s, &len, &num))
		return -ENOENT;
	r->pid = r->tid = (uint32_t)num;
	num = 0;
	if (!ok && get(ctx, "ret", &s, &len, &num))
		return -ENOENT;
	r->ret = num;
	r->kind = (uint32_t)kind;
	r->flags = FT_SNOOP_NOPPID;
	str_of(get, ctx, "comm", r->comm, sizeof(r->comm));
	if (!str_of(get, ctx, "file", r->file, sizeof(r->file)))
		r->flags |= FT_SNOOP_NOFILE;
	/* argv[0] is counted in argc */
	if (kind == FT_SNOOP_EXEC)
		exec_args(get, ctx, ok ? (uint64_t)num_of(get, ctx, "argc") - 1 : UINT64_MAX, r);
	return 0;
}
