# ftrig biolatency on hist triggers (the Debian 6.1 kernel): the issue-to-completion time of
# block requests matched on (dev, sector) by a synthetic event fed by onmatch, for direct I/O
# to a loop device of the test's own (this VM has no other disk; the loop module comes with
# run.sh): 160 direct writes by 4 writers at once and 30 direct reads, 190 requests, counted
# exactly, and the same count by the BPF backend running beside it on the same workload.
# -D passes the completion's dev on to the synthetic event (a histogram titled by the
# disk's name), -F its rwbs (a char array), -m keys on lat.buckets=1000, -Q starts at
# block_rq_insert (6.1 has no block_io_start; the loop device gets an I/O scheduler so that
# its requests are inserted). Each run leaves no trigger, synthetic event or probe behind.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
[ -e "$T/synthetic_events" ] || skip "no synthetic events in this kernel"
private_state
img=${TMPDIR:-/tmp}/ftrig-t99-img.$$
bpf_out=${TMPDIR:-/tmp}/ftrig-t99-bpf.$$
tool_pid= bpt_pid= bpf_pid= loop=
cleanup() {
	[ -z "$bpf_pid" ] || kill "$bpf_pid" 2>/dev/null
	tool_cleanup "$bpf_out"
	[ -z "$loop" ] || losetup -d "$loop" 2>/dev/null
	rm -f "$img"
}
trap cleanup EXIT

loop_attach "$img"
name=$loop_name

# sum [FILE]: the counts of every histogram of a tool's output
sum() { awk '/ -> / { s += $5 } END { print s + 0 }' "${1:-$tool_out}"; }
# the objects a hist-trigger run makes: none may be left after it
left() {
	grep -H -v '^#' "$T"/events/block/*/trigger 2>/dev/null | grep -e hist -e onmatch
	cat "$T/synthetic_events"
	debris
}
before=$(left)

# 1. Hist triggers and BPF on the same run: both count every request, in the same layout.
have_bpf=
"$FTRIG" info --require bpf >/dev/null 2>&1 && have_bpf=1
if [ -n "$have_bpf" ]; then
	tool_start biolatency --backend bpf --disk "$name"
	# its output file renamed under it (it writes on), so that the next run has a new one
	mv "$tool_out" "$bpf_out"
	bpf_pid=$tool_pid tool_pid=
fi
tool_start biolatency --backend hist --disk "$name"
# (in the session's instance, as every tool's triggers)
trig=$T/instances/ftrig-$tool_pid/events/block/block_rq_complete/trigger
grep -q "keys=dev,sector:.*onmatch(block.block_rq_issue)" "$trig" ||
	fail "no onmatch trigger keyed by dev,sector on block_rq_complete: $(cat "$trig")"
loop_workload
tool_stop
contains "$(cat "$tool_out")" "     usecs               : count     distribution" "the header"
[ "$(sum)" = 190 ] || fail "hist: $(sum) for 190 requests: $(cat "$tool_out")"
if [ -n "$bpf_pid" ]; then
	kill -INT "$bpf_pid"
	wait "$bpf_pid" || fail "the BPF run failed: $(cat "$bpf_out")"
	bpf_pid=
	[ "$(sum "$bpf_out")" = 190 ] || fail "bpf: $(sum "$bpf_out") for 190 requests: $(cat "$bpf_out")"
fi
[ "$(left)" = "$before" ] || fail "left behind: $(left)"

# 2. -D -m: the disk's name from its dev, milliseconds.
tool_start biolatency --backend hist -D -m
dd if="$loop" of=/dev/null bs=4k count=30 skip=600 iflag=direct 2>/dev/null || fail "reads"
tool_stop
contains "$(cat "$tool_out")" "disk = $name" "-D's title"
contains "$(cat "$tool_out")" "     msecs               : count     distribution" "-m's header"
got=$(awk -v d="$name" '/^disk = / { on = ($3 == d); next } on && / -> / { s += $5 } END { print s + 0 }' "$tool_out")
[ "$got" = 30 ] || fail "-D: $name counted $got for 30 reads: $(cat "$tool_out")"
[ "$(left)" = "$before" ] || fail "-D -m left behind: $(left)"

# 3. -Q -F: from block_rq_insert, per rwbs (a char array passed on to the synthetic event).
echo mq-deadline >"/sys/block/$name/queue/scheduler" ||
	skip "no mq-deadline scheduler for $name, so block_rq_insert would not fire"
tool_start biolatency --backend hist -Q -F --disk "$name" -j
contains "$(cat "$tool_out")" "timing from block:block_rq_insert" "-Q's note"
loop_workload
tool_stop
contains "$(cat "$tool_out")" '"unit":"usecs","count":190,"flags":[{"flags":"' "-F's JSON"
w=$(grep -o '"flags":"W[A-Z]*","count":[0-9]*' "$tool_out" | awk -F: '{ s += $3 } END { print s + 0 }')
r=$(grep -o '"flags":"R[A-Z]*","count":[0-9]*' "$tool_out" | awk -F: '{ s += $3 } END { print s + 0 }')
[ "$w" = 160 ] && [ "$r" = 30 ] || fail "-Q -F: $w writes for 160, $r reads for 30: $(cat "$tool_out")"
[ "$(left)" = "$before" ] || fail "-Q -F left behind: $(left)"
state_empty
