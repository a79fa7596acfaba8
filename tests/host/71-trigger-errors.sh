# A trigger the kernel refuses is reported with the kernel's own reason from error_log, placed
# under the user's words (CMD-8): filter errors refused with EINVAL and, for some syntax
# errors, ENOENT; a second trigger of one command (EEXIST, no error_log entry) says what holds
# the slot. Nothing is written either way.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
inst=ftrig_t71_$$
cleanup() {
	rmdir "$T/instances/$inst" 2>/dev/null
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
# A private instance: its triggers are this test's alone.
mkdir "$T/instances/$inst" || fail "cannot make instance $inst"
ev=sched/sched_process_fork
before=$(cat "$T/instances/$inst/events/$ev/trigger")

expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork \
	'traceoff if parent_pid == "x"'
contains "$out" "the kernel refused it: Expecting numeric field" "a string compared with a number"
contains "$out" 'traceoff if parent_pid == "x"' "the user's words"
contains "$out" "^" "a caret"
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork \
	'traceoff if (parent_pid == 1'
contains "$out" "the kernel refused it: Too many '('" "an unclosed parenthesis (ENOENT)"
case $out in *"this kernel lacks it"*) fail "a filter error blamed on the kernel: $out" ;; esac
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork \
	'traceoff if parent_pid =='
contains "$out" "the kernel refused it: Invalid value" "a comparison without a value"
[ "$(cat "$T/instances/$inst/events/$ev/trigger")" = "$before" ] || fail "a refused trigger was written"

# One traceoff per event: the second is refused, saying so.
echo 'traceoff:3 if parent_pid == -7' >>"$T/instances/$inst/events/$ev/trigger" ||
	fail "cannot add the first traceoff"
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork 'traceoff:1'
contains "$out" "the kernel takes one traceoff trigger per event" "a taken slot"
contains "$out" "--instance $inst" "where to look"
echo '!traceoff' >>"$T/instances/$inst/events/$ev/trigger"
exit 0
