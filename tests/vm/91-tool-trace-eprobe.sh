# ftrig trace of a tracepoint's pointer field with %s ('t:syscalls:sys_enter_openat "%s",
# args->filename'): the tracepoint records the pointer, so trace reads an event probe on it
# that fetches the string (a ustring: a system call's char * points into the caller). Exact
# lines for the opens of two files of the test's own by the workload, a filter on the string
# (glob and equality), and the kernel and the state directory as they were afterwards.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require eprobes >/dev/null 2>&1 || skip "needs event probes (CONFIG_EPROBE_EVENTS)"
private_state
W=$FTRIG_HELPERS/workload
dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-t91.XXXXXX")
a=$dir/alpha b=$dir/beta
fifo=$dir/fifo
tool_pid=
trap 'tool_cleanup "$dir"' EXIT
: >"$a"
: >"$b"
mkfifo "$fifo" || fail "mkfifo"
# msgs: the messages (fields 5..) of the tool's sys_enter_openat lines of the workload's pid
msgs() {
	awk -v p="$wpid" '$1 == p && $2 == p && $3 == "workload" && $4 == "sys_enter_openat" {
		s = $5; for (i = 6; i <= NF; i++) s = s " " $i; print s }' "$tool_out"
}

before=$(dry_snap "" "syscalls/sys_enter_openat")

# The file names, and a number beside them as the tracepoint has it (AT_FDCWD).
waiting --open "3:$a" --open "2:$b"
tool_start trace -p "$wpid" 't:syscalls:sys_enter_openat "%d %s", args->dfd, args->filename'
def="e:ftrig_$tool_pid/sys_enter_openat_0 syscalls.sys_enter_openat dfd=\$dfd:u64 filename=+0(\$filename):ustring"
grep -qxF "$def" "$T/dynamic_events" || fail "eprobe: $(grep ":ftrig_$tool_pid/" "$T/dynamic_events")"
echo go >"$fifo"
wait "$wpid"
tool_stop
contains "$(cat "$tool_out")" "PID     TID     COMM            FUNC             -" "columns"
same_lines "openat of $a and $b" "-100 $a
-100 $a
-100 $a
-100 $b
-100 $b" "$(msgs | grep -F "$dir/")" "$tool_out"
grep -q ":ftrig_$tool_pid/" "$T/dynamic_events" && fail "eprobe left: $(cat "$T/dynamic_events")"

# The filter on the string, in the kernel: only beta's opens (with -n's filter on the task's
# name beside it), then only alpha's.
waiting --open "3:$a" --open "2:$b"
tool_start trace -p "$wpid" -n orklo 't:syscalls:sys_enter_openat (args->filename ~ "*/beta") "%s", args->filename'
echo go >"$fifo"
wait "$wpid"
tool_stop
same_lines "filename ~ */beta" "$b
$b" "$(msgs)" "$tool_out"
waiting --open "3:$a" --open "2:$b"
tool_start trace -p "$wpid" "t:syscalls:sys_enter_openat (filename == \"$a\") \"<%s>\", filename"
echo go >"$fifo"
wait "$wpid"
tool_stop
same_lines "filename == $a" "<$a>
<$a>
<$a>" "$(msgs)" "$tool_out"

same_dry "$before" "trace with an eprobe" "" "syscalls/sys_enter_openat"
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
