#!/bin/sh
# The example setup files (examples/*.ftrig) work as their comments say, on each kernel that
# has what they need: plan changes nothing, apply makes them, diff says the kernel matches,
# the aggregation counts, teardown leaves nothing. wakeup-latency needs hist triggers (the VM
# tier runs it); syscalls-bpf needs BPF. Names are made unique for the run (the instance and
# the synthetic event, the aggregation), so that the test does not meet another run's.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
src=$(cd "$FTRIG_TESTS/.." && pwd)
[ -d "$src/examples" ] || skip "no examples/ beside FTRIG_TESTS"
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-examples.XXXXXX")
trap 'for f in "$tmp"/*.ftrig; do [ -f "$f" ] && "$FTRIG" teardown "$f" >/dev/null 2>&1; done
	rm -rf "$tmp" "$FTRIG_STATE_DIR"' EXIT
U=fx$$
ran=0

# example NAME FEATURE CHECK: run examples/NAME.ftrig (renamed for the run) where the kernel
# has FEATURE; CHECK is a shell command that must succeed while it is applied.
example() {
	f=$tmp/$1.ftrig
	# A file that names no instance writes its triggers at the top level, where the kernel
	# takes one trigger of a kind per event (syscalls-bpf's stacktrace on sys_exit_openat):
	# another run of this test, or a session of anybody's, would hold it. The run's own
	# instance takes them instead.
	{ grep -q '^instance ' "$src/examples/$1.ftrig" || echo "instance ${U}_i"
	  sed -e "s/wakeup/${U}_wakeup/g" -e "s/^hist start .*/& --name ${U}_h/" \
		"$src/examples/$1.ftrig"; } >"$f"
	if ! "$FTRIG" info --require "$2" >/dev/null 2>&1; then
		echo "$1: this kernel has no $2"
		return 0
	fi
	before=$(kernel_snap "$U" "sys_exit_openat.*stacktrace:5")
	dry=$(dry_snap "${U}_wakeup ${U}_i" "syscalls/sys_exit_openat" "$U" "sys_exit_openat.*stacktrace:5")
	expect_exit 0 "$FTRIG" plan "$f"
	same_dry "$dry" "$1: plan" "${U}_wakeup ${U}_i" "syscalls/sys_exit_openat" "$U" "sys_exit_openat.*stacktrace:5"
	expect_exit 0 "$FTRIG" apply "$f"
	expect_exit 0 "$FTRIG" diff "$f"
	contains "$out" "the kernel matches" "$1: diff after apply"
	expect_exit 0 "$FTRIG" apply "$f"
	eval "$3" || fail "$1: applied, but '$3' does not hold"
	expect_exit 0 "$FTRIG" teardown "$f"
	same_snap "$before" "$1: teardown left something" "$U" "sys_exit_openat.*stacktrace:5"
	ran=$((ran + 1))
}

# wakeup latency: a few sleeps make wakeups; the synthetic event's hist counts them
wakeup_counts() {
	for i in 1 2 3 4 5; do sleep 0.05; done
	"$FTRIG" hist show "synthetic:${U}_wakeup_lat" --instance "${U}_wakeup" >"$tmp/out" 2>&1 &&
		grep -q "lat: ~ 2^" "$tmp/out" && grep -q "Hits: [1-9]" "$tmp/out"
}
example wakeup-latency hist_triggers "wakeup_counts"

# syscalls per process: this shell's own getppid-free work shows up under its name
syscalls_counted() {
	ls / >/dev/null
	"$FTRIG" hist show raw_syscalls:sys_enter --name "${U}_h" >"$tmp/out" 2>&1 && grep -q "Hits: [1-9]" "$tmp/out"
}
example syscalls-bpf bpf "syscalls_counted"
[ $ran -gt 0 ] || skip "no example runs on this kernel"
# The VM's kernel has hist triggers and BPF: every example must have run there.
[ "$FTRIG_TIER" != vm ] || [ $ran = 2 ] || fail "only $ran of 2 examples ran in the VM"
echo "ok: $ran example(s) planned, applied, counted and torn down"
