# ftrig serve without Prometheus: usage and environment errors (exit 2 or 1, nothing left),
# the endpoint (GET /metrics only, content negotiation), exact counts from BPF aggregations,
# promtool check metrics on every kind of aggregation BPF makes here and on the hist-trigger
# files captured from the 6.1 kernel, only ftrig's own aggregations by default, the textfile
# written atomically and removed, and a clean stop on SIGTERM and SIGINT.
. "$FTRIG_TESTS/lib.sh"
if [ "$FTRIG_TIER" = vm ]; then
	echo "host tier only: the VM has no curl or promtool; tests/vm/79-serve-hist.sh serves hist triggers there"
	exit 0
fi
need_root
need_tracefs
need_bpf
command -v curl >/dev/null 2>&1 || skip "needs curl (Debian package curl)"
command -v promtool >/dev/null 2>&1 || skip "needs promtool (./configure --install-deps)"
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-serve.XXXXXX")
other=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-state.XXXXXX")
N=sv$$
C=sw$$
W=$FTRIG_HELPERS/workload
# sysfs(2), an obsolete call nothing else makes: its per-process keys stay the workload's on
# a machine that churns processes (each of which would be a key of getppid's table).
G=syscalls:sys_enter_sysfs
R=syscalls:sys_enter_read
S=syscalls:sys_enter_clock_nanosleep
srv_pid=
cleanup() {
	[ -z "$srv_pid" ] || kill "$srv_pid" 2>/dev/null
	for a in "$G ${N}c" "$G ${N}s" "$R ${N}r" "$R ${N}b" "$S ${N}l"; do
		set -- $a
		"$FTRIG" hist rm "$1" --name "$2" >/dev/null 2>&1
	done
	FTRIG_STATE_DIR=$other "$FTRIG" hist rm $G --name ${N}x >/dev/null 2>&1
	rm -rf "$tmp" "$other" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# serve_stop SIGNAL: stop it, fail unless it exits 0.
serve_stop() {
	kill -"$1" "$srv_pid"
	rc=0
	wait "$srv_pid" || rc=$?
	srv_pid=
	[ $rc = 0 ] || fail "ftrig serve exited $rc on SIG$1: $(cat "$tmp/serve.out")"
}

# Usage errors: exit 2, and the message names the problem.
expect_exit 0 "$FTRIG" help serve
contains "$out" "--listen ADDR:PORT" "help serve"
expect_exit 2 "$FTRIG" serve --listen nonsense
contains "$out" "--listen takes ADDR:PORT" "a bad --listen"
expect_exit 2 "$FTRIG" serve --listen 127.0.0.1:65536
expect_exit 2 "$FTRIG" serve --listen ::1:9464
expect_exit 2 "$FTRIG" serve --interval 0 --textfile "$tmp"
contains "$out" "--interval takes a duration" "--interval 0"
expect_exit 2 "$FTRIG" serve --interval 1s
contains "$out" "--interval is how often --textfile writes" "--interval without --textfile"
expect_exit 2 "$FTRIG" serve --limit -1
expect_exit 2 "$FTRIG" serve --attach sched_switch
contains "$out" "--attach takes SYSTEM:EVENT" "--attach without a system"
expect_exit 2 "$FTRIG" serve extra
expect_exit 2 "$FTRIG" serve --bogus
# Errors of the environment: exit 1, named, with the fix.
expect_exit 1 "$FTRIG" serve --attach nosuch:event
contains "$out" "no such event" "--attach of an unknown event"
expect_exit 1 "$FTRIG" serve --textfile "$tmp/missing"
contains "$out" "No such file or directory" "a missing --textfile directory"
: >"$tmp/file"
expect_exit 1 "$FTRIG" serve --textfile "$tmp/file"
contains "$out" "not a directory" "a --textfile that is a file"
expect_exit 1 "$FTRIG" serve --listen 192.0.2.1:9464
contains "$out" "not one of this machine's" "an address of another machine"
serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0
port=${url##*:}
port=${port%%/*}
expect_exit 1 "$FTRIG" serve --listen 127.0.0.1:$port
contains "$out" "another program has that port" "a port in use"
serve_stop TERM
[ "$(ls -A "$tmp" | tr '\n' ' ')" = "file serve.out " ] ||
	fail "the failed runs left files: $(ls -A "$tmp")"

# Aggregations of each kind BPF makes: keys as labels, log2 and linear buckets, a latency
# with its sum, stacks; one more made through another state directory is not ftrig's here.
expect_exit 0 "$FTRIG" hist start $G --key common_pid.execname --name ${N}c --backend bpf
expect_exit 0 "$FTRIG" hist start $G --key stacktrace --name ${N}s --backend bpf
expect_exit 0 "$FTRIG" hist start $R --key count.log2 --key comm --val count --name ${N}r \
	--backend bpf
expect_exit 0 "$FTRIG" hist start $R --key count.buckets=1000 --name ${N}b --backend bpf
expect_exit 0 "$FTRIG" hist start --latency $S,syscalls:sys_exit_clock_nanosleep --key comm \
	--val lat --name ${N}l --backend bpf
(FTRIG_STATE_DIR=$other && export FTRIG_STATE_DIR &&
	"$FTRIG" hist start $G --key common_pid --name ${N}x --backend bpf >/dev/null) ||
	fail "hist start through another state directory"
"$W" --comm "$C" --syscall 139:1234 --read 7:3000 --sleep 3:10000 >/dev/null

serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0 --stacks
curl -sf "$url" >"$tmp/text" || fail "GET $url failed"
promtool check metrics <"$tmp/text" >"$tmp/lint" 2>&1 ||
	fail "promtool check metrics: $(cat "$tmp/lint")
$(cat "$tmp/text")"
grep -q "^ftrig_syscalls_sys_enter_sysfs_events_total{agg=\"${N}c\",backend=\"bpf\",common_pid=\"[0-9]*\",comm=\"$C\"} 1234$" "$tmp/text" ||
	fail "no exact count 1234 for $C: $(grep "${N}c" "$tmp/text")"
contains "$(cat "$tmp/text")" "ftrig_syscalls_sys_enter_read_count_bucket{agg=\"${N}r\",backend=\"bpf\",comm=\"$C\",le=\"4096\"} 7" "log2 buckets"
contains "$(cat "$tmp/text")" "ftrig_syscalls_sys_enter_read_count_sum{agg=\"${N}r\",backend=\"bpf\",comm=\"$C\"} 21000" "the sum of a log2 key summed"
contains "$(cat "$tmp/text")" "ftrig_syscalls_sys_enter_read_count_bucket{agg=\"${N}b\",backend=\"bpf\",le=\"2999\"}" "linear buckets"
contains "$(cat "$tmp/text")" "ftrig_syscalls_sys_enter_clock_nanosleep_lat_seconds_bucket{agg=\"${N}l\",backend=\"bpf\",comm=\"$C\",le=\"0.016384\"} 3" "latency in seconds"
contains "$(cat "$tmp/text")" "ftrig_syscalls_sys_enter_sysfs_events_total{agg=\"${N}s\",backend=\"bpf\",stacktrace=\"" "--stacks"
contains "$(cat "$tmp/text")" "ftrig_build_info{version=" "build info"
contains "$(cat "$tmp/text")" "ftrig_scrape_duration_seconds " "scrape duration"
case $(cat "$tmp/text") in *"agg=\"${N}x\""*) fail "exported ${N}x, which another ledger owns" ;; esac
# Content negotiation: OpenMetrics when asked for, the text format otherwise.
curl -sf -D "$tmp/hdr" -H 'Accept: application/openmetrics-text; version=1.0.0' "$url" >"$tmp/om" ||
	fail "GET with Accept: openmetrics failed"
contains "$(cat "$tmp/hdr")" "Content-Type: application/openmetrics-text; version=1.0.0" "OpenMetrics content type"
[ "$(tail -n 1 "$tmp/om")" = "# EOF" ] || fail "OpenMetrics does not end with # EOF"
contains "$(cat "$tmp/om")" "# UNIT ftrig_syscalls_sys_enter_clock_nanosleep_lat_seconds seconds" "OpenMetrics UNIT"
curl -sf -D "$tmp/hdr" "$url" >/dev/null
contains "$(cat "$tmp/hdr")" "Content-Type: text/plain; version=0.0.4" "text content type"
# Read only: other paths 404, other methods 405, HEAD answered.
[ "$(curl -s -o /dev/null -w '%{http_code}' "${url%/metrics}/")" = 404 ] || fail "GET / is not 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/x")" = 404 ] || fail "GET /metrics/x is not 404"
for m in POST PUT DELETE; do
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X $m "$url")" = 405 ] || fail "$m is not 405"
done
[ "$(curl -s -I -o /dev/null -w '%{http_code}' "$url")" = 200 ] || fail "HEAD is not 200"
serve_stop INT
curl -s "$url" >/dev/null 2>&1 && fail "still listening after SIGINT"

# --attach exports any aggregation of the event, another ledger's too.
serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0 --attach $G
curl -sf "$url" >"$tmp/text"
contains "$(cat "$tmp/text")" "agg=\"${N}x\"" "--attach $G"
case $(cat "$tmp/text") in *"agg=\"${N}r\""*) fail "--attach $G exported $R" ;; esac
serve_stop TERM

# The textfile: complete, promtool-clean, renamed into place, gone after SIGTERM.
mkdir "$tmp/tf"
serve_start "$tmp/serve.out" serve --textfile "$tmp/tf" --interval 200ms
[ -z "$url" ] || fail "--textfile alone served HTTP: $(cat "$tmp/serve.out")"
i=0
until grep -q "comm=\"$C\"} 1234$" "$tmp/tf/ftrig.prom" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no count in $tmp/tf/ftrig.prom after 30 s"
	sleep 0.1
done
promtool check metrics <"$tmp/tf/ftrig.prom" >"$tmp/lint" 2>&1 ||
	fail "promtool check metrics on the textfile: $(cat "$tmp/lint")"
"$W" --comm "$C" --syscall 139:10 >/dev/null # another pid: a key of its own
until grep -q "comm=\"$C\"} 10$" "$tmp/tf/ftrig.prom" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the textfile was not rewritten"
	sleep 0.1
done
serve_stop TERM
[ -z "$(ls -A "$tmp/tf")" ] || fail "left in the textfile directory: $(ls -A "$tmp/tf")"

# The hist triggers captured from the 6.1 kernel, every kind, pass promtool too.
for f in "$FTRIG_TESTS"/fixtures/vm-6.1/hist/*.hist; do
	"$FTRIG_HELPERS/om-dump" --limit 10 "$f" sys:ev >"$tmp/fx" || fail "om-dump $f"
	promtool check metrics <"$tmp/fx" >"$tmp/lint" 2>&1 ||
		fail "promtool check metrics on $(basename "$f"): $(cat "$tmp/lint")"
	"$FTRIG_HELPERS/om-dump" --stacks "$f" sys:ev >"$tmp/fx" || fail "om-dump --stacks $f"
	promtool check metrics <"$tmp/fx" >"$tmp/lint" 2>&1 ||
		fail "promtool check metrics on $(basename "$f") --stacks: $(cat "$tmp/lint")"
done
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
exit 0
