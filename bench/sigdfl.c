// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs a command with SIGINT and SIGTERM back at their defaults. A non-interactive shell
 * starts background commands with SIGINT ignored and cannot undo that itself; bench/pipe.sh
 * needs to stop peers such as trace-cmd stream with SIGINT, so that they flush and exit.
 *
 * usage: sigdfl COMMAND [ARG...]
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sigdfl COMMAND [ARG...]\n");
		return 2;
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
