// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test helper: an ftrig session that creates objects through the real session and ledger
 * code, says "ready", and holds them until a signal. Host and VM tests kill it in various
 * ways to prove the undo paths (signals) and `ftrig cleanup --stale` (SIGKILL).
 *
 * usage: session-hold [-i] [-k DEF]... [-t [own@]SYS:EVENT:TRIGGER]... [-e [own@]SYS:EVENT]...
 *   -i   create the session's private instance
 *   -k   define a dynamic event, "p:GROUP/NAME ..." as dynamic_events takes it
 *   -t   add a trigger; "own@" puts it in the private instance, "INSTANCE@" in that
 *        instance, else the top level
 *   -e   enable an event; "own@" as for -t
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "session.h"
#include "tfs.h"

/* Split "[own@]SYS:EVENT[:REST]" in place. */
static const char *target(struct ft_session *s, char *spec, char **sys, char **ev, char **rest)
{
	const char *inst = NULL;
	char *at = strchr(spec, '@');

	if (!strncmp(spec, "own@", 4)) {
		inst = ft_session_instance(s);
		spec += 4;
	} else if (at && at < strchr(spec, ':')) {
		*at = '\0'; /* a named instance that exists already */
		inst = spec;
		spec = at + 1;
	}
	*sys = spec;
	*ev = strchr(spec, ':');
	if (!*ev)
		return NULL;
	*(*ev)++ = '\0';
	*rest = strchr(*ev, ':');
	if (*rest)
		*(*rest)++ = '\0';
	return inst ? inst : "";
}

/* "X:GROUP/NAME rest" -> define it through the ledger. */
static int dynevent(struct ft_session *s, char *def)
{
	char group[64], name[64];

	if (sscanf(def, "%*c:%63[^/]/%63[^ ]", group, name) != 2)
		return -EINVAL;
	return ft_ledger_dynevent_add(s->ledger, "dynamic_events", group, name, def);
}

int main(int argc, char **argv)
{
	struct ft_session *s;
	char *sys, *ev, *rest;
	const char *inst;
	int c, ret = 0;

	if (ft_session_begin(&s))
		return 1;
	while (!ret && (c = getopt(argc, argv, "ik:t:e:")) != -1) {
		switch (c) {
		case 'i':
			ret = ft_session_instance(s) ? 0 : -errno;
			break;
		case 'k':
			ret = dynevent(s, optarg);
			break;
		case 't':
			inst = target(s, optarg, &sys, &ev, &rest);
			ret = inst && rest ? ft_ledger_trigger_add(s->ledger, inst, sys, ev, rest)
					   : -EINVAL;
			break;
		case 'e':
			inst = target(s, optarg, &sys, &ev, &rest);
			ret = inst ? ft_ledger_event_enable(s->ledger, inst, sys, ev) : -EINVAL;
			break;
		default:
			ret = -EINVAL;
		}
	}
	if (ret) {
		fprintf(stderr, "session-hold: %s\n", strerror(-ret));
	} else {
		printf("ready %s\n", s->instance);
		fflush(stdout);
		while (!ft_stop_signal)
			pause();
	}
	return ft_session_end(s) || ret ? 1 : 0;
}
