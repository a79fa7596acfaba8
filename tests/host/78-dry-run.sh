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
	for f in "$IT/events/$E/trigger" "$IT/events/$X/trigger"; do
		grep -v '^#' "$f" 2>/dev/null | while read -r l; do echo "!${l%% *}" >>"$f"; done
	done
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
echo 'traceoff' >>"$IT/events/$X/trigger" || fail "cannot add a foreign trigger"
expect_exit 1 "$FTRIG" trigger rm syscalls:sys_exit_getppid traceoff --instance "$I" --dry-run
contains "$out" "ftrig trigger rm syscalls:sys_exit_getppid 'traceoff:unlimited' --instance $I" "hint"
before=$(snap)
expect_exit 0 "$FTRIG" trigger rm syscalls:sys_exit_getppid 'traceoff:unlimited' --instance "$I" --dry-run
[ "$out" = "echo '!traceoff' >> $IT/events/$X/trigger" ] || fail "foreign trigger rm --dry-run: $out"
same_dry "$before" "foreign trigger rm --dry-run" "$I" "$E $X" "$I" "ftrig_dry$$" "dry$$"
echo '!traceoff' >>"$IT/events/$X/trigger"

# The dry runs printed the writes the real commands make: run them, and all is gone.
expect_exit 0 "$FTRIG" trigger rm --ours
trigger_has "$E" 'traceoff' "$I" && fail "trigger rm --ours left the trigger"
trigger_has "$E" 'stacktrace' "$I" && fail "trigger rm --ours left the trigger"

echo "ok"
