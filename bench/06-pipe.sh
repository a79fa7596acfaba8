#!/bin/sh
# 6. Streaming: the CPU time per event of `ftrig pipe` (--raw, --json and text) against
# `cat trace_pipe`, a splice() reader of trace_pipe_raw (bench/splice-read.c) and, in the VM
# where it can set up tracing, `trace-cmd stream`, all reading the same exact-count workload
# through the same kernel filter (bench/pipe.sh does one round); and how many of the events
# each delivered. Text readers lose events at the rates the host makes them (the kernel
# formats text slower than the workload calls): their count lines say so. The splice reader
# does no decoding (its CPU time is below the clock tick): it is there for its count, the
# lossless bound a raw reader can reach.
. "$(dirname "$0")/lib.sh"

B=$(cd "$FTRIG_HELPERS/../.." && pwd)
SPLICE=$B/bench/splice-read SIGDFL=$B/bench/sigdfl
if [ "$WHERE" = vm ]; then
	N=${BENCH_PIPE_N:-50000} REPS=${BENCH_PIPE_REPS:-3}
	export BENCH_SETTLE=${BENCH_SETTLE:-3} BENCH_STEP=${BENCH_STEP:-1.5}
else
	N=${BENCH_PIPE_N:-500000} REPS=${BENCH_PIPE_REPS:-3}
fi
say "pipe: $N getppid calls as fast as the workload makes them, $REPS rounds of every reader"
ftrig_missing pipe && { ftrig_unavailable "pipe cpu/event [$WHERE]" "$ftrig_why" "" ns; exit 0; }
for x in "$SPLICE" "$SIGDFL"; do
	[ -x "$x" ] || { peer_unavailable "pipe cpu/event [$WHERE]" "no $x (make bench builds it)"; exit 0; }
done
tc_off=
if [ "$WHERE" = vm ]; then
	need_peer trace-cmd trace-cmd && export BENCH_TRACE_CMD=1 || tc_off=$peer_why
else
	tc_off="trace-cmd cannot set up tracing on this host kernel; compared in the VM"
fi

# One round: bench/pipe.sh prints "bench-pipe: NAME DELIVERED LOST RATE CPU_MS NS/EV REPORTED".
r=1
while [ $r -le "$REPS" ]; do
	FTRIG_STATE_DIR= FTRIG="$FTRIG" WORKLOAD="$WORKLOAD" SPLICE="$SPLICE" SIGDFL="$SIGDFL" \
		sh "$(dirname "$0")/pipe.sh" "$N" 2>&1 >/dev/null | sed -n 's/^bench-pipe: //p' >"$btmp/round"
	while read -r name got lost rate cpu ns rep; do
		case $got in
		*[!0-9]* | '')
			say "$name $got $lost $rate $cpu $ns $rep" # pipe.sh's own diagnostics
			continue
			;;
		esac
		say "round $r: $name delivered $got, lost $lost (the kernel's count: $rep), cpu $cpu ms, $ns ns/event"
		v=$(echo "$name" | tr -c 'a-z0-9\n' _)
		# CPU per event of a round that delivered nothing means nothing.
		[ "$got" -gt 0 ] && eval "ns_$v=\"\${ns_$v:-} $ns\""
		eval "least_$v=\${least_$v:-$got}"
		eval "[ $got -lt \$least_$v ] && least_$v=$got"
	done <"$btmp/round"
	r=$((r + 1))
done

for t in ftrig_raw ftrig_json ftrig_text cat_trace_pipe splice_raw trace_cmd_stream; do
	eval "l=\${least_$t:-}"
	[ -n "$l" ] && count_line "pipe delivered, least of $REPS, $t [$WHERE]" "$N" "$l"
done

# vs NAME FTRIG_READER PEER_READER [PEER_MISSING_REASON]
vs() {
	eval "fc=\${ns_$2:-} pc=\${ns_$3:-}"
	peer_off=${4:-}
	compare "$1" ns/event "$fc" "$pc" "" ""
}
vs "pipe cpu/event [$WHERE] ftrig pipe --raw vs cat trace_pipe" ftrig_raw cat_trace_pipe
vs "pipe cpu/event [$WHERE] ftrig pipe (text) vs cat trace_pipe" ftrig_text cat_trace_pipe
# cat reads an instance the benchmark made; ftrig's figures include making its own (on 6.1,
# without eventfs, mkdir builds the instance's whole events/ tree): cat+instance adds what
# making, filtering, enabling and removing one costs, measured apart in each round.
vs "pipe cpu/event [$WHERE] ftrig pipe --raw vs cat trace_pipe with its instance's set-up" ftrig_raw cat_instance
vs "pipe cpu/event [$WHERE] ftrig pipe (text) vs cat trace_pipe with its instance's set-up" ftrig_text cat_instance
vs "pipe cpu/event [$WHERE] ftrig pipe --raw vs trace-cmd stream" ftrig_raw trace_cmd_stream "$tc_off"
exit 0
