# A fired enable_event/disable_event trigger switches its target event, and the kernel leaves
# it so after the trigger's removal (SEC-4, #15). ftrig notes the target's state when it adds
# the trigger and puts it back on `trigger rm --ours` and on `cleanup --stale` of a killed
# session, in both directions; an event somebody had enabled before stays enabled, and a
# trigger that never fired changes nothing. All in a private instance.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

I=ftrig-undose-$$
EV=$T/instances/$I/events/syscalls
TG=$EV/sys_enter_getuid/trigger
GID=$EV/sys_enter_getgid/enable
cleanup() {
	[ -n "${hold_pid:-}" ] && kill -s KILL "$hold_pid" 2>/dev/null
	if [ -d "$T/instances/$I" ]; then
		for c in enable_event disable_event; do
			echo "!$c:syscalls:sys_enter_getgid" >>"$TG" 2>/dev/null
		done
		echo 0 >"$T/instances/$I/events/enable"
		rmdir "$T/instances/$I"
	fi
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
mkdir "$T/instances/$I" || fail "cannot make instance $I"
# getuid() and getgid() from a process of our own ('id' makes both).
fire() { id >/dev/null; }

# enable_event fired: the target goes back off.
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'enable_event:syscalls:sys_enter_getgid:1'
fire
[ "$(cat "$GID")" = "1*" ] || fail "the trigger did not fire: $(cat "$GID")"
expect_exit 0 "$FTRIG" trigger rm --ours
[ "$(cat "$GID")" = 0 ] || fail "a fired enable_event left its target enabled: $(cat "$GID")"
contains "$out" "back off" "trigger rm --ours"

# disable_event fired on an event somebody enabled: it goes back on.
echo 1 >"$GID"
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'disable_event:syscalls:sys_enter_getgid:1'
fire
[ "$(cat "$GID")" = "0*" ] || fail "the trigger did not fire: $(cat "$GID")"
expect_exit 0 "$FTRIG" trigger rm --ours
[ "$(cat "$GID")" = 1 ] || fail "a fired disable_event left somebody's event off: $(cat "$GID")"
contains "$out" "back on" "trigger rm --ours"

# enable_event on an event somebody enabled already: it stays on, and nothing is said.
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'enable_event:syscalls:sys_enter_getgid'
fire
expect_exit 0 "$FTRIG" trigger rm --ours
[ "$(cat "$GID")" = 1 ] || fail "removing enable_event switched off somebody's event"
case $out in *back*) fail "nothing to put back, yet: $out" ;; esac
echo 0 >"$GID"

# A trigger that did not fire: its removal leaves the target as the kernel leaves it (off).
expect_exit 0 "$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
	'enable_event:syscalls:sys_enter_getgid:1 if common_pid == -5'
fire
expect_exit 0 "$FTRIG" trigger rm --ours
[ "$(cat "$GID")" = 0 ] || fail "an unfired trigger's target: $(cat "$GID")"

# A killed session's enable_event: cleanup --stale puts the target back.
hold_start -t "$I@syscalls:sys_enter_getuid:enable_event:syscalls:sys_enter_getgid"
fire
kill -s KILL "$hold_pid"
hold_wait
hold_pid=
[ "$(cat "$GID")" = "1*" ] || fail "the session's trigger did not fire: $(cat "$GID")"
expect_exit 0 "$FTRIG" cleanup --stale
[ "$(cat "$GID")" = 0 ] || fail "cleanup --stale left the target enabled: $(cat "$GID")"
left=$(ls "$FTRIG_STATE_DIR" | grep -v '^persistent.journal$')
[ -z "$left" ] || fail "journals left: $left"
exit 0
