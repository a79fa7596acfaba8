# probe add/ls/rm with uprobes on the workload's workload_target(i, 3*i) (returns 7*i+1): the
# probes fire once per call with the values passed and returned, rm leaves uprobe_events as it
# was, and bad input (binary, symbol, fetch argument, duplicate name, a probe held by what ftrig
# did not create) gets a clear error and changes nothing.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
[ -f "$T/uprobe_events" ] || skip "this kernel has no uprobe_events (CONFIG_UPROBE_EVENTS)"
private_state

G=ftp_$$
W=$FTRIG_HELPERS/workload
I=$T/instances/ftrig-probetest-$$
N=50
before=$(cat "$T/uprobe_events")
cleanup() {
	# Whatever triggers and enables a failed run left on our events ("!CMD" removes them).
	for e in "$T/events/$G"/*/; do
		[ -f "$e/trigger" ] || continue
		triggers_clear "$e/trigger"
		echo 0 >"$e/enable"
	done
	[ -d "$I" ] && echo 0 >"$I/events/enable" 2>/dev/null && rmdir "$I"
	"$FTRIG" probe rm --group "$G" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

expect_exit 0 "$FTRIG" probe add -g "$G" "$W:workload_target i=\$arg1:s64 a=\$arg2:s64"
contains "$out" "added uprobe $G:workload_target" "probe add (uprobe)"
expect_exit 0 "$FTRIG" probe add -g "$G" -r "$W:workload_target r=\$retval:s64"
contains "$out" "added uretprobe $G:workload_target_ret" "probe add -r (uretprobe)"
grep -q "^p:$G/workload_target " "$T/uprobe_events" || fail "uprobe not in uprobe_events"

# The new events work with the other commands.
expect_exit 0 "$FTRIG" list events "$G:*" --fields
for f in i a r; do contains "$out" "    $f " "fields of $G:*"; done

# Fire them: enable both in a private instance, call the target N times.
mkdir "$I" || fail "cannot create instance $I"
echo 1 >"$I/events/$G/enable" || fail "cannot enable $G in $I"
"$W" --comm "ftwk$$" --call $N >/dev/null || fail "workload failed"
echo 0 >"$I/events/$G/enable"
grep -v '^#' "$I/trace" >"$FTRIG_STATE_DIR/trace"
# Entry i must show i and 3*i, return i must show 7*i+1, in call order, N of each.
awk -v n=$N '
	/ workload_target: / {
		for (f = 1; f <= NF; f++) {
			if ($f ~ /^i=/) i = substr($f, 3)
			if ($f ~ /^a=/) a = substr($f, 3)
		}
		if (i + 0 != e || a + 0 != 3 * e) { print "entry " e ": i=" i " a=" a; bad = 1 }
		e++
	}
	/ workload_target_ret: / {
		for (f = 1; f <= NF; f++) if ($f ~ /^r=/) r = substr($f, 3)
		if (r + 0 != 7 * x + 1) { print "return " x ": r=" r; bad = 1 }
		x++
	}
	END {
		if (e != n || x != n) { print e " entries and " x " returns, expected " n; bad = 1 }
		exit bad
	}' "$FTRIG_STATE_DIR/trace" || fail "probe values wrong: $(head -5 "$FTRIG_STATE_DIR/trace")"

# probe ls: both are ftrig's, with N hits each.
expect_exit 0 "$FTRIG" probe ls
echo "$out" | grep "^$G:workload_target " | grep -q " ftrig  *$N " ||
	fail "probe ls does not show $N hits owned by ftrig: $out"
expect_exit 0 "$FTRIG" probe ls --json
contains "$out" "\"name\":\"workload_target_ret\"" "probe ls --json"
contains "$out" "\"hits\":$N" "probe ls --json hits"
contains "$out" "\"hits\":$N,\"misses\":null" "probe ls --json: a uprobe's misses are null (FIG-9)"

# Bad input: one clear message, exit 1, uprobe_events unchanged: our group's lines (another
# run beside this one adds and removes its own uprobes meanwhile).
mid=$(grep -F ":$G/" "$T/uprobe_events")
expect_exit 1 "$FTRIG" probe add -g "$G" /nonexistent/prog:main
contains "$out" "No such file" "missing binary"
expect_exit 1 "$FTRIG" probe add -g "$G" /etc/passwd:main
contains "$out" "not an ELF" "non-ELF binary"
expect_exit 1 "$FTRIG" probe add -g "$G" "$W:workload_targt"
contains "$out" "did you mean workload_target" "misspelt symbol"
expect_exit 1 "$FTRIG" probe add -g "$G" "$W:workload_target x=\$arg0"
contains "$out" "counted from 1" "bad fetch argument"
expect_exit 1 "$FTRIG" probe add -g "$G" "$W:workload_target x=%di:u33"
contains "$out" "unknown type 'u33'" "bad type"
expect_exit 1 "$FTRIG" probe add -g "$G" "$W:workload_target"
contains "$out" "exists already" "duplicate name"
[ "$(grep -F ":$G/" "$T/uprobe_events")" = "$mid" ] || fail "a refused probe changed uprobe_events"
if [ ! -f "$T/kprobe_events" ]; then
	expect_exit 1 "$FTRIG" probe add -g "$G" do_sys_openat2
	contains "$out" "CONFIG_KPROBE_EVENTS" "kprobe without kprobe_events"
	contains "$out" "uprobes (BINARY:SYMBOL) and tracepoints still work" "kprobe hint"
fi

# Held by a trigger and an enable ftrig did not make: refused, each holder named, nothing lost.
echo 'traceoff if common_pid == -1' >>"$T/events/$G/workload_target/trigger" ||
	fail "cannot add a trigger by hand"
echo 1 >"$I/events/$G/workload_target/enable"
expect_exit 1 "$FTRIG" probe rm -g "$G" workload_target
contains "$out" "trigger 'traceoff" "holder trigger"
contains "$out" "enabled in instance ftrig-probetest-$$" "holder enable"
case $out in *EBUSY* | *"Device or resource busy"*) fail "raw EBUSY shown: $out" ;; esac
grep -q "^p:$G/workload_target " "$T/uprobe_events" || fail "refused rm removed the probe"
echo '!traceoff if common_pid == -1' >>"$T/events/$G/workload_target/trigger"
echo 0 >"$I/events/$G/workload_target/enable"
rmdir "$I"

# Held by a trigger of another event that names it: the kernel says busy, ftrig finds and names
# the trigger (on our own uretprobe event, so as not to touch events other tests use).
echo "enable_event:$G:workload_target if common_pid == -1" >>"$T/events/$G/workload_target_ret/trigger" ||
	fail "cannot add an enable_event trigger by hand"
expect_exit 1 "$FTRIG" probe rm -g "$G" workload_target
contains "$out" "trigger 'enable_event:$G:workload_target" "holder naming the probe"
contains "$out" "on $G:workload_target_ret" "event holding the naming trigger"
grep -q "^p:$G/workload_target " "$T/uprobe_events" || fail "refused rm removed the probe"
echo "!enable_event:$G:workload_target" >>"$T/events/$G/workload_target_ret/trigger"

# Held only by what ftrig made (through the persistent ledger): rm undoes those first, in
# order (triggers, then enables), then deletes the probe.
"$FTRIG_HELPERS/persist-add" -t "$G:workload_target_ret:traceoff if common_pid == -1" \
	-e "$G:workload_target_ret" || fail "persist-add failed"
trigger_has "$G/workload_target_ret" traceoff || fail "persist-add made no trigger"
# A foreign holder next to ftrig's own: refused, and ftrig's own are left alone too.
echo 'stacktrace if common_pid == -1' >>"$T/events/$G/workload_target_ret/trigger"
expect_exit 1 "$FTRIG" probe rm -g "$G" workload_target_ret
contains "$out" "trigger 'stacktrace" "foreign holder among ftrig's"
case $out in *"traceoff"*) fail "ftrig's own trigger named as a foreign holder: $out" ;; esac
trigger_has "$G/workload_target_ret" traceoff || fail "a refused rm removed ftrig's trigger"
echo '!stacktrace if common_pid == -1' >>"$T/events/$G/workload_target_ret/trigger"

# rm by name and by ownership: uprobe_events is as it was, byte for byte.
expect_exit 0 "$FTRIG" probe rm -g "$G" workload_target_ret
contains "$out" "removed trigger 'traceoff if common_pid == -1' on $G:workload_target_ret" \
	"rm of ftrig's trigger"
contains "$out" "removed enabled event $G:workload_target_ret" "rm of ftrig's enable"
contains "$out" "removed uretprobe $G:workload_target_ret" "probe rm NAME"
trigger_has "$G/workload_target_ret" traceoff && fail "rm left ftrig's trigger"
expect_exit 0 "$FTRIG" probe rm --ours
contains "$out" "removed uprobe $G:workload_target" "probe rm --ours"
after=$(cat "$T/uprobe_events")
if [ "$after" != "$before" ]; then
	# Other tests share this kernel: only our own lines must be gone.
	echo "$after" | grep -q "$G/" && fail "probe rm left: $after"
fi
expect_exit 0 "$FTRIG" cleanup --all --dry-run
contains "$out" "nothing to clean up" "ledger after rm"

# A running session's probe is the session's to remove.
expect_exit 0 "$FTRIG" probe add --dry-run -g "$G" --name held "$W:workload_target"
def=$(printf '%s\n' "$out" | sed -n "s|^echo '\(p:$G/held .*\)' >> $T/[a-z_]*events\$|\1|p")
[ -n "$def" ] || fail "probe add --dry-run does not print the exact write: $out"
hold_start -k "$def"
expect_exit 1 "$FTRIG" probe rm -g "$G" held
contains "$out" "belongs to the running ftrig session $hold_pid" "rm of a session's probe"
expect_exit 0 "$FTRIG" probe ls
echo "$out" | grep "^$G:held " | grep -q "session $hold_pid" || fail "ls owner of held: $out"
kill -s TERM "$hold_pid"
hold_wait
grep -q "$G/held" "$T/uprobe_events" && fail "the session left its probe"

# cleanup --all removes what probe add made, as it does every persistent object.
expect_exit 0 "$FTRIG" probe add -g "$G" --name again "$W:workload_target"
expect_exit 0 "$FTRIG" cleanup --all
contains "$out" "removed dynamic event $G/again" "cleanup --all"
grep -q "$G/" "$T/uprobe_events" && fail "cleanup --all left: $(grep "$G/" "$T/uprobe_events")"
exit 0
