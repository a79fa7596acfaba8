# The test runner, interrupted (a CI timeout's SIGTERM, Ctrl-C) while a test runs, stops the
# neighbour sessions it started and removes its files: before, a killed tier left the
# neighbour's bpftrace tracing on, orphaned, and its folder and the test's state in $TMPDIR.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
D=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-t11.XXXXXX")
runner=
cleanup() {
	[ -z "$runner" ] || kill -KILL "$runner" 2>/dev/null
	for n in "$D"/tmp/ftrig-neighbour.*; do
		[ -d "$n" ] && sh "$FTRIG_TESTS/neighbour.sh" stop "$n" >/dev/null 2>&1
	done
	rm -rf "$D"
}
trap cleanup EXIT
mkdir "$D/tmp"
# The inner test: says it started, then waits long enough to be interrupted.
cat >"$D/inner.sh" <<EOF
: >"$D/started"
sleep 3
EOF

TMPDIR=$D/tmp FTRIG_TESTS_ONLY= sh "$FTRIG_TESTS/run-tests.sh" inner "$D/inner.sh" >"$D/out" 2>&1 &
runner=$!
i=0
until [ -e "$D/started" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the inner test never started: $(cat "$D/out")"
	sleep 0.1
done
nb=$(ls -d "$D"/tmp/ftrig-neighbour.* 2>/dev/null)
[ -n "$nb" ] || fail "no neighbour started for the inner tier: $(cat "$D/out")"
pids=$(cat "$nb"/*.pid 2>/dev/null)
[ -n "$pids" ] || fail "the neighbour recorded no sessions"
kill -TERM "$runner"
wait "$runner"
rc=$?
runner=
[ "$rc" = 130 ] || fail "an interrupted runner exited $rc, not 130: $(cat "$D/out")"
contains "$(cat "$D/out")" "inner: interrupted" "the runner's output"
for p in $pids; do
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$p/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] || fail "neighbour session $p still runs after the runner was stopped"
done
left=$(ls -A "$D/tmp")
[ -z "$left" ] || fail "the interrupted runner left in \$TMPDIR: $left"
exit 0
