# ftrig hist: usage errors, a clear message where the kernel has no hist triggers (the host's
# 6.18) or the event has none (the VM's 6.1), and diff/stats on captured hist files, which
# work on any kernel. Nothing is written to tracefs.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
fx=$FTRIG_TESTS/fixtures/vm-6.1
ev=sched/sched_switch
before=$(cat "$T/events/$ev/trigger")

expect_exit 2 "$FTRIG" hist
contains "$out" "show, dump, diff or stats" "hist without a verb"
expect_exit 2 "$FTRIG" hist frobnicate
contains "$out" "no verb 'frobnicate'" "unknown verb"
expect_exit 2 "$FTRIG" hist show
expect_exit 2 "$FTRIG" hist show sched_switch
contains "$out" "SYSTEM:EVENT" "event without a system"
expect_exit 2 "$FTRIG" hist dump sched:sched_switch --format xml
contains "$out" "json, csv, folded or text" "bad format"
expect_exit 2 "$FTRIG" hist dump sched:sched_switch --every 1s
contains "$out" "--dir" "--every without --dir"
expect_exit 2 "$FTRIG" hist dump sched:sched_switch --every soon --dir /tmp
contains "$out" "not a duration" "bad duration"
expect_exit 2 "$FTRIG" hist dump sched:sched_switch --count 3
expect_exit 2 "$FTRIG" hist diff only-one.json
expect_exit 1 "$FTRIG" hist show no_such_system:no_such_event
contains "$out" "no event no_such_system:no_such_event" "unknown event"
expect_exit 1 "$FTRIG" hist show sched:sched_swich
contains "$out" "no event sched:sched_swich; did you mean sched:sched_switch?" "misspelt event (CMD-9)"

if "$FTRIG" info --require hist_triggers >/dev/null 2>&1; then
	# A kernel with hist triggers, and none on this event.
	grep -q '^hist:' "$T/events/$ev/trigger" && skip "someone else has a hist trigger on $ev"
	expect_exit 1 "$FTRIG" hist show sched:sched_switch
	contains "$out" "no hist trigger on sched:sched_switch" "event without hist"
	contains "$out" "ftrig hist start" "what to do"
else
	# The host kernel: no hist triggers at all. Say so, and what to do.
	expect_exit 1 "$FTRIG" hist show sched:sched_switch
	contains "$out" "this kernel has no hist triggers" "show on a kernel without hist"
	contains "$out" "CONFIG_HIST_TRIGGERS" "the fix"
	# (Warnings about other sessions' objects on the shared kernel are not this cause's.)
	[ "$(echo "$out" | grep -v '^ftrig: warning: ' | wc -l)" -eq 1 ] ||
		fail "one message for one cause: $out"
	expect_exit 1 "$FTRIG" hist dump sched:sched_switch --format csv
	contains "$out" "this kernel has no hist triggers" "dump on a kernel without hist"
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-hist.XXXXXX")
	# --all dumps every BPF aggregation too, and other sessions may have some on this
	# kernel: an empty bpffs of the test's own leaves nothing but the hist triggers.
	mkdir "$dir.bpffs"
	expect_exit 1 env FTRIG_BPFFS="$dir.bpffs" "$FTRIG" hist dump --all --dir "$dir"
	rm -rf "$dir.bpffs"
	contains "$out" "this kernel has no hist triggers" "dump --all without hist"
	[ -z "$(ls "$dir")" ] || fail "dump --all wrote files: $(ls "$dir")"
	rmdir "$dir"
	expect_exit 1 "$FTRIG" hist stats sched:sched_switch
	contains "$out" "this kernel has no hist triggers" "stats on a live event"
fi

# Offline: stats and diff read dumps and hist files captured from the 6.1 kernel.
expect_exit 0 "$FTRIG" hist stats "$fx/hist/log2.hist"
contains "$out" "count  882" "stats count"
contains "$out" "p50    77.49" "stats p50 (65 + 64 * 16 / 82)"
contains "$out" "interpolation" "stats says how it estimates"
expect_exit 0 "$FTRIG" hist stats "$fx/hist/big.hist" --key id --json
contains "$out" '"method":"exact","count":6627' "stats --json"
expect_exit 1 "$FTRIG" hist stats "$fx/hist/execname.hist" --key common_pid
contains "$out" "stats need a number" "stats on an execname key"
expect_exit 1 "$FTRIG" hist stats /nonexistent.json
contains "$out" "cannot read /nonexistent.json" "stats on a missing file"
expect_exit 0 "$FTRIG" hist diff "$fx/hist/execname.hist" "$fx/events/$ev/hist" --top 3
contains "$out" "-167          188           21  common_pid=<idle> [0]" "largest change first"
[ "$(echo "$out" | grep -c '^ *[-+][0-9]')" -eq 3 ] || fail "--top 3 shows 3 rows: $out"
expect_exit 1 "$FTRIG" hist diff "$fx/hist/execname.hist" "$fx/hist/log2.hist"
contains "$out" "different keys" "diff of unrelated hists"
expect_exit 1 "$FTRIG" hist diff "$fx/hist/execname.hist" "$fx/README"
contains "$out" "neither an ftrig JSON dump nor a kernel hist file" "diff of a non-hist file"

# FIG-7: the hist stats can summarise is chosen among several; numbers stay exact integers.
expect_exit 0 "$FTRIG" hist stats "$fx/hist/multi.hist"
contains "$out" "key bytes_req.log2, weighted by hitcount" "stats picks the numeric hist"
contains "$out" "count  11788" "the log2 hist's count"
case $out in *"holds 3 hists"*|*"no key"*) fail "stats took the first hist: $out" ;; esac
expect_exit 1 "$FTRIG" hist stats "$fx/hist/stacktrace.hist"
contains "$out" "stacktrace hist: stats summarise a numeric key" "stats on a stack hist"
expect_exit 0 "$FTRIG" hist stats "$fx/hist/syscall-ret.hist"
contains "$out" "max    18446744073709551614" "an exact max (not 2^64 through a double)"
contains "$out" "p90    457" "an exact percentile"
expect_exit 0 "$FTRIG" hist stats "$fx/hist/syscall-ret.hist" --json
contains "$out" '"max":18446744073709551614' "--json max as an integer"
contains "$out" '"p90":457' "--json exact percentile as an integer"
contains "$out" '"unit":null' "--json unit (none for a return value)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-hist.XXXXXX")
cat "$fx/hist/multi.hist" "$fx/hist/buckets.hist" >"$tmp/two-numeric.hist"
expect_exit 1 "$FTRIG" hist stats "$tmp/two-numeric.hist"
contains "$out" "pick one with --key F" "several numeric hists: the user picks"
contains "$out" "keys=bytes_req.buckets=64" "the candidates are listed"
expect_exit 0 "$FTRIG" hist stats "$tmp/two-numeric.hist" --key bytes_req.buckets=64
contains "$out" "count  914" "--key picks among them"
# H20/H21: numbers past 2^64 - 1 are refused, not wrapped (fixtures/derived/README).
expect_exit 1 "$FTRIG" hist stats "$FTRIG_TESTS/fixtures/derived/hugenum.hist"
contains "$out" "past 2^64-1" "stats on numbers past 2^64"
expect_exit 1 "$FTRIG" hist diff "$FTRIG_TESTS/fixtures/derived/hugenum.hist" \
	"$FTRIG_TESTS/fixtures/derived/hugenum.hist"
contains "$out" "past 2^64-1" "diff on numbers past 2^64"
# H17: hist rows with a long line, without the header, are not taken for JSON.
awk 'BEGIN { s = "{ comm: "; for (i = 0; i < 20000; i++) s = s "x"; print s " } hitcount: 1" }' \
	>"$tmp/longline.hist"
expect_exit 1 "$FTRIG" hist stats "$tmp/longline.hist"
contains "$out" "neither an ftrig JSON dump nor a kernel hist file" "a long text line"
case $out in *"member name"*) fail "a JSON message for a text file: $out" ;; esac
# H12: a missing file and a directory each say what they are.
expect_exit 1 "$FTRIG" hist stats "$tmp/nosuch"
contains "$out" "No such file or directory" "stats on a missing file"
expect_exit 1 "$FTRIG" hist stats "$tmp"
contains "$out" "is a directory" "stats on a directory"
rm -rf "$tmp"

[ "$(cat "$T/events/$ev/trigger")" = "$before" ] || fail "the trigger file changed"
exit 0
