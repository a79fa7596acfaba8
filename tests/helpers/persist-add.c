// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test helper: adds triggers and enables at the top level through the persistent ledger,
 * the way the persistent commands (trigger add, apply) do, so that tests can check what
 * `probe rm` and `cleanup --all` do with objects ftrig owns on a probe.
 *
 * usage: persist-add [-t SYS:EVENT:TRIGGER]... [-e SYS:EVENT]...
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "tfs.h"

static int add(struct ft_ledger *l, int opt, char *spec)
{
	char *ev = strchr(spec, ':'), *rest;

	if (!ev)
		return -1;
	*ev++ = '\0';
	if (opt == 'e')
		return ft_ledger_event_enable(l, "", spec, ev);
	rest = strchr(ev, ':');
	if (!rest)
		return -1;
	*rest++ = '\0';
	return ft_ledger_trigger_add(l, "", spec, ev, rest);
}

int main(int argc, char **argv)
{
	struct ft_ledger *l;
	struct ft_tfs *t;
	int c, ret = 0;

	if (ft_tfs_open(&t))
		return 1;
	if (ft_ledger_open_persistent(&l, t, ft_ledger_state_dir())) {
		ft_tfs_close(t);
		return 1;
	}
	while (!ret && (c = getopt(argc, argv, "t:e:")) != -1) {
		if (c != 't' && c != 'e') {
			ret = -1;
			break;
		}
		ret = add(l, c, optarg);
		if (ret)
			fprintf(stderr, "persist-add: -%c %s failed (%d)\n", c, optarg, ret);
	}
	ft_ledger_close(l);
	ft_tfs_close(t);
	return ret ? 1 : 0;
}
