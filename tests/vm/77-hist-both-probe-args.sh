# Probe arguments fetched from registers, counted by a hist trigger and by BPF on the same
# kprobe and kretprobe events (--backend both): each table holds exactly what the workload did
# (ftrig's own openat calls between the two reads differ, so only the workload's rows count) (CMD-5, #16). (Uprobe arguments: tests/host/77-bpf-probe-args.sh; here
# perf_event_open of a uprobe that has a hist trigger already fails with EINTR.)
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers,bpf >/dev/null 2>&1 ||
	skip "needs kprobes, hist triggers and BPF"
[ "$(uname -m)" = x86_64 ] || skip "probe arguments from registers: x86_64 only"
private_state
W=$FTRIG_HELPERS/workload
G=ftpb$$
N=pb$$
c=pb$$
trap 'for e in op opr; do "$FTRIG" hist rm $G:$e --name ${N}$e >/dev/null 2>&1; done; "$FTRIG" probe rm --group $G >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

expect_exit 0 "$FTRIG" probe add -g $G --name op do_sys_openat2 'dfd=$arg1:s32' 'how=%dx'
expect_exit 0 "$FTRIG" probe add -r -g $G --name opr do_sys_openat2 'fd=$retval:s32'
expect_exit 0 "$FTRIG" hist start $G:op --key dfd --key common_pid.execname --name ${N}op --backend both
expect_exit 0 "$FTRIG" hist start $G:opr --key fd --key common_pid.execname --name ${N}opr --backend both
"$W" --open 41:/proc/version >"$FTRIG_STATE_DIR/w.out" || fail "workload failed"
wpid=$(sed -n 's/^pid //p' "$FTRIG_STATE_DIR/w.out")

# same_row TEXT: the workload's row is one line, the same in both tables (its comm is its
# file name in saved_cmdlines; ftrig's own calls between the two reads differ).
same_row() {
	rows=$(echo "$1" | grep "common_pid: workload .*\[ *$wpid\]" | sort | uniq -c)
	[ "$(echo "$rows" | wc -l)" = 1 ] && [ "${rows%% \{*}" -eq 2 ] 2>/dev/null ||
		fail "the workload's row differs between the tables: $1"
	row=${rows#* \{}
}
expect_exit 0 "$FTRIG" hist show $G:op --name ${N}op
same_row "$out"
# openat(AT_FDCWD, ...): dfd is -100 (the kernel prints an s32 key as 64 bits)
contains "$row" "dfd: 18446744073709551516," "\$arg1 of a kprobe"
expect_exit 0 "$FTRIG" hist show $G:opr --name ${N}opr
same_row "$out"
n=$(echo "$row" | sed -n 's/.*hitcount: *\([0-9]*\).*/\1/p')
[ "${n:-0}" -ge 41 ] || fail "fewer than 41 returns: $row"
exit 0
