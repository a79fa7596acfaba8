// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ledger's table of undo operations for objects outside tracefs (see ledger.h). It sits
 * above both the ledger and the backends: the ledger reads the table, each backend provides
 * its entry's function, and neither includes the other. A const table needs no start-up call
 * and no mutable global; the unit tests, which link the same library, get the same table.
 */
#include "bpf/ftbpf.h"
#include "ledger.h"
#include "util.h"

const struct ft_undo_op ft_undo_ops[] = {
	{ FT_OBJ_BPF, ft_bpf_undo_pin },
	{ FT_OBJ_MOUNT, ft_bpffs_undo_mount },
};

const size_t ft_undo_nops = FT_ARRAY_SIZE(ft_undo_ops);
