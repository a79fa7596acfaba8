# ftrig hist show / dump / stats / diff against real hist triggers on the 6.1 kernel: the
# triggers are written to the trigger files directly (appended, removed with the exact text
# at the end), the workload makes exact numbers of calls, and ftrig's output is checked
# against the kernel's hist file and those numbers.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers >/dev/null 2>&1 || skip "needs hist triggers"
wl=$FTRIG_HELPERS/workload
[ -x "$wl" ] || skip "no workload helper in $FTRIG_HELPERS"
private_state
gp=syscalls/sys_enter_getppid
rd=syscalls/sys_enter_read
name=fth_$$
tg_gp="hist:name=$name:keys=common_pid.execname:vals=hitcount:sort=hitcount"
tg_rd=
inst=fth_inst_$$
tg_in="hist:keys=common_pid:vals=hitcount"
dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-hist.XXXXXX")
cleanup() {
	echo "!$tg_gp" >>"$T/events/$gp/trigger"
	[ -z "$tg_rd" ] || echo "!$tg_rd" >>"$T/events/$rd/trigger"
	if [ -d "$T/instances/$inst" ]; then
		echo "!$tg_in" >>"$T/instances/$inst/events/$gp/trigger"
		rmdir "$T/instances/$inst"
	fi
	rm -rf "$dir" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
grep -q '^hist:' "$T/events/$gp/trigger" "$T/events/$rd/trigger" &&
	skip "someone else has hist triggers on $gp or $rd"

echo "$tg_gp" >>"$T/events/$gp/trigger" || fail "the kernel refused $tg_gp"
"$wl" --comm ftwl_a --getppid 1000 >/dev/null || fail "workload failed"
expect_exit 0 "$FTRIG" hist dump syscalls:sys_enter_getppid -o "$dir/a.json"
"$wl" --comm ftwl_b --getppid 500 >/dev/null &
p2=$!
wait $p2

# show: the kernel's own text, byte for byte.
expect_exit 0 "$FTRIG" hist show syscalls:sys_enter_getppid --name "$name"
printf '%s\n' "$out" >"$dir/show.txt"
cat "$T/events/$gp/hist" >"$dir/kernel.txt"
cmp -s "$dir/show.txt" "$dir/kernel.txt" || fail "show differs from the hist file:
$(diff "$dir/kernel.txt" "$dir/show.txt")"
expect_exit 1 "$FTRIG" hist show syscalls:sys_enter_getppid --name nosuch_$$
contains "$out" "no hist named 'nosuch_$$'" "--name that matches nothing"

# dump csv: exact counts per process.
expect_exit 0 "$FTRIG" hist dump syscalls:sys_enter_getppid --format csv
contains "$out" "common_pid,common_pid_comm,hitcount" "csv header"
contains "$out" "$p2,ftwl_b,500" "csv row of the second workload"
echo "$out" | grep -q '^[0-9]*,ftwl_a,1000$' || fail "csv row of the first workload: $out"
hits=$(sed -n 's/^ *Hits: //p' "$T/events/$gp/hist")
expect_exit 0 "$FTRIG" hist dump syscalls:sys_enter_getppid --format json
contains "$out" "\"totals\":{\"hits\":$hits," "json totals match the kernel's Hits"
contains "$out" "\"name\":\"$name\"" "json carries the hist name"
contains "$out" "{\"pid\":$p2,\"comm\":\"ftwl_b\"}],\"values\":[500]" "json typed execname key"

# diff: a.json (before the second workload) against now.
expect_exit 0 "$FTRIG" hist dump syscalls:sys_enter_getppid -o "$dir/b.json"
expect_exit 0 "$FTRIG" hist diff "$dir/a.json" "$dir/b.json"
contains "$out" "+500            0          500  common_pid=ftwl_b [$p2]  (new)" "diff"

# --every: timestamped snapshots, the table left as it is.
expect_exit 0 "$FTRIG" hist dump syscalls:sys_enter_getppid --every 1s --count 2 --dir "$dir/every"
[ "$(ls "$dir/every" | grep -c '^syscalls_sys_enter_getppid-[0-9T]*\.[0-9]*Z\.json$')" = 2 ] ||
	fail "--every --count 2 made: $(ls "$dir/every")"
[ "$(sed -n 's/^ *Hits: //p' "$T/events/$gp/hist")" -ge "$hits" ] || fail "the table was cleared"

# stats on a log2 key: 100 reads of 4096 bytes, only the workload's (filtered on its pid).
"$wl" --comm ftwl_r --pre-sleep 1500 --read 100:4096 >/dev/null &
p3=$!
# The trigger goes in once the workload has loaded (its name is set after the loader's reads).
i=0
until [ "$(cat /proc/$p3/comm 2>/dev/null)" = ftwl_r ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the workload never started"
	sleep 0.05
done
tg_rd="hist:keys=count.log2:vals=hitcount if common_pid == $p3"
echo "$tg_rd" >>"$T/events/$rd/trigger" || fail "the kernel refused $tg_rd"
wait $p3
expect_exit 0 "$FTRIG" hist stats syscalls:sys_enter_read --json
contains "$out" '"key":"count","unit":null,"weight":"hitcount","method":"interpolated","count":100' "stats"
contains "$out" '"min":2049,"max":4096' "log2 bucket ~ 2^12 is 2049..4096"
contains "$out" '"p50":3073' "p50 inside the bucket"

# An instance: its own hist, read with --instance, and found by --all.
mkdir "$T/instances/$inst" || fail "cannot create instance $inst"
echo "$tg_in" >>"$T/instances/$inst/events/$gp/trigger" || fail "the kernel refused $tg_in"
"$wl" --getppid 7 >/dev/null &
p4=$!
wait $p4
expect_exit 0 "$FTRIG" hist show syscalls:sys_enter_getppid --instance "$inst"
contains "$out" "{ common_pid: $(printf '%10d' $p4) } hitcount:          7" "show --instance"
expect_exit 1 "$FTRIG" hist show syscalls:sys_enter_getppid --instance nosuch_$$
contains "$out" "no instance 'nosuch_$$'" "unknown instance"

# --all: one file per event with a hist trigger.
expect_exit 0 "$FTRIG" hist dump --all --format folded --dir "$dir/all"
ls "$dir/all" | grep -q '^syscalls_sys_enter_getppid-.*\.folded$' || fail "--all: $(ls "$dir/all")"
ls "$dir/all" | grep -q '^syscalls_sys_enter_read-.*\.folded$' || fail "--all: $(ls "$dir/all")"
grep -q "^2049-4096 100$" "$dir/all"/syscalls_sys_enter_read-* || fail "folded: $(cat "$dir/all"/syscalls_sys_enter_read-*)"
grep -q "^$p4 7$" "$dir/all/${inst}_syscalls_sys_enter_getppid"-* || fail "--all in the instance: $(ls "$dir/all")"

cleanup
trap - EXIT
grep -q '^hist:' "$T/events/$gp/trigger" "$T/events/$rd/trigger" && fail "hist triggers left behind"
[ ! -d "$T/instances/$inst" ] || fail "instance $inst left behind"
exit 0
