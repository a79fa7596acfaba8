# BPF leftovers (#15): a `hist rm` killed while it unpins, and a `hist start` killed while it
# pins, leave a half-pinned aggregation; `hist start` of the same name says how to get out and
# `hist rm` removes it (SEC-8). After the last aggregation, /sys/fs/bpf/ftrig goes, and the
# bpffs that ftrig mounted itself is unmounted, also by cleanup --all (SEC-12; in a private
# mount namespace, where bpffs is not mounted).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
command -v strace >/dev/null 2>&1 || skip "needs strace (fault injection)"
need_bpf
private_state
N=relhalf$$
EV=syscalls:sys_enter_getppid
cleanup() {
	"$FTRIG" hist rm $EV --name "$N" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
start() { "$FTRIG" hist start $EV --key common_pid --backend bpf --name "$N"; }

# Killed at the 3rd unlink of hist rm: some pins are gone, the rest stay.
expect_exit 0 start
strace -f -o /dev/null -e trace=unlink,unlinkat -e inject=unlink,unlinkat:signal=KILL:when=3 \
	"$FTRIG" hist rm $EV --name "$N" >/dev/null 2>&1
[ -d "/sys/fs/bpf/ftrig/$N" ] || fail "the kill did not leave a half-unpinned aggregation"
expect_exit 1 start
contains "$out" "left half pinned" "hist start over a half-pinned aggregation"
contains "$out" "ftrig hist rm $EV --name $N" "hist start over a half-pinned aggregation"
expect_exit 0 "$FTRIG" hist rm $EV --name "$N"
contains "$out" "removed the half-pinned BPF aggregation '$N'" "hist rm"
[ ! -e "/sys/fs/bpf/ftrig/$N" ] || fail "hist rm left /sys/fs/bpf/ftrig/$N"

# Killed at every BPF_OBJ_PIN-ish point of hist start: hist rm always gets out.
half=0
for n in 30 34 38 42 46; do
	strace -f -o /dev/null -e trace=bpf -e inject=bpf:signal=KILL:when=$n \
		"$FTRIG" hist start $EV --key common_pid --backend bpf --name "$N" >/dev/null 2>&1
	[ -d "/sys/fs/bpf/ftrig/$N" ] || continue
	half=$((half + 1))
	"$FTRIG" hist rm $EV --name "$N" >/dev/null 2>&1
	[ ! -e "/sys/fs/bpf/ftrig/$N" ] || fail "hist rm cannot remove what hist start killed at bpf #$n left"
	expect_exit 0 start
	expect_exit 0 "$FTRIG" hist rm $EV --name "$N"
done
[ $half -gt 0 ] || fail "no kill of hist start left a half-pinned aggregation"

# SEC-12: ftrig mounts bpffs when none is mounted, and unmounts it after the last aggregation,
# by hist rm and by cleanup --all; with a pin of somebody else there, it stays mounted.
command -v unshare >/dev/null 2>&1 || skip "needs unshare for a private bpffs"
out=$(unshare -m --propagation private sh -c '
	umount /sys/fs/bpf 2>/dev/null
	grep -q " /sys/fs/bpf bpf " /proc/self/mounts && { echo "cannot unmount bpffs"; exit 1; }
	"$0" hist start '$EV' --key common_pid --backend bpf --name a'$$' || exit 1
	"$0" hist start '$EV' --key common_pid --backend bpf --name b'$$' || exit 1
	"$0" hist rm '$EV' --name a'$$' || exit 1
	grep -q " /sys/fs/bpf bpf " /proc/self/mounts || { echo "unmounted too early"; exit 1; }
	"$0" hist rm '$EV' --name b'$$' || exit 1
	grep " /sys/fs/bpf bpf " /proc/self/mounts && { echo "left bpffs mounted"; exit 1; }
	"$0" hist start '$EV' --key common_pid --backend bpf --name a'$$' || exit 1
	"$0" cleanup --all || exit 1
	grep " /sys/fs/bpf bpf " /proc/self/mounts && { echo "cleanup --all left bpffs"; exit 1; }
	"$0" hist start '$EV' --key common_pid --backend bpf --name a'$$' || exit 1
	mkdir /sys/fs/bpf/theirs
	"$0" hist rm '$EV' --name a'$$' || exit 1
	[ -d /sys/fs/bpf/theirs ] || { echo "somebody else'"'"'s bpffs dir went"; exit 1; }
	[ ! -e /sys/fs/bpf/ftrig ] || { echo "left /sys/fs/bpf/ftrig"; exit 1; }
	echo ok
' "$FTRIG" 2>&1) || fail "SEC-12: $out"
contains "$out" "unmounted bpffs from /sys/fs/bpf" "SEC-12"
contains "$out" "left bpffs mounted on /sys/fs/bpf" "SEC-12 with a foreign dir"
[ "$(grep -c '^+.*mount' "$FTRIG_STATE_DIR/persistent.journal")" -ge 1 ] ||
	fail "the mount was not journaled"
# A hist start killed at its mount, after journaling it and before its first pin: no hist rm
# can name what it left, so cleanup --stale takes the orphaned mount record, and the mount
# (made here by hand, as if the kill had come right after the mount).
out=$(unshare -m --propagation private sh -c '
	umount /sys/fs/bpf 2>/dev/null
	strace -f -o /dev/null -e trace=mount -e inject=mount:signal=KILL:when=1 \
		"$0" hist start '$EV' --key common_pid --backend bpf --name o'$$' >/dev/null 2>&1
	grep -q "mount.*bpffs" "$FTRIG_STATE_DIR/persistent.journal" ||
		{ echo "the kill did not leave the mount record"; exit 1; }
	mount -t bpf bpf /sys/fs/bpf || exit 1
	"$0" cleanup --stale --dry-run | grep -q "would remove bpffs mount on /sys/fs/bpf" ||
		{ echo "cleanup --stale --dry-run does not name the orphaned mount"; exit 1; }
	grep -q " /sys/fs/bpf bpf " /proc/self/mounts || { echo "the dry run unmounted"; exit 1; }
	"$0" cleanup --stale || exit 1
	grep " /sys/fs/bpf bpf " /proc/self/mounts && { echo "cleanup --stale left bpffs"; exit 1; }
	echo ok
' "$FTRIG" 2>&1) || fail "orphaned mount: $out"
contains "$out" "removed bpffs mount on /sys/fs/bpf" "cleanup --stale of an orphaned mount"
live=$(journal_live "$FTRIG_STATE_DIR/persistent.journal")
[ -z "$live" ] || fail "cleanup --stale left the orphaned mount record: $live"
# A host bpffs that ftrig did not mount is never unmounted, and its ftrig dir goes when empty.
expect_exit 0 start
expect_exit 0 "$FTRIG" hist rm $EV --name "$N"
grep -q " /sys/fs/bpf bpf " /proc/mounts || fail "hist rm unmounted the host's bpffs"
exit 0
