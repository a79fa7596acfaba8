#!/bin/sh
# A neighbour for a test tier: other tracing sessions on the same kernel while the tests run,
# so no test can pass only because it owns the kernel. run-tests.sh starts it before the first
# script and stops it after the last.
#
# usage: sh tests/neighbour.sh start DIR    start the sessions; DIR holds their state and logs
#        sh tests/neighbour.sh stop DIR     stop them; exit 1 (saying why) unless each was still
#                                           running, stopped cleanly and left nothing behind
#
# The sessions: the default `ftrig top` in batch mode (raw_syscalls per process: BPF on a kernel
# without hist triggers, a hist trigger in its own instance elsewhere), `ftrig pipe` of process
# exec and exit events in its own instance, each with its own FTRIG_STATE_DIR, bpftrace
# counting the same raw_syscalls event where bpftrace is installed, and, where ftrig has BPF,
# a pin churn: a persistent BPF aggregation (`hist start --backend bpf --name`) pinned under
# /sys/fs/bpf/ftrig and removed again every second, with a state dir of its own, so that no
# test may take the pins (or the instances) of the whole machine for its own.
set -u
: "${FTRIG:?FTRIG must name the ftrig binary}"
T=${FTRIG_TRACEFS:-/sys/kernel/tracing}
cmd=${1:?start or stop}
dir=${2:?a folder for the neighbour}

start() {
	mkdir -p "$dir/state" || exit 1
	FTRIG_STATE_DIR=$dir/state "$FTRIG" top -b -d 1 -n 100000 >"$dir/top.out" 2>&1 &
	echo $! >"$dir/top.pid"
	FTRIG_STATE_DIR=$dir/state "$FTRIG" pipe sched:sched_process_exec sched:sched_process_exit \
		>/dev/null 2>"$dir/pipe.err" &
	echo $! >"$dir/pipe.pid"
	# info journals the probe it tries: in a state dir of its own too, never the machine's
	if FTRIG_STATE_DIR=$dir/state "$FTRIG" info --require bpf >/dev/null 2>&1; then
		mkdir -p "$dir/pinstate" || exit 1
		# no digits: tests match their pins by their $$
		echo "nbpin_$(echo $$ | tr 0-9 a-j)" >"$dir/pins.name"
		FTRIG_STATE_DIR=$dir/pinstate churn "$(cat "$dir/pins.name")" >"$dir/pins.log" 2>&1 &
		echo $! >"$dir/pins.pid"
	fi
	if command -v bpftrace >/dev/null 2>&1; then
		bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }' \
			>"$dir/bpftrace.out" 2>&1 &
		echo $! >"$dir/bpftrace.pid"
	fi
	# Each session is attached before the first test starts.
	i=0
	until grep -q '^common_pid' "$dir/top.out" 2>/dev/null &&
		ls "$T/instances" 2>/dev/null | grep -qx "ftrig-$(cat "$dir/pipe.pid")"; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "neighbour: not running after 30 s: $(cat "$dir/top.out" "$dir/pipe.err")"
			return 1
		fi
		sleep 0.1
	done
	i=0
	while [ -f "$dir/pins.pid" ] && ! grep -q '^pinned' "$dir/pins.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "neighbour: the pin churn pinned nothing in 30 s: $(cat "$dir/pins.log")"
			return 1
		fi
		sleep 0.1
	done
}

# churn NAME: pin NAME, unpin it, pin it again, ... (a cheap aggregation: the rare getppid per
# process) until SIGTERM, which it takes between two commands, never inside one. Any failure
# ends it, which stop then reports as a session that died.
churn() {
	ch_stop=0
	trap 'ch_stop=1' TERM
	while [ $ch_stop = 0 ]; do
		"$FTRIG" hist start syscalls:sys_enter_getppid --key common_pid --backend bpf \
			--name "$1" || { echo "hist start $1 failed"; exit 1; }
		echo "pinned $1"
		sleep 0.5
		"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$1" || { echo "hist rm $1 failed"; exit 1; }
		sleep 0.5
	done
	exit 0
}

# stop_one NAME: SIGTERM the session, which must still be running, and expect exit 0.
stop_one() {
	pid=$(cat "$dir/$1.pid")
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "neighbour: $1 died during the tier: $(tail -n 5 "$dir/$1".* 2>/dev/null)"
		bad=1
		return
	fi
	kill -TERM "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "neighbour: $1 ignored SIGTERM for 10 s"; kill -9 "$pid"; bad=1; return; }
		sleep 0.1
	done
}

# stop_bpftrace PID: bpftrace 0.17 loses a SIGTERM that comes while it is still starting (a
# short test run stops the neighbour that early), and then counts on, orphaned, for good:
# send it again every second, SIGKILL after 10 s.
stop_bpftrace() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		[ $((i % 10)) = 0 ] && kill -TERM "$1" 2>/dev/null
		[ $i = 100 ] && kill -KILL "$1" 2>/dev/null
		i=$((i + 1))
		sleep 0.1
	done
}

stop() {
	bad=0
	stop_one top
	stop_one pipe
	[ ! -f "$dir/pins.pid" ] || stop_one pins
	wait 2>/dev/null
	[ ! -f "$dir/bpftrace.pid" ] || stop_bpftrace "$(cat "$dir/bpftrace.pid")"
	for p in top pipe; do
		if ls "$T/instances" 2>/dev/null | grep -qx "ftrig-$(cat "$dir/$p.pid")"; then
			echo "neighbour: $p left its instance behind"
			bad=1
		fi
	done
	left=$(ls "$dir/state")
	[ -z "$left" ] || { echo "neighbour: journals left: $left"; bad=1; }
	if [ -f "$dir/pins.pid" ]; then
		! [ -e "/sys/fs/bpf/ftrig/$(cat "$dir/pins.name")" ] ||
			{ echo "neighbour: the pin churn left its pin $(cat "$dir/pins.name")"; bad=1; }
		# hist rm retires the record and keeps the journal: no record may be live
		left=$(cat "$dir/pinstate"/* 2>/dev/null | awk -F '\t' '$1 == "+" { l[$2] = $0 }
			$1 == "-" { delete l[$2] } END { for (s in l) print l[s] }')
		[ -z "$left" ] || { echo "neighbour: the pin churn left journaled: $left"; bad=1; }
		grep -q '^pinned' "$dir/pins.log" || { echo "neighbour: the pin churn never pinned"; bad=1; }
	fi
	return $bad
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: sh tests/neighbour.sh start|stop DIR" >&2; exit 2 ;;
esac
