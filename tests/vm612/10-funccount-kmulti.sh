# funccount on a kernel with BPF kprobe-multi (Debian 6.12, CONFIG_FPROBE; the tier of
# FTRIG_VM_KERNEL=6.12): with the BPF backend a glob of kernel functions is counted by ONE
# kprobe-multi link and no kprobe event at all: dynamic_events and kprobe_events stay the same,
# byte for byte, while it counts and after. Counts are exact (a workload renamed before its
# calls: 7 reads of /dev/zero are 7 vfs_read; 3 opens of a file and the one of /dev/zero are
# 4 vfs_open) and the same, row for
# row, as the per-event path's (one kprobe event and one hist trigger per function: bpftrace
# is not in the VM). -j with -p, and -i with -d, keep working; info says kprobe_multi. Nothing is left: no probe,
# instance, pin or journal, and the link went with the process.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events,hist_triggers,bpf >/dev/null 2>&1 ||
	skip "needs kprobe events, hist triggers and BPF"
# The reason for this tier: 6.12 has CONFIG_FPROBE, and info finds it (6.1's answer is in
# tests/vm/95-tool-funccount-kprobes.sh).
expect_exit 0 "$FTRIG" info --require kprobe_multi
private_state
W=$FTRIG_HELPERS/workload
comm=km$$
fifo=${TMPDIR:-/tmp}/ftrig-km-fifo.$$
snap=${TMPDIR:-/tmp}/ftrig-km-snap.$$
tool_pid=
trap 'tool_cleanup "$fifo" "$snap".*' EXIT
cat "$T/dynamic_events" >"$snap.dyn"
cat "$T/kprobe_events" >"$snap.kp"
# bpffs: nothing pinned by the tool. The neighbour pins and unpins its own aggregation
# under /sys/fs/bpf/ftrig all along: what is compared is bpffs outside ftrig's folder and
# the pins the tool could have made (own_pins: its functions' names, kprobe groups,
# anything this state directory journals).
bpf_snap() { ls -R /sys/fs/bpf 2>/dev/null | sed '/^\/sys\/fs\/bpf\/ftrig/,/^$/d' | grep -vx ftrig; own_pins vfs_ kprobe funccount; }
pins=$(bpf_snap)

# unchanged WHEN: dynamic_events and kprobe_events as they were before the test.
unchanged() {
	cmp -s "$T/dynamic_events" "$snap.dyn" ||
		fail "$1: dynamic_events changed: $(diff "$snap.dyn" "$T/dynamic_events")"
	cmp -s "$T/kprobe_events" "$snap.kp" ||
		fail "$1: kprobe_events changed: $(diff "$snap.kp" "$T/kprobe_events")"
}

# What the glob matches: the names of available_filter_functions, each once.
n=$(sed 's/[ \t].*//' "$T/available_filter_functions" | grep '^vfs_' | sort -u | wc -l)

# 1. kprobe-multi: the header counts every function, no event is made, the tool holds a
# kprobe_multi BPF link (its fdinfo says so).
tool_start funccount --backend bpf -c "$comm" 'vfs_*'
contains "$(cat "$tool_out")" "Tracing $n functions for \"vfs_*\"" "header"
unchanged "while counting"
links=$(grep -l 'link_type:.*kprobe_multi' /proc/"$tool_pid"/fdinfo/* 2>/dev/null | wc -l)
[ "$links" = 1 ] || fail "$links kprobe_multi links held by ftrig, not 1"
"$W" --comm "$comm" --read 7:100 --open "3:$W" >/dev/null || fail "workload failed"
tool_stop
unchanged "after"
[ "$(tool_row vfs_read)" = 7 ] || fail "kprobe-multi: vfs_read: $(cat "$tool_out")"
[ "$(tool_row vfs_open)" = 4 ] || fail "kprobe-multi: vfs_open: $(cat "$tool_out")"
contains "$(cat "$tool_out")" "FUNC                                    COUNT" "columns"
multi=$(awk '/^FUNC/ { f = 1; next } f && NF == 2' "$tool_out" | sort)

# 2. The per-event path on the same workload: the same rows.
tool_start funccount --backend hist -c "$comm" 'vfs_*'
[ "$(grep -c "^p:ftrig_$tool_pid/" "$T/dynamic_events")" = "$n" ] ||
	fail "the per-event path made $(grep -c "^p:ftrig_$tool_pid/" "$T/dynamic_events") probes, not $n"
"$W" --comm "$comm" --read 7:100 --open "3:$W" >/dev/null || fail "workload failed"
tool_stop
per=$(awk '/^FUNC/ { f = 1; next } f && NF == 2' "$tool_out" | sort)
[ "$multi" = "$per" ] || fail "kprobe-multi:
$multi
per-event:
$per"
unchanged "after the per-event path"

# 3. -j and -p: the workload's pid, known before it runs.
mkfifo "$fifo" || fail "mkfifo"
sh -c "read x <'$fifo'; exec '$W' --read 5:100" >/dev/null &
wpid=$!
tool_start funccount --backend bpf -j -p "$wpid" 'vfs_read'
echo go >"$fifo"
wait "$wpid"
tool_stop
unchanged "after -j -p"
# the dynamic loader reads the C library too: at least the 5 reads, all by that pid
r=$(sed -n 's/.*{"func":"vfs_read","count":\([0-9]*\)}.*/\1/p' "$tool_out")
[ "${r:-0}" -ge 5 ] || fail "-j -p: $(cat "$tool_out")"

# 4. -i and -d: the intervals add up to the whole, and the tool ends by itself.
tool_start funccount --backend bpf -i 1 -d 3 -c "$comm" 'vfs_read*'
"$W" --comm "$comm" --read 4:100 >/dev/null || fail "workload failed"
wait "$tool_pid" || fail "-i -d exited $?: $(cat "$tool_out")"
tool_pid=
[ "$(grep -c '^FUNC' "$tool_out")" -ge 2 ] || fail "-i 1 -d 3: fewer than 2 outputs: $(cat "$tool_out")"
sum=$(awk '$1 == "vfs_read" { s += $2 } END { print s + 0 }' "$tool_out")
[ "$sum" = 4 ] || fail "-i -d: vfs_read $sum in all: $(cat "$tool_out")"

unchanged "at the end"
[ "$(bpf_snap)" = "$pins" ] || fail "bpffs changed: $(bpf_snap)"
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
state_empty
