# ftrig top creating its own hist (hist trigger when asked, BPF by default or when asked): the
# workload's exact count in batch mode, and nothing left afterwards (the session's instance
# and its trigger, or the BPF program, go with it).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-top.XXXXXX")
trap 'rm -rf "$tmp" "$FTRIG_STATE_DIR"' EXIT

# top -b used to run a fixed ten tables (5 s) while the workload ran beside it. Under TCG,
# with the neighbour sessions starting bpftrace (tens of seconds of CPU), the workload could
# start after the last table, and the case saw none of its calls, every retry in the same boot
# alike (it looked like a kernel that delivered no events). Now top runs until two tables have
# been printed after the workload ended, then is stopped with SIGINT; a case that still never
# shows the workload fails.
top_counts() {
	top_run "$@"
	row=$(grep "^$2 \[$wp\] " "$tmp/out" | tail -n 1)
	[ -n "$row" ] || fail "$1: no row for $2 [$wp]: $(cat "$tmp/out")"
	n=$(echo "$row" | awk '{ print $3 }')
	[ "$n" = "$3" ] || fail "$1: $2 count '$n', expected $3: $(cat "$tmp/out")"
	[ -z "$(debris)" ] || fail "$1: left behind: $(debris)"
	state_empty
}

tables() { grep -c "^common_pid.execname" "$tmp/out" 2>/dev/null || true; }

# top_run BACKEND COMM N [CALL NR]: top -b with BACKEND while the workload makes COMM's N
# calls of CALL (getppid); the tables in $tmp/out, the workload's pid in $wp. The workload
# starts after the first table; top stops two tables after it ended, so the last table holds
# every call however slow the emulated machine is.
top_run() {
	ev=${4:-getppid}
	# Emptied here, not only by top's redirection: that happens in the background child,
	# and a first tables() before it read the last case's tables, so the workload ran before
	# this top had attached and none of its calls were counted (a CI run of 2026-12-07).
	: >"$tmp/out"
	"$FTRIG" top "syscalls:sys_enter_$ev" --key common_pid.execname --backend "$1" \
		-b -d 0.5 >"$tmp/out" 2>&1 &
	tp=$!
	i=0
	until [ "$(tables)" -ge 1 ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "$1: no first table after 20 s: $(cat "$tmp/out")"
		kill -0 $tp 2>/dev/null || fail "$1: top died: $(cat "$tmp/out")"
		sleep 0.1
	done
	if [ -n "${5:-}" ]; then
		"$wl" --comm "$2" --syscall "$5:$3" >/dev/null &
	else
		"$wl" --comm "$2" --getppid "$3" >/dev/null &
	fi
	wp=$!
	wait $wp || fail "workload failed"
	want=$(($(tables) + 2))
	i=0
	until [ "$(tables)" -ge $want ]; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "$1: no two tables in 60 s after the workload: $(cat "$tmp/out")"
		kill -0 $tp 2>/dev/null || fail "$1: top died: $(cat "$tmp/out")"
		sleep 0.1
	done
	kill -INT $tp
	wait $tp || fail "$1: top -b exited $? on SIGINT: $(cat "$tmp/out")"
}

if "$FTRIG" info --require hist_triggers >/dev/null 2>&1; then
	top_counts hist fttop_h 321
	grep -q "  hist  every" "$tmp/out" || fail "not the hist backend: $(cat "$tmp/out")"
fi
top_counts auto fttop_a 77
# The live view's own table is BPF's wherever BPF can count it (TOP-1): it never fills.
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	grep -q "  bpf  every" "$tmp/out" || fail "auto: not the bpf backend: $(cat "$tmp/out")"
fi
# BPF on another event (getuid, call 102, which the workload makes nowhere else).
top_counts bpf fttop_b 123 getuid 102
grep -q "  bpf  every" "$tmp/out" || fail "not the bpf backend: $(cat "$tmp/out")"
exit 0
