# A thread's id (common_pid) and its process's (pid) at the raw syscall gate are loaded from
# the current task at task_struct's offsets, read from the kernel's BTF, not asked of
# bpf_get_current_pid_tgid() at every event (issue #21: a helper call is a third of what the
# program adds over the floor's). The offsets must be the kernel's (bpftool's reading of the
# same BTF, where it is there), the program must make no such call, and a workload's calls
# made in a second thread must be counted under that thread's id and its process's, exactly.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
[ "$(uname -m)" = x86_64 ] || skip "the raw syscall gates are x86_64's"
[ -r /sys/kernel/btf/vmlinux ] || skip "this kernel has no BTF (ids are read by helper)"
W=$FTRIG_HELPERS/workload
private_state
E=syscalls:sys_enter_getppid
N=t99ids_$$
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; rm -rf "$FTRIG_STATE_DIR"' EXIT

# keyed by process: the largest table, which a machine churning processes does not fill
expect_exit 0 "$FTRIG" -v hist start $E --key common_pid --key pid --backend bpf --name $N \
	--size 131072
line=$(printf '%s\n' "$out" | grep 'task_struct: pid at ') ||
	fail "no task_struct offsets found: $(printf '%s\n' "$out" | grep -i task_struct)"
pid_at=$(printf '%s\n' "$line" | sed -n 's/.*pid at \([0-9]*\), tgid at \([0-9]*\)$/\1/p')
tgid_at=$(printf '%s\n' "$line" | sed -n 's/.*pid at \([0-9]*\), tgid at \([0-9]*\)$/\2/p')
[ -n "$pid_at" ] && [ -n "$tgid_at" ] || fail "cannot read the offsets from: $line"

if command -v bpftool >/dev/null 2>&1; then
	# bpftool's raw dump: "[ID] STRUCT 'task_struct' size=N vlen=M", then its members as
	# "	'pid' type_id=T bits_offset=B"
	want=$(bpftool btf dump file /sys/kernel/btf/vmlinux format raw | awk '
		/^\[[0-9]+\] / { inside = ($2 == "STRUCT" && $3 == "\047task_struct\047" && !done) }
		inside && ($1 == "\047pid\047" || $1 == "\047tgid\047") {
			b = $3; sub("bits_offset=", "", b); v[$1] = b / 8; done = 1
		}
		END { print v["\047pid\047"], v["\047tgid\047"] }')
	[ "$want" = "$pid_at $tgid_at" ] ||
		fail "ftrig found pid and tgid at $pid_at $tgid_at, bpftool at $want"
	calls=$(bpftool prog dump xlated pinned "/sys/fs/bpf/ftrig/$N/prog_a" | grep -c 'call bpf_get_current_pid_tgid')
	[ "$calls" = 0 ] || fail "the raw gate still calls bpf_get_current_pid_tgid ($calls times)"
fi

"$W" --comm tid$$ --thread-getppid 37 --getppid 11 >"$FTRIG_STATE_DIR/w" || fail "workload failed"
wpid=$(sed -n 's/^pid //p' "$FTRIG_STATE_DIR/w")
wtid=$(sed -n 's/^thread //p' "$FTRIG_STATE_DIR/w")
[ -n "$wtid" ] && [ "$wtid" != "$wpid" ] || fail "the workload's thread: '$wtid' (process $wpid)"
expect_exit 0 "$FTRIG" hist dump $E --name $N --format csv
rows=$(printf '%s\n' "$out" | awk -F , -v p="$wpid" '$2 == p' | sort)
want=$(printf '%s,%s,11\n%s,%s,37\n' "$wpid" "$wpid" "$wtid" "$wpid" | sort)
[ "$rows" = "$want" ] || fail "the workload's rows (common_pid,pid,hitcount): '$rows', want '$want'"
expect_exit 0 "$FTRIG" hist rm $E --name $N
[ ! -e "/sys/fs/bpf/ftrig/$N" ] || fail "pins left after hist rm"
