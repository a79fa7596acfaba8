# The BPF backend on uprobe events reads the probe's arguments fetched from registers ($argN,
# %REG, $retval): keys, sums and filters give bpftrace's numbers exactly on one workload, and
# a log2 key the kernel's buckets of them; an argument read from memory is refused with the
# reason and no advice this kernel cannot follow (CMD-5, #16).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require uprobe_events,bpf >/dev/null 2>&1 || skip "needs uprobe events and BPF"
[ "$(uname -m)" = x86_64 ] || skip "probe arguments from registers: x86_64 only"
W=$FTRIG_HELPERS/workload
private_state
G=ftpa$$
N=t77_$$
comm=pa$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t77-bpftrace.$$
bpt_pid= peer=
cleanup() {
	[ -z "$bpt_pid" ] || kill "$bpt_pid" 2>/dev/null
	for e in ent ret; do
		for k in 1 2 3; do "$FTRIG" hist rm $G:$e --name $N$k >/dev/null 2>&1; done
	done
	"$FTRIG" probe rm --group $G >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR" "$bpt_out"
}
trap cleanup EXIT
# rows EVENT NAME: the aggregation's rows without the header, sorted
rows() { "$FTRIG" hist dump "$1" --name "$2" --format csv | sed 1d | sort; }

expect_exit 0 "$FTRIG" probe add -g $G --name ent "$W:workload_target" 'n=$arg1' 'm=$arg2:s32' 'd=+0(%sp):u64'
expect_exit 0 "$FTRIG" probe add -r -g $G --name ret "$W:workload_target" 'r=$retval:s64'

# From memory: refused, saying so, without --backend hist where the kernel has no hist
# triggers.
expect_exit 1 "$FTRIG" hist start $G:ent --key d --name ${N}1 --backend bpf
contains "$out" "'d' of $G:ent is fetched as '+0(%sp)', read from memory, and BPF sees only the probe's registers" "a memory argument"
if ! "$FTRIG" info --require hist_triggers >/dev/null 2>&1; then
	case $out in *"--backend hist"*) fail "advice this kernel cannot follow: $out" ;; esac
	# and --backend hist there does not send the user to BPF, which cannot count it either
	expect_exit 1 "$FTRIG" hist start $G:ent --key d --name ${N}1 --backend hist
	contains "$out" "nor with BPF: 'd' of $G:ent is fetched as '+0(%sp)'" "--backend hist"
	case $out in *"use '--backend bpf'"*) fail "advice BPF cannot follow: $out" ;; esac
fi

# The workload calls workload_target(i, 3 * i) for i = 0..299, which returns 7 * i + 1: the
# figures are known; bpftrace, where installed, counts the same calls too.
calls=300
if command -v bpftrace >/dev/null 2>&1; then
	oracle_start "uprobe:$W:workload_target /arg0 != 7/ { @n[arg0] = count(); @m[arg0] = sum((int32)arg1); }
		uretprobe:$W:workload_target { @r[(int64)retval] = count(); }
		tracepoint:syscalls:sys_enter_getppid /comm == \"r$comm\"/ { printf(\"ready\\n\"); }" \
		"$W" --comm "r$comm" --getppid 1
fi
# The audit's command, and the same argument as an exact key with a sum, and $retval.
expect_exit 0 "$FTRIG" hist start $G:ent --key n.log2 --filter "n != 7" --name ${N}1 --backend bpf
expect_exit 0 "$FTRIG" hist start $G:ent --key n --val m --filter "n != 7" --name ${N}2 --backend bpf
expect_exit 0 "$FTRIG" hist start $G:ret --key r --filter "r > 100" --name ${N}3 --backend bpf
"$W" --comm "$comm" --call $calls >/dev/null || fail "workload failed"
if [ -n "$bpt_pid" ]; then
	oracle_stop
	peer=1
	# the peer's figures in the known ones' form
	peer_n=$(awk -F'[][]|: ' '/^@n\[/ { n[$2] = $4 } /^@m\[/ { m[$2] = $4 }
		END { for (k in n) print k "," n[k] "," m[k] }' "$bpt_out" | sort)
	peer_r=$(awk -F'[][]|: ' '/^@r\[/ && $2 > 100 { print $2 "," $4 }' "$bpt_out" | sort)
fi
known_n=$(awk -v c=$calls 'BEGIN { for (i = 0; i < c; i++) if (i != 7) print i ",1," 3 * i }' | sort)
known_r=$(awk -v c=$calls 'BEGIN { for (i = 0; i < c; i++) if (7 * i + 1 > 100) print 7 * i + 1 ",1" }' | sort)
if [ -n "$peer" ]; then
	[ "$peer_n" = "$known_n" ] || fail "bpftrace's calls: '$peer_n'"
	[ "$peer_r" = "$known_r" ] || fail "bpftrace's returns: '$peer_r'"
fi

got=$(rows $G:ent ${N}2)
[ "$got" = "$known_n" ] || fail "\$arg1, \$arg2: ftrig '$got', expected (and bpftrace) '$known_n'"
# The kernel's log2 buckets: 0 and 1 in [0,2), else v in [2^(k-1)+1, 2^k+1) for the least
# 2^k >= v.
want=$(printf '%s\n' "$known_n" | awk -F, '{ v = $1; lo = 0; hi = 2
		if (v > 1) { p = 1; while (p < v) p *= 2; lo = p / 2 + 1; hi = p + 1 }
		c[lo "," hi] += $2 }
	END { for (b in c) print b "," c[b] }' | sort)
got=$(rows $G:ent ${N}1)
[ "$got" = "$want" ] || fail "n.log2: ftrig '$got', expected '$want'"
got=$(rows $G:ret ${N}3)
[ "$got" = "$known_r" ] || fail "\$retval: ftrig '$got', expected (and bpftrace) '$known_r'"
exit 0
