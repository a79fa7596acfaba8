# Several syscall events in one BPF aggregation (`hist start EVENT EVENT... | GLOB`): one
# program on raw_syscalls' raw tracepoint gated by call number serves them. Its counts must be
# exactly the classic tracepoints' (FTRIG_BPF_CLASSIC=1): the workload's known calls, their
# arguments (read sizes from pt_regs) and return values. Native semget calls are counted as
# semget; the compat calls (int 0x80 getppid, whose number 64 is native semget's) are left out,
# as the syscalls:* events leave them out. Whether the kernel runs compat calls at all is
# probed, not assumed: where it does not, the native half still runs (and counts as a pass),
# and in the VM tier, whose Debian 6.1 kernel does run them, their absence is a failure.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
W=$FTRIG_HELPERS/workload
private_state
comm=bs$$
name=t72_$$
cleanup() {
	"$FTRIG" hist rm syscalls:sys_enter_getppid --name "$name" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_enter_read --name "$name" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_enter_pread64 --name "$name" >/dev/null 2>&1
	"$FTRIG" hist rm syscalls:sys_exit_read --name "$name" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
int80=
if compat_syscalls; then
	int80="--int80 100"
else
	[ "$FTRIG_TIER" != vm ] || fail "the VM kernel must run compat calls: $compat_why"
	echo "compat calls not checked here ($compat_why); native calls only"
fi

# counted EVENT WANT...: dump our comm's rows as "key,key,hitcount" and remove, both by
# EVENT (any of the aggregation's events finds it); fail unless the rows are exactly WANT.
counted() {
	ev=$1
	shift
	got=$("$FTRIG" hist dump "$ev" --name "$name" --format csv |
		awk -F, -v c="$comm" '$0 ~ c { $1 = $1; print }' OFS=, | sort)
	want=$(printf '%s\n' "$@" | sort)
	expect_exit 0 "$FTRIG" hist rm "$ev" --name "$name"
	[ "$got" = "$want" ] || fail "$mode: rows of $comm: got '$got', want '$want'"
}

for mode in raw classic; do
	[ $mode = classic ] && export FTRIG_BPF_CLASSIC=1

	# The call numbers, by glob: getppid and the sem* calls (int 0x80's getppid is semget's
	# number among native calls).
	expect_exit 0 "$FTRIG" hist start syscalls:sys_enter_getppid 'syscalls:sys_enter_sem*' \
		--key __syscall_nr.syscall --key comm --name "$name"
	contains "$out" "events) with BPF as '$name'" "$mode: glob start"
	expect_exit 0 "$FTRIG" trigger ls syscalls:sys_enter_semget
	contains "$out" "bpf:hist:keys=__syscall_nr.syscall,comm" "$mode: trigger ls of a further event"
	contains "$out" "more events)" "$mode: trigger ls of a further event"
	"$W" --comm "$comm" $int80 --getppid 77 --syscall 64:4 >/dev/null || fail "workload failed"
	counted syscalls:sys_enter_semop "110,sys_getppid,$comm,77" "64,sys_semget,$comm,4"

	# An argument: read's count, the same register in pread64's record.
	expect_exit 0 "$FTRIG" hist start syscalls:sys_enter_read syscalls:sys_enter_pread64 \
		--key comm --key count --name "$name"
	"$W" --comm "$comm" --read 5:100 --read 3:7 >/dev/null || fail "workload failed"
	counted syscalls:sys_enter_pread64 "$comm,100,5" "$comm,7,3"

	# Return values at sys_exit.
	expect_exit 0 "$FTRIG" hist start syscalls:sys_exit_read syscalls:sys_exit_getppid \
		--key comm --key __syscall_nr.syscall --key ret.log2 --name "$name"
	"$W" --comm "$comm" --read 5:100 --read 3:7 >/dev/null || fail "workload failed"
	# ret.log2 is a bucket [lo,hi) in CSV: 100 in [65,129), 7 in [5,9)
	counted syscalls:sys_exit_read "$comm,0,sys_read,65,129,5" "$comm,0,sys_read,5,9,3"
done
unset FTRIG_BPF_CLASSIC

# top: a glob is one tab, the events it matches counted into one table. The table is watched
# from its first snapshot on, so the workload's calls land in a later one, exactly. Keyed by
# process: the largest table, which a machine churning processes does not fill in a second.
"$FTRIG" top 'syscalls:sys_enter_getp*' --key common_pid --key __syscall_nr.syscall \
	--size 131072 -b -n 4 -d 1 >"$FTRIG_STATE_DIR/top.out" 2>&1 &
tp=$!
i=0
until grep -q "^common_pid" "$FTRIG_STATE_DIR/top.out"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "top printed no table: $(cat "$FTRIG_STATE_DIR/top.out")"
	sleep 0.1
done
pid=$("$W" --comm "$comm" --getppid 321 | sed -n 's/^pid //p')
wait $tp || fail "top of a glob failed: $(cat "$FTRIG_STATE_DIR/top.out")"
grep -q "^ftrig top .* bpf  every" "$FTRIG_STATE_DIR/top.out" || fail "top of a glob: not BPF"
awk '/^common_pid/ { t = ""; next } { t = t $0 "\n" } END { printf "%s", t }' \
	"$FTRIG_STATE_DIR/top.out" | grep -q "^$pid  *sys_getppid  *321 " ||
	fail "top of a glob: no row '$pid sys_getppid 321' in its last table: $(cat "$FTRIG_STATE_DIR/top.out")"

# Several events are BPF's: hist triggers count one event each.
expect_exit 1 "$FTRIG" hist start syscalls:sys_enter_getppid syscalls:sys_enter_read --key comm \
	--backend hist
contains "$out" "a hist trigger counts one event; 2 events in one table need BPF" "hist refused"
expect_exit 1 "$FTRIG" hist start 'syscalls:sys_enter_nosuch*' --key comm --name "$name"
contains "$out" "no event matches syscalls:sys_enter_nosuch*" "glob matching nothing"
[ ! -e "/sys/fs/bpf/ftrig/$name" ] || fail "pins left in /sys/fs/bpf/ftrig/$name"
