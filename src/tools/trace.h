/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_TOOLS_TRACE_H
#define FT_TOOLS_TRACE_H

/*
 * ftrig trace: bcc trace's probe specs ('r::do_sys_openat2 (retval < 0) "%d", retval') as
 * probes with fetch arguments and kernel event filters (src/tools/trace-spec.c, pure), and the
 * message of each event (src/tools/trace-msg.c, pure); the predicate in trace-filter.c; a
 * tracepoint whose %s prints a pointer as an event probe (trace-eprobe.c, pure).
 * src/tools/trace.c runs them.
 */

#include <stdbool.h>
#include <stddef.h>

struct ft_event_format;

#define FT_TRACE_MAX_ARGS 8 /* the values one message prints */
#define FT_TRACE_MAX_FETCH 8 /* the values a filter compares, besides those printed */
#define FT_TRACE_MAX_ARGN 6 /* arg1..arg6, as bcc's trace */

enum ft_trace_kind {
	FT_TRACE_KPROBE,
	FT_TRACE_KRETPROBE,
	FT_TRACE_UPROBE,
	FT_TRACE_URETPROBE,
	FT_TRACE_TRACEPOINT,
};

/**
 * struct ft_trace_arg - one value a probe prints or filters on
 * @field: the event's field that holds it: the probe's fetch argument named so, or the
 *         tracepoint's own field
 * @fetch: probes: what the kernel fetches ("$arg2", "+0($arg2)", "$retval"); "" for a
 *         tracepoint's field
 * @type: probes: the fetch type (s32, u64, x64, string, ustring, ...); a tracepoint's field:
 *        "ustring" when written FIELD@user (its pointer is read from user memory), else ""
 * @conv: printed values: the conversion as written without '%' ("d", "-8lld", "s")
 */
struct ft_trace_arg {
	char field[64];
	char fetch[32];
	char type[8];
	char conv[16];
};

/**
 * struct ft_trace_probe - one of bcc trace's probe specs
 * @kind: what it probes
 * @target: kprobe: FUNCTION[+OFF]; uprobe: BINARY:SYMBOL[+OFF]; tracepoint: SYSTEM:EVENT
 * @func: the FUNC column: the function, the symbol, or the event's name
 * @format: the message's format as given, its escapes (\n, \t, \", \\) resolved; "" for none
 * @args: the values printed, one per conversion of @format
 * @nargs: how many
 * @fetch: probes: the values the filter compares (their own fetch arguments)
 * @nfetch: how many
 * @filter: the kernel's event filter on the event's fields; "" for none
 */
struct ft_trace_probe {
	enum ft_trace_kind kind;
	char target[512];
	char func[128];
	char format[256];
	struct ft_trace_arg args[FT_TRACE_MAX_ARGS];
	size_t nargs;
	struct ft_trace_arg fetch[FT_TRACE_MAX_FETCH];
	size_t nfetch;
	char filter[512];
};

/**
 * struct ft_trace_val - one value of an event, as its record holds it
 * @str: a string field's text (not necessarily NUL-terminated: @len), or NULL for a number
 * @len: its length
 * @num: a number, sign-extended from its field's size when the field is signed
 */
struct ft_trace_val {
	const char *str;
	size_t len;
	unsigned long long num;
};

int ft_trace_parse(const char *text, struct ft_trace_probe *p, char *err, size_t errsz);
int ft_trace_filter(struct ft_trace_probe *p, const char *pred, char *err, size_t errsz);
bool ft_trace_is_kernel(const struct ft_trace_probe *p);
int ft_trace_probe_text(const struct ft_trace_probe *p, char *buf, size_t size);
bool ft_trace_needs_eprobe(const struct ft_trace_probe *p, const struct ft_event_format *fmt);
int ft_trace_eprobe_text(const struct ft_trace_probe *p, const struct ft_event_format *fmt,
			 char *buf, size_t size, char *err, size_t errsz);
int ft_trace_message(const struct ft_trace_probe *p, const struct ft_trace_val *v, char *buf,
		     size_t size);

#endif
