// SPDX-License-Identifier: GPL-2.0-only
/* ftrig: the only place that exits. Everything else returns. */
#include <stdio.h>

#include "commands.h"

int main(int argc, char **argv)
{
	int status;

	status = ft_main(argc, argv);
	if (fflush(stdout) && status == 0)
		status = 1;
	return status;
}
