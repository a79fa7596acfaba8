# Signals during every writing command (SEC-10, #15 item 7): SIGINT, SIGTERM or SIGHUP comes at
# the Nth write, mkdir, rmdir, unlink or bpf system call (strace's signal injection) of probe
# add, trigger add, apply, hist start/rm --backend bpf, teardown, trigger rm and probe rm (and
# where the kernel has them, hist start --backend hist and trigger add --synth), for
# every N until the command makes no Nth call (every N up to 12, then every 3rd). Each command
# must finish or roll back: tracefs, bpffs and the state directory are then exactly as before
# the command or exactly as after a run without a signal, and the exit status says which (0
# after, non-zero before). Only this test's objects are compared: others share the kernel.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
command -v strace >/dev/null 2>&1 || skip "needs strace (signal injection)"
[ -f "$T/dynamic_events" ] || skip "needs dynamic_events"
"$FTRIG" info --require uprobe_events,instances >/dev/null 2>&1 || skip "needs uprobes, instances"
private_state

W=$FTRIG_HELPERS/workload
I=ftrig-sw-$$ # the test's own instance, for trigger add
P=swp$$       # probe add -n
G=swg$$       # the setup file's probe group
SI=swsetup-$$ # the setup file's instance
PIN=sw$$      # hist start --backend bpf --name
D=${TMPDIR:-/tmp}/ftrig-sw.$$
A=$D/sw.ftrig
BUDGET=${FTRIG_SIGNAL_BUDGET:-240}
[ "$FTRIG_TIER" != vm ] || BUDGET=${FTRIG_SIGNAL_BUDGET:-90}
start=$(date +%s)
bpf=no hist=no
"$FTRIG" info --require bpf >/dev/null 2>&1 && bpf=yes
"$FTRIG" info --require hist_triggers,synthetic_events >/dev/null 2>&1 && hist=yes

cleanup() {
	"$FTRIG" teardown "$A" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$PIN" >/dev/null 2>&1
	"$FTRIG" trigger rm --ours >/dev/null 2>&1
	"$FTRIG" probe rm --ours >/dev/null 2>&1
	"$FTRIG" cleanup --stale >/dev/null 2>&1
	# What a failed run left in no journal, by this test's own names.
	grep -q "^p:ftrig/$P " "$T/dynamic_events" && echo "-:ftrig/$P" >>"$T/dynamic_events"
	[ ! -d "$T/instances/$SI" ] || { echo 0 >"$T/instances/$SI/events/enable"; rmdir "$T/instances/$SI"; }
	grep -q "^p:$G/" "$T/dynamic_events" && echo "-:$G/workload_target" >>"$T/dynamic_events"
	if [ -d "$T/instances/$I" ]; then
		echo '!stacktrace' >>"$T/instances/$I/events/syscalls/sys_enter_getuid/trigger"
		echo '!hist:keys=pid:ts0=common_timestamp.usecs' \
			>>"$T/instances/$I/events/sched/sched_waking/trigger" 2>/dev/null
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

# The state of everything this test's commands can touch, by name, and the state directory.
snap() {
	ls "$T/instances" | mine
	mine "$T/dynamic_events"
	for e in syscalls/sys_enter_getuid syscalls/sys_enter_getppid sched/sched_switch; do
		grep -v '^#' "$T/instances/$I/events/$e/trigger"
	done
	[ ! -d "$T/instances/$SI" ] || grep -rH . "$T/instances/$SI/set_event" \
		"$T/instances/$SI/events/$G/workload_target/trigger" 2>/dev/null
	ls /sys/fs/bpf/ftrig 2>/dev/null | mine
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

runs=0 signalled=0 rolled=0 finished=0
# matrix NAME BACK CMD...: CMD goes from state S0 to S1, BACK from S1 to S0. A signal comes
# at every Nth call of each kind; the state after must be S0 (CMD exited non-zero) or S1
# (exit 0), and BACK (when S1) must give S0 again.
matrix() {
	name=$1 back=$2
	shift 2
	s0=$(snap)
	"$@" >"$D/out" 2>&1 || fail "$name without a signal failed: $(cat "$D/out")"
	s1=$(snap)
	[ "$s1" != "$s0" ] || fail "$name changed nothing: the test is wrong"
	$back >"$D/back" 2>&1
	[ "$(snap)" = "$s0" ] || fail "$name: '$back' did not give the state before back"
	k=0 msig=0
	for sc in write mkdir rmdir unlink bpf; do
		[ $sc != bpf ] || [ $bpf = yes ] || continue
		n=1
		while :; do
			[ $(($(date +%s) - start)) -lt "$BUDGET" ] || return 0
			k=$((k + 1))
			case $((k % 3)) in 0) sig=INT ;; 1) sig=TERM ;; *) sig=HUP ;; esac
			strace -f -qq -o "$D/trace" -e trace=$sc -e inject=$sc:signal=$sig:when=$n \
				"$@" >"$D/out" 2>&1
			rc=$?
			runs=$((runs + 1))
			[ -z "${FTRIG_SIGNAL_DEBUG:-}" ] || echo "$name $sc #$n SIG$sig: rc $rc"
			got=yes
			grep -q -- "--- SIG$sig" "$D/trace" || got=no # no Nth call: the last run
			[ $got = no ] || { signalled=$((signalled + 1)) msig=$((msig + 1)); }
			now=$(snap)
			at="$name, SIG$sig at $sc #$n (exit $rc)"
			[ $got = yes ] || [ "$now" = "$s1" ] || fail "$at: no signal came, yet not done"
			if [ "$now" = "$s1" ]; then
				[ $rc = 0 ] || fail "$at: finished but exited non-zero: $(cat "$D/out")"
				[ $got = no ] || finished=$((finished + 1))
				$back >"$D/back" 2>&1
				[ "$(snap)" = "$s0" ] || fail "$at: '$back' did not give the state before"
			elif [ "$now" = "$s0" ]; then
				[ $rc != 0 ] || fail "$at: rolled back but exited 0: $(cat "$D/out")"
				rolled=$((rolled + 1))
			else
				printf '%s\n' "$s0" >"$D/s0"
				printf '%s\n' "$s1" >"$D/s1"
				printf '%s\n' "$now" >"$D/now"
				fail "$at: half done; before:
$(diff "$D/s0" "$D/now")
after:
$(diff "$D/s1" "$D/now")
output: $(cat "$D/out")"
			fi
			[ $got = yes ] || break
			if [ $n -lt 12 ]; then n=$((n + 1)); else n=$((n + 3)); fi
		done
	done
	[ $msig -gt 0 ] || fail "$name: no run got a signal: the injection does not work"
}

undo_hist_trig() { "$FTRIG" hist rm syscalls:sys_enter_getppid --instance "$I"; }
undo_probe() { "$FTRIG" probe rm --ours; }
redo_probe() { "$FTRIG" $PROBE_ADD; }
undo_trigger() { "$FTRIG" trigger rm --ours; }
redo_trigger() { "$FTRIG" $TRIGGER_ADD "$TRIGGER_SPEC"; }
undo_setup() { "$FTRIG" teardown "$A"; }
redo_setup() { "$FTRIG" apply "$A"; }
undo_hist() { "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$PIN"; }
redo_hist() { "$FTRIG" $HIST_START; }

PROBE_ADD="probe add --name $P $W:workload_target i=\$arg1:s64"
TRIGGER_ADD="trigger add --instance $I syscalls:sys_enter_getuid"
TRIGGER_SPEC='stacktrace if common_pid == -7'
HIST_START="hist start syscalls:sys_enter_getppid --key common_pid --backend bpf --name $PIN"
# Where the kernel has them (the VM): a hist trigger, and a trigger that needs a synthetic
# event (--synth defines it first, and removes it again when the trigger fails). First, so
# that the VM's smaller budget covers them.
if [ $hist = yes ]; then
	HIST_TRIG="hist start syscalls:sys_enter_getppid --key common_pid --backend hist --instance $I"
	matrix "hist start --backend hist" undo_hist_trig "$FTRIG" $HIST_TRIG
	echo 'hist:keys=pid:ts0=common_timestamp.usecs' >>"$T/instances/$I/events/sched/sched_waking/trigger" ||
		fail "cannot add the hist that --synth's trigger uses"
	matrix "trigger add --synth" undo_trigger "$FTRIG" trigger add --instance "$I" \
		--synth "swl$$ pid_t pid; u64 lat" sched:sched_switch \
		'hist:keys=next_pid:lat=common_timestamp.usecs-$ts0:onmatch(sched.sched_waking).trace(swl'$$',next_pid,$lat)'
fi
matrix "probe add" undo_probe "$FTRIG" $PROBE_ADD
matrix "trigger add" undo_trigger "$FTRIG" $TRIGGER_ADD "$TRIGGER_SPEC"
matrix "apply" undo_setup "$FTRIG" apply "$A"
if [ $bpf = yes ]; then
	matrix "hist start --backend bpf" undo_hist "$FTRIG" $HIST_START
	redo_hist >/dev/null 2>&1 || fail "hist start before hist rm failed"
	matrix "hist rm (bpf)" redo_hist "$FTRIG" hist rm syscalls:sys_enter_getppid --name "$PIN"
	undo_hist >/dev/null 2>&1
fi
redo_setup >/dev/null 2>&1 || fail "apply before teardown failed"
matrix "teardown" redo_setup "$FTRIG" teardown "$A"
undo_setup >/dev/null 2>&1
redo_trigger >/dev/null 2>&1 || fail "trigger add before trigger rm failed"
matrix "trigger rm --ours" redo_trigger "$FTRIG" trigger rm --ours
undo_trigger >/dev/null 2>&1
redo_probe >/dev/null 2>&1 || fail "probe add before probe rm failed"
matrix "probe rm --ours" redo_probe "$FTRIG" probe rm --ours
undo_probe >/dev/null 2>&1
echo "signal matrix: $runs runs, $signalled signalled ($finished finished, $rolled rolled back)," \
	"$(($(date +%s) - start)) s"
[ "$BUDGET" -lt 30 ] || [ $signalled -ge 10 ] ||
	fail "only $signalled of $runs runs got the signal: the injection does not work"
exit 0
