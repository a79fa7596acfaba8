# Events the kernel does not run a BPF program for are lost, and said: a classic tracepoint's
# program is skipped when BPF already runs on the CPU (bpf_prog_active), e.g. a timer
# interrupt of another tracing program. The kernel counts them per program
# (bpf_prog_info.recursion_misses; for classic tracepoints from 6.7); ftrig shows them as
# "# missed: N" (JSON "missed"), since the last clear. Provoked with two classic
# aggregations: one on timer:hrtimer_expire_entry (interrupts), one on a getppid loop, so the
# timers often come while the second runs. bpftool's reading of the program is the oracle,
# read before and after ftrig's: before <= ftrig's <= after. Where the kernel does not count
# them (6.1), bpftool says 0, and ftrig must say nothing. Before, the loss was silent
# (host/72-bpf-exit-gate's classic sched_process_* counts fell short under load).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpftool
private_state
W=$FTRIG_HELPERS/workload
T_EV=timer:hrtimer_expire_entry
G_EV=syscalls:sys_enter_getppid
N=mi$$
trap '"$FTRIG" hist rm $T_EV --name ${N}t >/dev/null 2>&1; "$FTRIG" hist rm $G_EV --name ${N}g >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

expect_exit 0 env FTRIG_BPF_CLASSIC=1 "$FTRIG" hist start $T_EV --key common_pid --backend bpf \
	--name ${N}t --size 4096
expect_exit 0 env FTRIG_BPF_CLASSIC=1 "$FTRIG" hist start $G_EV --key common_pid --backend bpf \
	--name ${N}g
# misses: the kernel's count for the timer aggregation's program, as bpftool reads it.
misses() {
	bpftool -j prog show pinned "/sys/fs/bpf/ftrig/${N}t/prog_a" |
		sed -n 's/.*"recursion_misses":\([0-9]*\).*/\1/p' | grep . || echo 0
}
# shown: ftrig's count (0 when it prints no line).
shown() {
	expect_exit 0 "$FTRIG" hist show $T_EV --name ${N}t
	n=$(echo "$out" | sed -n 's/^# missed: \([0-9]*\) events the kernel did not run the BPF program for (BPF already running on their CPU)$/\1/p')
	echo "${n:-0}"
}
round=0
while [ $round -lt 8 ] && [ "$(misses)" = 0 ]; do
	"$W" --comm "$N" --getppid 300000 >/dev/null || fail "workload"
	round=$((round + 1))
done
a=$(misses)
b=$(shown)
c=$(misses)
[ "$a" -le "$b" ] && [ "$b" -le "$c" ] ||
	fail "ftrig says $b missed; bpftool read $a before and $c after: $out"
if [ "$c" = 0 ]; then
	# This kernel does not count them for classic tracepoints: nothing to say.
	echo "$out" | grep -q '^# missed' && fail "a missed line where the kernel counted none: $out"
else
	expect_exit 0 "$FTRIG" hist show $T_EV --name ${N}t --json
	n=$(echo "$out" | sed -n 's/.*"totals":{[^}]*"missed":\([0-9]*\).*/\1/p')
	[ -n "$n" ] && [ "$a" -le "$n" ] && [ "$n" -le "$(misses)" ] || fail "JSON missed '$n': $out"
fi
# A clear starts the count again (the kernel's cannot be zeroed: ftrig keeps where it was).
pre=$(misses)
expect_exit 0 "$FTRIG" hist clear $T_EV --name ${N}t
b=$(shown)
c=$(misses)
[ "$b" -le $((c - pre)) ] || fail "after a clear: $b missed, the kernel's count went $pre -> $c"
expect_exit 0 "$FTRIG" hist rm $G_EV --name ${N}g
expect_exit 0 "$FTRIG" hist rm $T_EV --name ${N}t
exit 0
