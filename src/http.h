/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FT_HTTP_H
#define FT_HTTP_H

/*
 * A read-only HTTP endpoint over libmicrohttpd: one path answers GET (and HEAD), everything
 * else is 404 or 405. Run from the caller's loop (no thread of its own), so what it serves
 * is made in the caller's thread with no locking.
 */
#include <signal.h>
#include <stddef.h>

struct ft_http;

/**
 * typedef ft_http_fn - make the body of a GET of the served path
 * @accept: the request's Accept header, or NULL
 * @body: set to the body (malloc()ed; the endpoint frees it)
 * @len: set to its length
 * @ctype: set to its Content-Type (a static string)
 * @data: what ft_http_start() was given
 *
 * Return: 0, or -errno for a 500 answer.
 */
typedef int (*ft_http_fn)(const char *accept, char **body, size_t *len, const char **ctype,
			  void *data);

int ft_http_listen_parse(const char *arg, char *host, size_t hsize, char *port, size_t psize);
int ft_http_start(const char *host, const char *port, const char *path, ft_http_fn fn, void *data,
		  struct ft_http **out);
int ft_http_wait(struct ft_http *h, long long ms, const sigset_t *mask);
void ft_http_stop(struct ft_http *h);
const char *ft_http_where(const struct ft_http *h);

#endif
