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

# expect_exit CODE CMD...: run CMD, fail unless it exits CODE; its output lands in $out.
expect_exit() {
	want=$1
	shift
	out=$("$@" 2>&1)
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $out"
}

# contains TEXT NEEDLE WHAT: fail unless TEXT contains NEEDLE.
contains() {
	case $1 in
	*"$2"*) ;;
	*) fail "${3:-output} lacks '$2': $1" ;;
	esac
}

# debris: print ftrig-named objects left in the kernel (instances, dynamic events).
debris() {
	ls "$T/instances" 2>/dev/null | grep -i ftrig
	grep -i ftrig "$T/dynamic_events" "$T/uprobe_events" "$T/kprobe_events" 2>/dev/null
	return 0
}
