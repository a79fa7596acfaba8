# A session that ends by SIGTERM, SIGINT or SIGHUP removes every object it created (its
# instance, a trigger in it, a trigger at the top level, an enabled event) and its journal.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
# the top-level trigger on an event of the test's own (private_event says why)
trap 'private_event_rm; rm -rf "$FTRIG_STATE_DIR"' EXIT
private_event exit
PE=fpev$$:exit

for sig in TERM INT HUP; do
	hold_start -i -t 'own@sched:sched_switch:stacktrace if prev_pid == -1' \
		-t "$PE:traceon if common_pid == -1" -e own@sched:sched_switch
	[ -d "$T/instances/$hold_inst" ] || fail "instance $hold_inst was not created"
	trigger_has sched/sched_switch 'stacktrace' "$hold_inst" || fail "instance trigger missing"
	trigger_has fpev$$/exit 'traceon' || fail "top-level trigger missing"
	kill -s "$sig" "$hold_pid"
	hold_wait
	[ "$hold_rc" = 0 ] || fail "session-hold exited $hold_rc after SIG$sig"
	[ ! -d "$T/instances/$hold_inst" ] || fail "SIG$sig left instance $hold_inst"
	! trigger_has fpev$$/exit 'traceon' || fail "SIG$sig left the top-level trigger"
	state_empty
done
exit 0
