/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_JSON_H
#define FT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define FT_JSON_MAX_DEPTH 16

/*
 * The version of the reports' JSON (plan, diff, hist diff, cleanup --dry-run; ftrig(1), JSON
 * OUTPUT): raised when a member changes meaning or goes away, not when one is added.
 */
#define FT_REPORT_JSON_VERSION 1

/**
 * struct ft_json - a streaming JSON writer onto a stdio stream
 * @f: the stream written to
 * @depth: how many objects/arrays are open
 * @count: members written so far at each depth, to place commas
 * @pretty: indent with tabs and break lines
 */
struct ft_json {
	FILE *f;
	int depth;
	unsigned count[FT_JSON_MAX_DEPTH];
	bool pretty;
};

void ft_json_init(struct ft_json *j, FILE *f, bool pretty);
void ft_json_begin_obj(struct ft_json *j, const char *key);
void ft_json_begin_arr(struct ft_json *j, const char *key);
void ft_json_end(struct ft_json *j, char close);
void ft_json_str(struct ft_json *j, const char *key, const char *val);
void ft_json_int(struct ft_json *j, const char *key, int64_t val);
void ft_json_uint(struct ft_json *j, const char *key, uint64_t val);
void ft_json_double(struct ft_json *j, const char *key, double val);
void ft_json_null(struct ft_json *j, const char *key);
void ft_json_bool(struct ft_json *j, const char *key, bool val);
void ft_json_escape(FILE *f, const char *s);

#endif
