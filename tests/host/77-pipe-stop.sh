# ftrig pipe stops under a sustained event rate, in text, raw and JSON mode, on --duration,
# SIGINT, SIGTERM and SIGHUP, also when nobody reads its output (CMD-1: the text mode's last
# read never ended while the events still recorded). It must end within a generous bound (no
# timing is asserted beyond "it ended"), exit 0, remove its instance, leave the top-level
# enable as it was and leave no journal. A count limit still writes every event to a slow
# reader.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

EV=raw_syscalls/sys_enter
[ -f "$T/events/$EV/enable" ] || EV=syscalls/sys_enter_getppid
W=$FTRIG_HELPERS/workload
tmp=${TMPDIR:-/tmp}/ftrig-pstop.$$
BOUND=100 # tenths of a second a stop may take before the test calls it hung (10 s)
[ "$FTRIG_TIER" != vm ] || BOUND=300 # TCG: startup alone takes seconds
top_before=$(cat "$T/events/$EV/enable")
wl=
reader=

cleanup() {
	[ -z "$wl" ] || kill "$wl" 2>/dev/null
	[ -z "$reader" ] || kill "$reader" 2>/dev/null
	"$FTRIG" cleanup --stale >/dev/null 2>&1
	rm -rf "$tmp".* "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# A sustained rate on the event, whatever else runs: getppid in a loop until killed.
"$W" --getppid 2000000000 >/dev/null 2>&1 &
wl=$!

# started PID: wait until the pipe's instance exists and it has written or blocked.
started() {
	i=0
	until [ -d "$T/instances/ftrig-$1" ]; do
		kill -0 "$1" 2>/dev/null || fail "pipe $1 ended before it started: $(cat "$tmp.err")"
		i=$((i + 1))
		[ $i -lt 300 ] || fail "pipe $1 has no instance after 30 s"
		sleep 0.1
	done
	sleep 1 # events are flowing: the stop comes under the sustained rate
}

# ended PID WHAT: the pipe must end within the bound, with exit 0, and leave nothing.
ended() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge $BOUND ]; then
			kill -KILL "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			fail "$2: still running $((BOUND / 10)) s after the stop (killed it)"
		fi
		sleep 0.1
	done
	wait "$1"
	rc=$?
	# exit 0; or 1 when the stop came while pipe was still setting up (slow under TCG): it
	# then makes nothing more and removes what it made (SEC-10), checked below all the same
	[ $rc = 0 ] || { [ $rc = 1 ] && grep -q "stopped by SIG" "$tmp.err"; } ||
		fail "$2: exited $rc: $(cat "$tmp.err")"
	[ ! -d "$T/instances/ftrig-$1" ] || fail "$2: its instance ftrig-$1 is left"
	[ "$(cat "$T/events/$EV/enable")" = "$top_before" ] ||
		fail "$2: the top-level $EV/enable changed"
	state_empty
}

for mode in text raw json; do
	flag=
	[ $mode = text ] || flag=--$mode
	# --duration: the run stops by itself.
	"$FTRIG" pipe ${EV%/*}:${EV#*/} $flag --duration 2 -o "$tmp.out" 2>"$tmp.err" &
	p=$!
	ended $p "$mode --duration"
	[ -s "$tmp.out" ] || fail "$mode --duration: no events written"
	for sig in INT TERM HUP; do
		"$FTRIG" pipe ${EV%/*}:${EV#*/} $flag -o "$tmp.out" 2>"$tmp.err" &
		p=$!
		started $p
		kill -$sig $p
		ended $p "$mode SIG$sig"
	done
	# A count limit is not a stop: a slow reader still gets every event.
	n=$("$FTRIG" pipe ${EV%/*}:${EV#*/} $flag --count 20000 2>"$tmp.err" | (sleep 2; wc -l))
	[ "$n" -ge 20000 ] || fail "$mode --count 20000 into a slow reader: $n lines: $(cat "$tmp.err")"
	# Nobody reads the output: the pipe blocks in write(), and must still stop.
	for how in TERM duration; do
		rm -f "$tmp.fifo"
		mkfifo "$tmp.fifo" || fail "mkfifo"
		sleep 600 <"$tmp.fifo" &
		reader=$!
		if [ $how = duration ]; then
			"$FTRIG" pipe ${EV%/*}:${EV#*/} $flag --duration 2 >"$tmp.fifo" 2>"$tmp.err" &
			p=$!
		else
			"$FTRIG" pipe ${EV%/*}:${EV#*/} $flag >"$tmp.fifo" 2>"$tmp.err" &
			p=$!
			started $p
			kill -TERM $p
		fi
		ended $p "$mode, output blocked, $how"
		kill $reader 2>/dev/null
		wait $reader 2>/dev/null
		reader=
	done
done
exit 0
