/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of the hist-file parser share (parse.c the blocks and totals, parse-info.c
 * the "# trigger info:" line, parse-row.c the rows): the parser's state and the scanners of
 * the input. Pure, like them.
 */
#ifndef FT_HIST_PARSE_INT_H
#define FT_HIST_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hist/hist.h"
#include "hist/scan.h"

#define MAX_SAVES 32
#define STR_PAD 50 /* the kernel prints string keys as %-50s */

/* The save() field names of a hist's handlers: the kernel prints all of them on each line. */
struct saves {
	const char *name[MAX_SAVES];
	size_t n;
};

/* How a value column is printed. */
enum val_type { V_DEC, V_HEX, V_PCT, V_GRAPH };

/* Strings repeat (comms, syscall and symbol names, frames): each is copied once per hist. */
#define INTERN_SLOTS 4096
struct islot {
	const char *s;
	size_t len;
};

struct parser {
	const char *p, *end;
	const char *event, *instance;
	struct ft_hist **v;
	size_t n;
	struct ft_hist *h; /* the hist being filled, NULL before the first header */
	struct ft_hist_entry *last; /* the row handler lines belong to */
	struct saves saves;
	bool kind_known[FT_HIST_MAX_KEYS];
	bool in_totals;
	/* From the trigger line, so that rows are read without formatting or measuring: */
	size_t key_len[FT_HIST_MAX_KEYS]; /* strlen of each key's name */
	char key_sep[FT_HIST_MAX_KEYS][80]; /* ", NEXT:" that ends key i */
	size_t key_sep_len[FT_HIST_MAX_KEYS]; /* 0 when too long */
	enum val_type vt[FT_HIST_MAX_VALS];
	size_t val_len[FT_HIST_MAX_VALS];
	struct islot *cache; /* INTERN_SLOTS, or NULL (then nothing is shared) */
	unsigned ovf; /* numbers past 2^64 - 1 so far (num_at()) */
};

/* A piece of the input: [s, e). */
struct span {
	const char *s, *e;
};

static inline bool starts(struct span l, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(l.e - l.s) >= n && !memcmp(l.s, lit, n);
}

static inline const char *skip_sp(const char *s, const char *e)
{
	return scan_spaces(s, e);
}

static inline const char *rtrim(const char *s, const char *e)
{
	return scan_blanks_back(s, e);
}

uint64_t ft_hist_parse_num(const char **s, const char *e, int base, bool *ok, unsigned *ovf);

/*
 * Digits in @base from @s, not beyond @e; *@ok false when there are none. A number past
 * 2^64 - 1 (which no kernel prints: its counters are u64) saturates at UINT64_MAX and counts
 * in *@ovf, so that a damaged file is reported instead of wrapping into a plausible number.
 * @lim (>= @e) is how far the input may be read: a number at the end of its span (before
 * "]", at the end of a line) is read in one word all the same.
 */
static inline uint64_t num_lim(const char **s, const char *e, const char *lim, int base, bool *ok,
			       unsigned *ovf)
{
	/* Most numbers are decimal and under 8 digits: one word holds them. */
	if (base == 10 && lim - *s >= 8) {
		uint64_t w = scan_load(*s), m = scan_nondigit(w);
		unsigned k = m ? scan_first(m) : 8;

		if (k > e - *s)
			k = (unsigned)(e - *s);
		if (k < 8) {
			*ok = k > 0;
			*s += k;
			return k ? scan_digits8(w, k) : 0;
		}
	}
	return ft_hist_parse_num(s, e, base, ok, ovf);
}

static inline uint64_t num_at(const char **s, const char *e, int base, bool *ok, unsigned *ovf)
{
	return num_lim(s, e, e, base, ok, ovf);
}

/* The whole of [s, e) is a number in @base, surrounding spaces aside; @lim as for num_lim(). */

static inline bool whole_lim(const char *s, const char *e, const char *lim, int base, uint64_t *v,
			     unsigned *ovf)
{
	bool ok;

	s = scan_spaces_lim(s, e, lim);
	e = rtrim(s, e);
	*v = num_lim(&s, e, lim, base, &ok, ovf);
	return ok && s == e;
}

static inline bool whole_num(const char *s, const char *e, int base, uint64_t *v, unsigned *ovf)
{
	return whole_lim(s, e, e, base, v, ovf);
}

static inline const char *dup_span(struct ft_hist *h, const char *s, const char *e)
{
	return ft_hist_strndup(h, s, (size_t)(e - s));
}

/* The line at @s; *@next is set past its newline. */

static inline struct span line_at(const char *s, const char *end, const char **next)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	struct span l = { s, nl ? nl : end };

	*next = nl ? nl + 1 : end;
	return l;
}

int ft_hist_parse_unknown(struct parser *ps, struct span l);
int ft_hist_parse_info(struct ft_hist *h, const char *s, const char *e, struct saves *sv);
void ft_hist_parse_prepare(struct parser *ps);
int ft_hist_parse_entry(struct parser *ps, struct span l);
int ft_hist_parse_action(struct parser *ps, struct span l);

#endif
