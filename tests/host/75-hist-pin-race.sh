# Reading an event's hists while another session pins and unpins an aggregation on it: every
# read succeeds, and what it says of our own aggregation is exact. Before the fix, a pin
# listed and then removed before it was opened made `hist dump` exit 1 without a word (the
# VM tier's vm/30-hist, beside the neighbour's pin churn, in CI).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
private_state

E=syscalls:sys_enter_getppid
N=pra$$
M=prb$$
C=wlp$$
churner=
# stop_churn: the loop ends after its round (killed, a `hist start` under way would pin after
# the `hist rm` below), then what it may have left is removed.
stop_churn() {
	[ -z "$churner" ] || { rm -f "$FTRIG_STATE_DIR.churn/go"; wait $churner; }
	churner=
}
trap 'stop_churn; "$FTRIG" hist rm $E --name $M >/dev/null 2>&1; "$FTRIG" hist rm $E --name $N >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR" "$FTRIG_STATE_DIR.churn"' EXIT

expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --name $N --backend bpf
"$FTRIG_HELPERS/workload" --comm "$C" --getppid 777 >/dev/null

# The churn: another session's aggregation on the same event, pinned and unpinned as fast
# as it goes (a state dir of its own: another session's).
mkdir "$FTRIG_STATE_DIR.churn"
touch "$FTRIG_STATE_DIR.churn/go"
(
	export FTRIG_STATE_DIR=$FTRIG_STATE_DIR.churn
	while [ -e "$FTRIG_STATE_DIR/go" ]; do
		"$FTRIG" hist start $E --key common_pid --name $M --backend bpf >/dev/null 2>&1
		"$FTRIG" hist rm $E --name $M >/dev/null 2>&1
	done
) &
churner=$!
i=0
until [ -e /sys/fs/bpf/ftrig/$M ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "the churn never pinned $M"
	sleep 0.05
done

for i in $(seq 150); do
	expect_exit 0 "$FTRIG" hist dump $E --format csv
	echo "$out" | grep -q "^[0-9]*,$C,777$" || fail "dump $i without $C's 777 calls: $out"
	expect_exit 0 "$FTRIG" hist show $E
	contains "$out" "hitcount:        777" "show $i"
done
expect_exit 0 "$FTRIG" hist dump $E --every 0.05s --count 20 --dir "$FTRIG_STATE_DIR.churn/every"
[ "$(ls "$FTRIG_STATE_DIR.churn/every" | wc -l)" = 20 ] || fail "--every --count 20 made: $(ls "$FTRIG_STATE_DIR.churn/every")"
for i in $(seq 15); do
	expect_exit 0 "$FTRIG" top --attach $E --name $N -b -n 1 -d 0.1
	echo "$out" | grep -q "^$C \[[0-9]*\] *777 " || fail "top --attach $i: $out"
done
stop_churn
"$FTRIG" hist rm $E --name $M >/dev/null 2>&1
expect_exit 0 "$FTRIG" hist rm $E --name $N
[ ! -e /sys/fs/bpf/ftrig/$N ] && [ ! -e /sys/fs/bpf/ftrig/$M ] || fail "pins left: $(ls /sys/fs/bpf/ftrig)"
