# With tracefs not mounted: root's ftrig mounts it and says so; anybody else is told how.
# ftrig-test: alone
. "$FTRIG_TESTS/lib.sh"
need_root
[ "$FTRIG_TIER" = vm ] || skip "unmounts tracefs: only inside the test VM"

umount "$T" || fail "cannot unmount tracefs"
[ ! -f "$T/trace" ] || fail "tracefs still mounted"

# debugfs mounted: the legacy debugfs/tracing location is found, and it is root's only.
mount | grep -q ' /sys/kernel/debug ' || mount -t debugfs nodev /sys/kernel/debug
expect_exit 1 "$FTRIG_HELPERS/run-as-nobody" "$FTRIG" info
contains "$out" "/sys/kernel/debug/tracing" "not root, tracefs only under debugfs"
contains "$out" "run ftrig as root" "not root, tracefs only under debugfs"

# Nothing mounted at all.
umount /sys/kernel/debug/tracing 2>/dev/null
umount /sys/kernel/debug || fail "cannot unmount debugfs"
trap 'mount -t debugfs nodev /sys/kernel/debug' EXIT
expect_exit 1 "$FTRIG_HELPERS/run-as-nobody" "$FTRIG" info
contains "$out" "tracefs is not mounted and only root can mount it" "not root, not mounted"
contains "$out" "mount -t tracefs nodev $T" "the fix"
[ ! -f "$T/trace" ] || fail "a non-root run mounted tracefs"

expect_exit 0 "$FTRIG" info
contains "$out" "tracefs was not mounted; mounted it at $T" "root, not mounted"
[ -f "$T/trace" ] || fail "ftrig info did not mount tracefs"
umount "$T"
expect_exit 0 "$FTRIG" info --json
contains "$out" '"mounted_now": true' "info --json after mounting"
exit 0
