// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ledger's journal format, pure text in and out.
 *
 * A journal is a text file, one record per line, fields separated by tabs, with tab, newline
 * and backslash escaped inside fields (\t \n \\):
 *
 *	ftrig-journal 1	PID	STARTTIME	BOOT_ID[	TAG]
 *	+	SEQ	KIND	INSTANCE	SYSTEM	EVENT	FILE	TEXT
 *	-	SEQ
 *	=	SEQ	NOTE
 *
 * A "+" record is appended before the kernel write it describes; a "-" record
 * retires it once the object is gone, or when the write failed. Replaying a journal undoes the
 * "+" records that no "-" record retired. A torn last line (a crash mid-append) is ignored.
 * TAG, in persistent journals of their own, names what the objects belong to (a setup file's
 * absolute path); readers that do not know it ignore it.
 *
 * A "=" record adds a note to the live object SEQ: what undoing it must check or put back,
 * as blank-separated KEY=VALUE words (the instance's inode once it is made, "ino=N"; the
 * state a trigger may change and that its removal restores, "target_enable=0",
 * "trace_clock=local"). It is appended in the same write as its "+" record when known
 * before the kernel write, or after the write (an identity learned from the kernel). Notes
 * of one object add up; a note for an object that is not live is ignored.
 *
 * Every field is checked as it is read (the journal may have been damaged, or planted in a
 * shared state directory): numbers are decimal, names pass the kernel's rules for their kind
 * (src/names.c: no "..", no '/'), the file of a dynamic event is one of the kernel's, a pin
 * directory is one name right below .../ftrig/, and texts are not empty. A journal with
 * one bad field is refused whole, with the line and the field in @why.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "names.h"
#include "util.h"

static const char *const kind_names[FT_OBJ_NKINDS] = {
	[FT_OBJ_BPF] = "bpf",	    [FT_OBJ_TRIGGER] = "trigger",   [FT_OBJ_ENABLE] = "enable",
	[FT_OBJ_FILTER] = "filter", [FT_OBJ_DYNEVENT] = "dynevent", [FT_OBJ_INSTANCE] = "instance",
	[FT_OBJ_MOUNT] = "mount",   [FT_OBJ_EXPORT] = "export",
};

/**
 * ft_obj_kind_name() - the journal's name for a kind of object
 * @kind: the kind
 *
 * Return: a static string.
 */
const char *ft_obj_kind_name(enum ft_obj_kind kind)
{
	return kind < FT_OBJ_NKINDS ? kind_names[kind] : "unknown";
}

/**
 * ft_obj_rank() - the phase in which an object is undone; lower goes first
 * @o: the object
 *
 * BPF links hold the perf events of probes, triggers hold events and other triggers'
 * variables, enabled events hold probes (a filter holds nothing, and goes with the enables), synthetic events are fed by triggers and may be the
 * base of eprobes, and an instance can only go once nothing in it is used.
 *
 * Return: 0 (first) to FT_OBJ_LAST_RANK (last).
 */
int ft_obj_rank(const struct ft_obj *o)
{
	switch (o->kind) {
	case FT_OBJ_BPF:
	case FT_OBJ_EXPORT:
		return 0;
	case FT_OBJ_TRIGGER:
		return 1;
	case FT_OBJ_ENABLE:
	case FT_OBJ_FILTER:
		return 2;
	case FT_OBJ_DYNEVENT:
		if (!strcmp(o->file, "synthetic_events") || o->text[0] == 's')
			return 3;
		return o->text[0] == 'e' ? 4 : 5;
	default:
		return FT_OBJ_LAST_RANK;
	}
}

/**
 * ft_obj_describe() - one line for people: what the object is and where
 * @o: the object
 * @buf: where the text goes
 * @size: size of @buf
 *
 * Return: the length snprintf() reports.
 */
int ft_obj_describe(const struct ft_obj *o, char *buf, size_t size)
{
	const char *in = o->instance[0] ? o->instance : "top level";

	switch (o->kind) {
	case FT_OBJ_TRIGGER:
		return snprintf(buf, size, "trigger '%s' on %s:%s (%s)", o->text, o->system,
				o->event, in);
	case FT_OBJ_ENABLE:
		return snprintf(buf, size, "enabled event %s:%s (%s)", o->system, o->event, in);
	case FT_OBJ_FILTER:
		return snprintf(buf, size, "filter '%s' on %s:%s (%s)", o->text, o->system,
				o->event, in);
	case FT_OBJ_DYNEVENT:
		return snprintf(buf, size, "dynamic event %s/%s '%s'", o->system, o->event,
				o->text);
	case FT_OBJ_INSTANCE:
		return snprintf(buf, size, "instance %s", o->instance);
	case FT_OBJ_BPF:
		return snprintf(buf, size, "BPF aggregation on %s:%s pinned at %s", o->system,
				o->event, o->text);
	case FT_OBJ_MOUNT:
		return snprintf(buf, size, "%s mount on %s", o->system, o->text);
	case FT_OBJ_EXPORT:
		return snprintf(buf, size, "export of %s:%s (%s) to ftrig serve%s%s%s", o->system,
				o->event, in, *o->text ? ", at most " : "", o->text,
				*o->text ? " series" : "");
	default:
		return snprintf(buf, size, "unknown object");
	}
}

static void put_field(FILE *f, const char *s)
{
	fputc('\t', f);
	for (; s && *s; s++) {
		if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s, f);
	}
}

/**
 * ft_journal_format_obj() - write the "+" record of @o, newline included
 * @f: the stream
 * @o: the object
 *
 * Return: 0, or -EIO if the stream reports an error.
 */
int ft_journal_format_obj(FILE *f, const struct ft_obj *o)
{
	fprintf(f, "+\t%u", o->seq);
	put_field(f, ft_obj_kind_name(o->kind));
	put_field(f, o->instance);
	put_field(f, o->system);
	put_field(f, o->event);
	put_field(f, o->file);
	put_field(f, o->text);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

/**
 * ft_journal_format_header() - write a journal's first line, newline included
 * @f: the stream
 * @j: the journal (pid, starttime, boot_id and tag are used)
 *
 * Return: 0, or -EIO if the stream reports an error.
 */
int ft_journal_format_header(FILE *f, const struct ft_journal *j)
{
	fprintf(f, "ftrig-journal 1\t%d\t%llu", (int)j->pid, j->starttime);
	put_field(f, j->boot_id);
	if (j->tag[0])
		put_field(f, j->tag);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

/* Split one line (modified in place) into at most @max unescaped fields. */
static int split(char *line, char **fields, int max)
{
	int n = 0;
	char *w = line;

	fields[n++] = w;
	for (char *r = line; *r; r++) {
		if (*r == '\t' && n < max) {
			*w++ = '\0';
			fields[n++] = w;
		} else if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return n;
}

static int kind_from_name(const char *s)
{
	for (int k = 0; k < FT_OBJ_NKINDS; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	return -1;
}

/* A decimal number that fits: the journal writes nothing else there. */
static bool number(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 20)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && *v <= max;
}

/* Text written to tracefs: the kernel judges it; it only has to be there. */
static int check_text(const char *s, bool may_be_empty, char *why, size_t size)
{
	if (!*s && !may_be_empty)
		return snprintf(why, size, "an empty text"), -EINVAL;
	return 0;
}

/* An export's series limit: digits, or "" for serve's own. */
static int check_limit(const char *s, char *why, size_t size)
{
	if (s[strspn(s, "0123456789")] || strlen(s) > 9)
		return snprintf(why, size, "a series limit '%s'", s), -EINVAL;
	return 0;
}

static int check_dynevent(char **fl, char *why, size_t size)
{
	static const char *const files[] = { "dynamic_events", "kprobe_events", "uprobe_events",
					     "synthetic_events" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(fl[6], files[i]))
			return ft_name_system(fl[4], why, size) ?: ft_name_event(fl[5], why, size);
	return snprintf(why, size, "'%s' is not a file of dynamic events", fl[6]), -EINVAL;
}

/* An absolute path without "..", "." or empty components. */
static int check_abspath(const char *p, char *why, size_t size)
{
	if (p[0] != '/')
		return snprintf(why, size, "'%s' is not an absolute path", p), -EINVAL;
	return ft_name_relpath(p + 1, why, size);
}

/* A BPF pin directory: BPFFS/ftrig/NAME, NAME by the pin rules. */
static int check_pin(const char *p, char *why, size_t size)
{
	const char *slash = strrchr(p, '/');

	if (check_abspath(p, why, size))
		return -EINVAL;
	if (slash - p < 6 || strncmp(slash - 6, "/ftrig", 6))
		return snprintf(why, size, "'%s' is not a directory right below ftrig/", p),
		       -EINVAL;
	return ft_name_pin(slash + 1, why, size);
}

/* The fields of a "+" record, by its kind; @fl as split(). */
static int check_obj(int kind, char **fl, char *why, size_t size)
{
	bool top = !fl[3][0];

	switch (kind) {
	case FT_OBJ_TRIGGER:
	case FT_OBJ_ENABLE:
	case FT_OBJ_FILTER:
		return (top ? 0 : ft_name_instance(fl[3], why, size)) ?:
			       ft_name_system(fl[4], why, size) ?:
			       ft_name_event(fl[5], why, size) ?:
			       check_text(fl[7], kind == FT_OBJ_ENABLE, why, size);
	case FT_OBJ_DYNEVENT:
		return check_dynevent(fl, why, size) ?: check_text(fl[7], false, why, size);
	case FT_OBJ_INSTANCE:
		return ft_name_instance(fl[3], why, size);
	case FT_OBJ_BPF:
		return ft_name_system(fl[4], why, size) ?: ft_name_event(fl[5], why, size) ?:
			       check_pin(fl[7], why, size);
	case FT_OBJ_EXPORT:
		return (top ? 0 : ft_name_instance(fl[3], why, size)) ?:
			       ft_name_system(fl[4], why, size) ?:
			       ft_name_event(fl[5], why, size) ?: check_limit(fl[7], why, size);
	case FT_OBJ_MOUNT:
		if (strcmp(fl[4], "bpffs"))
			return snprintf(why, size, "a mount of '%s'", fl[4]), -EINVAL;
		return check_abspath(fl[7], why, size);
	}
	return -EINVAL;
}

static int add_obj(struct ft_journal *j, char **fl)
{
	struct ft_obj *o, *no;
	int kind = kind_from_name(fl[2]);
	unsigned long long seq;

	if (!number(fl[1], UINT_MAX - 1, &seq))
		return snprintf(j->why, sizeof(j->why), "sequence number '%s'", fl[1]), -EINVAL;
	if (kind < 0)
		return snprintf(j->why, sizeof(j->why), "unknown kind '%s'", fl[2]), -EINVAL;
	if (check_obj(kind, fl, j->why, sizeof(j->why)))
		return -EINVAL;
	no = realloc(j->objs, (j->nobjs + 1) * sizeof(*o));
	if (!no)
		return -ENOMEM;
	j->objs = no;
	o = &j->objs[j->nobjs];
	*o = (struct ft_obj){
		.seq = (unsigned)seq,
		.kind = kind,
		.instance = strdup(fl[3]),
		.system = strdup(fl[4]),
		.event = strdup(fl[5]),
		.file = strdup(fl[6]),
		.text = strdup(fl[7]),
		.note = strdup(""),
	};
	j->nobjs++;
	if (!o->instance || !o->system || !o->event || !o->file || !o->text || !o->note)
		return -ENOMEM;
	if (o->seq >= j->next_seq)
		j->next_seq = o->seq + 1;
	return 0;
}

/**
 * ft_obj_release() - free the strings of an object (not the object itself)
 * @o: the object
 */
void ft_obj_release(struct ft_obj *o)
{
	free(o->instance);
	free(o->system);
	free(o->event);
	free(o->file);
	free(o->text);
	free(o->note);
}

/* A "=" record: @text joins the notes of the live object @seq. */
static int add_note(struct ft_journal *j, unsigned seq, const char *text)
{
	for (size_t i = 0; i < j->nobjs; i++) {
		struct ft_obj *o = &j->objs[i];
		char *n;

		if (o->seq != seq)
			continue;
		if (asprintf(&n, "%s%s%s", o->note, *o->note ? " " : "", text) < 0)
			return -ENOMEM;
		free(o->note);
		o->note = n;
		return 0;
	}
	return 0;
}

/**
 * ft_obj_note() - the value of KEY in an object's notes ("=" records)
 * @o: the object
 * @key: the key, without "="
 * @buf: set to the value (the last one given wins)
 * @size: size of @buf
 *
 * Return: true if the notes have @key.
 */
bool ft_obj_note(const struct ft_obj *o, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	bool found = false;

	for (const char *p = o->note ? o->note : ""; *p;) {
		size_t len = strcspn(p, " ");

		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, size, "%.*s", (int)(len - klen - 1), p + klen + 1);
			found = true;
		}
		p += len;
		p += strspn(p, " ");
	}
	return found;
}

/**
 * ft_journal_format_note() - write a "=" record, newline included
 * @f: the stream
 * @seq: the object the note is about
 * @note: KEY=VALUE words
 *
 * Return: 0, or -EIO if the stream reports an error.
 */
int ft_journal_format_note(FILE *f, unsigned seq, const char *note)
{
	fprintf(f, "=\t%u", seq);
	put_field(f, note);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

static void retire(struct ft_journal *j, unsigned seq)
{
	for (size_t i = 0; i < j->nobjs; i++) {
		if (j->objs[i].seq != seq)
			continue;
		ft_obj_release(&j->objs[i]);
		memmove(&j->objs[i], &j->objs[i + 1], (j->nobjs - i - 1) * sizeof(j->objs[0]));
		j->nobjs--;
		return;
	}
}

/* The header: the format, the session's pid and start time, the boot, maybe a tag. */
static int parse_header(struct ft_journal *j, char **fl, int n)
{
	unsigned long long pid, st;
	const char *b = fl[3];

	if (n < 4 || strcmp(fl[0], "ftrig-journal 1"))
		return snprintf(j->why, sizeof(j->why), "no ftrig-journal 1 header"), -EINVAL;
	if (!number(fl[1], INT_MAX, &pid) || !number(fl[2], ULLONG_MAX, &st))
		return snprintf(j->why, sizeof(j->why), "a bad pid or start time"), -EINVAL;
	if (strcmp(b, "unknown") &&
	    (!*b || strlen(b) >= sizeof(j->boot_id) ||
	     strspn(b, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") !=
		     strlen(b)))
		return snprintf(j->why, sizeof(j->why), "a bad boot id"), -EINVAL;
	if (n > 4 && (fl[4][0] != '/' || strlen(fl[4]) >= sizeof(j->tag)))
		return snprintf(j->why, sizeof(j->why), "a tag that is not an absolute path"),
		       -EINVAL;
	j->pid = (pid_t)pid;
	j->starttime = st;
	snprintf(j->boot_id, sizeof(j->boot_id), "%s", b);
	if (n > 4)
		snprintf(j->tag, sizeof(j->tag), "%s", fl[4]);
	return 0;
}

/* A note is blank-separated KEY=VALUE words of printable bytes. */
static bool note_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int parse_line(struct ft_journal *j, char *line, int lineno)
{
	unsigned long long seq;
	char *fl[8];
	int n = split(line, fl, 8);

	if (lineno == 1)
		return parse_header(j, fl, n);
	if (!strcmp(fl[0], "+") && n == 8)
		return add_obj(j, fl);
	if ((!strcmp(fl[0], "=") && n == 3) || (!strcmp(fl[0], "-") && n == 2)) {
		if (!number(fl[1], UINT_MAX - 1, &seq))
			return snprintf(j->why, sizeof(j->why), "sequence number '%s'", fl[1]),
			       -EINVAL;
	}
	if (!strcmp(fl[0], "=") && n == 3) {
		if (!note_ok(fl[2]))
			return snprintf(j->why, sizeof(j->why), "a note with control bytes"),
			       -EINVAL;
		return add_note(j, (unsigned)seq, fl[2]);
	}
	if (!strcmp(fl[0], "-") && n == 2) {
		retire(j, (unsigned)seq);
		if (seq >= j->next_seq)
			j->next_seq = (unsigned)seq + 1;
		return 0;
	}
	return snprintf(j->why, sizeof(j->why), "not a record"), -EINVAL;
}

/**
 * ft_journal_parse() - read a journal's text into the objects still to undo
 * @text: the whole file
 * @j: filled in; release with ft_journal_release() whatever this returns
 *
 * A last line without its newline was torn by a crash during the append; it is skipped
 * (the write it announced had not been made yet).
 *
 * Return: 0, -EINVAL for a file that is not a journal or has a malformed complete line,
 * -ENOMEM.
 */
int ft_journal_parse(const char *text, struct ft_journal *j)
{
	char *copy = strdup(text), *line, *next;
	int lineno = 0, ret = 0;

	memset(j, 0, sizeof(*j));
	if (!copy)
		return -ENOMEM;
	for (line = copy; *line && !ret; line = next) {
		char *nl = strchr(line, '\n');

		if (!nl)
			break;
		*nl = '\0';
		next = nl + 1;
		ret = parse_line(j, line, ++lineno);
	}
	if (ret == -EINVAL) {
		char at[sizeof(j->why)];

		snprintf(at, sizeof(at), "line %d: %s", lineno, j->why);
		memcpy(j->why, at, sizeof(at));
	}
	if (!ret && lineno == 0) {
		snprintf(j->why, sizeof(j->why), "no header");
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

/**
 * ft_journal_release() - free what ft_journal_parse() allocated
 * @j: the journal; the struct itself is the caller's
 */
void ft_journal_release(struct ft_journal *j)
{
	for (size_t i = 0; i < j->nobjs; i++)
		ft_obj_release(&j->objs[i]);
	free(j->objs);
	j->objs = NULL;
	j->nobjs = 0;
}
