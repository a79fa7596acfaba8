#!/bin/sh
# 1. Per-event overhead of counting getppid calls by process, in ns added per call.
#
# The workload makes N getppid calls and measures the CPU time of its loop (user + system: the
# tracer's programs run in the traced calls, and other load on a shared machine does not
# inflate it as it inflates wall time). Each repetition
# runs, for every tool, an untraced run and then a traced one right after it (interleaved, so
# drift on the shared machine hits both alike): added cost = (traced - untraced) / N. Each
# traced run's count must equal N; a wrong count is reported in the counts table.
# Tools: ftrig hist with each backend this kernel has (bpf on the host; hist and bpf in the VM),
# bpftrace `@[comm] = count()`, and in the VM a raw hist trigger written with echo.
. "$(dirname "$0")/lib.sh"

if [ "$WHERE" = vm ]; then N=${BENCH_N:-100000}; else N=${BENCH_N:-500000}; fi
say "overhead: $N getppid calls per run, $BENCH_REPS repetitions, $PINNING"

# The tools measured here; a missing one is reported, never silently left out.
tools=
backends=bpf
has_hist && backends="hist bpf"
if ftrig_missing hist; then
	ftrig_off=$ftrig_why
else
	ftrig_off=
	for b in $backends; do tools="$tools ftrig_$b"; done
fi
if need_peer bpftrace bpftrace; then tools="$tools bpftrace"; else bt_off=$peer_why; fi
has_hist && tools="$tools raw"

# measure TOOL REP: one untraced and one traced run; appends the added ns/call to cost_TOOL.
measure() {
	comm=ov$$r$2
	base=$(run_load "$comm" "$N" "$btmp/load.base") || return 1
	case $1 in
	ftrig_*) ftrig_backend=${1#ftrig_} st=ftrig_start ct=ftrig_count sp=ftrig_stop ;;
	bpftrace) st=bpftrace_start ct=bpftrace_count sp=bpftrace_stop ;;
	raw) st=raw_start ct=raw_count sp=raw_stop ;;
	esac
	if ! $st "$comm"; then
		eval "err_$1=\$tool_err"
		return 1
	fi
	traced=$(run_load "$comm" "$N" "$btmp/load.traced")
	$ct "$comm"
	$sp
	[ "$got" = "$N" ] || eval "wrong_$1=\${got:-none}"
	add=$(awk -v t="$traced" -v b="$base" -v n="$N" 'BEGIN { printf "%.1f\n", (t - b) / n }')
	eval "cost_$1=\"\$cost_$1 $add\" base_all=\"\$base_all $base\""
}

r=1
while [ $r -le "$BENCH_REPS" ]; do
	for t in $tools; do measure "$t" "$r"; done
	r=$((r + 1))
done

# Absolute figures of the host only: under TCG they say nothing.
[ "$WHERE" = host ] && [ -n "${base_all:-}" ] &&
	say "getppid untraced (no tracing): $(stats $(for b in $base_all; do echo $((b / N)); done)) ns/call"

for t in $tools; do
	eval "e=\${err_$t:-} w=\${wrong_$t:-}"
	[ -n "$e" ] && say "$t failed: $e"
	eval "c=\${cost_$t:-}"
	[ -n "$c" ] || continue
	count_line "overhead/$t [$WHERE]" "$N" "${w:-$N}"
done

# The peers among themselves, for context while ftrig is missing.
if [ -n "${cost_bpftrace:-}" ] && [ -n "${cost_raw:-}" ]; then
	say "peers: bpftrace costs $(ratio "$(median $cost_bpftrace)" "$(median $cost_raw)") x the raw hist trigger per event"
fi

# vs NAME FTRIG_TOOL PEER_TOOL [PEER_MISSING_REASON]
vs() {
	eval "fc=\${cost_$2:-} pc=\${cost_$3:-} fe=\${err_$2:-} pe=\${err_$3:-}"
	peer_off=${4:-}
	compare "$1" ns/event "$fc" "$pc" "$fe" "$pe"
}
for b in $backends; do
	vs "overhead getppid [$WHERE] ftrig $b vs bpftrace" "ftrig_$b" bpftrace "${bt_off:-}"
done
has_hist && vs "overhead getppid [$WHERE] ftrig hist vs raw tracefs hist" ftrig_hist raw
exit 0
