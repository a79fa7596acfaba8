# ftrig serve scraped by a real Prometheus (Debian's prometheus, on loopback, its own
# directory, a one-second scrape): the count of a workload with an exactly known number of
# events is exact in Prometheus, histogram_quantile over a log2 latency histogram lands in
# the right bucket, a hist clear between scrapes is a counter reset (resets() sees it, rate
# stays >= 0), and Prometheus reads the OpenMetrics it asks for.
. "$FTRIG_TESTS/lib.sh"
if [ "$FTRIG_TIER" = vm ]; then
	echo "host tier only: the VM has no curl or Prometheus; tests/vm/79-serve-hist.sh serves hist triggers there"
	exit 0
fi
need_root
need_tracefs
need_bpf
command -v curl >/dev/null 2>&1 || skip "needs curl (Debian package curl)"
command -v prometheus >/dev/null 2>&1 || skip "needs prometheus (./configure --install-deps)"
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-prom.XXXXXX")
N=pr$$
C=pw$$
W=$FTRIG_HELPERS/workload
G=syscalls:sys_enter_getppid
S=syscalls:sys_enter_clock_nanosleep
srv_pid= prom_pid=
cleanup() {
	[ -z "$srv_pid" ] || kill "$srv_pid" 2>/dev/null
	[ -z "$prom_pid" ] || { kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; }
	"$FTRIG" hist rm $G --name ${N}c >/dev/null 2>&1
	"$FTRIG" hist rm $S --name ${N}l >/dev/null 2>&1
	rm -rf "$tmp" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

expect_exit 0 "$FTRIG" hist start $G --key comm --name ${N}c --backend bpf
expect_exit 0 "$FTRIG" hist start --latency $S,syscalls:sys_exit_clock_nanosleep --key comm \
	--val lat --name ${N}l --backend bpf

serve_start "$tmp/serve.out" -v serve --listen 127.0.0.1:0
target=$(sed -n 's|^serving http://\([^/]*\)/metrics$|\1|p' "$tmp/serve.out")

# Prometheus on a free loopback port of its own (another one is tried when it is taken).
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: ftrig
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['$target']
EOF
for try in 1 2 3 4 5; do
	pp=$((20000 + ($$ * 7 + try * 7919) % 40000))
	prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
		--web.listen-address=127.0.0.1:$pp >"$tmp/prom.log" 2>&1 &
	prom_pid=$!
	i=0
	while kill -0 $prom_pid 2>/dev/null && ! curl -sf "http://127.0.0.1:$pp/-/ready" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "prometheus not ready after 60 s: $(tail -5 "$tmp/prom.log")"
		sleep 0.1
	done
	kill -0 $prom_pid 2>/dev/null && break
	wait $prom_pid 2>/dev/null
	prom_pid=
done
[ -n "$prom_pid" ] || fail "prometheus did not start: $(tail -5 "$tmp/prom.log")"

# q EXPR: the value of the one-element vector EXPR now, empty when there is none.
q() {
	curl -sf "http://127.0.0.1:$pp/api/v1/query" --data-urlencode "query=$1" |
		sed -n 's/.*"value":\[[0-9.e+-]*,"\([^"]*\)"\].*/\1/p'
}
# wait_for EXPR VALUE: until EXPR is VALUE (Prometheus scrapes every second).
wait_for() {
	i=0
	until [ "$(q "$1")" = "$2" ]; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "$1 is '$(q "$1")' after 60 s, not $2"
		sleep 0.1
	done
}

E="ftrig_syscalls_sys_enter_getppid_events_total{agg=\"${N}c\",comm=\"$C\"}"
L="ftrig_syscalls_sys_enter_clock_nanosleep_lat_seconds"
wait_for 'up{job="ftrig"}' 1
"$W" --comm "$C" --getppid 1234 --sleep 5:10000 >/dev/null
# The raw counter is the workload's exact count.
wait_for "$E" 1234
# The sleeps of 10 ms took between 8.192 and 16.384 ms: log2 bucket 2^14 us.
wait_for "$L""_count{agg=\"${N}l\",comm=\"$C\"}" 5
p50=$(q "histogram_quantile(0.5, sum by (le) ($L""_bucket{agg=\"${N}l\",comm=\"$C\"}))")
awk -v p="$p50" 'BEGIN { exit !(p > 0.008192 && p <= 0.016384) }' ||
	fail "histogram_quantile(0.5) of 10 ms sleeps is $p50, not in (0.008192, 0.016384]"
sum=$(q "$L""_sum{agg=\"${N}l\",comm=\"$C\"}")
awk -v s="$sum" 'BEGIN { exit !(s >= 0.05 && s < 0.5) }' || fail "the sum of 5 sleeps of 10 ms is $sum s"

# A clear between two scrapes: a counter reset, never a negative rate.
expect_exit 0 "$FTRIG" hist clear $G --name ${N}c
"$W" --comm "$C" --getppid 100 >/dev/null
wait_for "$E" 100
r=$(q "resets($E[2m])")
[ "${r:-0}" -ge 1 ] 2>/dev/null || fail "resets() after a hist clear is '$r'"
rate=$(q "rate($E[2m])")
awk -v r="$rate" 'BEGIN { exit !(r >= 0) }' || fail "rate() after a hist clear is $rate"
inc=$(q "increase($E[2m])")
awk -v i="$inc" 'BEGIN { exit !(i >= 100) }' || fail "increase() after a hist clear is $inc (the reset was not seen)"

# Prometheus asked for OpenMetrics and read it (the scrapes above are that parse).
contains "$(cat "$tmp/serve.out")" "application/openmetrics-text; version=1.0.0" "the format Prometheus got"
n=$(q 'scrape_samples_scraped{job="ftrig"}')
[ "${n:-0}" -gt 10 ] 2>/dev/null || fail "Prometheus scraped $n samples of ftrig"
kill $srv_pid
wait $srv_pid || fail "ftrig serve exited $? on SIGTERM"
srv_pid=
exit 0
