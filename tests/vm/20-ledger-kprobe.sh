# The undo order on the full kernel: a kprobe event, enabled in the session's instance and
# carrying a hist trigger there, can only be deleted after the trigger and the enable are
# gone. Both the signal path and cleanup --stale after SIGKILL must get that order right.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers >/dev/null 2>&1 ||
	skip "needs kprobe_events and hist triggers"
private_state
# the top-level trigger on an event of the test's own (private_event says why)
trap 'private_event_rm; rm -rf "$FTRIG_STATE_DIR"' EXIT
private_event exit

run() {
	grp=ftrig_$$
	hold_start -i -k "p:$grp/openat do_sys_openat2 dfd=\$arg1" -e "own@$grp:openat" \
		-t "own@$grp:openat:hist:keys=common_pid:vals=hitcount" \
		-t "fpev$$:exit:stacktrace if common_pid == -1"
	grep -q "$grp/openat" "$T/dynamic_events" || fail "kprobe not defined"
	trigger_has "$grp/openat" 'hist:keys=common_pid' "$hold_inst" || fail "hist trigger missing"
	cat /dev/null >/dev/null
	grep -q 'Hits' "$T/instances/$hold_inst/events/$grp/openat/hist" || fail "no hist output"
}

# Ended by a signal: the session undoes in order itself.
run
kill -s TERM "$hold_pid"
hold_wait
[ "$hold_rc" = 0 ] || fail "session-hold exited $hold_rc"
! grep -q "$grp/openat" "$T/dynamic_events" || fail "SIGTERM left the kprobe"
[ ! -d "$T/instances/$hold_inst" ] || fail "SIGTERM left the instance"
state_empty

# Killed: cleanup --stale replays the journal in the same order.
run
kill -s KILL "$hold_pid"
hold_wait
grep -q "$grp/openat" "$T/dynamic_events" || fail "SIGKILL should leave the kprobe"
expect_exit 0 "$FTRIG" cleanup --stale
contains "$out" "removed dynamic event $grp/openat" "cleanup --stale"
! grep -q "$grp/openat" "$T/dynamic_events" || fail "cleanup --stale left the kprobe"
[ ! -d "$T/instances/$hold_inst" ] || fail "cleanup --stale left the instance"
! trigger_has fpev$$/exit 'stacktrace' || fail "cleanup left the trigger"
state_empty
exit 0
