# Setup files against the kernel as it is now (SET-3, SET-4, #15): save writes only what the
# kernel still has (a counted trigger that fired is still there; a trigger, probe or line
# removed by hand is not); diff names the current value of a setting changed by hand; bad
# lines are refused with one FILE:LINE message and its fix, by plan as by apply, before any
# write: a usage error of a command line, dump-dir on /proc, instance '..'.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require uprobe_events,instances >/dev/null 2>&1 || skip "needs uprobe events and instances"
private_state

W=$FTRIG_HELPERS/workload
G=ftsst$$
I=ftsst-$$
IT=$T/instances/$I
H=ftsst-hand-$$
D=${TMPDIR:-/tmp}/ftrig-sst.$$
mkdir -p "$D" || fail "cannot create $D"
A=$D/a.ftrig
E=syscalls/sys_enter_getppid
trap '"$FTRIG" teardown "$A" >/dev/null 2>&1; "$FTRIG" trigger rm --ours >/dev/null 2>&1; "$FTRIG" probe rm --group $G >/dev/null 2>&1; rmdir "$T/instances/$H" 2>/dev/null; rm -rf "$D" "$FTRIG_STATE_DIR"' EXIT
P="$G $I $H"
before=$(kernel_snap $P)

# The audit's file: a counted trigger in the file's instance. The workload's comm names only
# its own calls, whatever else runs.
cat >"$A" <<END
instance $I
buffer-size 1024
trigger add syscalls:sys_enter_getppid 'traceoff:1 if comm == "sst$$"'
enable syscalls:sys_enter_getppid
END
expect_exit 0 "$FTRIG" apply "$A"
"$W" --comm "sst$$" --getppid 3 >/dev/null || fail "workload failed"
trigger_has $E "traceoff:count=0" "$I" || fail "the counted trigger did not fire: $(cat "$IT/events/$E/trigger")"
# It fired: still the file's trigger, still there.
expect_exit 0 "$FTRIG" diff "$A"
expect_exit 0 "$FTRIG" save -
contains "$out" "trigger add --instance $I syscalls:sys_enter_getppid 'traceoff:1 if comm == \"sst$$\"'" "save of a fired counted trigger"

# Persistent objects outside the file: a probe and a trigger in an instance made by hand.
mkdir "$T/instances/$H" || fail "cannot make instance $H"
expect_exit 0 "$FTRIG" probe add -g $G --name p1 "$W:workload_target" 'i=$arg1'
expect_exit 0 "$FTRIG" trigger add --instance $H sched:sched_process_fork 'stacktrace:1 if parent_pid == 1'
expect_exit 0 "$FTRIG" save -
contains "$out" "probe add --raw 'p:$G/p1 " "save of a probe"
contains "$out" "trigger add --instance $H sched:sched_process_fork 'stacktrace:1 if parent_pid == 1'" "save of a trigger"

# Removed by hand, all of them: save writes none (SET-3).
echo '!traceoff' >>"$IT/events/$E/trigger"
echo '!stacktrace' >>"$T/instances/$H/events/sched/sched_process_fork/trigger"
echo 0 >"$IT/events/$E/enable"
echo "-:$G/p1" >>"$T/dynamic_events" || fail "cannot remove probe $G/p1 by hand"
expect_exit 1 "$FTRIG" diff "$A"
contains "$out" "gone:  trigger 'traceoff:1 if comm == \"sst$$\"'" "diff"
expect_exit 0 "$FTRIG" save -
saved=$out
case $saved in *traceoff* | *stacktrace* | *"$G/p1"* | *"enable "*)
	fail "save wrote objects the kernel no longer has: $saved" ;;
esac
contains "$saved" "instance $I" "save of the instance that is still there"
rmdir "$T/instances/$H" || fail "cannot remove instance $H"

# A buffer size changed by hand: diff shows what it is now (SET-4).
expect_exit 0 "$FTRIG" apply "$A"
echo 2048 >"$IT/buffer_size_kb"
expect_exit 1 "$FTRIG" diff "$A"
contains "$out" "missing   $A:2: buffer-size 1024 (is 20" "diff of a hand-changed buffer size"
expect_exit 0 "$FTRIG" teardown "$A"
same_snap "$before" "teardown left something" $P

# Bad lines: one message with FILE:LINE and the fix, exit 1, nothing written (SET-4).
bad() { # NAME LINE MESSAGE: plan and apply of $D/NAME.ftrig are refused so
	before_bad=$(dry_snap "$I" "$E" $P)
	for c in plan apply; do
		expect_exit 1 "$FTRIG" $c "$D/$1.ftrig"
		first=$(printf '%s\n' "$out" | grep -v '^#\|^mkdir ' | head -n 1)
		case $first in
		"ftrig: error: $D/$1.ftrig:$2: $3"*) ;;
		*) fail "$c $1: the first message lacks '$D/$1.ftrig:$2: $3': $out" ;;
		esac
		case $out in *usage:* | *"lines made"*) fail "$c $1: $out" ;; esac
		same_dry "$before_bad" "$c of $1" "$I" "$E" $P
	done
}
printf 'instance %s\nhist start syscalls:sys_exit_getppid --key common_pid --size 100\n' "$I" >"$D/size.ftrig"
bad size 2 "--size 100 is out of range"
printf 'instance %s\ndump-dir /proc/ftrig-sst%s\n' "$I" "$$" >"$D/dump.ftrig"
bad dump 2 "dump-dir /proc/ftrig-sst$$ cannot be made: /proc is on proc"
[ -e "/proc/ftrig-sst$$" ] && fail "dump-dir made /proc/ftrig-sst$$"
printf 'dump-dir %s/file/dumps\n' "$D" >"$D/dfile.ftrig"
: >"$D/file"
bad dfile 1 "dump-dir $D/file/dumps cannot be made: $D/file is not a directory"
printf 'instance ..\nenable syscalls:sys_enter_getppid\n' >"$D/dot.ftrig"
bad dot 1 "'..' is not an instance name"
same_snap "$before" "the refused files changed the kernel" $P
echo ok
