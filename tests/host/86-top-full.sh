# ftrig top on a busy machine (TOP-1, TOP-8, #16): after more short-lived processes than the
# old per-process table held (2048, never emptied: every later process was dropped), a marker
# process shows with its exact count within two refreshes, in batch mode and in the live view;
# a process is shown under the name it has now, after an exec. This is the BPF backend (two
# tables taking turns), the live view's default wherever BPF can count it, on a kernel with
# hist triggers too; there (the VM tier) a hist trigger's table, asked for, keeps every key
# and must say when it is full and what to do.
. "$FTRIG_TESTS/lib.sh"
. "$FTRIG_TESTS/tmux.sh"
need_root
need_tracefs
wl=$FTRIG_HELPERS/workload
churn=$FTRIG_HELPERS/churn
[ -x "$wl" ] && [ -x "$churn" ] || skip "no workload or churn helper in $FTRIG_HELPERS"
hist=false
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 && hist=true
tmux_need
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-86.XXXXXX")
tpid=
trap '[ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null; wait 2>/dev/null; tmux_stop; rm -rf "$tmp" "$FTRIG_STATE_DIR"' EXIT
name=zzmk$$
# Three times the old table's 2048 processes, at most 1000 a second: each 1 s interval has
# room for all of them (the live view's table starts afresh every interval). Under qemu TCG
# processes start slowly: a table of 256, three times over.
sz= nchurn=6144 pace=1000
if $hist; then
	sz="--size 256" nchurn=768 pace=200
fi

# wait_lines FILE N: wait until FILE has N lines (a guard against a hang, not a timing test).
wait_lines() {
	i=0
	while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "$1 never reached $2 lines: $(tail -c 600 "$1")"
		kill -0 "$tpid" 2>/dev/null || fail "top ended early: $(tail -c 600 "$1") $(cat "$tmp/top.err")"
		sleep 0.1
	done
}

# count_in LINE KEYTEXT: the count of the row whose key is KEYTEXT in a JSON table line.
count_in() {
	printf '%s\n' "$1" | sed 's/},{"key"/}\n{"key"/g' | grep -F "$2" |
		sed -n 's/.*"count":\([0-9]*\).*/\1/p' | head -n 1
}

: >"$tmp/top.json"
: >"$tmp/top2.json"
# 1. Batch: getppid calls per process, exact. The churn's children make 3 getppid calls each.
"$FTRIG" top syscalls:sys_enter_getppid --key common_pid.execname $sz -b -d 1 -n 100000 \
	--json >"$tmp/top.json" 2>"$tmp/top.err" &
tpid=$!
wait_lines "$tmp/top.json" 1
"$churn" $nchurn $pace "$tmp/progress" >/dev/null || fail "churn failed"
"$wl" --comm "$name" --getppid 3000 >/dev/null &
wp=$!
wait $wp || fail "workload failed"
before=$(wc -l <"$tmp/top.json")
wait_lines "$tmp/top.json" $((before + 2))
second=$(sed -n "$((before + 2))p" "$tmp/top.json")
got=$(count_in "$second" "{\"pid\":$wp,\"comm\":\"$name\"}")
[ "$got" = 3000 ] ||
	fail "batch: the marker counted '$got' in the second table after it ended, expected 3000: $(printf '%s' "$second" | head -c 400)"
# The churn was seen too (the table did not stop taking new processes)
all=$(sed 's/},{"key"/}\n{"key"/g' "$tmp/top.json" | grep -c '"comm":"churn"')
[ "$all" -ge $((nchurn / 3)) ] || fail "batch: only $all churn rows seen over the run"
kill -TERM "$tpid"
wait "$tpid"
tpid=
state_empty

# 2. TOP-8: a shell that execs the program is shown under the program's name, not 'sh'.
# Every system call of the machine counts here: beside another run's churn (two tiers side
# by side) an interval sees more processes than the default table holds, and the marker's
# would be dropped. The table's size is not what this part is about: room for them all.
"$FTRIG" top raw_syscalls:sys_enter --key common_pid.execname --size 16384 -b -d 1 \
	-n 100000 --json >"$tmp/top2.json" 2>"$tmp/top.err" &
tpid=$!
wait_lines "$tmp/top2.json" 1
sh -c "exec \"$wl\" --comm ${name}x --getppid 100 >/dev/null" &
wp=$!
wait $wp || fail "workload failed"
before=$(wc -l <"$tmp/top2.json")
wait_lines "$tmp/top2.json" $((before + 2))
second=$(sed -n "$((before + 2))p" "$tmp/top2.json")
row=$(printf '%s\n' "$second" | sed 's/},{"key"/}\n{"key"/g' | grep -F "\"pid\":$wp,")
contains "$row" "\"comm\":\"${name}x\"" "TOP-8: the row of pid $wp after its exec"
got=$(count_in "$second" "\"pid\":$wp,")
[ "${got:-0}" -ge 100 ] || fail "TOP-8: pid $wp counted '$got' system calls, expected 100 or more"
kill -TERM "$tpid"
wait "$tpid"
tpid=
state_empty

# 3. The live view in a terminal: the same, the marker found by the filter.
tmux_start 160 40 "\"$FTRIG\" top -d 1 syscalls:sys_enter_getppid --key common_pid.execname $sz"
tmux_wait "RATE/s"
# Why BPF counts here is said on the screen, not only on stderr behind it (TOP-1)
$hist || tmux_wait "with BPF: this kernel has no hist triggers"
"$churn" $nchurn $pace "$tmp/progress" >/dev/null || fail "churn failed"
"$wl" --comm "$name" --getppid 3000 >/dev/null &
wp=$!
wait $wp || fail "workload failed"
tmux_keys /
tmux_keys "$name" Enter
i=0
while :; do
	row=$(tmux_screen | grep "^$name \[$wp\] " | head -n 1)
	set -- $row
	[ "${3:-0}" -ge 3000 ] 2>/dev/null && break
	i=$((i + 1))
	[ $i -lt 300 ] || fail "live view: no row of the marker with its count: $(tmux_screen)"
	sleep 0.1
done
[ "$3" = 3000 ] || fail "live view: the marker counted '$3', expected 3000: $row"
case $(tmux_screen) in *"not counted"*) fail "live view: events lost: $(tmux_screen)" ;; esac
tmux_keys q
tmux_exited
[ "$tmux_rc" = 0 ] || fail "top exited $tmux_rc after q"
tmux_restored
state_empty

# 4. A hist trigger keeps every key it saw: once full, the view says so and what to do.
if $hist; then
	: >"$tmp/top3.txt"
	"$FTRIG" top syscalls:sys_enter_getppid --key common_pid.execname --backend hist \
		--size 128 -b -d 1 -n 100000 >"$tmp/top3.txt" 2>"$tmp/top.err" &
	tpid=$!
	wait_lines "$tmp/top3.txt" 1
	# The notice is about the interval that lost events, which may end before churn does:
	# look from where churn starts.
	before=$(wc -l <"$tmp/top3.txt")
	"$churn" 400 200 "$tmp/progress" >/dev/null || fail "churn failed"
	i=0
	until tail -n +"$before" "$tmp/top3.txt" | grep -q "events not counted"; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "hist: no notice of lost events: $(tail -c 800 "$tmp/top3.txt")"
		sleep 0.1
	done
	note=$(tail -n +"$before" "$tmp/top3.txt" | grep "events not counted" | head -n 1)
	contains "$note" "hist trigger's table is full (128 keys" "hist: the notice"
	contains "$note" "--size 256, or --backend bpf" "hist: the fix"
	kill -TERM "$tpid"
	wait "$tpid"
	tpid=
	state_empty

	# 5. TOP-8 on a hist trigger, which keeps the comm of the entry's first event ('sh',
	# before the exec): the view shows the name the process has while it runs, and keeps it
	# once the process is gone.
	: >"$tmp/top4.json"
	"$FTRIG" top raw_syscalls:sys_enter --key common_pid.execname --backend hist -b -d 1 \
		-n 100000 --json >"$tmp/top4.json" 2>"$tmp/top.err" &
	tpid=$!
	wait_lines "$tmp/top4.json" 1
	sh -c "exec \"$wl\" --comm ${name}h --pre-sleep 600000 --getppid 1 >/dev/null" &
	wp=$!
	i=0
	until tail -n 1 "$tmp/top4.json" | grep -qF "{\"pid\":$wp,\"comm\":\"${name}h\"}"; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "hist: pid $wp never shown as ${name}h: $(tail -n 1 "$tmp/top4.json" | head -c 600)"
		kill -0 "$tpid" 2>/dev/null || fail "top ended early: $(cat "$tmp/top.err")"
		sleep 0.1
	done
	kill -TERM "$wp"
	wait "$wp"
	before=$(wc -l <"$tmp/top4.json")
	wait_lines "$tmp/top4.json" $((before + 2))
	second=$(sed -n "$((before + 2))p" "$tmp/top4.json")
	contains "$second" "{\"pid\":$wp,\"comm\":\"${name}h\"}" "hist: the name of pid $wp once it is gone"
	kill -TERM "$tpid"
	wait "$tpid"
	tpid=
	state_empty
fi
exit 0
