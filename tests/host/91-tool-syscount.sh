# ftrig syscount on a workload with exactly known calls (77 getppid, 7 openat of a file and 3
# with bad arguments, 5 reads of /dev/zero): by call, failed calls only (-x), by process (-P),
# with the time (-L), in bcc's columns (openat: 11, the workload opens /dev/zero too); the
# counts equal bpftrace's on the same run, and -L's time bpftrace's to a few us a call.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require bpf >/dev/null 2>&1 ||
	"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs BPF or hist triggers"
private_state
W=$FTRIG_HELPERS/workload
comm=sc$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t91-bpftrace.$$
tool_pid= bpt_pid=
trap 'tool_cleanup' EXIT
have_bpftrace() { command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; }

expect_exit 2 "$FTRIG" syscount extra
contains "$out" "syscount takes no operands" "operand"
expect_exit 2 "$FTRIG" syscount -d 0
contains "$out" "-d takes seconds" "-d 0"
expect_exit 2 "$FTRIG" syscount --live -j
contains "$out" "--live opens the view" "--live -j"

# run ARGS...: syscount ARGS on one workload run, with bpftrace counting the same calls at
# sys_exit (filtered as ARGS filter: FILTER, set by the caller) when it is there.
run() {
	tool_start syscount --top 100 -c "$comm" "$@"
	if have_bpftrace; then
		oracle_start "tracepoint:raw_syscalls:sys_exit /comm == \"$comm\" $filter/ { @total = count(); }
			tracepoint:syscalls:sys_exit_getppid, tracepoint:syscalls:sys_exit_openat,
			tracepoint:syscalls:sys_exit_read /comm == \"$comm\" $filter/ { @[probe] = count(); }
			tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
			"$W" --comm "r$comm" --getppid 1
	fi
	"$W" --comm "$comm" --getppid 77 --open "7:$W" --syscall 257:3 --read 5:100 \
		>/dev/null 2>&1
	tool_stop
	[ -z "$bpt_pid" ] || oracle_stop
}
# oracle NAME: bpftrace's count at syscalls:sys_exit_NAME, @total for "total".
oracle() {
	if [ "$1" = total ]; then
		sed -n 's/^@total: //p' "$bpt_out"
	else
		sed -n "s/^@\[tracepoint:syscalls:sys_exit_$1\]: //p" "$bpt_out"
	fi
}
total() { awk 'f && NF { s += $NF } /COUNT/ { f = 1 } END { print s + 0 }' "$tool_out"; }

filter=
run
contains "$(cat "$tool_out")" "SYSCALL                   COUNT" "columns"
[ "$(tool_row getppid)" = 77 ] || fail "getppid: $(cat "$tool_out")"
[ "$(tool_row openat)" = 11 ] || fail "openat: $(cat "$tool_out")"
[ "$(tool_row read)" -ge 5 ] || fail "read: $(cat "$tool_out")"
if have_bpftrace; then
	for c in getppid openat read; do
		[ "$(tool_row $c)" = "$(oracle $c)" ] || fail "$c: ftrig $(tool_row $c), bpftrace $(oracle $c)"
	done
	[ "$(total)" = "$(oracle total)" ] || fail "total: ftrig $(total), bpftrace $(oracle total)"
fi

# -x: failed calls only: the 3 bad openat calls, no getppid.
filter='&& args->ret < 0'
run -x
contains "$(cat "$tool_out")" "Tracing failed syscalls" "-x header"
[ "$(tool_row openat)" = 3 ] || fail "-x openat: $(cat "$tool_out")"
[ "$(tool_row getppid)" = 0 ] || fail "-x getppid: $(cat "$tool_out")"
if have_bpftrace; then
	[ "$(total)" = "$(oracle total)" ] || fail "-x total: ftrig $(total), bpftrace $(oracle total)"
fi

# -P -L: one row, the workload's, with its time; the same total.
filter=
run -P -L
contains "$(cat "$tool_out")" "PID    COMM               COUNT        TIME (us)" "-P -L columns"
rows=$(awk 'f && NF { n++ } /COUNT/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$rows" = 1 ] || fail "-P: $rows rows: $(cat "$tool_out")"
contains "$(cat "$tool_out")" " $comm " "-P comm"
n=$(awk 'f && NF { print $3 } /COUNT/ { f = 1 }' "$tool_out")
[ "$n" -ge 92 ] || fail "-P count $n: $(cat "$tool_out")"
if have_bpftrace; then
	[ "$n" = "$(oracle total)" ] || fail "-P total: ftrig $n, bpftrace $(oracle total)"
fi

# -L's time against bpftrace's sum of the same calls' times: 10 sleeps of 2 ms. The two read
# the clock at different moments of the same events, a few us apart; 50 us a call is allowed,
# where a wrong unit or a wrong join of entry and exit is off by thousands.
if have_bpftrace; then
	tool_start syscount -L --top 100 -c "$comm"
	oracle_start "tracepoint:syscalls:sys_enter_clock_nanosleep /comm == \"$comm\"/ { @s[tid] = nsecs; }
		tracepoint:syscalls:sys_exit_clock_nanosleep /comm == \"$comm\" && @s[tid]/ {
			@t = sum(nsecs - @s[tid]); @n = count(); delete(@s[tid]); }
		tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
	"$W" --comm "$comm" --sleep 10:2000 >/dev/null 2>&1
	tool_stop
	oracle_stop
	calls=$(awk '$1 == "clock_nanosleep" { print $2 }' "$tool_out")
	us=$(awk '$1 == "clock_nanosleep" { print $3 }' "$tool_out")
	[ "$calls" = 10 ] && [ "$(oracle_val n)" = 10 ] ||
		fail "-L sleeps: ftrig '$calls', bpftrace '$(oracle_val n)': $(cat "$tool_out")"
	awk -v f="$us" -v b="$(oracle_val t)" 'BEGIN { d = f - b / 1000; exit !(d < 500 && d > -500) }' ||
		fail "-L time: ftrig $us us, bpftrace $(oracle_val t) ns"
fi

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
