// SPDX-License-Identifier: GPL-2.0-only
/*
 * A session: tracefs opened, a ledger for what the run creates, signals that stop the run
 * instead of killing it, and the undo of everything at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "log.h"
#include "session.h"
#include "tfs.h"

/**
 * ft_session_begin() - open tracefs and a ledger, and catch the stop signals
 * @out: set to the session; end it with ft_session_end()
 *
 * Return: 0 or -errno; the cause has been logged.
 */
int ft_session_begin(struct ft_session **out)
{
	struct ft_session *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = ft_tfs_open(&s->tfs);
	if (!ret)
		ret = ft_ledger_open(&s->ledger, s->tfs, ft_ledger_state_dir());
	if (ret) {
		ft_tfs_close(s->tfs);
		free(s);
		return ret;
	}
	ft_signals_install();
	*out = s;
	return 0;
}

/**
 * ft_session_instance() - the session's private instance, created on first use
 * @s: the session
 *
 * Events ftrig enables for itself go here, never into the top-level buffer that other tools
 * read.
 *
 * Return: the instance name, or NULL with errno set (the cause has been logged).
 */
const char *ft_session_instance(struct ft_session *s)
{
	char name[32], why[256];
	int ret;

	if (s->instance[0])
		return s->instance;
	snprintf(name, sizeof(name), "ftrig-%d", (int)getpid());
	ret = ft_ledger_instance_create(s->ledger, name);
	if (ret) {
		ft_err("cannot create instance %s", ft_tfs_strerror(ret, name, why, sizeof(why)));
		errno = -ret;
		return NULL;
	}
	snprintf(s->instance, sizeof(s->instance), "%s", name);
	return s->instance;
}

/**
 * ft_session_end() - undo everything the session created and free it; NULL is allowed
 * @s: the session
 *
 * Return: 0, or -EBUSY if something could not be removed (it was reported, and stays in the
 * journal for cleanup --stale).
 */
int ft_session_end(struct ft_session *s)
{
	int ret;

	if (!s)
		return 0;
	ret = ft_ledger_undo_all(s->ledger, NULL);
	ft_ledger_close(s->ledger);
	ft_tfs_close(s->tfs);
	free(s);
	return ret;
}
