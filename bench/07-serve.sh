#!/bin/sh
# 7. The exporter's scrape: `ftrig serve` answering GET /metrics over a BPF aggregation of
# 10,000 series (BENCH_SERVE_SERIES), next to node_exporter answering its own scrape of the
# same machine, in the same run, interleaved per repetition.
#
# The aggregation is a pinned BPF table of sys_enter_read keyed by the read size; the workload
# reads each size 1..SERIES once, so the table holds SERIES keys (plus the few sizes other
# processes read), each one series (serve --limit 0: no limit). serve exports the aggregations
# of its ledger, and this script gives it a ledger of its own, so that it serves this table
# only: with --attach it served every table on sys_enter_read, other people's too (141,000
# series on a busy day), and the figures were not of 10,000 series. Each repetition scrapes each
# server BENCH_SERVE_SCRAPES times with curl: the wall time per scrape is curl's time_total
# (median of the scrapes), the CPU per scrape the server's own user+system time over them
# (/proc/PID/stat, clock ticks) divided by the scrapes. Both serve the text format 0.0.4;
# node_exporter runs with its default collectors on a loopback port of its own. The series
# counts are said next to the figures: node_exporter's is this machine's, not 10,000, so a
# per-series line is given too.
. "$(dirname "$0")/lib.sh"

[ "$WHERE" = host ] || exit 0
SERIES=${BENCH_SERVE_SERIES:-10000}
SCRAPES=${BENCH_SERVE_SCRAPES:-20}
REPS=${BENCH_SERVE_REPS:-5}
NAME="serve scrape $SERIES series [host]"
ftrig_missing serve && { ftrig_unavailable "$NAME" "$ftrig_why" "" ms; exit 0; }
command -v curl >/dev/null 2>&1 || { peer_unavailable "$NAME" "needs curl"; exit 0; }
NE=prometheus-node-exporter
need_peer $NE $NE || { peer_unavailable "$NAME" "$peer_why"; exit 0; }
EV=syscalls:sys_enter_read
AGG=benchserve$$
FTRIG_STATE_DIR=$btmp/serve-state
export FTRIG_STATE_DIR
clk=$(getconf CLK_TCK)
srv= ne=
stop_all() {
	[ -z "$srv" ] || { kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; }
	[ -z "$ne" ] || { kill "$ne" 2>/dev/null; wait "$ne" 2>/dev/null; }
	srv= ne=
	"$FTRIG" hist rm $EV --name $AGG >/dev/null 2>&1
}
on_exit stop_all

"$FTRIG" hist start $EV --key count --name $AGG --backend bpf --size 32768 \
	>"$btmp/start" 2>&1 || { ftrig_unavailable "$NAME" "hist start: $(head -n 1 "$btmp/start")" "" ms; exit 0; }
$LOAD_PIN "$WORKLOAD" --read-sizes "$SERIES" >/dev/null
$TOOL_PIN "$FTRIG" serve --listen 127.0.0.1:0 --limit 0 >"$btmp/serve" 2>&1 &
srv=$!
wait_for "$btmp/serve" '^serving ' 30 || { ftrig_unavailable "$NAME" "serve did not start: $(tail -n 1 "$btmp/serve")" "" ms; exit 0; }
furl=$(sed -n 's/^serving //p' "$btmp/serve")
# a free port for node_exporter: ask the kernel through a throwaway listener is not portable
# in sh; try a few in the dynamic range.
for p in 49211 49323 49437 49551 49663; do
	$TOOL_PIN $NE --web.listen-address=127.0.0.1:$p >"$btmp/ne" 2>&1 &
	ne=$!
	i=0
	while [ $i -lt 50 ] && ! curl -sf -o /dev/null "http://127.0.0.1:$p/metrics"; do
		kill -0 $ne 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
	curl -sf -o /dev/null "http://127.0.0.1:$p/metrics" && break
	kill $ne 2>/dev/null
	wait $ne 2>/dev/null
	ne=
done
[ -n "$ne" ] || { peer_unavailable "$NAME" "node_exporter did not start: $(tail -n 1 "$btmp/ne")"; exit 0; }
nurl=http://127.0.0.1:$p/metrics

series() { curl -sf "$1" | grep -vc '^#'; }
fser=$(series "$furl")
nser=$(series "$nurl")
say "serve: $fser series from ftrig serve, $nser from node_exporter; $SCRAPES scrapes x $REPS repetitions; $PINNING"
[ "$fser" -ge "$SERIES" ] || say "serve: fewer series than asked ($fser < $SERIES)"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# scrape URL PID: "WALL_MS CPU_MS" per scrape over $SCRAPES scrapes.
scrape() {
	t0=$(ticks "$2")
	k=0
	: >"$btmp/walls"
	while [ $k -lt "$SCRAPES" ]; do
		curl -sf -o /dev/null -w '%{time_total}\n' "$1" >>"$btmp/walls"
		k=$((k + 1))
	done
	t1=$(ticks "$2")
	w=$(awk '{ print $1 * 1000 }' "$btmp/walls" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	awk -v w="$w" -v d=$((t1 - t0)) -v c="$clk" -v n="$SCRAPES" 'BEGIN { printf "%.3f %.3f\n", w, 1000 * d / c / n }'
}

r=1
while [ $r -le "$REPS" ]; do
	set -- $(scrape "$furl" "$srv")
	keep fw $r "$1"
	keep fc $r "$2"
	keep fs $r "$(awk -v x="$2" -v n="$fser" 'BEGIN { printf "%.4f", 1000 * x / n }')"
	set -- $(scrape "$nurl" "$ne")
	keep nw $r "$1"
	keep nc $r "$2"
	keep ns $r "$(awk -v x="$2" -v n="$nser" 'BEGIN { printf "%.4f", 1000 * x / n }')"
	r=$((r + 1))
done
result "$NAME wall per scrape vs node_exporter ($nser series)" "$v_fw" "$v_nw" ms "$(rep_ratios nw fw "$REPS")"
result "$NAME CPU per scrape vs node_exporter ($nser series)" "$v_fc" "$v_nc" ms "$(rep_ratios nc fc "$REPS")"
result "$NAME CPU per 1000 series vs node_exporter" "$v_fs" "$v_ns" ms "$(rep_ratios ns fs "$REPS")"
exit 0
