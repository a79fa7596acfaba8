# A tool's --live opens its result in `ftrig top` inside the tool's own session: the probes
# the recipe made (uprobes from a glob for funccount, one for funclatency) stay while the view
# runs and go with it. funccount's counts are exact on the screen; q gives the terminal back
# with nothing left (no probe group, no journal, no instance), byte for byte: dry_snap of
# everything named as ftrig names its own, ftrig-PID or ftrig_PID (instances, dynamic events,
# triggers, pins), the top level's buffer files and the state directory, before and after.
# Runs where uprobes do.
. "$FTRIG_TESTS/lib.sh"
. "$FTRIG_TESTS/tmux.sh"
need_root
need_tracefs
"$FTRIG" info --require uprobe_events >/dev/null 2>&1 || skip "needs uprobe events"
W=$FTRIG_HELPERS/workload
tmux_need
private_state
trap 'tmux_stop; rm -rf "$FTRIG_STATE_DIR"' EXIT

# quit_clean WHAT: q ends the view, exit 0, the terminal as it was, nothing of the run left.
quit_clean() {
	tmux_keys q
	tmux_exited
	[ "$tmux_rc" = 0 ] || fail "$1: exit $tmux_rc: $(tmux_screen)"
	tmux_restored
	grep -q "ftrig_$tmux_pid/" "$T/dynamic_events" && fail "$1: probes left: $(grep "ftrig_$tmux_pid/" "$T/dynamic_events")"
	[ -d "$T/instances/ftrig-$tmux_pid" ] && fail "$1: instance ftrig-$tmux_pid left"
	state_empty
	same_dry "$before" "$1: after q" "" "" "ftrig[-_][0-9]"
}

before=$(dry_snap "" "" "ftrig[-_][0-9]")

# funccount: one uprobe per function of the glob, both counted exactly in the view.
tmux_start 140 30 "\"$FTRIG\" funccount --live '$W:workload_t*'"
tmux_wait "RATE/s"
[ "$(grep -c "^p:ftrig_$tmux_pid/workload_t" "$T/dynamic_events")" = 2 ] ||
	fail "funccount --live: the probes are not there while the view runs: $(grep ftrig_ "$T/dynamic_events")"
"$W" --call 7 --twin 5 >/dev/null || fail "workload failed"
i=0
until tmux_screen | grep -q "ftrig_$tmux_pid:workload_twin  *5 " &&
	tmux_screen | grep -q "ftrig_$tmux_pid:workload_target  *7 "; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "funccount --live: no exact counts (7, 5) on screen: $(tmux_screen)"
	sleep 0.1
done
quit_clean "funccount --live"

# funclatency: its entry and return probes in the session, the view of the log2 histogram.
tmux_start 140 30 "\"$FTRIG\" funclatency --live '$W:workload_target'"
tmux_wait "RATE/s"
grep -q "^r:ftrig_$tmux_pid/" "$T/dynamic_events" ||
	fail "funclatency --live: no return probe while the view runs: $(grep ftrig_ "$T/dynamic_events")"
quit_clean "funclatency --live"
