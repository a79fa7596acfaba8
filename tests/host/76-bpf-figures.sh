# Figures the BPF backend must get exactly right or refuse (#16): the event's id
# (common_type) and name (--key event) per attached event, on classic tracepoints and on the
# raw syscall gate (FIG-1, FIG-2); common fields the kernel overwrites are refused with advice
# that works on this kernel (CMD-5); a key name that means different things in the events of
# a glob is refused, naming them (FIG-2); a glob is titled by its pattern (TOP-4); a paused
# aggregation says so (FIG-6). Per-event counts are compared with bpftrace's on one workload.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
W=$FTRIG_HELPERS/workload
private_state
comm=fg$$
name=t76_$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t76-bpftrace.$$
bpt_pid=
cleanup() {
	[ -z "$bpt_pid" ] || kill "$bpt_pid" 2>/dev/null
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name" >/dev/null 2>&1
	"$FTRIG" hist rm sched:sched_switch --name "$name" >/dev/null 2>&1
	"$FTRIG" hist rm sched:sched_waking --name "$name" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR" "$bpt_out"
}
trap cleanup EXIT
id_of() { cat "$T/events/$1/$2/id"; }
ppid_id=$(id_of syscalls sys_enter_getppid)
# x86_64's getpid; other architectures count getppid alone
getpid=
[ "$(uname -m)" = x86_64 ] && getpid="--syscall 39:5"

# rows EVENT: our comm's rows of the aggregation as "key,...,hitcount", sorted
rows() {
	"$FTRIG" hist dump "$1" --name "$name" --format csv |
		awk -F, -v c="$comm" '$0 ~ c { $1 = $1; print }' OFS=, | sort
}

# 1. common_type is the id of the event that fired (it read 43808 for id 305), on one event
# and on a glob, raw gate and classic tracepoints; and it filters.
for mode in raw classic; do
	[ $mode = classic ] && export FTRIG_BPF_CLASSIC=1
	expect_exit 0 "$FTRIG" hist start syscalls:sys_enter_getppid --key common_type --key comm \
		--name "$name" --backend bpf
	"$W" --comm "$comm" --getppid 77 >/dev/null || fail "workload failed"
	got=$(rows syscalls:sys_enter_getppid)
	[ "$got" = "$ppid_id,$comm,77" ] || fail "$mode: one event: got '$got', want '$ppid_id,$comm,77'"
	expect_exit 0 "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name"

	expect_exit 0 "$FTRIG" hist start 'syscalls:sys_enter_getp*' --key common_type --key event \
		--key comm --name "$name" --backend bpf
	"$W" --comm "$comm" --getppid 77 $getpid >/dev/null || fail "workload failed"
	got=$(rows syscalls:sys_enter_getppid | grep sys_enter_getppid)
	want="$ppid_id,syscalls:sys_enter_getppid,$comm,77"
	[ "$got" = "$want" ] || fail "$mode: glob: got '$got', want '$want'"
	if [ -n "$getpid" ]; then
		got=$(rows syscalls:sys_enter_getppid | grep 'sys_enter_getpid,')
		case $got in
		"$(id_of syscalls sys_enter_getpid),syscalls:sys_enter_getpid,$comm,"[5-9]) ;;
		*) fail "$mode: glob: getpid row '$got'" ;;
		esac
	fi
	expect_exit 0 "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name"

	expect_exit 0 "$FTRIG" hist start 'syscalls:sys_enter_getp*' --key comm --name "$name" \
		--filter "common_type == $ppid_id" --backend bpf
	"$W" --comm "$comm" --getppid 77 $getpid >/dev/null || fail "workload failed"
	got=$(rows syscalls:sys_enter_getppid)
	[ "$got" = "$comm,77" ] || fail "$mode: filter on common_type: got '$got', want '$comm,77'"
	expect_exit 0 "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name"
	unset FTRIG_BPF_CLASSIC
done

# 2. The flags and preempt count are gone from the record BPF sees: refused, with advice that
# works here (hist triggers only where the kernel has them).
for f in common_flags common_preempt_count; do
	expect_exit 1 "$FTRIG" top sched:sched_switch --key "$f" -b -n 1 -d 1 --backend bpf
	contains "$out" "overwrites the common fields" "$f refused"
	if ! "$FTRIG" info --require hist_triggers >/dev/null 2>&1; then
		case $out in *"--backend hist"*) fail "advice for hist triggers on a kernel without: $out" ;; esac
		contains "$out" "ftrig pipe" "advice on a kernel without hist triggers"
	else
		contains "$out" "--backend hist" "advice on a kernel with hist triggers"
	fi
done

# 3. A glob whose events disagree on what a name is: refused, naming the events (it counted
# the current task for every event when the first had no pid field).
if [ -d "$T/events/sched/sched_waking" ] && [ -d "$T/events/sched/sched_wake_idle_without_ipi" ]; then
	expect_exit 1 "$FTRIG" top 'sched:sched_wak*' --key pid -b -n 1 -d 1 --backend bpf
	contains "$out" "'pid' is a field of" "glob with pid"
	contains "$out" "sched:sched_waking" "glob with pid"
	contains "$out" "but not of sched:sched_wake_idle_without_ipi" "glob with pid"
	contains "$out" "--skip-missing" "what to do"
	# --skip-missing leaves it out, saying so, and keys pid on the others
	expect_exit 0 "$FTRIG" hist start 'sched:sched_wak*' --key pid --key event --skip-missing \
		--name "$name" --backend bpf
	contains "$out" "leaving out 1 event where 'pid' means something else: sched:sched_wake_idle_without_ipi" \
		"--skip-missing"
	contains "$out" "counting sched:sched_wak* (" "--skip-missing"
	expect_exit 1 "$FTRIG" hist show sched:sched_wake_idle_without_ipi --name "$name"
	expect_exit 0 "$FTRIG" hist rm sched:sched_waking --name "$name"
fi

# 4. A glob is titled by its pattern and counted per event; the counts for our workload are
# bpftrace's exactly.
if command -v bpftrace >/dev/null 2>&1; then
	oracle_start "tracepoint:syscalls:sys_enter_get* /comm == \"$comm\"/ { @[probe] = count(); }
		tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
	expect_exit 0 "$FTRIG" hist start 'syscalls:sys_enter_get*' --key event --key comm \
		--name "$name" --backend bpf
	contains "$out" "counting syscalls:sys_enter_get* (" "title of a glob"
	"$W" --comm "$comm" --getppid 77 $getpid >/dev/null || fail "workload failed"
	oracle_stop
	want=$(sed -n 's/^@\[tracepoint:\(.*\)\]: \([0-9]*\)$/\1,\2/p' "$bpt_out" | sort)
	got=$(rows syscalls:sys_enter_getppid | sed "s/,$comm,/,/" | sort)
	[ -n "$want" ] || fail "bpftrace counted nothing: $(cat "$bpt_out")"
	[ "$got" = "$want" ] || fail "per-event counts: ftrig '$got', bpftrace '$want'"
	expect_exit 0 "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name"
fi
expect_exit 0 "$FTRIG" top 'syscalls:sys_enter_getp*' --key event -b -n 1 -d 1 --backend bpf
contains "$out" "ftrig top  syscalls:sys_enter_getp*" "top title of a glob"

# 5. A paused aggregation says so in dumps and in hist show, and so does a running one.
expect_exit 0 "$FTRIG" hist start sched:sched_switch --key comm --name "$name" --backend bpf
expect_exit 0 "$FTRIG" hist pause sched:sched_switch --name "$name"
expect_exit 0 "$FTRIG" hist dump sched:sched_switch --name "$name" --format json
contains "$out" '"paused":true' "dump of a paused aggregation"
expect_exit 0 "$FTRIG" hist show sched:sched_switch --name "$name"
contains "$out" "[paused]" "show of a paused aggregation"
expect_exit 0 "$FTRIG" hist cont sched:sched_switch --name "$name"
expect_exit 0 "$FTRIG" hist show sched:sched_switch --name "$name"
contains "$out" "[active]" "show of a running aggregation"
expect_exit 0 "$FTRIG" hist rm sched:sched_switch --name "$name"
[ ! -e "/sys/fs/bpf/ftrig/$name" ] || fail "left pinned: /sys/fs/bpf/ftrig/$name"
exit 0
