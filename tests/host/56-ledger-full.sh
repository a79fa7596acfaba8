# SEC-2, CMD-12 (#15): a full or read-only state directory (a small tmpfs in a private mount
# namespace). A journal append that does not fit leaves no torn record (the journal is as it
# was, ending in a newline), nothing is written to the kernel, and the message blames the
# journal, not tracefs or the kernel. Once there is room again, what is added is owned and
# removed as usual. The trigger goes on an event of the test's own (private_event): the kernel
# takes one stacktrace trigger per event, and another run's on a shared event would refuse it.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
command -v unshare >/dev/null 2>&1 || skip "needs unshare (a private mount namespace)"
unshare -m true 2>/dev/null || skip "cannot make a mount namespace here"
private_state
S=$FTRIG_STATE_DIR
inner=${TMPDIR:-/tmp}/ftrig-full.$$.sh
SETUP=${TMPDIR:-/tmp}/ftrig-full.$$.ftrig
SPEC="stacktrace:1 if common_pid == -$$"
EV=fpev$$:ftfull
TF=$T/events/fpev$$/ftfull/trigger
cleanup() {
	grep -q -- "-$$" "$TF" 2>/dev/null && echo "!$SPEC" >>"$TF"
	private_event_rm
	rm -rf "$S" "$inner" "$SETUP"
}
trap cleanup EXIT
private_event ftfull

cat >"$inner" <<'INNER'
. "$FTRIG_TESTS/lib.sh"
mount -t tmpfs -o size=16k,mode=0700 ftrig-full "$S" || skip "cannot mount a tmpfs"
BOOT=$(cat /proc/sys/kernel/random/boot_id)
# persistent.journal filled to just short of its page, the rest of the tmpfs filled too: the
# next record needs a page there is not.
J=$S/persistent.journal
printf 'ftrig-journal 1\t0\t0\t%s\n' "$BOOT" >"$J"
chmod 600 "$J"
n=$(( (4096 - $(stat -c %s "$J")) / 4 ))
i=0
while [ $i -lt $n ]; do printf -- '-\t1\n'; i=$((i + 1)); done >>"$J"
dd if=/dev/zero of="$S/fill" bs=4096 count=16 2>/dev/null
before=$(md5sum <"$J")
size=$(stat -c %s "$J")

expect_exit 1 "$FTRIG" trigger add $EV "$SPEC"
contains "$out" "ledger journal $J" "trigger add, state dir full"
contains "$out" "No space left on device" "trigger add, state dir full"
case $out in *"kernel refused"* | *"read-only"*) fail "the journal's fault blamed elsewhere: $out" ;; esac
[ "$(md5sum <"$J")" = "$before" ] || fail "a failed append changed the journal (torn record?)"
grep -q -- "$MARK" "$TF" && fail "trigger add wrote to the kernel without a journal record"

expect_exit 1 "$FTRIG" pipe $EV --count 1 --duration 1s
contains "$out" "$S" "pipe, state dir full"
case $out in *"read-only"* | *"kernel refused"*) fail "pipe blamed tracefs: $out" ;; esac
[ "$(ls "$S" | grep -v -e fill -e persistent.journal)" = "" ] ||
	fail "pipe left files in the state dir: $(ls "$S")"

# apply: the line's journal cannot be made; said once (not again by the roll-back, which has
# nothing to undo), and nothing made in the kernel or the state dir.
printf 'instance ftfull%s\ntrigger add %s %s\n' "$$" "$EV" "'$SPEC'" >"$SETUP"
expect_exit 1 "$FTRIG" apply "$SETUP"
[ "$(printf '%s\n' "$out" | grep -c "cannot create the ledger journal")" = 1 ] ||
	fail "apply in a full state dir: the journal's error not said exactly once: $out"
[ -d "$T/instances/ftfull$$" ] && fail "apply made its instance without a journal"
[ "$(ls "$S" | grep -v -e fill -e persistent.journal)" = "" ] ||
	fail "apply left files in the state dir: $(ls "$S")"

# Read-only: the same, blamed on the state dir.
rm -f "$S/fill"
mount -o remount,ro "$S" || skip "cannot remount the tmpfs read-only"
expect_exit 1 "$FTRIG" pipe $EV --count 1 --duration 1s
contains "$out" "$S" "pipe, state dir read-only"
case $out in *"tracefs is mounted read-only"*) fail "pipe blamed tracefs: $out" ;; esac
expect_exit 1 "$FTRIG" trigger add $EV "$SPEC"
case $out in *"tracefs is mounted read-only"* | *"kernel refused"*)
	fail "trigger add blamed tracefs or the kernel: $out" ;; esac
grep -q -- "$MARK" "$TF" && fail "trigger add wrote to the kernel without a journal record"
mount -o remount,rw "$S"

# Room again: added, owned, removed; the journal reads back.
expect_exit 0 "$FTRIG" trigger add $EV "$SPEC"
expect_exit 0 "$FTRIG" trigger ls $EV
printf '%s\n' "$out" | grep -- "$MARK" | grep -q "^ftrig " || fail "the trigger is not ftrig's: $out"
expect_exit 0 "$FTRIG" trigger rm --ours
grep -q -- "$MARK" "$TF" && fail "trigger rm --ours left the trigger"
[ -z "$(tail -c 1 "$J")" ] || fail "the journal does not end in a newline"
umount "$S"
exit 0
INNER
S=$S EV=$EV SPEC=$SPEC TF=$TF MARK=-$$ SETUP=$SETUP unshare -m --propagation private sh "$inner"
