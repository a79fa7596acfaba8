# --latency matched on fields (FIG-3, CLS-1, #16 item 4): block I/O latency as biolatency
# measures it, a request's issue paired with its completion by (dev, sector), on the BPF
# backend. Direct I/O to a loop device of our own; bpftrace keyed by (dev, sector) on the same
# workload is the oracle: the sample counts agree exactly. Without bpftrace (the VM), the
# count is the workload's own: one request per direct 4 KiB write or read. Bad match syntax
# is a usage error, and a field the event lacks is refused before anything is loaded.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
[ -d "$T/events/block/block_rq_issue" ] || skip "no block:block_rq_issue event here"
command -v losetup >/dev/null 2>&1 || skip "needs losetup for a loop device"
private_state
name=t77_$$
img=${TMPDIR:-/tmp}/ftrig-t77-img.$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t77-bpftrace.$$
bpt_pid=
loop=
I=block:block_rq_issue
C=block:block_rq_complete
cleanup() {
	[ -z "$bpt_pid" ] || kill "$bpt_pid" 2>/dev/null
	"$FTRIG" hist rm $I --name "$name" >/dev/null 2>&1
	[ -z "$loop" ] || losetup -d "$loop" 2>/dev/null
	rm -rf "$FTRIG_STATE_DIR" "$img" "$bpt_out"
}
trap cleanup EXIT

# (the VM tier brings the module along: tests/vm/run.sh)
[ -e /dev/loop-control ] || modprobe loop 2>/dev/null || insmod /usr/lib/modules/ftrig/loop.ko 2>/dev/null
dd if=/dev/zero of="$img" bs=1M count=16 2>/dev/null || fail "cannot make the image"
# util-linux attaches the first free device at once; busybox's losetup (the VM) has no --show
if ! l=$(losetup -f --show "$img" 2>/dev/null); then
	l=$(losetup -f 2>&1) && losetup "$l" "$img" 2>/dev/null || skip "no loop device here: $l"
fi
loop=$l
# the kernel's dev_t of the loop device (MAJOR << 20 | MINOR), as the events carry it
mm=$(stat -L -c '%t %T' "$loop")
dev=$(( (0x${mm% *} << 20) | 0x${mm#* } ))
# what probes a new block device (udev's blkid) reads it now, not during the count
dd if="$loop" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
sleep 1

debris_before=$(debris)

# 1. Bad match syntax: usage errors (exit 2), nothing left behind.
# the pins a start could leave: its --name, the events' default names (own_pins)
before=$(own_pins "$name" '^block')
expect_exit 2 "$FTRIG" hist start --latency "$I(dev,sector),$C(dev)" --name "$name"
contains "$out" "the start names 2 fields and the end 1" "unequal field counts"
expect_exit 2 "$FTRIG" hist start --latency "$I(dev,sector),$C" --name "$name"
contains "$out" "name the match fields of both events" "fields on one side"
expect_exit 2 "$FTRIG" hist start --latency "$I(dev,sector),$C(dev,sector)" --match dev \
	--name "$name"
contains "$out" "give them once" "fields twice"
expect_exit 2 "$FTRIG" hist start $I --key dev --match dev --name "$name"
contains "$out" "give --latency too" "--match without --latency"
expect_exit 2 "$FTRIG" top --latency "$I(dev,sector,nr_sector,bytes),$C(dev,sector,nr_sector,bytes)" -b -n 1
contains "$out" "at most 3 match fields" "too many fields"
# 2. A field the event lacks, or a string, is refused before anything is loaded.
expect_exit 1 "$FTRIG" hist start --latency "$I(dev,sectr),$C(dev,sector)" --name "$name" \
	--backend bpf
contains "$out" "no field 'sectr' in block:block_rq_issue" "unknown match field"
expect_exit 1 "$FTRIG" hist start --latency "$I(comm),$C(dev)" --name "$name" --backend bpf
contains "$out" "not a number" "string match field"
[ "$(own_pins "$name" '^block')" = "$before" ] || fail "a refused start left pins"

# 3. The oracle first, then ftrig, then the workload: both see every request of it.
if command -v bpftrace >/dev/null 2>&1; then
	oracle_start "BEGIN { printf(\"ready\\n\"); }
		tracepoint:block:block_rq_issue /args->dev == $dev/ {
			@s[args->dev, args->sector] = nsecs; }
		tracepoint:block:block_rq_complete /@s[args->dev, args->sector]/ {
			@n = count(); delete(@s[args->dev, args->sector]); }"
fi
expect_exit 0 "$FTRIG" hist start --latency "$I(dev,sector),$C(dev,sector)" \
	--filter "dev == $dev" --name "$name" --backend bpf
contains "$out" "matched on dev,sector" "the match in the trigger text"
# several writers and readers at once: a completion is not in the issuing thread
pids=
for k in 0 1 2 3; do
	dd if=/dev/zero of="$loop" bs=4k count=40 seek=$((k * 100)) oflag=direct 2>/dev/null &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "a direct write failed"; done
dd if="$loop" of=/dev/null bs=4k count=30 skip=500 iflag=direct 2>/dev/null
oracle=190
if [ -n "$bpt_pid" ]; then
	oracle_stop
	oracle=$(sed -n 's/^@n: \([0-9]*\)$/\1/p' "$bpt_out")
	[ -n "$oracle" ] || fail "bpftrace counted nothing: $(cat "$bpt_out")"
	[ "$oracle" -ge 190 ] || fail "bpftrace saw $oracle requests for 190 direct I/Os"
fi
expect_exit 0 "$FTRIG" hist dump $C --name "$name" --format json
contains "$out" '"unit":"us"' "the unit of the latency"
# ("missed" follows when the kernel skipped runs of the program beside other BPF tools)
got=$(echo "$out" | sed -n 's/.*"totals":{"hits":\([0-9]*\),"entries":[0-9]*,"dropped":0[,}].*/\1/p')
[ "$got" = "$oracle" ] || fail "samples: ftrig $got, oracle $oracle: $out"
# found by either event (CMD-4), and removed by the end event
expect_exit 0 "$FTRIG" hist show $I --name "$name"
contains "$out" "latency until $C matched on dev,sector" "show by the start event"
expect_exit 0 "$FTRIG" hist rm $C --name "$name"
[ ! -d "/sys/fs/bpf/ftrig/$name" ] || fail "hist rm by the END event left the pins"

# 4. top takes the same syntax, and --match where the names are the same on both sides.
expect_exit 0 "$FTRIG" top --latency "$I,$C" --match dev,sector --filter "dev == $dev" -b -n 1 -d 1 \
	--backend bpf
contains "$out" "lat" "top --latency --match"
[ ! -d "/sys/fs/bpf/ftrig/$name" ] || fail "pins left"
# (other sessions' objects come and go: only what appeared since the start counts)
left=$(debris | grep -vxF "$debris_before" | grep -v "^$" || true)
[ -z "$left" ] || [ -z "$(echo "$left" | grep -i "$name")" ] || fail "left behind: $left"
