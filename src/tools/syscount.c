// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig syscount: system calls counted by call (or by process with -P), the most frequent
 * first, in bcc syscount's columns; -L adds the time spent in them, -x counts failed calls
 * only. Counted at raw_syscalls:sys_exit, as bcc counts (a call is counted when it returns,
 * with its return value); the time is the latency from sys_enter to sys_exit of the same
 * thread, which the histogram service matches on either backend.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "hist/hist.h"
#include "json.h"
#include "log.h"
#include "tools/tools.h"

#define SC_TOP 10 /* bcc syscount's default */

/* The words of the spec: what keys the rows, and -x, -p, -c as the backend takes them. */
static int spec_words(struct ft_tool_spec *s, enum ft_backend be, const struct ft_tool_opts *o)
{
	int ret;

	if (o->latency)
		ret = ft_tool_word(s, "--latency")
			      ?: ft_tool_word(s, "raw_syscalls:sys_enter,raw_syscalls:sys_exit");
	else
		ret = ft_tool_word(s, "raw_syscalls:sys_exit");
	ret = ret ?: ft_tool_word(s, "--key") ?:
		      ft_tool_word(s, "%s", o->by_process ? "common_pid.execname" : "id.syscall");
	/* The time in all: BPF sums it; a hist trigger's latency takes no value, so it is keyed
	 * by each call's time (exact microseconds), and the rows summed here. */
	if (!ret && o->latency && be == FT_BACKEND_BPF)
		ret = ft_tool_word(s, "--val") ?: ft_tool_word(s, "lat");
	else if (!ret && o->latency)
		ret = ft_tool_word(s, "--key") ?: ft_tool_word(s, "lat") ?: ft_tool_size(s);
	return ret ?: ft_tool_task_words(s, be, o, o->failed ? "ret < 0" : NULL);
}

/**
 * struct sc_row - one line: a call (or a process), its count and time
 * @key: the first key part of the rows summed into it
 * @count: calls
 * @lat_us: microseconds in them (-L)
 */
struct sc_row {
	const struct ft_key *key;
	unsigned long long count;
	unsigned long long lat_us;
};

static int by_count(const void *a, const void *b)
{
	const struct sc_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->key->num < y->key->num ? -1 : x->key->num > y->key->num;
}

/* The column of value @name in @h, or -1. */
static int val_col(const struct ft_hist *h, const char *name)
{
	for (size_t v = 0; v < h->nvals; v++)
		if (!strcmp(h->vals[v].name, name))
			return (int)v;
	return -1;
}

/* The column of key @name in @h, or -1. */
static int key_col(const struct ft_hist *h, const char *name)
{
	for (size_t k = 0; k < h->nkeys; k++)
		if (!strcmp(h->keys[k].name, name))
			return (int)k;
	return -1;
}

/* Rows of @h summed by their call (or process), others' tasks (-c on BPF) left out. */
static size_t collect(const struct ft_hist *h, const struct ft_tool_opts *o, struct sc_row *rows)
{
	int lat = val_col(h, "lat"), lat_key = key_col(h, "lat"), comm = key_col(h, "comm");
	int key = key_col(h, o->by_process ? "common_pid" : "id");
	size_t k = 0, r;

	for (size_t e = 0; key >= 0 && e < h->nentries; e++) {
		const struct ft_hist_entry *en = &h->entries[e];
		uint64_t cnt = ft_tool_count(h, en);

		if (!cnt || (o->comm && comm >= 0 &&
			     (!en->keys[comm].str || strcmp(en->keys[comm].str, o->comm))))
			continue;
		for (r = 0; r < k && rows[r].key->num != en->keys[key].num; r++)
			;
		if (r == k)
			rows[k++] = (struct sc_row){ &en->keys[key], 0, 0 };
		rows[r].count += cnt;
		if (lat >= 0)
			rows[r].lat_us += en->vals[lat];
		else if (lat_key >= 0)
			rows[r].lat_us += en->keys[lat_key].num * cnt;
	}
	qsort(rows, k, sizeof(*rows), by_count);
	return k;
}

/* A call's name as bcc prints it: without the "sys_" of the kernel's symbol. */
static const char *call_name(const struct ft_key *k, char *buf, size_t size)
{
	if (!k->str) {
		snprintf(buf, size, "%llu", (unsigned long long)k->num);
		return buf;
	}
	return strncmp(k->str, "sys_", 4) ? k->str : k->str + 4;
}

static void print_json(const struct sc_row *rows, size_t k, const struct ft_tool_opts *o)
{
	struct ft_json j;
	char buf[32];

	ft_tool_json_begin(&j);
	ft_json_begin_arr(&j, "counts");
	for (size_t i = 0; i < k; i++) {
		ft_json_begin_obj(&j, NULL);
		if (o->by_process) {
			ft_json_uint(&j, "pid", rows[i].key->num);
			ft_json_str(&j, "comm", rows[i].key->str ? rows[i].key->str : "");
		} else {
			ft_json_str(&j, "syscall", call_name(rows[i].key, buf, sizeof(buf)));
		}
		ft_json_uint(&j, "count", rows[i].count);
		if (o->latency)
			ft_json_uint(&j, "time_us", rows[i].lat_us);
		ft_json_end(&j, '}');
	}
	ft_tool_json_end(&j);
}

static int print(struct ft_hist *const *h, size_t n, const struct ft_tool_opts *o, void *data)
{
	struct sc_row *rows = calloc(n && h[0] ? h[0]->nentries + 1 : 1, sizeof(*rows));
	size_t k = n && h[0] ? collect(h[0], o, rows) : 0;
	size_t top = o->top ? (size_t)o->top : SC_TOP;
	char buf[32];

	(void)data;
	if (!rows)
		return -ENOMEM;
	if (k > top)
		k = top;
	if (o->json) {
		print_json(rows, k, o);
		free(rows);
		return 0;
	}
	printf("\n");
	ft_tool_stamp(o, stdout);
	if (o->by_process)
		printf("%-6s %-15s %8s", "PID", "COMM", "COUNT");
	else
		printf("%-22s %8s", "SYSCALL", "COUNT");
	printf(o->latency ? " %16s\n" : "\n", "TIME (us)");
	for (size_t i = 0; i < k; i++) {
		if (o->by_process)
			printf("%-6llu %-15.15s %8llu", (unsigned long long)rows[i].key->num,
			       rows[i].key->str ? rows[i].key->str : "", rows[i].count);
		else
			printf("%-22s %8llu", call_name(rows[i].key, buf, sizeof(buf)),
			       rows[i].count);
		if (o->latency)
			printf(" %16llu", rows[i].lat_us);
		printf("\n");
	}
	free(rows);
	return 0;
}

/**
 * ft_tool_syscount() - `ftrig syscount [-L] [-P] [-x]`
 * @cmd: its row
 * @o: its options
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_syscount(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	struct ft_tool_spec sp = { 0 };
	struct ft_tool_run r;
	int ret = ft_tool_begin(&r, o);

	if (!ret)
		ret = spec_words(&sp, r.be, o);
	if (!ret && o->live)
		ret = ft_tool_live(cmd, &r, &sp, 1) ? -EINVAL : 0;
	else if (!ret)
		ret = ft_tool_add(&r, &sp, o);
	if (!ret && !o->live) {
		ft_tool_ready(o, "Tracing %ssyscalls, printing top %ld... Ctrl+C to quit.",
			      o->failed ? "failed " : "", o->top ? o->top : SC_TOP);
		ret = ft_tool_loop(&r, o, print, NULL);
	}
	if (r.s && ft_tool_end(&r))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
