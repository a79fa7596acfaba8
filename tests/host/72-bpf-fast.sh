# The fast program (agg.bpf.c's fast_a): a plan counting sys_enter events by thread or process
# id alone runs it on the raw gate instead of raw_a, and must count exactly as raw_a does: the
# workload's calls, not the compat calls of the same number (int 0x80's getppid is native
# semget's 64), not while paused, nor a thread's calls lost while it moves between CPUs (its
# slot is added to without a lock). A plan it cannot serve keeps raw_a.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
W=$FTRIG_HELPERS/workload
private_state
comm=bf$$
name=t72f_$$
E=syscalls:sys_enter_getppid
S=syscalls:sys_enter_semget
cleanup() {
	[ -n "${wpid:-}" ] && kill "$wpid" 2>/dev/null
	"$FTRIG" hist rm $E --name "$name" >/dev/null 2>&1
	"$FTRIG" hist rm $S --name "$name" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# count EVENT: the workload's hitcount in the aggregation's CSV dump.
count() {
	"$FTRIG" hist dump "$1" --name "$name" --format csv |
		awk -F, -v c="$comm" '$0 ~ c { s += $NF } END { print s + 0 }'
}

# start PROGRAM EVENT ARGS...: start the aggregation; fail unless PROGRAM counts it.
start() {
	prog=$1
	shift
	expect_exit 0 "$FTRIG" -v hist start "$@" --name "$name"
	contains "$out" "BPF program $prog:" "hist start $*"
}

# The thread id, with the comm shown beside it: fast_a, exact, and not while paused.
start fast_a $E --key common_pid.execname
"$W" --comm "$comm" --getppid 1000 >/dev/null || fail "workload failed"
[ "$(count $E)" = 1000 ] || fail "fast_a counted $(count $E) getppid calls, the workload made 1000"
expect_exit 0 "$FTRIG" hist pause $E --name "$name"
"$W" --comm "$comm" --getppid 500 >/dev/null || fail "workload failed"
expect_exit 0 "$FTRIG" hist cont $E --name "$name"
[ "$(count $E)" = 1000 ] || fail "fast_a counted while paused: $(count $E), want 1000"

# A thread moved between the CPUs while it counts: no call lost to the unlocked add.
ncpu=$(getconf _NPROCESSORS_ONLN)
if [ "$ncpu" -gt 1 ]; then
	"$W" --comm "$comm" --getppid 300000 >/dev/null &
	wpid=$!
	c=0
	while kill -0 "$wpid" 2>/dev/null; do
		taskset -p -c $((c % ncpu)) "$wpid" >/dev/null 2>&1
		c=$((c + 1))
		sleep 0.01
	done
	wait "$wpid" || fail "workload failed"
	wpid=
	[ "$(count $E)" = 301000 ] || fail "fast_a lost calls of a migrating thread: $(count $E), want 301000 ($c moves)"
fi
expect_exit 0 "$FTRIG" hist rm $E --name "$name"

# The process id (its threads could count at once: a locked add), and the compat calls of
# the counted number left out.
int80=
compat_syscalls && int80="--int80 100"
start fast_a $S --key pid
"$W" --comm "$comm" $int80 --syscall 64:7 >/dev/null &
wpid=$!
wait "$wpid" || fail "workload failed"
got=$("$FTRIG" hist dump $S --name "$name" --format csv | awk -F, -v p="$wpid" '$1 == p { print $NF }')
wpid=
[ "$got" = 7 ] || fail "fast_a counted '$got' semget calls, want 7 (${int80:-no compat calls})"
expect_exit 0 "$FTRIG" hist rm $S --name "$name"

# Plans it cannot serve: raw_a, with the same counts.
start raw_a $E --key common_pid --key comm
"$W" --comm "$comm" --getppid 1000 >/dev/null || fail "workload failed"
[ "$(count $E)" = 1000 ] || fail "raw_a counted $(count $E) getppid calls, want 1000"
expect_exit 0 "$FTRIG" hist rm $E --name "$name"
start raw_a $E --key common_pid --filter 'common_pid != 1'
"$W" --comm "$comm" --getppid 1000 >/dev/null || fail "workload failed"
expect_exit 0 "$FTRIG" hist rm $E --name "$name"
echo "ok"
