// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's hist file text -> struct ft_hist. Pure: no I/O.
 *
 * What the 6.1 kernel prints (kernel/trace/trace_events_hist.c, and the fixtures in
 * tests/fixtures/vm-6.1/hist), one block per hist trigger on the event:
 *
 *   # event histogram
 *   #
 *   # trigger info: hist:keys=common_pid.execname,id.syscall:vals=hitcount:... [active]
 *   #
 *
 *   { common_pid: sh              [       105], id: sys_wait4                     [ 61] } hitcount:        143
 *   ...
 *
 *   Totals:
 *       Hits: 11788
 *       Entries: 11
 *       Dropped: 0
 *
 * A block starts at its "# event histogram" line; its "# trigger info:" line gives the
 * columns (parse-info.c), which tell how to read its rows (parse-row.c); "Totals:" ends it.
 * Anything else is kept in the hist's unknown lines, never fatal.
 *
 * Numbers: the kernel prints u64 counters and keys (%llu, %llx; a negative key as its two's
 * complement). A number past 2^64 - 1 cannot come from it, so it is a damaged or edited file:
 * the value saturates at UINT64_MAX (never wraps into a plausible number) and the line is kept
 * in the hist's overflowed lines. The parser still never fails for it; the readers of the
 * numbers (ft_hist_load(): diff, stats) refuse such a hist and say which line it was.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/parse.h"
#include "hist/parse-int.h"

/**
 * ft_hist_parse_num() - the digits in @base at *@s, the slow way that takes any of them
 * @s: where they start; moved past them
 * @e: the end of the input
 * @base: 10 or 16
 * @ok: set false when there are none
 * @ovf: counts a number past 2^64 - 1 (it saturates at UINT64_MAX), may be NULL
 *
 * num_at() reads the usual short decimal number in one word and leaves the others (hex, 8
 * digits and more, the last bytes of the input) to this.
 *
 * Return: the number.
 */
uint64_t ft_hist_parse_num(const char **s, const char *e, int base, bool *ok, unsigned *ovf)
{
	const char *q = *s;
	uint64_t v = 0;
	bool over = false;

	if (base == 10)
		v = scan_dec(&q, e, v, &over); /* whole words of digits; the tail below */
	for (; q < e; q++) {
		unsigned d;

		if (*q >= '0' && *q <= '9')
			d = (unsigned)(*q - '0');
		else if (base == 16 && ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'f'))
			d = (unsigned)((*q | 0x20) - 'a' + 10);
		else
			break;
		over = over || __builtin_mul_overflow(v, (unsigned)base, &v) ||
		       __builtin_add_overflow(v, d, &v);
	}
	if (over) {
		v = UINT64_MAX;
		if (ovf)
			(*ovf)++;
	}
	*ok = q > *s;
	*s = q;
	return v;
}

static int new_hist(struct parser *ps)
{
	struct ft_hist *h, **nv;

	h = ft_hist_alloc(ps->event, ps->instance, "hist");
	if (!h)
		return -ENOMEM;
	nv = realloc(ps->v, (ps->n + 1) * sizeof(*nv));
	if (!nv) {
		ft_hist_free(h);
		return -ENOMEM;
	}
	ps->v = nv;
	nv[ps->n++] = h;
	ps->h = h;
	ps->last = NULL;
	ps->saves.n = 0;
	ps->in_totals = false;
	if (ps->cache)
		memset(ps->cache, 0, INTERN_SLOTS * sizeof(*ps->cache));
	memset(ps->kind_known, 0, sizeof(ps->kind_known));
	for (size_t i = 0; i < FT_HIST_MAX_KEYS; i++)
		ps->kind_known[i] = true;
	return 0;
}

/**
 * ft_hist_parse_unknown() - keep a line the parser does not understand
 * @ps: the parser; a hist is made when none is yet
 * @l: the line
 *
 * Return: 0, or -ENOMEM.
 */
int ft_hist_parse_unknown(struct parser *ps, struct span l)
{
	char *s;
	int ret;

	if (!ps->h && (ret = new_hist(ps)))
		return ret;
	s = strndup(l.s, (size_t)(l.e - l.s));
	if (!s)
		return -ENOMEM;
	ret = ft_hist_add_line(ps->h, &ps->h->unknown, &ps->h->nunknown, s);
	free(s);
	ps->last = NULL;
	return ret;
}

static bool total(struct span l, const char *label, uint64_t *v, unsigned *ovf)
{
	size_t n = strlen(label);
	const char *s = skip_sp(l.s, l.e);

	if ((size_t)(l.e - s) <= n || memcmp(s, label, n))
		return false;
	return whole_num(s + n, l.e, 10, v, ovf);
}

static int header_line(struct parser *ps, struct span l)
{
	static const char info[] = "# trigger info: ";
	int ret;

	if (starts(l, "# event histogram"))
		return new_hist(ps);
	if (!ps->h && (ret = new_hist(ps)))
		return ret;
	if (starts(l, info) && !ps->h->nentries && !*ps->h->trigger) {
		ret = ft_hist_parse_info(ps->h, l.s + sizeof(info) - 1, l.e, &ps->saves);
		ft_hist_parse_prepare(ps);
		return ret == -ENOMEM ? ret : 0;
	}
	if (starts(l, info))
		return ft_hist_parse_unknown(ps, l); /* a second trigger line in one block */
	return 0; /* "#" separators */
}

static int one_line(struct parser *ps, struct span l)
{
	struct ft_hist *h = ps->h;

	if (l.s < l.e && *l.s == '#')
		return header_line(ps, l);
	if (rtrim(l.s, l.e) == l.s)
		return 0;
	if (!h)
		return ft_hist_parse_unknown(ps, l);
	if (starts(l, "{ "))
		return ft_hist_parse_entry(ps, l);
	if (*l.s == '\t' && ps->last)
		return ft_hist_parse_action(ps, l);
	ps->last = NULL;
	if (starts(l, "Totals:")) {
		ps->in_totals = true;
		return 0;
	}
	if (ps->in_totals && (total(l, "Hits:", &h->hits, &ps->ovf) ||
			      total(l, "Entries:", &h->nentries_total, &ps->ovf) ||
			      total(l, "Dropped:", &h->dropped, &ps->ovf)))
		return 0;
	return ft_hist_parse_unknown(ps, l);
}

/*
 * A line read with a number past 2^64 - 1 (saturated) goes to the hist's overflowed lines, so
 * that whoever uses the numbers can refuse them; a line kept as unknown is reported as such.
 */
static int note_overflow(struct parser *ps, struct span l, unsigned before, size_t nunknown)
{
	char *s;
	int ret;

	if (ps->ovf == before || !ps->h || ps->h->nunknown != nunknown)
		return 0;
	s = strndup(l.s, (size_t)(l.e - l.s));
	if (!s)
		return -ENOMEM;
	ret = ft_hist_add_line(ps->h, &ps->h->overflowed, &ps->h->noverflowed, s);
	free(s);
	return ret;
}

/**
 * ft_hist_parse() - parse the text of an event's hist file
 * @text: the file's contents; need not be NUL-terminated
 * @len: their length
 * @event: "system:event" recorded in each hist (may be NULL)
 * @instance: the instance it was read from, NULL or "" for the top level
 * @out: set to an array of hists, one per "# event histogram" block, in file order; free with
 *       ft_hist_free_all(); NULL when the file holds none
 * @n: set to the array's length
 *
 * Lines the parser does not understand go to the unknown lines of the hist they appear in
 * (a hist is made for lines before any header); they never make it fail. Key columns and the
 * save() names of handler lines come from the "# trigger info:" line.
 *
 * Return: 0, or -ENOMEM (nothing is returned then).
 */
int ft_hist_parse(const char *text, size_t len, const char *event, const char *instance,
		  struct ft_hist ***out, size_t *n)
{
	struct parser ps = { .p = text, .end = text + len, .event = event, .instance = instance };
	int ret = 0;

	/* Without the cache strings are copied each time: slower, not wrong. */
	ps.cache = calloc(INTERN_SLOTS, sizeof(*ps.cache));
	while (!ret && ps.p < ps.end) {
		const char *next;
		struct span l = line_at(ps.p, ps.end, &next);
		unsigned ovf = ps.ovf;
		size_t nunknown = ps.h ? ps.h->nunknown : 0;

		ps.p = next;
		ret = one_line(&ps, l);
		if (!ret)
			ret = note_overflow(&ps, l, ovf, nunknown);
	}
	if (ret) {
		ft_hist_free_all(ps.v, ps.n);
		ps.v = NULL;
		ps.n = 0;
	}
	free(ps.cache);
	*out = ps.v;
	*n = ps.n;
	return ret;
}
