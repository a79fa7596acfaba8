# The dry runs of setup files: plan (and apply --dry-run, the same) prints the exact write of
# every line, also of those that go into the file's own instance or use its probe (SET-2),
# and teardown --dry-run the exact removals; none changes tracefs, bpffs or the state dir
# (dry_snap). save writes only what the kernel still has (SET-3); a changed setting is shown
# with its value, and bad lines are refused with FILE:LINE before any write (SET-4, #15).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require uprobe_events,instances >/dev/null 2>&1 || skip "needs uprobe events and instances"
need_bpf
private_state

W=$FTRIG_HELPERS/workload
G=ftsdry$$
I=ftsdry-$$
IT=$T/instances/$I
N=ftsdry$$
D=${TMPDIR:-/tmp}/ftrig-sdry.$$
mkdir -p "$D" || fail "cannot create $D"
A=$D/a.ftrig
trap '"$FTRIG" teardown "$A" >/dev/null 2>&1; rm -rf "$D" "$FTRIG_STATE_DIR"' EXIT
E=syscalls/sys_enter_getppid
X=syscalls/sys_exit_getppid
snap() { dry_snap "$I" "$E $X $G/workload_target" "[^0-9]$$\>"; }

cat >"$A" <<END
instance $I
buffer-size 1024
probe add -g $G $W:workload_target i=\$arg1:s64
enable syscalls:sys_enter_getppid
trigger add $G:workload_target 'traceoff if i == 12345'
trigger add syscalls:sys_enter_getppid "stacktrace if common_pid == 1"
hist start syscalls:sys_exit_getppid --key common_pid --backend bpf --name $N
END

# plan: every line's exact write, into the instance the file makes (SET-2).
before=$(snap)
expect_exit 0 "$FTRIG" plan "$A"
plan=$out
contains "$plan" "mkdir $IT" "plan"
contains "$plan" "echo '1024' > $IT/buffer_size_kb" "plan: buffer-size into the new instance"
contains "$plan" "echo 'p:$G/workload_target $W:0x" "plan: the probe"
contains "$plan" "echo '1' > $IT/events/$E/enable" "plan: enable in the new instance"
contains "$plan" "echo 'traceoff if i == 12345' >> $IT/events/$G/workload_target/trigger" "plan: a trigger on the file's own probe"
contains "$plan" "echo 'stacktrace if common_pid == 1' >> $IT/events/$E/trigger" "plan: a trigger into the new instance"
contains "$plan" "load the BPF aggregator on syscalls:sys_exit_getppid and pin it at /sys/fs/bpf/ftrig/$N" "plan: BPF"
same_dry "$before" "plan" "$I" "$E $X $G/workload_target" "[^0-9]$$\>"
# apply --dry-run is plan.
expect_exit 0 "$FTRIG" apply --dry-run "$A"
[ "$out" = "$plan" ] || fail "apply --dry-run is not plan: $out"
same_dry "$before" "apply --dry-run" "$I" "$E $X $G/workload_target" "[^0-9]$$\>"
expect_exit 0 "$FTRIG" teardown --dry-run "$A"
contains "$out" "nothing of $A to remove" "teardown --dry-run before apply"

# What plan printed is what apply writes.
expect_exit 0 "$FTRIG" apply "$A"
trigger_has "$G/workload_target" 'traceoff' "$I" || fail "apply: no traceoff where plan said"
trigger_has "$E" 'stacktrace' "$I" || fail "apply: no stacktrace where plan said"
case $(cat "$IT/events/$E/enable") in 1*) ;; *) fail "apply: not enabled where plan said" ;; esac
[ -d "/sys/fs/bpf/ftrig/$N" ] || fail "apply: not pinned where plan said"

# teardown --dry-run: every removal, in order, and nothing removed.
before=$(snap)
expect_exit 0 "$FTRIG" teardown --dry-run "$A"
td=$out
contains "$td" "rm -r /sys/fs/bpf/ftrig/$N" "teardown --dry-run"
contains "$td" "echo '!stacktrace if common_pid == 1' >> $IT/events/$E/trigger" "teardown --dry-run"
contains "$td" "echo '!traceoff if i == 12345' >> $IT/events/$G/workload_target/trigger" "teardown --dry-run"
contains "$td" "echo '0' > $IT/events/$E/enable" "teardown --dry-run"
contains "$td" "echo '-:$G/workload_target' >> $T/" "teardown --dry-run"
[ "$(printf '%s\n' "$td" | tail -n 1)" = "rmdir $IT" ] || fail "teardown --dry-run: the instance is not last: $td"
same_dry "$before" "teardown --dry-run" "$I" "$E $X $G/workload_target" "[^0-9]$$\>"

# diff names the current value of a setting changed by hand (SET-4).
echo 2048 >"$IT/buffer_size_kb"
expect_exit 1 "$FTRIG" diff "$A"
contains "$out" "buffer-size 1024 (is 20" "diff of a changed buffer size"
echo 1024 >"$IT/buffer_size_kb"

# save: a trigger removed by hand is not saved (SET-3).
echo '!stacktrace if common_pid == 1' >>"$IT/events/$E/trigger"
expect_exit 0 "$FTRIG" save -
case $out in *stacktrace*) fail "save wrote a trigger the kernel no longer has: $out" ;; esac
contains "$out" "traceoff if i == 12345" "save"

expect_exit 0 "$FTRIG" teardown "$A"
[ -d "$IT" ] && fail "teardown left the instance"

# Bad files are refused with FILE:LINE before any write (SET-4).
before=$(snap)
printf 'instance %s\ndump-dir /proc/ftrig-sdry%s\n' "$I" "$$" >"$D/dump.ftrig"
expect_exit 1 "$FTRIG" apply "$D/dump.ftrig"
contains "$out" "$D/dump.ftrig:2: dump-dir /proc/ftrig-sdry$$ cannot be made: /proc is on proc" "dump-dir /proc/x (S13)"
same_dry "$before" "a failed dump-dir" "$I" "$E $X $G/workload_target" "[^0-9]$$\>"
printf 'instance %s\nenable syscalls:sys_enter_getppid\0 trailing\n' "$I" >"$D/nul.ftrig"
expect_exit 1 "$FTRIG" apply "$D/nul.ftrig"
contains "$out" "$D/nul.ftrig:2: a NUL byte" "a NUL byte (S17)"
printf 'instance %s\nbuffer-size -5\n' "$I" >"$D/neg.ftrig"
expect_exit 1 "$FTRIG" apply "$D/neg.ftrig"
contains "$out" "$D/neg.ftrig:2: buffer-size takes kilobytes per CPU" "buffer-size -5 (S11)"
printf 'instance %s\nhist start syscalls:sys_exit_getppid --key common_pid --size 100x\n' "$I" >"$D/use.ftrig"
expect_exit 1 "$FTRIG" apply "$D/use.ftrig"
[ "$(printf '%s\n' "$out" | head -n 1)" = "ftrig: error: $D/use.ftrig:2: --size takes a number of entries, not '100x' ('ftrig help hist' shows the options)" ] ||
	fail "a usage error in a file: $out"
case $out in *usage:*) fail "a usage error in a file prints the usage block: $out" ;; esac
same_dry "$before" "refused files" "$I" "$E $X $G/workload_target" "[^0-9]$$\>"
echo "ok"
