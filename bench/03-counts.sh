#!/bin/sh
# 3. Exactness: the count every tool reports vs the workload's exact count.
#
# The workload makes N getppid calls under its own name; right after it, a second process with
# a similar name (same prefix) makes M calls that must not be counted for the first. Every tool
# runs once with the same workload: ftrig hist (each backend this kernel has), ftrig pipe,
# bpftrace, trace-cmd, and raw tracefs writes (a hist trigger where the kernel has them, an
# instance buffer with a comm filter where it does not).
. "$(dirname "$0")/lib.sh"

if [ "$WHERE" = vm ]; then N=${BENCH_N:-20000}; else N=${BENCH_N:-100000}; fi
M=$((N / 10))
say "counts: $N getppid calls by the counted process, $M by a neighbour, $PINNING"
pfx=cn$$

# stream_start: ftrig pipe on every process named $pfx*, in the background.
pipe_pid=
pipe_start() {
	: >"$btmp/pipe.out"
	$TOOL_PIN "$FTRIG" pipe "$EVENT" --comm "$pfx*" --buffer-size 8192 >"$btmp/pipe.out" \
		2>"$btmp/pipe.err" &
	pipe_pid=$!
	# The pipe says nothing when it is ready: a primer process (a third name) calls getppid
	# until its event comes through.
	i=0
	while ! grep -q "${pfx}p-[0-9]" "$btmp/pipe.out"; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$pipe_pid" 2>/dev/null; then
			tool_err="ftrig pipe showed no event within 30 s: $(tail -n 1 "$btmp/pipe.err")"
			pipe_stop
			return 1
		fi
		"$WORKLOAD" --comm "${pfx}p" --getppid 1 >/dev/null
		sleep 0.1
	done
}
pipe_stop() {
	[ -n "$pipe_pid" ] || return 0
	stop_bg "$pipe_pid"
	pipe_pid=
}
# The events are streamed: stop (the pipe drains what is left), then count our lines.
pipe_count() {
	sleep 1
	pipe_stop
	got=$(grep -c "${1}-[0-9]" "$btmp/pipe.out")
}
on_exit pipe_stop

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
if need_peer bpftrace bpftrace; then tools="$tools bpftrace"; else peer_unavailable "count bpftrace [$WHERE]" "$peer_why"; fi
if need_peer trace-cmd trace-cmd; then tools="$tools tc"; else peer_unavailable "count trace-cmd [$WHERE]" "$peer_why"; fi
tools="$tools raw"

for t in $tools; do
	got= tool_err=
	case $t in
	ftrig_*) ftrig_backend=${t#ftrig_} st=ftrig_start ct=ftrig_count label="ftrig hist ${t#ftrig_}" ;;
	pipe) st=pipe_start ct=pipe_count label="ftrig pipe" ;;
	bpftrace) st=bpftrace_start ct=bpftrace_count label="bpftrace @[comm]=count()" ;;
	tc) st=tc_start ct=tc_count label="trace-cmd start/show" ;;
	raw) st=raw_start ct=raw_count label="raw tracefs $(has_hist && echo hist trigger || echo buffer)" ;;
	esac
	# trace-cmd and the raw buffer filter by comm in the kernel: give them the counted name.
	if ! $st "${pfx}a"; then
		echo "count $label [$WHERE]: failed to start ($tool_err)"
		continue
	fi
	$LOAD_PIN "$WORKLOAD" --comm "${pfx}a" --getppid "$N" >/dev/null
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
