// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test helper: run a command as uid/gid 65534 (nobody), to check what ftrig says to a user
 * who is not root. A C helper rather than su or setpriv, since the VM's busybox has no
 * passwd database and its setpriv lacks --reuid.
 */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: run-as-nobody COMMAND [ARGS]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("run-as-nobody");
		return 2;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
