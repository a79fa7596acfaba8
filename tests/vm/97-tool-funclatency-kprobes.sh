# funclatency of a kernel function on the full kernel: a kprobe and a kretprobe in the
# session's group, timed by hist triggers (a synthetic event fed by onmatch) and by BPF, for
# a workload named by -c reading /dev/zero 5 times: 5 vfs_read (the reads of the dynamic
# loader come before the workload takes its name). The probes, triggers and synthetic event
# go with the command.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers >/dev/null 2>&1 ||
	skip "needs kprobe events and hist triggers"
private_state
W=$FTRIG_HELPERS/workload
comm=lv$$
tool_pid=
trap 'tool_cleanup' EXIT

for be in hist bpf; do
	"$FTRIG" info --require bpf >/dev/null 2>&1 || [ $be = hist ] || continue
	tool_start funclatency --backend $be -c "$comm" vfs_read
	pid=$tool_pid
	"$W" --comm "$comm" --read 5:100 >/dev/null || fail "workload failed"
	tool_stop
	[ "$(sed -n 's/^count: //p' "$tool_out")" = 5 ] || fail "$be: $(cat "$tool_out")"
	grep -q ":ftrig_$pid/" "$T/dynamic_events" && fail "$be: left: $(grep ":ftrig_$pid/" "$T/dynamic_events")"
done
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
