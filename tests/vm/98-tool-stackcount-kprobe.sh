# stackcount of a kernel function on the full kernel: a kprobe on vfs_read made for the run,
# its stacks counted by a hist trigger (key stacktrace) and by BPF, for a workload reading
# /dev/zero 5 times: the counts sum to 5, and vfs_read's caller ksys_read is in a stack.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers >/dev/null 2>&1 ||
	skip "needs kprobe events and hist triggers"
private_state
W=$FTRIG_HELPERS/workload
comm=kv$$
tool_pid=
trap 'tool_cleanup' EXIT
for be in hist bpf; do
	"$FTRIG" info --require bpf >/dev/null 2>&1 || [ $be = hist ] || continue
	tool_start stackcount --backend $be -c "$comm" vfs_read
	"$W" --comm "$comm" --read 5:100 >/dev/null || fail "workload failed"
	tool_stop
	sum=$(awk '/^    [0-9]+$/ { s += $1 } END { print s + 0 }' "$tool_out")
	[ "$sum" = 5 ] || fail "$be: stacks sum to $sum: $(cat "$tool_out")"
	grep -q '^  ksys_read$' "$tool_out" || fail "$be: no ksys_read frame: $(cat "$tool_out")"
done
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
