#!/bin/sh
# 8. The classic tools: `ftrig funccount` against bpftrace and bcc's funccount on a glob that
# attaches many probes, in the same run. On the host (no kprobes) the glob is every system
# call entry tracepoint, 'syscalls:sys_enter_*' (about 350 events); in the VM it is the kernel
# functions 'vfs_*' (kprobes, 60-100 of them).
#
# Two figures per tool, the tools taking turns within each repetition:
# - start: from the exec of the tool to its ready line (ftrig's and bcc's "Tracing ...",
#   bpftrace's BEGIN, printed once every probe is attached), by bench/ready-time.c;
# - added cost per call: the workload's CPU time per call with the tool counting, minus the
#   same without a tool right before it, each the least of 3 runs (getppid calls on the host,
#   at the rate of the run's best chunk of 2,000 as in 01, whose event is one of the glob's;
#   1-byte reads of /dev/zero in the VM, which call vfs_read, the whole loop's CPU time: under
#   TCG the process CPU clock does not advance reliably over a chunk of 2,000 reads, some
#   measured 0). bcc's funccount cannot compile its programs where the kernel headers are
#   missing (the 6.18 host): reported as unavailable with its own error.
# Then the counts: ftrig and bpftrace once more each, on the workload's tasks only (-c COMM,
# /comm == COMM/), over N calls: the count of the called function (sys_enter_getppid; vfs_read
# in the VM) must be N. bcc's funccount filters by pid only, which a tool started before the
# workload cannot know: its count is not checked.
asked_reps=${BENCH_REPS:-}
. "$(dirname "$0")/lib.sh"

RT=${READY_TIME:-$here_lib/../build/bench/ready-time}
# CF: the function the workload calls, as ftrig funccount names it; BF: as bpftrace does.
if [ "$WHERE" = vm ]; then
	GLOB='vfs_*' BT="kprobe:vfs_*" BCC='vfs_*' N=${BENCH_N:-50000} STEP=read
	CF=vfs_read BF=kprobe:vfs_read
else
	GLOB='syscalls:sys_enter_*' BT="tracepoint:syscalls:sys_enter_*" BCC='t:syscalls:sys_enter_*'
	N=${BENCH_N:-500000} STEP=getppid
	CF=syscalls:sys_enter_getppid BF=tracepoint:syscalls:sys_enter_getppid
fi
NAME="funccount '$GLOB' [$WHERE]"
# Fewer repetitions than the other benchmarks (3): a bpftrace of 350 tracepoints takes 30 s to
# end on the busy host (each perf event's detach waits for the kernel), so each of its runs
# costs about 35 s; in the VM a repetition takes about 20 s under TCG. The bpftrace of the
# count run must end on its own (its maps are printed last).
REPS=${BENCH_TOOLS_REPS:-${asked_reps:-3}}
STOP_WAIT_S=120
# Kprobes (the VM's) are made cheap jumps by the kernel's kprobe optimizer a while after they
# are armed, and their removal finishes in it as well: the traced runs start, and the next
# untraced ones follow, BENCH_TOOLS_SETTLE seconds later (2 in the VM; tracepoints need none).
[ "$WHERE" = vm ] && SETTLE=${BENCH_TOOLS_SETTLE:-2} || SETTLE=${BENCH_TOOLS_SETTLE:-0}
[ -x "$RT" ] || { ftrig_unavailable "$NAME start" "no $RT (make bench builds it)" "" ms; exit 0; }
tools=
if ftrig_missing funccount; then ftrig_off=$ftrig_why; else ftrig_off= tools=ftrig; fi
if need_peer bpftrace bpftrace; then tools="$tools bpftrace"; else bt_off=$peer_why; fi
bcc_off=
if [ "$WHERE" = vm ]; then
	# bcc's tools are Python programs that compile their BPF C at start against the running
	# kernel's headers; the VM's initramfs has no Python, no libbcc and no 6.1 headers.
	bcc_off="bcc's funccount needs Python, libbcc and the kernel's headers, which the VM does not have"
elif need_peer funccount-bpfcc bpfcc-tools; then tools="$tools bcc"; else bcc_off=$peer_why; fi
say "tools: '$GLOB', $N $STEP calls per cost run, $REPS repetitions, $PINNING"

# load_ns COMM: the workload's CPU ns per call of $STEP, the least of 3 runs: the tool's start
# and end are what cost time here, a run is cheap, and the other sessions' load on this
# machine only ever adds to a run (one run each made some repetitions' differences negative).
load_ns() {
	k=0 least=
	while [ $k -lt 3 ]; do
		if [ "$STEP" = getppid ]; then
			ns=$(run_load "$1" "$N" "$btmp/load") || return 1
		else
			$LOAD_PIN "$WORKLOAD" --comm "$1" --time --read "$N:1" >"$btmp/load" 2>&1 || return 1
			ns=$(sed -n 's/^cpu read //p' "$btmp/load")
		fi
		[ -n "$least" ] && [ "$ns" -ge "$least" ] || least=$ns
		k=$((k + 1))
	done
	awk -v t="$least" -v n="$N" 'BEGIN { printf "%.2f\n", t / n }'
}

# why_failed FILE: why a tool failed: its last line, or the line that says the kernel headers
# are missing (bcc's last line says only that it could not compile its BPF C).
why_failed() {
	w=$(grep -m 1 'kernel headers' "$1" | cut -c 1-120)
	[ -n "$w" ] && echo "$(tail -n 1 "$1"): $w" || grep -v '^$' "$1" | tail -n 1
}

tool_pid=
# tool_run TOOL [COMM]: start TOOL through ready-time (counting only tasks named COMM when
# given); sets $ready_ms once it is ready.
tool_run() {
	: >"$btmp/rt"
	fc= bf=
	[ -z "${2:-}" ] || fc="-c $2" bf="/comm == \"$2\"/"
	case $1 in
	ftrig) set -- "Tracing" "$FTRIG" funccount $fc "$GLOB" ;;
	bpftrace) set -- "ready" bpftrace -e "BEGIN { printf(\"ready\\n\"); } $BT $bf { @[probe] = count(); }" ;;
	bcc) set -- "Tracing" funccount-bpfcc "$BCC" ;;
	esac
	pat=$1
	shift
	$TOOL_PIN "$RT" "$pat" "$btmp/tool.out" "$@" >"$btmp/rt" &
	tool_pid=$!
	i=0
	until [ -s "$btmp/rt" ]; do
		kill -0 "$tool_pid" 2>/dev/null || { tool_err=$(why_failed "$btmp/tool.out"); tool_pid=; return 1; }
		i=$((i + 1))
		[ $i -lt $((BT_READY_S * 20)) ] || { tool_err="not ready in $BT_READY_S s"; tool_stop; return 1; }
		sleep 0.05
	done
	ready_ms=$(cat "$btmp/rt")
}
tool_stop() {
	[ -n "$tool_pid" ] || return 0
	stop_bg "$tool_pid"
	tool_pid=
}
on_exit tool_stop

# Other users' BPF programs on this shared host (bench 01's others()) add to every system call
# while they are loaded: when that set changed between a repetition's untraced and traced
# runs, its cost figure measured them too, and the notes say so. The VM has no other users.
progs() {
	[ "$WHERE" = host ] && command -v bpftool >/dev/null 2>&1 || return 0
	bpftool prog list 2>/dev/null | sed -n 's/^\([0-9]*\): .*/\1/p' | sort
}
# others_changed BEFORE AFTER: programs of BEFORE gone in AFTER, or programs new in AFTER that
# are still loaded now that the tool has ended (its own are freed after a grace period).
others_changed() {
	[ "$WHERE" = host ] && command -v bpftool >/dev/null 2>&1 || return 1
	echo "$1" >"$btmp/p0"
	echo "$2" >"$btmp/p1"
	[ -n "$(comm -23 "$btmp/p0" "$btmp/p1")" ] && return 0
	w=0
	while [ $w -lt 20 ]; do
		progs >"$btmp/p2"
		[ -z "$(comm -13 "$btmp/p0" "$btmp/p1" | comm -12 - "$btmp/p2")" ] && return 1
		sleep 0.1
		w=$((w + 1))
	done
	return 0
}

r=1
while [ $r -le "$REPS" ]; do
	for t in $tools; do
		p0=$(progs)
		base=$(load_ns tb$$) || continue
		if ! tool_run "$t"; then
			eval "err_$t=\$tool_err"
			continue
		fi
		sleep "$SETTLE"
		with=$(load_ns tw$$)
		p1=$(progs)
		tool_stop
		sleep "$SETTLE"
		others_changed "$p0" "$p1" &&
			say "funccount: repetition $r, $t: other users' BPF programs came or went between its untraced and traced runs"
		keep "s_$t" $r "$ready_ms"
		[ -n "$with" ] && keep "c_$t" $r "$(awk -v a="$with" -v b="$base" 'BEGIN { printf "%.2f\n", a - b }')"
	done
	# the next repetition starts with the next tool
	tools="${tools#* } ${tools%% *}"
	r=$((r + 1))
done

# The counts: the called function's count in the tool's output once it has ended.
for t in $tools; do
	[ "$t" = bcc ] && continue
	only=tc$$
	tool_run "$t" "$only" || { say "$t did not start for the count run: $tool_err"; continue; }
	if [ "$STEP" = getppid ]; then
		$LOAD_PIN "$WORKLOAD" --comm "$only" --getppid "$N" >/dev/null 2>&1
	else
		$LOAD_PIN "$WORKLOAD" --comm "$only" --read "$N:1" >/dev/null 2>&1
	fi
	tool_stop
	if [ "$t" = ftrig ]; then
		got=$(awk -v f="$CF" '$1 == f { print $2 }' "$btmp/tool.out")
	else
		got=$(sed -n "s/^@\\[$BF\\]: //p" "$btmp/tool.out")
	fi
	count_line "funccount '$GLOB' [$WHERE] $t, $CF of the workload" "$N" "$got"
done

for peer in bpftrace bcc; do
	[ $peer = bpftrace ] && peer_off=${bt_off:-} || peer_off=${bcc_off:-}
	eval "ps=\${v_s_$peer:-} pc=\${v_c_$peer:-} pe=\${err_$peer:-}"
	compare "$NAME start vs $peer" ms "${v_s_ftrig:-}" "$ps" "${err_ftrig:-}" "$pe" \
		"$(rep_ratios "s_$peer" s_ftrig "$REPS")"
	compare "$NAME added cost per $STEP vs $peer" ns "${v_c_ftrig:-}" "$pc" "${err_ftrig:-}" "$pe" \
		"$(rep_ratios "c_$peer" c_ftrig "$REPS")"
done
exit 0
