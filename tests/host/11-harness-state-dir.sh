# The test runner fails a test that makes the machine's default state dir (/run/ftrig), which
# no test may reach (each has its own FTRIG_STATE_DIR), and removes it again: before, a CI run
# left /run/ftrig behind (the neighbour's `ftrig info` ran without a state dir) and nothing
# said so.
. "$FTRIG_TESTS/lib.sh"
need_root
D=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-t11s.XXXXXX")
trap 'rm -rf "$D"' EXIT
mkdir "$D/tmp"
# The runner watches a stand-in for /run/ftrig, so that a real session's /run/ftrig on this
# machine neither hides the check (it judges nobody when the dir was there before) nor is
# touched. Before, the test skipped then, and a strict run failed on the skip.
H=$D/home
# The inner tests: one reaches the default state dir as ftrig does without FTRIG_STATE_DIR,
# one stays in its own.
cat >"$D/a-home.sh" <<'EOF2'
mkdir -m 700 "$FTRIG_TEST_HOME_SD"
EOF2
cat >"$D/b-own.sh" <<'EOF2'
mkdir "$FTRIG_STATE_DIR"
EOF2
expect_exit 1 env TMPDIR="$D/tmp" FTRIG_NEIGHBOUR=0 FTRIG_TESTS_ONLY= FTRIG_TEST_HOME_SD="$H" \
	sh "$FTRIG_TESTS/run-tests.sh" inner "$D/a-home.sh" "$D/b-own.sh"
contains "$out" "FAIL inner/a-home" "the runner's output"
contains "$out" "the test made $H, the default state dir" "the runner's output"
contains "$out" "PASS inner/b-own" "the runner's output"
contains "$out" "inner: 1 passed, 1 failed, 0 skipped" "the runner's output"
[ ! -e "$H" ] || fail "the runner left the state dir it watched ($H) behind"
exit 0
