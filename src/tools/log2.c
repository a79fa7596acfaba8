// SPDX-License-Identifier: GPL-2.0-only
/*
 * The log2 histogram of the latency tools (funclatency, biolatency) in bcc's layout
 * ("usecs : count distribution" with bars), and as JSON: one printer for both, handed the
 * counts of each bucket in the kernel's numbering (src/hist/hist.h). Pure but for stdout.
 */
#include <stdio.h>

#include "hist/hist.h"
#include "json.h"
#include "tools/tools.h"

#define STARS 40 /* bcc's widest bar */

/**
 * ft_tool_log2_print() - a log2 histogram as bcc prints it, to stdout
 * @unit: the unit's name in the header ("usecs", "msecs")
 * @c: the count of each bucket, @c[n] that of "~ 2^n"
 * @max: the last bucket printed (the largest with a count)
 *
 * The bounds are the kernel's: bucket n holds 2^(n-1) < x <= 2^n, so it is printed as
 * "2^(n-1)+1 -> 2^n", not as bcc's "2^(n-1) -> 2^n-1". Nothing but the header when every
 * count is 0, as bcc.
 */
void ft_tool_log2_print(const char *unit, const uint64_t *c, unsigned max)
{
	uint64_t top = 0, total = 0;

	for (unsigned b = 0; b <= max; b++) {
		total += c[b];
		if (c[b] > top)
			top = c[b];
	}
	printf("     %-19s : count     distribution\n", unit);
	for (unsigned b = 0; total && b <= max; b++) {
		int stars = top ? (int)(c[b] * STARS / top) : 0;

		printf("%10llu -> %-10llu : %-8llu |%-*.*s|\n", (unsigned long long)ft_log2_lo(b),
		       (unsigned long long)(ft_log2_hi(b) - 1), (unsigned long long)c[b], STARS,
		       stars, "****************************************");
	}
}

/**
 * ft_tool_log2_json() - the buckets of a log2 histogram as a JSON array "buckets"
 * @j: the JSON writer, inside an object
 * @c: the count of each bucket, as for ft_tool_log2_print()
 * @max: the last bucket
 * @total: the sum of the counts: none are written when it is 0
 */
void ft_tool_log2_json(struct ft_json *j, const uint64_t *c, unsigned max, uint64_t total)
{
	ft_json_begin_arr(j, "buckets");
	for (unsigned n = 0; total && n <= max; n++) {
		ft_json_begin_obj(j, NULL);
		ft_json_uint(j, "lo", ft_log2_lo(n));
		ft_json_uint(j, "hi", ft_log2_hi(n) - 1);
		ft_json_uint(j, "count", c[n]);
		ft_json_end(j, '}');
	}
	ft_json_end(j, ']');
}

/**
 * ft_tool_log2_of() - the kernel's log2 bucket of a value: ilog2(roundup_pow_of_two(x))
 * @x: the value
 *
 * Return: the bucket n, 2^(n-1) < x <= 2^n; 0 for 0 and 1 (as the kernel and agg.bpf.c).
 */
unsigned ft_tool_log2_of(uint64_t x)
{
	unsigned r = 0;

	if (x <= 1)
		return 0;
	x--;
	while (x) {
		x >>= 1;
		r++;
	}
	return r;
}
