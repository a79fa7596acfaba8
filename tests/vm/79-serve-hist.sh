# ftrig serve on real hist triggers (the 6.1 kernel has them; the host has none): the
# aggregations `hist start --backend hist` made are exported by default, counts are exact,
# a log2 key is a histogram with the workload's reads in the right bucket, a latency's
# histogram is in seconds, OpenMetrics ends with # EOF, and a hist clear between two scrapes
# gives every series of the aggregation a created time (a counter reset Prometheus sees).
# Then a setup file's export line in an instance, and --attach INSTANCE/SYSTEM:EVENT.
# busybox wget is the client (the VM has no curl or Prometheus; tests/host/79-serve*.sh
# scrape with those).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
command -v wget >/dev/null 2>&1 || skip "needs wget (busybox)"
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-serve.XXXXXX")
N=vs$$
C=vw$$
W=$FTRIG_HELPERS/workload
G=syscalls:sys_enter_getppid
R=syscalls:sys_enter_read
S=syscalls:sys_enter_clock_nanosleep
srv_pid=
cleanup() {
	[ -z "$srv_pid" ] || kill "$srv_pid" 2>/dev/null
	"$FTRIG" hist rm $G --name ${N}c >/dev/null 2>&1
	"$FTRIG" hist rm $R --name ${N}r >/dev/null 2>&1
	"$FTRIG" hist rm $S --name ${N}l >/dev/null 2>&1
	"$FTRIG" teardown "$tmp/fleet.ftrig" >/dev/null 2>&1
	rm -rf "$tmp" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
# 127.0.0.1 needs the loopback interface, which the VM's /init leaves down.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null

expect_exit 0 "$FTRIG" hist start $G --key common_pid.execname --name ${N}c --backend hist
expect_exit 0 "$FTRIG" hist start $R --key count.log2 --key common_pid.execname --val count \
	--name ${N}r --backend hist
expect_exit 0 "$FTRIG" hist start --latency $S,syscalls:sys_exit_clock_nanosleep \
	--name ${N}l --backend hist
"$W" --comm "$C" --getppid 1234 --read 7:3000 --sleep 5:10000 >/dev/null

serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0
wget -q -O "$tmp/m1" "$url" || fail "GET $url failed: $(cat "$tmp/serve.out")"
m=$(cat "$tmp/m1")

grep -q "^ftrig_syscalls_sys_enter_getppid_events_total{agg=\"${N}c\",backend=\"hist\",common_pid=\"[0-9]*\",comm=\"$C\"} 1234$" "$tmp/m1" ||
	fail "no exact 1234 for $C: $(grep "${N}c" "$tmp/m1")"
# The 3000-byte reads: bucket 2^12 (2049..4096), so the cumulative count grows by 7 there.
b() {
	sed -n "s/^ftrig_syscalls_sys_enter_read_count_bucket{agg=\"${N}r\",backend=\"hist\",common_pid=\"[0-9]*\",comm=\"$C\",le=\"$1\"} //p" "$tmp/m1"
}
[ -n "$(b 4096)" ] && [ $(($(b 4096) - $(b 2048))) = 7 ] ||
	fail "the 7 reads of 3000 bytes are not in le=4096: $(grep "${N}r" "$tmp/m1")"
contains "$m" "ftrig_syscalls_sys_enter_read_count_sum{agg=\"${N}r\",backend=\"hist\"" "the sum of count"
# The latency's histogram is on its synthetic event, in seconds; 10 ms sleeps are in 2^14 us.
l=$(grep "_lat_seconds_bucket{agg=\"[^\"]*\",backend=\"hist\",le=\"0.016384\"}" "$tmp/m1" | sed 's/.* //')
l0=$(grep "_lat_seconds_bucket{agg=\"[^\"]*\",backend=\"hist\",le=\"0.008192\"}" "$tmp/m1" | sed 's/.* //')
[ -n "$l" ] && [ -n "$l0" ] && [ $((l - l0)) -ge 5 ] ||
	fail "the latency histogram does not hold the 5 sleeps of 10 ms: $(grep _lat_seconds "$tmp/m1")"
contains "$m" "ftrig_dropped_events_total{event=\"syscalls:sys_enter_getppid\",agg=\"${N}c\",backend=\"hist\"} 0" "drops"
# Only the latency's histogram: its start and end triggers (per-thread timestamps, the
# onmatch feeding the synthetic event) are its plumbing, not aggregations of their own.
! grep -q "^ftrig_syscalls_sys_e[a-z]*_clock_nanosleep" "$tmp/m1" ||
	fail "the latency's start or end trigger is exported: $(grep clock_nanosleep "$tmp/m1")"

# OpenMetrics, and the reset: no created time at the first scrape, then a hist clear.
wget -q -O "$tmp/o1" --header 'Accept: application/openmetrics-text; version=1.0.0' "$url" ||
	fail "GET with Accept: openmetrics failed"
[ "$(tail -n 1 "$tmp/o1")" = "# EOF" ] || fail "OpenMetrics does not end with # EOF"
grep -q "^ftrig_dropped_events_created{.*agg=\"${N}c\"" "$tmp/o1" &&
	fail "a created time before any reset: $(grep "${N}c" "$tmp/o1")"
expect_exit 0 "$FTRIG" hist clear $G --name ${N}c
"$W" --comm "$C" --getppid 100 >/dev/null
wget -q -O "$tmp/o2" --header 'Accept: application/openmetrics-text; version=1.0.0' "$url"
grep -q "^ftrig_syscalls_sys_enter_getppid_events_total{agg=\"${N}c\",backend=\"hist\",common_pid=\"[0-9]*\",comm=\"$C\"} 100$" "$tmp/o2" ||
	fail "no 100 after the clear: $(grep "${N}c" "$tmp/o2")"
# the drops did not go down, yet their table was cleared: a created time all the same
grep -q "^ftrig_dropped_events_created{.*agg=\"${N}c\",backend=\"hist\"} [0-9.]*$" "$tmp/o2" ||
	fail "no created time after a hist clear: $(grep "${N}c" "$tmp/o2")"
kill $srv_pid
wait $srv_pid || fail "ftrig serve exited $? on SIGTERM"
srv_pid=

# An export line in a file whose hist trigger is in an instance: serve exports that
# instance's aggregation (labelled with it), limited as the line says, and nothing else.
cat >"$tmp/fleet.ftrig" <<EOT
instance ${N}i
hist start $G --key common_pid.execname --name ${N}i
export $G --limit 1
EOT
expect_exit 0 "$FTRIG" apply "$tmp/fleet.ftrig"
contains "$out" "exporting $G (${N}i) to ftrig serve" "apply of an export in an instance"
"$W" --comm "$C" --getppid 321 >/dev/null
"$W" --comm "$C" --getppid 7 >/dev/null
serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0
wget -q -O "$tmp/m3" "$url" || fail "GET $url failed: $(cat "$tmp/serve.out")"
grep -q "^ftrig_syscalls_sys_enter_getppid_events_total{.*comm=\"$C\".*} 321$" "$tmp/m3" ||
	fail "no exact 321 from the instance's export: $(grep getppid "$tmp/m3")"
grep "^ftrig_syscalls_sys_enter_getppid_events_total{.*ftrig_other=\"true\".*} " "$tmp/m3" |
	grep -q "trace_instance=\"${N}i\"" || fail "no 'other' series of the instance's table, limit 1: $(grep getppid "$tmp/m3")"
grep -q "agg=\"${N}c\"" "$tmp/m3" && fail "exported ${N}c, which no export line names"
kill $srv_pid
wait $srv_pid || fail "ftrig serve exited $? on SIGTERM"
# --attach INSTANCE/SYSTEM:EVENT reads the instance's aggregations.
serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0 --attach ${N}i/$G
wget -q -O "$tmp/m4" "$url" || fail "GET $url failed: $(cat "$tmp/serve.out")"
grep -q "^ftrig_syscalls_sys_enter_getppid_events_total{.*trace_instance=\"${N}i\".*} 321$" "$tmp/m4" ||
	fail "--attach ${N}i/$G: $(grep getppid "$tmp/m4")"
grep -q "agg=\"${N}c\"" "$tmp/m4" && fail "--attach ${N}i/$G exported the top level's ${N}c"
kill $srv_pid
wait $srv_pid || fail "ftrig serve exited $? on SIGTERM"
srv_pid=
expect_exit 0 "$FTRIG" teardown "$tmp/fleet.ftrig"
[ -d "$T/instances/${N}i" ] && fail "teardown left the instance"
exit 0
