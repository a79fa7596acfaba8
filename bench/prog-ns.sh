#!/bin/sh
# ns per run of ftrig's BPF program against the floor's, both attached at once to the same
# raw tracepoint, from the kernel's own figures (run_time_ns / run_cnt with
# kernel.bpf_stats_enabled=1, restored after): the cleanest signal on a shared machine, where
# 01-overhead.sh's CPU times move with other users' load. Both figures hold the cost of the
# statistics themselves (two clock reads per run), so the difference is what ftrig adds.
#
#   sh bench/prog-ns.sh [REPS] [hist start options]   e.g. --key common_pid.execname
#
# Prints, per repetition, ftrig's program name, its ns/run, the floor's, and the difference,
# then the median difference. Host only (root, bpftool). Not part of make bench: a tool for
# working on issue #21's target 1 (01-overhead.sh is the measure).
. "$(dirname "$0")/lib.sh"

reps=${1:-6}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- --key common_pid.execname
N=${BENCH_N:-1000000}
E=syscalls:sys_enter_getppid
name=progns$$
old=$(sysctl -n kernel.bpf_stats_enabled)
progns_cleanup() {
	sysctl -q kernel.bpf_stats_enabled="$old"
	"$FTRIG" hist rm $E --name $name >/dev/null 2>&1
	[ -z "${fp:-}" ] || kill "$fp" 2>/dev/null
}
on_exit progns_cleanup

# figures: "ID NAME RUN_TIME_NS RUN_CNT" of every program
figures() {
	bpftool prog show | awk '/^[0-9]+:/ {
		if (id != "") print id, name, rt + 0, rc + 0
		id = $1; sub(":", "", id); name = ""; rt = 0; rc = 0
		for (i = 2; i < NF; i++) {
			if ($i == "name") name = $(i + 1)
			if ($i == "run_time_ns") rt = $(i + 1)
			if ($i == "run_cnt") rc = $(i + 1)
		}
	} END { if (id != "") print id, name, rt + 0, rc + 0 }'
}

for r in $(seq "$reps"); do
	figures | cut -d' ' -f1 >"$btmp/pre"
	"$FTRIG" hist start $E "$@" --name $name >/dev/null 2>&1 || exit 1
	"$FLOOR" raw $E >/dev/null 2>&1 &
	fp=$!
	sleep 0.3
	sysctl -q kernel.bpf_stats_enabled=1
	figures | grep -v -w -F -f "$btmp/pre" >"$btmp/before"
	$LOAD_PIN "$WORKLOAD" --comm progns --getppid "$N" >/dev/null
	figures | grep -v -w -F -f "$btmp/pre" >"$btmp/after"
	sysctl -q kernel.bpf_stats_enabled="$old"
	kill -INT $fp
	wait $fp
	fp=
	"$FTRIG" hist rm $E --name $name >/dev/null
	join "$btmp/before" "$btmp/after" | awk '$7 > $4 { printf "%s %.1f\n", $2, ($6 - $3) / ($7 - $4) }' |
		awk '{ v[$1] = $2; if ($1 != "floor_raw") p = $1 } END { printf "%s %.1f floor %.1f diff %.1f\n", p, v[p], v["floor_raw"], v[p] - v["floor_raw"] }'
done | tee "$btmp/rows"
sort -t' ' -k6 -n "$btmp/rows" | awk '{ d[NR] = $6 } END { printf "median difference: %.1f ns/run over %d repetitions\n", d[int((NR + 1) / 2)], NR }'
