# Setup files on the full kernel: a kprobe, a synthetic event fed by hist triggers with
# variables and onmatch(), a hist trigger on the synthetic event, a hist start and an
# enable, applied in dependency order whatever the file's order; re-apply is a no-op, diff
# sees a hist trigger removed by hand, save then apply on a clean kernel makes the same
# state, and teardown leaves every trigger file, dynamic_events and the instance list as
# they were, byte for byte.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers,synthetic_events >/dev/null 2>&1 ||
	skip "needs kprobes, hist triggers and synthetic events"
private_state

G=ftsetup$$
L=ftset_lat$$
D=${TMPDIR:-/tmp}/ftrig-setup.$$
mkdir -p "$D" || fail "cannot create $D"
A=$D/a.ftrig
trap '"$FTRIG" teardown "$A" >/dev/null 2>&1; "$FTRIG" teardown "$D/saved.ftrig" >/dev/null 2>&1; "$FTRIG" teardown "$D/bad.ftrig" >/dev/null 2>&1; rm -rf "$D" "$FTRIG_STATE_DIR"' EXIT

before=$(kernel_snap)

# Written in the wrong order on purpose: apply sorts by dependency.
cat >"$A" <<END
trigger add synthetic:$L 'hist:keys=lat.log2:sort=lat'
trigger add sched:sched_switch \\
  'hist:keys=next_pid:lat=common_timestamp.usecs-\$ts0:onmatch(sched.sched_waking).trace($L,next_pid,\$lat)'
hist start $G:do_sys_openat2 --key dfd
enable $G:do_sys_openat2
trigger add sched:sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs'
synth '$L pid_t pid; u64 lat'
probe add -g $G 'do_sys_openat2 dfd=\$arg1:s32'
END

dry_before=$(dry_snap "" "sched/sched_switch sched/sched_waking")
expect_exit 0 "$FTRIG" plan "$A"
contains "$out" "# $A:8: probe add -g $G" "plan"
contains "$out" "p:$G/do_sys_openat2 do_sys_openat2" "plan"
same_snap "$before" "plan changed the kernel"
same_dry "$dry_before" "plan" "" "sched/sched_switch sched/sched_waking"

expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "applied $A: 7 lines made, 0 already there" "apply"
grep -q "^s:synthetic/$L" "$T/dynamic_events" || grep -q "$L" "$T/dynamic_events" || fail "no synthetic event"
trigger_has synthetic/$L "hist:keys=lat.log2" || fail "no hist trigger on the synthetic event"
trigger_has $G/do_sys_openat2 "hist:keys=dfd" || fail "no hist start trigger"
"$FTRIG_HELPERS/workload" --sleep 20:1000 >/dev/null
grep -q 'lat: ~ 2^' "$T/events/synthetic/$L/hist" || fail "no latencies: $(cat "$T/events/synthetic/$L/hist")"
applied=$(kernel_snap)
expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "0 lines made, 7 already there" "re-apply"
expect_exit 0 "$FTRIG" diff "$A"

# A hist trigger removed by hand: diff names its line (1), apply puts it back.
echo '!hist:keys=lat.log2:sort=lat' >>"$T/events/synthetic/$L/trigger"
expect_exit 1 "$FTRIG" diff "$A"
contains "$out" "missing   $A:1: trigger add synthetic:$L" "diff"
expect_exit 0 "$FTRIG" apply "$A"
contains "$out" "1 line made, 6 already there" "apply after a removal by hand"
expect_exit 0 "$FTRIG" diff "$A"

expect_exit 0 "$FTRIG" save "$D/saved.ftrig"
expect_exit 0 "$FTRIG" teardown "$A"
contains "$out" "removed dynamic event synthetic/$L" "teardown"
same_snap "$before" "teardown left something"
state_empty
expect_exit 0 "$FTRIG" apply "$D/saved.ftrig"
same_snap "$applied" "the saved file made another state"
expect_exit 0 "$FTRIG" teardown "$D/saved.ftrig"
same_snap "$before" "teardown of the saved file left something"
state_empty

# Line 3 passes ftrig's checks but the kernel refuses it (no variable \$nosuch): the synthetic
# event and the trigger of lines 1-2 are removed again, the error names line 3 and shows what
# the kernel's error_log says.
cat >"$D/bad.ftrig" <<END
synth '$L pid_t pid; u64 lat'
trigger add sched:sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs'
trigger add sched:sched_switch 'hist:keys=next_pid:lat=common_timestamp.usecs-\$nosuch'
END
expect_exit 1 "$FTRIG" apply "$D/bad.ftrig"
contains "$out" "$D/bad.ftrig:3: failed (see above)" "apply refused by the kernel"
contains "$out" "nosuch" "the kernel's error"
contains "$out" "removed dynamic event synthetic/$L" "rollback"
same_snap "$before" "a failed apply changed the kernel"
state_empty
exit 0
