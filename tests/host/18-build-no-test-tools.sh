#!/bin/sh
# A plain build needs only the build set (#20): in a copy of the source tree, with every test
# and benchmark tool out of PATH (qemu, tmux, bpftrace, strace, trace-cmd, jq, prometheus,
# zsh, the bcc tools...) and cmocka out of pkg-config's sight, './configure CFLAGS="-O0 -g"'
# succeeds, names what 'make check' would need, and 'make' builds an ftrig that runs. -O0
# also proves the link is complete without the optimiser (floor() needed -lm).
# Host tier only: the VM has no compiler.
. "$FTRIG_TESTS/lib.sh"
need_source Makefile.in "the VM has no source tree and no compiler"
command -v make >/dev/null 2>&1 || skip "needs make"
command -v cc >/dev/null 2>&1 || skip "needs a C compiler"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-plain.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The tools only make check and make bench use: hidden. Everything else on PATH stays.
hide='qemu-system-x86_64 qemu-img tmux bpftrace strace trace-cmd jq prometheus promtool zsh
	node_exporter cpio'
mkdir "$tmp/bin" "$tmp/pc" "$tmp/src"
for d in $(echo "$PATH" | tr ':' ' '); do
	for f in "$d"/*; do
		n=${f##*/}
		[ -x "$f" ] && [ ! -e "$tmp/bin/$n" ] || continue
		case " $(echo $hide) " in *" $n "*) continue ;; esac
		case $n in *-bpfcc) continue ;; esac
		ln -s "$f" "$tmp/bin/$n"
	done
done
for d in $(pkg-config --variable pc_path pkg-config | tr ':' ' '); do
	for f in "$d"/*.pc; do
		[ -f "$f" ] && [ "${f##*/}" != cmocka.pc ] && [ ! -e "$tmp/pc/${f##*/}" ] &&
			ln -s "$f" "$tmp/pc/${f##*/}"
	done
done
(cd "$src" && tar cf - --exclude=./build --exclude=./ftrig --exclude=./config.mk \
	--exclude=./Makefile --exclude=./src/config.h --exclude=./.git .) | (cd "$tmp/src" && tar xf -) ||
	fail "cannot copy the source tree"

cd "$tmp/src" || fail "no copy"
PATH=$tmp/bin PKG_CONFIG_LIBDIR=$tmp/pc ./configure CFLAGS="-O0 -g" >"$tmp/configure.log" 2>&1 ||
	fail "./configure failed without the test tools: $(cat "$tmp/configure.log")"
grep -q "make check" "$tmp/configure.log" ||
	fail "configure does not say what 'make check' would need: $(cat "$tmp/configure.log")"
grep -q "cmocka" "$tmp/configure.log" ||
	fail "configure does not name cmocka as missing for the tests: $(cat "$tmp/configure.log")"
PATH=$tmp/bin PKG_CONFIG_LIBDIR=$tmp/pc make -j2 >"$tmp/make.log" 2>&1 ||
	fail "make failed without the test tools: $(tail -30 "$tmp/make.log")"
./ftrig --version >"$tmp/v" 2>&1 || fail "the plain build's ftrig does not run: $(cat "$tmp/v")"
./ftrig help | grep -q "^  top " || fail "the plain build's ftrig has no top: $(./ftrig help)"
echo "ok: configure and make without $(echo $hide | wc -w) test tools, cmocka and the bcc tools"
