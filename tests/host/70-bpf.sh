# The BPF backend on the running kernel, through the bpf-agg helper (the library as `hist
# start --backend bpf` will use it): exact counts of the workload's known calls on
# tracepoints and on a uprobe event, log2 buckets of its read sizes, latency buckets of its
# sleeps, a pinned aggregation that outlives its command and goes entirely when removed.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
A=$FTRIG_HELPERS/bpf-agg
W=$FTRIG_HELPERS/workload
out=$("$A" -k comm syscalls:sys_enter_getppid -- true 2>&1)
case $out in
*"built without the BPF backend"*) skip "ftrig built without the BPF backend" ;;
esac
private_state
comm=bpfw$$
grp=ftrig_bpf_$$
pin=t70_$$
cleanup() {
	grep -q "^p:$grp/" "$T/uprobe_events" 2>/dev/null && echo "-:$grp/wt" >>"$T/uprobe_events"
	[ -d "/sys/fs/bpf/ftrig/$pin" ] && "$A" -x "$pin" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# sleep_buckets: read "EXPONENT COUNT" lines of a log2 latency in us; print the counts in
# 2^14..2^16 (10 ms sleeps), 2^17..2^19 (80 ms sleeps) and in all.
sleep_buckets() {
	awk '{ if ($1 >= 14 && $1 <= 16) s += $2; if ($1 >= 17 && $1 <= 19) l += $2; n += $2 }
		END { print s + 0, l + 0, n + 0 }'
}

# rows WANT: fail unless the rows of our comm are exactly WANT (one "key hitcount" a line).
rows() {
	got=$(echo "$out" | grep "comm: $comm" | sed 's/^{ comm: [^,]*, [a-z_0-9]*: \(.*\) } hitcount: \([0-9]*\).*/\1 \2/' | sort)
	want=$(printf '%s\n' "$@" | sort)
	[ "$got" = "$want" ] || fail "rows of $comm: got '$got', want '$want' in: $out"
}

# Tracepoint, key common_pid.execname: exactly the workload's getppid calls, under its pid.
expect_exit 0 "$A" -k common_pid.execname syscalls:sys_enter_getppid -- \
	"$W" --comm "$comm" --getppid 1234
pid=$(echo "$out" | sed -n 's/^pid //p')
contains "$out" "{ common_pid: $comm [$pid] } hitcount: 1234" "getppid by execname"
contains "$out" "backend=bpf" "getppid"

# Key comm, filtered on the child's pid: the filter lets nothing else in.
expect_exit 0 "$A" -k comm -f 'common_pid == @CHILD' syscalls:sys_enter_getppid -- \
	"$W" --comm "$comm" --getppid 321
contains "$out" "{ comm: $comm } hitcount: 321" "getppid by comm"
contains "$out" "Totals: hits 321 entries 1 dropped 0" "filtered totals"

# ret.log2 on sys_exit_read: the buckets hold exactly the sizes read (the kernel's .log2
# rounds up to a power of two: 100 -> 2^7).
expect_exit 0 "$A" -k comm -k ret.log2 syscalls:sys_exit_read -- \
	"$W" --comm "$comm" --read 10:4096 --read 7:100 --read 3:1
rows "~ 2^12 10" "~ 2^7 7" "~ 2^0 3"

# A full table: what does not fit is counted as dropped, as the kernel's Dropped line does.
expect_exit 0 "$A" -s 2 -k ret -f 'common_pid == @CHILD' syscalls:sys_exit_read -- \
	"$W" --comm "$comm" --read 5:10 --read 6:20 --read 7:30
tot=$(echo "$out" | sed -n 's/^Totals: hits \([0-9]*\) entries \([0-9]*\) dropped \([0-9]*\)$/\1 \2 \3/p')
set -- $tot
[ "${2:-}" = 2 ] || fail "a 2-entry table holds ${2:-?} entries: $out"
counted=$(echo "$out" | sed -n 's/.*hitcount: \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
[ "$(($counted + $3))" = "$1" ] || fail "hits $1 != counted $counted + dropped $3: $out"
[ "$3" -ge 11 ] || fail "only $3 dropped: $out"

# One program on several events of one layout: each syscall counted on its own event.
expect_exit 0 "$A" -k comm -k __syscall_nr.syscall -a syscalls:sys_enter_read \
	-a 'syscalls:sys_enter_clock_nanosleep' syscalls:sys_enter_getppid -- \
	"$W" --comm "$comm" --getppid 11 --read 7:10 --sleep 3:1000
rows "sys_getppid 11" "sys_read 7" "sys_clock_nanosleep 3" # as the kernel names them (FIG-9)

# Latency mode, clock_nanosleep (what nanosleep(3) calls) entry to exit, in microseconds:
# a 10 ms sleep is never shorter, so it lands in 2^14 (8192 < x <= 16384) or, woken late on a
# loaded machine (TCG), a bucket or two above; an 80 ms one in 2^17 or just above. Every
# sleep is counted once: 5 short, 3 long, 8 in all.
expect_exit 0 "$A" -k comm -e syscalls:sys_exit_clock_nanosleep \
	syscalls:sys_enter_clock_nanosleep -- "$W" --comm "$comm" --sleep 5:10000 --sleep 3:80000
got=$(echo "$out" | grep "comm: $comm" |
	sed -n 's/.*lat: ~ 2^\([0-9]*\) } hitcount: *\([0-9]*\).*/\1 \2/p' | sleep_buckets)
[ "$got" = "5 3 8" ] || fail "sleeps (10 ms, 80 ms, all): got '$got', want '5 3 8' in: $out"

# A uprobe event made in tracefs, attached by its id: exactly the calls of workload_target.
off=$("$A" -u "$W" workload_target) || fail "no workload_target in $W: $off"
echo "p:$grp/wt $W:$off" >>"$T/uprobe_events" || fail "cannot define the uprobe event"
expect_exit 0 "$A" -k common_pid.execname "$grp:wt" -- "$W" --comm "$comm" --call 777
pid=$(echo "$out" | sed -n 's/^pid //p')
contains "$out" "{ common_pid: $comm [$pid] } hitcount: 777" "uprobe event"
# User stacks are symbolised from the process's maps and ELF symbols, so it must still run
# when the table is read: the workload sleeps after its calls while the helper prints.
tmp=${TMPDIR:-/tmp}/ftrig-bpf.$$
"$A" -k ustack -k comm "$grp:wt" >"$tmp.agg" 2>&1 &
agg=$!
i=0
until grep -q '^ready' "$tmp.agg" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] && kill -0 $agg 2>/dev/null || fail "bpf-agg not ready: $(cat "$tmp.agg")"
	sleep 0.1
done
"$W" --comm "$comm" --call 5 --sleep 1:3000000 >"$tmp.w" &
wl=$!
i=0
until grep -q '^call 5' "$tmp.w" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "workload did not call"
	sleep 0.1
done
kill -s INT $agg
wait $agg
out=$(cat "$tmp.agg")
wait $wl
rm -f "$tmp.agg" "$tmp.w"
contains "$out" "{ ustack: workload_target+0x0;" "user stack"
contains "$out" ", comm: $comm } hitcount: 5" "user stack count"

# Its fetched fields are out of BPF's reach: a clear error, nothing loaded.
expect_exit 1 "$A" -k __probe_ip "$grp:wt" -- true
contains "$out" "BPF sees only the probe's registers" "uprobe field error"
echo "-:$grp/wt" >>"$T/uprobe_events" || fail "cannot remove the uprobe event"

# The largest configuration (three keys of three kinds, four sums, eight comparisons) passes
# the verifier of this kernel, and a __data_loc string key reads the exec'd file names.
expect_exit 0 "$A" -k prev_comm -k stacktrace -k prev_pid.log2 -v prev_prio -v next_prio \
	-v prev_state -v next_pid -f 'prev_pid > 0 && next_pid >= 0 || prev_prio < 200 &&
	next_prio != 1000 || prev_state & 0xffff && prev_pid != 1 && next_pid != 2 || cpu < 4096' \
	sched:sched_switch -- sleep 0.1
expect_exit 0 "$A" -k filename -f 'common_pid == @CHILD' sched:sched_process_exec -- "$W" --getppid 1
contains "$out" "{ filename: $W } hitcount: 1" "__data_loc string key"

# Errors name the problem.
expect_exit 1 "$A" -k rett syscalls:sys_exit_read -- true
contains "$out" "no field 'rett' in syscalls:sys_exit_read; did you mean ret?" "bad key (CMD-9)"
expect_exit 1 "$A" -k zzzzzz syscalls:sys_exit_read -- true
contains "$out" "no field 'zzzzzz' in syscalls:sys_exit_read (its fields: __syscall_nr, ret)" "no close field: the list"
expect_exit 1 "$A" -k comm nosuch:event -- true
contains "$out" "no event nosuch:event" "bad event"

# Pinned: journaled, keeps counting after the helper exits, readable later, removable.
expect_exit 0 "$A" -n "$pin" -k comm syscalls:sys_enter_getppid -- true
[ -d "/sys/fs/bpf/ftrig/$pin" ] || fail "nothing pinned in /sys/fs/bpf/ftrig/$pin"
grep -q "/sys/fs/bpf/ftrig/$pin" "$FTRIG_STATE_DIR"/* || fail "pin not journaled"
"$W" --comm "$comm" --getppid 500 >/dev/null || fail "workload failed"
expect_exit 0 "$A" -r "$pin"
contains "$out" "{ comm: $comm } hitcount: 500" "pinned aggregation after its command"
contains "$out" "name=$pin" "pinned plan"
expect_exit 0 "$A" -l
contains "$out" "$pin syscalls:sys_enter_getppid hist:keys=comm:vals=hitcount:size=2048:name=$pin" "list"
expect_exit 0 "$A" -P "$pin"
"$W" --comm "$comm" --getppid 200 >/dev/null || fail "workload failed"
expect_exit 0 "$A" -C "$pin"
"$W" --comm "$comm" --getppid 100 >/dev/null || fail "workload failed"
expect_exit 0 "$A" -r "$pin"
contains "$out" "{ comm: $comm } hitcount: 600" "paused, then continued"
expect_exit 0 "$A" -Z "$pin"
expect_exit 0 "$A" -r "$pin"
case $out in *"comm: $comm"*) fail "clear left rows: $out" ;; esac
progs=
if command -v bpftool >/dev/null 2>&1; then
	progs=$(bpftool prog show pinned "/sys/fs/bpf/ftrig/$pin/prog_a" | sed -n '1s/:.*//p')
	[ -n "$progs" ] || fail "bpftool does not see the pinned program"
fi
expect_exit 0 "$A" -x "$pin"
[ ! -d "/sys/fs/bpf/ftrig/$pin" ] || fail "pins left in /sys/fs/bpf/ftrig/$pin"
! grep -q "^+.*/sys/fs/bpf/ftrig/$pin" "$FTRIG_STATE_DIR"/* 2>/dev/null ||
	grep -q "^-" "$FTRIG_STATE_DIR"/* || fail "the journal still holds the pin"
if [ -n "$progs" ]; then
	# The kernel frees a program once its last reference goes, after an RCU grace period.
	i=0
	while bpftool prog show id "$progs" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "program $progs still loaded after unpinning"
		sleep 0.1
	done
fi
expect_exit 1 "$A" -r "$pin"

# A stack key's map has room: the kernel refuses a second stack in a taken bucket ("[stack
# lost]"), and 1,024 buckets lost one of three stacks about once in 300 runs. Eight buckets a
# table entry, 16,384 at least.
if command -v bpftool >/dev/null 2>&1; then
	expect_exit 0 "$FTRIG" hist start sched:sched_switch --key stacktrace --backend bpf \
		--name "${pin}s"
	sm=$(bpftool map show pinned "/sys/fs/bpf/ftrig/${pin}s/stacks" | sed -n 's/.*max_entries \([0-9]*\).*/\1/p')
	expect_exit 0 "$FTRIG" hist rm sched:sched_switch --name "${pin}s"
	[ "$sm" = 16384 ] || fail "the stack map of a 2048-entry table has ${sm:-no} entries, not 16384"
fi

# `cleanup --all` undoes a pinned aggregation from the persistent journal like any object.
expect_exit 0 "$A" -n "$pin" -k comm syscalls:sys_enter_getppid -- true
expect_exit 0 "$FTRIG" cleanup --all
contains "$out" "removed BPF aggregation on syscalls:sys_enter_getppid pinned at /sys/fs/bpf/ftrig/$pin" "cleanup --all"
[ ! -d "/sys/fs/bpf/ftrig/$pin" ] || fail "cleanup --all left /sys/fs/bpf/ftrig/$pin"
[ -z "$(debris | grep "$grp")" ] || fail "left behind: $(debris)"
exit 0
