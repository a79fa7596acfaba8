# hist start --backend bpf: a pinned BPF aggregation that the hist verbs (show, dump, pause,
# cont, clear, rm), info and cleanup treat by event and name exactly as a kernel hist. Where
# the kernel has no hist triggers, --backend auto picks BPF and says so.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
private_state

E=syscalls:sys_enter_getppid
N=ft$$
C=wl$$
W=$FTRIG_HELPERS/workload
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; "$FTRIG" hist rm $E --name ${N}a >/dev/null 2>&1; "$FTRIG" hist rm $E --name ${N}b >/dev/null 2>&1; "$FTRIG" hist rm syscalls:sys_enter_clock_nanosleep --name ${N}l >/dev/null 2>&1; "$FTRIG" hist rm syscalls:sys_enter_getpgid --name ${N}f >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

# count [NAME]: the workload's hitcount in the aggregation's (NAME's, or $N's) CSV dump.
count() {
	"$FTRIG" hist dump $E --name "${1:-$N}" --format csv | awk -F, -v c="$C" '$2 == c { s += $3 } END { print s + 0 }'
}

# Keyed by every process that calls getppid: the largest table, so that a machine churning
# processes meanwhile does not fill it (a full table drops new keys: the workload's).
expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --name $N --backend bpf \
	--size 131072
contains "$out" "counting $E with BPF as '$N'" "hist start --backend bpf"
[ -d /sys/fs/bpf/ftrig/$N ] || fail "not pinned under /sys/fs/bpf/ftrig/$N"
"$W" --comm "$C" --getppid 1234 >/dev/null
[ "$(count)" = 1234 ] || fail "counted $(count) getppid calls, the workload made 1234"

expect_exit 0 "$FTRIG" hist show $E --name $N
contains "$out" "hitcount:       1234" "hist show"
contains "$out" "# trigger info: hist:keys=common_pid.execname:vals=hitcount" "hist show"
# suggested MSG WHAT: $out says MSG and suggests $N, first; another run's aggregation on the
# same event (a second tier beside this one) may be suggested after it.
suggested() {
	printf '%s\n' "$out" | grep -q -e "$1; did you mean $N[?, ]" ||
		fail "$2: lacks '$1; did you mean $N' ($N first, whole): $out"
}
# a name misspelt: the aggregation's own is suggested, for show and for the control verbs
expect_exit 1 "$FTRIG" hist show $E --name ${N}x
suggested "no hist named '${N}x' on $E" "hist show of a misspelt name"
expect_exit 1 "$FTRIG" hist pause $E --name ${N}x
suggested "has no hist named ${N}x" "hist pause of a misspelt name"
# the same words on every kernel: not "no BPF aggregation counts" the event (no hist
# triggers), nor "no hist trigger with that name" from the first refresh (hist triggers)
expect_exit 1 "$FTRIG" top --attach $E --name ${N}x -b -n 1 -d 0.2
suggested "has no hist named ${N}x" "top --attach of a misspelt name"
expect_exit 0 "$FTRIG" top --attach $E --name $N -b -n 1 -d 0.2
echo "$out" | grep -q "^$C \[[0-9]*\] *1234 " || fail "top --attach does not show 1234 for $C: $out"
# TOP-6: the one table is measured over an interval: LAST and RATE, not '-'.
echo "$out" | grep -q "^$C \[[0-9]*\] *1234 *0 *0.0$" || fail "top -b -n 1 without rates: $out"
# FIG-9: --json keys typed as in hist dump, numbers as numbers.
expect_exit 0 "$FTRIG" top --attach $E --name $N --json -n1 -d 0.2
contains "$out" "\"comm\":\"$C\"}},\"count\":1234,\"last\":0,\"rate\":0}" "top --json typed keys"
echo "$out" | grep -q '{"key":{"common_pid.execname":{"pid":[0-9]*,' || fail "the pid is not a number: $out"
expect_exit 0 "$FTRIG" trigger ls $E
contains "$out" "ftrig     $E  bpf:hist:keys=common_pid.execname:vals=hitcount" "trigger ls"
expect_exit 0 "$FTRIG" info
contains "$out" "BPF aggregation on $E pinned at /sys/fs/bpf/ftrig/$N" "info"

expect_exit 0 "$FTRIG" hist pause $E --name $N
"$W" --comm "$C" --getppid 100 >/dev/null
[ "$(count)" = 1234 ] || fail "a paused aggregation counted: $(count)"
expect_exit 0 "$FTRIG" hist cont $E --name $N
"$W" --comm "$C" --getppid 100 >/dev/null
[ "$(count)" = 1334 ] || fail "after cont: $(count), expected 1334"
expect_exit 0 "$FTRIG" hist clear $E --name $N
[ "$(count)" = 0 ] || fail "after clear: $(count)"

# Clears while two processes count: each key stays one entry, and the table counts exactly
# again afterwards (a clear hands the slots out anew).
"$W" --comm "$C" --getppid 300000 >/dev/null &
w1=$!
"$W" --comm "${C}x" --getppid 300000 >/dev/null &
w2=$!
for i in 1 2 3 4 5; do
	expect_exit 0 "$FTRIG" hist clear $E --name $N
	dup=$("$FTRIG" hist dump $E --name $N --format csv | cut -d, -f1 | sort | uniq -d)
	[ -z "$dup" ] || fail "a key listed twice after a clear under load: $dup"
done
wait $w1 $w2
expect_exit 0 "$FTRIG" hist clear $E --name $N
"$W" --comm "$C" --getppid 500 >/dev/null
[ "$(count)" = 500 ] || fail "after clears under load: counted $(count) of 500"

# A clear while a process lives on: its CPU's front (agg.bpf.c) still names the slot its key
# had, which the clear may hand to another key. The process stays on one CPU across the
# clear; another, on another CPU (whose front it fills), takes the first slot after it; the
# first process's later calls must count under its own key, not in the slot its CPU
# remembered. On getpgid(-1) (x86_64's call 121), which nobody else makes: another process's
# event on that CPU would refill its front and hide the fault.
if [ "$(uname -m)" = x86_64 ] && [ "$(nproc)" -ge 2 ]; then
	G=syscalls:sys_enter_getpgid
	expect_exit 0 "$FTRIG" hist start $G --key common_pid.execname --filter 'pid == -1' \
		--name ${N}f --backend bpf
	# of COMM: COMM's hitcount in ${N}f
	of() { "$FTRIG" hist dump $G --name ${N}f --format csv | awk -F, -v c="$1" '$2 == c { s += $3 } END { print s + 0 }'; }
	taskset -c $(($(nproc) - 1)) "$W" --comm "$C" --syscall 121:100 --sleep 1:3000000 \
		--syscall 121:50 >/dev/null &
	w1=$!
	i=0
	while [ "$(of "$C")" != 100 ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(of "$C")" = 100 ] || fail "the first 100 calls were counted $(of "$C") times"
	expect_exit 0 "$FTRIG" hist clear $G --name ${N}f
	taskset -c 0 "$W" --comm "${C}y" --syscall 121:70 >/dev/null
	wait $w1
	[ "$(of "$C")" = 50 ] || fail "after a clear, a living process counted $(of "$C") of 50 calls"
	[ "$(of "${C}y")" = 70 ] || fail "after a clear, the next process counted $(of "${C}y") of 70"
	expect_exit 0 "$FTRIG" hist rm $G --name ${N}f
fi

# The plan picks the aggregator's build (-v says which): a key of a number and at most two
# conditions load the small one, a third condition the full one. Both count exactly.
for case in "small:common_pid > 0 && common_pid != 1" \
	"full:common_pid > 0 && common_pid != 1 && common_pid != 2"; do
	build=${case%%:*}
	expect_exit 0 "$FTRIG" -v hist start $E --key common_pid.execname --filter "${case#*:}" \
		--name ${N}b --backend bpf
	contains "$out" "BPF aggregator: the $build build" "the $build build"
	contains "$out" "verified" "the $build build's verifier statistics"
	"$W" --comm "$C" --getppid 777 >/dev/null
	got=$(count ${N}b)
	[ "$got" = 777 ] || fail "the $build build counted $got getppid calls, the workload made 777"
	expect_exit 0 "$FTRIG" hist rm $E --name ${N}b
done

expect_exit 1 "$FTRIG" hist start $E --key common_pid.execname --name $N --backend bpf
contains "$out" "exists already" "a second aggregation of the same name"
expect_exit 1 "$FTRIG" hist start $E --key common_pid --name bad.name --backend bpf
contains "$out" "cannot name a BPF aggregation" "a name bpffs refuses"
expect_exit 1 "$FTRIG" hist start $E --key no_such_field --backend bpf
contains "$out" "no_such_field" "an unknown field"

# TOP-5: top --attach to an aggregation removed meanwhile says so and fails.
"$FTRIG" top --attach $E --name $N -b -n 20 -d 0.3 >"$FTRIG_STATE_DIR/top5" 2>&1 &
tp=$!
i=0
until grep -q "^common_pid" "$FTRIG_STATE_DIR/top5"; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "no first table after 20 s: $(cat "$FTRIG_STATE_DIR/top5")"
	sleep 0.1
done
expect_exit 0 "$FTRIG" hist rm $E --name $N
[ ! -d /sys/fs/bpf/ftrig/$N ] || fail "hist rm left the pins"
rc=0
wait $tp || rc=$?
[ $rc = 1 ] || fail "top --attach exited $rc after its aggregation went: $(cat "$FTRIG_STATE_DIR/top5")"
grep -q "no hist trigger there (any more)" "$FTRIG_STATE_DIR/top5" ||
	fail "top --attach did not say the aggregation went: $(cat "$FTRIG_STATE_DIR/top5")"
[ "$(grep -c '^ftrig top ' "$FTRIG_STATE_DIR/top5")" -lt 20 ] || fail "top went on showing frozen tables"
expect_exit 1 "$FTRIG" hist show $E --name $N

if [ "$FTRIG_TIER" = host ]; then
	# No hist triggers here: auto counts with BPF and says why.
	expect_exit 0 "$FTRIG" hist start $E --key common_pid --name ${N}a
	contains "$out" "with BPF: this kernel has no hist triggers" "auto on this kernel"
else
	expect_exit 0 "$FTRIG" hist start $E --key common_pid --name ${N}a --backend bpf
fi
# --latency: the time between two events of a thread, as a log2 histogram (BPF counts it
# directly): the workload's 10 ms and 80 ms sleeps land in ~ 2^14 and ~ 2^17 microseconds.
L=syscalls:sys_enter_clock_nanosleep
expect_exit 0 "$FTRIG" hist start --latency $L,syscalls:sys_exit_clock_nanosleep --key comm \
	--name ${N}l
"$W" --comm "$C" --sleep 5:10000 --sleep 3:80000 >/dev/null
expect_exit 0 "$FTRIG" hist show $L --name ${N}l
# A sleep is never shorter than asked; woken late on a loaded machine it may land a bucket or
# two higher: 5 in 2^14..2^16, 3 in 2^17..2^19, 8 in all.
got=$(echo "$out" | grep "comm: $C " |
	sed -n 's/.*lat: ~ 2^\([0-9]*\) } hitcount: *\([0-9]*\)$/\1 \2/p' |
	awk '{ if ($1 >= 14 && $1 <= 16) s += $2; if ($1 >= 17 && $1 <= 19) l += $2; n += $2 }
		END { print s + 0, l + 0, n + 0 }')
[ "$got" = "5 3 8" ] || fail "sleeps (10 ms, 80 ms, all): got '$got', want '5 3 8' in: $out"
contains "$out" "# unit: lat in us" "the latency's unit (FIG-8)"
# CMD-4: found by its END event too, by every verb.
expect_exit 0 "$FTRIG" hist show syscalls:sys_exit_clock_nanosleep --name ${N}l
contains "$out" "latency until syscalls:sys_exit_clock_nanosleep" "show by the END event"
expect_exit 0 "$FTRIG" hist dump syscalls:sys_exit_clock_nanosleep --name ${N}l
contains "$out" '"type":"log2","signed":false,"unit":"us"' "the JSON dump's unit"
expect_exit 0 "$FTRIG" hist dump $L --name ${N}l --format csv
contains "$out" "lat_lo_us,lat_hi_us" "the CSV dump's unit"
expect_exit 0 "$FTRIG" hist stats syscalls:sys_exit_clock_nanosleep --name ${N}l --key lat
contains "$out" "key lat.log2 (in us)" "stats names the unit"
# (all processes' sleeps are counted: the numbers vary, their form does not)
echo "$out" | grep -q "^max    [0-9]* us$" || fail "stats values carry the unit: $out"
echo "$out" | grep -q "^p50    [0-9]*\.[0-9][0-9] us$" || fail "interpolated p50 in us: $out"
expect_exit 0 "$FTRIG" hist stats $L --name ${N}l --key lat --json
contains "$out" '"unit":"us"' "stats --json unit"
# top names the unit in the key's title and in --json (FIG-8); rates have 6 digits (FIG-9).
expect_exit 0 "$FTRIG" top --attach $L --name ${N}l -b -n1 -d 0.2
contains "$out" "lat.log2 (us)" "top's key title names the unit"
expect_exit 0 "$FTRIG" top --attach $L --name ${N}l --json -n1 -d 0.2
contains "$out" '"units":{"lat.log2":"us"}' "top --json units"
echo "$out" | grep -q '"\(rate\|hits_per_s\)":[0-9]*\.[0-9]\{7,\}' && fail "a rate with 17 digits: $out"
expect_exit 0 "$FTRIG" hist rm syscalls:sys_exit_clock_nanosleep --name ${N}l

# cleanup --all removes pinned aggregations through the ledger.
expect_exit 0 "$FTRIG" cleanup --all
contains "$out" "removed BPF aggregation on $E pinned at /sys/fs/bpf/ftrig/${N}a" "cleanup --all"
[ ! -d /sys/fs/bpf/ftrig/${N}a ] || fail "cleanup --all left the pins"
exit 0
