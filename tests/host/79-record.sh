# ftrig record writes a trace.dat file of exactly the events the workload made, which
# trace-cmd report (the peer) reads and counts exactly; ftrig report prints it and counts it
# into a histogram that agrees with a live BPF hist of the same run, in the dump formats
# that hist diff and hist stats read. Bad inputs fail with a clear message and leave no
# instance, no journal and no output file behind.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

W=$FTRIG_HELPERS/workload
C=ftrec$$
N=ftrec$$
GP=syscalls:sys_enter_getppid
RD=syscalls:sys_enter_read
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-record.XXXXXX")
# The live hist journals in a state directory of its own: record's must end empty.
hs=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-state.XXXXXX")
hist() { FTRIG_STATE_DIR=$hs "$FTRIG" hist "$@"; }
grp=ftrec_$$
cleanup() {
	echo "-:$grp/target" >>"$T/uprobe_events" 2>/dev/null
	hist rm $GP --name $N >/dev/null 2>&1
	rm -rf "$tmp" "$FTRIG_STATE_DIR" "$hs"
}
trap cleanup EXIT

"$FTRIG" record $GP -o "$tmp/probe.dat" --duration 1ms >"$tmp/out" 2>&1
grep -q "without libtracecmd" "$tmp/out" && skip "ftrig was built without libtracecmd"
rm -f "$tmp/probe.dat"
state_empty

# ready PID EVENT...: wait until ftrig PID has enabled every EVENT (SYS/EVENT) in its instance.
ready() {
	rp=$1
	shift
	for e in "$@"; do
		i=0
		while [ "$(cat "$T/instances/ftrig-$rp/events/$e/enable" 2>/dev/null)" != 1 ]; do
			kill -0 "$rp" 2>/dev/null || fail "ftrig record died: $(cat "$tmp/err")"
			i=$((i + 1))
			[ $i -lt 600 ] || fail "ftrig record did not enable $e in 60 s"
			sleep 0.1
		done
	done
}

# The live hist of the same run: BPF on this host (no hist triggers), the same key.
live=no
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	expect_exit 0 hist start $GP --key common_pid.execname --name $N --backend bpf
	live=yes
elif [ "${FTRIG_TEST_STRICT:-0}" = 1 ]; then
	fail "this kernel loads no BPF programs: no live hist to compare with"
fi

"$FTRIG" record $GP $RD --comm "$C" -o "$tmp/t.dat" --duration 300s >"$tmp/out" 2>"$tmp/err" &
fp=$!
ready $fp syscalls/sys_enter_getppid syscalls/sys_enter_read
"$W" --comm "$C" --getppid 1234 --read 37:16 >"$tmp/wl" || fail "workload: $(cat "$tmp/wl")"
kill -s INT $fp
wait $fp || fail "ftrig record exited $?: $(cat "$tmp/err")"
contains "$(cat "$tmp/err")" "1271 events recorded to $tmp/t.dat, 0 lost" "record's summary"
[ -s "$tmp/t.dat" ] || fail "no file $tmp/t.dat"
[ "$(ls -A "$tmp")" = "$(printf 'err\nout\nt.dat\nwl')" ] || fail "files left beside: $(ls -A "$tmp")"
[ ! -d "$T/instances/ftrig-$fp" ] || fail "record left its instance ftrig-$fp"
state_empty

# The peer reads the file and counts exactly what the workload made.
if command -v trace-cmd >/dev/null 2>&1; then
	trace-cmd report "$tmp/t.dat" >"$tmp/tc" 2>"$tmp/tc.err" || fail "trace-cmd report: $(cat "$tmp/tc.err")"
	[ "$(grep -c " sys_enter_getppid: " "$tmp/tc")" = 1234 ] ||
		fail "trace-cmd report counts $(grep -c " sys_enter_getppid: " "$tmp/tc") getppid, not 1234"
	[ "$(grep -c " sys_enter_read: .*count: 0x0*10" "$tmp/tc")" = 37 ] ||
		fail "trace-cmd report counts $(grep -c " sys_enter_read: " "$tmp/tc") reads of 16, not 37"
	[ "$(grep -c "^ *$C-[0-9]" "$tmp/tc")" = 1271 ] || fail "trace-cmd report: not 1271 events of $C"
	# The clock the timestamps are on is in the file, where the peer looks for it.
	trace-cmd dump --clock "$tmp/t.dat" 2>&1 | grep -q '^[[:space:]]*\[mono\]$' ||
		fail "trace-cmd finds no clock in the file: $(trace-cmd dump --clock "$tmp/t.dat" 2>&1)"
elif [ "${FTRIG_TEST_STRICT:-0}" = 1 ]; then
	fail "trace-cmd (the peer) is not installed"
fi

# ftrig report prints every event, in pipe's text and JSON forms.
expect_exit 0 "$FTRIG" report "$tmp/t.dat"
[ "$(echo "$out" | grep -c "^ *$C-[0-9]* .* sys_enter_getppid: *$")" = 1234 ] ||
	fail "report: not 1234 getppid lines: $(echo "$out" | head -n 3)"
expect_exit 0 "$FTRIG" report "$tmp/t.dat" $RD --json
[ "$(echo "$out" | grep -c "\"event\":\"sys_enter_read\",.*\"comm\":\"$C\".*\"count\":16}}$")" = 37 ] ||
	fail "report --json: not 37 reads: $(echo "$out" | head -n 2)"

# Its histogram: the same counts as the live one, dumped in the same formats.
expect_exit 0 "$FTRIG" report "$tmp/t.dat" $GP --key common_pid.execname --format csv
rep=$(echo "$out" | awk -F, -v c="$C" '$2 == c { s += $3 } END { print s + 0 }')
[ "$rep" = 1234 ] || fail "report --key counts $rep getppid of $C, not 1234: $out"
if [ $live = yes ]; then
	got=$(hist dump $GP --name $N --format csv | awk -F, -v c="$C" '$2 == c { s += $3 } END { print s + 0 }')
	[ "$got" = "$rep" ] || fail "the live hist counts $got, report $rep"
	hist dump $GP --name $N --format json -o "$tmp/live.json" || fail "hist dump"
	"$FTRIG" report "$tmp/t.dat" $GP --key common_pid.execname --format json -o "$tmp/rep.json" ||
		fail "report -o"
	expect_exit 0 "$FTRIG" hist diff "$tmp/live.json" "$tmp/rep.json"
	# The live hist also counted other processes; the report only $C, unchanged.
	contains "$out" "0 changed, 0 appeared," "hist diff of the live and the report's hist"
	contains "$out" "disappeared, 1 unchanged" "hist diff of the live and the report's hist"
	! echo "$out" | grep -q "common_pid=$C " || fail "hist diff: $C differs: $out"
fi
expect_exit 0 "$FTRIG" report "$tmp/t.dat" --key common_pid --format json -o "$tmp/ev.json"
expect_exit 0 "$FTRIG" hist stats "$tmp/ev.json"
contains "$out" "count  1271" "hist stats of the report's hist"
expect_exit 0 "$FTRIG" report "$tmp/t.dat" "syscalls:sys_enter_*" --key common_pid.execname \
	--key event --format text
echo "$out" | grep -q "event: syscalls:sys_enter_read  *} hitcount:  *37$" ||
	fail "report --key event: $out"
echo "$out" | grep -q "event: syscalls:sys_enter_getppid  *} hitcount:  *1234$" ||
	fail "report --key event: $out"
contains "$out" "Hits: 1271" "report's totals"
expect_exit 0 "$FTRIG" report "$tmp/t.dat" $RD --key count --filter 'count == 16' --format csv
contains "$out" "16,37" "report --filter"

# A probe's records: the fields it fetched are counted from the file, as from a tracepoint's.
if [ -f "$T/uprobe_events" ]; then
	off=$(cat "$FTRIG_HELPERS/workload.uprobe") || fail "no workload.uprobe next to the workload"
	echo "p:$grp/target $W:$off i=%di:s64 arg=%si:s64" >>"$T/uprobe_events" ||
		fail "cannot define the uprobe"
	"$FTRIG" record "$grp:target" --comm "$C" -o "$tmp/u.dat" --duration 300s >"$tmp/out" 2>"$tmp/err" &
	fp=$!
	ready $fp "$grp/target"
	"$W" --comm "$C" --call 5 >"$tmp/wl" || fail "workload: $(cat "$tmp/wl")"
	kill -s INT $fp
	wait $fp || fail "ftrig record of a uprobe exited $?: $(cat "$tmp/err")"
	expect_exit 0 "$FTRIG" report "$tmp/u.dat" --key i --val arg --sort i --format csv
	same_lines "report --key of a uprobe's field" "i,hitcount,arg
0,1,0
1,1,3
2,1,6
3,1,9
4,1,12" "$out" "$tmp/err"
	state_empty
elif [ "${FTRIG_TEST_STRICT:-0}" = 1 ]; then
	fail "this kernel has no uprobe_events"
fi

# Lost events: ftrig is stopped while the workload overruns a small buffer. What the file
# holds plus what is reported lost is exactly what the workload made, the peer reads the
# same number, and report shows where the kernel marked the loss.
"$FTRIG" record $GP --comm "$C" --buffer-size 8 -o "$tmp/l.dat" >"$tmp/out" 2>"$tmp/err" &
fp=$!
ready $fp syscalls/sys_enter_getppid
kill -s STOP $fp
"$W" --comm "$C" --getppid 50000 >/dev/null
kill -s CONT $fp
sleep 1
kill -s INT $fp
wait $fp || fail "record with losses exited $?: $(cat "$tmp/err")"
rec=$(sed -n 's/.* \([0-9]*\) events recorded to .*, \([0-9]*\) lost$/\1/p' "$tmp/err")
lost=$(sed -n 's/.* \([0-9]*\) events recorded to .*, \([0-9]*\) lost$/\2/p' "$tmp/err")
[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no loss reported: $(cat "$tmp/err")"
[ $((rec + lost)) = 50000 ] || fail "$rec recorded + $lost lost is not the 50000 made"
expect_exit 0 "$FTRIG" report "$tmp/l.dat"
[ "$(echo "$out" | grep -c " sys_enter_getppid: ")" = "$rec" ] || fail "report: not $rec events"
echo "$out" | grep -q '^CPU:[0-9]* \[LOST [0-9 ]*EVENTS\]$' || fail "report shows no loss"
if command -v trace-cmd >/dev/null 2>&1; then
	[ "$(trace-cmd report "$tmp/l.dat" 2>/dev/null | grep -c " sys_enter_getppid: ")" = "$rec" ] ||
		fail "trace-cmd report does not count the $rec recorded"
fi
state_empty

# Bad inputs: exit 1 or 2, a message that names the problem, nothing left behind.
before=$(ls "$T/instances")
expect_exit 1 "$FTRIG" report "$tmp/missing.dat"
contains "$out" "cannot read $tmp/missing.dat: No such file" "report of a missing file"
expect_exit 1 "$FTRIG" report "$tmp/wl"
contains "$out" "is not a trace.dat file" "report of a file that is not trace.dat"
expect_exit 2 "$FTRIG" report "$tmp/t.dat" --key comon_pid.execname
contains "$out" "no field 'comon_pid'" "report --key with a typo"
contains "$out" "did you mean common_pid?" "report --key with a typo"
expect_exit 2 "$FTRIG" report "$tmp/t.dat" --key common_pid --backend hist
contains "$out" "--backend is for live histograms" "report --backend"
expect_exit 1 "$FTRIG" report "$tmp/t.dat" --key common_pid -o "$tmp/nodir/h.json"
[ ! -e "$tmp/nodir" ] || fail "report -o into a missing directory created something"
expect_exit 2 "$FTRIG" record $GP
contains "$out" "give -o FILE" "record without -o"
expect_exit 1 "$FTRIG" record $GP -o "$tmp/nodir/t.dat" --duration 1s
contains "$out" "directory $tmp/nodir does not exist" "record -o into a missing directory"
[ ! -e "$tmp/nodir" ] || fail "record -o into a missing directory created something"
"$FTRIG" record syscalls:no_such_event -o "$tmp/bad.dat" --duration 1s >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || [ $rc = 2 ] || fail "record of a missing event exited $rc: $(cat "$tmp/out")"
[ ! -e "$tmp/bad.dat" ] || fail "record of a missing event left $tmp/bad.dat"
# libtracecmd is loaded by record and report (src/record/tracecmd-dl.c): hidden (an empty
# file bound over it in a mount namespace of their own), both say so and write nothing, and
# record says it before it records anything.
so=$(ldconfig -p | sed -n 's|^[[:space:]]*libtracecmd.so.1 (libc6,[^)]*) => ||p' | head -n 1)
if [ -n "$so" ] && command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
	expect_exit 1 unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$so" \
		"$FTRIG" record $GP -o "$tmp/nolib.dat" --duration 10s
	contains "$out" "ftrig record needs libtracecmd" "record without libtracecmd"
	[ ! -e "$tmp/nolib.dat" ] || fail "record without libtracecmd left $tmp/nolib.dat"
	expect_exit 1 unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$so" \
		"$FTRIG" report "$tmp/t.dat"
	contains "$out" "ftrig report needs libtracecmd" "report without libtracecmd"
fi
[ "$(ls -A "$tmp" | grep -c '^\.')" = 0 ] || fail "hidden files left in $tmp: $(ls -A "$tmp")"
[ "$(ls "$T/instances")" = "$before" ] || [ -z "$(debris)" ] || fail "instances left: $(debris)"
state_empty
echo "ok"
