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
#   same without a tool right before it (getppid calls on the host, whose event is one of the
#   glob's; 1-byte reads of /dev/zero in the VM, which call vfs_read). bcc's funccount cannot
#   compile its programs where the kernel headers are missing (the 6.18 host): reported as
#   unavailable with its own error.
. "$(dirname "$0")/lib.sh"

RT=${READY_TIME:-$here_lib/../build/bench/ready-time}
if [ "$WHERE" = vm ]; then
	GLOB='vfs_*' BT="kprobe:vfs_*" BCC='vfs_*' N=${BENCH_N:-50000} STEP=read
else
	GLOB='syscalls:sys_enter_*' BT="tracepoint:syscalls:sys_enter_*" BCC='t:syscalls:sys_enter_*'
	N=${BENCH_N:-500000} STEP=getppid
fi
NAME="funccount '$GLOB' [$WHERE]"
[ -x "$RT" ] || { ftrig_unavailable "$NAME start" "no $RT (make bench builds it)" "" ms; exit 0; }
tools=
if ftrig_missing funccount; then ftrig_off=$ftrig_why; else ftrig_off= tools=ftrig; fi
if need_peer bpftrace bpftrace; then tools="$tools bpftrace"; else bt_off=$peer_why; fi
bcc_off=
if [ "$WHERE" = vm ]; then
	bcc_off="bcc is not in the VM"
elif need_peer funccount-bpfcc bpfcc-tools; then tools="$tools bcc"; else bcc_off=$peer_why; fi
say "tools: '$GLOB', $N $STEP calls per cost run, $BENCH_REPS repetitions, $PINNING"

# load_ns COMM: the workload's CPU ns per call of $STEP.
load_ns() {
	if [ "$STEP" = getppid ]; then
		ns=$(run_load "$1" "$N" "$btmp/load") || return 1
	else
		$LOAD_PIN "$WORKLOAD" --comm "$1" --time --read "$N:1" >"$btmp/load" 2>&1 || return 1
		ns=$(sed -n 's/^cpu read //p' "$btmp/load")
	fi
	awk -v t="$ns" -v n="$N" 'BEGIN { printf "%.2f\n", t / n }'
}

tool_pid=
# tool_run TOOL: start TOOL through ready-time; sets $ready_ms once it is ready.
tool_run() {
	: >"$btmp/rt"
	case $1 in
	ftrig) set -- "Tracing" "$FTRIG" funccount "$GLOB" ;;
	bpftrace) set -- "ready" bpftrace -e "BEGIN { printf(\"ready\\n\"); } $BT { @[probe] = count(); }" ;;
	bcc) set -- "Tracing" funccount-bpfcc "$BCC" ;;
	esac
	pat=$1
	shift
	$TOOL_PIN "$RT" "$pat" "$btmp/tool.out" "$@" >"$btmp/rt" &
	tool_pid=$!
	i=0
	until [ -s "$btmp/rt" ]; do
		kill -0 "$tool_pid" 2>/dev/null || { tool_err=$(grep -v '^$' "$btmp/tool.out" | tail -n 1); tool_pid=; return 1; }
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

r=1
while [ $r -le "$BENCH_REPS" ]; do
	for t in $tools; do
		base=$(load_ns tb$$) || continue
		if ! tool_run "$t"; then
			eval "err_$t=\$tool_err"
			continue
		fi
		with=$(load_ns tw$$)
		tool_stop
		keep "s_$t" $r "$ready_ms"
		[ -n "$with" ] && keep "c_$t" $r "$(awk -v a="$with" -v b="$base" 'BEGIN { printf "%.2f\n", a - b }')"
	done
	# the next repetition starts with the next tool
	tools="${tools#* } ${tools%% *}"
	r=$((r + 1))
done

for peer in bpftrace bcc; do
	[ $peer = bpftrace ] && peer_off=${bt_off:-} || peer_off=${bcc_off:-}
	eval "ps=\${v_s_$peer:-} pc=\${v_c_$peer:-} pe=\${err_$peer:-}"
	compare "$NAME start vs $peer" ms "${v_s_ftrig:-}" "$ps" "${err_ftrig:-}" "$pe" \
		"$(rep_ratios "s_$peer" s_ftrig "$BENCH_REPS")"
	compare "$NAME added cost per $STEP vs $peer" ns "${v_c_ftrig:-}" "$pc" "${err_ftrig:-}" "$pe" \
		"$(rep_ratios "c_$peer" c_ftrig "$BENCH_REPS")"
done
exit 0
