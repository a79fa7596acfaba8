# Every syscall tracepoint in one BPF aggregation ('syscalls:sys_*', both directions, 600 and
# more events): the sys_enter_* events take one attachment at raw_syscalls' sys_enter, the
# sys_exit_* events one at sys_exit (the call number read from pt_regs), and the few calls
# this build knows no number of keep a perf event each. A workload makes an exactly known
# number of calls of two system calls, getppid and read (and compat getppid calls through
# int 0x80 where the kernel runs them, which the syscalls:* events leave out); their entry
# and exit events must be counted exactly, and as bpftrace counts them on the same workload
# (host tier), and every row of the workload's must be what the classic tracepoints count
# (FTRIG_BPF_CLASSIC=1, one perf event per event: the oracle where bpftrace is missing, the
# VM tier). Removing both leaves no pin.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
[ "$(uname -m)" = x86_64 ] || skip "the raw syscall gates are x86_64's"
W=$FTRIG_HELPERS/workload
private_state
comm=bg$$
raw=t99_$$ classic=t99k_$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t99-bpftrace.$$
bpt_pid=
cleanup() {
	[ -z "$bpt_pid" ] || kill "$bpt_pid" 2>/dev/null
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$raw" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$classic" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR" "$bpt_out" "$bpt_out.w"
}
trap cleanup EXIT

nev=$(ls "$T/events/syscalls" | grep -c '^sys_e[nx]')
[ "$nev" -gt 500 ] || fail "only $nev syscall events in $T/events/syscalls"
expect_exit 0 "$FTRIG" hist start 'syscalls:sys_*' --key common_event --key comm --name "$raw" \
	--size 32768 --backend bpf
contains "$out" "counting syscalls:sys_* ($nev events)" "every syscall event"
# The classic way holds two descriptors per event open: more than a soft limit of 1024 allows
# (the VM's), which ftrig raises as far as the hard limit lets it.
expect_exit 0 sh -c 'ulimit -Sn 1024 && exec env FTRIG_BPF_CLASSIC=1 "$@"' sh "$FTRIG" hist start \
	'syscalls:sys_*' --key common_event --key comm --name "$classic" --size 32768 --backend bpf
links=$(ls "/sys/fs/bpf/ftrig/$raw" | grep -c '^link_')
klinks=$(ls "/sys/fs/bpf/ftrig/$classic" | grep -c '^link_')
# Two gates, and a perf event for each call the build knows no number of (a handful).
[ "$links" -lt 20 ] || fail "$links attachments for $nev syscall events: not gated"
[ -e "/sys/fs/bpf/ftrig/$raw/prog_a_raw2" ] || fail "no second raw gate pinned"
[ "$klinks" = "$nev" ] || fail "classic: $klinks attachments for $nev events"

bt=
if command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; then
	bt=1
	oracle_start "tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:sys_exit_getppid,
		tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_exit_read
		/comm == \"$comm\"/ { @[probe] = count(); }
	tracepoint:syscalls:sys_enter_getpid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --syscall 39:1
fi
int80=
compat_syscalls && int80="--int80 9"
"$W" --comm "$comm" --getppid 23 --read 5:100 --read 3:7 $int80 >"$bpt_out.w" ||
	fail "workload failed"
[ -z "$bt" ] || oracle_stop

# rows NAME: the workload's rows of NAME as "event,count".
rows() {
	"$FTRIG" hist dump syscalls:sys_enter_getppid --name "$1" --format csv |
		grep -e ",$comm," | sed "s/,$comm,/,/" | sort
}
got=$(rows "$raw")
want=$(rows "$classic")
[ -n "$got" ] || fail "nothing counted"
[ "$got" = "$want" ] || fail "raw gates and classic tracepoints differ:
$(printf '%s\n' "$want" >"$bpt_out.w"; printf '%s\n' "$got" | diff "$bpt_out.w" -)"
# The workload's own calls, exactly: 23 getppid (the int 0x80 ones are compat calls), 8 reads.
two=$(printf '%s\n' "$got" | grep -e '_getppid,' -e '_read,')
exact="syscalls:sys_enter_getppid,23
syscalls:sys_enter_read,8
syscalls:sys_exit_getppid,23
syscalls:sys_exit_read,8"
[ "$two" = "$exact" ] || fail "getppid and read: got '$two', want '$exact'"
if [ -n "$bt" ]; then
	oracle=$(sed -n 's/^@\[tracepoint:\(.*\)\]: \([0-9]*\)$/\1,\2/p' "$bpt_out" | sort)
	[ "$two" = "$oracle" ] || fail "ftrig '$two', bpftrace '$oracle'"
fi
for n in "$raw" "$classic"; do
	expect_exit 0 "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$n"
	[ ! -e "/sys/fs/bpf/ftrig/$n" ] || fail "pins left in /sys/fs/bpf/ftrig/$n"
done
exit 0
