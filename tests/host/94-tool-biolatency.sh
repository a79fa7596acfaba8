# ftrig biolatency: block I/O latency from a request's issue to its completion, matched on
# (dev, sector), in bcc biolatency's layout, proven on a disk of the test's own: a loop
# device on an image file, so that nothing but the workload does I/O to it (a shared disk
# such as vda is not exact: other tests and builds add requests, and two tools cannot attach
# at the same instant, so their windows there differ at both ends). The workload is direct
# I/O (each 4 KiB O_DIRECT write or read is one request, waited for before the next, so no
# two merge, and every request has completed when dd returns): 4 writers at once, whose
# completions come in interrupts, not in the issuing thread, then 30 reads: 190 requests.
# bpftrace on the same tracepoints, keyed by (dev, sector) and attached before ftrig, is the
# oracle: the same count exactly, and the same log2 histogram up to the samples within a
# microsecond of a bucket's bound (two programs take their own times). Without bpftrace (the
# VM) the count is the workload's own. Then -D (the loop disk's histogram exact by name,
# and the direct writes to a file of $TMPDIR's disk at least counted there), -Q -F (from the
# request's start; per rwbs: the writes and the reads apart), -m, -i -T, and bad input:
# usage errors that leave nothing behind.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
private_state
img=${TMPDIR:-/tmp}/ftrig-t94-img.$$
wfile=${TMPDIR:-/tmp}/ftrig-t94-file.$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t94-bpftrace.$$
tool_pid= bpt_pid= loop=
cleanup() {
	tool_cleanup "$wfile" "$bpt_out.cmp"
	[ -z "$loop" ] || losetup -d "$loop" 2>/dev/null
	rm -f "$img"
}
trap cleanup EXIT
have_bpftrace() { command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; }

# 1. Bad input: usage errors (exit 2) before anything is made.
# The pins it could leave (own_pins): under the block events' default names or a name of
# ftrig's own (ftrig-PID, ftrig_PID); other sessions' pins come and go beside the test.
pins() { own_pins '^block' 'ftrig[-_][0-9]' bio; }
pins_before=$(pins)
expect_exit 2 "$FTRIG" biolatency -D -F
contains "$out" "-D and -F" "-D with -F"
expect_exit 2 "$FTRIG" biolatency --disk nosuchdisk$$
contains "$out" "--disk 'nosuchdisk$$': no such block device" "an unknown disk"
expect_exit 2 "$FTRIG" biolatency --disk ../vda
contains "$out" "--disk takes a disk's name" "a path as disk"
expect_exit 2 "$FTRIG" biolatency vda
contains "$out" "biolatency takes no operands" "an operand"
expect_exit 2 "$FTRIG" biolatency -p 1
contains "$out" "unknown option '-p'" "-p"
expect_exit 2 "$FTRIG" biolatency --backend both
contains "$out" "--backend is auto, hist or bpf" "--backend both"
expect_exit 2 "$FTRIG" biolatency --live -j
contains "$out" "--live opens the view" "--live -j"
if ! "$FTRIG" info --require hist_triggers >/dev/null 2>&1; then
	expect_exit 1 "$FTRIG" biolatency --backend hist -D -d 1
	contains "$out" "no hist triggers" "hist triggers where there are none"
fi
[ "$(pins)" = "$pins_before" ] || fail "a refused run left pins: $(pins)"
state_empty

# The loop device, "the test's own disk".
loop_attach "$img"
name=$loop_name dev=$loop_dev

# the kernel's log2 bucket of $u, ilog2(roundup_pow_of_two(u)), as bpftrace can say it:
# the number of powers of two below u
B=0
k=0
while [ $k -le 40 ]; do
	B="$B + (\$u > $((1 << k)))"
	k=$((k + 1))
done
# oracle START_EVENT: bpftrace timing our loop device's requests from START_EVENT to
# block_rq_complete, matched on (dev, sector) as biolatency matches them: @n the count, @b
# the kernel's log2 bucket of each latency in whole microseconds (as ftrig's BPF: ns / 1000)
oracle() {
	oracle_start "BEGIN { printf(\"ready\\n\"); }
		tracepoint:block:$1 /args->dev == $dev/ { @s[args->dev, args->sector] = nsecs; }
		tracepoint:block:block_rq_complete /@s[args->dev, args->sector]/ {
			\$u = (nsecs - @s[args->dev, args->sector]) / 1000;
			if (strncmp(args->rwbs, \"W\", 1) == 0) { @w = count(); }
			if (strncmp(args->rwbs, \"R\", 1) == 0) { @r = count(); }
			@n = count(); @b[$B] = count(); delete(@s[args->dev, args->sector]); }"
}
# expect WHAT GOT WORKLOAD [MAP]: GOT must be the oracle's count (@MAP, @n by default) when
# bpftrace ran, else WORKLOAD, the requests the workload made. (A BPF program is skipped
# when the event fires while another one runs on that CPU, as a completion interrupt can
# during a neighbour's program: then every program of that tracepoint misses it, ftrig's
# and bpftrace's alike, so only the oracle's count is exact on a busy host.)
expect() {
	if [ -n "$bpt_pid" ]; then
		oracle_stop
		ex=$(sed -n "s/^@${4:-n}: //p" "$bpt_out")
		[ "$2" = "${ex:-0}" ] || fail "$1: ftrig $2, bpftrace ${ex:-0}: $(cat "$tool_out") $(cat "$bpt_out")"
		[ "$2" -le "$3" ] || fail "$1: $2 for $3 requests: $(cat "$tool_out")"
	else
		[ "$2" = "$3" ] || fail "$1: $2 for $3 requests: $(cat "$tool_out")"
	fi
}
# json_total: the "count" of the tool's JSON line
json_total() { sed -n 's/^{"time":[0-9]*,"unit":"[a-z]*","count":\([0-9]*\),.*/\1/p' "$tool_out"; }

# 2. One histogram of our disk: the oracle's count, and its buckets up to the bounds' noise.
have_bpftrace && oracle block_rq_issue
tool_start biolatency -j --disk "$name"
loop_workload
tool_stop
n=$(json_total)
[ -n "$n" ] || fail "no JSON count: $(cat "$tool_out")"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	want=$(sed -n 's/^@n: //p' "$bpt_out")
	[ "$n" = "$want" ] || fail "ftrig counted $n requests, bpftrace $want: $(cat "$tool_out") $(cat "$bpt_out")"
	[ "$n" -le 190 ] && [ "$n" -ge 150 ] || fail "$n requests for 190 direct I/Os: $(cat "$tool_out")"
	# the same buckets: at each bound, the samples below it differ by a few at most (a
	# sample within a microsecond of a bound may fall on either side of it)
	ours=$(sed 's/.*"buckets":\[//' "$tool_out" | grep -o '"count":[0-9]*' | sed 's/.*://')
	echo "$ours" | awk -v oracle="$bpt_out" -v total="$n" '
		BEGIN { while ((getline l < oracle) > 0)
				if (l ~ /^@b\[[0-9]+\]: [0-9]+$/) {
					gsub(/[^0-9]+/, " ", l); split(l, a, " ")
					b[a[1] + 0] = a[2] + 0
					if (a[1] + 0 > max) max = a[1] + 0
				} }
		{ c[NR - 1] = $1; if (NR - 1 > max) max = NR - 1 }
		END { tol = 3 + int(total / 20)
			for (k = 0; k <= max; k++) {
				fo += c[k]; fb += b[k]; d = fo - fb; if (d < 0) d = -d
				if (d > tol) { printf "below 2^%d: ftrig %d, bpftrace %d (tolerance %d)\n", k, fo, fb, tol; bad = 1 }
			}
			if (fo != fb) { printf "totals: ftrig %d, bpftrace %d\n", fo, fb; bad = 1 }
			exit bad }' >"$bpt_out.cmp" ||
		fail "the buckets differ from bpftrace's: $(cat "$bpt_out.cmp"); ftrig: $(cat "$tool_out"); bpftrace: $(cat "$bpt_out")"
	rm -f "$bpt_out.cmp"
else
	[ "$n" = 190 ] || fail "counted $n requests for 190 direct I/Os: $(cat "$tool_out")"
fi

# 3. -D: a histogram per disk, named as sysfs names it; ours exact, in msecs with -m. Direct
# writes to a file of $TMPDIR, where its filesystem is on a disk (the host's vda), are
# counted there too: at least those 64 (the disk is shared, so more may come).
fdisk=
if dd if=/dev/zero of="$wfile" bs=4k count=64 conv=fsync 2>/dev/null &&
	dd if=/dev/zero of="$wfile" bs=4k count=1 oflag=direct conv=notrunc 2>/dev/null; then
	d=$(stat -c '%d' "$wfile")
	f=/sys/dev/block/$((d >> 8 & 0xfff)):$(( (d & 0xff) | (d >> 12 & 0xfff00) ))
	[ -e "$f/partition" ] && f=$f/..
	fdisk=$(sed -n 's/^DEVNAME=//p' "$f/uevent" 2>/dev/null)
fi
have_bpftrace && oracle block_rq_issue
tool_start biolatency -D -m
dd if="$loop" of=/dev/null bs=4k count=30 skip=600 iflag=direct 2>/dev/null || fail "reads"
[ -z "$fdisk" ] || dd if=/dev/zero of="$wfile" bs=4k count=64 oflag=direct conv=notrunc 2>/dev/null ||
	fail "the direct writes to $wfile failed"
tool_stop
# section DISK: the sum of the counts of DISK's histogram in the tool's output
section() {
	awk -v d="$1" '/^disk = / { on = ($3 == d); next } on && / -> / { s += $5 } END { print s + 0 }' "$tool_out"
}
contains "$(cat "$tool_out")" "disk = $name" "-D's title of our disk"
contains "$(cat "$tool_out")" "     msecs               : count     distribution" "-m's header"
expect "-D: $name" "$(section "$name")" 30
if [ -n "$fdisk" ]; then
	[ "$(section "$fdisk")" -ge 64 ] ||
		fail "-D: $fdisk counted $(section "$fdisk") for 64 direct writes: $(cat "$tool_out")"
fi

# 4. -Q -F: from the request's start (block_io_start, before 6.5 block_rq_insert, which a
# disk without an I/O scheduler skips: ours gets one there), per rwbs: the writes are the
# W* histograms, the reads the R* ones; the oracle's count on the same start event.
qs=block_io_start
if [ ! -d "$T/events/block/block_io_start" ]; then
	qs=block_rq_insert
	echo mq-deadline >"/sys/block/$name/queue/scheduler" 2>/dev/null ||
		skip "no block_io_start, and no I/O scheduler for $name to make block_rq_insert fire"
fi
have_bpftrace && oracle $qs
tool_start biolatency -Q -F --disk "$name"
loop_workload
tool_stop
flags() {
	awk -v p="$1" '/^flags = / { on = (substr($3, 1, 1) == p); next } on && / -> / { s += $5 } END { print s + 0 }' "$tool_out"
}
w=$(flags W) r=$(flags R)
[ $((w + r)) = "$(awk '/ -> / { s += $5 } END { print s + 0 }' "$tool_out")" ] ||
	fail "-Q -F: histograms other than W* and R*: $(cat "$tool_out")"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	for m in w:$w r:$r; do
		ex=$(sed -n "s/^@${m%%:*}: //p" "$bpt_out")
		[ "${m#*:}" = "${ex:-0}" ] || fail "-Q -F: ${m%%:*} ftrig ${m#*:}, bpftrace ${ex:-0} from $qs: $(cat "$tool_out") $(cat "$bpt_out")"
	done
	[ "$w" -le 160 ] && [ "$r" -le 30 ] || fail "-Q -F: $w writes, $r reads: $(cat "$tool_out")"
else
	[ "$w" = 160 ] && [ "$r" = 30 ] || fail "-Q -F: $w writes for 160, $r reads for 30: $(cat "$tool_out")"
fi

# 5. -i -T: a time line and a histogram every interval, each of its own interval only.
have_bpftrace && oracle block_rq_issue
tool_start biolatency -i 0.5 -d 1.6 -T --disk "$name"
dd if="$loop" of=/dev/null bs=4k count=5 skip=700 iflag=direct 2>/dev/null || fail "reads"
i=0
while kill -0 "$tool_pid" 2>/dev/null && [ $i -lt 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
wait "$tool_pid"
tool_rc=$? tool_pid=
[ "$tool_rc" = 0 ] || fail "-i -d exited $tool_rc: $(cat "$tool_out")"
[ "$(grep -c '^     usecs ' "$tool_out")" -ge 3 ] || fail "-i 0.5 -d 1.6: $(cat "$tool_out")"
grep -q '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$tool_out" || fail "-T: no time line: $(cat "$tool_out")"
expect "-i: the intervals' sum" "$(awk '/ -> / { s += $5 } END { print s + 0 }' "$tool_out")" 5

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
[ "$(pins)" = "$pins_before" ] || fail "pins left: $(pins)"
state_empty
