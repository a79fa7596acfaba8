# Undo acts on the object ftrig made, not on whatever took its name or slot (SEC-3, #15):
# (a) a foreign trigger in the slot of a removed ftrig trigger survives `trigger rm --ours` and
#     `cleanup --all`; (b) a foreign instance made under the name of a killed session's
#     instance survives `cleanup --stale`, with or without events in it; (c) a foreign probe
#     of the same name survives `probe rm --ours`. Each time ftrig says why, and forgets its
#     record. The instance of a session killed before it noted the inode is still removed
#     when it is the pristine one ftrig made.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

I=ftrig-undoid-$$
E=$T/instances/$I/events/syscalls/sys_enter_getuid/trigger
P=relrep$$
W=$FTRIG_HELPERS/workload
cleanup() {
	[ -n "${hold_pid:-}" ] && kill -s KILL "$hold_pid" 2>/dev/null
	[ -f "$E" ] && echo '!traceoff' >>"$E"
	for d in "$T/instances/$I" "$T/instances/${hold_inst:-none}"; do
		[ -d "$d" ] || continue
		echo 0 >"$d/events/enable"
		rmdir "$d"
	done
	grep -q "ftrig/$P " "$T/dynamic_events" && echo "-:ftrig/$P" >>"$T/dynamic_events"
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
mkdir "$T/instances/$I" || fail "cannot make instance $I"

# (a) The kernel's "!traceoff" removes any traceoff trigger of the event.
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'traceoff:2 if common_pid == 4000030'
echo '!traceoff' >>"$E"
echo 'traceoff:9 if common_pid == 4000031' >>"$E"
expect_exit 0 "$FTRIG" trigger rm --ours
contains "$out" "left 'traceoff:count=9 if common_pid == 4000031'" "trigger rm --ours"
grep -q '^traceoff:count=9 if common_pid == 4000031' "$E" ||
	fail "trigger rm --ours removed the foreign trigger in ftrig's slot: $(cat "$E")"
[ ! -s "$FTRIG_STATE_DIR/persistent.journal" ] ||
	! grep -q '^+' "$FTRIG_STATE_DIR/persistent.journal" ||
	[ "$(grep -c '^+' "$FTRIG_STATE_DIR/persistent.journal")" = \
		"$(grep -c '^-' "$FTRIG_STATE_DIR/persistent.journal")" ] ||
	fail "the replaced trigger is still journaled: $(cat "$FTRIG_STATE_DIR/persistent.journal")"
echo '!traceoff' >>"$E"
# The same through cleanup --all (private state dir), and a count that went down is still
# ftrig's own: it is removed.
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'traceoff:2 if common_pid == 4000030'
echo '!traceoff' >>"$E"
echo 'traceoff:9 if common_pid == 4000031' >>"$E"
expect_exit 0 "$FTRIG" cleanup --all
grep -q '^traceoff:count=9' "$E" || fail "cleanup --all removed the foreign trigger"
echo '!traceoff' >>"$E"
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'traceoff:2 if common_pid == 4000030'
echo '!traceoff' >>"$E"
echo 'traceoff:1 if common_pid == 4000030' >>"$E"
expect_exit 0 "$FTRIG" cleanup --all
contains "$out" "removed trigger" "cleanup --all of a trigger that fired once"
! grep -q '^traceoff' "$E" || fail "cleanup --all left ftrig's own trigger: $(cat "$E")"

# (b) A killed session's instance, removed by an admin and made again by somebody else.
for with_events in 1 0; do
	hold_start -i
	kill -s KILL "$hold_pid"
	hold_wait
	hold_pid=
	rmdir "$T/instances/$hold_inst" || fail "cannot remove $hold_inst by hand"
	mkdir "$T/instances/$hold_inst" || fail "cannot make $hold_inst again"
	[ $with_events = 0 ] ||
		echo 1 >"$T/instances/$hold_inst/events/sched/sched_switch/enable"
	expect_exit 0 "$FTRIG" cleanup --stale
	contains "$out" "left instance $hold_inst alone" "cleanup --stale of a re-made instance"
	[ -d "$T/instances/$hold_inst" ] || fail "cleanup --stale destroyed the foreign $hold_inst"
	[ $with_events = 0 ] ||
		[ "$(cat "$T/instances/$hold_inst/events/sched/sched_switch/enable")" = 1 ] ||
		fail "the foreign instance lost its enabled event"
	state_empty
	echo 0 >"$T/instances/$hold_inst/events/enable"
	rmdir "$T/instances/$hold_inst"
done

# The window: an instance that exists is refused before anything is journaled, so a replay
# can never take it for ftrig's.
mkdir "$T/instances/ftrig-$$" || fail "cannot make ftrig-$$"
cat >"$FTRIG_STATE_DIR/$$-1.journal" <<EOF
ftrig-journal 1	$$	1	$(cat /proc/sys/kernel/random/boot_id)
+	0	instance	ftrig-$$				
EOF
echo 1 >"$T/instances/ftrig-$$/events/sched/sched_switch/enable"
# pid $$ is this shell, alive but not holding the journal's lock: the journal is dead.
expect_exit 0 "$FTRIG" cleanup --stale
contains "$out" "left instance ftrig-$$ alone" "a journal without the instance's inode"
[ -d "$T/instances/ftrig-$$" ] || fail "cleanup --stale removed an instance with events in it"
echo 0 >"$T/instances/ftrig-$$/events/enable"
# The pristine instance ftrig made before it was killed (no note yet) is removed.
cat >"$FTRIG_STATE_DIR/$$-1.journal" <<EOF
ftrig-journal 1	$$	1	$(cat /proc/sys/kernel/random/boot_id)
+	0	instance	ftrig-$$				
EOF
expect_exit 0 "$FTRIG" cleanup --stale
contains "$out" "removed instance ftrig-$$" "a pristine instance without a note"
[ ! -d "$T/instances/ftrig-$$" ] || fail "cleanup --stale left the pristine instance"
state_empty

# (c) A probe removed by hand and replaced under its name by another definition.
[ -f "$T/dynamic_events" ] || skip "no dynamic_events on this kernel"
expect_exit 0 "$FTRIG" probe add --name "$P" "$W:workload_target i=\$arg1:s64"
echo "-:ftrig/$P" >>"$T/dynamic_events"
echo "p:ftrig/$P /bin/true:0x1139 foreign=%si" >>"$T/dynamic_events" ||
	fail "cannot define the foreign probe"
expect_exit 0 "$FTRIG" probe ls
echo "$out" | grep "^ftrig:$P " | grep -q " - " || fail "probe ls calls the foreign probe ftrig's: $out"
expect_exit 0 "$FTRIG" probe rm --ours
contains "$out" "left the probe ftrig/$P alone" "probe rm --ours"
grep -q "^p:ftrig/$P /bin/true:0x0*1139 foreign=%si" "$T/dynamic_events" ||
	fail "probe rm --ours removed the foreign probe of the same name"
expect_exit 0 "$FTRIG" probe rm --ours
contains "$out" "no probes to remove" "probe rm --ours again (the record is retired)"
echo "-:ftrig/$P" >>"$T/dynamic_events"
# ftrig's own probe is still removed.
expect_exit 0 "$FTRIG" probe add --name "$P" "$W:workload_target i=\$arg1:s64"
expect_exit 0 "$FTRIG" probe rm --ours
contains "$out" "removed uprobe ftrig:$P" "probe rm --ours of ftrig's own"
! grep -q "ftrig/$P " "$T/dynamic_events" || fail "probe rm --ours left ftrig's probe"
exit 0
