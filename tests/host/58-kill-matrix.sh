# The kill matrix (#15): every writing command is killed with SIGKILL at its Nth write, unlink,
# mkdir, rmdir and bpf system call (strace's fault injection), for every N until it finishes
# (every N up to 12, then every 4th), and then `cleanup --stale` followed by the command's own
# undo (probe rm --ours, trigger rm --ours, hist rm, teardown) must leave tracefs, bpffs and the
# state directory exactly as they were, byte for byte. Nothing may be left in the kernel that
# no journal holds: the undo commands remove only journaled objects, so an unjournaled one
# shows up in the comparison (and a pinned aggregation must have its record before hist rm).
# Then `cleanup --all` (private state directory) races `probe add` and `trigger add`: whatever
# the add left in the kernel must be in a journal.
#
# Only this test's objects are compared (its unique names, its own instance): other sessions
# run on the same kernel.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
command -v strace >/dev/null 2>&1 || skip "needs strace (fault injection)"
[ -f "$T/dynamic_events" ] || skip "needs dynamic_events"
"$FTRIG" info --require uprobe_events,instances >/dev/null 2>&1 || skip "needs uprobes, instances"
private_state

W=$FTRIG_HELPERS/workload
I=ftrig-km-$$ # the test's own instance, for trigger add
P=kmp$$       # probe add -n
G=kmg$$       # the setup file's probe group
SI=kmsetup-$$ # the setup file's instance
PIN=km$$      # hist start --backend bpf --name
LAT=kml$$     # hist start --latency --name (a synthetic event with hist triggers, or BPF)
D=${TMPDIR:-/tmp}/ftrig-km.$$
A=$D/km.ftrig
# Seconds for the whole matrix, shared evenly by its seven commands; the VM (TCG) is ten
# times slower and has one run's timeout.
BUDGET=${FTRIG_KILL_BUDGET:-240}
[ "$FTRIG_TIER" != vm ] || BUDGET=${FTRIG_KILL_BUDGET:-120}
EACH=$((BUDGET / 7))
start=$(date +%s)
bpf=no
"$FTRIG" info --require bpf >/dev/null 2>&1 && bpf=yes

cleanup() {
	"$FTRIG" teardown "$A" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$PIN" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_exit_getpgrp --name "$LAT" >/dev/null 2>&1
	"$FTRIG" trigger rm --ours >/dev/null 2>&1
	"$FTRIG" probe rm --ours >/dev/null 2>&1
	"$FTRIG" cleanup --all >/dev/null 2>&1
	# Whatever a failed run left in no journal, by this test's own names.
	grep -q "^p:ftrig/$P " "$T/dynamic_events" && echo "-:ftrig/$P" >>"$T/dynamic_events"
	[ ! -d "$T/instances/$SI" ] || { echo 0 >"$T/instances/$SI/events/enable"; rmdir "$T/instances/$SI"; }
	grep -q "^p:$G/" "$T/dynamic_events" && echo "-:$G/workload_target" >>"$T/dynamic_events"
	if [ -d "$T/instances/$I" ]; then
		for e in getuid getgid; do
			echo '!stacktrace' >>"$T/instances/$I/events/syscalls/sys_enter_$e/trigger"
		done
		rmdir "$T/instances/$I"
	fi
	rm -rf "$D" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
mkdir -p "$D" "$T/instances/$I" || fail "cannot make $D or instance $I"
cat >"$A" <<END
instance $SI
probe add -g $G $W:workload_target i=\$arg1:s64
trigger add $G:workload_target 'traceoff if i == 777'
enable syscalls:sys_enter_getppid
END

# The state of everything this test's commands can touch, by name.
snap() {
	ls "$T/instances" | mine
	mine "$T/dynamic_events"
	grep -v '^#' "$T/instances/$I/events/syscalls/sys_enter_getuid/trigger"
	grep -v '^#' "$T/instances/$I/events/syscalls/sys_enter_getgid/trigger"
	[ ! -d "$T/instances/$SI" ] || grep -rH . "$T/instances/$SI/set_event"
	ls /sys/fs/bpf/ftrig 2>/dev/null | mine
	for e in enter exit; do
		grep -e "$LAT" "$T/events/syscalls/sys_${e}_getpgrp/trigger"
	done
	# A killed session's own instance (ftrig-PID) must be gone after cleanup --stale.
	[ ! -f "$D/session" ] || ls -d "$T/instances/ftrig-$(cat "$D/session")" 2>/dev/null
	ls -R "/sys/fs/bpf/ftrig/$PIN" 2>/dev/null
	for j in "$FTRIG_STATE_DIR"/*; do
		[ -e "$j" ] || continue
		# A persistent journal is kept while it is small (src/ledger.c close_deletes());
		# an empty one is as good as none.
		[ "${j##*/}" = persistent.journal ] && [ -z "$(journal_live "$j")" ] && continue
		echo "journal ${j##*/}:"
		journal_live "$j"
	done
}

before=$(snap)
same() { # WHAT
	now=$(snap)
	[ "$now" = "$before" ] || fail "$1: not as before:
$(printf '%s\n' "$before" >"$D/before"; printf '%s\n' "$now" | diff "$D/before" -)"
}

# pinned_unjournaled: a pin dir of ours that the persistent journal does not hold.
pinned_unjournaled() {
	[ -d "/sys/fs/bpf/ftrig/$PIN" ] || return 1
	! journal_live "$FTRIG_STATE_DIR/persistent.journal" | grep -q "/sys/fs/bpf/ftrig/$PIN\$"
}

runs=0 kills=0
# matrix NAME PREPARE UNDO CMD...: kill CMD at every Nth call of each kind.
matrix() {
	name=$1 prep=$2 undo=$3 mstart=$(date +%s)
	shift 3
	for sc in write unlink unlinkat mkdir mkdirat rmdir bpf; do
		n=1
		while :; do
			[ $(($(date +%s) - mstart)) -lt "$EACH" ] || return 0
			$prep
			strace -f -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$n \
				"$@" >"$D/out" 2>&1
			rc=$?
			runs=$((runs + 1))
			# The pid of a killed session, from its journal's name (PID-START.journal).
			rm -f "$D/session"
			for j in "$FTRIG_STATE_DIR"/[0-9]*.journal; do
				[ -f "$j" ] && echo "${j##*/}" | cut -d- -f1 >"$D/session"
			done
			[ $rc = 137 ] && kills=$((kills + 1))
			"$FTRIG" cleanup --stale >"$D/cleanup" 2>&1 ||
				fail "$name killed at $sc #$n: cleanup --stale failed: $(cat "$D/cleanup")"
			! pinned_unjournaled ||
				fail "$name killed at $sc #$n: /sys/fs/bpf/ftrig/$PIN is in no journal"
			$undo >"$D/undo" 2>&1
			same "$name killed at $sc #$n (rc $rc), then cleanup --stale and the undo"
			[ $rc = 137 ] || break
			if [ $n -lt 12 ]; then n=$((n + 1)); else n=$((n + 4)); fi
		done
	done
}

nothing() { :; }
undo_probe() { "$FTRIG" probe rm --ours; }
undo_trigger() { "$FTRIG" trigger rm --ours; }
undo_hist() { "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$PIN"; }
undo_setup() { "$FTRIG" teardown "$A"; }
undo_latency() { "$FTRIG" hist rm syscalls:sys_exit_getpgrp --name "$LAT"; }
start_hist() {
	"$FTRIG" hist start syscalls:sys_enter_getppid --key common_pid --backend bpf \
		--name "$PIN" >/dev/null 2>&1 || fail "hist start before hist rm failed"
}

matrix "probe add" nothing undo_probe "$FTRIG" probe add --name "$P" "$W:workload_target i=\$arg1:s64"
matrix "trigger add" nothing undo_trigger "$FTRIG" trigger add --instance "$I" \
	syscalls:sys_enter_getuid 'stacktrace if common_pid == -7'
matrix "apply" nothing undo_setup "$FTRIG" apply "$A"
if [ $bpf = yes ]; then
	matrix "hist start --backend bpf" nothing undo_hist "$FTRIG" hist start \
		syscalls:sys_enter_getppid --key common_pid --backend bpf --name "$PIN"
	matrix "hist rm (bpf)" start_hist undo_hist "$FTRIG" hist rm syscalls:sys_enter_getppid \
		--name "$PIN"
fi
# Latency: on a kernel with hist triggers a synthetic event and three triggers (#16 item 4),
# else a BPF aggregation. A session: top with its own hist (instance and hist trigger, or an
# unpinned BPF aggregation), which cleanup --stale alone must remove.
matrix "hist start --latency" nothing undo_latency "$FTRIG" hist start --latency \
	syscalls:sys_enter_getpgrp,syscalls:sys_exit_getpgrp --name "$LAT"
matrix "top" nothing nothing "$FTRIG" top syscalls:sys_enter_getpgrp --key common_pid -b -n 1 \
	-d 0.1
echo "kill matrix: $runs runs, $kills killed, $(($(date +%s) - start)) s"
[ "$BUDGET" -lt 30 ] || [ $kills -ge 10 ] || fail "only $kills of $runs runs were killed: the injection does not work"

# cleanup --all racing the adds: an object the add made must be in a journal, so that the
# undo finds it.
# A trigger of the persistent journal gives cleanup --all something to replay while the adds
# wait for the journal's lock.
for i in 1 2 3 4 5 6; do
	"$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getgid \
		'stacktrace if common_pid == -8' >/dev/null 2>&1 || fail "trigger add before the race"
	"$FTRIG" cleanup --all >/dev/null 2>&1 &
	c=$!
	"$FTRIG" probe add --name "$P" "$W:workload_target i=\$arg1:s64" >/dev/null 2>&1 &
	p1=$!
	"$FTRIG" trigger add --instance "$I" syscalls:sys_enter_getuid \
		'stacktrace if common_pid == -7' >/dev/null 2>&1 &
	p2=$!
	wait $c $p1 $p2
	"$FTRIG" probe rm --ours >/dev/null 2>&1
	"$FTRIG" trigger rm --ours >/dev/null 2>&1
	same "cleanup --all racing probe add and trigger add (run $i): an object in no journal"
done
exit 0
