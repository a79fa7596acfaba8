# ftrig top in a real terminal (tmux), on any kernel: the default view (system calls per
# process) shows the test program, a second tab counts its getppid calls exactly, sort,
# filter and resize work, and q or SIGTERM give the terminal back with nothing left.
. "$FTRIG_TESTS/lib.sh"
. "$FTRIG_TESTS/tmux.sh"
need_root
need_tracefs
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
tmux_need
private_state
trap 'tmux_stop; rm -rf "$FTRIG_STATE_DIR"' EXIT
name=fth$$

# count_at LEAST PATTERN: wait (up to 10 s: the view refreshes every 0.5 s) until the row
# matching PATTERN has a count of at least LEAST; the count in $count, the row in $row.
count_at() {
	least=$1 pat=$2
	i=0
	while :; do
		row=$(tmux_screen | grep "$pat" | head -n 1)
		set -- $row
		count=${3:-0}
		[ "$count" -ge "$least" ] 2>/dev/null && return 0
		i=$((i + 1))
		[ $i -lt 100 ] || fail "no row '$pat' with a count of $least or more: $(tmux_screen)"
		sleep 0.1
	done
}

tmux_start 120 30 "\"$FTRIG\" top -d 0.5 syscalls:sys_enter_getppid --key common_pid.execname"
tmux_wait "RATE/s"
"$wl" --comm "$name" --pre-sleep 200 --getppid 2000 >/dev/null &
wp=$!
wait $wp || fail "workload failed"
tmux_keys /
tmux_keys "$name" Enter
count_at 2000 "^$name \[$wp\] "
[ "$count" = 2000 ] || fail "count '$count', expected 2000: $row"
tmux_keys s
tmux_wait "sort common_pid.execname asc"
tmux_resize 60 10
tmux_wait "rows 1-1 of"
contains "$(tmux_line 10)" "filter '$name'" "status line after the resize"
tmux_keys q
tmux_exited
[ "$tmux_rc" = 0 ] || fail "top exited $tmux_rc after q"
tmux_restored
state_empty

# The default view: system calls per process, the test program among them (found by its pid:
# a hist trigger keeps the comm a process had at its first system call, before the workload
# renamed itself).
tmux_start 120 30 "\"$FTRIG\" top -d 0.5"
tmux_wait "common_pid.execname"
"$wl" --comm "$name" --pre-sleep 200 --getppid 3000 >/dev/null &
wp=$!
wait $wp || fail "workload failed"
tmux_keys / "[$wp]" Enter
count_at 3000 " \[$wp\] "
[ "$count" -lt 3500 ] || fail "count '$count', expected 3000 getppid and a few more: $row"
kill -TERM "$tmux_pid"
tmux_exited
tmux_restored
state_empty
exit 0
