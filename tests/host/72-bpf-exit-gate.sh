# Syscall events of both directions in one BPF aggregation: sys_enter_* events share one
# attachment at raw_syscalls' sys_enter, sys_exit_* events a second one at sys_exit (the call
# number read from pt_regs), not one perf event each. Counted exactly as bpftrace counts the
# same events on the same workload: per event (--key event, the tag each gate finds by call
# number), all sys_exit_* events at once, and with filters the gates apply themselves (on the
# call number at both, on the return value at sys_exit). The pins show how many attachments
# each aggregation took. Other tracepoints, when the aggregation reads nothing of their
# records, are counted on their own raw tracepoints (no perf event): exactly too. Every
# aggregation runs twice, the second time on the classic tracepoints (FTRIG_BPF_CLASSIC=1,
# one perf event per event), and the two must agree: the oracle where bpftrace is missing
# (the VM tier).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
[ "$(uname -m)" = x86_64 ] || skip "the raw syscall gates are x86_64's"
W=$FTRIG_HELPERS/workload
private_state
comm=bx$$
names=""
bpt_out=${TMPDIR:-/tmp}/ftrig-t72x-bpftrace.$$
bpt_pid=
cleanup() {
	[ -z "$bpt_pid" ] || kill "$bpt_pid" 2>/dev/null
	for n in $names; do
		"$FTRIG" hist rm "${n#*=}" --name "${n%%=*}" >/dev/null 2>&1
	done
	rm -rf "$FTRIG_STATE_DIR" "$bpt_out" "$bpt_out.w"
}
trap cleanup EXIT

# links NAME: the attachments of pinned aggregation NAME.
links() { ls "/sys/fs/bpf/ftrig/$1" | grep -c '^link_'; }

# rows NAME [EVENT]: our comm's rows of NAME as "key,count" (the comm column dropped).
rows() {
	"$FTRIG" hist dump "${2:-syscalls:sys_exit_read}" --name "$1" --format csv |
		grep -e ",$comm," | sed "s/,$comm,/,/" | sort
}

# bpftrace's map @M as "key,count".
oracle() { sed -n "s/^@$1\[\(tracepoint:\)\{0,1\}\(.*\)\]: \([0-9]*\)\$/\2,\3/p" "$bpt_out" | sort; }

# start M EVENT... -- ARGS: aggregation M (name t72M_PID, by any of its EVENTs: EVENT), raw
# and, as M k, classic.
start() {
	m=$1 ev=$2
	shift 2
	names="$names t72${m}_$$=$ev t72${m}k_$$=$ev"
	expect_exit 0 "$FTRIG" hist start "$@" --name "t72${m}_$$" --backend bpf
	expect_exit 0 env FTRIG_BPF_CLASSIC=1 "$FTRIG" hist start "$@" --name "t72${m}k_$$" --backend bpf
}
# raw_links NAME: bpftool's view of NAME's attachments; where there is no bpftool (the VM), a
# stand-in for a raw tracepoint's, naming every one the pins hold (their kinds go unchecked).
raw_links() {
	for l in "/sys/fs/bpf/ftrig/$1"/link_*; do
		if command -v bpftool >/dev/null 2>&1; then
			bpftool link show pinned "$l"
		else
			echo "raw_tracepoint tp '${2:-?}'"
		fi
	done
}

# a: both directions, per event (the tag of each call number's event, at each gate).
start a syscalls:sys_exit_read 'syscalls:sys_*_read*' --key event --key comm
contains "$out" "counting syscalls:sys_*_read* (" "a: glob of both directions"
[ "$(links t72a_$$)" = 2 ] || fail "a: $(links t72a_$$) attachments, want 2 (one raw gate each way)"
[ -e "/sys/fs/bpf/ftrig/t72a_$$/prog_a_raw2" ] || fail "a: no second raw gate pinned"
[ "$(links t72ak_$$)" -gt 2 ] || fail "ak: $(links t72ak_$$) attachments: not classic"
# b: every sys_exit_* event, by call number: one attachment (and one perf event each for the
# few calls this build knows no number of).
start b syscalls:sys_exit_read 'syscalls:sys_exit_*' --key __syscall_nr --key comm
[ "$(links t72b_$$)" -lt 10 ] || fail "b: $(links t72b_$$) attachments for the sys_exit_* events"
# c: the same, filtered on the return value at the gate.
start c syscalls:sys_exit_read 'syscalls:sys_exit_*' --key __syscall_nr --key comm --filter 'ret < 0'
[ "$(links t72c_$$)" -lt 10 ] || fail "c: $(links t72c_$$) attachments for the sys_exit_* events"
# d: both directions, filtered on the call number (read itself, not readv or readlink).
start d syscalls:sys_exit_read 'syscalls:sys_*_read*' --key event --key comm \
	--filter '__syscall_nr == 0'
[ "$(links t72d_$$)" = 2 ] || fail "d: $(links t72d_$$) attachments, want 2"
# e: tracepoints of their own, by a glob, keyed by what no record holds: raw tracepoints (every
# process of the machine: a table that does not fill while a busy machine forks).
start e sched:sched_process_exit 'sched:sched_process_*' --key common_pid.execname --size 32768
raw_links t72e_$$ | grep -q perf_event && fail "e: perf events: $(raw_links t72e_$$)"
raw_links t72e_$$ | grep -q "raw_tracepoint" || fail "e: no raw tracepoint: $(raw_links t72e_$$)"
# f: one such tracepoint alone (every system call of our process).
start f raw_syscalls:sys_enter raw_syscalls:sys_enter --key comm
raw_links t72f_$$ sys_enter | grep -q "tp 'sys_enter'" || fail "f: not raw: $(raw_links t72f_$$)"

bt=
if command -v bpftrace >/dev/null 2>&1; then
	bt=1
	# the programs there before bpftrace's (bpftool and jq, where the host has them)
	progs_before=
	command -v bpftool >/dev/null 2>&1 && command -v jq >/dev/null 2>&1 &&
		progs_before=$(bpftool -j prog show | jq -c '[.[].id]')
	oracle_start "tracepoint:syscalls:sys_enter_read*,tracepoint:syscalls:sys_exit_read*
		/comm == \"$comm\"/ { @a[probe] = count(); if (args->__syscall_nr == 0) { @d[probe] = count(); } }
	tracepoint:syscalls:sys_exit_* /comm == \"$comm\"/ {
		@b[args->__syscall_nr] = count(); if (args->ret < 0) { @c[args->__syscall_nr] = count(); } }
	tracepoint:sched:sched_process_* { @e[pid] = count(); }
	tracepoint:raw_syscalls:sys_enter /comm == \"$comm\"/ { @f[comm] = count(); }
	tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
fi
int80=
compat_syscalls && int80="--int80 9"
"$W" --comm "$comm" --read 5:100 --read 3:7 --getppid 11 --syscall 64:4 $int80 \
	--open 2:/dev/null >"$bpt_out.w" || fail "workload failed"
pid=$(sed -n 's/^pid //p' "$bpt_out.w")
# What the kernel skipped of bpftrace's programs on e's events (classic tracepoints, skipped
# like ftrig's, which bpftrace does not say): its programs are the new ones named after them
# (bpftool here lists no owners), read before it ends.
bt_missed=0
if [ -n "$bt" ] && [ -n "$progs_before" ]; then
	bt_missed=$(bpftool -j prog show | jq --argjson old "$progs_before" '[.[] |
		select((.id as $i | $old | index($i) | not) and
			((.name // "") | startswith("sched_process"))) |
		.recursion_misses // 0] | add // 0')
fi
[ -z "$bt" ] || oracle_stop

# got M NAME: aggregation M's rows for our workload, from NAME.
got() {
	case $1 in
	# by the workload's pid, keyed as common_pid (its exec and its exit)
	e) "$FTRIG" hist dump sched:sched_process_exit --name "$2" --format csv |
		awk -F, -v p="$pid" '$1 == p { print $1 "," $3 }' ;;
	f) "$FTRIG" hist dump raw_syscalls:sys_enter --name "$2" --format csv | grep "^$comm," ;;
	*) rows "$2" ;;
	esac
}
# missed NAME EVENT: what NAME says the kernel skipped of its program (host/76-bpf-missed).
missed() {
	n=$("$FTRIG" hist show "$2" --name "$1" | sed -n 's/^# missed: \([0-9]*\) .*/\1/p')
	echo "${n:-0}"
}
for m in a b c d e f; do
	got=$(got $m "t72${m}_$$")
	classic=$(got $m "t72${m}k_$$")
	[ -n "$got" ] || fail "$m: nothing counted"
	# e's sched_process_free comes in an RCU softirq: on a busy machine (bpftrace, another
	# session) the classic program is skipped when it interrupts BPF, and says so.
	cn=${classic#*,}
	if [ $m = e ] && [ "$got" != "$classic" ] && [ "${cn:-0}" -lt "${got#*,}" ] &&
		[ $((${got#*,} - ${cn:-0})) -le "$(missed t72ek_$$ sched:sched_process_exit)" ]; then
		classic=$got
	fi
	[ "$got" = "$classic" ] || fail "$m: raw '$got', classic '$classic'"
	[ -n "$bt" ] || continue
	want=$(oracle $m)
	[ $m != e ] || want=$(oracle e | grep "^$pid,")
	# bpftrace's shortfall on e only as far as the kernel counted its programs' skipped runs
	bn=${want#*,}
	if [ $m = e ] && [ -n "$want" ] && [ "$got" != "$want" ] && [ "$bn" -lt "${got#*,}" ] &&
		[ $((${got#*,} - bn)) -le "$bt_missed" ]; then
		want=$got
	fi
	[ "$got" = "$want" ] || fail "$m: ftrig '$got', bpftrace '$want' (its skipped runs: $bt_missed)"
done
# The workload's own calls, as a check on the oracles: 8 reads each way, 11 getppid, 4 semget
# (all failing), and no compat call.
rows t72a_$$ | grep -qx 'syscalls:sys_exit_read,8' || fail "a: no 8 sys_exit_read: $(rows t72a_$$)"
rows t72b_$$ | grep -qx '110,11' || fail "b: no 11 getppid: $(rows t72b_$$)"
rows t72c_$$ | grep -qx '64,4' || fail "c: no 4 failed semget: $(rows t72c_$$)"
for n in $names; do
	expect_exit 0 "$FTRIG" hist rm "${n#*=}" --name "${n%%=*}"
	[ ! -e "/sys/fs/bpf/ftrig/${n%%=*}" ] || fail "pins left in /sys/fs/bpf/ftrig/${n%%=*}"
done
names=
exit 0
