// SPDX-License-Identifier: GPL-2.0-only
/*
 * ftrig stackcount WHAT: the kernel stacks WHAT ran from, each with its count, the rarest
 * first, in bcc stackcount's layout (the frames, innermost first, then the count). WHAT is a
 * kernel function (a kprobe made for the run: kernels with kprobe events) or a tracepoint,
 * SYSTEM:EVENT. Counted by a hist trigger keyed by the stack, or by BPF (its stack map).
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

static int spec_words(struct ft_tool_spec *s, const char *ev, enum ft_backend be,
		      const struct ft_tool_opts *o)
{
	return ft_tool_word(s, "%s", ev) ?: ft_tool_word(s, "--key") ?:
	       ft_tool_word(s, "stacktrace") ?: ft_tool_task_words(s, be, o, NULL);
}

/**
 * struct sk_row - one stack and how often it was seen
 * @key: the stack
 * @count: how often
 */
struct sk_row {
	const struct ft_key *key;
	unsigned long long count;
};

static int by_count(const void *a, const void *b)
{
	const struct sk_row *x = a, *y = b;

	return x->count < y->count ? -1 : x->count > y->count;
}

static bool same_stack(const struct ft_key *a, const struct ft_key *b)
{
	if (a->nframes != b->nframes)
		return false;
	for (size_t f = 0; f < a->nframes; f++)
		if (strcmp(a->frames[f] ? a->frames[f] : "", b->frames[f] ? b->frames[f] : ""))
			return false;
	return true;
}

/* The rows of @h, summed by stack (over the task names of -c on BPF, only its own). */
static size_t collect(const struct ft_hist *h, const struct ft_tool_opts *o, struct sk_row *rows)
{
	size_t k = 0, r;
	int stack = -1, comm = -1;

	for (size_t c = 0; c < h->nkeys; c++) {
		if (h->keys[c].kind == FT_KEY_STACK)
			stack = (int)c;
		if (!strcmp(h->keys[c].name, "comm"))
			comm = (int)c;
	}
	for (size_t e = 0; stack >= 0 && e < h->nentries; e++) {
		const struct ft_hist_entry *en = &h->entries[e];
		uint64_t cnt = ft_tool_count(h, en);

		if (!cnt || (o->comm && comm >= 0 &&
			     (!en->keys[comm].str || strcmp(en->keys[comm].str, o->comm))))
			continue;
		for (r = 0; r < k && !same_stack(rows[r].key, &en->keys[stack]); r++)
			;
		if (r == k)
			rows[k++] = (struct sk_row){ &en->keys[stack], 0 };
		rows[r].count += cnt;
	}
	qsort(rows, k, sizeof(*rows), by_count);
	return k;
}

static void print_json(const struct sk_row *rows, size_t k)
{
	struct ft_json j;

	ft_tool_json_begin(&j);
	ft_json_begin_arr(&j, "stacks");
	for (size_t i = 0; i < k; i++) {
		ft_json_begin_obj(&j, NULL);
		ft_json_begin_arr(&j, "frames");
		for (size_t f = 0; f < rows[i].key->nframes; f++)
			ft_json_str(&j, NULL, rows[i].key->frames[f] ? rows[i].key->frames[f] : "");
		ft_json_end(&j, ']');
		ft_json_uint(&j, "count", rows[i].count);
		ft_json_end(&j, '}');
	}
	ft_tool_json_end(&j);
}

static int print(struct ft_hist *const *h, size_t n, const struct ft_tool_opts *o, void *data)
{
	struct sk_row *rows = calloc(n && h[0] ? h[0]->nentries + 1 : 1, sizeof(*rows));
	size_t k = rows && n && h[0] ? collect(h[0], o, rows) : 0;

	(void)data;
	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < k; i++)
		if (rows[i].key->nframes == 1 && rows[i].key->frames[0] &&
		    !strcmp(rows[i].key->frames[0], "[stack lost]"))
			ft_warn("the stacks of %llu events were lost (BPF could not read them "
				"there); --backend hist reads them where the kernel has hist "
				"triggers",
				rows[i].count);
	if (o->json) {
		print_json(rows, k);
		free(rows);
		return 0;
	}
	printf("\n");
	ft_tool_stamp(o, stdout);
	for (size_t i = 0; i < k; i++) {
		for (size_t f = 0; f < rows[i].key->nframes; f++) {
			const char *fr =
				rows[i].key->frames[f] ? rows[i].key->frames[f] : "[unknown]";

			/* the symbol, as bcc prints it without -o ("submit_bio", not "+0x5/0x20");
			 * a note ("[stack lost]") whole */
			printf("  %.*s\n", fr[0] == '[' ? (int)strlen(fr) : (int)strcspn(fr, "+ "),
			       fr);
		}
		printf("    %llu\n\n", rows[i].count);
	}
	free(rows);
	return 0;
}

/**
 * ft_tool_stackcount() - `ftrig stackcount FUNC | SYSTEM:EVENT`
 * @cmd: its row
 * @o: its options and operand
 *
 * Return: an FT_EXIT_* code.
 */
int ft_tool_stackcount(const struct ft_cmd *cmd, struct ft_tool_opts *o)
{
	const char *what = o->args[0];
	struct ft_tool_spec sp = { 0 };
	struct ft_tool_run r;
	char ev[600];
	int ret = ft_tool_begin(&r, o);

	if (!strncmp(what, "t:", 2) || !strncmp(what, "p:", 2))
		what += 2;
	if (!ret && strchr(what, ':')) {
		snprintf(ev, sizeof(ev), "%s", what);
	} else if (!ret) {
		ret = ft_tool_probe(&r, what, false, ev, sizeof(ev));
	}
	if (!ret)
		ret = spec_words(&sp, ev, r.be, o)
			      ?: ft_tool_run_one(cmd, &r, &sp, o, print, o->args[0]);
	if (r.s && ft_tool_end(&r))
		ret = ret ?: -EBUSY;
	return ret ? FT_EXIT_ERR : FT_EXIT_OK;
}
