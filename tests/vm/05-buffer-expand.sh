# The first event enabled since boot makes the 6.1 kernel expand its top-level ring buffer
# until reboot, even for an event in ftrig's own instance: ftrig cannot avoid it and leaves it
# so (man ftrig, WHAT FTRIG LEAVES BEHIND), but says so, once (SEC-13, #15).
# ftrig-test: alone
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
[ "$FTRIG_TIER" = vm ] || skip "needs a kernel that has not traced since boot: only inside the test VM"
private_state
trap 'rm -rf "$FTRIG_STATE_DIR"' EXIT

# Alone and first: nothing has traced in this boot yet.
was=$(cat "$T/buffer_size_kb")
case $was in *expanded:*) ;; *) fail "the top-level buffer was expanded before this test ran: $was" ;; esac
expect_exit 0 "$FTRIG" pipe sched:sched_switch --count 1
now=$(cat "$T/buffer_size_kb")
case $now in *expanded:*) fail "the kernel did not expand the buffer: $now" ;; esac
contains "$out" "note: this first tracing since boot made the kernel expand its top-level ring buffer from ${was%% *} to $now KB per CPU" "the first use"
# Once: the kernel expands it once per boot.
expect_exit 0 "$FTRIG" pipe sched:sched_switch --count 1
case $out in *"note: this first"*) fail "said again: $out" ;; esac
exit 0
