# ftrig funclatency: a log2 histogram of a function's time in bcc's layout, its count exact
# for a workload waiting on a fifo (so its pid is known before it runs, for -p): 50 calls of
# workload_target through a uprobe and a uretprobe (every kernel with uprobes), bpftrace's
# count on the same run; 20 getppid between a tracepoint pair. A kernel function without
# kprobe events is refused, saying why.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
W=$FTRIG_HELPERS/workload
fifo=${TMPDIR:-/tmp}/ftrig-t92-fifo.$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t92-bpftrace.$$
tool_pid= bpt_pid=
trap 'tool_cleanup "$fifo"' EXIT
mkfifo "$fifo" || fail "mkfifo"

expect_exit 2 "$FTRIG" funclatency
contains "$out" "funclatency takes one operand" "no operand"
if ! "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	expect_exit 1 "$FTRIG" funclatency vfs_read
	contains "$out" "this kernel has no kprobe events" "a kernel function without kprobes"
fi

# count: the "count: N" line of the output.
count() { sed -n 's/^count: //p' "$tool_out"; }

if "$FTRIG" info --require uprobe_events >/dev/null 2>&1; then
	waiting --call 50
	tool_start funclatency -p "$wpid" "$W:workload_target"
	if command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; then
		oracle_start "uretprobe:$W:workload_target /pid == $wpid/ { @n = count(); }
			BEGIN { printf(\"ready\\n\"); }"
	fi
	echo go >"$fifo"
	wait "$wpid"
	tool_stop
	contains "$(cat "$tool_out")" "     usecs               : count     distribution" "columns"
	[ "$(count)" = 50 ] || fail "uprobe: $(cat "$tool_out")"
	if [ -n "$bpt_pid" ]; then
		oracle_stop
		n=$(sed -n 's/^@n: //p' "$bpt_out")
		[ "$n" = 50 ] || fail "bpftrace counted '$n': $(cat "$bpt_out")"
	fi
	grep -q "ftrig_$tool_pid" "$T/uprobe_events" && fail "uprobes left behind"
fi

waiting --getppid 20
tool_start funclatency -j -p "$wpid" syscalls:sys_enter_getppid,syscalls:sys_exit_getppid
echo go >"$fifo"
wait "$wpid"
tool_stop
contains "$(cat "$tool_out")" '{"time":' "json"
contains "$(cat "$tool_out")" '"unit":"usecs","count":20,"buckets":[{"lo":0,' "json count"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
