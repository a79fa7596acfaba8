# ftrig top on any kernel: usage errors, clear errors for what cannot be watched (the host's
# 6.18 has no hist triggers; on the VM's 6.1 the event has none), new hists not in this build
# yet, and nothing written to tracefs or left in the state directory.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
trap 'rm -rf "$FTRIG_STATE_DIR"' EXIT
# An event nothing else here counts (benchmarks and other tests count getppid calls).
ev=syscalls/sys_enter_sethostname
before=$(cat "$T/events/$ev/trigger")

expect_exit 0 "$FTRIG" help top
contains "$out" "--attach EVENT" "help top"
expect_exit 2 "$FTRIG" top --bogus
contains "$out" "unknown option '--bogus'" "unknown option"
expect_exit 2 "$FTRIG" top sched:sched_switch
contains "$out" "at least one --key" "an event without a key"
expect_exit 2 "$FTRIG" top sched_switch --key next_comm
contains "$out" "SYSTEM:EVENT" "an event without a system"
expect_exit 2 "$FTRIG" top --attach sched:sched_switch --key next_comm
contains "$out" "only --name and --instance" "--attach with --key"
expect_exit 2 "$FTRIG" top --attach sched:sched_switch --backend bpf
expect_exit 2 "$FTRIG" top --latency sched:sched_wakeup
contains "$out" "START,END" "--latency with one event"
expect_exit 2 "$FTRIG" top -d 0 --attach sched:sched_switch
contains "$out" "0.1 to 3600 seconds" "-d 0"
expect_exit 2 "$FTRIG" top -n x --attach sched:sched_switch
expect_exit 2 "$FTRIG" top --backend nope sched:sched_switch --key next_comm
contains "$out" "auto, hist or bpf" "bad backend"
expect_exit 2 "$FTRIG" top --key next_comm
contains "$out" "which event?" "options without an event"

expect_exit 1 "$FTRIG" top --attach no_such_system:no_such_event -b -n 1
contains "$out" "no event no_such_system:no_such_event" "unknown event"
if "$FTRIG" info --require hist_triggers >/dev/null 2>&1; then
	if ! grep -q '^hist:' "$T/events/$ev/trigger"; then
		expect_exit 1 "$FTRIG" top --attach $(echo "$ev" | tr / :) -b -n 1
		contains "$out" "no hist trigger there" "--attach to an event without a hist"
	fi
else
	expect_exit 1 "$FTRIG" top --attach $(echo "$ev" | tr / :) -b -n 1
	contains "$out" "CONFIG_HIST_TRIGGERS" "--attach on a kernel without hist triggers"
fi
# Nothing written: the trigger file as it was, no journal left. (Not debris: the host kernel
# is shared, and other runs' objects come and go meanwhile.)
[ "$(cat "$T/events/$ev/trigger")" = "$before" ] || fail "the trigger file changed"
state_empty
exit 0
