# Hist triggers on the full kernel: every key modifier, compound keys, sort, size, a name
# shared by two events, pause/cont/clear, enable_hist/disable_hist, the snapshot trigger,
# onmax with save and snapshot, and a wakeup latency histogram (variables, onmatch, a
# synthetic event). For each, the trigger file lists exactly what ftrig formatted.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require hist_triggers,synthetic_events,snapshot >/dev/null 2>&1 ||
	skip "needs hist triggers, synthetic events and snapshot"
private_state
I=ftrig-hist-$$
IT=$T/instances/$I
EVENTS="sched/sched_switch sched/sched_waking kmem/kmalloc raw_syscalls/sys_enter syscalls/sys_enter_getppid syscalls/sys_exit_getppid"
snap() { for e in $EVENTS; do cat "$T/events/$e/trigger"; done; }
before=$(snap)
mkdir "$IT" || fail "cannot create instance $I"
trap '"$FTRIG" trigger rm --ours >/dev/null 2>&1; echo 0 >"$IT/events/syscalls/sys_enter_getppid/enable"; rmdir "$IT"; rm -rf "$FTRIG_STATE_DIR"' EXIT

# listed_ok EVENT: ftrig's last output says how the kernel lists the trigger, and it does.
listed_ok() {
	case $out in *"does not list"*) fail "ftrig predicted another listing: $out" ;; esac
	listed=$(echo "$out" | sed -n "s/^listed as '\(.*\)'$/\1/p")
	[ -n "$listed" ] || fail "no 'listed as' in: $out"
	f=$T/events/$(echo "$1" | tr : /)/trigger
	grep -qxF "$listed" "$f" || fail "$f does not list '$listed': $(cat "$f")"
}
add() {
	expect_exit 0 "$FTRIG" trigger add "$@"
	listed_ok "$1"
}
# Triggers filter on the workload's name, so they are in place before it starts.
phase() { comm=ft$1$$; }
# wl ARGS: run the workload under $comm; sets $wp to its pid.
wl() { wp=$("$FTRIG_HELPERS/workload" --comm "$comm" "$@" | sed -n 's/^pid //p'); }
hist_of() { cat "$T/events/$(echo "$1" | tr : /)/hist"; }

# Every key modifier, each added, listed as formatted, and removed by ftrig.
for km in kmem:kmalloc=call_site.hex kmem:kmalloc=call_site.sym kmem:kmalloc=call_site.sym-offset \
	raw_syscalls:sys_enter=id.syscall sched:sched_switch=common_pid.execname \
	kmem:kmalloc=bytes_req.log2 kmem:kmalloc=bytes_req.buckets=64 \
	sched:sched_switch=common_timestamp.usecs sched:sched_switch=stacktrace; do
	ev=${km%%=*}
	add "$ev" "hist:keys=${km#*=}"
	expect_exit 0 "$FTRIG" trigger rm "$ev" "hist:keys=${km#*=}"
done

# .syscall really names the calls: 25 getppid calls of the workload show up as such.
phase S
add raw_syscalls:sys_enter "hist:keys=id.syscall:vals=hitcount if comm == \"$comm\""
wl --getppid 25
hist_of raw_syscalls:sys_enter | grep 'sys_getppid' | grep -q 'hitcount: *25' ||
	fail "no 25 getppid in the syscall histogram: $(hist_of raw_syscalls:sys_enter)"
expect_exit 0 "$FTRIG" trigger rm --ours

# hist start: compound key, value, sort, size, filter, name; then pause, cont, clear, rm.
expect_exit 0 "$FTRIG" hist start sched:sched_switch --key next_comm --key prev_state \
	--val prev_prio --sort hitcount:desc --size 4096 --filter 'next_pid > 0' --name ftvm_sw
listed_ok sched:sched_switch
contains "$listed" "hist:name=ftvm_sw:keys=next_comm,prev_state:vals=hitcount,prev_prio:sort=hitcount.descending:size=4096 if next_pid > 0 [active]" "hist start listing"
expect_exit 0 "$FTRIG" hist pause sched:sched_switch --name ftvm_sw
grep -q 'name=ftvm_sw.*\[paused\]' "$T/events/sched/sched_switch/trigger" || fail "hist pause did not pause"
expect_exit 0 "$FTRIG" hist cont sched:sched_switch --name ftvm_sw
grep -q 'name=ftvm_sw.*\[active\]' "$T/events/sched/sched_switch/trigger" || fail "hist cont did not continue"
"$FTRIG_HELPERS/workload" --sleep 20:1000 >/dev/null
hits() { hist_of sched:sched_switch | sed -n 's/^ *Hits: *//p' | head -n 1; }
[ "$(hits)" -gt 0 ] || fail "no hits before clear"
expect_exit 0 "$FTRIG" hist pause sched:sched_switch --name ftvm_sw
expect_exit 0 "$FTRIG" hist clear sched:sched_switch --name ftvm_sw
[ "$(hits)" = 0 ] || fail "hist clear left $(hits) hits"
expect_exit 1 "$FTRIG" hist rm sched:sched_switch --name nosuch
contains "$out" "has no hist named nosuch" "hist rm of a missing name"
expect_exit 1 "$FTRIG" hist pause sched:sched_switch --name ftvm_sx
contains "$out" "has no hist named ftvm_sx; did you mean ftvm_sw?" "a hist name misspelt"
expect_exit 0 "$FTRIG" hist rm sched:sched_switch --name ftvm_sw
! grep -q ftvm_sw "$T/events/sched/sched_switch/trigger" || fail "hist rm left the trigger"

# In an instance, and as a dry run first.
dry_before=$(dry_snap "$I" "kmem/kmalloc")
expect_exit 0 "$FTRIG" hist start kmem:kmalloc --key call_site.sym --val bytes_req \
	--sort bytes_req:desc --instance "$I" --dry-run
same_dry "$dry_before" "hist start --dry-run" "$I" "kmem/kmalloc"
contains "$out" "echo 'hist:keys=call_site.sym:vals=bytes_req:sort=bytes_req.descending' >> $IT/events/kmem/kmalloc/trigger" "hist start --dry-run"
! grep -q '^hist' "$IT/events/kmem/kmalloc/trigger" || fail "the dry run wrote a trigger"
expect_exit 0 "$FTRIG" hist start kmem:kmalloc --key call_site.sym --val bytes_req \
	--sort bytes_req:desc --instance "$I"
contains "$out" "listed as 'hist:keys=call_site.sym:vals=hitcount,bytes_req:sort=bytes_req.descending:size=2048 [active]'" "hist start in an instance"
grep -q '^hist:keys=call_site.sym' "$IT/events/kmem/kmalloc/trigger" || fail "no hist in the instance"
expect_exit 0 "$FTRIG" hist rm kmem:kmalloc --instance "$I"
! grep -q '^hist' "$IT/events/kmem/kmalloc/trigger" || fail "hist rm left the instance's trigger"

# A name shared by two events: both count into one table.
phase N
add syscalls:sys_enter_getppid "hist:keys=common_pid:name=ftvm_shared if comm == \"$comm\""
add syscalls:sys_exit_getppid "hist:keys=common_pid:name=ftvm_shared if comm == \"$comm\""
wl --getppid 10
hist_of syscalls:sys_enter_getppid | grep -q "common_pid: *$wp } hitcount: *20" ||
	fail "the shared hist does not hold 10 + 10 hits: $(hist_of syscalls:sys_enter_getppid)"
expect_exit 0 "$FTRIG" trigger rm --ours

# enable_hist / disable_hist start and stop another event's hist trigger.
add syscalls:sys_exit_getppid 'hist:keys=common_pid:pause'
grep -q 'keys=common_pid.*\[paused\]' "$T/events/syscalls/sys_exit_getppid/trigger" || fail "not paused"
phase H
add syscalls:sys_enter_getppid "enable_hist:syscalls:sys_exit_getppid:1 if comm == \"$comm\""
wl --getppid 10
grep -q 'keys=common_pid.*\[active\]' "$T/events/syscalls/sys_exit_getppid/trigger" || fail "enable_hist did not start the hist"
hist_of syscalls:sys_exit_getppid | grep -q "common_pid: *$wp } hitcount: *1[0-9]*" ||
	fail "the enabled hist did not count the workload: $(hist_of syscalls:sys_exit_getppid)"
# enable_hist and disable_hist of one target share a slot: the kernel takes one of them.
expect_exit 1 "$FTRIG" trigger add syscalls:sys_enter_getppid "disable_hist:syscalls:sys_exit_getppid"
contains "$out" "takes one disable_hist trigger of each target" "second enable/disable_hist"
expect_exit 0 "$FTRIG" trigger rm syscalls:sys_enter_getppid enable_hist:syscalls:sys_exit_getppid
phase D
add syscalls:sys_enter_getppid "disable_hist:syscalls:sys_exit_getppid:1 if comm == \"$comm\""
wl --getppid 3
grep -q 'keys=common_pid.*\[paused\]' "$T/events/syscalls/sys_exit_getppid/trigger" || fail "disable_hist did not stop the hist"
expect_exit 0 "$FTRIG" trigger rm --ours

# The snapshot trigger swaps the instance's buffer into its snapshot.
echo 1 >"$IT/events/syscalls/sys_enter_getppid/enable"
phase P
expect_exit 0 "$FTRIG" trigger add syscalls:sys_enter_getppid "snapshot:1 if comm == \"$comm\"" --instance "$I"
contains "$out" "listed as 'snapshot:count=1 if comm == \"$comm\"'" "snapshot listing"
wl --getppid 5
grep -q "$comm-$wp .*sys_getppid" "$IT/snapshot" || fail "the snapshot holds no getppid of the workload"
echo 0 >"$IT/events/syscalls/sys_enter_getppid/enable"
expect_exit 0 "$FTRIG" trigger rm --ours

# onmax with save and snapshot.
add sched:sched_switch 'hist:keys=next_pid:p=next_prio:onmax($p).save(next_comm,prev_pid):onmax($p).snapshot()'
"$FTRIG_HELPERS/workload" --sleep 10:1000 >/dev/null
hist_of sched:sched_switch | grep -q 'max:' || fail "onmax saved nothing: $(hist_of sched:sched_switch)"
hist_of sched:sched_switch | grep -q 'next_comm:' || fail "onmax did not save next_comm"
expect_exit 0 "$FTRIG" trigger rm --ours

# A wakeup latency histogram: a variable on sched_waking, the difference on sched_switch,
# onmatch() feeding a synthetic event (defined through the ledger), a hist on that.
add sched:sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs'
add sched:sched_switch 'hist:keys=next_pid:lat=common_timestamp.usecs-$ts0:onmatch(sched.sched_waking).trace(ftvm_lat,next_pid,$lat)' \
	--synth 'ftvm_lat pid_t pid; u64 lat'
contains "$out" "defined synthetic event 'ftvm_lat pid_t pid; u64 lat'" "--synth"
grep -q 'ftvm_lat' "$T/dynamic_events" || fail "the synthetic event is not defined"
add synthetic:ftvm_lat 'hist:keys=lat.log2:sort=lat'
"$FTRIG_HELPERS/workload" --sleep 20:1000 >/dev/null
hist_of synthetic:ftvm_lat | grep -q 'lat: ~ 2^' || fail "no latency buckets: $(hist_of synthetic:ftvm_lat)"
expect_exit 1 "$FTRIG" trigger rm sched:sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs'
contains "$out" "in use" "removing a hist whose variable is used"
expect_exit 0 "$FTRIG" trigger rm --ours
contains "$out" "removed dynamic event synthetic/ftvm_lat" "rm --ours removes the synthetic event"
! grep -q 'ftvm_lat' "$T/dynamic_events" || fail "the synthetic event is left"

# Somebody else's hist triggers, removed by their listed lines (which the kernel does not
# take back as they are: ftrig writes the removal in the written form).
for h in 'hist:keys=prev_pid:vals=prev_prio:sort=prev_prio.descending:size=300' \
	'hist:keys=next_pid:ts1=common_timestamp.usecs:name=ftvm_foreign if next_prio < 50'; do
	echo "$h" >>"$T/events/sched/sched_switch/trigger" || fail "cannot write '$h'"
	line=$(grep -v '^#' "$T/events/sched/sched_switch/trigger" | tail -n 1)
	expect_exit 0 "$FTRIG" trigger ls sched:sched_switch
	contains "$out" "-         sched:sched_switch  $line" "a foreign hist trigger in ls"
	expect_exit 1 "$FTRIG" trigger rm sched:sched_switch "$h"
	contains "$out" "not created by ftrig" "rm of a foreign hist trigger by its written form"
	expect_exit 0 "$FTRIG" trigger rm sched:sched_switch "$line"
	! grep -qxF "$line" "$T/events/sched/sched_switch/trigger" || fail "'$line' is still there"
done

# What only the kernel knows (a variable no trigger defines): its error_log message under
# the user's text, nothing written, nothing journaled.
expect_exit 1 "$FTRIG" trigger add sched:sched_switch 'hist:keys=next_pid:lat=common_timestamp.usecs-$nosuch'
contains "$out" "the kernel refused it: Couldn't find field" "kernel refusal"
contains "$out" "    hist:keys=next_pid:lat=common_timestamp.usecs-\$nosuch" "the spec under the message"
echo "$out" | grep -q '^ *^$' || fail "no caret line: $out"
! grep -q 'nosuch' "$T/events/sched/sched_switch/trigger" || fail "the refused trigger is there"

[ "$(snap)" = "$before" ] || fail "trigger files differ from before"
[ "$(grep -c '^+' "$FTRIG_STATE_DIR/persistent.journal")" = "$(grep -c '^-' "$FTRIG_STATE_DIR/persistent.journal")" ] ||
	fail "the journal still holds objects: $(cat "$FTRIG_STATE_DIR/persistent.journal")"
exit 0
