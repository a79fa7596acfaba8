#!/bin/sh
# Runs the cmocka unit test binaries and closes with "unit: N passed, N failed, N skipped".
pass=0 fail=0 skip=0 bad=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	s=$(echo "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p')
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0})) skip=$((skip + ${s:-0}))
	if [ "$rc" != 0 ] || [ -z "$p" ]; then
		bad=1
		echo "FAIL unit/$(basename "$t") (exit $rc)"
		echo "$out" | sed 's/^/    | /' | tail -n 40
	else
		echo "PASS unit/$(basename "$t") (${p} tests)"
	fi
done
echo "unit: $pass passed, $fail failed, $skip skipped"
[ "$bad" = 0 ] && [ "$fail" = 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${FTRIG_TEST_STRICT:-0}" = 1 ]; then
	echo "unit: FTRIG_TEST_STRICT=1 and $skip test(s) skipped: failing the run"
	exit 1
fi
exit 0
