# ftrig record and report on the 6.1 kernel, against the kernel's own histogram: a hist
# trigger counts the workload's reads by task and log2 of the size while ftrig records the
# same events into a trace.dat file; ftrig report --key counts the file into the same table
# (same rows, same buckets, same counts) in the same CSV, and reads a kprobe's records too.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
W=$FTRIG_HELPERS/workload
[ -x "$W" ] || skip "no workload helper in $FTRIG_HELPERS"
private_state

RD=syscalls:sys_enter_read
C=ftrv$$
N=ftrv$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-record.XXXXXX")
# The kernel hist journals in a state directory of its own: record's must end empty.
hs=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-state.XXXXXX")
hist() { FTRIG_STATE_DIR=$hs "$FTRIG" hist "$@"; }
cleanup() {
	hist rm $RD --name $N >/dev/null 2>&1
	rm -rf "$tmp" "$FTRIG_STATE_DIR" "$hs"
}
trap cleanup EXIT

"$FTRIG" record $RD -o "$tmp/probe.dat" --duration 1ms >"$tmp/out" 2>&1
grep -q "without libtracecmd" "$tmp/out" && skip "ftrig was built without libtracecmd"
rm -f "$tmp/probe.dat"

expect_exit 0 hist start $RD --key common_pid.execname --key count.log2 --name $N --backend hist
contains "$out" "hist" "hist start --backend hist"

"$FTRIG" record $RD --comm "$C" -o "$tmp/t.dat" --duration 600s >"$tmp/out" 2>"$tmp/err" &
fp=$!
i=0
while [ "$(cat "$T/instances/ftrig-$fp/events/syscalls/sys_enter_read/enable" 2>/dev/null)" != 1 ]; do
	kill -0 $fp 2>/dev/null || fail "ftrig record died: $(cat "$tmp/err")"
	i=$((i + 1))
	[ $i -lt 1200 ] || fail "ftrig record did not enable $RD in 120 s"
	sleep 0.1
done
"$W" --comm "$C" --read-sizes 40 --read 7:4096 >"$tmp/wl" || fail "workload: $(cat "$tmp/wl")"
kill -s INT $fp
wait $fp || fail "ftrig record exited $?: $(cat "$tmp/err")"
contains "$(cat "$tmp/err")" "47 events recorded to $tmp/t.dat, 0 lost" "record's summary"
[ ! -d "$T/instances/ftrig-$fp" ] || fail "record left its instance"
state_empty

# The workload's rows of the kernel's table and of the report's, in the same CSV.
kernel=$(hist dump $RD --name $N --format csv | grep ",$C," | sort)
expect_exit 0 "$FTRIG" report "$tmp/t.dat" $RD --key common_pid.execname --key count.log2 \
	--format csv
report=$(echo "$out" | grep ",$C," | sort)
[ "$(echo "$kernel" | wc -l)" = 8 ] || fail "the kernel's table has not 8 rows of $C: $kernel"
same_lines "report --key vs the kernel's hist" "$kernel" "$report" "$tmp/err"
echo "$report" | grep -q ",7$" || fail "no bucket of the 7 reads of 4096: $report"

# The text form prints every recorded event.
expect_exit 0 "$FTRIG" report "$tmp/t.dat"
[ "$(echo "$out" | grep -c " sys_enter_read: ")" = 47 ] || fail "report: $(echo "$out" | head -n 3)"

# A kprobe's records: ftrig report reads the fields the probe fetched.
if "$FTRIG" info --require kprobe_events >/dev/null 2>&1; then
	grp=ftrv_$$
	echo "p:$grp/open do_sys_openat2 dfd=%di:s32" >>"$T/kprobe_events" || fail "kprobe"
	"$FTRIG" record "$grp:open" --comm "$C" -o "$tmp/k.dat" --duration 600s >"$tmp/out" 2>"$tmp/err" &
	fp=$!
	i=0
	while [ "$(cat "$T/instances/ftrig-$fp/events/$grp/open/enable" 2>/dev/null)" != 1 ]; do
		kill -0 $fp 2>/dev/null || fail "ftrig record died: $(cat "$tmp/err")"
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "ftrig record did not enable $grp:open in 120 s"
		sleep 0.1
	done
	"$W" --comm "$C" --open 5:/dev/null >/dev/null || fail "workload --open"
	kill -s INT $fp
	wait $fp || fail "ftrig record of a kprobe exited $?: $(cat "$tmp/err")"
	echo "-:$grp/open" >>"$T/kprobe_events"
	expect_exit 0 "$FTRIG" report "$tmp/k.dat" --key dfd --format csv
	contains "$out" "-100,5" "report of the kprobe's dfd (AT_FDCWD, 5 opens)"
fi
state_empty
echo "ok"
