#!/bin/sh
# make install into a DESTDIR staging tree puts exactly the expected files there (the binary,
# the man pages, the bash and zsh completions, README.md and the example setup files), prefix
# honoured; make uninstall leaves the tree empty. The source tree is only read: make runs on
# Makefile.in (so no Makefile is regenerated) with the built ftrig taken as up to date (-o).
# Host tier only: the VM gets tests/ only, and has no make.
. "$FTRIG_TESTS/lib.sh"
need_source Makefile.in "the VM has no source tree and no make"
command -v make >/dev/null 2>&1 || skip "needs make"
[ -f "$src/config.mk" ] && [ -x "$src/ftrig" ] || skip "needs a configured and built tree at $src"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mk() {
	make --no-print-directory -C "$src" -f Makefile.in -o ftrig -o config.mk "$@" >"$tmp/log" 2>&1 ||
		fail "make $* failed: $(cat "$tmp/log")"
}

# install_list PREFIX COMPDIR ZSHDIR: the files install should make, one a line, sorted
install_list() {
	{
		echo "$1/bin/ftrig"
		echo "$3/_ftrig"
		for m in "$src"/man/*.[0-9]; do
			echo "$1/share/man/man${m##*.}/${m##*/}"
		done
		echo "$2/ftrig"
		echo "$1/share/doc/ftrig/README.md"
		for e in "$src"/examples/*.ftrig; do
			echo "$1/share/doc/ftrig/${e##*/}"
		done
	} | LC_ALL=C sort
}
listing() { (cd "$1" && find . ! -type d | sed 's|^\.||' | LC_ALL=C sort); }

# prefix=/usr: the completion goes where bash-completion looks
d=$tmp/usr
mk install DESTDIR="$d" prefix=/usr
same_lines "make install prefix=/usr" "$(install_list /usr /usr/share/bash-completion/completions /usr/share/zsh/vendor-completions)" \
	"$(listing "$d")" "$tmp/log"
[ -x "$d/usr/bin/ftrig" ] || fail "the installed ftrig is not executable"
cmp -s "$src/ftrig" "$d/usr/bin/ftrig" || fail "the installed ftrig is not the built one"
cmp -s "$src/completion/ftrig.bash" "$d/usr/share/bash-completion/completions/ftrig" ||
	fail "the installed completion is not completion/ftrig.bash"
cmp -s "$src/completion/_ftrig" "$d/usr/share/zsh/vendor-completions/_ftrig" ||
	fail "the installed zsh completion is not completion/_ftrig"
"$d/usr/bin/ftrig" --version >/dev/null || fail "the installed ftrig does not run"
for e in "$src"/examples/*.ftrig; do
	grep -q '^# ' "$e" || fail "$e says nothing about itself"
done
mk uninstall DESTDIR="$d" prefix=/usr
left=$(cd "$d" 2>/dev/null && find . | sed 1d)
[ -z "$left" ] || fail "make uninstall left in DESTDIR:
$left"

# another prefix: everything under it, the completion too; uninstall keeps what it did not make
d=$tmp/opt
mkdir -p "$d/opt/ftrig/bin"
echo other >"$d/opt/ftrig/bin/other"
mk install DESTDIR="$d" prefix=/opt/ftrig
same_lines "make install prefix=/opt/ftrig" \
	"$(printf '%s\n' /opt/ftrig/bin/other "$(install_list /opt/ftrig /opt/ftrig/share/bash-completion/completions /opt/ftrig/share/zsh/site-functions)" | LC_ALL=C sort)" \
	"$(listing "$d")" "$tmp/log"
mk uninstall DESTDIR="$d" prefix=/opt/ftrig
same_lines "make uninstall prefix=/opt/ftrig" "/opt/ftrig/bin/other" "$(listing "$d")" "$tmp/log"
left=$(cd "$d" && find . -type d | sed 1d | LC_ALL=C sort | tr '\n' ' ')
[ "$left" = "./opt ./opt/ftrig ./opt/ftrig/bin " ] || fail "make uninstall left directories: $left"
echo "install and uninstall, prefix /usr and /opt/ftrig: the expected files, then none"
exit 0
