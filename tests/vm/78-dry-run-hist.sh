# Dry runs of what only the full kernel has: --synth with --dry-run (it used to fail with
# "no synthetic event ... define it first", CMD-3), hist pause/cont/clear/rm of a hist
# trigger, a kprobe's probe rm, and plan of a file whose lines use its own synthetic event and
# kprobe (SET-2): each prints the exact writes, and apply then journals exactly those texts.
# Nothing changes: dry_snap before and after (#15).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers,synthetic_events >/dev/null 2>&1 ||
	skip "needs kprobes, hist triggers and synthetic events"
private_state
G=ftdry$$
L=ftdry_lat$$
D=${TMPDIR:-/tmp}/ftrig-dryvm.$$
mkdir -p "$D" || fail "cannot create $D"
A=$D/a.ftrig
trap '"$FTRIG" teardown "$A" >/dev/null 2>&1; "$FTRIG" trigger rm --ours >/dev/null 2>&1; "$FTRIG" probe rm --ours >/dev/null 2>&1; rm -rf "$D" "$FTRIG_STATE_DIR"' EXIT
EVS="sched/sched_switch sched/sched_waking synthetic/$L $G/do_sys_openat2"
snap() { dry_snap "" "$EVS"; }
# journal_has TEXT: a journal of $FTRIG_STATE_DIR records TEXT as written (its last field).
journal_has() {
	cat "$FTRIG_STATE_DIR"/*.journal | awk -F'\t' -v w="$1" '$NF == w { f = 1 } END { exit !f }'
}
SW='hist:keys=next_pid:lat=common_timestamp.usecs-$ts0:onmatch(sched.sched_waking).trace('$L',next_pid,$lat)'

# --synth with --dry-run: the definition, then the trigger that feeds it (CMD-3).
before=$(snap)
expect_exit 0 "$FTRIG" trigger add sched:sched_switch "$SW" --synth "$L pid_t pid; u64 lat" --dry-run
[ "$out" = "echo 's:$L pid_t pid; u64 lat' >> $T/dynamic_events
echo '$SW' >> $T/events/sched/sched_switch/trigger" ] || fail "--synth --dry-run: $out"
same_dry "$before" "--synth --dry-run" "" "$EVS"

# hist pause/cont/clear/rm --dry-run of a hist trigger: its listed form with the verb.
expect_exit 0 "$FTRIG" hist start sched:sched_waking --key pid --name ftdry$$
before=$(snap)
for v in pause cont clear; do
	expect_exit 0 "$FTRIG" hist $v sched:sched_waking --name ftdry$$ --dry-run
	case $out in
	"echo 'hist:keys=pid:sort=hitcount:size=2048:name=ftdry$$:$v' >> $T/events/sched/sched_waking/trigger") ;;
	*) fail "hist $v --dry-run: $out" ;;
	esac
done
expect_exit 0 "$FTRIG" hist rm sched:sched_waking --name ftdry$$ --dry-run
# The removal names the trigger by the exact text written, which the journal holds.
written=$(printf '%s\n' "$out" | sed -n "s|^echo '!\(hist:.*name=ftdry$$.*\)' >> $T/events/sched/sched_waking/trigger\$|\1|p")
[ -n "$written" ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "hist rm --dry-run: $out"
journal_has "$written" ||
	fail "hist rm --dry-run: '$written' is not what was written: $(cat "$FTRIG_STATE_DIR/persistent.journal")"
same_dry "$before" "hist pause/cont/clear/rm --dry-run" "" "$EVS"
expect_exit 0 "$FTRIG" hist rm sched:sched_waking --name ftdry$$

# probe rm --dry-run of a kprobe with a trigger on it.
expect_exit 0 "$FTRIG" probe add -g $G 'do_sys_openat2 dfd=$arg1:s32'
expect_exit 0 "$FTRIG" trigger add $G:do_sys_openat2 'traceoff if dfd == -12345'
before=$(snap)
expect_exit 0 "$FTRIG" probe rm --ours --dry-run
[ "$out" = "echo '!traceoff if dfd == -12345' >> $T/events/$G/do_sys_openat2/trigger
echo '-:$G/do_sys_openat2' >> $T/dynamic_events" ] || fail "probe rm --dry-run: $out"
same_dry "$before" "probe rm --dry-run" "" "$EVS"
expect_exit 0 "$FTRIG" probe rm --ours

# plan of a file whose lines use its own kprobe and synthetic event: a write for every line.
cat >"$A" <<END
trigger add synthetic:$L 'hist:keys=lat.log2:sort=lat'
trigger add sched:sched_switch '$SW'
hist start $G:do_sys_openat2 --key dfd
enable $G:do_sys_openat2
trigger add sched:sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs'
synth '$L pid_t pid; u64 lat'
probe add -g $G 'do_sys_openat2 dfd=\$arg1:s32'
END
before=$(snap)
expect_exit 0 "$FTRIG" plan "$A"
plan=$out
same_dry "$before" "plan" "" "$EVS"
for want in "echo 'p:$G/do_sys_openat2 do_sys_openat2 dfd=\$arg1:s32' >> $T/dynamic_events" \
	"echo 's:$L pid_t pid; u64 lat' >> $T/dynamic_events" \
	"echo '1' > $T/events/$G/do_sys_openat2/enable" \
	"echo 'hist:keys=pid:ts0=common_timestamp.usecs' >> $T/events/sched/sched_waking/trigger" \
	"echo '$SW' >> $T/events/sched/sched_switch/trigger" \
	"echo 'hist:keys=lat.log2:sort=lat' >> $T/events/synthetic/$L/trigger" \
	"echo 'hist:keys=dfd' >> $T/events/$G/do_sys_openat2/trigger"; do
	printf '%s\n' "$plan" | grep -qxF "$want" || fail "plan lacks the write
$want
in
$plan"
done
[ "$(printf '%s\n' "$plan" | grep -c '^echo ')" = 7 ] || fail "plan: not one write per line: $plan"
expect_exit 0 "$FTRIG" apply --dry-run "$A"
[ "$out" = "$plan" ] || fail "apply --dry-run is not plan: $out"
same_dry "$before" "apply --dry-run" "" "$EVS"

# apply writes what plan printed: the journals hold exactly those texts.
expect_exit 0 "$FTRIG" apply "$A"
printf '%s\n' "$plan" | sed -n "s/^echo '\(.*\)' >> .*trigger$/\1/p" | while read -r t; do
	journal_has "$t" || fail "apply did not write '$t' (plan said so)"
done
before=$(snap)
expect_exit 0 "$FTRIG" teardown --dry-run "$A"
td=$out
contains "$td" "echo '!hist:keys=lat.log2:sort=lat' >> $T/events/synthetic/$L/trigger" "teardown --dry-run"
contains "$td" "echo '-:synthetic/$L' >> $T/dynamic_events" "teardown --dry-run"
[ "$(printf '%s\n' "$td" | tail -n 1)" = "echo '-:$G/do_sys_openat2' >> $T/dynamic_events" ] ||
	fail "teardown --dry-run: the probe is not removed last: $td"
same_dry "$before" "teardown --dry-run" "" "$EVS"
expect_exit 0 "$FTRIG" teardown "$A"
left=$(ls "$FTRIG_STATE_DIR" | grep -v '^persistent.journal$')
[ -z "$left" ] || fail "teardown left journals: $left"

# The example of ftrig-setup(5): every line into its instance, and on its probe and synthetic
# event, has its write (plan printed one only for the probe and synth lines, SET-2).
cat >"$D/latency.ftrig" <<'END'
# latency.ftrig
instance lat
buffer-size 8192
probe add do_sys_openat2 dfd=$arg1:s32
synth 'wakeup_lat pid_t pid; u64 lat'
trigger add sched:sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs'
trigger add sched:sched_switch \
    'hist:keys=next_pid:lat=common_timestamp.usecs-$ts0:onmatch(sched.sched_waking).trace(wakeup_lat,next_pid,$lat)'
trigger add synthetic:wakeup_lat 'hist:keys=lat.log2:sort=lat'
hist start ftrig:do_sys_openat2 --key dfd
END
before=$(dry_snap lat "$EVS ftrig/do_sys_openat2 synthetic/wakeup_lat")
expect_exit 0 "$FTRIG" plan "$D/latency.ftrig"
for want in "mkdir $T/instances/lat" \
	"echo '8192' > $T/instances/lat/buffer_size_kb" \
	"echo 'p:ftrig/do_sys_openat2 do_sys_openat2 dfd=\$arg1:s32' >> $T/dynamic_events" \
	"echo 's:wakeup_lat pid_t pid; u64 lat' >> $T/dynamic_events" \
	"echo 'hist:keys=pid:ts0=common_timestamp.usecs' >> $T/instances/lat/events/sched/sched_waking/trigger" \
	"echo 'hist:keys=lat.log2:sort=lat' >> $T/instances/lat/events/synthetic/wakeup_lat/trigger" \
	"echo 'hist:keys=dfd' >> $T/instances/lat/events/ftrig/do_sys_openat2/trigger"; do
	printf '%s\n' "$out" | grep -qxF "$want" || fail "plan of the man page's example lacks
$want
in
$out"
done
[ "$(printf '%s\n' "$out" | grep -c -e '^echo ' -e '^mkdir ')" = 8 ] ||
	fail "plan of the man page's example: not one write per line: $out"
same_dry "$before" "plan of the man page's example" lat "$EVS ftrig/do_sys_openat2 synthetic/wakeup_lat"
exit 0
