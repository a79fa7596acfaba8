#!/bin/sh
# Runs every benchmark (bench/NN-*.sh) on this machine, then the ones that need the full-feature
# kernel inside the Debian 6.1 VM, and writes bench/RESULTS.md from their result lines.
#
# usage: sh bench/run.sh [--host-only | --vm-only] [-o RESULTS.md]
#
# `make bench` sets FTRIG, FTRIG_HELPERS, FTRIG_TESTS and FTRIG_VM_CACHE. BENCH_REPS overrides
# the repetitions. Benchmarks never fail a build: the exit code is 0 unless the results file
# cannot be written.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
FTRIG=${FTRIG:-$top/ftrig}
FTRIG_HELPERS=${FTRIG_HELPERS:-$top/build/tests/helpers}
FTRIG_TESTS=${FTRIG_TESTS:-$top/tests}
FTRIG_VM_CACHE=${FTRIG_VM_CACHE:-$top/build/vm}
export FTRIG FTRIG_HELPERS FTRIG_TESTS FTRIG_VM_CACHE
results=$here/RESULTS.md
host=1 vm=1
while [ $# -gt 0 ]; do
	case $1 in
	--host-only) vm=0 ;;
	--vm-only) host=0 ;;
	-o) results=${2:?-o needs a file} && shift ;;
	*)
		echo "usage: sh bench/run.sh [--host-only | --vm-only] [-o RESULTS.md]" >&2
		exit 2
		;;
	esac
	shift
done

# The benchmarks that also run in the VM: its kernel has the hist backend and the raw hist peer
# (05: a live hist file),
# kprobes (08's 'vfs_*') and a trace-cmd that can set up tracing (06, 09). BENCH_VM overrides
# the list (a few of them, to time them).
VM_BENCHES=${BENCH_VM:-"01-overhead.sh 02-attach.sh 03-counts.sh 05-hist-parse.sh 06-pipe.sh 08-tools.sh 09-report.sh"}
out=${TMPDIR:-/tmp}/ftrig-bench-run.$$
: >"$out"
trap 'rm -f "$out"' EXIT
t0=$(date +%s)
kver=

# BENCH_HOST: the benchmarks run on the host (default all), to time or rerun some of them.
if [ $host = 1 ]; then
	set --
	for b in ${BENCH_HOST:-$(cd "$here" && echo [0-9][0-9]-*.sh)}; do set -- "$@" "$here/$b"; done
	for b in "$@"; do
		echo "== $(basename "$b") (host)"
		tb=$(date +%s)
		sh "$b" 2>&1 | tee -a "$out"
		# Each benchmark's time, so that the 20 minutes of issue #21 can be kept per part.
		echo "# [host] $(basename "$b") took $(($(date +%s) - tb)) s" | tee -a "$out"
	done
fi
th=$(date +%s)

if [ $vm = 1 ]; then
	echo "== ${VM_BENCHES} (Debian 6.1 under qemu)"
	extra=
	for p in bpftrace trace-cmd stdbuf; do
		x=$(command -v $p) && extra="$extra $x"
	done
	# 06-pipe: its readers, and what stdbuf preloads to line-buffer trace-cmd stream; 01: the floor;
	# 08-tools: the timer of a tool's start; 05: the parser on a live hist file.
	b=$(cd "$FTRIG_HELPERS/../.." && pwd)
	for x in "$b/bench/splice-read" "$b/bench/sigdfl" "$b/bench/floor" "$b/bench/ready-time" "$b/bench/bench-hist" \
		/usr/libexec/coreutils/libstdbuf.so; do
		[ -e "$x" ] && extra="$extra $x"
	done
	set --
	for b in $VM_BENCHES; do set -- "$@" "$here/$b"; done
	# bpftrace brings ~200 MB of LLVM libraries into the initramfs, which lives in RAM. The VM's
	# benchmarks took 1,000 s and more under TCG on a busy machine: the timeout leaves room.
	FTRIG_VM_EXTRA="${FTRIG_VM_EXTRA:-}$extra" FTRIG_VM_MEM=${FTRIG_VM_MEM:-3G} \
		FTRIG_VM_TIMEOUT=${FTRIG_VM_TIMEOUT:-1500} sh "$top/tests/vm/run.sh" --bench "$@" 2>&1 |
		tee "$out.vm"
	grep -v '^vm: ' "$out.vm" >>"$out"
	kver=$(awk '/^vm: kernel .* up after/ { print $3; exit }' "$out.vm")
	grep -q 'ratio\|count \|unavailable' "$out.vm" ||
		echo "vm benchmarks: did not run ($(grep -v '^#' "$out.vm" | tail -n 1))" | tee -a "$out"
	rm -f "$out.vm"
fi
t1=$(date +%s)
[ $host = 1 ] && echo "# host part took $((th - t0)) s" >>"$out"
[ $vm = 1 ] && echo "# VM part took $((t1 - th)) s (boot included)" >>"$out"

# The results file: the machine, the tables, the commentary lines.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
{
	echo "# Benchmark results"
	echo
	echo "Produced by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), in $((t1 - t0)) s."
	echo
	echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $mem memory"
	echo "- host kernel: $(uname -r) ($(uname -m))"
	echo "- VM kernel: Debian ${kver:-6.1 (did not run)} under qemu TCG, 2 vCPUs"
	echo "- ftrig: $("$FTRIG" --version 2>/dev/null | head -n 1) ($(cd "$top" && git describe --always --dirty 2>/dev/null))"
	echo "- peers: $(bpftrace --version 2>/dev/null | head -n 1), $(trace-cmd --version 2>/dev/null | sed -n "s/^trace-cmd version \([^ ]*\).*/trace-cmd \1/p" | head -n 1), $(perf --version 2>/dev/null | head -n 1)"
	echo
	echo "Absolute figures on these shared machines vary from run to run (other engineers' tests"
	echo "and VMs run on the same CPUs at the same time): the ratios, measured in the same run on the"
	echo "same workload, are the result. A ratio above 1 means ftrig is cheaper or faster than the"
	echo "peer. In the VM (qemu TCG) only ratios are reported. Figures are medians over the"
	echo "repetitions with [min..max]. See bench/README.md for the method."
	echo
	echo "## Comparisons"
	echo
	echo "| benchmark | ftrig | peer | ratio peer/ftrig |"
	echo "|---|---|---|---|"
	grep -v '^count ' "$out" | awk '
		/: ftrig .*, peer .*, ratio / {
			n = index($0, ": "); name = substr($0, 1, n - 1); rest = substr($0, n + 2)
			sub(/^ftrig /, "", rest); f = rest; sub(/, peer .*/, "", f)
			p = rest; sub(/.*, peer /, "", p); sub(/, ratio .*/, "", p)
			r = rest; sub(/.*, ratio /, "", r)
			printf "| %s | %s | %s | %s |\n", name, f, p, r; next }
		/: ftrig unavailable / {
			n = index($0, ": "); name = substr($0, 1, n - 1); rest = substr($0, n + 2)
			f = rest; sub(/, peer .*/, "", f); p = rest; sub(/.*, peer /, "", p)
			printf "| %s | %s | %s | - |\n", name, f, p; next }
		/: peer unavailable / {
			n = index($0, ": "); printf "| %s | - | %s | - |\n", substr($0, 1, n - 1), substr($0, n + 2) }'
	echo
	echo "## Counts vs the workload's exact count"
	echo
	echo "| tool | expected | counted | verdict |"
	echo "|---|---|---|---|"
	awk '/^count / {
		s = substr($0, 7); n = index(s, ": "); name = substr(s, 1, n - 1); rest = substr(s, n + 2)
		if (rest ~ /^expected /) {
			split(rest, a, ", "); sub(/^expected /, "", a[1]); sub(/^counted /, "", a[2])
			printf "| %s | %s | %s | %s |\n", name, a[1], a[2], a[3]
		} else printf "| %s | - | - | %s |\n", name, rest }' "$out"
	echo
	echo "## Notes from the run"
	echo
	grep '^# \|^vm benchmarks' "$out" | sed 's/^# //; s/^/- /'
} >"$results.tmp" && mv "$results.tmp" "$results" || exit 1
echo "bench: wrote $results"
exit 0
