# syscount on hist triggers (the 6.1 kernel has them): by call, failed only, by process,
# against the exact-count workload: 77 getppid, 11 openat (7 of a file, 3 with bad
# arguments, /dev/zero), 3 of them failed. -L on hist triggers too: the synthetic field of
# sys_exit's 'long id' was declared s64, which 6.1 refused ("Param type doesn't match
# synthetic event field type"); it is declared 'long' now, as the event names it.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
private_state
W=$FTRIG_HELPERS/workload
comm=sv$$
tool_pid=
trap 'tool_cleanup' EXIT
run() {
	tool_start syscount --backend "${be:-hist}" --top 100 -c "$comm" "$@"
	"$W" --comm "$comm" --getppid 77 --open "7:$W" --syscall 257:3 --read 5:100 \
		>/dev/null 2>&1
	tool_stop
}

run
[ "$(tool_row getppid)" = 77 ] || fail "getppid: $(cat "$tool_out")"
[ "$(tool_row openat)" = 11 ] || fail "openat: $(cat "$tool_out")"
run -x
[ "$(tool_row openat)" = 3 ] || fail "-x openat: $(cat "$tool_out")"
[ "$(tool_row getppid)" = 0 ] || fail "-x getppid: $(cat "$tool_out")"
run -L
contains "$(cat "$tool_out")" "SYSCALL                   COUNT        TIME (us)" "-L columns"
[ "$(tool_row getppid)" = 77 ] || fail "-L getppid (hist): $(cat "$tool_out")"
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	be=bpf
	run -L
	be=hist
	contains "$(cat "$tool_out")" "SYSCALL                   COUNT        TIME (us)" "-L columns"
	[ "$(tool_row getppid)" = 77 ] || fail "-L getppid (bpf): $(cat "$tool_out")"
fi
run -P
contains "$(cat "$tool_out")" " $comm " "-P"

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
