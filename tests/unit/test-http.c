// SPDX-License-Identifier: GPL-2.0-only
/* ftrig serve's --listen ADDR:PORT, split as the endpoint binds it (src/http.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

static void test_listen_parse(void **state)
{
	static const struct {
		const char *in, *host, *port;
	} good[] = {
		{ "127.0.0.1:9464", "127.0.0.1", "9464" }, { ":9464", "", "9464" },
		{ "[::1]:9464", "::1", "9464" },	   { "localhost:0", "localhost", "0" },
		{ "0.0.0.0:65535", "0.0.0.0", "65535" },
	};
	static const char *const bad[] = {
		"9464",	    "127.0.0.1", "127.0.0.1:", "127.0.0.1:x",	 "127.0.0.1:65536",
		"::1:9464", "[::1:9464", "1.2.3.4:-1", "1.2.3.4:123456", ""
	};
	char host[64], port[8];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(
			ft_http_listen_parse(good[i].in, host, sizeof(host), port, sizeof(port)),
			0);
		assert_string_equal(host, good[i].host);
		assert_string_equal(port, good[i].port);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ft_http_listen_parse(bad[i], host, sizeof(host), port, sizeof(port)) != -EINVAL)
			fail_msg("'%s' was taken as an address", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_listen_parse) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
