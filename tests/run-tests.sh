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
tier=$1
shift
pass=0 fail=0 skip=0
out=${TMPDIR:-/tmp}/ftrig-test.$$
for t in "$@"; do
	name=$tier/$(basename "$t" .sh)
	if [ -n "${FTRIG_TESTS_ONLY:-}" ]; then
		keep=0
		set -f
		for p in $FTRIG_TESTS_ONLY; do
			case ${name#*/} in $p) keep=1 ;; esac
		done
		set +f
		[ $keep = 1 ] || continue
	fi
	FTRIG_TIER=$tier sh "$t" >"$out" 2>&1
	rc=$?
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name" ;;
	77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$out")" ;;
	*) fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; sed 's/^/    | /' "$out" | tail -n 40 ;;
	esac
done
rm -f "$out"
echo "$tier: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${FTRIG_TEST_STRICT:-0}" = 1 ]; then
	echo "$tier: FTRIG_TEST_STRICT=1 and $skip test(s) skipped: failing the run"
	exit 1
fi
exit 0
