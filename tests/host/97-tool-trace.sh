# ftrig trace: a line per event in bcc trace's columns, with the values the probes fetched,
# exact against bpftrace on the same run: 50 calls of workload_target(i, 3 * i) through a
# uprobe (its two arguments) and a uretprobe filtered in the kernel (retval >= 100: the 35
# calls from i = 15 on, 7 * i + 1); the openat tracepoint's fields, and its file name (%s of a
# pointer) where the kernel has event probes; -M, -n, -T, -j; and the refusals, %s of a pointer
# without event probes among them, which leave the kernel and the state directory as they were.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
W=$FTRIG_HELPERS/workload
fifo=${TMPDIR:-/tmp}/ftrig-t97-fifo.$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t97-bpftrace.$$
tool_pid= bpt_pid=
trap 'tool_cleanup "$fifo"' EXIT
mkfifo "$fifo" || fail "mkfifo"

# oracle: bpftrace where it runs (the host tier), else nothing
oracle() { command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; }
# lines FUNC NF: the messages (fields 5..) of the tool's lines of FUNC with NF fields
lines() {
	awk -v f="$1" -v n="$2" '$4 == f && NF == n { s = $5; for (i = 6; i <= NF; i++) s = s " " $i; print s }' \
		"$tool_out"
}

# Refusals: usage errors exit 2, what the kernel lacks 1; nothing is left either way.
before=$(dry_snap "" "syscalls/sys_enter_openat" "$W")
expect_exit 2 "$FTRIG" trace
contains "$out" "trace takes one or more probes" "no probe"
expect_exit 2 "$FTRIG" trace 'r::do_sys_openat2 (retval + 1 > 0)'
contains "$out" "it does no arithmetic" "arithmetic in a filter"
expect_exit 2 "$FTRIG" trace 'p::do_sys_openat2 (retval < 0)'
contains "$out" "'retval' in the filter of an entry probe" "retval of an entry"
expect_exit 2 "$FTRIG" trace 'do_sys_openat2 "%d %d", arg1'
contains "$out" "the format has 2 conversions but 1 argument" "conversions"
expect_exit 2 "$FTRIG" trace 'c:malloc "%d", arg1'
contains "$out" "'c' is not a path" "a library by name"
expect_exit 2 "$FTRIG" trace "$W:workload_target \"%K\", arg1"
contains "$out" "%K: symbols are not resolved" "%K"
expect_exit 2 "$FTRIG" trace -n 'a*' "$W:workload_target"
contains "$out" "-n takes a part of a task name" "-n glob"
expect_exit 1 "$FTRIG" trace 't:syscalls:sys_enter_openat "%d", args->filenam'
contains "$out" "no field 'filenam' in syscalls:sys_enter_openat; did you mean filename?" "field"
# %s of a pointer field: read by an event probe where the kernel takes them (the eprobe
# part below, and tests/vm/91), else refused, saying what is missing
eprobes=no
"$FTRIG" info --require eprobes >/dev/null 2>&1 && eprobes=yes
grep -q 'const char \* filename' "$T/events/syscalls/sys_enter_openat/format" ||
	fail "sys_enter_openat's filename is no longer a const char *: $(cat "$T/events/syscalls/sys_enter_openat/format")"
if [ $eprobes = no ]; then
	expect_exit 1 "$FTRIG" trace 't:syscalls:sys_enter_openat "%s", args->filename'
	contains "$out" "%s of filename: the field is a pointer (const char *); the string it points to can be read only by an event probe on the tracepoint, and this kernel has no event probes (they need Linux 5.15 or later built with CONFIG_EPROBE_EVENTS; 'ftrig info' shows eprobes no)" "%s of a pointer"
fi
if ! "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	expect_exit 1 "$FTRIG" trace 'do_sys_openat2 "%s", arg2@user'
	contains "$out" "this kernel has no kprobe events" "a kernel function without kprobes"
fi
# the uprobe is made before the tracepoint is found missing: the session removes it
expect_exit 1 "$FTRIG" trace "$W:workload_target" 't:syscalls:sys_enter_nosuch'
contains "$out" "no tracepoint syscalls:sys_enter_nosuch" "missing tracepoint"
same_dry "$before" "refusals" "" "syscalls/sys_enter_openat" "$W"

# Uprobes: arguments, and a return value filtered in the kernel.
waiting --call 50
tool_start trace -p "$wpid" "$W:workload_target \"%d %d\", arg1, arg2" \
	"r:$W:workload_target (retval >= 100) \"%lld\", retval"
if oracle; then
	oracle_start "uprobe:$W:workload_target /pid == $wpid/ { printf(\"E %d %d\\n\", arg0, arg1); }
		uretprobe:$W:workload_target /pid == $wpid && (int64)retval >= 100/ {
			printf(\"R %d\\n\", retval); }
		BEGIN { printf(\"ready\\n\"); }"
fi
echo go >"$fifo"
wait "$wpid"
tool_stop
contains "$(cat "$tool_out")" "PID     TID     COMM            FUNC             -" "columns"
want=$(i=0; while [ $i -lt 50 ]; do echo "$i $((3 * i))"; i=$((i + 1)); done)
[ "$(lines workload_target 6)" = "$want" ] || fail "entries: $(cat "$tool_out")"
want=$(i=15; while [ $i -lt 50 ]; do echo "$((7 * i + 1))"; i=$((i + 1)); done)
[ "$(lines workload_target 5)" = "$want" ] || fail "returns >= 100: $(cat "$tool_out")"
n=$(awk -v p="$wpid" '$1 == p && $2 == p && $3 == "workload"' "$tool_out" | wc -l)
[ "$n" = 85 ] || fail "PID TID COMM of 85 lines, got $n: $(cat "$tool_out")"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	[ "$(sed -n 's/^E //p' "$bpt_out")" = "$(lines workload_target 6)" ] ||
		fail "bpftrace's entries differ: $(cat "$bpt_out")"
	[ "$(sed -n 's/^R //p' "$bpt_out")" = "$(lines workload_target 5)" ] ||
		fail "bpftrace's returns differ: $(cat "$bpt_out")"
fi
grep -q ":ftrig_$tool_pid/" "$T/uprobe_events" && fail "uprobes left behind"

# Tracepoint fields, as bpftrace reads them.
waiting --open "5:$W"
tool_start trace -p "$wpid" 't:syscalls:sys_enter_openat "%d %x", args->dfd, flags'
if oracle; then
	oracle_start "tracepoint:syscalls:sys_enter_openat /pid == $wpid/ {
			printf(\"%d %x\\n\", args->dfd, args->flags); }
		BEGIN { printf(\"ready\\n\"); }"
fi
echo go >"$fifo"
wait "$wpid"
tool_stop
n=$(lines sys_enter_openat 6 | wc -l)
[ "$n" -ge 5 ] || fail "5 opens at least, got $n: $(cat "$tool_out")"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	[ "$(grep -E '^-?[0-9]+ [0-9a-f]+$' "$bpt_out")" = "$(lines sys_enter_openat 6)" ] ||
		fail "bpftrace's openat differ: $(cat "$bpt_out") vs $(cat "$tool_out")"
fi

# %s of the pointer, where the kernel has event probes: the file names, each open once.
if [ $eprobes = yes ]; then
	waiting --open "2:$W"
	tool_start trace -p "$wpid" 't:syscalls:sys_enter_openat "%s", args->filename'
	echo go >"$fifo"
	wait "$wpid"
	tool_stop
	[ "$(lines sys_enter_openat 5 | grep -cxF "$W")" = 2 ] ||
		fail "2 opens of $W: $(cat "$tool_out")"
fi

# -M: stops by itself after so many events; -n: a part of the name; -T: the time column.
waiting --call 10
tool_start trace -T -M 3 -n orklo "$W:workload_target \"%d\", arg1"
echo go >"$fifo"
wait "$wpid"
i=0
while kill -0 "$tool_pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 1200 ] || fail "-M 3: still running: $(cat "$tool_out")"
	sleep 0.1
done
wait "$tool_pid" || fail "-M 3 exited $?: $(cat "$tool_out")"
tool_pid=
contains "$(cat "$tool_out")" "TIME     PID     TID     COMM            FUNC             -" "-T columns"
n=$(grep -Ec "^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] +$wpid +$wpid +workload +workload_target +[0-9]+\$" "$tool_out")
[ "$n" = 3 ] || fail "-M 3: $n lines: $(cat "$tool_out")"

# -j: one object per event, the values typed.
waiting --call 3
tool_start trace -j -p "$wpid" "$W:workload_target \"%d %x\", arg1, arg2"
echo go >"$fifo"
wait "$wpid"
tool_stop
contains "$(cat "$tool_out")" "\"pid\":$wpid,\"tid\":$wpid,\"comm\":\"workload\",\"func\":\"workload_target\",\"msg\":\"2 6\",\"args\":[2,6]}" "json"
[ "$(grep -c '^{"ts_ns":' "$tool_out")" = 3 ] || fail "json lines: $(cat "$tool_out")"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
