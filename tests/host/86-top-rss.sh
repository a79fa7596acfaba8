# #21: ftrig top's own rotating BPF aggregation, its tables of 131,072 keys, in batch mode,
# shows every key with its exact count and stays within its memory. Its turns read the table
# a window at a time and its snapshots the totals a window at a time: a whole row buffer of
# both tables, both tables mapped, and a whole copy of the totals took its peak RSS to 99 MB
# (61 MB at the 65,536 keys read here).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
need_bpf
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-86r.XXXXXX")
tpid=
wpid=
trap '[ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null; [ -z "$wpid" ] || kill -KILL "$wpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp" "$FTRIG_STATE_DIR"' EXIT
# Half the table's keys: each interval's table has room for all the workload's reads
# (a full one drops some), and the memory that went with the table's size shows all the same.
SIZE=131072 ROWS=65536 ODD=65521 # a size the loader does not read
LIMIT_KB=45000 # 61 MB before the windows (#21), 33 MB with them

# Only the workload's reads: another run of this test beside this one reads the very same
# sizes. It waits on a fifo (waiting), so that the filter knows its pid before it reads.
fifo=$tmp/fifo
mkfifo "$fifo" || fail "mkfifo"
waiting --read-sizes $ROWS --read-sizes $ROWS
"$FTRIG" top syscalls:sys_enter_read --key count --size $SIZE --backend bpf -b -d 1 -n 100000 \
	--filter "common_pid == $wpid" --json >"$tmp/top.json" 2>"$tmp/top.err" &
tpid=$!
i=0
while [ ! -s "$tmp/top.json" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "no table from top: $(cat "$tmp/top.err")"
	kill -0 "$tpid" 2>/dev/null || fail "top ended early: $(cat "$tmp/top.err")"
	sleep 0.1
done
echo go >"$fifo"
wait $wpid || fail "workload failed"
wpid=
before=$(wc -l <"$tmp/top.json")
i=0
while [ "$(wc -l <"$tmp/top.json")" -lt $((before + 3)) ]; do
	i=$((i + 1))
	[ $i -lt 1200 ] || fail "top stopped refreshing: $(cat "$tmp/top.err")"
	sleep 0.1
done
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$tpid/status")
kill -TERM "$tpid"
wait "$tpid"
tpid=
last=$(sed -n "$((before + 3))p" "$tmp/top.json")
# Every size 1..ROWS read twice (the waiting shell's and the loader's reads add to a few):
# each is a row, and one the loader does not read has exactly 2.
n=$(printf '%s\n' "$last" | grep -o '{"key"' | wc -l)
[ "$n" -ge $ROWS ] || fail "$n rows shown, expected $ROWS or more"
printf '%s\n' "$last" | grep -qF '{"key":{"count":{"value":'$ODD'}},"count":2,' ||
	fail "key $ODD not counted 2: $(printf '%s\n' "$last" | grep -o '{"key":{"count":{"value":'$ODD'}},"count":[0-9]*')"
echo "# peak RSS $hwm kB"
[ "$hwm" -lt $LIMIT_KB ] || fail "peak RSS $hwm kB, over $LIMIT_KB kB"
state_empty
exit 0
