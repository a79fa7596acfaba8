#!/bin/sh
# 3. Exactness: the count every tool reports vs the workload's exact count.
#
# The workload makes N getppid calls under its own name; right after it, a second process with
# a similar name (same prefix) makes M calls that must not be counted for the first. Every tool
# runs once with the same workload: ftrig hist and ftrig top -b (each backend this kernel has),
# ftrig pipe, bpftrace, trace-cmd, and raw tracefs writes (a hist trigger where the kernel has them, an
# instance buffer with a comm filter where it does not).
. "$(dirname "$0")/lib.sh"

if [ "$WHERE" = vm ]; then N=${BENCH_N:-20000}; else N=${BENCH_N:-100000}; fi
M=$((N / 10))
say "counts: $N getppid calls by the counted process, $M by a neighbour, $PINNING"
pfx=cn$$

# prime NAME OUT PID PATTERN COMM: streaming tools do not say when they are attached, so a
# primer process named COMM calls getppid until OUT matches PATTERN. 1 (and $tool_err) after
# 30 s or when the tool PID has died.
prime() {
	primed=0
	while ! grep -q "$4" "$2"; do
		if [ $primed -ge 300 ] || ! kill -0 "$3" 2>/dev/null; then
			tool_err="$1 showed nothing within 30 s: $(tail -n 1 "$2.err")"
			return 1
		fi
		"$WORKLOAD" --comm "$5" --getppid 1 >/dev/null
		primed=$((primed + 1))
		sleep 0.1
	done
}

# stream_start NAME OUT PATTERN PRIMER CMD...: CMD in the background (one at a time), its output
# in OUT, primed until OUT matches PATTERN.
stream_pid=
stream_start() {
	sn=$1 so=$2 sp=$3 sc=$4
	shift 4
	: >"$so"
	$TOOL_PIN "$@" >"$so" 2>"$so.err" &
	stream_pid=$!
	prime "$sn" "$so" "$stream_pid" "$sp" "$sc" || { stream_stop; return 1; }
}
stream_stop() {
	[ -n "$stream_pid" ] || return 0
	stop_bg "$stream_pid"
	stream_pid=
}
on_exit stream_stop

# pipe_start COMM: ftrig pipe on the processes named COMM, in the background. The text lines
# name the task from the kernel's pid->comm cache at read time (saved_cmdlines), which is often
# stale (`<...>`, or another name), so they are counted by the pid they show, which comes from
# the event itself; the primer has the counted name too, and a pid of its own.
pipe_start() {
	stream_start "ftrig pipe" "$btmp/pipe.out" sys_getppid "$1" \
		"$FTRIG" pipe "$EVENT" --comm "$1" --buffer-size 8192
}
# The events are streamed: stop (the pipe drains what is left), then count our lines.
pipe_count() {
	sleep 1
	stream_stop
	got=$(grep -c -- "-$wpid *\[[0-9]*\] .*sys_getppid" "$btmp/pipe.out")
}

# top_start: ftrig top -b, a table every 0.5 s; rows are "COMM [PID] COUNT LAST RATE".
top_start() {
	stream_start "ftrig top -b" "$btmp/top.out" "^${pfx}p " "${pfx}p" \
		"$FTRIG" top "$EVENT" --key common_pid.execname --backend "$ftrig_backend" -b -d 0.5
}
# The count column of our row in the last table, printed after the workload ended.
top_count() {
	sleep 1.5
	stream_stop
	got=$(awk -v c="$1" '$1 == c { n = $3 } END { print n }' "$btmp/top.out")
}

tools=
backends=bpf
has_hist && backends="hist bpf"
if ftrig_missing hist; then
	echo "count ftrig hist [$WHERE]: ftrig unavailable ($ftrig_why)"
else
	for b in $backends; do tools="$tools ftrig_$b"; done
fi
if ftrig_missing pipe; then
	echo "count ftrig pipe [$WHERE]: ftrig unavailable ($ftrig_why)"
else
	tools="$tools pipe"
fi
if ftrig_missing top; then
	echo "count ftrig top -b [$WHERE]: ftrig unavailable ($ftrig_why)"
else
	for b in $backends; do tools="$tools top_$b"; done
fi
if need_peer bpftrace bpftrace; then tools="$tools bpftrace"; else peer_unavailable "count bpftrace [$WHERE]" "$peer_why"; fi
if need_peer trace-cmd trace-cmd; then tools="$tools tc"; else peer_unavailable "count trace-cmd [$WHERE]" "$peer_why"; fi
tools="$tools raw"

for t in $tools; do
	got= tool_err=
	case $t in
	ftrig_*) ftrig_backend=${t#ftrig_} st=ftrig_start ct=ftrig_count label="ftrig hist ${t#ftrig_}" ;;
	pipe) st=pipe_start ct=pipe_count label="ftrig pipe" ;;
	top_*) ftrig_backend=${t#top_} st=top_start ct=top_count label="ftrig top -b ${t#top_}" ;;
	bpftrace) st=bpftrace_start ct=bpftrace_count label="bpftrace @[comm]=count()" ;;
	tc) st=tc_start ct=tc_count label="trace-cmd start/show" ;;
	raw) st=raw_start ct=raw_count label="raw tracefs $(has_hist && echo hist trigger || echo buffer)" ;;
	esac
	# trace-cmd and the raw buffer filter by comm in the kernel: give them the counted name.
	if ! $st "${pfx}a"; then
		echo "count $label [$WHERE]: failed to start ($tool_err)"
		continue
	fi
	$LOAD_PIN "$WORKLOAD" --comm "${pfx}a" --getppid "$N" >"$btmp/load.out"
	wpid=$(sed -n 's/^pid //p' "$btmp/load.out")
	$LOAD_PIN "$WORKLOAD" --comm "${pfx}b" --getppid "$M" >/dev/null
	$ct "${pfx}a"
	case $t in
	ftrig_*) ftrig_stop ;;
	tc) tc_stop ;;
	raw) raw_stop ;;
	esac
	count_line "$label [$WHERE]" "$N" "$got"
done
exit 0
