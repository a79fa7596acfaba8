# A counted trigger that fires between its write and ftrig's read of the listing (a
# kretprobe's 'stacktrace:1' in the audit) lists with a lower count: it is the trigger ftrig
# wrote, so no warning that the kernel lists it otherwise, and it stays ftrig's (CMD-10). On
# raw_syscalls:sys_enter the read of the listing is itself a system call, so the trigger has
# always fired by then: no timing involved.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require instances >/dev/null 2>&1 || skip "needs instances"
private_state

I=ftfired-$$
E=raw_syscalls/sys_enter
trap '"$FTRIG" trigger rm --ours >/dev/null 2>&1; rmdir "$T/instances/$I" 2>/dev/null; rm -rf "$FTRIG_STATE_DIR"' EXIT
mkdir "$T/instances/$I" || fail "cannot make instance $I"

expect_exit 0 "$FTRIG" trigger add --instance $I raw_syscalls:sys_enter 'stacktrace:1'
trigger_has $E "stacktrace:count=0" "$I" || fail "the trigger did not fire: $(cat "$T/instances/$I/events/$E/trigger")"
case $out in *warning*) fail "a warning for a trigger that fired: $out" ;; esac
contains "$out" "listed as 'stacktrace:count=0' (it has fired since it was written)" "trigger add"
expect_exit 0 "$FTRIG" trigger ls --instance $I raw_syscalls:sys_enter
contains "$out" "ftrig" "trigger ls of the fired trigger"
expect_exit 0 "$FTRIG" trigger rm --ours
trigger_has $E "stacktrace" "$I" && fail "trigger rm --ours left the fired trigger"
rmdir "$T/instances/$I" || fail "cannot remove instance $I"
echo ok
