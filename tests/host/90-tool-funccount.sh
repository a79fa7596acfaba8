# ftrig funccount on a tracepoint glob: per-event counts of a workload with exactly known
# calls (7 opens of the workload binary, 3 openat calls with bad arguments: 10 sys_enter_openat), in bcc's columns, equal
# to bpftrace's on the same run; -j; -p by pid; nothing left behind. Kernel functions (kprobes)
# are refused here, saying why; tests/vm/95-tool-funccount-kprobes.sh counts them.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
W=$FTRIG_HELPERS/workload
comm=fc$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t90-bpftrace.$$
tool_pid= bpt_pid=
trap 'tool_cleanup "${TMPDIR:-/tmp}/ftrig-t90-fifo.$$"' EXIT

expect_exit 2 "$FTRIG" funccount
contains "$out" "funccount takes one operand" "no pattern"
expect_exit 2 "$FTRIG" funccount -p x 'syscalls:*'
contains "$out" "-p takes a whole number" "-p x"
expect_exit 1 "$FTRIG" funccount 'nosuchsys:nothing*'
contains "$out" "no event matches 'nosuchsys:nothing*'" "no event"
if ! "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	expect_exit 1 "$FTRIG" funccount 'vfs_*'
	contains "$out" "this kernel has no kprobe events" "functions without kprobes"
fi

# By comm: the workload's opens, each event under its name, the rarest first.
tool_start funccount -c "$comm" 'syscalls:sys_enter_open*'
nev=$(ls "$T/events/syscalls" | grep -c '^sys_enter_open')
contains "$(cat "$tool_out")" "Tracing $nev events for \"syscalls:sys_enter_open*\"" "header"
if command -v bpftrace >/dev/null 2>&1; then
	oracle_start "tracepoint:syscalls:sys_enter_open* /comm == \"$comm\"/ { @[probe] = count(); }
		tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
fi
"$W" --comm "$comm" --open "7:$W" --syscall 257:3 >/dev/null 2>&1
tool_stop
got=$(sed -n '/^FUNC/,$p' "$tool_out")
same_lines "funccount -c" "FUNC                                    COUNT
syscalls:sys_enter_openat                  10" "$got" "$tool_out"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	want=$(sed -n 's/^@\[tracepoint:\(.*\)\]: \([0-9]*\)$/\1 \2/p' "$bpt_out" | sort)
	got=$(sed -n '/^FUNC/,$p' "$tool_out" | awk 'NR > 1 { print $1, $2 }' | sort)
	[ "$got" = "$want" ] || fail "funccount '$got', bpftrace '$want'"
else
	echo "no bpftrace: the counts are checked against the workload only"
fi

# By pid, as JSON: a workload waiting on a fifo, so its pid is known before it runs.
# Every system call entry: 'syscalls:sys_enter_*' takes in sys_enter_epoll_ctl, whose own
# field 'event' once made the glob's per-event key mean that field there (refused). Every
# call of the workload's process, each call counted as bpftrace counts it.
tool_start funccount -c "a$comm" 'syscalls:sys_enter_*'
if command -v bpftrace >/dev/null 2>&1; then
	oracle_start "tracepoint:syscalls:sys_enter_* /comm == \"a$comm\"/ { @[probe] = count(); }
		tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
fi
"$W" --comm "a$comm" --open "3:$W" --getppid 5 >/dev/null 2>&1
tool_stop
got=$(sed -n '/^FUNC/,$p' "$tool_out" | awk 'NR > 1 { print $1, $2 }' | sort)
contains "$got" "syscalls:sys_enter_getppid 5" "getppid among every system call"
contains "$got" "syscalls:sys_enter_openat 3" "openat among every system call"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	want=$(sed -n 's/^@\[tracepoint:\(.*\)\]: \([0-9]*\)$/\1 \2/p' "$bpt_out" | sort)
	[ "$got" = "$want" ] || fail "funccount 'syscalls:sys_enter_*':
$got
bpftrace:
$want"
fi

fifo=${TMPDIR:-/tmp}/ftrig-t90-fifo.$$
mkfifo "$fifo" || fail "mkfifo"
sh -c "read x <'$fifo'; exec '$W' --open '4:$W'" >/dev/null &
wpid=$!
tool_start funccount -j -p "$wpid" 'syscalls:sys_enter_openat'
echo go >"$fifo"
wait "$wpid"
tool_stop
contains "$(cat "$tool_out")" '"counts":[{"func":"syscalls:sys_enter_openat","count":' "json"
# the dynamic loader opens the C library too: at least the 4 opens, all by that pid
n=$(sed -n 's/.*"count":\([0-9]*\).*/\1/p' "$tool_out")
[ "${n:-0}" -ge 4 ] || fail "funccount -p: $(cat "$tool_out")"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
