# Kernel probes on the full kernel: a kprobe on do_sys_openat2 fetching the path string while
# the workload opens a known file, a kretprobe's return values, an eprobe on
# sched:sched_switch, and a kprobe on a missing symbol refused with the kernel's error_log text.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,eprobes >/dev/null 2>&1 || skip "needs kprobes and eprobes"
private_state

G=ftk_$$
W=$FTRIG_HELPERS/workload
I=$T/instances/ftrig-kprobetest-$$
F=${TMPDIR:-/tmp}/ftrig-probe-file.$$
C=ftwk$$
cleanup() {
	[ -d "$I" ] && echo 0 >"$I/events/enable" && rmdir "$I"
	"$FTRIG" probe rm --group "$G" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR" "$F"
}
trap cleanup EXIT
: >"$F"

expect_exit 0 "$FTRIG" probe add -g "$G" 'do_sys_openat2 dfd=$arg1:s32 path=+0($arg2):ustring'
contains "$out" "added kprobe $G:do_sys_openat2" "probe add (kprobe)"
expect_exit 0 "$FTRIG" probe add -g "$G" -r 'do_sys_openat2 ret=$retval:s64'
contains "$out" "added kretprobe $G:do_sys_openat2_ret" "probe add -r (kretprobe)"
expect_exit 0 "$FTRIG" probe add -g "$G" -e 'sched:sched_switch prev=$prev_pid:s32 next=$next_pid:s32'
contains "$out" "added eprobe $G:sched_switch" "probe add -e (eprobe)"
expect_exit 0 "$FTRIG" list events "$G:*" --fields
for f in dfd path ret prev next; do contains "$out" "    $f " "fields of $G:*"; done

# The eprobe's fields are checked against the event's format.
expect_exit 1 "$FTRIG" probe add -g "$G" --name typo -e 'sched:sched_switch n=$nxt_pid'
contains "$out" "did you mean next_pid" "eprobe field typo"

mkdir "$I" || fail "cannot create $I"
echo 1 >"$I/events/$G/enable" || fail "cannot enable $G in $I"
"$W" --comm "$C" --open "3:$F" --sleep 2:1000 >"$FTRIG_STATE_DIR/wl" || fail "workload failed"
"$W" --comm "$C" --open "1:$F.missing" >/dev/null 2>&1
echo 0 >"$I/events/$G/enable"
pid=$(sed -n 's/^pid //p' "$FTRIG_STATE_DIR/wl")
grep -v '^#' "$I/trace" >"$FTRIG_STATE_DIR/trace"
n=$(grep " $G\|do_sys_openat2: " "$FTRIG_STATE_DIR/trace" | grep -c "path=\"$F\"")
[ "$n" = 3 ] || fail "kprobe saw $n opens of $F, expected 3: $(grep "$C" "$FTRIG_STATE_DIR/trace" | head)"
grep "path=\"$F.missing\"" "$FTRIG_STATE_DIR/trace" | grep -q "$C" ||
	fail "kprobe missed the open of $F.missing"
# The workload's opens of $F returned file descriptors; the missing file returned -ENOENT.
ok=$(grep "$C-$pid " "$FTRIG_STATE_DIR/trace" | grep -c 'do_sys_openat2_ret: .* ret=[0-9]')
[ "$ok" -ge 3 ] || fail "kretprobe saw $ok successful opens, expected at least 3"
grep "$C" "$FTRIG_STATE_DIR/trace" | grep 'do_sys_openat2_ret: ' | grep -q 'ret=-2$' ||
	fail "kretprobe did not see -ENOENT: $(grep "$C" "$FTRIG_STATE_DIR/trace" | tail -3)"
grep 'sched_switch: ' "$FTRIG_STATE_DIR/trace" | grep -q "prev=$pid " ||
	fail "eprobe never saw the workload ($pid) switch out"

expect_exit 0 "$FTRIG" probe ls
echo "$out" | grep "^$G:do_sys_openat2 " | grep -q " kprobe  *ftrig  *[1-9]" ||
	fail "probe ls shows no hits for the kprobe: $out"

# A missing kernel function: the kernel's own error_log text, and close names.
expect_exit 1 "$FTRIG" probe add -g "$G" 'do_sys_opnat2 dfd=$arg1'
contains "$out" "trace_kprobe: error:" "error_log text in the message"
contains "$out" "do_sys_opnat2" "the user's words in the message"
contains "$out" "did you mean do_sys_openat2" "suggestion for a missing function"
grep -q "$G/do_sys_opnat2" "$T/dynamic_events" && fail "refused kprobe was defined"

# Held only by ftrig's own hist trigger and enable (listed in the kernel's canonical form):
# removed in order, then the probe.
"$FTRIG_HELPERS/persist-add" -t "$G:do_sys_openat2_ret:hist:keys=common_pid.execname" \
	-e "$G:do_sys_openat2_ret" || fail "persist-add failed"
trigger_has "$G/do_sys_openat2_ret" 'hist:keys=common_pid.execname' || fail "no hist trigger"
expect_exit 0 "$FTRIG" probe rm -g "$G" do_sys_openat2_ret
contains "$out" "removed trigger 'hist:keys=common_pid.execname' on $G:do_sys_openat2_ret" \
	"rm of ftrig's hist trigger"
contains "$out" "removed enabled event $G:do_sys_openat2_ret" "rm of ftrig's enable"
contains "$out" "removed kretprobe $G:do_sys_openat2_ret" "rm after its holders"

# rm --group removes the eprobe before the probes it could be attached to.
rmdir "$I"
expect_exit 0 "$FTRIG" probe rm --group "$G"
contains "$out" "removed eprobe $G:sched_switch" "rm --group"
grep -q "$G/" "$T/dynamic_events" && fail "rm --group left: $(grep "$G/" "$T/dynamic_events")"
expect_exit 0 "$FTRIG" cleanup --all --dry-run
contains "$out" "nothing to clean up" "ledger after rm"
exit 0
