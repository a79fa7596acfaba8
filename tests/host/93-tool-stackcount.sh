# ftrig stackcount on a tracepoint: the kernel stacks of 77 getppid calls of a workload, in
# bcc's layout (frames innermost first, without offsets, then the count), their counts
# summing to 77, as bpftrace's on the same run; -j. A kernel function without kprobe events
# is refused, saying why.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require bpf >/dev/null 2>&1 ||
	"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs BPF or hist triggers"
private_state
W=$FTRIG_HELPERS/workload
comm=sk$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t93-bpftrace.$$
tool_pid= bpt_pid=
trap 'tool_cleanup' EXIT

expect_exit 2 "$FTRIG" stackcount
contains "$out" "stackcount takes one operand" "no operand"
if ! "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	expect_exit 1 "$FTRIG" stackcount submit_bio
	contains "$out" "this kernel has no kprobe events" "a kernel function without kprobes"
fi

# On the 6.1 kernel BPF cannot read the stack at a syscalls tracepoint (bpf_get_stackid fails:
# "[stack lost]", said), so the VM tier counts with its hist triggers.
be=
[ "$FTRIG_TIER" != vm ] || be="--backend hist"
tool_start stackcount $be -c "$comm" syscalls:sys_enter_getppid
if command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; then
	oracle_start "tracepoint:syscalls:sys_enter_getppid /comm == \"$comm\"/ { @n = count(); }
		tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
fi
"$W" --comm "$comm" --getppid 77 >/dev/null || fail "workload failed"
tool_stop
# the counts: the lines of four blanks and a number
sum=$(awk '/^    [0-9]+$/ { s += $1 } END { print s + 0 }' "$tool_out")
[ "$sum" = 77 ] || fail "stacks sum to $sum: $(cat "$tool_out")"
grep -q '^  [a-z_][a-zA-Z0-9_.]*$' "$tool_out" || fail "no frame lines: $(cat "$tool_out")"
grep -q '^  .*+0x' "$tool_out" && fail "frames with offsets: $(cat "$tool_out")"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	n=$(sed -n 's/^@n: //p' "$bpt_out")
	[ "$n" = "$sum" ] || fail "bpftrace counted '$n', stackcount $sum"
fi

tool_start stackcount $be -j -c "$comm" syscalls:sys_enter_getppid
"$W" --comm "$comm" --getppid 5 >/dev/null || fail "workload failed"
tool_stop
contains "$(cat "$tool_out")" '{"time":' "json"
contains "$(cat "$tool_out")" '"stacks":[{"frames":["' "json stacks"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
