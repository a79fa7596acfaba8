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
	N=${BENCH_PIPE_N:-50000} REPS=${BENCH_PIPE_REPS:-5}
	N_TC=${BENCH_PIPE_N_TC:-10000} REPS_TC=${BENCH_PIPE_REPS_TC:-2}
	ONCE=${BENCH_PIPE_ONCE-ftrig-json splice}
	export BENCH_SETTLE=${BENCH_SETTLE:-1} BENCH_STEP=${BENCH_STEP:-1}
else
	N=${BENCH_PIPE_N:-500000} REPS=${BENCH_PIPE_REPS:-5}
	N_TC=0 REPS_TC=0
	ONCE=${BENCH_PIPE_ONCE-}
fi
say "pipe: $N getppid calls as fast as the workload makes them, $REPS rounds${ONCE:+ (${ONCE} in the first only)}"
ftrig_missing pipe && { ftrig_unavailable "pipe cpu/event [$WHERE]" "$ftrig_why" "" ns; exit 0; }
for x in "$SPLICE" "$SIGDFL"; do
	[ -x "$x" ] || { peer_unavailable "pipe cpu/event [$WHERE]" "no $x (make bench builds it)"; exit 0; }
done
tc_off=
if [ "$WHERE" = vm ]; then
	need_peer trace-cmd trace-cmd && export BENCH_TRACE_CMD=1 || tc_off=$peer_why
	[ -n "$tc_off" ] || say "pipe: trace-cmd stream against ftrig pipe --raw in rounds of their own, $N_TC calls, in the first $REPS_TC rounds"
else
	tc_off="trace-cmd cannot set up tracing on this host kernel; compared in the VM"
fi

# The readers of every round, and those of the first round only (BENCH_PIPE_ONCE): in the VM,
# where every reader is lossless at this rate, --json and the splice reader have no comparison
# line and are there for their counts, which one round gives.
every='' once=''
for t in ftrig-raw ftrig-json ftrig-text cat splice; do
	case " $ONCE " in *" $t "*) once="$once $t" ;; *) every="$every $t" ;; esac
done

# one_round TOOLS N SUFFIX: bench/pipe.sh once, which prints "bench-pipe: NAME DELIVERED LOST
# RATE CPU_MS NS/EV REPORTED"; each reader's figure is kept per round (keep) as NAME+SUFFIX, so
# that the ratios are those of single rounds. Each round starts one reader later than the one
# before (01's interleaving).
one_round() {
	tr0=$(cut -d . -f 1 /proc/uptime)
	FTRIG_STATE_DIR= FTRIG="$FTRIG" WORKLOAD="$WORKLOAD" SPLICE="$SPLICE" SIGDFL="$SIGDFL" \
		BENCH_TOOLS="$1" sh "$(dirname "$0")/pipe.sh" "$2" 2>&1 >/dev/null |
		sed -n 's/^bench-pipe: //p' >"$btmp/round"
	while read -r name got lost rate cpu ns rep; do
		case $got in
		*[!0-9]* | '')
			say "round $r: $(echo $name $got $lost $rate $cpu $ns $rep)" # pipe.sh's own diagnostics
			continue
			;;
		esac
		say "round $r: $name delivered $got of $2, lost $lost (the kernel's count: $rep), cpu $cpu ms, $ns ns/event"
		v=$(echo "$name" | tr -c 'a-z0-9\n' _)$3
		# CPU per event of a round that delivered nothing means nothing.
		[ "$got" -gt 0 ] && keep "$v" $r "$ns"
		eval "least_$v=\${least_$v:-$got} rounds_$v=\$((\${rounds_$v:-0} + 1)) n_$v=$2"
		eval "[ $got -lt \$least_$v ] && least_$v=$got"
	done <"$btmp/round"
	say "pipe: round $r ($1, $2 events) took $(($(cut -d . -f 1 /proc/uptime) - tr0)) s"
}

r=1
while [ $r -le "$REPS" ]; do
	set -- $every
	k=1
	while [ $k -lt $r ] && [ $# -gt 1 ]; do
		x=$1 && shift && set -- "$@" "$x"
		k=$((k + 1))
	done
	tools="$*"
	[ $r = 1 ] && tools="$tools $once"
	one_round "$tools" "$N" ""
	# trace-cmd stream, in the VM: under TCG it takes 200 s and more for 50,000 events (about
	# 10 times ftrig's CPU per event), so it is compared in rounds of its own, of N_TC events,
	# with ftrig pipe --raw on the same number (they take turns first).
	if [ -n "${BENCH_TRACE_CMD:-}" ] && [ $r -le "$REPS_TC" ]; then
		if [ $((r % 2)) = 1 ]; then pair="ftrig-raw trace-cmd"; else pair="trace-cmd ftrig-raw"; fi
		one_round "$pair" "$N_TC" _tc
	fi
	r=$((r + 1))
done

for t in ftrig_raw ftrig_json ftrig_text cat_trace_pipe splice_raw trace_cmd_stream_tc; do
	eval "l=\${least_$t:-} k=\${rounds_$t:-0} n=\${n_$t:-}"
	[ -n "$l" ] && count_line "pipe delivered, least of $k, ${t%_tc} [$WHERE]" "$n" "$l"
done

# vs NAME FTRIG_READER PEER_READER [PEER_MISSING_REASON]: the ratio is the median of the
# rounds' (peer / ftrig in the same round), with the spread of them.
vs() {
	eval "fc=\${v_$2:-} pc=\${v_$3:-}"
	peer_off=${4:-}
	compare "$1" ns/event "$fc" "$pc" "" "" "$(rep_ratios "$3" "$2" "$REPS")"
}
vs "pipe cpu/event [$WHERE] ftrig pipe --raw vs cat trace_pipe" ftrig_raw cat_trace_pipe
vs "pipe cpu/event [$WHERE] ftrig pipe (text) vs cat trace_pipe" ftrig_text cat_trace_pipe
# cat reads an instance the benchmark made; ftrig's figures include making its own (on 6.1,
# without eventfs, mkdir builds the instance's whole events/ tree): cat+instance adds what
# making, filtering, enabling and removing one costs, measured apart in each round.
vs "pipe cpu/event [$WHERE] ftrig pipe --raw vs cat trace_pipe with its instance's set-up" ftrig_raw cat_instance
vs "pipe cpu/event [$WHERE] ftrig pipe (text) vs cat trace_pipe with its instance's set-up" ftrig_text cat_instance
vs "pipe cpu/event [$WHERE] ftrig pipe --raw vs trace-cmd stream" ftrig_raw_tc trace_cmd_stream_tc "$tc_off"
exit 0
