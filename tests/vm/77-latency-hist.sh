# --latency on hist triggers (CLS-5, FIG-3, CMD-4, #16 item 4): a synthetic event fed by
# onmatch, as histogram.rst's wakeup-latency example does it. Block I/O matched on
# (dev, sector) counts one sample per direct I/O of a loop device; wakeup latency matched on
# sched_waking's pid and sched_switch's next_pid agrees exactly with BPF counting the same
# events in the same run. Found and removed by its START or END event; the dry run prints
# every write and makes none; hist rm leaves neither trigger nor synthetic event.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers,bpf >/dev/null 2>&1 || skip "needs hist triggers and BPF"
[ -e "$T/synthetic_events" ] || skip "no synthetic events in this kernel"
private_state
W=$FTRIG_HELPERS/workload
N=t77h$$
I=block:block_rq_issue
C=block:block_rq_complete
img=${TMPDIR:-/tmp}/ftrig-t77h-img.$$
loop=
cleanup() {
	for e in $C $I sched:sched_switch sched:sched_waking; do
		"$FTRIG" hist rm $e --name $N >/dev/null 2>&1
		"$FTRIG" hist rm $e --name ${N}w >/dev/null 2>&1
		"$FTRIG" hist rm $e --name ${N}s >/dev/null 2>&1
	done
	[ -z "$loop" ] || losetup -d "$loop" 2>/dev/null
	rm -rf "$FTRIG_STATE_DIR" "$img"
}
trap cleanup EXIT
synth_has() { grep -q "$1" "$T/synthetic_events"; }
trig_has() { grep -q "$2" "$T/events/$1/trigger"; }

[ -e /dev/loop-control ] || modprobe loop 2>/dev/null || insmod /usr/lib/modules/ftrig/loop.ko 2>/dev/null
dd if=/dev/zero of="$img" bs=1M count=16 2>/dev/null || fail "cannot make the image"
if ! l=$(losetup -f --show "$img" 2>/dev/null); then
	l=$(losetup -f 2>&1) && losetup "$l" "$img" 2>/dev/null || skip "no loop device here: $l"
fi
loop=$l
mm=$(stat -L -c '%t %T' "$loop")
dev=$(( (0x${mm% *} << 20) | 0x${mm#* } ))
LAT="$I(dev,sector),$C(dev,sector)"

# 1. The dry run prints the synthetic event and the three triggers, and writes nothing.
expect_exit 0 "$FTRIG" hist start --latency "$LAT" --filter "dev == $dev" --name $N \
	--backend hist --dry-run
contains "$out" "s:$N u64 lat" "the synthetic event's write"
contains "$out" "hist:keys=dev,sector:${N}_t0=common_timestamp.usecs" "the start trigger"
contains "$out" "onmatch(block.block_rq_issue).trace($N,\$${N}_lat)" "the end trigger"
contains "$out" "events/synthetic/$N/trigger" "the synthetic event's hist"
! synth_has "$N" || fail "the dry run defined the synthetic event"
! trig_has block/block_rq_issue "${N}_t0" || fail "the dry run wrote a trigger"

# 2. One sample per direct I/O of the loop device, in us, found by either event (CMD-4).
expect_exit 0 "$FTRIG" hist start --latency "$LAT" --filter "dev == $dev" --name $N --backend hist
synth_has "$N" || fail "no synthetic event $N"
pids=
for k in 0 1 2 3; do
	dd if=/dev/zero of="$loop" bs=4k count=40 seek=$((k * 100)) oflag=direct 2>/dev/null &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "a direct write failed"; done
dd if="$loop" of=/dev/null bs=4k count=30 skip=500 iflag=direct 2>/dev/null
expect_exit 0 "$FTRIG" hist dump $C --name $N --format json
contains "$out" '"unit":"us"' "the latency's unit"
got=$(echo "$out" | sed -n 's/.*"totals":{"hits":\([0-9]*\),"entries":[0-9]*,"dropped":0[,}].*/\1/p')
[ "$got" = 190 ] || fail "samples: $got for 190 direct I/Os: $out"
expect_exit 0 "$FTRIG" hist show $I --name $N
contains "$out" "lat: ~ 2^" "show by the START event"
# --all lists the latency's histogram once: under its synthetic event
expect_exit 0 "$FTRIG" hist dump --all --format json
[ "$(echo "$out" | grep -o "\"event\":\"synthetic:$N\"" | wc -l)" = 1 ] ||
	fail "dump --all: the latency's histogram not once: $out"
expect_exit 0 "$FTRIG" top --attach $C --name $N -b -n 1 -d 1
contains "$out" "lat.log2 (us)" "top --attach by the END event"
expect_exit 0 "$FTRIG" hist pause $C --name $N
trig_has synthetic/$N "paused" || fail "pause by the END event did not pause the latency"
expect_exit 0 "$FTRIG" hist cont $I --name $N
expect_exit 0 "$FTRIG" hist rm $C --name $N
! synth_has "$N" || fail "hist rm left the synthetic event"
! trig_has block/block_rq_issue "${N}_t0" || fail "hist rm left the start trigger"
! trig_has block/block_rq_complete "${N}_lat" || fail "hist rm left the end trigger"
expect_exit 1 "$FTRIG" hist show $C --name $N

# 3. Wakeup latency matched on pid: hist triggers and BPF, started together on the same
# events, count the workload's 8 sleeps alike.
WL="sched:sched_waking(pid),sched:sched_switch(next_pid)"
expect_exit 0 "$FTRIG" hist start --latency "$WL" --key next_comm --name ${N}w --backend both
"$W" --comm w$$ --sleep 5:10000 --sleep 3:30000 >/dev/null || fail "workload failed"
expect_exit 0 "$FTRIG" hist dump sched:sched_switch --name ${N}w --format csv
h=$(echo "$out" | awk -F, -v c=w$$ '/backend=hist/ { t = "h" } /backend=bpf/ { t = "b" }
	t == "h" && $1 == c { s += $NF } END { print s + 0 }')
b=$(echo "$out" | awk -F, -v c=w$$ '/backend=hist/ { t = "h" } /backend=bpf/ { t = "b" }
	t == "b" && $1 == c { s += $NF } END { print s + 0 }')
[ "$h" = 8 ] && [ "$b" = 8 ] || fail "wakeups of 8 sleeps: hist $h, bpf $b: $out"
expect_exit 0 "$FTRIG" hist pause sched:sched_switch --name ${N}w
trig_has synthetic/${N}w "paused" || fail "pause: the hist side of --backend both runs on"
expect_exit 0 "$FTRIG" hist dump sched:sched_switch --name ${N}w --format json
[ "$(echo "$out" | grep -o '"paused":true' | wc -l)" = 2 ] || fail "pause: not both paused: $out"
expect_exit 0 "$FTRIG" hist rm sched:sched_waking --name ${N}w
! synth_has "${N}w" || fail "hist rm left the synthetic event"
[ ! -d /sys/fs/bpf/ftrig/${N}w ] || fail "hist rm left the BPF aggregation"

# 4. In a setup file: plan prints the four writes, apply makes them, teardown removes them.
f=$FTRIG_STATE_DIR/lat.ftrig
# (in an instance the file makes: plan cannot ask the kernel, it writes from the words)
printf '%s\n' "instance i$N" "hist start --latency '$WL' --name ${N}s --backend hist --instance i$N" >"$f"
expect_exit 0 "$FTRIG" plan "$f"
contains "$out" "s:${N}s u64 lat" "plan: the synthetic event"
contains "$out" "events/synthetic/${N}s/trigger" "plan: its hist"
! synth_has "${N}s" || fail "plan defined the synthetic event"
expect_exit 0 "$FTRIG" apply "$f"
synth_has "${N}s" || fail "apply did not define the synthetic event"
grep -q "${N}s_t0" "$T/instances/i$N/events/sched/sched_waking/trigger" ||
	fail "apply did not write the start trigger into the instance"
expect_exit 0 "$FTRIG" teardown "$f"
! synth_has "${N}s" || fail "teardown left the synthetic event: $out"
[ ! -d "$T/instances/i$N" ] || fail "teardown left the instance"

# 5. top --latency on hist triggers: the session's synthetic event goes with it.
expect_exit 0 "$FTRIG" top --latency "$WL" -b -n 1 -d 1 --backend hist
contains "$out" "lat" "top --latency --backend hist"
! grep -q "ftlat" "$T/synthetic_events" || fail "top left its synthetic event"
# killed with SIGKILL, its journal says what to remove: cleanup --stale removes the triggers
# and the synthetic event, nothing else
"$FTRIG" top --latency "$WL" -b -d 1 --backend hist >"$FTRIG_STATE_DIR/top.out" 2>&1 &
tp=$!
i=0
until grep -q "ftlat$tp" "$T/synthetic_events" && grep -q '^lat' "$FTRIG_STATE_DIR/top.out"; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "top --latency not running after 30 s: $(cat "$FTRIG_STATE_DIR/top.out")"
	sleep 0.1
done
kill -KILL $tp
wait $tp 2>/dev/null
grep -q "ftlat$tp" "$T/synthetic_events" || fail "SIGKILL: no synthetic event left to clean"
expect_exit 0 "$FTRIG" cleanup --stale
! grep -q "ftlat$tp" "$T/synthetic_events" || fail "cleanup --stale left the synthetic event: $out"
! grep -q "ftlat${tp}_" "$T/events/sched/sched_waking/trigger" "$T/instances"/*/events/sched/sched_waking/trigger 2>/dev/null ||
	fail "cleanup --stale left a trigger"
[ -z "$(debris)" ] || fail "left behind: $(debris)"
