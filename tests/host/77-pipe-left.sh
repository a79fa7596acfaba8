# ftrig pipe stopped while its output is blocked (nobody reads it) and the kernel's buffer
# holds a backlog: the stop's last read is bounded, so what it did not read goes with the
# instance. The summary must account for every event: written, read but not written, or left
# unread in the kernel's buffer, none silently. Before, text mode said "N events written,
# none lost" of 20,000 events with some thousand written. The events are the workload's own
# getppid calls (--comm), so the sum is exact whatever else runs; the buffer (--buffer-size)
# holds them all, so none is lost to an overrun.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state

W=$FTRIG_HELPERS/workload
C=ftleft$$
N=20000
ev=syscalls/sys_enter_getppid
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-pipe-left.XXXXXX")
fp= reader=
cleanup() {
	[ -z "$fp" ] || kill "$fp" 2>/dev/null
	[ -z "$reader" ] || kill "$reader" 2>/dev/null
	rm -rf "$tmp" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# figure TEXT: the number before TEXT in the summary line, 0 when the summary has none.
figure() {
	n=$(sed -n "s/.* \([0-9][0-9]*\) $1.*/\1/p" "$tmp/err" | tail -n 1)
	echo "${n:-0}"
}

for mode in text raw; do
	flag=
	[ $mode = text ] || flag=--raw
	rm -f "$tmp/fifo" && mkfifo "$tmp/fifo"
	sleep 600 <"$tmp/fifo" &
	reader=$!
	"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$C" --buffer-size 8192 $flag \
		>"$tmp/fifo" 2>"$tmp/err" &
	fp=$!
	ftrig_ready "$fp" "$tmp/err" "$ev"
	"$W" --comm "$C" --getppid $N >/dev/null || fail "$mode: workload"
	kill -s INT "$fp"
	rc=0
	wait "$fp" || rc=$?
	[ ! -d "$T/instances/ftrig-$fp" ] || fail "$mode: left its instance ftrig-$fp"
	fp=
	[ $rc = 0 ] || fail "$mode: ftrig pipe exited $rc: $(cat "$tmp/err")"
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	reader=
	written=$(sed -n 's/.*: \([0-9][0-9]*\) events written.*/\1/p' "$tmp/err" | tail -n 1)
	[ -n "$written" ] || fail "$mode: no summary: $(cat "$tmp/err")"
	unwritten=$(figure "read but not written at the stop")
	left=$(figure "left unread in the kernel's buffer at the stop")
	lost=$(figure "lost in the kernel's ring buffer")
	[ "$lost" = 0 ] || fail "$mode: $lost lost with a buffer for all of them: $(cat "$tmp/err")"
	[ $((written + unwritten + left)) = $N ] ||
		fail "$mode: $written written, $unwritten not written, $left left: not $N: $(cat "$tmp/err")"
	# The output took a pipe's 64 KiB of some 100-byte lines: most were not written.
	[ "$written" -lt $((N / 2)) ] || fail "$mode: $written of $N written to nobody: $(cat "$tmp/err")"
	if [ $mode = text ]; then
		# trace_pipe is read as the output takes it: the rest stays in the kernel.
		[ "$left" -gt 0 ] || fail "text: nothing said left in the kernel: $(cat "$tmp/err")"
		grep -q "left unread in the kernel's buffer at the stop, none lost before the stop" \
			"$tmp/err" || fail "text: the summary does not say it: $(cat "$tmp/err")"
	fi
done
state_empty
exit 0
