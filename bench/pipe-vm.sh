#!/bin/sh
# Runs bench/pipe.sh inside the Debian 6.1 VM (tests/vm/run.sh), where trace-cmd can enable
# tracing, so that trace-cmd stream is compared on the same workload in the same run.
# usage: sh bench/pipe-vm.sh SRCDIR BUILDDIR   (make bench-pipe calls it)
set -u
src=$1
b=$src/$2
n=${BENCH_PIPE_VM_N:-100000}
d=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-bench-vm.XXXXXX")
mkdir -p "$d/host" "$d/vm"
cp "$src/tests/run-tests.sh" "$src/tests/lib.sh" "$d/"
# The "test" prints the table on the console, where run.sh keeps it in console.log.
cat >"$d/vm/90-bench-pipe.sh" <<EOS
BENCH_TRACE_CMD=1 BENCH_SETTLE=${BENCH_SETTLE:-3} BENCH_STEP=1.5 BENCH_TOOLS='${BENCH_TOOLS:-}' FTRIG=$src/ftrig WORKLOAD=$b/tests/helpers/workload \\
	SPLICE=$b/bench/splice-read SIGDFL=$b/bench/sigdfl sh $src/bench/pipe.sh $n 2>/dev/console |
	sed 's/^/BENCHPIPE: /' >/dev/console
exit 0
EOS
FTRIG=$src/ftrig FTRIG_TESTS=$d FTRIG_HELPERS=$b/tests/helpers FTRIG_VM_CACHE=$b/vm \
	FTRIG_VM_EXTRA="$(command -v trace-cmd) $(command -v stdbuf) /usr/libexec/coreutils/libstdbuf.so $src/bench/pipe.sh $b/bench/splice-read $b/bench/sigdfl" \
	sh "$src/tests/vm/run.sh" >"$d/run.log" 2>&1
sed -n 's/^.*BENCHPIPE: //p' "$b/vm/console.log" | tr -d '\r'
grep -q BENCHPIPE "$b/vm/console.log" || { echo "the VM run failed:"; tail -n 20 "$d/run.log"; }
rm -rf "$d"
