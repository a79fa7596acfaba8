# A hist trigger on common_timestamp makes the kernel set its instance's trace_clock (to
# global, or its clock=), which clears that ring buffer (SEC-5, #15). ftrig warns before the
# write, notes the clock before, and puts it back after `hist rm` and `cleanup --all`, in an
# instance and at the top level; not when somebody chose another clock meanwhile, and not
# while another hist trigger there still reads the timestamp.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
private_state
I=ftrig-clk-$$
mkdir "$T/instances/$I" || fail "cannot create instance $I"
top_clock=$(sed 's/.*\[\(.*\)\].*/\1/' "$T/trace_clock")
trap '"$FTRIG" trigger rm --ours >/dev/null 2>&1; "$FTRIG" cleanup --all >/dev/null 2>&1; rmdir "$T/instances/$I"; echo "$top_clock" >"$T/trace_clock"; rm -rf "$FTRIG_STATE_DIR"' EXIT
clock() { # INSTANCE_DIR
	sed 's/.*\[\(.*\)\].*/\1/' "$1/trace_clock"
}

for where in "$T/instances/$I" "$T"; do
	opt=
	[ "$where" = "$T" ] || opt="--instance $I"
	echo local >"$where/trace_clock"
	expect_exit 0 "$FTRIG" hist start sched:sched_switch --key common_timestamp.usecs --name tsk $opt
	contains "$out" "set trace_clock" "hist start"
	contains "$out" "clears the ring buffer" "hist start"
	[ "$(clock "$where")" = global ] || fail "the kernel did not switch the clock: $(clock "$where")"
	expect_exit 0 "$FTRIG" hist rm sched:sched_switch --name tsk $opt
	contains "$out" "set trace_clock of" "hist rm"
	[ "$(clock "$where")" = local ] || fail "hist rm left trace_clock at $(clock "$where") in $where"

	# A clock somebody chose meanwhile stays.
	expect_exit 0 "$FTRIG" hist start sched:sched_switch --key common_timestamp.usecs --name tsk $opt
	echo mono >"$where/trace_clock"
	expect_exit 0 "$FTRIG" hist rm sched:sched_switch --name tsk $opt
	[ "$(clock "$where")" = mono ] || fail "hist rm undid somebody's clock: $(clock "$where")"
	echo local >"$where/trace_clock"
done

# Two hist triggers on the timestamp: the clock goes back only with the last one.
opt="--instance $I"
expect_exit 0 "$FTRIG" hist start sched:sched_switch --key common_timestamp.usecs --name tsa $opt
expect_exit 0 "$FTRIG" hist start sched:sched_waking --key common_timestamp.usecs --name tsb $opt
expect_exit 0 "$FTRIG" hist rm sched:sched_switch --name tsa $opt
[ "$(clock "$T/instances/$I")" = global ] || fail "the clock went back under another hist trigger"
expect_exit 0 "$FTRIG" hist rm sched:sched_waking --name tsb $opt
[ "$(clock "$T/instances/$I")" = local ] || fail "the last hist rm left $(clock "$T/instances/$I")"

# cleanup --all (private state dir) puts it back too.
expect_exit 0 "$FTRIG" hist start sched:sched_switch --key common_timestamp.usecs --name tsk $opt
expect_exit 0 "$FTRIG" cleanup --all
[ "$(clock "$T/instances/$I")" = local ] || fail "cleanup --all left $(clock "$T/instances/$I")"
exit 0
