#!/bin/sh
# The VM test tier: runs tests/host/*.sh and tests/vm/*.sh inside the Debian 6.1 kernel under
# qemu (TCG), which has the ftrace features the host kernel lacks (kprobes, hist triggers,
# snapshot, synthetic events).
#
# FTRIG_VM_KERNEL=6.12 boots Debian's newest linux-image-6.12.*-amd64-unsigned instead (it has
# CONFIG_FPROBE, so BPF kprobe-multi, which 6.1's lacks) and runs only tests/vm612/*.sh: the
# tests of what 6.1 cannot do, kept few so that this second boot stays short (about half a
# minute under TCG here; make check-vm-6.12, called by make check). Its kernel, initramfs and console log live in
# FTRIG_VM_CACHE/6.12, so the two kernels never evict each other. Default: 6.1.
#
# usage: FTRIG=... FTRIG_TESTS=... FTRIG_HELPERS=... FTRIG_VM_CACHE=... sh tests/vm/run.sh
#        sh tests/vm/run.sh --shell           boot to an interactive busybox shell (Ctrl-A X quits qemu)
#        sh tests/vm/run.sh --capture DIR [SRC[=NAME]...]
#                                             copy tracefs files out of the VM into DIR (fixtures);
#                                             SRC is relative to /sys/kernel/tracing or absolute
#        sh tests/vm/run.sh --capture DIR --setup SCRIPT [SRC[=NAME]...]
#                                             run SCRIPT (sh) in the VM first, with
#                                             FTRIG_CAPTURE_OUT set to a folder; every file it
#                                             writes there lands in DIR at the same relative
#                                             path, then the SRCs (no default files); a SCRIPT
#                                             that fails fails the capture
#        sh tests/vm/run.sh --bench SCRIPT...  run benchmark scripts (bench/NN-*.sh) in the VM
#                                             instead of the tests, with FTRIG_BENCH_VM=1; their
#                                             folder is copied in; prints their output lines
#
# make check-vm sets FTRIG (the binary), FTRIG_TESTS (the tests folder), FTRIG_HELPERS (folder of
# helper programs) and FTRIG_VM_CACHE (build/vm: kernel, initramfs, console log). All are
# absolute paths; the initramfs keeps them as they are, so the tests see the same paths inside.
# FTRIG_TEST_STRICT and FTRIG_TESTS_ONLY (see tests/run-tests.sh) are passed through. FTRIG_VM_TIMEOUT (seconds, default 1200) bounds a run.
# FTRIG_VM_EXTRA: more files or folders (absolute, space-separated) to copy in at the same path,
# with the libraries of any executables among them (e.g. /usr/sbin/bpftool).
# FTRIG_VM_MEM: the VM's memory (qemu -m, default 1G; big FTRIG_VM_EXTRA tools such as bpftrace
# with its LLVM libraries need more, since the initramfs lives in RAM: make bench uses 3G).
#
# Test scripts in tests/vm/ are every *.sh there except run.sh and init.sh (the VM's /init);
# with FTRIG_VM_KERNEL=6.12, those of tests/vm612/ only (their tier is named vm612).
# The tier prints one line per test and the runner's summary, and exits with the runner's code.
# If qemu, busybox-static or the kernel package cannot be had, it prints "SKIP vm: REASON"
# ("SKIP vm612: REASON" for 6.12), a failure under FTRIG_TEST_STRICT=1.
set -u

here=$(cd "$(dirname "$0")" && pwd)
mode="test"
capdir=
setup=
case ${1:-} in
--shell) mode=shell ;;
--capture)
	mode=capture
	capdir=${2:?--capture needs a folder}
	shift 2
	if [ "${1:-}" = --setup ]; then
		setup=${2:?--setup needs a script}
		[ -f "$setup" ] || { echo "vm: no setup script $setup" >&2; exit 2; }
		shift 2
	fi
	;;
--bench)
	mode=bench
	shift
	[ $# -gt 0 ] || {
		echo "usage: sh tests/vm/run.sh --bench SCRIPT..." >&2
		exit 2
	}
	;;
-h | --help)
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0
	;;
"") ;;
*)
	echo "usage: sh tests/vm/run.sh [--shell | --capture DIR [--setup SCRIPT] [SRC[=NAME]...] | --bench SCRIPT...]" >&2
	exit 2
	;;
esac

# abs PATH: PATH made absolute (the initramfs puts things at the same absolute paths).
abs() {
	case $1 in
	/* | "") echo "$1" ;;
	*) echo "$(cd "$(dirname "$1")" 2>/dev/null && pwd)/${1##*/}" ;;
	esac
}
kernel=${FTRIG_VM_KERNEL:-6.1}
case $kernel in
6.1) testdirs="host vm" tier=vm ;;
6.12) testdirs="vm612" tier=vm612 ;;
*)
	echo "vm: FTRIG_VM_KERNEL is 6.1 (the default) or 6.12, not '$kernel'" >&2
	exit 2
	;;
esac
cache=${FTRIG_VM_CACHE:-$here/../../build/vm}
[ "$kernel" = 6.1 ] || cache=$cache/$kernel
mkdir -p "$cache" && cache=$(cd "$cache" && pwd) || exit 1
FTRIG_TESTS=$(abs "${FTRIG_TESTS:-$(cd "$here/.." && pwd)}")
FTRIG=$(abs "${FTRIG:-}")
FTRIG_HELPERS=$(abs "${FTRIG_HELPERS:-}")
strict=${FTRIG_TEST_STRICT:-0}
log=$cache/console.log

now() { date +%s; }
t_start=$(now)
say() { echo "vm: $*"; }

# skip_tier REASON: the tier cannot run here.
skip_tier() {
	if [ "$mode" != test ]; then
		echo "vm: cannot boot: $*" >&2
		exit 1
	fi
	echo "SKIP $tier: $*"
	echo "$tier: 0 passed, 0 failed, 1 skipped"
	if [ "$strict" = 1 ]; then
		echo "vm: FTRIG_TEST_STRICT=1 and the tier was skipped: failing the run"
		exit 1
	fi
	exit 0
}

# fail_tier MESSAGE: the tier could not do its job.
fail_tier() {
	echo "FAIL vm: $*"
	exit 1
}

command -v qemu-system-x86_64 >/dev/null 2>&1 || skip_tier "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
command -v timeout >/dev/null 2>&1 || skip_tier "no timeout command (coreutils)"
busybox=/bin/busybox
[ -x $busybox ] || skip_tier "no $busybox (apt-get install busybox-static)"
ldd $busybox >/dev/null 2>&1 && skip_tier "$busybox is dynamically linked (apt-get install busybox-static)"
if command -v cpio >/dev/null 2>&1; then cpio=cpio; else cpio="$busybox cpio"; fi
if [ "$mode" = test ]; then
	[ -n "$FTRIG" ] && [ -x "$FTRIG" ] || fail_tier "FTRIG='$FTRIG' is not an executable"
	[ -f "$FTRIG_TESTS/run-tests.sh" ] || fail_tier "no run-tests.sh in FTRIG_TESTS='$FTRIG_TESTS'"
fi
case $FTRIG$FTRIG_TESTS$FTRIG_HELPERS in
*" "* | *"'"*) fail_tier "paths with spaces or quotes are not supported" ;;
esac

### 1. The kernel: the Debian package, downloaded once and unpacked into $cache/kernel.

# resolve_pkg: print the current linux-image-6.1.0-N-amd64 package name (for 6.12 the newest
# linux-image-6.12.N+debM-amd64-unsigned), if apt knows one.
resolve_pkg() {
	if [ "$kernel" = 6.12 ]; then
		apt-cache pkgnames linux-image-6.12. 2>/dev/null |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64-unsigned$' |
			sort -t . -k 3,3n | tail -n 1
		return
	fi
	p=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-6\.1\.0-[0-9][0-9]*-amd64\) *$/\1/p' | head -n 1)
	[ -n "$p" ] || p=$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
		grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -t - -k 4,4n | tail -n 1)
	echo "$p"
}

# vmlinuz_of PKG: print the kernel image of an unpacked package, if there is one.
vmlinuz_of() {
	for f in "$cache/kernel/$1"/boot/vmlinuz-*; do
		[ -f "$f" ] && echo "$f" && return 0
	done
	return 1
}

updated=0
apt_update() {
	[ $updated = 0 ] || return 1
	updated=1
	say "running apt-get update (once)"
	apt-get update -qq >"$cache/apt-update.log" 2>&1 || say "apt-get update failed: see $cache/apt-update.log"
	return 0
}

# fetch PKG: download PKG into $cache and unpack it into $cache/kernel/PKG.
fetch() {
	mkdir -p "$cache/dl" "$cache/kernel"
	rm -f "$cache/dl"/*.deb
	say "downloading $1 with apt-get download"
	t0=$(now)
	if ! (cd "$cache/dl" && apt-get download -q -o APT::Sandbox::User=root "$1") \
		>"$cache/apt-download.log" 2>&1; then
		say "download failed: see $cache/apt-download.log"
		return 1
	fi
	t1=$(now)
	say "downloaded $(du -k "$cache"/dl/*.deb | cut -f 1) KiB in $((t1 - t0)) s; unpacking it with dpkg-deb -x"
	rm -rf "$cache/kernel/$1.tmp"
	dpkg-deb -x "$cache"/dl/*.deb "$cache/kernel/$1.tmp" || return 1
	mv "$cache/kernel/$1.tmp" "$cache/kernel/$1"
	rm -f "$cache/dl"/*.deb
	say "unpacked in $(($(now) - t1)) s"
	# Drop older kernels: only the current one is kept.
	for d in "$cache"/kernel/*; do
		[ "$d" = "$cache/kernel/$1" ] || rm -rf "$d"
	done
}

pkg=$(resolve_pkg)
if [ -z "$pkg" ] && ! ls "$cache"/kernel/*/boot/vmlinuz-* >/dev/null 2>&1; then
	apt_update && pkg=$(resolve_pkg)
fi
vmlinuz=
if [ -n "$pkg" ] && vmlinuz=$(vmlinuz_of "$pkg"); then
	: # cached
elif [ -n "$pkg" ]; then
	if fetch "$pkg"; then
		vmlinuz=$(vmlinuz_of "$pkg")
	elif apt_update; then
		pkg=$(resolve_pkg)
		if [ -n "$pkg" ] && vmlinuz=$(vmlinuz_of "$pkg"); then
			:
		elif [ -n "$pkg" ] && fetch "$pkg"; then
			vmlinuz=$(vmlinuz_of "$pkg")
		fi
	fi
fi
if [ -z "$vmlinuz" ]; then
	# Whatever kernel an earlier run left, if apt cannot give the current one.
	vmlinuz=$(ls "$cache"/kernel/*/boot/vmlinuz-* 2>/dev/null | tail -n 1)
	[ -n "$vmlinuz" ] && say "using the cached $(basename "$vmlinuz"): ${pkg:-no package} could not be fetched"
fi
[ -n "$vmlinuz" ] && [ -f "$vmlinuz" ] ||
	skip_tier "no Debian $kernel kernel package obtainable (${pkg:+could not download $pkg: see $cache/apt-download.log}${pkg:-apt-cache knows no linux-image-$kernel package})"
kver=${vmlinuz##*/vmlinuz-}

### 2. The initramfs: busybox, ftrig and the helpers with their libraries, the tests, /init.

t_initrd=$(now)
root=$cache/root
rm -rf "$root"
mkdir -p "$root" || exit 1
# Keep the host's merged-/usr layout, so libraries land where ldd and ld.so.cache say.
for d in bin sbin lib lib32 lib64 libx32; do
	[ -L /$d ] && ln -s "$(readlink /$d)" "$root/$d"
done
mkdir -p "$root"/usr/bin "$root"/usr/sbin "$root"/etc "$root"/proc "$root"/sys "$root"/dev \
	"$root"/tmp "$root"/run "$root"/root "$root"/var
mkdir -p "$root/bin" "$root/sbin" # no-ops where they are symlinks

# put SRC [DEST]: copy SRC (symlinks followed) to DEST (default SRC) in the initramfs; the
# folder part is resolved on the host so /lib/x/libc.so.6 lands in usr/lib/x/ like on the host.
put() {
	dest=${2:-$1}
	dir=$(dirname "$dest")
	[ -d "$dir" ] && dir=$(cd "$dir" && pwd -P)
	# rm first: the destination may be a busybox applet link, and cp would write through it.
	mkdir -p "$root$dir" && rm -f "$root$dir/${dest##*/}" && cp -L "$1" "$root$dir/${dest##*/}"
}

# put_libs FILE...: copy the shared libraries (and the loader) each FILE needs.
put_libs() {
	for f in "$@"; do
		[ -f "$f" ] && { [ -x "$f" ] || [ "${f%.so*}" != "$f" ]; } || continue
		ldd "$f" 2>/dev/null | sed -n -e 's/^[^\/]*\(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' \
			-e "s/^[[:space:]]*\([^ ]*\) => not found/vm: warning: $(basename "$f") needs \1, which ldd cannot find/p"
	done | sort -u | while IFS= read -r lib; do
		case $lib in vm:*) echo "$lib" && continue ;; esac
		[ -f "$root$lib" ] || put "$lib"
	done
}

put $busybox /bin/busybox
for a in $($busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
[ -f /etc/ld.so.cache ] && put /etc/ld.so.cache
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

if [ -n "$FTRIG" ] && [ -f "$FTRIG" ]; then
	put "$FTRIG"
	put_libs "$FTRIG"
	# What ftrig dlopen()s (src/http.c, ui/curses-dl.c, src/record/tracecmd-dl.c) is not in
	# its ldd: bring it and what it needs.
	for so in libmicrohttpd.so.12 libncursesw.so.6 libtracecmd.so.1; do
		lib=$(ldconfig -p | sed -n "s|^[[:space:]]*$so (libc6,x86-64) => ||p" | head -n 1)
		[ -n "$lib" ] && put "$lib" && put_libs "$lib"
	done
fi
if [ -n "$FTRIG_HELPERS" ] && [ -d "$FTRIG_HELPERS" ]; then
	mkdir -p "$root$FTRIG_HELPERS"
	cp -RL "$FTRIG_HELPERS"/. "$root$FTRIG_HELPERS"/
	# shellcheck disable=SC2046 # paths without spaces (checked above)
	put_libs $(find "$FTRIG_HELPERS" -type f)
fi
for x in ${FTRIG_VM_EXTRA:-}; do
	if [ -d "$x" ]; then
		# shellcheck disable=SC2046 # paths without spaces
		mkdir -p "$root$x" && cp -RL "$x"/. "$root$x"/ && put_libs $(find "$x" -type f)
	elif [ -f "$x" ]; then
		put "$x" && put_libs "$x"
	else
		say "warning: FTRIG_VM_EXTRA names $x, which does not exist"
	fi
done
# tmux, when the host has it, for the tests that drive ftrig top in a terminal
# (tests/tmux.sh): the binary and its libraries, the terminfo entries of the terminals it
# and ftrig use, and the C.UTF-8 locale tmux insists on (busybox has none of them).
if tmux=$(command -v tmux 2>/dev/null); then
	put "$tmux" && put_libs "$tmux"
	for f in t/tmux-256color t/tmux s/screen x/xterm x/xterm-256color d/dumb v/vt100; do
		for d in /lib/terminfo /usr/share/terminfo /etc/terminfo; do
			[ -f "$d/$f" ] && put "$d/$f" && break
		done
	done
	[ -d /usr/lib/locale/C.utf8 ] && mkdir -p "$root/usr/lib/locale" &&
		cp -RL /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
fi
# trace-cmd, when the host has it: the peer that reads ftrig record's files
# (tests/host/79-record.sh).
if tracecmd=$(command -v trace-cmd 2>/dev/null); then
	put "$tracecmd" && put_libs "$tracecmd"
fi
# bpftool, when the host has it, to fill a pinned index (tests/host/76-bpf-unindexed.sh).
if bpftool=$(command -v bpftool 2>/dev/null); then
	put "$bpftool" && put_libs "$bpftool"
fi
# jq, when the host has it, for the JSON reports (tests/host/17-json-reports.sh).
if jq=$(command -v jq 2>/dev/null); then
	put "$jq" && put_libs "$jq"
fi
# strace, when the host has it, for the kill matrix (tests/host/58-kill-matrix.sh).
if strace=$(command -v strace 2>/dev/null); then
	put "$strace" && put_libs "$strace"
fi
# The loop block driver, a module in Debian's kernel, for the tests that need a block device
# (tests/host/77-latency-match.sh, tests/vm/77-latency-hist.sh): they insmod it from here.
kmod=$(dirname "$vmlinuz")/../lib/modules/$kver/kernel/drivers/block/loop.ko
if [ -f "$kmod" ]; then
	mkdir -p "$root/usr/lib/modules/ftrig" && cp "$kmod" "$root/usr/lib/modules/ftrig/"
fi
# libtraceevent loads its plugins from a folder beside it: bring them along.
for l in "$root"/usr/lib/*/libtraceevent.so.*; do
	[ -f "$l" ] || continue
	p=${l#"$root"}
	p=${p%/*}/traceevent/plugins
	[ -d "$p" ] && [ ! -d "$root$p" ] && mkdir -p "$root$p" && cp -RL "$p"/. "$root$p"/ &&
		put_libs "$p"/*.so
done
if [ -d "$FTRIG_TESTS" ]; then
	mkdir -p "$root$FTRIG_TESTS"
	cp -RL "$FTRIG_TESTS"/. "$root$FTRIG_TESTS"/
fi
# The example setup files, beside tests/ as in the source tree (tests/host/89-examples.sh
# applies them on both kernels).
if [ -d "$FTRIG_TESTS/../examples" ]; then
	mkdir -p "$root$FTRIG_TESTS/../examples"
	cp -RL "$FTRIG_TESTS/../examples"/. "$root$FTRIG_TESTS/../examples"/
fi

bench_list=
if [ "$mode" = bench ]; then
	for s in "$@"; do
		s=$(abs "$s")
		[ -f "$s" ] || fail_tier "no benchmark script $s"
		case $s in *" "* | *"'"*) fail_tier "paths with spaces or quotes are not supported" ;; esac
		bench_list="$bench_list $s"
		d=$(dirname "$s")
		[ -d "$root$d" ] || { mkdir -p "$root$d" && cp -RL "$d"/. "$root$d"/; }
	done
fi

cp "$here/init.sh" "$root/init" && chmod 755 "$root/init"

mark=FTRIGVM$$x$(now)
capture_list=
if [ "$mode" = capture ] && [ -n "$setup" ]; then
	cp "$setup" "$root/etc/ftrig-vm-setup.sh" || exit 1
elif [ "$mode" = capture ]; then
	capture_list="README=README /proc/sys/kernel/osrelease=KERNEL"
	for e in sched/sched_switch sched/sched_process_exit syscalls/sys_enter_openat; do
		for f in format id trigger; do
			capture_list="$capture_list events/$e/$f=events/$e/$f"
		done
	done
fi
if [ "$mode" = capture ]; then
	for s in "$@"; do
		case $s in
		*=*) capture_list="$capture_list $s" ;;
		/*) capture_list="$capture_list $s=${s#/}" ;;
		*) capture_list="$capture_list $s=$s" ;;
		esac
	done
fi
cat >"$root/etc/ftrig-vm.env" <<EOF
FTRIG_VM_MODE='$mode'
FTRIG_VM_MARK='$mark'
FTRIG='$FTRIG'
FTRIG_TESTS='$FTRIG_TESTS'
FTRIG_HELPERS='$FTRIG_HELPERS'
FTRIG_TEST_STRICT='$strict'
FTRIG_TESTS_ONLY='${FTRIG_TESTS_ONLY:-}'
FTRIG_VM_CAPTURE='$capture_list'
FTRIG_VM_BENCH='$bench_list'
FTRIG_VM_TESTDIRS='$testdirs'
FTRIG_VM_TIER='$tier'
EOF

initrd=$cache/initramfs.cpio.gz
(cd "$root" && find . | $cpio -o -H newc -R 0:0 2>/dev/null) | gzip -1 >"$initrd.tmp" &&
	mv "$initrd.tmp" "$initrd" || fail_tier "could not build the initramfs"
say "initramfs $(du -k "$initrd" | cut -f 1) KiB built in $(($(now) - t_initrd)) s; booting $kver under qemu (TCG)"

### 3. Boot.

mem=${FTRIG_VM_MEM:-1G}

if [ "$mode" = shell ]; then
	echo "vm: Ctrl-A X quits qemu; 'exit' in the shell powers the VM off"
	qemu-system-x86_64 -accel tcg,thread=single -m "$mem" -smp 2 -nographic -no-reboot -nic none \
		-kernel "$vmlinuz" -initrd "$initrd" -append "console=ttyS0 panic=-1 quiet"
	rc=$?
	[ -t 1 ] && printf '\033[?7h' # the firmware turned off line wrapping
	exit $rc
fi

tmo=${FTRIG_VM_TIMEOUT:-1200}
work=$cache/run
# nowatchdog: under TCG a vCPU starved by a loaded host looks like a soft lockup to the
# guest; that is the emulator's doing, not the kernel's, so the guest must not act on it.
cmdline="console=ttyS0 panic=-1 nowatchdog quiet"

# boot: run the VM once; the runner's lines are shown as they come, the whole console is
# kept in $log, and $work/exit holds the runner's exit code if it got that far.
boot() {
	rm -rf "$work"
	mkdir -p "$work"
	t_boot=$(now)
	{
		timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg,thread=single -m "$mem" -smp 2 -nographic \
			-no-reboot -nic none -kernel "$vmlinuz" -initrd "$initrd" \
			-append "$cmdline" </dev/null 2>&1
		echo $? >"$work/qemu.rc"
	} | tee "$log" | awk -v m="$mark" -v w="$work" '
	# The firmware leaves terminal escapes before the first line: the marker may come mid-line.
	{ sub(/\r+$/, ""); p = index($0, m); if (p > 1) $0 = substr($0, p) }
	index($0, m " ") == 1 { print substr($0, length(m) + 2); fflush(); next }
	index($0, m "-EXIT ") == 1 { print substr($0, length(m) + 7) > (w "/exit"); next }
	index($0, m "-BEGIN ") == 1 {
		n++; out = w "/cap." n; printf "" > out
		print n " " substr($0, length(m) + 8) > (w "/index"); next
	}
	index($0, m "-D ") == 1 { if (out != "") print substr($0, length(m) + 4) > out; next }
	index($0, m "-END ") == 1 { close(out); out = ""; next }
	index($0, m "-MISSING ") == 1 { print "vm: could not read " substr($0, length(m) + 10); fflush(); next }
'
	qrc=$(cat "$work/qemu.rc" 2>/dev/null)
	t_end=$(now)
}

# what_failed: print the console's tail and set $what to why the VM gave no exit code.
what_failed() {
	echo "---- last 40 lines of the console ($log) ----"
	esc=$(printf '\033')
	tail -n 40 "$log" | tr -d '\r' | sed "s/${esc}[^a-zA-Z]*[a-zA-Z]//g"
	echo "----"
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		what="timed out after $tmo s"
	elif grep -q 'Kernel panic' "$log"; then
		what="the kernel panicked ($(grep -m 1 'Kernel panic' "$log" | tr -d '\r' | sed 's/.*Kernel panic - //'))"
	elif [ -z "$qrc" ] || [ "$qrc" != 0 ]; then
		what="qemu failed (exit ${qrc:-?})"
	else
		what="the VM stopped before the tests finished"
	fi
}

boot
if [ ! -s "$work/exit" ] && [ "$mode" = test ]; then
	# Seen a few times with multi-threaded TCG on a loaded host: a guest CPU spinning in
	# smp_call_function_many_cond() for an IPI its sibling never took. thread=single avoids
	# that class; one more boot still tells a stall of the emulator from a real failure.
	what_failed
	cp "$log" "$log.first"
	say "$what on the first boot (console kept in $log.first); booting once more"
	boot
fi
if [ ! -s "$work/exit" ]; then
	what_failed
	fail_tier "$what; the VM never reported an exit code (console log: $log)"
fi
rc=$(cat "$work/exit")

if [ "$mode" = capture ]; then
	mkdir -p "$capdir" || exit 1
	n=0
	if [ -f "$work/index" ]; then
		while read -r i name; do
			mkdir -p "$capdir/$(dirname "$name")" &&
				base64 -d <"$work/cap.$i" >"$capdir/$name" || rc=1
			n=$((n + 1))
		done <"$work/index"
	fi
	say "captured $n files from $kver into $capdir in $((t_end - t_boot)) s"
	[ "$rc" = 0 ] && grep -q "$mark-MISSING" "$log" && rc=1
	exit "$rc"
fi

if [ "$mode" = bench ]; then
	say "benchmarks took $((t_end - t_start)) s (VM $((t_end - t_boot)) s); console log: $log"
	exit "$rc"
fi
say "tier took $((t_end - t_start)) s (VM $((t_end - t_boot)) s); console log: $log"
exit "$rc"
