# ftrig pipe shows exactly the sequence the workload makes, in order and with the right values,
# in text, raw and JSON modes: getppid and read system calls, and uprobe hits on
# workload_target(i, 3*i) with its return value 7*i+1. Events live only in ftrig's own
# instance (the top level and another instance see none); limits, signals and a closed pipe
# end the run cleanly and leave nothing behind.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
[ -f "$T/uprobe_events" ] || skip "this kernel has no uprobe_events"
private_state

W=$FTRIG_HELPERS/workload
off=$(cat "$FTRIG_HELPERS/workload.uprobe") || fail "no workload.uprobe next to the workload"
grp=ftpipe_$$
comm=ftpw$$
other=ftpipe-other-$$
tmp=${TMPDIR:-/tmp}/ftrig-pipe.$$
# ftrig must not touch the top level: note what is enabled there now, to compare after.
top_before=$(cat "$T/events/syscalls/sys_enter_getppid/enable" "$T/events/syscalls/sys_enter_read/enable")

cleanup() {
	echo "-:$grp/target" >>"$T/uprobe_events" 2>/dev/null
	echo "-:$grp/target_ret" >>"$T/uprobe_events" 2>/dev/null
	rmdir "$T/instances/$other" 2>/dev/null
	rm -f "$tmp".*
}
trap cleanup EXIT
echo "p:$grp/target $W:$off i=%di:s64 arg=%si:s64" >>"$T/uprobe_events" ||
	fail "cannot define the uprobe"
echo "r:$grp/target_ret $W:$off ret=\$retval:s64" >>"$T/uprobe_events" ||
	fail "cannot define the uretprobe"
mkdir "$T/instances/$other" || fail "cannot create instance $other"

expected="getppid
getppid
getppid
read 16
read 16
target 0 0
ret 1
target 1 3
ret 8
target 2 6
ret 15
getppid"

# normalize MODE < OUTPUT: one line per event: "getppid", "read COUNT", "target I ARG", "ret R".
normalize() {
	case $1 in
	text)
		sed -n -e 's/.*: sys_getppid()$/getppid/p' \
			-e 's/.*: sys_read(fd: [0-9a-fx]*, buf: [0-9a-fx]*, count: \(0x\)*10)$/read 16/p' \
			-e 's/.*: target: ([0-9a-fx]*) i=\([0-9]*\) arg=\([0-9]*\)$/target \1 \2/p' \
			-e 's/.*: target_ret: (.*) ret=\([0-9]*\)$/ret \1/p'
		;;
	raw)
		sed -n -e 's/.*: sys_enter_getppid: *$/getppid/p' \
			-e 's/.*: sys_enter_read: .*count: 0x0*10$/read 16/p' \
			-e 's/.*: target: ([0-9a-fx]*) i=\([0-9]*\) arg=\([0-9]*\)$/target \1 \2/p' \
			-e 's/.*: target_ret: (.*) ret=\([0-9]*\)$/ret \1/p'
		;;
	json)
		sed -n -e 's/.*"event":"sys_enter_getppid".*"fields":{"__syscall_nr":[0-9]*}}$/getppid/p' \
			-e 's/.*"event":"sys_enter_read".*"fields":{.*"count":\([0-9]*\)}}$/read \1/p' \
			-e 's/.*"event":"target".*"fields":{.*"i":\([0-9]*\),"arg":\([0-9]*\)}}$/target \1 \2/p' \
			-e 's/.*"event":"target_ret".*"fields":{.*"ret":\([0-9]*\)}}$/ret \1/p'
		;;
	esac
}

# ready PID EVENT...: wait until ftrig PID has enabled every EVENT (SYS/EVENT) in its instance.
ready() {
	rp=$1
	shift
	i=0
	for e in "$@"; do
		while [ "$(cat "$T/instances/ftrig-$rp/events/$e/enable" 2>/dev/null)" != 1 ]; do
			kill -0 "$rp" 2>/dev/null || fail "ftrig pipe died: $(cat "$tmp.err")"
			i=$((i + 1))
			[ $i -lt 600 ] || fail "ftrig pipe did not enable $e in 60 s"
			sleep 0.1
		done
	done
}

# run MODE FLAGS...: stream while the workload runs; checks the sequence and the kernel after.
run() {
	mode=$1
	shift
	"$FTRIG" pipe syscalls:sys_enter_getppid syscalls:sys_enter_read "$grp:*" --comm "$comm" \
		--count 12 --duration 120s "$@" >"$tmp.out" 2>"$tmp.err" &
	fp=$!
	inst=ftrig-$fp
	ready "$fp" syscalls/sys_enter_getppid syscalls/sys_enter_read "$grp/target" "$grp/target_ret"
	# While ftrig runs: its instance has the events, the top level and the other do not.
	[ "$(cat "$T/events/$grp/target/enable")" = 0 ] || fail "$mode: uprobe enabled at top level"
	[ "$(cat "$T/instances/$other/events/$grp/target/enable")" = 0 ] ||
		fail "$mode: uprobe enabled in another instance"
	"$W" --comm "$comm" --getppid 3 --read 2:16 --call 3 --getppid 1 >"$tmp.wl" 2>&1 ||
		fail "workload failed: $(cat "$tmp.wl")"
	wait "$fp" || fail "$mode: ftrig pipe exited $?: $(cat "$tmp.err")"
	same_lines "$mode" "$expected" "$(normalize "$mode" <"$tmp.out")" "$tmp.out"
	[ ! -d "$T/instances/$inst" ] || fail "$mode: instance $inst left behind"
	state_empty
}

# (The text mode shows what the kernel prints; 6.1 may print <...> for the task name.)
run text
run raw --raw
contains "$(cat "$tmp.out")" "$comm-" "raw output"
run json --json
pid=$(sed -n 's/^pid //p' "$tmp.wl")
n=$(grep -c "\"pid\":$pid,\"comm\":\"$comm\"" "$tmp.out")
[ "$n" = 12 ] || fail "json: $n of 12 events carry pid $pid and comm $comm: $(cat "$tmp.out")"
grep -q '"common":{"common_type":[0-9]*,"common_flags":[0-9]*,"common_preempt_count":[0-9]*,"common_pid":'"$pid" \
	"$tmp.out" || fail "json: no common fields: $(head -n 2 "$tmp.out")"
grep -q '"timestamp_ns":[0-9]*,' "$tmp.out" || fail "json: no timestamps"

# Timestamps never go back, in either decoded mode.
prev=0
for ts in $(sed -n 's/.*"timestamp_ns":\([0-9]*\),.*/\1/p' "$tmp.out"); do
	[ "$ts" -ge "$prev" ] || fail "json: timestamp $ts after $prev"
	prev=$ts
done

# Nothing of ftrig's reached the top level or the other instance.
! grep -q "$comm" "$T/instances/$other/trace" || fail "the other instance saw ftrig's events"
! grep -q "$comm" "$T/trace" || fail "the top-level buffer saw ftrig's events"
top_after=$(cat "$T/events/syscalls/sys_enter_getppid/enable" "$T/events/syscalls/sys_enter_read/enable")
[ "$top_before" = "$top_after" ] || fail "top-level enables changed"

# Lost events are reported, never silent: ftrig is stopped while the workload overruns a
# small buffer; what is written plus what is reported lost is exactly what the workload made.
for mode in json text; do
	flag=
	[ "$mode" = text ] || flag=--json
	"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm" --buffer-size 8 $flag \
		>"$tmp.out" 2>"$tmp.err" &
	fp=$!
	ready "$fp" syscalls/sys_enter_getppid
	kill -s STOP "$fp"
	"$W" --comm "$comm" --getppid 50000 >/dev/null
	kill -s CONT "$fp"
	sleep 1
	kill -s INT "$fp"
	wait "$fp" || fail "lost/$mode: exited $?: $(cat "$tmp.err")"
	written=$(sed -n 's/.* \([0-9]*\) events written.*/\1/p' "$tmp.err")
	lost=$(sed -n 's/.*, \([0-9]*\) lost in the kernel.*/\1/p' "$tmp.err")
	# a loaded machine: the stop's last read may not have read all (the summary says so)
	left=$(sed -n "s/.*, \([0-9]*\) left unread in the kernel's buffer.*/\1/p" "$tmp.err")
	[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "lost/$mode: no loss reported: $(cat "$tmp.err")"
	[ "$(grep -c getppid "$tmp.out")" = "$written" ] ||
		fail "lost/$mode: $(grep -c getppid "$tmp.out") events in the output, $written said"
	[ $((written + lost + ${left:-0})) = 50000 ] ||
		fail "lost/$mode: $written written + $lost lost + ${left:-0} left is not the 50000 made"
	if [ "$mode" = json ]; then
		grep -q '^{"type":"lost","cpu":[0-9]*,"lost":' "$tmp.out" ||
			fail "lost/json: no lost record in the output"
	else
		grep -q '^CPU:[0-9]* \[LOST [0-9]* EVENTS\]' "$tmp.out" ||
			fail "lost/text: no lost line in the output"
	fi
	state_empty
done

# A closed pipe ends the run: exit 0, nothing left.
rm -f "$tmp.pid"
{
	sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp.pid" \
		"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm" --duration 120s 2>"$tmp.err"
	echo $? >"$tmp.rc"
} | head -n 3 >"$tmp.out" &
hp=$!
i=0
while [ ! -s "$tmp.pid" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ready "$(cat "$tmp.pid")" syscalls/sys_enter_getppid
start=$(date +%s)
"$W" --comm "$comm" --getppid 5 --sleep 1:300000 --getppid 5 --sleep 1:300000 --getppid 5 \
	>/dev/null 2>&1
wait "$hp"
[ "$(cat "$tmp.rc")" = 0 ] || fail "| head: ftrig exited $(cat "$tmp.rc"): $(cat "$tmp.err")"
[ $(($(date +%s) - start)) -lt 60 ] || fail "| head: ftrig did not notice the closed pipe"
[ "$(grep -c 'sys_getppid()' "$tmp.out")" = 3 ] || fail "| head: $(cat "$tmp.out")"
[ ! -d "$T/instances/ftrig-$(cat "$tmp.pid")" ] || fail "| head left its instance"
state_empty

# SIGINT and SIGTERM end the run cleanly too.
for sig in INT TERM; do
	"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm" --json >"$tmp.out" 2>"$tmp.err" &
	fp=$!
	ready "$fp" syscalls/sys_enter_getppid
	"$W" --comm "$comm" --getppid 4 >/dev/null
	sleep 1
	kill -s "$sig" "$fp"
	wait "$fp"
	rc=$?
	[ "$rc" = 0 ] || fail "SIG$sig: exited $rc: $(cat "$tmp.err")"
	[ "$(grep -c sys_enter_getppid "$tmp.out")" = 4 ] || fail "SIG$sig: $(cat "$tmp.out")"
	[ ! -d "$T/instances/ftrig-$fp" ] || fail "SIG$sig left the instance"
	state_empty
done

# -o writes to a file, nothing to standard output; --count stops at the count.
"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$comm" --count 2 --json -o "$tmp.o" \
	>"$tmp.out" 2>"$tmp.err" &
fp=$!
ready "$fp" syscalls/sys_enter_getppid
"$W" --comm "$comm" --getppid 5 >/dev/null
wait "$fp" || fail "-o: exited $?: $(cat "$tmp.err")"
[ ! -s "$tmp.out" ] || fail "-o: standard output got: $(cat "$tmp.out")"
[ "$(grep -c '"event":"sys_enter_getppid"' "$tmp.o")" = 2 ] || fail "-o: $(cat "$tmp.o")"
state_empty

# Bad input: a clear error, and the kernel left as it was.
expect_exit 1 "$FTRIG" pipe "nosuchsys$$:nothing"
contains "$out" "no event matches 'nosuchsys$$:nothing'"
expect_exit 1 "$FTRIG" pipe syscalls:sys_enter_getppid --filter 'no_such_field == 1' --count 1
contains "$out" "refused the filter 'no_such_field == 1' on syscalls:sys_enter_getppid"
# CMD-9: misspelt events and filter fields get a suggestion.
expect_exit 1 "$FTRIG" pipe syscalls:sys_enter_getppd --count 1
contains "$out" "did you mean syscalls:sys_enter_getppid?" "pipe: misspelt event"
expect_exit 1 "$FTRIG" pipe sched:sched_switch --filter 'prev_comm == "x" && nxt_pid > 3' --count 1
contains "$out" "no field 'nxt_pid' in sched:sched_switch; did you mean next_pid?" "pipe: misspelt field"
expect_exit 2 "$FTRIG" pipe syscalls:sys_enter_getppid --duration 10x
contains "$out" "--duration '10x'"
state_empty
rm -rf "$FTRIG_STATE_DIR"
exit 0
