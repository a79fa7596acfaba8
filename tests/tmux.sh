# Helpers for tests that run ftrig in a real terminal: tmux gives it one, the tests send keys
# and read the screen. POSIX sh (busybox ash in the VM tier). Source after lib.sh:
#   . "$FTRIG_TESTS/lib.sh"; . "$FTRIG_TESTS/tmux.sh"
#   tmux_need; tmux_start 100 30 "\"$FTRIG\" top ..."; tmux_wait "text"; tmux_keys q
#   tmux_exited; tmux_restored; tmux_stop
# Each test gets its own tmux server (socket name with $$), with no user configuration, the
# status line off (the pane is the whole window) and TERM=tmux-256color inside.

# tmux_need: skip unless tmux can start a server here; sets up the test's server.
tmux_need() {
	command -v tmux >/dev/null 2>&1 || skip "no tmux (Debian: apt-get install -y tmux)"
	unset TMUX
	tmux_sock=ftrig-test-$$
	tmux_dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-tmux.XXXXXX")
	printf 'set -g status off\nset -g default-terminal tmux-256color\nset -g exit-empty off\n' \
		>"$tmux_dir/tmux.conf"
	TERM=${TERM:-dumb} tmux -L "$tmux_sock" -f "$tmux_dir/tmux.conf" start-server \
		>"$tmux_dir/err" 2>&1 || skip "tmux cannot start a server: $(cat "$tmux_dir/err")"
}

# tmux_cmd ARGS...: a tmux command on the test's server.
tmux_cmd() { tmux -L "$tmux_sock" "$@"; }

# tmux_start W H CMD: run the shell command CMD in a new W x H terminal. The terminal's modes
# (stty -g) are saved before and after it, its exit code lands in $tmux_dir/rc, and the pane
# stays open afterwards so that its state can be read. CMD's process id is in $tmux_pid once
# it started: CMD is run as `exec CMD` by a shell that wrote its pid first.
tmux_start() {
	w=$1 h=$2
	shift 2
	rm -f "$tmux_dir/rc" "$tmux_dir/pid" "$tmux_dir/stty.before" "$tmux_dir/stty.after"
	cat >"$tmux_dir/run.sh" <<EOF
stty -g >"$tmux_dir/stty.before"
sh -c 'echo \$\$ >"$tmux_dir/pid"; exec $*'
echo \$? >"$tmux_dir/rc"
stty -g >"$tmux_dir/stty.after"
exec sleep 3600
EOF
	tmux_cmd kill-session -t ft 2>/dev/null
	TERM=${TERM:-dumb} tmux_cmd new-session -d -s ft -x "$w" -y "$h" "sh $tmux_dir/run.sh" ||
		fail "tmux new-session failed"
	i=0
	while [ ! -s "$tmux_dir/pid" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the command did not start in tmux"
		sleep 0.1
	done
	tmux_pid=$(cat "$tmux_dir/pid")
}

# tmux_screen: print the screen.
tmux_screen() { tmux_cmd capture-pane -p -t ft; }

# tmux_keys KEY...: type keys (tmux key names: Enter, Escape, Tab, Up, NPage, C-c, or text).
tmux_keys() { tmux_cmd send-keys -t ft "$@"; }

# tmux_wait TEXT [SECONDS]: wait until the screen shows TEXT (default 20 s); fail otherwise.
# The screen at that moment is in $screen.
tmux_wait() {
	i=0
	n=$((${2:-20} * 10))
	while :; do
		screen=$(tmux_screen)
		case $screen in *"$1"*) return 0 ;; esac
		i=$((i + 1))
		[ $i -lt $n ] || fail "the screen never showed '$1'; it shows:
$screen"
		sleep 0.1
	done
}

# tmux_wait_gone TEXT [SECONDS]: wait until the screen no longer shows TEXT.
tmux_wait_gone() {
	i=0
	n=$((${2:-20} * 10))
	while :; do
		screen=$(tmux_screen)
		case $screen in *"$1"*) ;; *) return 0 ;; esac
		i=$((i + 1))
		[ $i -lt $n ] || fail "the screen still shows '$1':
$screen"
		sleep 0.1
	done
}

# tmux_line N: line N (from 1) of the screen.
tmux_line() { tmux_screen | sed -n "${1}p"; }

# tmux_resize W H: resize the terminal (the program gets SIGWINCH).
tmux_resize() { tmux_cmd resize-window -t ft -x "$1" -y "$2"; }

# tmux_exited [SECONDS]: wait for the command to end (default 20 s); its exit code in $tmux_rc.
tmux_exited() {
	i=0
	n=$((${1:-20} * 10))
	while [ ! -s "$tmux_dir/rc" ]; do
		i=$((i + 1))
		[ $i -lt $n ] || fail "the command did not exit; the screen shows:
$(tmux_screen)"
		sleep 0.1
	done
	tmux_rc=$(cat "$tmux_dir/rc")
}

# tmux_restored: fail unless the command gave the terminal back as it found it: the same
# stty modes, the alternate screen left, the cursor visible, the keypad back in normal mode.
tmux_restored() {
	i=0
	while [ ! -s "$tmux_dir/stty.after" ] && [ $i -lt 50 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	[ "$(cat "$tmux_dir/stty.before")" = "$(cat "$tmux_dir/stty.after")" ] ||
		fail "terminal modes changed: before $(cat "$tmux_dir/stty.before"), after $(cat "$tmux_dir/stty.after")"
	st=$(tmux_cmd display-message -p -t ft '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag}')
	[ "$st" = "0 1 0" ] ||
		fail "terminal not restored (alternate screen, cursor shown, keypad cursor mode: '$st', expected '0 1 0')"
}

# tmux_stop: end the command if it still runs (SIGTERM, then up to 10 s for its cleanup, so
# that the next test finds tracefs free), the test's tmux server, and remove its files.
tmux_stop() {
	if [ -n "${tmux_pid:-}" ] && kill -TERM "$tmux_pid" 2>/dev/null; then
		i=0
		while kill -0 "$tmux_pid" 2>/dev/null && [ $i -lt 100 ]; do
			i=$((i + 1))
			sleep 0.1
		done
	fi
	tmux_cmd kill-server 2>/dev/null
	rm -rf "$tmux_dir"
}
