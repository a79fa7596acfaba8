# A BPF aggregation whose index (slot_of) refuses a new key's insert though the table has
# room loses no event and never says "table was full": the event is counted in a slot of its
# own, readers merge it into the key's row, and the refusal is counted with its errno. The
# refusal is provoked: the pinned index is filled with keys of no slot (bpftool), so every
# insert gets -E2BIG, as a busy bucket lock (-EBUSY) would refuse it. Before, each such event
# was dropped and counted as a full table's loss.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpftool
private_state

# umask(0123) from a shell of our own: a quiet event, and a mask nobody else sets
E=syscalls:sys_enter_umask
N=ui$$
P=/sys/fs/bpf/ftrig/$N
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

# 1 + 19 * 2 calls of umask(0123): dash reads the mask (umask(0), then back) from the second on
if command -v strace >/dev/null 2>&1; then
	got=$(strace -f -e trace=umask sh -c 'i=0; while [ $i -lt 20 ]; do umask 0123; i=$((i + 1)); done' 2>&1 |
		grep -c '^umask(0123)')
	[ "$got" = 39 ] || skip "this shell makes $got umask(0123) calls, not 39"
fi
expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --backend bpf --name $N \
	--size 128 --filter "mask == 83"
# 128 keys of 8 bytes that no event makes: the index is full, the table empty
i=0
while [ $i -lt 128 ]; do
	bpftool map update pinned $P/slot_of key hex ff fe $(printf '%02x %02x' $((i / 256)) $((i % 256))) \
		00 00 00 00 value hex 00 00 00 00 || fail "bpftool could not fill $P/slot_of"
	i=$((i + 1))
done
# On one CPU, so that the count of refusals is known: the first event's insert is refused,
# and this CPU's front (the last slot it used) serves the other 38 from that slot.
pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
$pin sh -c 'i=0; while [ $i -lt 20 ]; do umask 0123; i=$((i + 1)); done; echo $$ >"$1"' sh \
	"$FTRIG_STATE_DIR/pid"
pid=$(cat "$FTRIG_STATE_DIR/pid")

expect_exit 0 "$FTRIG" hist show $E --name $N
echo "$out" | grep -q "^{ common_pid: sh *\[ *$pid\] } hitcount: *39$" ||
	fail "the 39 events are not one row of 39: $out"
contains "$out" "Dropped: 0" "a refused index insert"
[ "$(echo "$out" | grep -c '} hitcount:')" = 1 ] || fail "more than one row: $out"
# The kernel's reason: E2BIG (a full index), on 6.1 too (its map update returned an int, the
# high half of the register was read as part of it: "no reason kept" before)
if [ -n "$pin" ]; then
	contains "$out" "# unindexed: 1 index inserts refused (Argument list too long)" "the refusal"
else
	contains "$out" "index inserts refused (Argument list too long)" "the refusal's errno"
fi
expect_exit 0 "$FTRIG" hist show $E --name $N --json
contains "$out" '"unindexed_reason":"Argument list too long"' "the JSON totals"
[ -z "$pin" ] || contains "$out" '"unindexed":1,' "the JSON totals"
contains "$out" '"dropped":0' "the JSON totals"
expect_exit 0 "$FTRIG" hist rm $E --name $N
exit 0
