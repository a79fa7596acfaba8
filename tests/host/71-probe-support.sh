# A probe kind the kernel lacks is refused before the user's definition is written, with the
# kernel option that brings it (CMD-6: eprobes were written on a kernel whose README lists
# them but which was built without them, then the refusal was guessed at).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
grp=ftrig_t71p_$$
trap 'rm -rf "$FTRIG_STATE_DIR"' EXIT
if "$FTRIG" info --require eprobes >/dev/null 2>&1; then
	expect_exit 0 "$FTRIG" probe add -g "$grp" -e sched:sched_switch 'n=$next_pid'
	expect_exit 0 "$FTRIG" probe rm "$grp:sched_switch"
else
	expect_exit 1 "$FTRIG" probe add -g "$grp" -e sched:sched_switch 'n=$next_pid'
	contains "$out" "this kernel has no event probes" "eprobes on a kernel without them"
	contains "$out" "CONFIG_EPROBE_EVENTS" "the option that brings them"
	case $out in *"may lack"*) fail "a guess instead of a finding: $out" ;; esac
fi
[ -z "$(grep "$grp" "$T/dynamic_events")" ] || fail "left behind: $(grep "$grp" "$T/dynamic_events")"
[ -z "$(ls -A "$FTRIG_STATE_DIR" | grep -v '^persistent.journal$')" ] ||
	fail "journals left: $(ls -A "$FTRIG_STATE_DIR")"
exit 0
