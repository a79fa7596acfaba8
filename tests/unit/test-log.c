// SPDX-License-Identifier: GPL-2.0-only
/*
 * The log sink's verbosity: ft_log_shown() answers what ft_log() does, so that a caller
 * that skips making a message's text (libbpf's printer, #21) drops exactly what ft_log()
 * would have dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

struct seen {
	int n;
	enum ft_log_level level;
};

static void count_sink(enum ft_log_level level, const char *msg, void *data)
{
	struct seen *s = data;

	(void)msg;
	s->n++;
	s->level = level;
}

static void test_shown_is_what_reaches_the_sink(void **state)
{
	static const enum ft_log_level levels[] = { FT_LOG_ERR, FT_LOG_WARN, FT_LOG_INFO,
						    FT_LOG_DEBUG };
	struct seen s = { 0 };

	(void)state;
	ft_log_set_sink(count_sink, &s);
	for (size_t v = 0; v < 4; v++) {
		ft_log_set_verbosity(levels[v]);
		for (size_t l = 0; l < 4; l++) {
			int before = s.n;

			ft_log(levels[l], "message %zu", l);
			assert_int_equal(ft_log_shown(levels[l]), s.n == before + 1);
			assert_int_equal(ft_log_shown(levels[l]), l <= v);
		}
	}
	/* the default: debug lines only with -v */
	ft_log_set_verbosity(FT_LOG_INFO);
	assert_false(ft_log_shown(FT_LOG_DEBUG));
	assert_true(ft_log_shown(FT_LOG_INFO));
	ft_log_set_sink(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shown_is_what_reaches_the_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
