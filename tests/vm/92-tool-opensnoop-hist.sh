# ftrig opensnoop on hist triggers (a kprobe on do_sys_openat2 fetching the path, a
# kretprobe, a synthetic event fed by onmatch), on a workload with exactly known opens
# (openat, open and openat2 of a marker file, openat of a missing one): every line's fields
# (COMM FD ERR PATH) and counts, equal to the BPF backend's on the same workload in the same
# run; -x, -T, -j, -p, -d, SIGTERM; 20000 opens while the output is blocked, each shown or
# counted lost; and nothing left behind: dynamic_events (the probes and the synthetic
# event), triggers and instances byte for byte as before.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
for f in hist_triggers synthetic_events kprobe_events; do
	"$FTRIG" info --require $f >/dev/null 2>&1 || skip "needs $f"
done
private_state
L=$FTRIG_HELPERS/snoopload
comm=oh$$
dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-t92o.XXXXXX")
file=$dir/marker
missing=$dir/missing
: >"$file"
tool_pid=
trap 'tool_cleanup "$dir"' EXIT
before=$(kernel_snap)

load() {
	"$L" --comm "$comm" --openat "11:$file" --open "4:$file" --openat2 "3:$file" \
		--openat-fail "6:$missing" >"$dir/load" 2>&1 || fail "snoopload: $(cat "$dir/load")"
}
# run BACKEND ARGS...: opensnoop on one workload run.
run() {
	be=$1
	shift
	tool_start opensnoop --backend "$be" "$@"
	load
	settle "$missing" 6
	tool_stop
}
# The workload's lines without the PID (each run has its own), sorted.
fields() { awk -v c="$comm" '$2 == c { print $2, $3, $4, $5 }' "$tool_out" | sort; }

run hist
contains "$(cat "$tool_out")" "PID    COMM               FD ERR PATH" "columns"
ok=$(tool_lines "\$2 == \"$comm\" && \$3 >= 0 && \$4 == 0 && \$5 == \"$file\"")
[ "$ok" = 18 ] || fail "18 opens of the marker, $ok shown: $(cat "$tool_out")"
bad=$(tool_lines "\$2 == \"$comm\" && \$3 == -1 && \$4 == 2 && \$5 == \"$missing\"")
[ "$bad" = 6 ] || fail "6 failed opens, $bad shown: $(cat "$tool_out")"
pids=$(awk -v c="$comm" '$2 == c { print $1 }' "$tool_out" | sort -u | wc -l)
[ "$pids" = 1 ] || fail "the workload's lines under $pids PIDs"
hist_lines=$(fields)
[ "$(printf '%s\n' "$hist_lines" | wc -l)" = 24 ] || fail "24 lines of the workload: $hist_lines"
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	run bpf
	[ "$(fields)" = "$hist_lines" ] || fail "hist and BPF differ:
$(printf '%s\n' "$hist_lines" | diff - "$tool_out")"
fi

# -c -x -T: failed opens only, a TIME(s) column.
run hist -x -T -c "$comm"
contains "$(cat "$tool_out")" "TIME(s)        PID    COMM" "-T column"
n=$(awk 'f { n++ } /^TIME/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$n" = 6 ] || fail "-x: $n lines, expected 6: $(cat "$tool_out")"
[ "$(tool_lines "\$4 == -1 && \$5 == 2 && \$6 == \"$missing\"")" = 6 ] || fail "-x -T fields"

# -j: a JSON object per open, on stdout only.
run hist -j -c "$comm"
n=$(grep -c "^{.*\"comm\":\"$comm\",\"fd\":[0-9]*,\"err\":0,\"path\":\"$file\"}" "$tool_out")
[ "$n" = 18 ] || fail "-j: $n opens of the marker: $(cat "$tool_out")"

# -p: the workload started stopped (its pid known first), only its lines.
sh -c 'kill -STOP $$; exec "$@"' sh "$L" --comm "$comm" --openat "9:$file" >"$dir/load" 2>&1 &
lpid=$!
until grep -q ') T ' "/proc/$lpid/stat"; do
	sleep 0.05
done
tool_start opensnoop --backend hist -p "$lpid"
kill -CONT "$lpid"
wait "$lpid"
settle "$file" 9
tool_stop
m=$(tool_lines "\$1 == $lpid && \$2 == \"$comm\" && \$5 == \"$file\"")
[ "$m" = 9 ] || fail "-p: $m marker lines, expected 9: $(cat "$tool_out")"
others=$(awk -v p="$lpid" 'f && $1 != p { n++ } /^PID/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$others" = 0 ] || fail "-p: $others lines of other processes: $(cat "$tool_out")"

# The ring buffer overflows while the output is blocked: every call is shown or counted lost.
# The stop comes while the output may still block: what it did not take is counted too.
opens_blocked --backend hist -j -c "$comm"
[ $((shown + ${lost:-0})) = 20000 ] ||
	fail "shown $shown + lost ${lost:-0} is not 20000: $(cat "$dir/err")"

# -d ends it by itself, SIGTERM too: nothing left either way.
tool_ends "PID    COMM" "-c $comm" opensnoop --backend hist

# Bad input on hist triggers: exit 2, nothing made.
expect_exit 2 "$FTRIG" opensnoop --backend hist -c 'a"b'
contains "$out" "takes no quotes" "-c with a quote"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
same_snap "$before" "opensnoop --backend hist"
state_empty
