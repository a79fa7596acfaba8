# ftrig funclatency: a log2 histogram of a function's time in bcc's layout, its count exact
# for a workload waiting on a fifo (so its pid is known before it runs, for -p): 50 calls of
# workload_target through a uprobe and a uretprobe (every kernel with uprobes), bpftrace's
# count on the same run; 20 getppid between a tracepoint pair; 20 sleeps whose buckets match
# bpftrace's times of the same calls. A kernel function without kprobe events is refused,
# saying why.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
W=$FTRIG_HELPERS/workload
fifo=${TMPDIR:-/tmp}/ftrig-t92-fifo.$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t92-bpftrace.$$
tool_pid= bpt_pid=
trap 'tool_cleanup "$fifo"' EXIT
mkfifo "$fifo" || fail "mkfifo"

expect_exit 2 "$FTRIG" funclatency
contains "$out" "funclatency takes one operand" "no operand"
if ! "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	expect_exit 1 "$FTRIG" funclatency vfs_read
	contains "$out" "this kernel has no kprobe events" "a kernel function without kprobes"
fi

# count: the "count: N" line of the output.
count() { sed -n 's/^count: //p' "$tool_out"; }

if "$FTRIG" info --require uprobe_events >/dev/null 2>&1; then
	waiting --call 50
	tool_start funclatency -p "$wpid" "$W:workload_target"
	if command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; then
		oracle_start "uretprobe:$W:workload_target /pid == $wpid/ { @n = count(); }
			BEGIN { printf(\"ready\\n\"); }"
	fi
	echo go >"$fifo"
	wait "$wpid"
	tool_stop
	contains "$(cat "$tool_out")" "     usecs               : count     distribution" "columns"
	[ "$(count)" = 50 ] || fail "uprobe: $(cat "$tool_out")"
	if [ -n "$bpt_pid" ]; then
		oracle_stop
		n=$(sed -n 's/^@n: //p' "$bpt_out")
		[ "$n" = 50 ] || fail "bpftrace counted '$n': $(cat "$bpt_out")"
	fi
	grep -q ":ftrig_$tool_pid/" "$T/uprobe_events" && fail "uprobes left behind"
fi

waiting --getppid 20
tool_start funclatency -j -p "$wpid" syscalls:sys_enter_getppid,syscalls:sys_exit_getppid
echo go >"$fifo"
wait "$wpid"
tool_stop
contains "$(cat "$tool_out")" '{"time":' "json"
contains "$(cat "$tool_out")" '"unit":"usecs","count":20,"buckets":[{"lo":0,' "json count"

# The buckets against bpftrace's own times of the same calls: 20 sleeps of 2.5 ms between the
# clock_nanosleep tracepoint pair. bpftrace prints each call's time in usecs; the test puts
# each in ftrig's bucket, (LO-1, HI] as the kernel's log2 buckets are, and needs ftrig's
# histogram to hold exactly those. A time within 50 us of a bucket's edge may land on either
# side: the two tools read the clock at different moments of the same events.
if command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; then
	waiting --sleep 20:2500
	tool_start funclatency -p "$wpid" \
		syscalls:sys_enter_clock_nanosleep,syscalls:sys_exit_clock_nanosleep
	oracle_start "tracepoint:syscalls:sys_enter_clock_nanosleep /pid == $wpid/ { @s[tid] = nsecs; }
		tracepoint:syscalls:sys_exit_clock_nanosleep /pid == $wpid && @s[tid]/ {
			printf(\"lat %d\\n\", (nsecs - @s[tid]) / 1000); delete(@s[tid]); }
		BEGIN { printf(\"ready\\n\"); }"
	echo go >"$fifo"
	wait "$wpid"
	tool_stop
	oracle_stop
	[ "$(count)" = 20 ] || fail "sleeps: $(cat "$tool_out")"
	[ "$(grep -c '^lat ' "$bpt_out")" = 20 ] || fail "bpftrace saw: $(cat "$bpt_out")"
	# ftrig's rows "LO -> HI : N |...|" against the times: each row's N must lie between
	# the times surely in (LO-1, HI] and those that may be, and the rows must add up.
	verdict=$(awk '
		FNR == NR && $1 == "lat" { t[++n] = $2; next }
		FNR != NR && $2 == "->" && $4 == ":" {
			lo = $1; hi = $3; got = $5; sure = 0; maybe = 0
			for (i = 1; i <= n; i++) {
				if (t[i] >= lo + 50 && t[i] <= hi - 50) sure++
				else if (t[i] >= lo - 50 && t[i] <= hi + 50) maybe++
			}
			if (got < sure || got > sure + maybe)
				printf "bucket %s -> %s: ftrig %d, bpftrace %d (+%d at an edge)\n", lo, hi, got, sure, maybe
		}' "$bpt_out" "$tool_out")
	[ -z "$verdict" ] || fail "buckets differ from bpftrace's: $verdict
$(cat "$tool_out")
$(cat "$bpt_out")"
fi

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
