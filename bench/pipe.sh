#!/bin/sh
# Streaming benchmark: the same exact-count workload (N getppid calls under a unique task
# name, as fast as it can) read by each tool in turn, each in its own instance with the same
# kernel filter. For each: events delivered, events lost (N - delivered: the workload's count
# is exact), the rate the workload produced them at, and the reader's CPU time per event,
# then ratios against ftrig pipe --raw.
#
# usage: FTRIG=... WORKLOAD=... SPLICE=... [SIGDFL=...] sh bench/pipe.sh [N]
#   tools: ftrig pipe --raw, --json and text, cat trace_pipe, a splice() reader of
#   trace_pipe_raw (bench/splice-read.c), and trace-cmd stream when BENCH_TRACE_CMD=1 (the
#   host kernel refuses trace-cmd's setup; bench/06-pipe.sh runs it in the VM, through
#   bench/sigdfl.c so that SIGINT, which background commands start with ignored, stops it).
#   BENCH_TOOLS picks some of: ftrig-raw ftrig-json ftrig-text cat splice trace-cmd.
# POSIX sh: it also runs under busybox ash in the VM.
set -u
N=${1:-2000000}
T=${FTRIG_TRACEFS:-/sys/kernel/tracing}
: "${FTRIG:?}" "${WORKLOAD:?}" "${SPLICE:?}"
comm=ftb$$
tmp=${TMPDIR:-/tmp}/ftrig-bench.$$
settle=${BENCH_SETTLE:-1}
step=${BENCH_STEP:-0.5}
hz=100
FTRIG_STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-bench-state.XXXXXX")
export FTRIG_STATE_DIR
ev=syscalls/sys_enter_getppid

uptime_cs() { sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1\2/' /proc/uptime; }

# peer_instance NAME: an instance with the event enabled under the same filter ftrig uses.
peer_instance() {
	mkdir "$T/instances/$1" || exit 1
	echo "COMM == \"$comm\"" >"$T/instances/$1/events/$ev/filter"
	echo 1 >"$T/instances/$1/events/$ev/enable"
}
# peer_entries NAME: the events still unread in an instance's buffer.
peer_entries() { cat "$T/instances/$1"/per_cpu/cpu*/stats | sed -n 's/^entries: //p' |
	{ s=0; while read -r v; do s=$((s + v)); done; echo $s; }; }
peer_lost() { cat "$T/instances/$1"/per_cpu/cpu*/stats | sed -n 's/^overrun: //p' |
	{ s=0; while read -r v; do s=$((s + v)); done; echo $s; }; }
# The top-level buffer's overruns (trace-cmd stream's): the VM has no other user of it.
top_lost() { cat "$T"/per_cpu/cpu*/stats | sed -n 's/^overrun: //p' |
	{ s=0; while read -r v; do s=$((s + v)); done; echo $s; }; }
# setup_ticks NAME: the CPU ticks of creating an instance, filtering and enabling the event,
# and removing it all, as peer_instance and peer_done do: what ftrig pays inside its own
# figures (its session instance) and cat's figures leave out. Sets $setup.
setup_ticks() {
	sh -c 'i=$0/instances/$1 e=$0/instances/$1/events/$2
		mkdir "$i" && echo "COMM == \"x\"" >"$e/filter" && echo 1 >"$e/enable" &&
		echo 0 >"$e/enable" && rmdir "$i"; cat /proc/$$/stat' "$T" "$1" "$ev" >"$tmp.setup"
	set -- $(sed 's/^.*) //' "$tmp.setup")
	setup=$((${12} + ${13} + ${14} + ${15}))
}
peer_done() {
	echo 0 >"$T/instances/$1/events/$ev/enable"
	rmdir "$T/instances/$1"
}

# measure NAME SIGNAL CMD...: run CMD (output to $tmp.out) while the workload runs; sets
# $cpu_ticks and $wl_cs (workload wall time in centiseconds).
measure() {
	name=$1 sig=$2
	shift 2
	rm -f "$tmp.out" "$tmp.pid" "$tmp.stat"
	sh -c '"$@" >"$0.out" 2>"$0.err" & echo $! >"$0.pid"; wait $!; cat /proc/$$/stat >"$0.stat"' \
		"$tmp" "$@" &
	wrap=$!
	while [ ! -s "$tmp.pid" ]; do sleep 0.1; done
	# Ready once the event is enabled in ftrig's instance; trace-cmd, once it says it records:
	# it enables the event at the top level seconds (under TCG) before it clears the buffer
	# and starts its readers, so events made in between would count as its losses. Then
	# $settle s more.
	en=
	[ "$name" = ftrig ] && en=$T/instances/ftrig-$(cat "$tmp.pid")/events/$ev/enable
	i=0
	while [ -n "$en" ] && [ "$(cat "$en" 2>/dev/null)" != 1 ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# Its "Hit Ctrl^C" line may go to either file: looked for in stderr only, the wait ran
	# to its 600 steps, 120 s and more a round under TCG.
	while [ "$name" = trace-cmd ] && ! grep -q 'Hit Ctrl^C' "$tmp.err" "$tmp.out" 2>/dev/null &&
		[ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep "$settle"
	t0=$(uptime_cs)
	"$WORKLOAD" --comm "$comm" --getppid "$N" >/dev/null
	wl_cs=$(($(uptime_cs) - t0))
	[ "$wl_cs" -gt 0 ] || wl_cs=1
	# Done when the output stops growing (a tool that prints nothing gets 10 s). trace-cmd
	# stream drops what its readers still hold when it is stopped, and under TCG it prints
	# in bursts seconds apart: it gets 4 steps without output, or all N events.
	last=-1 same=0 patience=1
	[ "$name" = trace-cmd ] && patience=4
	i=0
	while :; do
		sleep "$step"
		i=$((i + 1))
		size=$(wc -c <"$tmp.out" 2>/dev/null || echo 0)
		# A reader that writes nothing (the splice reader) is done once what its instance
		# holds stops changing: splice moves only whole pages, the last partial one stays
		# until the stop. Waiting 20 steps for output cost 25 s a round under TCG.
		[ -n "${drain_inst:-}" ] && size=$(peer_entries "$drain_inst")
		if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; fi
		[ $same -ge $patience ] && { [ -n "${drain_inst:-}" ] || [ "$size" -gt 0 ] || [ $i -ge 20 ]; } && break
		c=$(count_lines getppid)
		[ $patience -gt 1 ] && [ "${c:-0}" -ge "$N" ] && break
		last=$size
	done
	# The kernel's overrun count of the top-level buffer while trace-cmd still runs (it
	# resets the buffer, and the count, when it ends).
	[ "$name" = trace-cmd ] && top_after=$(top_lost)
	kill -s "$sig" "$(cat "$tmp.pid")" 2>/dev/null
	# A tool that ignores the signal gets SIGKILL after 20 s.
	i=0
	while kill -0 "$(cat "$tmp.pid")" 2>/dev/null && [ $i -lt 40 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	# A killed ftrig leaves its instance behind: its journal (this run's state dir) lets
	# cleanup --stale take it away before the state dir goes.
	killed=
	kill -s KILL "$(cat "$tmp.pid")" 2>/dev/null && killed=1
	wait "$wrap"
	if [ -n "$killed" ]; then
		say "pipe: $name ignored $sig for 20 s: killed"
		case $name in ftrig*) "$FTRIG" cleanup --stale >/dev/null 2>&1 ;; esac
	fi
	set -- $(sed 's/^.*) //' "$tmp.stat")
	# fields 16 and 17 of /proc/PID/stat (cutime, cstime); 14 and 15 after "pid (comm) "
	cpu_ticks=$((${14} + ${15})) user_ticks=${14} sys_ticks=${15}
}

results=
# report NAME DELIVERED [LOST_REPORTED]
report() {
	lost=$((N - $2))
	rate=$((N * 100 / wl_cs))
	nspe=$((cpu_ticks * (1000000000 / hz) / ($2 > 0 ? $2 : 1)))
	line="$1 $2 $lost $rate $((cpu_ticks * 1000 / hz)) $nspe ${3:--}"
	results="$results$line
"
	echo "bench-pipe: $line" >&2
	echo "bench-pipe: $1 cpu: user $user_ticks sys $sys_ticks ticks" >&2
}

count_lines() { grep -c "$1" "$tmp.out" 2>/dev/null; }
ftrig_lost() { sed -n -e 's/.*none lost$/0/p' -e 's/.* \([0-9]*\) lost in.*/\1/p' "$tmp.err"; }

run_ftrig_raw() {
	measure ftrig INT "$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm" --raw
	report ftrig-raw "$(count_lines getppid)" "$(ftrig_lost)"
}
run_ftrig_json() {
	measure ftrig INT "$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm" --json
	report ftrig-json "$(count_lines getppid)" "$(ftrig_lost)"
}
run_ftrig_text() {
	measure ftrig INT "$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm"
	report ftrig-text "$(count_lines getppid)" "$(ftrig_lost)"
}
run_cat() {
	peer_instance "ftbench-cat-$$"
	measure "cat" TERM cat "$T/instances/ftbench-cat-$$/trace_pipe"
	got=$(count_lines getppid) cl=$(peer_lost "ftbench-cat-$$")
	report cat-trace_pipe "$got" "$cl"
	peer_done "ftbench-cat-$$"
	# cat with the set-up it needs (ftrig's figures have its own inside).
	setup_ticks "ftbench-setup-$$"
	cpu_ticks=$((cpu_ticks + setup)) user_ticks="?" sys_ticks="? (set-up $setup)"
	report cat+instance "$got" "$cl"
}
run_splice() {
	peer_instance "ftbench-splice-$$"
	drain_inst=ftbench-splice-$$
	measure "splice" TERM "$SPLICE" "$T/instances/ftbench-splice-$$"
	drain_inst=
	lost=$(peer_lost "ftbench-splice-$$")
	report splice-raw $((N - lost)) "$lost"
	peer_done "ftbench-splice-$$"
}
run_trace_cmd() {
	[ "${BENCH_TRACE_CMD:-0}" = 1 ] || return 0
	# stdbuf: trace-cmd's stdout to a file is block-buffered, and what it printed must be
	# counted even if it has to be killed. -b: trace-cmd streams from the top-level buffer,
	# whose size is whatever the last writer of buffer_size_kb left (on the VM's 6.1, resizing
	# an instance had left it at 7 KiB, and trace-cmd delivered nothing); 1410 KiB per CPU is
	# the kernel's default.
	o0=$(top_lost)
	measure "trace-cmd" INT "$SIGDFL" stdbuf -oL trace-cmd stream -b 1410 \
		-e syscalls:sys_enter_getppid -f "COMM == \"$comm\""
	got=$(count_lines getppid)
	[ "$got" -gt 0 ] || echo "bench-pipe: trace-cmd stream printed: $(head -c 600 "$tmp.err") $(head -c 300 "$tmp.out")" >&2
	# What the kernel overwrote while trace-cmd read (its own loss, as "reported"); clearing
	# the buffer at its start, as trace-cmd does, may zero the count.
	o1=$top_after
	[ "$o1" -ge "$o0" ] && o1=$((o1 - o0))
	report trace-cmd-stream "$got" "$o1"
}

# The readers in the order BENCH_TOOLS names them (06-pipe.sh starts each round one reader
# later, so that drift over a round hits every reader alike). Each one's wall time is said:
# the VM's minutes are few (issue #21).
for t in ${BENCH_TOOLS:-ftrig-raw ftrig-json ftrig-text cat splice trace-cmd}; do
	tw=$(uptime_cs)
	case $t in
	ftrig-raw) run_ftrig_raw ;;
	ftrig-json) run_ftrig_json ;;
	ftrig-text) run_ftrig_text ;;
	cat) run_cat ;;
	splice) run_splice ;;
	trace-cmd) run_trace_cmd ;;
	*) echo "bench-pipe: unknown reader $t" >&2 ;;
	esac
	echo "bench-pipe: $t wall: $((($(uptime_cs) - tw) / 100)) s" >&2
done
rm -rf "$FTRIG_STATE_DIR" "$tmp".*

# The table, with ratios against ftrig pipe --raw.
echo "$results" | awk -v n="$N" '
NF == 7 { name[++k] = $1; got[k] = $2; lost[k] = $3; rate[k] = $4; cpu[k] = $5; ns[k] = $6; rep[k] = $7
	if ($1 == "ftrig-raw") ref = ns[k] }
END {
	printf "workload: %d getppid calls, one process, as fast as it can\n", n
	printf "%-18s %10s %9s %12s %9s %10s %8s %9s %9s\n", "reader", "delivered", "lost",
		"events/s", "cpu ms", "cpu ns/ev", "reported", "lossless", "cpu/ev x"
	for (i = 1; i <= k; i++)
		printf "%-18s %10d %9d %12d %9d %10d %8s %9s %9.2f\n", name[i], got[i], lost[i],
			rate[i], cpu[i], ns[i], rep[i], (lost[i] == 0 ? "yes" : "NO"),
			(ref > 0 ? ns[i] / ref : 0)
	print "events/s: the rate the workload made events at; lossless: all of them delivered"
	print "at that rate; cpu/ev x: CPU time per event relative to ftrig-raw (lower is better)"
}'
