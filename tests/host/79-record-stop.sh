# ftrig record keeps every event still in the ring buffer when it is stopped. The reader
# first reads part of a page (a few events, then a pause), then ftrig is held (SIGSTOP) while
# the workload makes an exact number of getppid calls, many pages of them, and is stopped
# (SIGINT, then SIGCONT): its last pass must read them all, and ftrig report must count
# exactly what the workload made. The last pass used to end at the first partly filled
# page, which is also how the rest of a page read in part before comes, with the full pages
# after it dropped and "0 lost" said.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

W=$FTRIG_HELPERS/workload
C=ftrst$$
GP=syscalls:sys_enter_getppid
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-record-stop.XXXXXX")
fp=
cleanup() {
	[ -z "$fp" ] || kill -s CONT "$fp" 2>/dev/null
	[ -z "$fp" ] || kill "$fp" 2>/dev/null
	rm -rf "$tmp" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

"$FTRIG" record $GP -o "$tmp/probe.dat" --duration 1ms >"$tmp/out" 2>&1
grep -q "without libtracecmd" "$tmp/out" && skip "ftrig was built without libtracecmd"
rm -f "$tmp/probe.dat"

# Several rounds: the reader thread and the stop race after SIGCONT, each way loses.
for r in 1 2 3 4; do
	"$FTRIG" record $GP --comm "$C" -o "$tmp/t.dat" >"$tmp/out" 2>"$tmp/err" &
	fp=$!
	ftrig_ready "$fp" "$tmp/err" syscalls/sys_enter_getppid
	"$W" --comm "$C" --getppid 20 >"$tmp/wl" || fail "workload: $(cat "$tmp/wl")"
	sleep 0.3 # the reader takes those 20: part of the page the kernel writes on
	kill -s STOP "$fp"
	"$W" --comm "$C" --getppid 20000 >"$tmp/wl" || fail "workload: $(cat "$tmp/wl")"
	kill -s INT "$fp"
	kill -s CONT "$fp"
	wait "$fp" || fail "ftrig record exited $?: $(cat "$tmp/err")"
	[ ! -d "$T/instances/ftrig-$fp" ] || fail "record left its instance ftrig-$fp"
	fp=
	contains "$(cat "$tmp/err")" "20020 events recorded to $tmp/t.dat, 0 lost" "round $r: record's summary"
	expect_exit 0 "$FTRIG" report "$tmp/t.dat" $GP --key common_pid.execname --format csv
	n=$(echo "$out" | awk -F, -v c="$C" '$2 == c { s += $3 } END { print s + 0 }')
	[ "$n" = 20020 ] || fail "round $r: report counts $n getppid of $C, not 20020"
done
state_empty
