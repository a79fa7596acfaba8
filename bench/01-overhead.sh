#!/bin/sh
# 1. Per-event overhead of counting getppid calls by process, in ns added per call.
#
# The workload makes N getppid calls and measures the CPU time of its loop (user + system: the
# tracer's programs run in the traced calls, and other load on a shared machine does not
# inflate it as it inflates wall time). For every tool, an untraced run and then a traced one
# right after it: added cost = (traced - untraced) / N. The tools take turns within each
# repetition (ftrig, peer, floor, ftrig, peer, floor...; each repetition starts one tool
# later), so drift on the shared machine hits them alike, and each comparison's ratio is the
# median of the ratios of single repetitions, with their spread. Each traced run's count must
# equal N; a wrong count is reported in the counts table.
# Tools: ftrig hist with each backend this kernel has (bpf on the host; hist and bpf in the VM;
# bpf as it attaches by default, and with FTRIG_BPF_CLASSIC=1 on the classic tracepoint),
# bpftrace `@[comm] = count()`, in the VM a raw hist trigger written with echo, and the floor
# programs (bench/floor.bpf.c) on each hook. BENCH_TOOLS="ftrig_bpf floor_raw" runs only those.
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
	tools="$tools ftrig_classic"
fi
if need_peer bpftrace bpftrace; then tools="$tools bpftrace"; else bt_off=$peer_why; fi
has_hist && tools="$tools raw"
for m in $(floor_modes); do tools="$tools floor_$m"; done
[ -x "$FLOOR" ] || floor_off="no floor program at $FLOOR (make bench builds it)"
tools=${BENCH_TOOLS:-$tools}
ntools=$(echo $tools | wc -w)

# Other users' BPF programs (another engineer's bpftrace on raw_syscalls, say) add to every
# system call while they are loaded: a pair of runs between which that set changed measured
# them, not the tool, and is made again (up to 3 times). The VM has no other users.
others() {
	[ "$WHERE" = host ] && command -v bpftool >/dev/null 2>&1 || return 0
	bpftool prog list 2>/dev/null | sed -n 's/^\([0-9]*\): .*/\1/p' | tr '\n' ' '
}
measure() {
	try=1
	while :; do
		before=$(others)
		one_pair "$1" "$2" || return 1
		# The tool's own programs are freed a moment after it ends (after an RCU grace period).
		w=0
		while [ "$(others)" != "$before" ] && [ $w -lt 20 ]; do
			sleep 0.05
			w=$((w + 1))
		done
		[ $w -lt 20 ] && break
		[ $try = 3 ] && say "$1, repetition $2: other users' BPF programs came or went during all 3 tries" && break
		try=$((try + 1))
	done
	keep "$1" "$2" "$add"
	base_all="${base_all:-} $base"
}

# one_pair TOOL REP: one untraced and one traced run; sets $add, the added ns/call.
one_pair() {
	comm=ov$$r$2
	base=$(run_load "$comm" "$N" "$btmp/load.base") || return 1
	case $1 in
	ftrig_classic) ftrig_backend=bpf st=ftrig_start ct=ftrig_count sp=ftrig_stop ;;
	ftrig_*) ftrig_backend=${1#ftrig_} st=ftrig_start ct=ftrig_count sp=ftrig_stop ;;
	bpftrace) st=bpftrace_start ct=bpftrace_count sp=bpftrace_stop ;;
	raw) st=raw_start ct=raw_count sp=raw_stop ;;
	floor_*) floor_mode=${1#floor_} st=floor_start ct=floor_count sp=floor_stop ;;
	esac
	[ "$1" = ftrig_classic ] && export FTRIG_BPF_CLASSIC=1
	$st "$comm"
	ok=$?
	unset FTRIG_BPF_CLASSIC
	if [ $ok != 0 ]; then
		eval "err_$1=\$tool_err"
		return 1
	fi
	traced=$(run_load "$comm" "$N" "$btmp/load.traced")
	$ct "$comm"
	$sp
	case $1 in
	# The floor counts every process's calls: at least the workload's.
	floor_*) [ "${got:-0}" -ge "$N" ] || eval "wrong_$1=\${got:-none}" ;;
	*) [ "$got" = "$N" ] || eval "wrong_$1=\${got:-none}" ;;
	esac
	add=$(awk -v t="$traced" -v b="$base" -v n="$N" 'BEGIN { printf "%.1f\n", (t - b) / n }')
}

# Each repetition starts one tool later than the one before: no tool always runs first.
r=1
while [ $r -le "$BENCH_REPS" ]; do
	i=0
	for t in $tools $tools; do
		i=$((i + 1))
		[ $i -gt $(((r - 1) % ntools)) ] && [ $i -le $(((r - 1) % ntools + ntools)) ] || continue
		measure "$t" "$r"
	done
	r=$((r + 1))
done

# Absolute figures of the host only: under TCG they say nothing.
[ "$WHERE" = host ] && [ -n "${base_all:-}" ] &&
	say "getppid untraced (no tracing): $(stats $(for b in $base_all; do echo $((b / N)); done)) ns/call"

for t in $tools; do
	eval "e=\${err_$t:-} w=\${wrong_$t:-}"
	[ -n "$e" ] && say "$t failed: $e"
	eval "c=\${v_$t:-}"
	[ -n "$c" ] || continue
	case $t in
	floor_*) [ -z "$w" ] || say "$t counted $w of at least $N calls" ;;
	*) count_line "overhead/$t [$WHERE]" "$N" "${w:-$N}" ;;
	esac
done

# The peers among themselves, for context.
if [ -n "${v_bpftrace:-}" ] && [ -n "${v_raw:-}" ]; then
	say "peers: bpftrace costs $(ratio "$(median $v_bpftrace)" "$(median $v_raw)") x the raw hist trigger per event"
fi
for m in tp rawc btf; do
	[ -n "$(eval echo "\${v_floor_$m:-}")" ] && [ -n "${v_floor_raw:-}" ] &&
		say "floors: $m costs $(spread $(rep_ratios floor_$m floor_raw "$BENCH_REPS")) x raw_tp per event ($(eval stats "\$v_floor_$m") vs $(stats $v_floor_raw) ns)"
done

# vs NAME FTRIG_TOOL PEER_TOOL [PEER_MISSING_REASON]
vs() {
	case " $tools " in *" $2 "*) ;; *) return 0 ;; esac
	eval "fc=\${v_$2:-} pc=\${v_$3:-} fe=\${err_$2:-} pe=\${err_$3:-}"
	peer_off=${4:-}
	case " $tools " in *" $3 "*) ;; *) peer_off=${peer_off:-not measured in this run} ;; esac
	compare "$1" ns/event "$fc" "$pc" "$fe" "$pe" "$(rep_ratios "$3" "$2" "$BENCH_REPS")"
}
# The hook ftrig's aggregator uses by default (raw_syscalls' raw tracepoint where the build
# knows the call numbers), and with FTRIG_BPF_CLASSIC=1.
hook=tp
[ "$(uname -m)" = x86_64 ] && hook=raw
for b in $backends; do
	vs "overhead getppid [$WHERE] ftrig $b vs bpftrace" "ftrig_$b" bpftrace "${bt_off:-}"
done
vs "overhead getppid [$WHERE] ftrig bpf vs floor ($hook)" ftrig_bpf "floor_$hook" "${floor_off:-}"
# The raw floor with the compat test (floor_rawc): what an exact count of syscall events costs
# at least on that hook (one helper call more), so the rest of the gap is ftrig's own.
[ "$hook" = raw ] && case " $tools " in *" floor_rawc "*)
	vs "overhead getppid [$WHERE] ftrig bpf vs floor (raw, with the compat test an exact count needs)" \
		ftrig_bpf floor_rawc ;;
esac
vs "overhead getppid [$WHERE] ftrig bpf (classic) vs floor (tp)" ftrig_classic floor_tp "${floor_off:-}"
has_hist && vs "overhead getppid [$WHERE] ftrig hist vs raw tracefs hist" ftrig_hist raw
exit 0
