# ftrig trace on kernel functions: bcc trace's own example, the file name of every open
# (do_sys_openat2, its second argument a user string) and the failed ones from a return
# probe filtered in the kernel (retval < 0), against a workload with exactly known opens:
# 7 opens of its own binary succeed, 3 openat calls with a bad file name pointer fail with EFAULT (their entries print no name).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events >/dev/null 2>&1 || skip "needs kprobe events"
private_state
W=$FTRIG_HELPERS/workload
comm=tv$$
tool_pid=
trap 'tool_cleanup' EXIT

tool_start trace -n "$comm" 'do_sys_openat2 "%s", arg2@user' \
	'r::do_sys_openat2 (retval < 0) "%d", retval'
pid=$tool_pid
grep -q "^p:ftrig_$pid/do_sys_openat2_0 do_sys_openat2 v0=+0(\$arg2):ustring" \
	"$T/dynamic_events" || fail "kprobe: $(grep "ftrig_$pid" "$T/dynamic_events")"
"$W" --comm "$comm" --open "7:$W" --syscall 257:3 >/dev/null 2>&1
tool_stop
contains "$(cat "$tool_out")" "PID     TID     COMM            FUNC             -" "columns"
n=$(awk -v c="$comm" -v w="$W" '$3 == c && $4 == "do_sys_openat2" && $5 == w' "$tool_out" | wc -l)
[ "$n" = 7 ] || fail "7 opens of $W, got $n: $(cat "$tool_out")"
n=$(awk -v c="$comm" '$3 == c && $4 == "do_sys_openat2" && $5 == "-14"' "$tool_out" | wc -l)
[ "$n" = 3 ] || fail "3 failed opens, got $n: $(cat "$tool_out")"
n=$(awk -v c="$comm" '$3 == c && $4 == "do_sys_openat2"' "$tool_out" | wc -l)
[ "$n" = 13 ] || fail "10 entries and 3 failed returns, got $n lines: $(cat "$tool_out")"
grep -q ":ftrig_$pid/" "$T/dynamic_events" && fail "probes left: $(grep ":ftrig_$pid/" "$T/dynamic_events")"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
