#!/bin/sh
# Capture script for the hist fixtures (tests/fixtures/vm-6.1/hist): run inside the Debian 6.1
# VM by `make capture-hist` (tests/vm/run.sh --capture DIR --setup THIS). Not a test: the VM
# tier only runs tests/vm/*.sh, not this folder.
#
# For every flavour of hist trigger the parser must read, it appends the trigger to a real
# event's trigger file (never truncating: that would drop other hist triggers), makes load,
# saves the event's hist file as NAME.hist and its trigger listing as NAME.trigger into
# $FTRIG_CAPTURE_OUT, and removes each trigger with the exact text it wrote. MANIFEST lists
# NAME, event and the triggers written (tab separated); REFUSED lists the triggers this kernel
# would not take, with its error_log. At the end no trigger it made is left (checked).
set -u
T=/sys/kernel/tracing
out=${FTRIG_CAPTURE_OUT:?}
mkdir -p "$out"
made=/tmp/hist-capture.made
: >"$made"
: >"$out/MANIFEST"
: >"$out/REFUSED"
wl=${FTRIG_HELPERS:-}/workload
[ -x "$wl" ] || wl=

# add EVENT TRIGGER: append TRIGGER to EVENT's trigger file; 1 if the kernel refused it.
add() {
	echo >"$T/error_log" 2>/dev/null
	if echo "$2" >>"$T/events/$1/trigger" 2>/dev/null; then
		printf '%s\t%s\n' "$1" "$2" >>"$made"
		return 0
	fi
	printf '%s\t%s\t%s\n' "$1" "$2" "$(tr '\n' ' ' <"$T/error_log")" >>"$out/REFUSED"
	return 1
}

# remove_all: remove every trigger written, newest first (handlers may depend on variables of
# older ones).
remove_all() {
	sed -n '1!G;h;$p' "$made" | while IFS="$(printf '\t')" read -r ev trig; do
		echo "!$trig" >>"$T/events/$ev/trigger" || echo "could not remove $ev: $trig"
	done
	: >"$made"
}

# save NAME EVENT: keep EVENT's hist and trigger files, and what was written, as NAME.
save() {
	cat "$T/events/$2/hist" >"$out/$1.hist"
	cat "$T/events/$2/trigger" >"$out/$1.trigger"
	grep "^$2	" "$made" | while IFS="$(printf '\t')" read -r ev trig; do
		printf '%s\t%s\t%s\n' "$1" "$ev" "$trig" >>"$out/MANIFEST"
	done
}

# load: a burst of forks, execs, file reads and system calls.
load() {
	i=0
	while [ $i -lt ${1:-20} ]; do
		ls /proc /sys/kernel >/dev/null
		cat /proc/self/status /proc/meminfo >/dev/null
		echo x | sed s/x/y/ >/dev/null
		i=$((i + 1))
	done
	if [ -n "$wl" ]; then
		"$wl" --getppid 1000 --read 100:4096 --open 50:/proc/version --sleep 5:1000 >/dev/null
	fi
}

# one NAME EVENT TRIGGER: a hist with one trigger.
one() {
	if add "$2" "$3"; then
		load 20
		save "$1" "$2"
		remove_all
	fi
}

E_SW=sched/sched_switch
E_KM=kmem/kmalloc
E_SE=raw_syscalls/sys_enter
E_SX=raw_syscalls/sys_exit

one execname $E_SW 'hist:keys=common_pid.execname:vals=hitcount:sort=hitcount.descending'
one syscall $E_SE 'hist:keys=id.syscall:vals=hitcount'
one pid-syscall $E_SE 'hist:keys=common_pid.execname,id.syscall:vals=hitcount:sort=common_pid,hitcount.descending'
one syscall-ret $E_SX 'hist:keys=id.syscall,ret:vals=hitcount'
one hex-key $E_KM 'hist:keys=call_site.hex:vals=bytes_req,bytes_alloc'
one sym $E_KM 'hist:keys=call_site.sym:vals=hitcount,bytes_req,bytes_alloc:sort=bytes_alloc.descending'
one sym-offset $E_KM 'hist:keys=call_site.sym-offset:vals=bytes_req'
one log2 $E_KM 'hist:keys=bytes_req.log2:vals=hitcount,bytes_alloc'
one buckets $E_KM 'hist:keys=bytes_req.buckets=64:vals=hitcount:sort=bytes_req'
one vals-hex $E_KM 'hist:keys=common_pid:vals=bytes_req.hex,bytes_alloc'
one vals-percent $E_KM 'hist:keys=common_pid.execname:vals=bytes_req.percent,bytes_alloc.graph'
one hitcount-percent $E_KM 'hist:keys=bytes_alloc:vals=hitcount.percent,hitcount.graph'
one nohitcount $E_KM 'hist:keys=bytes_req.log2:vals=bytes_alloc:nohitcount'
one strings $E_SW 'hist:keys=prev_comm,next_comm:vals=hitcount:sort=hitcount.descending'
one stacktrace $E_SW 'hist:keys=stacktrace:vals=hitcount:sort=hitcount.descending'
one pid-stacktrace $E_KM 'hist:keys=common_pid,stacktrace:vals=bytes_alloc'
one filtered $E_KM 'hist:keys=call_site.sym:vals=hitcount:size=256 if bytes_req > 256'

# String keys with spaces, commas, colons and braces: a process renames itself (task_rename)
# and execs a program whose path has them (sched_process_exec).
if add task/task_rename 'hist:keys=oldcomm,newcomm:vals=hitcount'; then
	for n in 'a b, c: {d}' 'x } y' 'p, newcomm: q' '{ }'; do
		sh -c 'printf "%s" "$1" >/proc/self/comm; true' - "$n"
	done
	save rename-strings task/task_rename
	remove_all
fi
odd='/tmp/odd dir, a:b {c}'
mkdir -p "$odd" && printf '#!/bin/sh\ntrue\n' >"$odd/run it, now: {1}" && chmod +x "$odd/run it, now: {1}"
if add sched/sched_process_exec 'hist:keys=filename,common_pid:vals=hitcount'; then
	"$odd/run it, now: {1}"
	"$odd/run it, now: {1}"
	load 3
	save exec-strings sched/sched_process_exec
	remove_all
fi

# Symbols in a module print as "name [module]": load one (make capture-hist brings loop.ko
# into the VM) while two hists watch kmalloc() calls from module addresses.
ko=$(find / -xdev -name loop.ko 2>/dev/null | head -n 1)
mods='if call_site >= 0xffffffffc0000000'
if [ -z "$ko" ]; then
	echo "sym-module: no loop.ko in the VM" >>"$out/REFUSED"
elif add $E_KM "hist:keys=call_site.sym:vals=hitcount,bytes_req:sort=bytes_req.descending $mods" &&
	add $E_KM "hist:keys=call_site.sym-offset:vals=hitcount $mods"; then
	if insmod "$ko" max_loop=4; then
		dd if=/dev/zero of=/tmp/loop.img bs=1024 count=64 2>/dev/null
		losetup /dev/loop0 /tmp/loop.img && losetup -d /dev/loop0
		save sym-module $E_KM
		rmmod loop
	else
		echo "sym-module: insmod $ko failed" >>"$out/REFUSED"
	fi
fi
remove_all

# Several hists on one event: its hist file holds one table per trigger.
if add $E_KM 'hist:keys=bytes_req.log2:vals=hitcount' &&
	add $E_KM 'hist:keys=common_pid.execname:vals=bytes_alloc:sort=bytes_alloc.descending' &&
	add $E_KM 'hist:keys=call_site.sym:vals=hitcount:sort=hitcount.descending:size=128'; then
	load 20
	save multi $E_KM
fi
remove_all

# A named hist shared by two events, and a paused one.
if add $E_SE 'hist:name=ftcap_shared:keys=common_pid.execname:vals=hitcount' &&
	add $E_SX 'hist:name=ftcap_shared:keys=common_pid.execname:vals=hitcount'; then
	load 10
	save named $E_SE
	add $E_SW 'hist:keys=next_pid:vals=hitcount:pause' && save paused $E_SW
fi
remove_all

# Handlers: onmax and onchange with save(), and the wakeup latency of the kernel's docs.
one onmax $E_KM 'hist:keys=common_pid.execname:m=bytes_req:onmax($m).save(bytes_alloc,call_site)'
one onchange $E_KM 'hist:keys=common_pid:c=bytes_alloc:onchange($c).save(bytes_req,call_site)'
if add sched/sched_waking 'hist:keys=pid:ts0=common_timestamp.usecs' &&
	add $E_SW 'hist:keys=next_pid:wakeup_lat=common_timestamp.usecs-$ts0:onmax($wakeup_lat).save(next_comm,prev_pid,prev_prio,prev_comm)'; then
	load 20
	save wakeup-onmax $E_SW
fi
remove_all

# A larger table, many keys, for the parser's sums.
one big $E_SE 'hist:keys=common_pid,id,common_cpu:vals=hitcount:size=8192'

left=$(cat $T/events/*/*/trigger | grep -c '^hist:')
echo "hist triggers left: $left" >>"$out/REFUSED"
[ "$left" = 0 ] || { echo "capture left hist triggers behind" >&2; exit 1; }
exit 0
