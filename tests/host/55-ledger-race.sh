# SEC-1 (#15): `cleanup --all` racing `probe add` and `trigger add` on the same state
# directory. The replay unlinks persistent.journal once it is empty while an add may be waiting
# for its lock; the add must then write into the new journal, never into the unlinked one, so
# that every object it makes is owned. Checked after every round whatever the interleaving:
# whatever is in the kernel is listed as ftrig's, and a last `cleanup --all` removes all of it.
# (strace slows the racing cleanup's writes down to widen the window; without it the rounds
# still race.)
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
W=$FTRIG_HELPERS/workload
G=frace$$
cleanup() {
	"$FTRIG" cleanup --all >/dev/null 2>&1
	for p in $(grep -o "$G/[a-z0-9]*" "$T/uprobe_events" 2>/dev/null); do
		echo "-:$p" >>"$T/uprobe_events"
	done
	private_event_rm
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
# The trigger on an event of the test's own: the kernel takes one traceoff per event.
private_event t
EV=fpev$$:t
TF=$T/events/fpev$$/t/trigger
slow=""
command -v strace >/dev/null 2>&1 && slow="strace -f -o /dev/null -e inject=write:delay_enter=200000"

# owned_or_gone KIND NAME: fail if NAME is in the kernel and not listed as ftrig's.
probe_owned_or_gone() {
	grep -q "$G/$1 " "$T/uprobe_events" || return 0
	expect_exit 0 "$FTRIG" probe ls
	printf '%s\n' "$out" | grep "^$G:$1 " | grep -q " ftrig " ||
		fail "round $r: probe $G:$1 is in the kernel and not ftrig's: $out"
}
trigger_owned_or_gone() {
	grep -q "common_pid == -$$" "$TF" || return 0
	expect_exit 0 "$FTRIG" trigger ls $EV
	printf '%s\n' "$out" | grep -- "-$$" | grep -q "^ftrig " ||
		fail "round $r: the trigger is in the kernel and not ftrig's: $out"
}

r=0
while [ $r -lt 10 ]; do
	r=$((r + 1))
	# persistent.journal exists and holds something, so the racing cleanup replays it.
	expect_exit 0 "$FTRIG" probe add -g "$G" --name a$r "$W:workload_target"
	$slow "$FTRIG" cleanup --all >/dev/null 2>&1 &
	cpid=$!
	[ $((r % 2)) = 0 ] && sleep 0.2 # sometimes let the cleanup take the lock first
	rout=$("$FTRIG" probe add -g "$G" --name b$r "$W:workload_target" 2>&1) ||
		fail "round $r: probe add failed: $rout"
	rout=$("$FTRIG" trigger add $EV "traceoff:1 if common_pid == -$$" 2>&1) ||
		fail "round $r: trigger add failed: $rout"
	wait $cpid
	probe_owned_or_gone a$r
	probe_owned_or_gone b$r
	trigger_owned_or_gone
	expect_exit 0 "$FTRIG" cleanup --all
	! grep -q "$G/" "$T/uprobe_events" ||
		fail "round $r: cleanup --all left probes of $G: $(grep "$G/" "$T/uprobe_events")"
	! grep -q "common_pid == -$$" "$TF" || fail "round $r: cleanup --all left the trigger"
done
state_empty
exit 0
