# funccount on the full kernel: a glob of kernel functions (one kprobe each, in the session's
# group, also for BPF: this kernel has no kprobe-multi, and says nothing about it) and a glob
# of tracepoints, counted by hist triggers (one per event) and by BPF (one aggregation keyed
# by event), against a workload with exactly known calls: 5 reads of
# /dev/zero are 5 vfs_read, 7 opens of a file and 3 openat calls with bad arguments are 10
# sys_enter_openat. Nothing is left behind: no probe, trigger, instance or journal.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers >/dev/null 2>&1 ||
	skip "needs kprobe events and hist triggers"
private_state
# Debian's 6.1 has the kprobe-multi code but not CONFIG_FPROBE: info finds it lacking.
expect_exit 1 "$FTRIG" info --require kprobe_multi
contains "$out" "CONFIG_FPROBE" "info: kprobe_multi"
W=$FTRIG_HELPERS/workload
comm=fv$$
tool_pid=
trap 'tool_cleanup' EXIT


for be in hist bpf; do
	"$FTRIG" info --require bpf >/dev/null 2>&1 || [ $be = hist ] || continue
	tool_start funccount --backend $be -c "$comm" 'vfs_read*'
	n=$(grep -c "^p:ftrig_$tool_pid/vfs_read" "$T/dynamic_events")
	# Debian's 6.1 has no kprobe-multi (no CONFIG_FPROBE): BPF too counts on the kprobes
	# (tests/vm612 counts without them on 6.12).
	[ "$n" -gt 0 ] || fail "$be: no kprobe made: $(cat "$tool_out")"
	# and the fallback is silent: a kernel without it is no fault
	! grep -q 'kprobe-multi' "$tool_out" || fail "$be: said: $(cat "$tool_out")"
	contains "$(cat "$tool_out")" "Tracing $n functions for \"vfs_read*\"" "$be: header"
	"$W" --comm "$comm" --read 5:100 >/dev/null || fail "workload failed"
	pid=$tool_pid
	tool_stop
	[ "$(tool_row vfs_read)" = 5 ] || fail "$be: vfs_read: $(cat "$tool_out")"
	contains "$(cat "$tool_out")" "FUNC                                    COUNT" "$be: columns"
	grep -q "ftrig_$pid" "$T/dynamic_events" && fail "$be: probes left: $(grep "ftrig_$pid" "$T/dynamic_events")"

	tool_start funccount --backend $be -c "$comm" 'syscalls:sys_enter_open*'
	"$W" --comm "$comm" --open "7:$W" --syscall 257:3 >/dev/null 2>&1
	tool_stop
	[ "$(tool_row syscalls:sys_enter_openat)" = 10 ] || fail "$be: openat: $(cat "$tool_out")"
done

# Past the bound: refused with the count, nothing made.
expect_exit 1 "$FTRIG" funccount --max 2 'vfs_*'
contains "$out" "more than the bound of 2 probes" "funccount --max"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
