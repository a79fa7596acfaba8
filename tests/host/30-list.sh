# list events, with fields from the format files.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs

expect_exit 0 "$FTRIG" list events
contains "$out" "sched:sched_switch" "list events"
n=$(echo "$out" | wc -l)
want=$(wc -l < "$T/available_events")
[ "$n" -eq "$want" ] || fail "list events shows $n events, available_events has $want"

expect_exit 0 "$FTRIG" list events 'sched:sched_switch' --fields
contains "$out" "next_pid" "--fields"
echo "$out" | grep -q "next_comm  *char\[16\]  *offset [0-9]*  *size 16  *string" ||
	fail "next_comm not shown as char[16] string: $out"
expect_exit 0 "$FTRIG" list events sched_switch --fields --json
contains "$out" '"name":"next_pid"' "--json --fields"
contains "$out" '"system":"sched"' "--json"
expect_exit 0 "$FTRIG" list events sched
contains "$out" "sched:sched_process_exit" "system pattern"
expect_exit 1 "$FTRIG" list events 'no_such_system:*'
contains "$out" "no event matches" "pattern without match"
# CMD-9: a misspelt event (bare, in its system, or with a misspelt system) gets a suggestion.
expect_exit 1 "$FTRIG" list events sched_swich
contains "$out" "did you mean sched:sched_switch?" "misspelt bare event"
expect_exit 1 "$FTRIG" list events sched:sched_swich
contains "$out" "did you mean sched:sched_switch?" "misspelt event"
expect_exit 1 "$FTRIG" list events shed:sched_switch
contains "$out" "did you mean sched:sched_switch?" "misspelt system"
exit 0
