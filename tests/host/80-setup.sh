# Setup files: plan, apply (all or nothing, again a no-op), diff, save, teardown, with a
# uprobe on the workload's workload_target, tracepoint triggers, an enabled event, an
# instance with its buffer size and a pinned BPF aggregation. The kernel after teardown (and
# after a refused or failed apply) is byte for byte what it was before.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require uprobe_events,instances >/dev/null 2>&1 || skip "needs uprobe events and instances"
need_bpf
private_state

W=$FTRIG_HELPERS/workload
G=ftsetup$$
I=ftsetup-$$
N=ftsetup$$
D=${TMPDIR:-/tmp}/ftrig-setup.$$
mkdir -p "$D" || fail "cannot create $D"
A=$D/a.ftrig
trap '"$FTRIG" teardown "$A" >/dev/null 2>&1; "$FTRIG" teardown "$D/saved.ftrig" >/dev/null 2>&1; "$FTRIG" teardown "$D/bad.ftrig" >/dev/null 2>&1; "$FTRIG" teardown "$D/dup.ftrig" >/dev/null 2>&1; rm -rf "$D" "$FTRIG_STATE_DIR"' EXIT

# The whole kernel in the VM, where nothing else runs; on the shared host kernel, the lines
# that name this test's objects or the events it touches.
P=
# On the shared host kernel other tests add and remove their own triggers and probes on the
# same events meanwhile: compare only what carries this test's names.
[ "$FTRIG_TIER" = vm ] || P="$G $I"
before=$(kernel_snap $P)

cat >"$A" <<END
# a setup file for the test (line 1)
instance $I
buffer-size 1024   # per CPU
probe add -g $G $W:workload_target \\
	i=\$arg1:s64 a=\$arg2:s64
enable syscalls:sys_enter_getppid
trigger add $G:workload_target 'traceoff if i == 12345'
trigger add syscalls:sys_enter_getppid "stacktrace if common_pid == 1"
hist start syscalls:sys_exit_getppid --key common_pid --backend bpf --name $N
END

# plan: the writes in dependency order, nothing changed.
dry_before=$(dry_snap "$I" "syscalls/sys_enter_getppid syscalls/sys_exit_getppid" $P)
expect_exit 0 "$FTRIG" plan "$A"
contains "$out" "# $A:2: instance $I" "plan"
contains "$out" "mkdir $T/instances/$I" "plan"
contains "$out" "p:$G/workload_target $W:0x" "plan"
contains "$out" "# $A:9: hist start syscalls:sys_exit_getppid" "plan"
same_snap "$before" "plan changed the kernel" $P
same_dry "$dry_before" "plan" "$I" "syscalls/sys_enter_getppid syscalls/sys_exit_getppid" $P

# apply, then apply again: the second changes nothing.
expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "applied $A: 7 lines made, 0 already there" "apply"
[ -d "$T/instances/$I" ] || fail "no instance $I"
grep -q "^1" "$T/instances/$I/events/syscalls/sys_enter_getppid/enable" || fail "not enabled"
grep -q "^p:$G/workload_target " "$T/dynamic_events" || fail "no uprobe"
trigger_has $G/workload_target "traceoff:unlimited if i == 12345" "$I" || fail "no traceoff trigger"
trigger_has syscalls/sys_enter_getppid "stacktrace:unlimited if common_pid == 1" "$I" || fail "no stacktrace trigger"
[ -d /sys/fs/bpf/ftrig/$N ] || fail "no BPF aggregation pinned"
applied=$(kernel_snap $P)
expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "0 lines made, 7 already there" "re-apply"
same_snap "$applied" "re-apply changed the kernel" $P
expect_exit 0 "$FTRIG" diff "$A"
contains "$out" "the kernel matches" "diff after apply"
expect_exit 0 "$FTRIG" plan "$A"
contains "$out" "(already applied: nothing to do)" "plan after apply"

# A trigger removed by hand: diff names its line, apply puts it back.
echo '!stacktrace if common_pid == 1' >>"$T/instances/$I/events/syscalls/sys_enter_getppid/trigger"
expect_exit 1 "$FTRIG" diff "$A"
contains "$out" "missing   $A:8: trigger add --instance $I syscalls:sys_enter_getppid" "diff"
contains "$out" "gone:  trigger 'stacktrace if common_pid == 1'" "diff"
expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "1 line made, 6 already there" "apply after a removal by hand"
same_snap "$applied" "apply did not restore the trigger" $P
expect_exit 0 "$FTRIG" diff "$A"

# save writes what the file made; teardown leaves the kernel as it was; the saved file
# applied on that clean kernel makes the same state again.
expect_exit 0 "$FTRIG" save "$D/saved.ftrig"
contains "$(cat "$D/saved.ftrig")" "trigger add --instance $I syscalls:sys_enter_getppid 'stacktrace if common_pid == 1'" "saved file"
expect_exit 0 "$FTRIG" teardown "$A"
contains "$out" "removed instance $I" "teardown"
contains "$out" "removed BPF aggregation on syscalls:sys_exit_getppid" "teardown"
same_snap "$before" "teardown left something" $P
state_empty
expect_exit 0 "$FTRIG" apply "$D/saved.ftrig"
same_snap "$applied" "the saved file made another state" $P
expect_exit 0 "$FTRIG" teardown "$D/saved.ftrig"
same_snap "$before" "teardown of the saved file left something" $P

# Line 7 refused by validation: nothing is written, the line is named.
sed '7s/.*/trigger add syscalls:sys_enter_getppid "traceoff if no_such_field == 1"/' "$A" >"$D/bad.ftrig"
expect_exit 1 "$FTRIG" apply "$D/bad.ftrig"
contains "$out" "$D/bad.ftrig:7: refused" "apply of a bad line 7"
same_snap "$before" "a refused apply changed the kernel" $P

# Line 8 passes validation, but once line 7 is written it conflicts (the kernel takes one
# stacktrace trigger per event): what lines 2-7 made is removed again, the error names line 8.
sed '7s/.*/trigger add syscalls:sys_enter_getppid "stacktrace:5 if common_pid == 1"/' "$A" >"$D/dup.ftrig"
expect_exit 1 "$FTRIG" apply "$D/dup.ftrig"
contains "$out" "$D/dup.ftrig:8: failed (see above): trigger add --instance $I syscalls:sys_enter_getppid" "apply failing at line 8"
contains "$out" "removed instance $I" "rollback"
same_snap "$before" "a failed apply changed the kernel" $P
state_empty

# A line deleted from the file: diff calls what it made extra, apply removes it; teardown
# of the file deleted since still removes what it made.
expect_exit 0 "$FTRIG" apply "$A"
sed -i 8d "$A"
expect_exit 1 "$FTRIG" diff "$A"
contains "$out" "extra     trigger add --instance $I syscalls:sys_enter_getppid 'stacktrace if common_pid == 1' (no longer in $A)" "diff after a line was deleted"
expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "removed trigger 'stacktrace if common_pid == 1'" "apply after a line was deleted"
trigger_has syscalls/sys_enter_getppid "stacktrace" "$I" && fail "the deleted line's trigger is left"
rm "$A"
expect_exit 0 "$FTRIG" teardown "$A"
contains "$out" "removed instance $I" "teardown of a deleted file"
same_snap "$before" "teardown of a deleted file left something" $P
state_empty
exit 0
