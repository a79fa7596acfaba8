# SEC-9 (#15): a kill at a journal's header write leaves no empty journal (the journal gets
# its name only once its header is on disk), and an empty journal that an older ftrig left is
# neither warned about forever nor kept: `cleanup --stale` removes it.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
command -v strace >/dev/null 2>&1 || skip "needs strace (fault injection)"
[ -d "$T/events/syscalls/sys_enter_getgid" ] || skip "no syscalls:sys_enter_getgid event"
private_state
trap 'rm -rf "$FTRIG_STATE_DIR"' EXIT
EV=syscalls:sys_enter_getgid

# Killed at each of the first writes of a session (the first is the journal's header).
for n in 1 2 3; do
	strace -f -o /dev/null -e trace=write -e inject=write:signal=KILL:when=$n \
		"$FTRIG" pipe $EV --count 1 --duration 1s >/dev/null 2>&1
	for f in "$FTRIG_STATE_DIR"/*.journal; do
		[ -e "$f" ] || continue
		[ -s "$f" ] || fail "killed at write $n: an empty journal $f is left"
	done
	expect_exit 0 "$FTRIG" cleanup --stale
done
state_empty

# An empty journal as an older ftrig left it: no warning, and cleanup --stale removes it.
: >"$FTRIG_STATE_DIR/4242-1.journal"
chmod 600 "$FTRIG_STATE_DIR/4242-1.journal"
expect_exit 0 "$FTRIG" info
case $out in *"4242-1.journal"*) fail "info warns about an empty journal: $out" ;; esac
expect_exit 0 "$FTRIG" cleanup --stale --dry-run
contains "$out" "would remove the empty journal $FTRIG_STATE_DIR/4242-1.journal" "dry run"
[ -e "$FTRIG_STATE_DIR/4242-1.journal" ] || fail "--dry-run removed the empty journal"
expect_exit 0 "$FTRIG" cleanup --stale
contains "$out" "removed the empty journal $FTRIG_STATE_DIR/4242-1.journal" "cleanup --stale"
state_empty
exit 0
