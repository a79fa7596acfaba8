# Every writing command's --dry-run prints each exact write and changes nothing: tracefs,
# bpffs and the state directory are the same byte for byte before and after (dry_snap).
# trigger rm --dry-run used to remove for real (CMD-2, #15).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
I=ftrig-dry-$$
IT=$T/instances/$I
E=syscalls/sys_enter_getppid
X=syscalls/sys_exit_getppid
EV=syscalls:sys_enter_getppid
[ -d "$T/events/$E" ] || skip "no $E event"
mkdir "$IT" || fail "cannot create instance $I"
cleanup() {
	"$FTRIG" trigger rm --ours >/dev/null 2>&1
	"$FTRIG" hist rm "$EV" --name "dry$$" >/dev/null 2>&1
	"$FTRIG" probe rm --ours >/dev/null 2>&1
	triggers_clear "$IT/events/$E/trigger" "$IT/events/$X/trigger"
	rmdir "$IT" 2>/dev/null
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
# snap: what these commands could touch; the kernel-wide lists only where they name ours.
snap() { dry_snap "$I" "$E $X" "$I" "ftrig_dry$$" "dry$$"; }

# trigger rm --ours --dry-run: the exact removal, nothing removed (CMD-2).
expect_exit 0 "$FTRIG" trigger add "$EV" 'traceoff:3 if common_pid == 1' --instance "$I"
expect_exit 0 "$FTRIG" trigger add "$EV" 'stacktrace:2 if common_pid == 1' --instance "$I"
before=$(snap)
expect_exit 0 "$FTRIG" trigger rm --ours --dry-run
contains "$out" "echo '!stacktrace:2 if common_pid == 1' >> $IT/events/$E/trigger
echo '!traceoff:3 if common_pid == 1' >> $IT/events/$E/trigger" "trigger rm --ours --dry-run"
same_dry "$before" "trigger rm --ours --dry-run" "$I" "$E $X" "$I" "ftrig_dry$$" "dry$$"
trigger_has "$E" 'traceoff:count=3' "$I" || fail "trigger rm --ours --dry-run removed the trigger"

# trigger rm EVENT SPEC --dry-run: by the listed text, and by the text written (CMD-2).
expect_exit 0 "$FTRIG" trigger rm "$EV" 'traceoff:count=3 if common_pid == 1' --instance "$I" --dry-run
[ "$out" = "echo '!traceoff:3 if common_pid == 1' >> $IT/events/$E/trigger" ] ||
	fail "trigger rm --dry-run by the listed text: $out"
expect_exit 0 "$FTRIG" trigger rm "$EV" 'stacktrace:2 if common_pid == 1' --instance "$I" --dry-run
[ "$out" = "echo '!stacktrace:2 if common_pid == 1' >> $IT/events/$E/trigger" ] || fail "trigger rm --dry-run: $out"
same_dry "$before" "trigger rm EVENT SPEC --dry-run" "$I" "$E $X" "$I" "ftrig_dry$$" "dry$$"

# A foreign trigger: the hint to remove it names the instance (CMD-11); named as listed, the
# dry run prints the write that removes it.
echo 'traceoff if common_pid == 1' >>"$IT/events/$X/trigger" || fail "cannot add a foreign trigger"
expect_exit 1 "$FTRIG" trigger rm syscalls:sys_exit_getppid 'traceoff if common_pid == 1' --instance "$I" --dry-run
contains "$out" "ftrig trigger rm syscalls:sys_exit_getppid 'traceoff:unlimited if common_pid == 1' --instance $I" "hint"
before=$(snap)
expect_exit 0 "$FTRIG" trigger rm syscalls:sys_exit_getppid 'traceoff:unlimited if common_pid == 1' --instance "$I" --dry-run
[ "$out" = "echo '!traceoff' >> $IT/events/$X/trigger" ] || fail "foreign trigger rm --dry-run: $out"
same_dry "$before" "foreign trigger rm --dry-run" "$I" "$E $X" "$I" "ftrig_dry$$" "dry$$"
echo '!traceoff' >>"$IT/events/$X/trigger"

# The dry runs printed the writes the real commands make: run them, and all is gone.
expect_exit 0 "$FTRIG" trigger rm --ours
trigger_has "$E" 'traceoff' "$I" && fail "trigger rm --ours left the trigger"
trigger_has "$E" 'stacktrace' "$I" && fail "trigger rm --ours left the trigger"

# probe add/rm --dry-run: the definition and the file it goes to; nothing added or removed.
W=$FTRIG_HELPERS/workload
G=ftrig_dry$$
if "$FTRIG" info --require uprobe_events >/dev/null 2>&1; then
	before=$(snap)
	expect_exit 0 "$FTRIG" probe add --dry-run -g "$G" --name t "$W:workload_target"
	printf '%s\n' "$out" | grep -q "^echo 'p:$G/t $W:0x[0-9a-f]*' >> $T/[a-z_]*events\$" ||
		fail "probe add --dry-run: $out"
	same_dry "$before" "probe add --dry-run" "$I" "$E $X" "$I" "$G" "dry$$"
	expect_exit 0 "$FTRIG" probe add -g "$G" --name t "$W:workload_target"
	expect_exit 0 "$FTRIG" trigger add "$G:t" 'traceoff if common_pid == 1'
	before=$(dry_snap "$I" "$E $X $G/t" "$I" "$G" "dry$$")
	expect_exit 0 "$FTRIG" probe rm --ours --dry-run
	contains "$out" "echo '!traceoff if common_pid == 1' >> $T/events/$G/t/trigger" "probe rm --dry-run: its trigger first"
	contains "$out" "echo '-:$G/t' >> $T/" "probe rm --dry-run"
	expect_exit 0 "$FTRIG" probe rm -g "$G" t --dry-run
	contains "$out" "echo '-:$G/t' >> $T/" "probe rm NAME --dry-run"
	same_dry "$before" "probe rm --dry-run" "$I" "$E $X $G/t" "$I" "$G" "dry$$"
	expect_exit 0 "$FTRIG" probe rm --ours
	grep -q "$G/t" "$T/dynamic_events" && fail "probe rm --ours left the probe"
fi

# hist start/pause/cont/clear/rm --dry-run with BPF: what is pinned or changed, nothing done.
N=dry$$
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	before=$(snap)
	expect_exit 0 "$FTRIG" hist start "$EV" --key common_pid --backend bpf --name "$N" --dry-run
	printf '%s\n' "$out" | grep -qx "load the BPF aggregator on $EV and pin it at /sys/fs/bpf/ftrig/$N" ||
		fail "hist start --dry-run: $out"
	same_dry "$before" "hist start --dry-run" "$I" "$E $X" "$I" "$G" "dry$$"
	expect_exit 0 "$FTRIG" hist start "$EV" --key common_pid --backend bpf --name "$N"
	before=$(snap)
	for v in pause cont clear; do
		expect_exit 0 "$FTRIG" hist $v "$EV" --name "$N" --dry-run
		contains "$out" "update the maps pinned at /sys/fs/bpf/ftrig/$N: " "hist $v --dry-run"
	done
	expect_exit 0 "$FTRIG" hist rm "$EV" --name "$N" --dry-run
	printf '%s\n' "$out" | grep -qx "rm -r /sys/fs/bpf/ftrig/$N" || fail "hist rm --dry-run: $out"
	same_dry "$before" "hist pause/cont/clear/rm --dry-run" "$I" "$E $X" "$I" "$G" "dry$$"
	expect_exit 0 "$FTRIG" hist rm "$EV" --name "$N"
	[ -d "/sys/fs/bpf/ftrig/$N" ] && fail "hist rm left the pin"
fi

# hist rm --dry-run of an event with nothing on it says so; it crashed (no ledger in a dry run).
expect_exit 1 "$FTRIG" hist rm "$EV" --name "nothing$$" --dry-run
contains "$out" "has no hist named" "hist rm --dry-run, nothing there"

echo "ok"
