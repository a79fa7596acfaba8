# Shared helpers for the black-box tests (POSIX sh: the same scripts run under busybox ash in
# the VM tier). Source it first: . "$FTRIG_TESTS/lib.sh"
set -u
: "${FTRIG:?FTRIG must name the ftrig binary}"
: "${FTRIG_TIER:=host}"
T=${FTRIG_TRACEFS:-/sys/kernel/tracing}

# skip REASON: this test cannot run here; the runner prints REASON.
skip() { echo "$*"; exit 77; }

# fail MESSAGE: the test failed.
fail() { echo "FAIL: $*"; exit 1; }

# need_root: skip unless root, since tracefs is root-only.
need_root() { [ "$(id -u)" = 0 ] || skip "needs root to reach tracefs"; }

# need_tracefs: skip unless tracefs is mounted at $T (ftrig info mounts it when it can).
need_tracefs() {
	[ -f "$T/trace" ] || "$FTRIG" info >/dev/null 2>&1
	[ -f "$T/trace" ] || skip "no tracefs at $T"
}

# need_bpf: skip, with ftrig's own reason, where the kernel loads no BPF programs.
need_bpf() {
	"$FTRIG" info --require bpf >/dev/null 2>&1 ||
		skip "needs a kernel that loads BPF programs: $("$FTRIG" info --require bpf 2>&1)"
}

# need_bpftool: BPF, and bpftool to look at (or fill) the pinned maps and programs.
need_bpftool() {
	need_bpf
	command -v bpftool >/dev/null 2>&1 || skip "needs bpftool"
}

# expect_exit CODE CMD...: run CMD, fail unless it exits CODE; its output lands in $out.
expect_exit() {
	# names of its own: a caller's $want and $got must survive the call
	ee_want=$1
	shift
	out=$("$@" 2>&1)
	ee_got=$?
	[ "$ee_got" = "$ee_want" ] || fail "'$*' exited $ee_got, expected $ee_want: $out"
}

# contains TEXT NEEDLE WHAT: fail unless TEXT contains NEEDLE.
contains() {
	case $1 in
	*"$2"*) ;;
	*) fail "${3:-output} lacks '$2': $1" ;;
	esac
}

# debris: print ftrig-named objects left in the kernel (instances, dynamic events), except
# those of ftrig sessions still running (instance ftrig-PID, probe group ftrig_PID of a live
# PID): other sessions share the kernel with the tests, and theirs are not debris.
debris() {
	for i in $(ls "$T/instances" 2>/dev/null | grep -i ftrig); do
		live_session "$i" || echo "$i"
	done
	grep -i ftrig "$T/dynamic_events" "$T/uprobe_events" "$T/kprobe_events" 2>/dev/null |
		while IFS= read -r line; do
			g=${line#*:}	# grep's FILE: prefix
			g=${g#*:}	# the probe type, p: r: e:
			g=${g%%/*}
			live_session "$g" || echo "$line"
		done
	return 0
}

# live_session NAME: whether NAME is ftrig-PID or ftrig_PID of a running process, or a
# test's own ftrig-WORD-PID (58-kill-matrix's ftrig-km-PID) while that test runs: another
# run of the tests on this machine may be in the middle of one.
live_session() {
	case $1 in
	ftrig-*[!0-9]* | ftrig_*[!0-9]*)
		ls_pid=${1##*[-_]}
		case $ls_pid in '' | *[!0-9]*) return 1 ;; esac
		[ "${1%[-_]*}" != "$1" ] && tr '\0' ' ' <"/proc/$ls_pid/cmdline" 2>/dev/null |
			grep -q 'tests/'
		;;
	ftrig-?* | ftrig_?*) kill -0 "${1#ftrig?}" 2>/dev/null ;;
	*) return 1 ;;
	esac
}

# hold_start ARGS...: start the session-hold helper with ARGS, wait until it is ready, and
# set $hold_pid and $hold_inst. It writes its output to $hold_out.
hold_start() {
	hold_out=${TMPDIR:-/tmp}/ftrig-hold.$$
	"$FTRIG_HELPERS/session-hold" "$@" >"$hold_out" 2>&1 &
	hold_pid=$!
	i=0
	while ! grep -q '^ready' "$hold_out" 2>/dev/null; do
		kill -0 "$hold_pid" 2>/dev/null || fail "session-hold died: $(cat "$hold_out")"
		i=$((i + 1))
		[ $i -lt 300 ] || fail "session-hold not ready after 30 s"
		sleep 0.1
	done
	hold_inst=$(sed -n 's/^ready //p' "$hold_out")
}

# hold_wait: wait for session-hold to exit; sets $hold_rc.
hold_wait() {
	wait "$hold_pid"
	hold_rc=$?
	rm -f "$hold_out"
}

# trigger_has SYS/EVENT TEXT [INSTANCE]: whether the event's trigger file lists TEXT.
trigger_has() {
	f=$T/events/$1/trigger
	[ -z "${3:-}" ] || f=$T/instances/$3/events/$1/trigger
	grep -v "^#" "$f" 2>/dev/null | grep -q "$2"
}

# ftrig_ready PID ERRFILE EVENT...: wait until ftrig PID has enabled every EVENT (SYS/EVENT)
# in its instance; fail if it dies first (showing ERRFILE) or after 60 s.
ftrig_ready() {
	rp=$1 rerr=$2
	shift 2
	for e in "$@"; do
		i=0
		while [ "$(cat "$T/instances/ftrig-$rp/events/$e/enable" 2>/dev/null)" != 1 ]; do
			kill -0 "$rp" 2>/dev/null || fail "ftrig $rp died: $(cat "$rerr")"
			i=$((i + 1))
			[ $i -lt 600 ] || fail "ftrig $rp did not enable $e in 60 s"
			sleep 0.1
		done
	done
}

# private_state: a fresh ledger state directory, so journals of other runs do not mix in.
private_state() {
	FTRIG_STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-state.XXXXXX")
	export FTRIG_STATE_DIR
}

# private_event NAME...: top-level events of this test's own, fpev$$:NAME (uprobes on the
# workload helper, made under a state dir of their own, so that the test's cleanups leave them
# be), for the triggers a test must put at the top level. The kernel takes one trigger of each
# kind per event (one traceon, one stacktrace, one enable_event per target): on a shared event
# such as sched:sched_process_exit, another session's, or the same test run beside this one,
# refuses ours or stands in for it. private_event_rm (in the caller's EXIT trap, after its
# triggers are gone) removes them.
private_event() {
	grep -q uprobe "$T/README" 2>/dev/null || [ -f "$T/uprobe_events" ] || skip "no uprobes"
	pe_sd=${FTRIG_STATE_DIR:?private_state first}.pe
	for pe_n in "$@"; do
		pe_out=$(FTRIG_STATE_DIR=$pe_sd "$FTRIG" probe add -g fpev$$ --name "$pe_n" \
			"$FTRIG_HELPERS/workload:workload_target" 2>&1) ||
			fail "cannot make the private event fpev$$:$pe_n: $pe_out"
	done
}
private_event_rm() {
	[ -n "${pe_sd:-}" ] || return 0
	# a failed test's triggers first: the kernel keeps an event that has any
	triggers_clear "$T"/events/fpev$$/*/trigger
	FTRIG_STATE_DIR=$pe_sd "$FTRIG" probe rm --group fpev$$ >/dev/null 2>&1
	rm -rf "$pe_sd"
}

# triggers_clear FILE...: remove every trigger that each trigger FILE lists (what a failed
# run left): "!" and its text as the kernel shows it, without its count (":unlimited",
# ":count=N") and its " [active]" mark, which a removal does not take.
triggers_clear() {
	for tc_f in "$@"; do
		[ -f "$tc_f" ] || continue
		grep -v '^#' "$tc_f" | sed 's/:unlimited//; s/:count=[0-9]*//; s/ *\[.*//; s/^/!/' |
			while IFS= read -r tc_l; do echo "$tc_l" >>"$tc_f"; done 2>/dev/null
	done
}

# state_empty: fail unless the ledger state directory holds no journal.
state_empty() {
	left=$(ls "$FTRIG_STATE_DIR")
	[ -z "$left" ] || fail "journals left in $FTRIG_STATE_DIR: $left"
}

# mine [FILE...]: the lines naming this test's pid as a whole number ("t41_123/x", not
# "t41_1234/x" of another run beside it), from FILE or standard input.
mine() { grep -E -e "(^|[^0-9])$$([^0-9]|\$)" "$@"; }

# journal_live JOURNAL: its live records ("+" records that no "-" record retired), without
# their numbers (an object made again gets a new one), sorted.
journal_live() {
	awk -F '\t' '$1 == "+" { r = $0; sub("^[^\t]*\t[^\t]*\t", "", r); l[$2] = r }
		$1 == "-" { delete l[$2] } END { for (s in l) print l[s] }' "$1" 2>/dev/null | sort
}

# same_lines WHAT EXPECTED GOT FILE: fail unless GOT is EXPECTED, showing both and FILE.
same_lines() {
	[ "$3" = "$2" ] || fail "$1: expected
$2
got
$3
from
$(cat "$4")"
}

# kernel_snap [PATTERN...]: the instance list, dynamic_events and every trigger file (each
# line prefixed with its file), without other sessions' instances and probe groups
# (not_others), and the bpffs pins the test could make (own_pins), for comparing the kernel
# before and after: compare with same_snap, which hands the first line (the first PID after
# the snapshot) to the second. With PATTERNs (grep -e), only the lines that match one: on the
# shared host kernel, other tests change trigger files at the same moment.
kernel_snap() {
	ks_since=${ds_since_of:-$(sh -c 'echo $$')}
	echo "== pids from $ks_since"
	{
		{
			ls "$T/instances"
			cat "$T/dynamic_events"
		} | not_others "$ks_since"
		grep -H -v '^#' "$T"/events/*/*/trigger "$T"/instances/*/events/*/*/trigger 2>/dev/null
	} | matching "$@"
	own_pins "$@"
}

# since_of SNAPSHOT: the first PID after SNAPSHOT (of kernel_snap or dry_snap), its first line.
since_of() { printf '%s\n' "$1" | sed -n '1s/^== pids from //p'; }

# matching [PATTERN...]: the lines of its input that match a PATTERN (grep -e); all without.
matching() {
	if [ $# -gt 0 ]; then
		m_pat=
		for p in "$@"; do m_pat="$m_pat -e $p"; done
		grep $m_pat
	else
		cat
	fi
	return 0
}

# same_snap SNAPSHOT WHAT [PATTERN...]: fail unless kernel_snap [PATTERN...] is SNAPSHOT.
same_snap() {
	want=$1 what=$2
	shift 2
	now=$(ds_since_of=$(since_of "$want") kernel_snap "$@")
	[ "$now" = "$want" ] || fail "$what: the kernel differs:
$(printf '%s\n' "$want" >"${TMPDIR:-/tmp}/ftrig-snap.$$"; printf '%s\n' "$now" | diff "${TMPDIR:-/tmp}/ftrig-snap.$$" -; rm -f "${TMPDIR:-/tmp}/ftrig-snap.$$")"
}

# compat_syscalls: whether this kernel runs 32-bit compat system calls (int 0x80). Being built
# with IA32 emulation is not enough (ia32_emulation=0, or a hypervisor that does not deliver
# int 0x80, as on the 6.18 CI machines), so the workload tries one in a child process. Sets
# $compat_why to what the probe said.
compat_syscalls() {
	compat_why=$("$FTRIG_HELPERS/workload" --compat-probe 2>&1)
	[ "$compat_why" = "compat yes" ]
}

# not_others SINCE: its input without the lines that name an instance or probe group of
# another ftrig session, ftrig-PID or ftrig_PID: of a running process whose FTRIG_STATE_DIR is
# not the test's (read from /proc/PID/environ, so a session of the test's own stays in), or
# of a process gone that got its PID before SINCE, so before the command under test (a
# killed session's leftover is its own test's to clean). Pids wrapping around meanwhile
# would hide a leftover: pid_max is far.
not_others() {
	while IFS= read -r no_l; do
		no_pid=$(printf '%s\n' "$no_l" | sed -n 's/.*ftrig[-_]\([0-9][0-9]*\)\([^0-9].*\)*$/\1/p')
		if [ -n "$no_pid" ] && [ -d "/proc/$no_pid" ]; then
			tr '\0' '\n' <"/proc/$no_pid/environ" 2>/dev/null |
				grep -qxF "FTRIG_STATE_DIR=${FTRIG_STATE_DIR:-}" || continue
		elif [ -n "$no_pid" ] && [ "$no_pid" -lt "$1" ]; then
			continue
		fi
		printf '%s\n' "$no_l"
	done
}

# own_pins PATTERN...: the bpffs pins a test could make, each with its files: those whose
# name matches a PATTERN (grep -e) or that a journal in $FTRIG_STATE_DIR names. ftrig pins
# only in `hist start --backend bpf` (a setup's hist line too), under its --name or else
# SYSTEM-EVENT (src/histsvc/start.c), and journals each pin first: a test passes its names
# (and an EVENT's SYSTEM-EVENT) as PATTERNs. Other sessions' pins beside the test (another
# state directory, tests/neighbour.sh) come and go and are left out.
own_pins() {
	for op_n in $(ls /sys/fs/bpf/ftrig 2>/dev/null); do
		op_keep=0
		for op_p in "$@"; do
			printf '%s\n' "$op_n" | grep -q -e "$op_p" && op_keep=1
		done
		[ $op_keep = 1 ] || ! grep -rqsF "/sys/fs/bpf/ftrig/$op_n" "${FTRIG_STATE_DIR:-/nonexistent}" ||
			op_keep=1
		[ $op_keep = 0 ] || { echo "== pin $op_n"; ls "/sys/fs/bpf/ftrig/$op_n" 2>&1; }
	done
	return 0
}

# dry_snap "INSTANCE..." "SYS/EVENT..." [PATTERN...]: what a writing command could change,
# byte for byte, for proving that a dry run changes nothing: the instance list,
# dynamic_events, every trigger file at the top level and in the INSTANCEs (each line with its
# file), then, whole, the enable, filter and trigger files of the EVENTs and the trace_clock,
# buffer sizes and tracing_on of the top level and of each INSTANCE that exists, the bpffs
# pins the test could make (own_pins: those named by a PATTERN or by an EVENT's default name
# SYSTEM-EVENT, or journaled in the state directory) and every file of $FTRIG_STATE_DIR with
# its content. With PATTERNs (grep -e), only the lines of the kernel-wide lists (instances,
# dynamic events, triggers) that match one are kept: other tests change those at the same
# moment on the shared host kernel. Instances and probe groups of other ftrig sessions
# (not_others: ftrig-PID, ftrig_PID of a running process with another FTRIG_STATE_DIR, or of
# one gone that is older than the snapshot) are left out: they come and go beside the test
# (tests/neighbour.sh), while a leftover of the command under test, which has ended, or of a
# session of the test's own, stays in. The first line names the first PID after the
# snapshot, which same_dry hands to the second.
dry_snap() {
	ds_insts=$1 ds_evs=$2
	shift 2
	# the first PID the command under test may have: same_dry passes the one of BEFORE
	ds_since=${ds_since_of:-$(sh -c 'echo $$')}
	echo "== pids from $ds_since"
	ds_dirs=$T
	for i in $ds_insts; do
		[ -d "$T/instances/$i" ] && ds_dirs="$ds_dirs $T/instances/$i"
	done
	{
		{
			ls "$T/instances"
			cat "$T/dynamic_events" 2>/dev/null
		} | not_others "$ds_since"
		for d in $ds_dirs; do
			grep -H -v '^#' "$d"/events/*/*/trigger 2>/dev/null
		done
	} | matching "$@"
	ds_names=
	for e in $ds_evs; do
		case $e in */*) ds_names="$ds_names ^${e%%/*}-${e#*/}\$" ;; esac
	done
	own_pins $ds_names "$@"
	for d in $ds_dirs; do
		for f in trace_clock buffer_size_kb buffer_total_size_kb tracing_on; do
			echo "== $d/$f"
			cat "$d/$f" 2>&1
		done
		for e in $ds_evs; do
			for f in enable filter trigger; do
				echo "== $d/events/$e/$f"
				cat "$d/events/$e/$f" 2>&1
			done
		done
	done
	echo "== state dir ${FTRIG_STATE_DIR:-}"
	if [ -n "${FTRIG_STATE_DIR:-}" ] && [ -d "$FTRIG_STATE_DIR" ]; then
		(cd "$FTRIG_STATE_DIR" && find . | sort | while read -r f; do
			echo "== $f"
			[ -f "$f" ] && cat "$f"
		done)
	fi
	return 0
}

# same_dry BEFORE WHAT "INSTANCE..." "SYS/EVENT..." [PATTERN...]: fail unless dry_snap with
# the same arguments gives BEFORE, showing the difference.
same_dry() {
	sd_want=$1 sd_what=$2
	shift 2
	sd_now=$(ds_since_of=$(since_of "$sd_want") dry_snap "$@")
	[ "$sd_now" = "$sd_want" ] && return 0
	printf '%s\n' "$sd_want" >"${TMPDIR:-/tmp}/ftrig-dry.$$"
	fail "$sd_what: changed something:
$(printf '%s\n' "$sd_now" | diff "${TMPDIR:-/tmp}/ftrig-dry.$$" -; rm -f "${TMPDIR:-/tmp}/ftrig-dry.$$")"
}

# oracle_start PROGRAM [POKE...]: the peer as the oracle. Runs bpftrace PROGRAM in the
# background (output in $bpt_out, pid in $bpt_pid) and returns once it printed a line
# "ready"; POKE, when given, is run every 0.1 s until then, for a program that says ready from
# a probe which has to fire. The caller's EXIT trap kills $bpt_pid; oracle_stop ends it
# with SIGINT, which makes bpftrace print its maps into $bpt_out.
oracle_start() {
	prog=$1
	shift
	# Not the "ready" of an earlier run: the background shell truncates the file only when it
	# gets to the redirection, which may be after the first look.
	rm -f "$bpt_out"
	bpftrace -e "$prog" >"$bpt_out" 2>&1 &
	bpt_pid=$!
	i=0
	until grep -q '^ready' "$bpt_out" 2>/dev/null; do
		kill -0 "$bpt_pid" 2>/dev/null || fail "bpftrace died: $(cat "$bpt_out")"
		i=$((i + 1))
		[ $i -lt 300 ] || fail "bpftrace not attached after 30 s"
		[ $# = 0 ] || "$@" >/dev/null
		sleep 0.1
	done
}
oracle_stop() {
	kill -INT "$bpt_pid"
	# bpftrace has been seen to miss a SIGINT (and then wait for ever): said again every 5 s
	i=0
	# (running: its /proc entry is there and not a zombie's, which kill -0 would take too)
	while [ -r "/proc/$bpt_pid/stat" ] && ! grep -q ') Z ' "/proc/$bpt_pid/stat" &&
		[ $i -lt 600 ]; do
		i=$((i + 1))
		[ $((i % 50)) != 0 ] || kill -INT "$bpt_pid" 2>/dev/null
		sleep 0.1
	done
	wait "$bpt_pid"
	bpt_pid=
}

# need_source FILE WHY: set $src to the source tree (FTRIG_TESTS/..), which must hold FILE.
# The VM gets tests/ only: there the test passes, saying it is host tier only and WHY; on the
# host a missing FILE fails.
need_source() {
	src=$(cd "$FTRIG_TESTS/.." && pwd)
	[ -e "$src/$1" ] && return 0
	[ "$FTRIG_TIER" = vm ] || fail "no $1 beside FTRIG_TESTS=$FTRIG_TESTS"
	echo "host tier only: $2"
	exit 0
}

# tool_start ARGS...: run `ftrig ARGS` (a tool: funccount, syscount, ...) in the background,
# its output in $tool_out, its pid in $tool_pid, and return once it printed its "Tracing"
# line (it counts from then on). tool_stop ends it with SIGINT, as Ctrl-C does, which makes
# it print its counts, and sets $tool_rc. The caller's EXIT trap kills $tool_pid.
tool_start() {
	tool_out=${TMPDIR:-/tmp}/ftrig-tool.$$
	# Not the line of an earlier run (see oracle_start): a SIGINT sent before the tool catches
	# it is ignored, as by every background job of a shell script.
	rm -f "$tool_out"
	"$FTRIG" "$@" >"$tool_out" 2>&1 &
	tool_pid=$!
	i=0
	until grep -q '^Tracing' "$tool_out" 2>/dev/null; do
		kill -0 "$tool_pid" 2>/dev/null || fail "ftrig $* died: $(cat "$tool_out")"
		i=$((i + 1))
		[ $i -lt 600 ] || fail "ftrig $* not tracing after 60 s: $(cat "$tool_out")"
		sleep 0.1
	done
}
tool_stop() {
	kill -INT "$tool_pid"
	i=0
	while [ -r "/proc/$tool_pid/stat" ] && ! grep -q ') Z ' "/proc/$tool_pid/stat"; do
		i=$((i + 1))
		if [ $i -ge 1200 ]; then
			kill -KILL "$tool_pid"
			fail "ftrig did not end 120 s after SIGINT: $(cat "$tool_out")"
		fi
		sleep 0.1
	done
	wait "$tool_pid"
	tool_rc=$?
	tool_pid=
	[ "$tool_rc" = 0 ] || fail "the tool exited $tool_rc: $(cat "$tool_out")"
}

# waiting ARGS...: the workload helper with ARGS in the background, started once the fifo
# $fifo is written, so that its pid ($wpid) is known before it runs (for -p).
waiting() {
	sh -c "read x <'$fifo'; exec '$FTRIG_HELPERS/workload' $*" >/dev/null &
	wpid=$!
}

# tool_cleanup [FILE...]: a tool test's EXIT trap: end the tool and bpftrace if they still
# run, and remove the state directory, their output files and the FILEs.
tool_cleanup() {
	[ -z "${tool_pid:-}" ] || kill "$tool_pid" 2>/dev/null
	[ -z "${bpt_pid:-}" ] || kill "$bpt_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$FTRIG_STATE_DIR" "${tool_out:-}" "${bpt_out:-}" "$@"
}

# tool_lines PATTERN: how many lines of the tool's output match the awk PATTERN.
tool_lines() { awk "$1 { n++ } END { print n + 0 }" "$tool_out"; }

# oracle_val NAME: the value bpftrace printed for its map @NAME (a count), empty when none.
oracle_val() { sed -n "s/^@$1: //p" "$bpt_out"; }

# beside_churn OUT CMD...: run the workload CMD (its output in OUT) while tests/helpers/churn
# forks and execs 300 short-lived processes beside it (a busy machine's), and wait for both;
# fail when CMD fails. The caller's EXIT trap kills $churn_pid.
beside_churn() {
	bc_out=$1
	shift
	"$FTRIG_HELPERS/churn" 300 0 "$bc_out.churn" >/dev/null 2>&1 &
	churn_pid=$!
	"$@" >"$bc_out" 2>&1 || fail "$1 failed: $(cat "$bc_out")"
	wait "$churn_pid"
	churn_pid=
	rm -f "$bc_out.churn"
}

# tool_round PROGRAM OUT LOAD TOOLARGS...: one run of `ftrig TOOLARGS` (tool_start) on the
# workload LOAD (a command or a function of the caller's, run by beside_churn OUT), with
# bpftrace PROGRAM beside it as the oracle (oracle_start) on the host tier where bpftrace is;
# both stopped after the workload (tool_stop, oracle_stop).
tool_round() {
	tr_prog=$1 tr_out=$2 tr_load=$3
	shift 3
	tool_start "$@"
	if command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; then
		oracle_start "$tr_prog"
	fi
	beside_churn "$tr_out" "$tr_load"
	tool_stop
	[ -z "${bpt_pid:-}" ] || oracle_stop
}

# tool_row NAME: the count (second column) of the tool's row for NAME, 0 when it has none.
tool_row() { awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' "$tool_out"; }

# serve_start OUT ARGS...: start "$FTRIG ARGS" (an ftrig serve) in the background, its output
# in OUT, and wait for its first line; sets $srv_pid, and $url to what it serves (empty when
# it writes a textfile only).
serve_start() {
	srv_out=$1
	shift
	# Not the line of an earlier serve into the same file (see oracle_start): the background
	# shell truncates it only when it gets to the redirection. And a whole line: "serving URL"
	# may be seen before its URL is written.
	rm -f "$srv_out"
	"$FTRIG" "$@" >"$srv_out" 2>&1 &
	srv_pid=$!
	ss_i=0
	until grep -q -e '^serving .*[^ ]$' -e '^writing ' "$srv_out" 2>/dev/null; do
		kill -0 "$srv_pid" 2>/dev/null || fail "ftrig $* died: $(cat "$srv_out")"
		ss_i=$((ss_i + 1))
		[ $ss_i -lt 600 ] || fail "ftrig $* not up after 60 s"
		sleep 0.1
	done
	url=$(sed -n 's/^serving //p' "$srv_out")
}

# loop_attach IMG: a loop device of the test's own on a new 16 MiB image IMG (the block tests'
# disk, which nothing but their workload touches), after the loop module where it is one (the
# VM tier brings it: tests/vm/run.sh). Sets $loop (/dev/loopN), $loop_name (loopN) and
# $loop_dev (its dev_t as the block events carry it, MAJOR << 20 | MINOR); skips without the
# block events, losetup or a free loop device. With util-linux the device does direct I/O to the image, so a request
# takes as long as the disk under it (100s of us), not the page cache (a few us); busybox's
# losetup (the VM) has neither --direct-io nor --show. The caller detaches $loop and
# removes IMG.
loop_attach() {
	[ -d "$T/events/block/block_rq_issue" ] || skip "no block:block_rq_issue event here"
	command -v losetup >/dev/null 2>&1 || skip "needs losetup for a loop device"
	[ -e /dev/loop-control ] || modprobe loop 2>/dev/null ||
		insmod /usr/lib/modules/ftrig/loop.ko 2>/dev/null
	dd if=/dev/zero of="$1" bs=1M count=16 2>/dev/null || fail "cannot make the image $1"
	if ! la_l=$(losetup --direct-io=on -f --show "$1" 2>/dev/null) &&
		! la_l=$(losetup -f --show "$1" 2>/dev/null); then
		la_l=$(losetup -f 2>&1) && losetup "$la_l" "$1" 2>/dev/null ||
			skip "no loop device here: $la_l"
	fi
	loop=$la_l
	loop_name=${loop#/dev/}
	la_mm=$(stat -L -c '%t %T' "$loop")
	loop_dev=$(( (0x${la_mm% *} << 20) | 0x${la_mm#* } ))
	# what probes a new block device (udev's blkid) reads it now, not during the counts
	dd if="$loop" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
	sleep 1
}

# loop_workload: 190 block requests to $loop: 160 direct 4 KiB writes by 4 writers at once
# (their completions come in interrupts, not in the issuing threads), then 30 direct reads.
# Each O_DIRECT I/O is one request, waited for before the next, so no two merge, and every
# request has completed when this returns.
loop_workload() {
	lw_pids=
	for lw_k in 0 1 2 3; do
		dd if=/dev/zero of="$loop" bs=4k count=40 seek=$((lw_k * 100)) oflag=direct \
			2>/dev/null &
		lw_pids="$lw_pids $!"
	done
	for lw_p in $lw_pids; do wait "$lw_p" || fail "a direct write to $loop failed"; done
	dd if="$loop" of=/dev/null bs=4k count=30 skip=500 iflag=direct 2>/dev/null ||
		fail "the direct reads of $loop failed"
}

# settle TEXT N: wait (up to 10 s) until the tool's output ($tool_out) has N lines with TEXT:
# a live reader of a ring buffer may show the last calls of a workload a moment later.
settle() {
	i=0
	while [ "$(grep -c -- "$1" "$tool_out")" -lt "$2" ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

# snoop_hist_refused TOOL: on a kernel without hist triggers (the host's), TOOL --backend hist
# is refused before anything is written: exit 1 as the other tools' refusals, the missing
# feature named, no object of its (named after its pid) and no journal left.
snoop_hist_refused() {
	"$FTRIG" info --require hist_triggers >/dev/null 2>&1 && return 0
	sh -c 'exec "$@"' sh "$FTRIG" "$1" --backend hist >"${TMPDIR:-/tmp}/ftrig-tHB.$$" 2>&1 &
	hpid=$!
	wait $hpid
	hrc=$?
	[ $hrc = 1 ] || fail "--backend hist: exit $hrc, not 1: $(cat "${TMPDIR:-/tmp}/ftrig-tHB.$$")"
	contains "$(cat "${TMPDIR:-/tmp}/ftrig-tHB.$$")" \
		"--backend hist: $1 needs hist triggers, and this kernel has none (CONFIG_HIST_TRIGGERS is off); use '--backend bpf'" \
		"--backend hist refused"
	rm -f "${TMPDIR:-/tmp}/ftrig-tHB.$$"
	# from its PID on: its own objects count even now that it is gone
	left=$(ds_since_of=$hpid kernel_snap "ftrig_$hpid" "ftrig-$hpid" "ftrig_cap_$hpid" | sed 1d)
	[ -z "$left" ] || fail "--backend hist left: $left"
	state_empty
}

# tool_ends HEADER FILTER TOOLARGS...: `ftrig TOOLARGS FILTER -d 0.5` ends by itself, exit 0,
# its output with HEADER; `ftrig TOOLARGS` ends on SIGTERM with exit 0 (the caller checks
# that nothing is left either way).
tool_ends() {
	te_head=$1 te_filter=$2
	shift 2
	expect_exit 0 "$FTRIG" "$@" $te_filter -d 0.5
	contains "$out" "$te_head" "-d"
	"$FTRIG" "$@" >/dev/null 2>&1 &
	te_pid=$!
	sleep 1
	kill -TERM $te_pid
	wait $te_pid
	te_rc=$?
	[ $te_rc = 0 ] || fail "SIGTERM: ftrig $* exited $te_rc"
}

# opens_blocked ARGS...: `ftrig opensnoop ARGS` (with -j and -c $comm among them) writing
# into a fifo nobody reads while snoopload ($L) makes 20000 opens of $file, so the ring
# buffer overflows behind the blocked output; then a reader starts and the tool is stopped
# at once, while its output may still block. Sets $shown (the lines of $file that came out)
# and $lost (the "calls not shown in all" the tool said, empty when none), in $dir/json and
# $dir/err. The caller's EXIT trap kills $tool_pid.
opens_blocked() {
	rm -f "$dir/fifo"
	mkfifo "$dir/fifo"
	exec 3<>"$dir/fifo"
	"$FTRIG" opensnoop "$@" >"$dir/fifo" 2>"$dir/err" &
	tool_pid=$!
	until grep -q '^Tracing' "$dir/err" 2>/dev/null; do
		kill -0 $tool_pid 2>/dev/null || fail "opensnoop died: $(cat "$dir/err")"
		sleep 0.1
	done
	"$L" --comm "$comm" --openat "20000:$file" >"$dir/load" 2>&1 || fail "snoopload"
	cat "$dir/fifo" >"$dir/json" 3>&- &
	ob_cat=$!
	exec 3>&-
	kill -INT $tool_pid
	wait $tool_pid || fail "opensnoop $* exited $?: $(cat "$dir/err")"
	tool_pid=
	wait $ob_cat
	shown=$(grep -c "\"path\":\"$file\"" "$dir/json")
	lost=$(sed -n 's/.*: \([0-9]*\) calls not shown in all: .*/\1/p' "$dir/err")
}
