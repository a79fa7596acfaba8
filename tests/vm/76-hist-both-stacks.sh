# Both backends give the same stacks for the same event (FIG-4, FIG-5): a hist trigger and a
# BPF aggregation keyed by stacktrace on sched_switch, filtered on one workload's switches, so
# that once it has exited the event is quiet for both and `hist show` must find them equal,
# key for key and count for count. Folded dumps of the two agree too.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers,bpf >/dev/null 2>&1 || skip "needs hist triggers and BPF"
private_state

E=sched:sched_switch
N=bstk$$
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

# The workload sleeps first, long enough for both to be attached, then sleeps 40 times.
"$FTRIG_HELPERS/workload" --comm st$$ --pre-sleep 4000 --sleep 40:2000 >/dev/null &
wl=$!
expect_exit 0 "$FTRIG" hist start $E --key stacktrace --name $N --backend both \
	--filter "prev_pid == $wl"
kill -0 $wl 2>/dev/null || fail "the workload ended before both backends were attached"
wait $wl || fail "workload failed"
expect_exit 0 "$FTRIG" hist show $E --name $N
contains "$out" "cross-check: hist and bpf ('$N') agree on all" "stacks of both backends"
case $out in *__traceiter_* | *"{ stacktrace:
} "*) fail "tracing frames or blank stacks: $out" ;; esac
# The dump holds both hists' folded lines, each merged: every line (stack and count) must
# come once from each backend, the same flame graph.
"$FTRIG" hist dump $E --name $N --format folded >"$FTRIG_STATE_DIR/folded" 2>&1 ||
	fail "folded dump failed: $(cat "$FTRIG_STATE_DIR/folded")"
[ -s "$FTRIG_STATE_DIR/folded" ] || fail "empty folded dump"
odd=$(sort "$FTRIG_STATE_DIR/folded" | uniq -c | awk '$1 != 2')
[ -z "$odd" ] || fail "folded lines not once from each backend: $odd"
expect_exit 0 "$FTRIG" hist rm $E --name $N
[ ! -d /sys/fs/bpf/ftrig/$N ] || fail "hist rm left the BPF aggregation"

# A kprobe event: the hist trigger's stacks begin in the kprobe's ftrace handler and
# trampoline, BPF's (from the probe's registers) in the probed function: the cross-check
# compares them from the probed function on, and the folded stacks (flame graphs) of both
# leave the handler out (FIG-5).
"$FTRIG" info --require kprobe_events >/dev/null 2>&1 || exit 0
grp=ftrig_stk_$$
K=$grp:open
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; "$FTRIG" hist rm $K --name $N >/dev/null 2>&1
	echo "-:$grp/open" >>"$T/kprobe_events" 2>/dev/null; rm -rf "$FTRIG_STATE_DIR"' EXIT
echo "p:$grp/open do_sys_openat2" >>"$T/kprobe_events" || fail "cannot define the kprobe event"
"$FTRIG_HELPERS/workload" --comm sk$$ --pre-sleep 4000 --open 30:/dev/null >/dev/null &
wl=$!
expect_exit 0 "$FTRIG" hist start $K --key stacktrace --name $N --backend both \
	--filter "common_pid == $wl"
kill -0 $wl 2>/dev/null || fail "the workload ended before both backends were attached"
wait $wl || fail "workload failed"
expect_exit 0 "$FTRIG" hist show $K --name $N
contains "$out" "cross-check: hist and bpf ('$N') agree on all" "kprobe stacks of both backends"
"$FTRIG" hist dump $K --name $N --format folded >"$FTRIG_STATE_DIR/folded" 2>&1 ||
	fail "folded dump failed: $(cat "$FTRIG_STATE_DIR/folded")"
odd=$(sort "$FTRIG_STATE_DIR/folded" | uniq -c | awk '$1 != 2')
[ -z "$odd" ] || fail "kprobe folded lines not once from each backend: $(cat "$FTRIG_STATE_DIR/folded")"
case $(cat "$FTRIG_STATE_DIR/folded") in *kprobe_ftrace_handler* | *";0x"*) fail "kprobe frames kept in folded stacks" ;; esac
expect_exit 0 "$FTRIG" hist rm $K --name $N
echo "-:$grp/open" >>"$T/kprobe_events" || fail "cannot remove the kprobe event"
exit 0
