// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTTP side of `ftrig serve`, on libmicrohttpd (Debian libmicrohttpd-dev). ftrig binds
 * the listening socket itself, so that a bad address or a port in use is said as what it is,
 * and hands it to the library, which parses the requests. No thread: the caller's loop waits
 * in ft_http_wait(), so a body is made between two waits and the stop signals are seen.
 *
 * The library is loaded (dlopen) when an endpoint starts, not linked: it brings GnuTLS and
 * eight more libraries whose loading and constructors took 10 ms of every ftrig command's
 * start here, two thirds of what `hist start` of one event took over the smallest loader
 * (bench/02-attach.sh).
 */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "log.h"

/* The library's functions ftrig calls, as dlsym() found them. */
struct mhd_api {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_fdset) *get_fdset;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_run_from_select) *run_from_select;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
};

struct ft_http {
	void *lib;
	struct mhd_api m;
	struct MHD_Daemon *d;
	int fd;
	const char *path;
	ft_http_fn fn;
	void *data;
	char where[320];
};

/**
 * ft_http_listen_parse() - split "ADDR:PORT", "[IPV6]:PORT" or ":PORT"
 * @arg: the text
 * @host: set to the address ("" for every address)
 * @hsize: its size
 * @port: set to the port (digits, 0 to 65535)
 * @psize: its size
 *
 * Return: 0, or -EINVAL when it is not of that form.
 */
int ft_http_listen_parse(const char *arg, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon = strrchr(arg, ':'), *h = arg;
	size_t hl;
	char *end;
	long p;

	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -EINVAL;
	p = strtol(colon + 1, &end, 10);
	if (p < 0 || p > 65535 || strlen(colon + 1) > 5)
		return -EINVAL;
	hl = (size_t)(colon - arg);
	if (hl && arg[0] == '[') {
		if (arg[hl - 1] != ']')
			return -EINVAL;
		h++;
		hl -= 2;
	} else if (memchr(arg, ':', hl)) {
		return -EINVAL; /* an IPv6 address needs its brackets */
	}
	if (hl >= hsize || strlen(colon + 1) >= psize)
		return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	snprintf(port, psize, "%ld", p);
	return 0;
}

/* Load the library and find its functions in @h->m. Return: 0, or -ENOENT after saying
 * why. */
static int mhd_load(struct ft_http *h)
{
	/* Its soname: the one ABI this ftrig was built against (microhttpd.h's), the
	 * development link as a last resort. */
	static const char *const names[] = { "libmicrohttpd.so.12", "libmicrohttpd.so" };
#define SYM(f) (h->m.f = (__typeof__(h->m.f))dlsym(h->lib, "MHD_" #f))
	for (size_t i = 0; !h->lib && i < sizeof(names) / sizeof(names[0]); i++)
		h->lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (h->lib && SYM(start_daemon) && SYM(stop_daemon) && SYM(get_fdset) && SYM(get_timeout) &&
	    SYM(run_from_select) && SYM(lookup_connection_value) &&
	    SYM(create_response_from_buffer) && SYM(add_response_header) && SYM(queue_response) &&
	    SYM(destroy_response))
		return 0;
#undef SYM
	ft_err("cannot load libmicrohttpd (%s): 'ftrig serve' needs it (Debian: apt-get install "
	       "libmicrohttpd12)",
	       dlerror());
	if (h->lib)
		dlclose(h->lib);
	h->lib = NULL;
	return -ENOENT;
}

static enum MHD_Result answer_text(struct ft_http *h, struct MHD_Connection *c, unsigned status,
				   const char *text, const char *allow)
{
	struct MHD_Response *r = h->m.create_response_from_buffer(strlen(text), (void *)text,
								  MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	h->m.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		h->m.add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	ret = h->m.queue_response(c, status, r);
	h->m.destroy_response(r);
	return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	struct ft_http *h = cls;
	struct MHD_Response *r;
	const char *ctype = NULL;
	enum MHD_Result ret;
	char *body = NULL;
	size_t len = 0;

	/* the first call has the headers only: answer on the second, as the library asks */
	if (!*req) {
		*req = h;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return answer_text(h, c, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "ftrig serve is read only: GET /metrics\n", "GET, HEAD");
	if (*upload_size) {
		*upload_size = 0; /* a GET with a body: the body is ignored */
		return MHD_YES;
	}
	if (strcmp(url, h->path))
		return answer_text(h, c, MHD_HTTP_NOT_FOUND, "not found: ftrig serves /metrics\n",
				   NULL);
	if (h->fn(h->m.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT), &body,
		  &len, &ctype, h->data))
		return answer_text(h, c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "ftrig serve could not read the aggregations\n", NULL);
	r = h->m.create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	h->m.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	ret = h->m.queue_response(c, MHD_HTTP_OK, r);
	h->m.destroy_response(r);
	return ret;
}

/* Bind and listen on @host:@port; the socket, or -errno after saying why. */
static int bind_socket(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM },
			*ai = NULL;
	int fd = -1, one = 1, gai, err;

	gai = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
	if (gai) {
		ft_err("cannot listen on '%s': %s; give an address of this machine, e.g. "
		       "--listen 127.0.0.1:9464",
		       host, gai_strerror(gai));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		err = errno;
		ft_err("cannot listen on %s:%s: %s%s", *host ? host : "*", port, strerror(err),
		       err == EADDRINUSE ? "; another program has that port: pick another with "
					   "--listen ADDR:PORT"
		       : err == EADDRNOTAVAIL ? "; that address is not one of this machine's"
		       : err == EACCES	      ? "; ports below 1024 need root"
					      : "");
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -err;
	}
	freeaddrinfo(ai);
	return fd;
}

/* "http://HOST:PORT" of the bound socket, the port the kernel chose for port 0. */
static void describe(struct ft_http *h, const char *host)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char hb[NI_MAXHOST] = "", pb[NI_MAXSERV] = "";
	bool v6;

	if (getsockname(h->fd, (struct sockaddr *)&ss, &sl) ||
	    getnameinfo((struct sockaddr *)&ss, sl, hb, sizeof(hb), pb, sizeof(pb),
			NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(pb, sizeof(pb), "?");
	v6 = ss.ss_family == AF_INET6;
	snprintf(h->where, sizeof(h->where), "http://%s%s%s:%s%s", v6 ? "[" : "",
		 *host ? hb : (v6 ? "::" : "0.0.0.0"), v6 ? "]" : "", pb, h->path);
}

/**
 * ft_http_start() - listen and serve one path
 * @host: the address ("" for every address of the machine)
 * @port: the port (digits; "0": one the kernel picks, see ft_http_where())
 * @path: the path that is answered ("/metrics"; kept, not copied)
 * @fn: makes its body
 * @data: passed to @fn
 * @out: set to the endpoint (stop it with ft_http_stop())
 *
 * Return: 0, or -errno after saying why (EADDRINUSE: the port is taken; EINVAL: not an
 * address).
 */
int ft_http_start(const char *host, const char *port, const char *path, ft_http_fn fn, void *data,
		  struct ft_http **out)
{
	struct ft_http *h = calloc(1, sizeof(*h));
	int ret;

	if (!h)
		return -ENOMEM;
	ret = mhd_load(h);
	if (ret) {
		free(h);
		return ret;
	}
	h->path = path;
	h->fn = fn;
	h->data = data;
	h->fd = bind_socket(host, port);
	if (h->fd < 0) {
		ret = h->fd;
		dlclose(h->lib);
		free(h);
		return ret;
	}
	describe(h, host);
	h->d = h->m.start_daemon(MHD_USE_ERROR_LOG, 0, NULL, NULL, answer, h,
				 MHD_OPTION_LISTEN_SOCKET, h->fd, MHD_OPTION_CONNECTION_LIMIT,
				 (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
				 MHD_OPTION_END);
	if (!h->d) {
		ft_err("libmicrohttpd did not start on %s", h->where);
		close(h->fd);
		dlclose(h->lib);
		free(h);
		return -EIO;
	}
	*out = h;
	return 0;
}

/**
 * ft_http_wait() - answer requests for up to @ms milliseconds, or until a signal
 * @h: the endpoint
 * @ms: how long at most
 * @mask: the signal mask during the wait (the caller blocks the stop signals and checks
 *        its flag before, so that one coming in between still ends the wait)
 *
 * Return: 0, -EINTR (a signal came) or -errno.
 */
int ft_http_wait(struct ft_http *h, long long ms, const sigset_t *mask)
{
	fd_set rs, ws, es;
	MHD_socket max = 0;
	MHD_UNSIGNED_LONG_LONG to;
	struct timespec ts;
	int n;

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	if (h->m.get_fdset(h->d, &rs, &ws, &es, &max) != MHD_YES)
		return -EIO;
	if (h->m.get_timeout(h->d, &to) == MHD_YES && (long long)to < ms)
		ms = (long long)to;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000;
	n = pselect(max + 1, &rs, &ws, &es, &ts, mask);
	if (n < 0)
		return -errno;
	h->m.run_from_select(h->d, &rs, &ws, &es);
	return 0;
}

/**
 * ft_http_where() - the URL served
 * @h: the endpoint
 *
 * Return: "http://ADDR:PORT/PATH", valid while @h is.
 */
const char *ft_http_where(const struct ft_http *h)
{
	return h->where;
}

/**
 * ft_http_stop() - close the endpoint and its connections
 * @h: the endpoint, may be NULL
 */
void ft_http_stop(struct ft_http *h)
{
	if (!h)
		return;
	h->m.stop_daemon(h->d); /* closes the listening socket too */
	dlclose(h->lib);
	free(h);
}
