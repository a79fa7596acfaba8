# Shared helpers of the benchmarks (bench/NN-*.sh source this file). POSIX sh: the same scripts
# run on the host and, under busybox ash, inside the Debian 6.1 VM (FTRIG_BENCH_VM=1).
#
# Environment (bench/run.sh sets them; defaults suit a run from the source tree):
#   FTRIG             the ftrig binary                  FTRIG_HELPERS  folder with `workload`
#   BENCH_REPS        repetitions (default 9 on the host, 5 in the VM)
#   FTRIG_BENCH_VM    1 inside the VM: results are ratios only (absolute TCG times mean nothing)
#
# Every result is one line on stdout, which bench/run.sh collects into bench/RESULTS.md:
#   NAME: ftrig X, peer Y, ratio Y/X            (ratio > 1: ftrig is cheaper or faster)
#   NAME: ftrig unavailable (REASON), peer Y    (the ftrig command is not there yet)
#   NAME: peer unavailable (REASON)             (the peer is missing and could not be installed)
#   count NAME: expected N, counted K, exact|WRONG
# X and Y are medians over the repetitions with the spread [min..max] after them.
# Any other output line is commentary ("# ...").

here_lib=$(cd "$(dirname "$0")" && pwd)
FTRIG=${FTRIG:-$here_lib/../ftrig}
FTRIG_HELPERS=${FTRIG_HELPERS:-$here_lib/../build/tests/helpers}
WORKLOAD=$FTRIG_HELPERS/workload
T=/sys/kernel/tracing
EV_SYS=syscalls
EV_NAME=sys_enter_getppid
EVENT=$EV_SYS:$EV_NAME
if [ "${FTRIG_BENCH_VM:-0}" = 1 ]; then
	WHERE=vm
	BENCH_REPS=${BENCH_REPS:-5}
else
	WHERE=host
	BENCH_REPS=${BENCH_REPS:-9}
fi
BT_READY_S=${BT_READY_S:-120}
btmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-bench-XXXXXX") || exit 1
# ftrig's journal of what it created: private, so that the benchmark's objects never mix with
# anybody else's on this shared machine (and a killed run leaves its journal in $btmp).
FTRIG_STATE_DIR=${FTRIG_STATE_DIR:-$btmp/state}
export FTRIG_STATE_DIR

# Our own objects are removed on every exit path; the tracing state of other users is never touched.
cleanup_fns=
on_exit() { cleanup_fns="$1 $cleanup_fns"; }
run_cleanups() {
	for f in $cleanup_fns; do $f; done
	cleanup_fns=
	rm -rf "$btmp"
}
trap 'run_cleanups' EXIT
trap 'exit 130' INT TERM HUP

say() { echo "# [$WHERE] $*"; }

# CPU pinning: the tool on the first CPU, the workload on the last one, so the traced process
# does not also pay for the tool's own work. One CPU: no pinning, and the results say so.
ncpu=$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)
TOOL_CPU=0
LOAD_CPU=$((ncpu - 1))
# $TOOL_PIN is a word list, not a function: `$TOOL_PIN tool &` must leave the tool's own pid in
# $! (taskset execs it), so that signals reach the tool and not a subshell.
if [ "$ncpu" -lt 2 ] || ! command -v taskset >/dev/null 2>&1; then
	TOOL_PIN= LOAD_PIN=
	PINNING="not pinned ($ncpu CPU(s), taskset $(command -v taskset || echo missing))"
else
	TOOL_PIN="taskset -c $TOOL_CPU" LOAD_PIN="taskset -c $LOAD_CPU"
	PINNING="tools on CPU $TOOL_CPU, workload on CPU $LOAD_CPU"
fi

[ -x "$WORKLOAD" ] || {
	echo "bench: no workload at $WORKLOAD (make test-bins)" >&2
	exit 1
}

# stats V...: "median [min..max]", one decimal below 100, whole numbers above.
stats() {
	printf '%s\n' "$@" | sort -n | awk 'function f(x) { return sprintf(x < 100 && x > -100 ? "%.1f" : "%.0f", x) }
		{ v[NR] = $1 } END {
		if (NR == 0) { print "none"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%s [%s..%s]\n", f(m), f(v[1]), f(v[NR]) }'
}
median() { stats "$@" | cut -d ' ' -f 1; }

# ratio PEER FTRIG: PEER / FTRIG to two decimals.
ratio() { awk -v p="$1" -v f="$2" 'BEGIN { if (f > 0) printf "%.2f\n", p / f; else print "inf" }'; }

# keep TOOL REP VALUE: VALUE is TOOL's figure in repetition REP: appended to the list v_TOOL
# (what the medians are of) and kept as rv_TOOL_REP (what the ratios of one repetition are of).
keep() {
	eval "v_$1=\"\${v_$1:-} $3\" rv_$1_$2=$3"
}

# rep_ratios PEER_TOOL FTRIG_TOOL REPS: PEER / FTRIG in each repetition that measured both,
# one a line (a figure of ftrig at or below 0 counts as 1e9: infinitely cheaper). A repetition
# whose peer figure is at or below 0 (an added cost smaller than the noise of the untraced
# run it is taken from: seen in the VM, -490 ns for the floor) says nothing of the ratio and is
# left out; a negative ratio (-1.80 once) meant nothing.
rep_ratios() {
	i=1
	while [ $i -le "$3" ]; do
		eval "p=\${rv_$1_$i:-} f=\${rv_$2_$i:-}"
		[ -n "$p" ] && [ -n "$f" ] &&
			awk -v p="$p" -v f="$f" 'BEGIN { if (p > 0) printf "%.4f\n", (f > 0 ? p / f : 1e9) }'
		i=$((i + 1))
	done
}

# spread RATIO...: "median [q1..q3]" (the lower median of an even count) of the ratios of single repetitions (the middle half of
# them lies in the brackets), and " (spread crosses 1)" when that range holds 1: the run does
# not say which side is cheaper.
spread() {
	printf '%s\n' "$@" | sort -n | awk 'function f(x) { return (x >= 1e9 ? "inf" : sprintf("%.2f", x)) }
		{ v[NR] = $1 } END {
		if (NR == 0) { print "none"; exit }
		m = v[int((NR + 1) / 2)]
		q = int((NR + 3) / 4); lo = v[q]; hi = v[NR + 1 - q]
		printf "%s [%s..%s]%s\n", f(m), f(lo), f(hi), (lo < 1 && hi > 1 ? " (spread crosses 1)" : "") }'
}

# result NAME FTRIG_VALUES PEER_VALUES UNIT [RATIOS]: the line of one comparison. The ratio is
# the median of RATIOS (those of single repetitions) with their spread when they are given,
# else the ratio of the medians. In the VM only the ratio is meaningful, so the figures are
# left out there.
result() {
	fx=$(stats $2) py=$(stats $3)
	if [ -n "${5:-}" ]; then
		r=$(spread $5)
	else
		r=$(ratio "${py%% *}" "${fx%% *}")
	fi
	if [ "$WHERE" = vm ]; then
		echo "$1: ftrig (vm), peer (vm), ratio $r"
	else
		echo "$1: ftrig $fx $4, peer $py $4, ratio $r"
	fi
}

# ftrig_unavailable NAME REASON PEER_VALUES UNIT
ftrig_unavailable() {
	if [ "$WHERE" = vm ]; then
		echo "$1: ftrig unavailable ($2), peer (vm) measured"
	else
		echo "$1: ftrig unavailable ($2), peer $(stats $3) $4"
	fi
}

# peer_unavailable NAME REASON
peer_unavailable() { echo "$1: peer unavailable ($2)"; }

# count_line NAME EXPECTED COUNTED
count_line() {
	if [ "$2" = "$3" ]; then v=exact; else v=WRONG; fi
	echo "count $1: expected $2, counted ${3:-none}, $v"
}

# need_peer CMD PACKAGE: 0 if CMD can be run, installing PACKAGE with apt-get on the host if it
# is missing; otherwise prints why and returns 1 (the caller reports the peer as unavailable).
need_peer() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$WHERE" = host ] && command -v apt-get >/dev/null 2>&1; then
		say "installing $2 for $1 (apt-get install -y $2)"
		apt-get install -y -q "$2" >"$btmp/apt.log" 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -q "$2" >"$btmp/apt.log" 2>&1; }
		command -v "$1" >/dev/null 2>&1 && return 0
		peer_why="$1 missing; apt-get install $2 failed: $(tail -n 1 "$btmp/apt.log")"
	else
		peer_why="$1 not installed in the $WHERE (package $2)"
	fi
	return 1
}

# ftrig_missing CMD: 0 (and the reason in $ftrig_why) when this ftrig has no command CMD.
ftrig_missing() {
	ftrig_why=
	if [ ! -x "$FTRIG" ]; then
		ftrig_why="no ftrig binary at $FTRIG"
		return 0
	fi
	o=$("$FTRIG" "$1" --help 2>&1)
	case $o in
	*"no command"*) ftrig_why="this ftrig has no '$1' command yet" ;;
	*) return 1 ;;
	esac
	return 0
}

# stop_bg PID: stop a background tool with SIGINT (how bpftrace and ftrig pipe end and print) and
# reap it. bpftrace 0.17 sometimes misses a SIGINT and then waits forever in epoll_wait, so the
# signal is sent again every 2 s; SIGKILL after STOP_WAIT_S seconds (30; a bpftrace with
# hundreds of probes takes about that long to detach them on the host).
stop_bg() {
	i=0
	while [ -d "/proc/$1" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		[ $((i % 20)) = 0 ] && kill -INT "$1" 2>/dev/null
		[ $i = $((${STOP_WAIT_S:-30} * 10)) ] && c=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | cut -c 1-60) &&
			kill -KILL "$1" 2>/dev/null && say "had to SIGKILL pid $1 ($c)"
		i=$((i + 1))
		sleep 0.1
	done
	wait "$1" 2>/dev/null
}

# compare NAME UNIT FTRIG_VALUES PEER_VALUES FTRIG_ERROR PEER_ERROR [RATIOS]: the result line
# of one comparison, or why a side could not be measured ($ftrig_off: the ftrig command is
# missing; $peer_off: the peer is).
compare() {
	if [ -n "${peer_off:-}" ]; then
		peer_unavailable "$1" "$peer_off"
	elif [ -z "$4" ]; then
		peer_unavailable "$1" "${6:-no run succeeded}"
	elif [ -n "${ftrig_off:-}" ]; then
		ftrig_unavailable "$1" "$ftrig_off" "$4" "$2"
	elif [ -z "$3" ]; then
		ftrig_unavailable "$1" "ftrig failed: ${5:-no run succeeded}" "$4" "$2"
	else
		result "$1" "$3" "$4" "$2" "${7:-}"
	fi
}

# wait_for FILE TEXT SECONDS: wait until FILE contains TEXT; 1 on timeout.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 100)) ] && return 1
		sleep 0.01
	done
	return 0
}

# run_load COMM N OUT: the timed workload, pinned; prints the CPU time in ns its getppid loop
# took, at the rate of its best chunk of calls (workload.c). CPU time, not wall time: what a
# tracer adds to each call is spent in the traced process, and other load on a shared machine
# preempts it without adding to its CPU time; the best chunk, because that load still adds
# cache misses and interrupts to some chunks (the whole loop's time moved by 3x between runs
# here while the best chunk's moved by a few percent).
run_load() {
	$LOAD_PIN "$WORKLOAD" --comm "$1" --time --getppid "$2" >"$3" 2>&1 || return 1
	sed -n 's/^cpumin getppid //p' "$3"
}

### Tools. Each has NAME_start COMM (attached when it returns 0), NAME_count COMM (sets $got to
### the count of getppid calls by COMM, empty if none was found) and NAME_stop. $tool_err says
### why a start failed. The count functions run in the calling shell (no $(...)): bpftrace's
### must wait for its own child.

## ftrig hist (either backend): `ftrig hist start/dump/rm` on the getppid event.
ftrig_backend=bpf
ftrig_name=
ftrig_seq=0
ftrig_start() {
	ftrig_seq=$((ftrig_seq + 1))
	ftrig_name=ftrig_bench_$$_$ftrig_seq
	$TOOL_PIN "$FTRIG" hist start "$EVENT" --key common_pid.execname --val hitcount \
		--backend "$ftrig_backend" --name "$ftrig_name" >"$btmp/ftrig.start" 2>&1 && return 0
	tool_err=$(head -n 1 "$btmp/ftrig.start")
	ftrig_stop
	return 1
}
# The dump's CSV has one row per key (common_pid,common_pid_comm,hitcount: 107,name,1234);
# the rows of our process have its comm as a field, and the hitcount last.
ftrig_count() {
	got=
	"$FTRIG" hist dump "$EVENT" --name "$ftrig_name" --format csv >"$btmp/ftrig.dump" 2>&1 || return 1
	got=$(awk -F , -v c="$1" '{ for (i = 1; i < NF; i++) if ($i == c) { n += $NF; f = 1; next } }
		END { if (f) print n }' "$btmp/ftrig.dump")
}
ftrig_stop() {
	[ -z "$ftrig_name" ] || "$FTRIG" hist rm "$EVENT" --name "$ftrig_name" >/dev/null 2>&1
	ftrig_name=
}

## bpftrace `@[comm] = count()`; BEGIN runs once the probes are attached.
bt_pid=
bpftrace_start() {
	: >"$btmp/bt.out"
	$TOOL_PIN bpftrace -e "BEGIN { printf(\"ready\\n\"); }
		tracepoint:$EV_SYS:$EV_NAME { @[comm] = count(); }" >"$btmp/bt.out" 2>&1 &
	bt_pid=$!
	wait_for "$btmp/bt.out" ready "$BT_READY_S" && return 0
	tool_err="bpftrace did not attach within $BT_READY_S s: $(grep -v '^$' "$btmp/bt.out" | tail -n 1)"
	bpftrace_stop
	return 1
}
bpftrace_stop() {
	[ -n "$bt_pid" ] || return 0
	stop_bg "$bt_pid"
	bt_pid=
}
# The map is printed when bpftrace ends: stop first, then count.
bpftrace_count() {
	bpftrace_stop
	got=$(sed -n "s/^@\\[$1\\]: \\([0-9]*\\)\$/\\1/p" "$btmp/bt.out")
}
on_exit bpftrace_stop

## trace-cmd start into its own instance, with a filter on the comm; counted with trace-cmd show.
# On the host kernel, /proc/sys/kernel/ftrace_enabled and the instance's set_ftrace_pid refuse
# access (EPERM) and trace-cmd 3.1.6 then dies ("Can't enable ftrace", or a NULL strcmp). The
# run goes through a private mount namespace in which both are harmless regular files; tracing
# itself is untouched.
tc_inst=
# trace-cmd walks every event system of its instance (to clear filters); on this shared machine
# another user's dynamic event group can vanish meanwhile, and trace-cmd then gives up: retry once.
tc_start() {
	tc_try "$1" && return 0
	say "trace-cmd start failed ($tool_err); trying again"
	tc_try "$1"
}
tc_try() {
	tc_inst=ftrig-bench-tc-$$
	tc_filter="comm == \"$1\""
	if [ "$WHERE" = host ] && ! (cat /proc/sys/kernel/ftrace_enabled >/proc/sys/kernel/ftrace_enabled) 2>/dev/null; then
		echo 1 >"$btmp/fe" && : >"$btmp/empty"
		mkdir "$T/instances/$tc_inst" || return 1
		$TOOL_PIN unshare -m sh -c "mount --bind $btmp/fe /proc/sys/kernel/ftrace_enabled &&
			mount --bind $btmp/empty $T/instances/$tc_inst/set_ftrace_pid &&
			mount --bind $btmp/empty $T/instances/$tc_inst/set_ftrace_notrace_pid &&
			exec trace-cmd start -B $tc_inst -b 4096 -e $EVENT -f '$tc_filter'" >"$btmp/tc.out" 2>&1
	else
		$TOOL_PIN trace-cmd start -B "$tc_inst" -b 4096 -e "$EVENT" -f "$tc_filter" >"$btmp/tc.out" 2>&1
	fi
	[ $? = 0 ] && return 0
	tool_err="trace-cmd start failed: $(tail -n 1 "$btmp/tc.out")"
	tc_stop
	return 1
}
# The kernel filter has kept only our process; the name a line shows comes from the kernel's
# pid->comm cache at read time and can be stale, so every event line is counted.
tc_count() { got=$(trace-cmd show -B "$tc_inst" 2>/dev/null | grep -c "sys_getppid"); }
# trace-cmd reset would also reset the top-level buffer others use: remove only our instance.
tc_stop() {
	[ -n "$tc_inst" ] && [ -d "$T/instances/$tc_inst" ] || return 0
	echo 0 >"$T/instances/$tc_inst/events/$EV_SYS/$EV_NAME/enable"
	echo 0 >"$T/instances/$tc_inst/events/$EV_SYS/$EV_NAME/filter"
	rmdir "$T/instances/$tc_inst"
	tc_inst=
}
on_exit tc_stop

## Raw tracefs shell writes. Where the kernel has hist triggers: a hist trigger appended with
## echo and read with cat. Elsewhere: an instance buffer with a comm filter, lines counted.
raw_inst=
raw_hist=
raw_start() {
	raw_inst=$T/instances/ftrig-bench-raw-$$
	mkdir "$raw_inst" || return 1
	e=$raw_inst/events/$EV_SYS/$EV_NAME
	if [ -e "$e/hist" ]; then
		raw_hist="hist:keys=common_pid.execname:vals=hitcount"
		echo "$raw_hist" >>"$e/trigger" && return 0
	else
		raw_hist=
		echo 8192 >"$raw_inst/buffer_size_kb" && echo "comm == \"$1\"" >"$e/filter" &&
			echo 1 >"$e/enable" && return 0
	fi
	tool_err="tracefs writes refused"
	raw_stop
	return 1
}
raw_count() {
	e=$raw_inst/events/$EV_SYS/$EV_NAME
	if [ -n "$raw_hist" ]; then
		# { common_pid: name            [      1234] } hitcount:       1000
		got=$(awk -v c="$1" '$2 == "common_pid:" && $3 == c { n += $NF; f = 1 }
			END { if (f) print n }' "$e/hist")
	else
		got=$(grep -c "sys_getppid" "$raw_inst/trace") # filtered in the kernel (see tc_count)
	fi
}
raw_stop() {
	[ -n "$raw_inst" ] && [ -d "$raw_inst" ] || return 0
	e=$raw_inst/events/$EV_SYS/$EV_NAME
	if [ -n "$raw_hist" ]; then
		echo "!$raw_hist" >>"$e/trigger"
	else
		echo 0 >"$e/enable"
		echo 0 >"$e/filter"
	fi
	rmdir "$raw_inst"
	raw_inst=
}
on_exit raw_stop
on_exit ftrig_stop

## The floor (bench/floor.c, built by make bench): the smallest counting BPF program on one
## hook, loaded with plain libbpf: $floor_mode tp (the classic tracepoint), raw (raw_syscalls'
## sys_enter gated by the call number) or btf (the same as tp_btf). It counts every process's
## calls, or only those of $floor_tgid when set.
FLOOR=${FLOOR:-$here_lib/../build/bench/floor}
[ -x "$FLOOR" ] || FLOOR=$(cd "$FTRIG_HELPERS/../.." 2>/dev/null && pwd)/bench/floor
floor_mode=raw floor_tgid= floor_pid=
floor_start() {
	: >"$btmp/floor.out"
	$TOOL_PIN "$FLOOR" "$floor_mode" ${floor_tgid:+-p "$floor_tgid"} "$EVENT" >"$btmp/floor.out" 2>&1 &
	floor_pid=$!
	while ! grep -q ready "$btmp/floor.out"; do
		if ! kill -0 "$floor_pid" 2>/dev/null; then
			tool_err="floor $floor_mode: $(tail -n 1 "$btmp/floor.out")"
			floor_pid=
			return 1
		fi
		sleep 0.01
	done
}
floor_stop() {
	[ -n "$floor_pid" ] || return 0
	stop_bg "$floor_pid"
	floor_pid=
}
floor_count() {
	floor_stop
	got=$(sed -n 's/^count //p' "$btmp/floor.out")
}
on_exit floor_stop
# floor_modes: the hooks this machine has a floor program for (raw ones: x86_64's syscall
# gate; rawc, the raw one with the compat test an exact count needs, where the kernel has BTF;
# btf: there too, on the host only: it costs what raw does, and the VM's minutes are few),
# none without the floor binary.
floor_modes() {
	[ -x "$FLOOR" ] || return 0
	echo tp
	[ "$(uname -m)" = x86_64 ] || return 0
	echo raw
	[ -e /sys/kernel/btf/vmlinux ] && echo rawc
	[ "$WHERE" = host ] && [ -e /sys/kernel/btf/vmlinux ] && echo btf
	return 0
}

# has_hist: the kernel has hist triggers (the VM kernel does, the host's does not).
has_hist() { [ -e "$T/events/$EV_SYS/$EV_NAME/hist" ]; }
