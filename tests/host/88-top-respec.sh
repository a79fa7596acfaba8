# TOP-7 (#16): the event, keys and kernel filter of a tab change from inside the live view.
# e edits the shown tab's spec (as typed after 'ftrig top'), n opens a new tab: the new hist
# counts a workload exactly, the old one is gone from the kernel at once (a hist trigger in
# the session's instance on a kernel with them), a spec that does not work says why on the
# status line and leaves the view as it was, and q leaves nothing behind.
. "$FTRIG_TESTS/lib.sh"
. "$FTRIG_TESTS/tmux.sh"
need_root
need_tracefs
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
tmux_need
private_state
trap 'tmux_stop; rm -rf "$FTRIG_STATE_DIR"' EXIT
name=ftr$$
be=
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 && be="--backend hist"

# count_is N PATTERN: wait (up to 20 s) until the row matching PATTERN counts N.
count_is() {
	i=0
	until [ "$(tmux_screen | grep "$2" | head -n 1 | awk '{ print $3 }')" = "$1" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "no row '$2' counting $1: $(tmux_screen)"
		sleep 0.1
	done
}
# hists_in_session EVENT: the hist triggers on EVENT in the session's instance.
hists_in_session() {
	cat "$T"/instances/ftrig-*/events/syscalls/$1/trigger 2>/dev/null | grep -c "^hist:" || true
}

tmux_start 160 30 "\"$FTRIG\" top -d 0.5 syscalls:sys_enter_getppid --key common_pid.execname $be"
tmux_wait "RATE/s"
# e: the prompt holds the tab's words; ^U clears them; another event and a kernel filter.
tmux_keys e
tmux_wait "tab (Enter, Esc): syscalls:sys_enter_getppid --key common_pid.execname"
tmux_keys C-u
tmux_keys "syscalls:sys_enter_getuid --key common_pid.execname --filter 'common_pid > 1' $be" Enter
# (the header, not the prompt line that showed the words as they were typed)
tmux_wait "ftrig top  syscalls:sys_enter_getuid"
"$wl" --comm "$name" --syscall 102:321 >/dev/null || fail "workload failed"
tmux_keys / "$name" Enter
count_is 321 "^$name \["
if [ -n "$be" ]; then
	[ "$(hists_in_session sys_enter_getppid)" = 0 ] || fail "e left the old hist trigger"
	[ "$(hists_in_session sys_enter_getuid)" = 1 ] || fail "no hist trigger for the new spec"
fi

# A spec that cannot work: said on the status line; the tab stays as it was.
tmux_keys e C-u "syscalls:sys_enter_nosuch --key common_pid" Enter
tmux_wait "no event syscalls:sys_enter_nosuch"
tmux_wait "ftrig top  syscalls:sys_enter_getuid"
tmux_keys e C-u "syscalls:sys_enter_getuid -b" Enter
tmux_wait "'-b' is for the whole view, not a tab"

# n: a second tab, counted exactly; the first keeps its count.
tmux_keys n "syscalls:sys_enter_getppid --key common_pid.execname $be" Enter
tmux_wait "ftrig top  syscalls:sys_enter_getppid"
"$wl" --comm "$name" --getppid 77 >/dev/null || fail "workload failed"
tmux_keys / "$name" Enter
count_is 77 "^$name \["
tmux_keys 1
count_is 321 "^$name \["

tmux_keys q
tmux_exited
[ "$tmux_rc" = 0 ] || fail "top exited $tmux_rc after q"
tmux_restored
[ -z "$(debris)" ] || fail "left behind: $(debris)"
state_empty
exit 0
