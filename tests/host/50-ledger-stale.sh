# A session killed with SIGKILL cannot clean up: `ftrig cleanup --stale` removes its instance
# and its trigger from its journal, and leaves alone triggers that somebody wrote by hand.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

# The top-level triggers on events of the test's own (private_event says why).
hand_fork='stacktrace if common_pid == -2'
hand_exit='stacktrace if common_pid == -3'
undo_hand() {
	echo "!$hand_fork" >> "$T/events/fpev$$/fork/trigger"
	echo "!$hand_exit" >> "$T/events/fpev$$/exit/trigger"
	private_event_rm
	rm -rf "$FTRIG_STATE_DIR"
}
trap undo_hand EXIT
private_event fork exit
echo "$hand_fork" >> "$T/events/fpev$$/fork/trigger" || fail "cannot write by hand"
echo "$hand_exit" >> "$T/events/fpev$$/exit/trigger" || fail "cannot write by hand"

hold_start -i -t 'own@sched:sched_switch:stacktrace if prev_pid == -1' \
	-t "fpev$$:exit:traceon if common_pid == -1"
kill -s KILL "$hold_pid"
hold_wait
[ -d "$T/instances/$hold_inst" ] || fail "SIGKILL should leave the instance for cleanup"

expect_exit 0 "$FTRIG" info
echo "$out" | sed -n '/dead ftrig sessions/,$p' | grep -q "instance $hold_inst" ||
	fail "info does not list the dead session's instance: $out"
expect_exit 0 "$FTRIG" cleanup --stale --dry-run
contains "$out" "would remove instance $hold_inst" "--dry-run"
# In the order the undo takes: triggers first, the instance last.
echo "$out" | head -n 1 | grep -q "would remove trigger" || fail "dry run not in undo order: $out"
echo "$out" | tail -n 1 | grep -q "would remove instance" || fail "dry run not in undo order: $out"
[ -d "$T/instances/$hold_inst" ] || fail "--dry-run removed the instance"

expect_exit 0 "$FTRIG" cleanup --stale
contains "$out" "removed instance $hold_inst" "cleanup --stale"
contains "$out" "removed trigger 'traceon if common_pid == -1'" "cleanup --stale"
[ ! -d "$T/instances/$hold_inst" ] || fail "cleanup --stale left instance $hold_inst"
! trigger_has fpev$$/exit 'traceon' || fail "cleanup --stale left the trigger"
trigger_has fpev$$/fork 'stacktrace' || fail "cleanup removed a hand-written trigger"
trigger_has fpev$$/exit 'stacktrace' || fail "cleanup removed a hand-written trigger"
state_empty
expect_exit 0 "$FTRIG" cleanup --stale
contains "$out" "nothing to clean up" "second cleanup"

# A live session is not touched by cleanup.
hold_start -i
expect_exit 0 "$FTRIG" cleanup --stale
[ -d "$T/instances/$hold_inst" ] || fail "cleanup --stale removed a live session's instance"
kill "$hold_pid"
hold_wait
state_empty
exit 0
