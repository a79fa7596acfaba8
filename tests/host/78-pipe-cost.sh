# An idle ftrig pipe --raw (and --json) costs nothing while no event comes: its reader thread
# sleeps in the kernel (poll on trace_pipe_raw, woken at the first event because the
# instance's buffer_percent is 0) and its main thread sleeps on the reader's eventfd. Counted
# without a clock: the system calls both threads make over two idle seconds (strace -c),
# where a reader woken by a timeout makes dozens. Then one event still comes through at once
# (no watermark to wait for) and the session ends clean.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
command -v strace >/dev/null 2>&1 || skip "strace is not installed"

W=$FTRIG_HELPERS/workload
C=ftcost$$
ev=syscalls/sys_enter_getppid
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-pipe-cost.XXXXXX")
fp=
cleanup() {
	[ -z "$fp" ] || kill "$fp" 2>/dev/null
	rm -rf "$tmp" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

for mode in --raw --json; do
	# Through a pipe: to a regular file the lines would wait for a full 64 KiB buffer.
	rm -f "$tmp/fifo" && mkfifo "$tmp/fifo"
	cat "$tmp/fifo" >"$tmp/out" &
	"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$C" $mode >"$tmp/fifo" 2>"$tmp/err" &
	fp=$!
	ftrig_ready "$fp" "$tmp/err" "$ev"
	timeout -s INT 2 strace -f -c -o "$tmp/strace" -p "$fp" 2>"$tmp/strace.err"
	# strace -c's total line: "100.00 SECONDS USECS/CALL CALLS [ERRORS] total".
	calls=$(awk '$NF == "total" { print $4 }' "$tmp/strace")
	# No system call at all: strace -c prints no table.
	[ -n "$calls" ] || ! grep -q attached "$tmp/strace.err" || calls=0
	[ -n "$calls" ] || fail "$mode: no total in strace -c: $(cat "$tmp/strace" "$tmp/strace.err")"
	[ "$calls" -lt 10 ] || fail "$mode: $calls system calls in 2 idle seconds: $(cat "$tmp/strace")"
	[ "$(cat "$T/instances/ftrig-$fp/buffer_percent")" = 0 ] ||
		fail "$mode: buffer_percent of its instance is $(cat "$T/instances/ftrig-$fp/buffer_percent"), not 0"
	# One event is written without waiting for more (SIGINT would flush it anyway: wait
	# for it first).
	"$W" --comm "$C" --getppid 1 >/dev/null || fail "workload"
	i=0
	until grep -q getppid "$tmp/out"; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "$mode: one event was not written in 30 s"
		sleep 0.1
	done
	kill -s INT "$fp"
	wait "$fp" || fail "$mode: ftrig pipe exited $?: $(cat "$tmp/err")"
	wait
	[ ! -d "$T/instances/ftrig-$fp" ] || fail "$mode: left its instance ftrig-$fp"
	fp=
	contains "$(cat "$tmp/err")" "1 events written, none lost" "$mode: summary"
done

# To a regular file, a slow stream's lines still go out while ftrig runs (within
# FT_PIPE_FILE_WAIT_MS, a second): whoever follows the file (tail -f, a script waiting for a
# line) must not wait for 64 KiB of events or the stop. Failed before: nothing in 30 s.
for mode in --raw ""; do
	"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$C" $mode >"$tmp/slow" 2>"$tmp/err" &
	fp=$!
	ftrig_ready "$fp" "$tmp/err" "$ev"
	"$W" --comm "$C" --getppid 3 >/dev/null || fail "workload"
	i=0
	until [ "$(grep -c getppid "$tmp/slow")" = 3 ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "to a file${mode:+ ($mode)}: 3 events not in the file after 10 s: $(cat "$tmp/err")"
		sleep 0.1
	done
	kill -s INT "$fp"
	wait "$fp" || fail "to a file${mode:+ ($mode)}: ftrig pipe exited $?: $(cat "$tmp/err")"
	fp=
	contains "$(cat "$tmp/err")" "3 events written, none lost" "to a file${mode:+ ($mode)}: summary"
done

# To a regular file the lines go out in whole 64 KiB buffers: 20000 events (1.4 MB of text)
# in a few dozen write() calls. glibc's setvbuf() ignores the size of a buffer it is not
# given, and the writes were then 4 KiB each, 16 times as many (issue #21: each one is dear
# under qemu TCG).
strace -f -e trace=write -o "$tmp/writes" \
	"$FTRIG" pipe syscalls:sys_enter_getppid --comm "$C" --raw >"$tmp/out" 2>"$tmp/err" &
sp=$!
i=0
# ftrig is strace's child: the one whose session instance (ftrig-PID) has strace as parent.
child() {
	for d in "$T/instances/ftrig-"*; do
		p=${d##*/ftrig-}
		[ "$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -d ' ' -f 2)" = "$sp" ] && echo "$p"
	done
	return 0
}
until fp=$(child) && [ -n "$fp" ] &&
	[ "$(cat "$T/instances/ftrig-$fp/events/$ev/enable" 2>/dev/null)" = 1 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "ftrig pipe under strace did not start in 30 s: $(cat "$tmp/err")"
	sleep 0.1
done
"$W" --comm "$C" --getppid 20000 >/dev/null || fail "workload"
# The stop's last pass reads and writes what is left.
kill -s INT "$fp"
wait "$sp" || fail "strace of ftrig pipe exited $?: $(cat "$tmp/err")"
fp=
# Every event is accounted for: written, or (a loaded machine, strace making each write
# dear) read but not written when the stop's last batch ran out of time, or not read then,
# which the summary says. Once, in the VM, 19901 of 20000 came out with "none lost" and only
# a warning without a count: the stop's 500 ms had run out.
n=$(grep -c getppid "$tmp/out")
left=$(sed -n 's/.* events written, \([0-9]*\) read but not written at the stop,.*/\1/p' "$tmp/err")
kleft=$(sed -n "s/.* \([0-9]*\) left unread in the kernel's buffer at the stop.*/\1/p" "$tmp/err")
contains "$(cat "$tmp/err")" "$n events written" "to a file: summary"
[ $((n + ${left:-0} + ${kleft:-0})) = 20000 ] ||
	fail "to a file: $n written, ${left:-0} not, ${kleft:-0} not read, of 20000: $(cat "$tmp/err")"
bytes=$(wc -c <"$tmp/out")
writes=$(grep -c 'write(1,' "$tmp/writes")
[ "$writes" -le $((bytes / 65536 + 4)) ] ||
	fail "to a file: $writes write() calls for $bytes bytes, not whole 64 KiB buffers"
state_empty
