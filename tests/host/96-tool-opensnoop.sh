# ftrig opensnoop on a workload with exactly known opens (openat, open and openat2 of a marker
# file, openat of a missing one), beside process churn: every marker line's fields (PID COMM
# FD ERR PATH) and counts; -p, -x, -T, -j; the counts equal bpftrace's on the same run. Then
# the ring buffer made to overflow (the tool's output blocked while 20000 opens are made):
# the lines shown plus the calls it says it lost are exactly 20000, never fewer in silence.
# Bad input refused with exit 2; nothing left behind. On a kernel without hist triggers,
# --backend hist is refused naming them, nothing made.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
# --backend hist where the kernel has no hist triggers (the host's): refused, nothing made.
snoop_hist_refused opensnoop
need_bpf
L=$FTRIG_HELPERS/snoopload
comm=os$$
dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-t96o.XXXXXX")
file=$dir/marker
missing=$dir/missing
: >"$file"
bpt_out=${TMPDIR:-/tmp}/ftrig-t96o-bpftrace.$$
tool_pid= bpt_pid= churn_pid=
trap 'tool_cleanup "$dir"; [ -z "$churn_pid" ] || kill "$churn_pid" 2>/dev/null' EXIT
have_bpftrace() { command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; }

expect_exit 2 "$FTRIG" opensnoop -p 0
contains "$out" "-p takes a whole number, 1 to" "-p 0"
expect_exit 2 "$FTRIG" opensnoop -L
contains "$out" "unknown option '-L'" "-L"
expect_exit 2 "$FTRIG" opensnoop -d
contains "$out" "needs a value" "-d without a value"
expect_exit 2 "$FTRIG" opensnoop x
contains "$out" "opensnoop takes no operands" "operand"

# run ARGS...: opensnoop ARGS on one workload run beside churn, bpftrace counting the same.
load() {
	"$L" --comm "$comm" --openat "11:$file" --open "4:$file" --openat2 "3:$file" \
		--openat-fail "6:$missing"
}
run() {
	tool_round "tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat,
		tracepoint:syscalls:sys_enter_openat2 /comm == \"$comm\"/ { @[probe] = count(); }
		tracepoint:syscalls:sys_exit_open, tracepoint:syscalls:sys_exit_openat,
		tracepoint:syscalls:sys_exit_openat2 /comm == \"$comm\" && args->ret < 0/
		{ @fail = count(); }
		BEGIN { printf(\"ready\\n\"); }" "$dir/load" load opensnoop "$@"
}

run
contains "$(cat "$tool_out")" "PID    COMM               FD ERR PATH" "columns"
ok=$(tool_lines "\$2 == \"$comm\" && \$3 >= 0 && \$4 == 0 && \$5 == \"$file\"")
[ "$ok" = 18 ] || fail "18 opens of the marker, $ok shown: $(cat "$tool_out")"
bad=$(tool_lines "\$2 == \"$comm\" && \$3 == -1 && \$4 == 2 && \$5 == \"$missing\"")
[ "$bad" = 6 ] || fail "6 failed opens, $bad shown: $(cat "$tool_out")"
pids=$(awk -v c="$comm" '$2 == c { print $1 }' "$tool_out" | sort -u | wc -l)
[ "$pids" = 1 ] || fail "the workload's lines under $pids PIDs"
if have_bpftrace; then
	for p in open openat openat2; do
		o=$(sed -n "s/^@\[tracepoint:syscalls:sys_enter_$p\]: //p" "$bpt_out")
		case $p in open) want=4 ;; openat) want=17 ;; openat2) want=3 ;; esac
		[ "${o:-0}" = $want ] || fail "bpftrace: $p ${o:-0}, expected $want"
	done
	[ "$(oracle_val fail)" = "$bad" ] || fail "failed: ftrig $bad, bpftrace $(oracle_val fail)"
	all=$(tool_lines "\$2 == \"$comm\"")
	[ "$all" = 24 ] || fail "the workload's lines: $all, bpftrace 24: $(cat "$tool_out")"
fi

# -x -T: failed opens only, a TIME(s) column.
run -x -T -c "$comm"
contains "$(cat "$tool_out")" "TIME(s)        PID    COMM" "-T column"
n=$(awk 'f { n++ } /^TIME/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$n" = 6 ] || fail "-x: $n lines, expected 6: $(cat "$tool_out")"
[ "$(tool_lines "\$4 == -1 && \$5 == 2 && \$6 == \"$missing\"")" = 6 ] || fail "-x -T fields"

# -p: the workload started stopped (its pid known first), only its lines.
sh -c 'kill -STOP $$; exec "$@"' sh "$L" --comm "$comm" --openat "9:$file" >"$dir/load" 2>&1 &
lpid=$!
until grep -q ') T ' "/proc/$lpid/stat"; do
	sleep 0.05
done
tool_start opensnoop -p "$lpid"
kill -CONT "$lpid"
wait "$lpid"
tool_stop
m=$(tool_lines "\$1 == $lpid && \$2 == \"$comm\" && \$5 == \"$file\"")
[ "$m" = 9 ] || fail "-p: $m marker lines, expected 9: $(cat "$tool_out")"
others=$(awk -v p="$lpid" 'f && $1 != p { n++ } /^PID/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$others" = 0 ] || fail "-p: $others lines of other processes: $(cat "$tool_out")"

# The ring buffer overflows while the output is blocked: every call is shown or counted lost.
# The stop comes while the output may still block (the reader just started): the lines it
# did not take are counted too, and the last warning gives the total.
opens_blocked -j -c "$comm"
[ -n "$lost" ] || fail "no lost count with $shown of 20000 shown: $(cat "$dir/err")"
[ $((shown + lost)) = 20000 ] || fail "shown $shown + lost $lost is not 20000: $(cat "$dir/err")"
# A JSON line of the losses, when the output took it, says no more than the total.
jlost=$(sed -n 's/.*"lost":\([0-9]*\).*/\1/p' "$dir/json" | tail -n 1)
[ -z "$jlost" ] || [ "$jlost" -le "$lost" ] || fail "JSON lost $jlost, more than $lost"
grep -v '^{' "$dir/json" && fail "lines that are not JSON objects in the -j output"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
