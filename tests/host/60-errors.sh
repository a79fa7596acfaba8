# Not root, no tracefs, read-only tracefs: one clear message, exit 1, nothing left behind.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

# Not root: tracefs is readable by root only.
expect_exit 1 "$FTRIG_HELPERS/run-as-nobody" "$FTRIG" info
contains "$out" "run ftrig as root" "info as nobody"
[ "$(echo "$out" | wc -l)" -le 2 ] || fail "more than one message for one cause: $out"
# A BPF aggregation without permission: the same one message, nothing loaded.
expect_exit 1 "$FTRIG_HELPERS/run-as-nobody" "$FTRIG" hist start syscalls:sys_enter_getppid \
	--key comm --backend bpf
contains "$out" "run ftrig as root" "hist start --backend bpf as nobody"
[ "$(echo "$out" | wc -l)" -le 2 ] || fail "more than one message for one cause: $out"

# No tracefs where it is said to be.
FTRIG_TRACEFS=/nonexistent/tracing expect_exit 1 "$FTRIG" info
contains "$out" "no such directory" "missing tracefs"

# Read-only tracefs: a read-only bind mount of the real one (remounting tracefs itself
# read-only would change it for every user, since all its mounts share one superblock).
ro=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-ro.XXXXXX")
mount -o bind "$T" "$ro" || skip "cannot bind-mount tracefs"
trap 'umount "$ro"; rmdir "$ro"; rm -rf "$FTRIG_STATE_DIR"' EXIT
mount -o remount,bind,ro "$ro" || fail "cannot make the bind mount read-only"
FTRIG_TRACEFS=$ro expect_exit 0 "$FTRIG" info
contains "$out" "(read-only)" "info on read-only tracefs"
before=$(ls "$T/instances")
FTRIG_TRACEFS=$ro expect_exit 1 "$FTRIG_HELPERS/session-hold" -i
contains "$out" "read-only" "writing to read-only tracefs"
contains "$out" "remount" "the fix for read-only tracefs"
[ "$(ls "$T/instances")" = "$before" ] || fail "instances changed on a read-only tracefs"
state_empty
exit 0
