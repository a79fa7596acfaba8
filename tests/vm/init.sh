#!/bin/sh
# /init of the VM tier's initramfs (busybox ash, PID 1). Not a test: tests/vm/run.sh copies it
# into the initramfs as /init, and the test list below leaves out run.sh and init.sh.
#
# run.sh writes /etc/ftrig-vm.env with FTRIG_VM_MODE (test, shell, capture or bench), FTRIG_VM_MARK
# (a marker unique to the run), FTRIG, FTRIG_TESTS, FTRIG_HELPERS, FTRIG_TEST_STRICT and, for
# capture, FTRIG_VM_CAPTURE, for bench, FTRIG_VM_BENCH (the benchmark scripts), for tests
# FTRIG_VM_TESTDIRS (the folders of tests/ to run) and FTRIG_VM_TIER (the tier's name).
# Every line meant for the host starts with the marker:
#   MARK LINE            a line of the runner's output, shown by run.sh as it comes
#   MARK-EXIT CODE       the runner's exit code; the last thing the VM says
#   MARK-BEGIN NAME      capture: file NAME follows as MARK-D BASE64 lines, up to MARK-END
#   MARK-MISSING NAME    capture: the file could not be read (the reason follows as MARK lines)
# Then the VM powers off through sysrq.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH HOME=/root TMPDIR=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# /tmp and /run get a tmpfs, unless the initramfs put the tests there (FTRIG_TESTS=/tmp/...):
# the initramfs itself is a writable tmpfs anyway.
for d in /tmp /run; do
	[ -n "$(ls -A $d 2>/dev/null)" ] || mount -t tmpfs tmpfs $d
done
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
mount -t bpf bpf /sys/fs/bpf
mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# Only emergencies on the console from here on: a kernel message in the middle of a marked line
# would garble it. dmesg still has everything.
echo 1 >/proc/sys/kernel/printk
hostname ftrig-vm

. /etc/ftrig-vm.env
M=$FTRIG_VM_MARK
T=/sys/kernel/tracing
export FTRIG FTRIG_TESTS FTRIG_HELPERS FTRIG_TEST_STRICT FTRIG_TESTS_ONLY

say() { printf '%s %s\n' "$M" "$*"; }

off() {
	sync
	sleep 1 # let the serial port drain before the machine goes away
	echo o >/proc/sysrq-trigger
	sleep 5
	poweroff -f
}

# emit SRC NAME: send file SRC base64-encoded, to be saved on the host as NAME.
emit() {
	if cat "$1" >/tmp/emit 2>/tmp/emit.err; then
		echo "$M-BEGIN $2"
		base64 </tmp/emit | sed "s/^/$M-D /"
		echo "$M-END $2"
	else
		echo "$M-MISSING $2"
		sed "s/^/$M /" /tmp/emit.err
	fi
}

# emit_list: send every SRC=NAME of FTRIG_VM_CAPTURE.
emit_list() {
	for spec in $FTRIG_VM_CAPTURE; do
		src=${spec%%=*} name=${spec#*=}
		case $src in /*) ;; *) src=$T/$src ;; esac
		emit "$src" "$name"
	done
}

case $FTRIG_VM_MODE in
shell)
	echo "ftrig VM: kernel $(uname -r); FTRIG=${FTRIG:-}; exit the shell to power off"
	echo "(tracefs at $T; the tests are in ${FTRIG_TESTS:-nowhere})"
	cd / && setsid cttyhack sh -l
	off
	;;
capture)
	if [ -f /etc/ftrig-vm-setup.sh ]; then
		# run.sh --setup: the script's files first, then the SRCs asked for; nothing else.
		mkdir -p /tmp/capture
		FTRIG_CAPTURE_OUT=/tmp/capture sh /etc/ftrig-vm-setup.sh </dev/null >/tmp/setup.log 2>&1
		rc=$?
		sed "s/^/$M setup: /" /tmp/setup.log
		(cd /tmp/capture && find . -type f | sed 's|^\./||' | sort) | while IFS= read -r f; do
			emit "/tmp/capture/$f" "$f"
		done
		emit_list
		echo "$M-EXIT $rc"
		off
	fi
	emit_list
	# A live hist trigger, for real hist output.
	ev=$T/events/sched/sched_switch
	h='hist:keys=common_pid.execname:vals=hitcount:sort=hitcount.descending'
	if echo "$h" >>"$ev/trigger"; then
		sleep 1
		emit "$ev/trigger" events/sched/sched_switch/trigger-with-hist
		emit "$ev/hist" events/sched/sched_switch/hist
		echo "!$h" >>"$ev/trigger" && ! grep -q '^hist:' "$ev/trigger" ||
			say "could not remove the hist trigger"
	else
		say "could not set a hist trigger on sched_switch"
		echo "$M-MISSING events/sched/sched_switch/hist"
	fi
	echo "$M-EXIT 0"
	off
	;;
bench)
	say "vm: kernel $(uname -r) up after $(cut -d ' ' -f 1 /proc/uptime)s, running the benchmarks"
	FTRIG_BENCH_VM=1
	export FTRIG_BENCH_VM
	for b in $FTRIG_VM_BENCH; do
		tb=$(cut -d . -f 1 /proc/uptime)
		(cd "$(dirname "$b")" && sh "$b" </dev/null 2>&1) | while IFS= read -r line; do say "$line"; done
		# Each benchmark's time (bench/run.sh keeps it in the notes: issue #21's 20 minutes).
		say "# [vm] $(basename "$b") took $(($(cut -d . -f 1 /proc/uptime) - tb)) s"
	done
	echo "$M-EXIT 0"
	off
	;;
esac

# test mode
up=$(cut -d ' ' -f 1 /proc/uptime)
say "vm: kernel $(uname -r) up after ${up}s, running the tests"
set --
# The folders run.sh chose for the kernel (host and vm for 6.1, vm612 for 6.12).
for d in ${FTRIG_VM_TESTDIRS:-host vm}; do
	for t in "$FTRIG_TESTS/$d"/*.sh; do
		case ${t##*/} in run.sh | init.sh) continue ;; esac
		[ -f "$t" ] && set -- "$@" "$t"
	done
done
cd "$FTRIG_TESTS/.." || say "vm: no tests folder at $FTRIG_TESTS"
{
	sh "$FTRIG_TESTS/run-tests.sh" "${FTRIG_VM_TIER:-vm}" "$@" </dev/null
	echo $? >/tmp/runner.rc
} 2>&1 | while IFS= read -r line; do say "$line"; done
rc=$(cat /tmp/runner.rc 2>/dev/null)
# Kernel warnings raised during the run go to the console log only (run.sh does not show them).
if [ "${rc:-1}" != 0 ]; then
	echo "---- dmesg (warnings and worse) ----"
	dmesg -r 2>/dev/null | grep '^<[0-4]>' | tail -n 100
fi
echo "$M-EXIT ${rc:-1}"
off
