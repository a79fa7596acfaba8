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
# exec and exit events in its own instance, each with its own FTRIG_STATE_DIR, and bpftrace
# counting the same raw_syscalls event where bpftrace is installed.
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
	return $bad
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: sh tests/neighbour.sh start|stop DIR" >&2; exit 2 ;;
esac
