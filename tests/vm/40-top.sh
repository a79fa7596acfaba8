# ftrig top --attach in batch mode on a real hist trigger (6.1 kernel): the trigger is written
# to the trigger file directly (appended; removed with the exact text at the end), the
# workload makes exact numbers of getppid calls, and the tables and JSON lines must show
# exactly those counts, the last interval's count of a process that ran in between, and leave
# the trigger and its table as they were. The trigger is named, and watched by its name: other
# sessions' hists on the same event (the neighbour pins a BPF aggregation on it every second)
# are not ours to watch.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
private_state
gp=syscalls/sys_enter_getppid
hn=fttop$$
tg="hist:name=$hn:keys=common_pid.execname:vals=hitcount"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-top.XXXXXX")
cleanup() {
	echo "!$tg" >>"$T/events/$gp/trigger" 2>/dev/null
	private_event_rm
	FTRIG_STATE_DIR=$tmp/other "$FTRIG" hist rm syscalls:sys_enter_getppid --name "${hn}p" \
		>/dev/null 2>&1
	rm -rf "$tmp" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
grep -q '^hist:' "$T/events/$gp/trigger" && skip "someone else has a hist trigger on $gp"

# No hist trigger yet: a clear error, nothing left behind. On an event of this test's own: the
# neighbour's pin churn puts a hist on getppid half of every second, and beside it --name
# $hn is (rightly) refused as a name that event's hists do not have.
private_event ftnone
expect_exit 1 "$FTRIG" top --attach fpev$$:ftnone --name "$hn" -b -n 1
contains "$out" "no hist trigger" "--attach without a trigger"
private_event_rm
state_empty

echo "$tg" >>"$T/events/$gp/trigger" || fail "the kernel refused $tg"
"$wl" --comm fttop_a --getppid 1000 >/dev/null &
pa=$!
wait $pa || fail "workload failed"

# One table: the workload's row with its exact count, measured over one interval: LAST and
# RATE are there (TOP-6), and 0 since the workload ended before; -n1 as -n 1.
expect_exit 0 "$FTRIG" top --attach syscalls:sys_enter_getppid --name "$hn" -b -n1 -d 0.2
contains "$out" "common_pid.execname" "the title line"
row=$(echo "$out" | grep "^fttop_a \[$pa\] ")
[ -n "$row" ] || fail "no row for fttop_a [$pa]: $out"
set -- $row
[ "$3 $4 $5" = "1000 0 0.0" ] || fail "fttop_a: count, last, rate '$3 $4 $5', expected '1000 0 0.0': $row"

# Three tables a second apart; a second workload runs after the first one is printed: the
# table where it first shows has it with 500 in the last interval, and the count stays 500.
"$FTRIG" top --attach syscalls:sys_enter_getppid --name "$hn" -b -n 3 -d 1 >"$tmp/batch" 2>&1 &
tp=$!
i=0
until grep -q "^fttop_a " "$tmp/batch" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no first table after 10 s: $(cat "$tmp/batch")"
	sleep 0.1
done
"$wl" --comm fttop_b --getppid 500 >/dev/null &
pb=$!
wait $pb || fail "workload failed"
wait $tp || fail "top -b exited $?: $(cat "$tmp/batch")"
[ "$(grep -c '^ftrig top ' "$tmp/batch")" = 3 ] || fail "not 3 tables: $(cat "$tmp/batch")"
first=$(grep "^fttop_b \[$pb\] " "$tmp/batch" | head -n 1)
set -- $first
[ "$3 $4" = "500 500" ] || fail "fttop_b first row: count, last '$3 $4', expected '500 500': $first"
last=$(grep "^fttop_b \[$pb\] " "$tmp/batch" | tail -n 1)
set -- $last
[ "$3" = 500 ] || fail "fttop_b last row: count '$3', expected 500: $last"
# The rate is the last interval's count over its length: a rate was measured.
grep "^fttop_b \[$pb\] " "$tmp/batch" | head -n 1 | grep -q ' -$' &&
	fail "no rate for fttop_b: $first"

# JSON lines: one per interval, with the exact counts.
expect_exit 0 "$FTRIG" top --attach syscalls:sys_enter_getppid --name "$hn" --json -n 2 -d 0.2
[ "$(echo "$out" | grep -c '^{"time":')" = 2 ] || fail "not 2 JSON lines: $out"
# Keys typed as in hist dump (FIG-9); every line has its interval.
contains "$out" "{\"key\":{\"common_pid.execname\":{\"pid\":$pa,\"comm\":\"fttop_a\"}},\"count\":1000,\"last\":0," \
	"first JSON line"
contains "$out" "{\"key\":{\"common_pid.execname\":{\"pid\":$pb,\"comm\":\"fttop_b\"}},\"count\":500,\"last\":0," \
	"second JSON line"
case $out in *'"interval":null'*) fail "a JSON line without its interval: $out" ;; esac

# --name that matches nothing, a missing instance: errors naming the problem.
# The event has a hist ($hn): a name that matches none is refused at once, as the control
# verbs refuse it, with where to look (not "no hist trigger with that name" at the first
# refresh); a close name is suggested.
expect_exit 1 "$FTRIG" top --attach syscalls:sys_enter_getppid --name nosuch_$$ -b -n 1
contains "$out" "syscalls:sys_enter_getppid has no hist named nosuch_$$" "--name nosuch"
expect_exit 1 "$FTRIG" top --attach syscalls:sys_enter_getppid --name "${hn}x" -b -n 1
contains "$out" "has no hist named ${hn}x; did you mean $hn?" "--name of a misspelt name"
expect_exit 1 "$FTRIG" top --attach syscalls:sys_enter_getppid --instance nosuch_$$ -b -n 1
contains "$out" "no instance 'nosuch_$$'" "--instance nosuch"

# A pinned BPF aggregation beside the trigger (another session's: its own state dir): without
# --name neither is guessed, both are named (exit 2); --name picks the trigger.
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	expect_exit 0 env FTRIG_STATE_DIR="$tmp/other" "$FTRIG" hist start syscalls:sys_enter_getppid \
		--key common_pid --backend bpf --name "${hn}p"
	expect_exit 2 "$FTRIG" top --attach syscalls:sys_enter_getppid -b -n 1 -d 0.2
	contains "$out" "  pinned BPF aggregation, name ${hn}p (owner unknown" "trigger and pin"
	contains "$out" "  hist trigger, name $hn (not ftrig's): hist:name=$hn:keys=common_pid.execname" \
		"trigger and pin"
	contains "$out" "say which with --name NAME" "trigger and pin"
	expect_exit 0 "$FTRIG" top --attach syscalls:sys_enter_getppid --name "$hn" -b -n1 -d 0.2
	echo "$out" | grep -q "^fttop_a \[$pa\] *1000 " || fail "--name $hn beside a pin: $out"
	expect_exit 0 env FTRIG_STATE_DIR="$tmp/other" "$FTRIG" hist rm syscalls:sys_enter_getppid \
		--name "${hn}p"
fi

# Read only: the trigger and its table are as they were.
trigger_has "$gp" "hist:name=$hn:keys=common_pid.execname" || fail "the trigger is gone"
grep -q "fttop_a.*\[ *$pa\] } hitcount: *1000$" "$T/events/$gp/hist" ||
	fail "the table changed: $(cat "$T/events/$gp/hist")"
[ -z "$(debris)" ] || fail "left behind: $(debris)"
state_empty

# TOP-5: the trigger removed while --attach watches it: said, and exit 1, no frozen tables.
"$FTRIG" top --attach syscalls:sys_enter_getppid --name "$hn" -b -n 30 -d 0.3 >"$tmp/gone" 2>&1 &
tp=$!
i=0
until grep -q "^common_pid" "$tmp/gone" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "no first table after 20 s: $(cat "$tmp/gone")"
	sleep 0.1
done
echo "!$tg" >>"$T/events/$gp/trigger" || fail "cannot remove $tg"
rc=0
wait $tp || rc=$?
[ $rc = 1 ] || fail "top --attach exited $rc after its trigger went: $(cat "$tmp/gone")"
grep -q "no hist trigger" "$tmp/gone" ||
	fail "top --attach did not say the trigger went: $(cat "$tmp/gone")"
[ "$(grep -c '^ftrig top ' "$tmp/gone")" -lt 30 ] || fail "top went on showing tables"
exit 0
