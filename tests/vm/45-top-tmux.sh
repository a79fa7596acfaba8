# ftrig top in a real terminal (tmux) on a real hist trigger (6.1 kernel): the view shows the
# workload's exact count, sorting, filtering, the help and the histogram pane work, a resize
# redraws at the new size, and q or SIGTERM end it with the terminal as it was and nothing
# left in tracefs. The trigger is written directly (appended, removed with the exact text).
# The getppid trigger is named and watched by its name: the neighbour pins a BPF aggregation
# on that event every second, and --attach without a name would watch that one.
. "$FTRIG_TESTS/lib.sh"
. "$FTRIG_TESTS/tmux.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
tmux_need
private_state
gp=syscalls/sys_enter_getppid
hn=fttmux$$
tg="hist:name=$hn:keys=common_pid.execname:vals=hitcount"
rd=syscalls/sys_enter_read
tr='hist:keys=count.log2:vals=hitcount if comm == "fttmux_r"'
cleanup() {
	echo "!$tg" >>"$T/events/$gp/trigger"
	echo "!$tr" >>"$T/events/$rd/trigger"
	tmux_stop
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# run COMM N: the workload makes N getppid calls as COMM; its pid in $wpid.
run() {
	"$wl" --comm "$1" --getppid "$2" >/dev/null &
	wpid=$!
	wait $wpid || fail "workload $1 failed"
}

# shows_count COMM PID N: wait for COMM [PID]'s row to show a COUNT of N (a refresh may have
# caught the process halfway: counts only grow, so wait up to 10 s), fail if it never does.
shows_count() {
	tmux_wait "$1 [$2]"
	i=0
	while :; do
		row=$(tmux_screen | grep "^$1 \[$2\] ")
		set -- "$@" $row
		[ "$6" = "$3" ] && return 0
		i=$((i + 1))
		[ $i -lt 100 ] || fail "$1 [$2]: count '$6', expected $3: $row"
		set -- "$1" "$2" "$3"
		sleep 0.1
	done
}
grep -q '^hist:' "$T/events/$gp/trigger" "$T/events/$rd/trigger" &&
	skip "someone else has a hist trigger on $gp or $rd"
echo "$tg" >>"$T/events/$gp/trigger" || fail "the kernel refused $tg"
echo "$tr" >>"$T/events/$rd/trigger" || fail "the kernel refused $tr"
"$wl" --comm fttmux_r --read 64:100 --read 16:5000 >/dev/null || fail "workload failed"
run fttmux_c 700
pc=$wpid

tmux_start 100 30 "\"$FTRIG\" top --attach syscalls:sys_enter_getppid --name $hn -d 0.5"
shows_count fttmux_c "$pc" 700
contains "$(tmux_line 1)" "syscalls:sys_enter_getppid" "header"
contains "$(tmux_line 3)" "common_pid.execname" "title line"

# A second process while the view runs: it appears with its count.
run fttmux_d 300
pd=$wpid
shows_count fttmux_d "$pd" 300

# s: sort by the key (ascending), r: reversed.
tmux_keys s
tmux_wait "sort common_pid.execname asc"
c=$(echo "$screen" | grep -n "^fttmux_c " | cut -d: -f1)
d=$(echo "$screen" | grep -n "^fttmux_d " | cut -d: -f1)
[ "$c" -lt "$d" ] || fail "sorted by key ascending, c ($c) should come before d ($d): $screen"
tmux_keys r
tmux_wait "sort common_pid.execname desc"
c=$(echo "$screen" | grep -n "^fttmux_c " | cut -d: -f1)
d=$(echo "$screen" | grep -n "^fttmux_d " | cut -d: -f1)
[ "$d" -lt "$c" ] || fail "reversed, d ($d) should come before c ($c): $screen"

# /: filter as you type; Enter keeps it; only matching rows remain.
tmux_keys / fttmux_d
tmux_wait "filter: fttmux_d_"
tmux_keys Enter
tmux_wait "filter 'fttmux_d'"
case $screen in *"fttmux_c ["*) fail "the filter left fttmux_c: $screen" ;; esac
contains "$screen" "fttmux_d [$pd]" "filtered screen"
tmux_keys / Escape
tmux_wait "fttmux_c [$pc]"

# Resize: the view redraws at the new size (status on the new last line).
tmux_resize 70 12
tmux_wait "rows 1-"
[ "$(tmux_screen | wc -l)" -le 12 ] || fail "more than 12 lines after the resize"
contains "$(tmux_line 12)" "rows 1-" "status line after the resize"
tmux_screen | awk 'length($0) > 70 { bad = 1 } END { exit bad }' || fail "lines wider than 70"

# ? help, any key closes it; h: no bucket key here, the pane says how to get one.
tmux_keys ?
tmux_wait "ftrig top: keys"
tmux_keys x
tmux_wait_gone "ftrig top: keys"
tmux_keys h
tmux_wait "no log2 or bucket key"
tmux_keys h

# + and -: the interval, in the header.
tmux_keys +
tmux_wait "every 1s"
tmux_keys - -
tmux_wait "every 250ms"

# space: the display pauses (the kernel counts on); again: it shows what happened meanwhile.
tmux_resize 100 30
tmux_keys Space
tmux_wait "PAUSED"
run fttmux_p 40
pp=$wpid
sleep 1
case $(tmux_screen) in *"fttmux_p ["*) fail "the paused display changed" ;; esac
tmux_keys Space
tmux_wait "fttmux_p [$pp]"
tmux_wait_gone "PAUSED"

# c: ftrig's baseline moves: rows with nothing since are hidden, new counts start from 0;
# the kernel's table keeps its counts.
tmux_keys c
tmux_wait "since reset"
tmux_wait_gone "fttmux_c ["
run fttmux_e 50
shows_count fttmux_e "$wpid" 50
grep -q "fttmux_c.*\[ *$pc\] } hitcount: *700$" "$T/events/$gp/hist" ||
	fail "the kernel's table changed: $(cat "$T/events/$gp/hist")"

# Colours unless NO_COLOR: the header is drawn in a colour.
esc=$(printf '\033')
tmux_cmd capture-pane -e -p -t ft | grep -q "$esc\[[0-9;]*3[1-7]m" ||
	fail "no colour on the screen: $(tmux_cmd capture-pane -e -p -t ft | head -n 3 | od -c | head)"

# q: ends, the terminal as it was, nothing left.
tmux_keys q
tmux_exited
[ "$tmux_rc" = 0 ] || fail "top exited $tmux_rc after q"
tmux_restored

# A monochrome terminal (vt100): attributes only, no colour, and the view works.
tmux_start 100 30 "env TERM=vt100 \"$FTRIG\" top --attach syscalls:sys_enter_getppid --name $hn"
tmux_wait "fttmux_c [$pc]"
tmux_cmd capture-pane -e -p -t ft | grep -q "$esc\[[0-9;]*3[1-7]m" &&
	fail "colour on a vt100"
tmux_cmd capture-pane -e -p -t ft | grep -q "$esc\[[0-9;]*7m" || fail "no reverse video on a vt100"

tmux_keys q
tmux_exited
[ "$tmux_rc" = 0 ] || fail "top exited $tmux_rc after q"
tmux_restored
[ -z "$(debris)" ] || fail "left behind: $(debris)"
trigger_has "$gp" "hist:name=$hn:keys=common_pid.execname" || fail "the attached trigger is gone"
state_empty

# Two tabs; the second has a log2 key: the histogram pane with bars and percentiles. With
# NO_COLOR, no colour at all (attributes only). SIGTERM ends it like q.
tmux_start 100 30 "env NO_COLOR=1 \"$FTRIG\" top --attach syscalls:sys_enter_getppid --name $hn --attach syscalls:sys_enter_read"
tmux_wait "fttmux_c [$pc]"
contains "$(tmux_line 2)" "2 syscalls:sys_enter_read" "tab line"
tmux_keys 2
tmux_wait "count.log2"
tmux_keys h
tmux_wait "count.log2 by hitcount since start: count 80  p50 ~"
echo "$screen" | grep -q "^ *65-128  *64 #" || fail "no bar of 64 in 65-128: $screen"
echo "$screen" | grep -q "^4097-8192  *16 #" || fail "no bar of 16 in 4097-8192: $screen"
tmux_cmd capture-pane -e -p -t ft | grep -q "$esc\[[0-9;]*3[1-7]m" &&
	fail "colour on the screen with NO_COLOR set"
tmux_keys Tab
tmux_wait "sys_enter_getppid  hist"
kill -TERM "$tmux_pid"
tmux_exited
tmux_restored
[ -z "$(debris)" ] || fail "left behind after SIGTERM: $(debris)"
state_empty

# No terminal for the live view: a clear error, not a broken screen.
expect_exit 1 "$FTRIG" top --attach syscalls:sys_enter_getppid --name $hn </dev/null
contains "$out" "needs a terminal" "top without a terminal"
exit 0
