#!/bin/sh
# Runs black-box test scripts and prints one line per test and a closing summary.
#
# usage: tests/run-tests.sh TIER SCRIPT...
#
# Each script is run with sh, with FTRIG (the binary), FTRIG_TIER (host or vm), FTRIG_TESTS (the
# tests folder) and FTRIG_HELPERS (folder of test helper programs) in its environment. Exit 0 is
# a pass, 77 a skip (the script's last line of output is the reason), anything else a failure.
# With FTRIG_TEST_STRICT=1 a skip counts against the run, so CI never goes green on tests that
# did not run. FTRIG_TESTS_ONLY (space-separated shell patterns, e.g. '7*-bpf* 80-top') runs
# only the scripts whose names match, for working on a few; make check never sets it.
#
# Each script gets a fresh FTRIG_STATE_DIR of its own (removed after it).
#
# Unless FTRIG_NEIGHBOUR=0, other tracing sessions run on the same kernel for the whole tier
# (tests/neighbour.sh): the tests must pass beside them, and they must survive the tests.
# A script with the line "# ftrig-test: alone" (it unmounts tracefs, which no session may
# hold) runs before the neighbour starts.
tier=$1
shift
pass=0 fail=0 skip=0
out=${TMPDIR:-/tmp}/ftrig-test.$$
here=$(cd "$(dirname "$0")" && pwd)
# The machine's own state dir (ftrig's default), which no test may reach, nor a session the
# harness starts: each has its own FTRIG_STATE_DIR. Whoever makes it fails, and it is removed
# again when empty, so that the next is judged too; one there before (a real session's) judges
# nobody. FTRIG_TEST_HOME_SD names another, for the harness's own test (host/11-harness-state-dir),
# which must not depend on whether this machine has a /run/ftrig.
home_sd=${FTRIG_TEST_HOME_SD:-/run/ftrig}
home_had() { [ -e "$home_sd" ] && echo 1 || echo 0; }
# home_made HAD WHO: whether WHO made the state dir it did not find (said into $out).
home_made() {
	[ "$1" = 0 ] && [ -e "$home_sd" ] || return 1
	echo "$2 made $home_sd, the default state dir (holding: $(ls -A "$home_sd" | tr '\n' ' '));" \
		"run ftrig with FTRIG_STATE_DIR set" >>"$out"
	rmdir "$home_sd" 2>/dev/null
	return 0
}
run_one() {
	t=$1
	name=$tier/$(basename "$t" .sh)
	if [ -n "${FTRIG_TESTS_ONLY:-}" ]; then
		keep=0
		set -f
		for p in $FTRIG_TESTS_ONLY; do
			case ${name#*/} in $p) keep=1 ;; esac
		done
		set +f
		[ $keep = 1 ] || return 0
	fi
	# A state dir of its own, not there yet (as the default is at first use): no test may
	# reach the machine's /run/ftrig. Scripts that want another set FTRIG_STATE_DIR again.
	sd=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-test-state.XXXXXX")
	had=$(home_had)
	FTRIG_STATE_DIR=$sd/state FTRIG_TIER=$tier sh "$t" >"$out" 2>&1
	rc=$?
	! home_made "$had" "the test" || rc=1
	rm -rf "$sd"
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name" ;;
	77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$out")" ;;
	*) fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; sed 's/^/    | /' "$out" | tail -n 40 ;;
	esac
}
alone() {
	grep -q '^# ftrig-test: alone' "$1"
}
for t in "$@"; do
	! alone "$t" || run_one "$t"
done
# bpffs where a Debian machine has it (systemd mounts it at boot; the VM's init does too), so
# that the tests meet the world's state on a bare CI machine as well: the tests of ftrig
# mounting it itself make their own (74-bpf-leftovers, in a mount namespace). Unmounted at
# the end when mounted here and nothing is pinned in it.
bpffs_ours=
bpffs_release() {
	if [ -n "$bpffs_ours" ] && [ -z "$(ls -A /sys/fs/bpf 2>/dev/null | grep -v -e '^maps.debug$' -e '^progs.debug$')" ]; then
		umount /sys/fs/bpf 2>/dev/null
	fi
}
if [ "$(id -u)" = 0 ] && [ -d /sys/fs/bpf ] && ! grep -q ' /sys/fs/bpf bpf ' /proc/mounts &&
	mount -t bpf bpf /sys/fs/bpf 2>/dev/null; then
	bpffs_ours=1
fi
neighbour=
# A tier interrupted (Ctrl-C, a CI timeout's SIGTERM) still stops its neighbour: its sessions
# (bpftrace among them) would otherwise trace on, orphaned, with their folder left in /tmp.
interrupted() {
	trap - INT TERM HUP
	echo "$tier: interrupted"
	[ -z "$neighbour" ] || { sh "$here/neighbour.sh" stop "$neighbour" >/dev/null 2>&1; rm -rf "$neighbour"; }
	[ -z "${sd:-}" ] || rm -rf "$sd"
	rm -f "$out"
	bpffs_release
	exit 130
}
trap interrupted INT TERM HUP
if [ "${FTRIG_NEIGHBOUR:-1}" != 0 ] && [ "$(id -u)" = 0 ]; then
	neighbour=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-neighbour.XXXXXX")
	had=$(home_had)
	if sh "$here/neighbour.sh" start "$neighbour" >"$out" 2>&1 && ! home_made "$had" "the neighbour"; then
		echo "$tier: beside a neighbour: ftrig top, ftrig pipe$(command -v bpftrace >/dev/null && echo ', bpftrace')$([ -f "$neighbour/pins.pid" ] && echo ', BPF pin churn')"
	else
		fail=$((fail + 1))
		echo "FAIL $tier/neighbour (could not start)"
		sed 's/^/    | /' "$out"
	fi
fi
for t in "$@"; do
	alone "$t" || run_one "$t"
done
if [ -n "$neighbour" ]; then
	had=$(home_had)
	if sh "$here/neighbour.sh" stop "$neighbour" >"$out" 2>&1 && ! home_made "$had" "the neighbour"; then
		rm -rf "$neighbour"
	else
		fail=$((fail + 1))
		echo "FAIL $tier/neighbour (the sessions beside the tests; files in $neighbour)"
		sed 's/^/    | /' "$out"
	fi
fi
rm -f "$out"
bpffs_release
echo "$tier: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${FTRIG_TEST_STRICT:-0}" = 1 ]; then
	echo "$tier: FTRIG_TEST_STRICT=1 and $skip test(s) skipped: failing the run"
	exit 1
fi
exit 0
