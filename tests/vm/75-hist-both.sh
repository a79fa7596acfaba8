# --backend both counts one event with a hist trigger and with BPF, and `hist show` says
# whether they agree: on this quiet VM they must, exactly. auto picks the hist trigger here.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers,bpf >/dev/null 2>&1 || skip "needs hist triggers and BPF"
private_state

E=syscalls:sys_enter_getppid
N=both$$
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; "$FTRIG" hist rm raw_syscalls:sys_enter --name $N >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --name $N --backend both
[ -d /sys/fs/bpf/ftrig/$N ] || fail "no BPF aggregation pinned"
trigger_has syscalls/sys_enter_getppid "name=$N" || fail "no hist trigger written"
"$FTRIG_HELPERS/workload" --comm wb$$ --getppid 777 >/dev/null
expect_exit 0 "$FTRIG" hist show $E --name $N
contains "$out" "cross-check: hist and bpf ('$N') agree on all" "both backends"
n=$(echo "$out" | grep -c "wb$$ .*hitcount:        777")
[ "$n" = 2 ] || fail "expected 777 in both tables: $out"
# FIG-9: the two CSV tables say which backend each is; both name syscalls alike.
expect_exit 0 "$FTRIG" hist dump $E --name $N --format csv
contains "$out" "# syscalls:sys_enter_getppid backend=hist name=$N trigger=" "CSV: the hist table"
contains "$out" "# syscalls:sys_enter_getppid backend=bpf name=$N trigger=" "CSV: the bpf table"
[ "$(echo "$out" | grep -c ",wb$$,777$")" = 2 ] || fail "777 in both CSV tables: $out"
expect_exit 0 "$FTRIG" hist rm $E --name $N
[ ! -d /sys/fs/bpf/ftrig/$N ] || fail "hist rm left the BPF aggregation"

# FIG-9: .syscall names read the same from both backends (the kernel's sys_getppid).
expect_exit 0 "$FTRIG" hist start raw_syscalls:sys_enter --key id.syscall --key common_pid.execname \
	--name $N --backend both
"$FTRIG_HELPERS/workload" --comm wc$$ --getppid 55 >/dev/null
expect_exit 0 "$FTRIG" hist show raw_syscalls:sys_enter --name $N
n=$(echo "$out" | grep -c "id: sys_getppid .*wc$$ .*hitcount: *55$")
[ "$n" = 2 ] || fail "sys_getppid 55 times in both tables: $out"
expect_exit 0 "$FTRIG" hist rm raw_syscalls:sys_enter --name $N
! trigger_has syscalls/sys_enter_getppid "name=$N" || fail "hist rm left the hist trigger"

# auto takes hist triggers where the kernel has them.
expect_exit 0 "$FTRIG" hist start $E --key common_pid --name $N
trigger_has syscalls/sys_enter_getppid "name=$N" || fail "auto did not write a hist trigger"
[ ! -d /sys/fs/bpf/ftrig/$N ] || fail "auto loaded BPF where hist triggers serve"
expect_exit 0 "$FTRIG" hist rm $E --name $N
state_empty_of_objects() { ! grep -q '^+' "$FTRIG_STATE_DIR/persistent.journal" ||
	[ "$(grep -c '^+' "$FTRIG_STATE_DIR/persistent.journal")" = "$(grep -c '^-' "$FTRIG_STATE_DIR/persistent.journal")" ]; }
state_empty_of_objects || fail "the journal still holds objects"
exit 0
