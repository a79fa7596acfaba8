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

# The kernel's reason where it logs one for a trigger's filter (6.18 does, 6.1 does not: it
# logs only an event filter file's errors), else a pointer at the filter and how to get one.
judged() { # judged WHAT REASON: the last refusal gives REASON, or says why it cannot
	contains "$out" "sched:sched_process_fork" "$1"
	case $out in
	*"the kernel refused it: $2"*) contains "$out" "^" "$1: a caret" ;;
	*"logged no reason"*) [ "$FTRIG_TIER" = vm ] || fail "$1: no reason on a kernel that logs one: $out"
		contains "$out" "ftrig pipe sched:sched_process_fork --filter" "$1: how to get the reason" ;;
	*) fail "$1: neither the kernel's reason '$2' nor why it has none: $out" ;;
	esac
	case $out in *"this kernel lacks it"*) fail "$1: a filter error blamed on the kernel: $out" ;; esac
}
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork \
	'traceoff if parent_pid == "x"'
judged "a string compared with a number" "Expecting numeric field"
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork \
	'traceoff if (parent_pid == 1'
judged "an unclosed parenthesis" "Too many '('"
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork \
	'traceoff if parent_pid =='
judged "a comparison without a value" "Invalid value"
[ "$(cat "$T/instances/$inst/events/$ev/trigger")" = "$before" ] || fail "a refused trigger was written"

# One traceoff per event: the second is refused, saying so.
echo 'traceoff:3 if parent_pid == -7' >>"$T/instances/$inst/events/$ev/trigger" ||
	fail "cannot add the first traceoff"
expect_exit 1 "$FTRIG" trigger add --instance "$inst" sched:sched_process_fork 'traceoff:1'
contains "$out" "the kernel takes one traceoff trigger per event" "a taken slot"
contains "$out" "--instance $inst" "where to look"
echo '!traceoff' >>"$T/instances/$inst/events/$ev/trigger"
exit 0
