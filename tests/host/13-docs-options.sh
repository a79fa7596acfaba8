#!/bin/sh
# The man pages and 'ftrig CMD --help' name the same long options: every option a command's
# --help lists (its usage lines and its option column) is documented for that command in a
# man page, and every option a man page documents for a command (in SYNOPSIS, in .TP tags,
# and in the body of a .TP entry that names the command) is in its --help. ftrig(1) lists
# every command of 'ftrig help'. Needs the source tree's man/ (host tier: the VM gets tests/
# only, and the pages do not depend on the kernel).
. "$FTRIG_TESTS/lib.sh"
need_source man "the VM has no man pages (they do not depend on the kernel)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Differences the man pages cannot fix: --help text in src/commands.c that is wrong. Each
# line "help|man COMMAND OPTION" (help: only --help has it; man: only the pages). TEMPORARY:
# empty it as src/commands.c is fixed; a listed line that no longer differs fails the test.
cat >"$tmp/known" <<'KNOWN'
KNOWN

cmds=$("$FTRIG" help | awk '/^(commands|tools)/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
[ -n "$cmds" ] || fail "'ftrig help' lists no commands"
# the tags of ftrig(1)'s COMMANDS, one word a line
awk '/^\.SH/ { on = ($0 ~ /COMMANDS/) } on && t { print } { t = /^\.TP/ }' "$src/man/ftrig.1" |
	sed 's/\\f[BIRP]/ /g; s/^\.[A-Z]*//' | tr ' |' '\n\n' >"$tmp/tags"
for c in $cmds; do
	grep -qx "$c" "$tmp/tags" || fail "ftrig(1) COMMANDS lacks '$c' (.TP entries there)"
done
cmds=$(echo "$cmds" | grep -vx help)

# help_opts CMD: the long options of 'ftrig CMD --help' (usage lines, then the option column).
help_opts() {
	"$FTRIG" "$1" --help | awk '/^$/ { n++ }
		n == 0 { print; next }
		/^options:/ { x = 1; next }
		x && /^  -/ { s = $0; sub(/   .*/, "", s); print s }' |
		grep -oE '(^|[^a-zA-Z0-9-])--[a-z][a-z-]*' | sed 's/^[^-]//'
}
for c in $cmds; do
	help_opts "$c" | sed "s/^/$c /"
done | sort -u >"$tmp/help"

# "COMMAND OPTION" for each long option a page documents: SYNOPSIS lines for the command of
# the last ".B ftrig COMMAND" line; a .TP tag for the command it names (when the page's
# SYNOPSIS has it; ftrig(1) has them all) else the one before, and the tag's body when it
# names a command.
for m in "$src"/man/*.[15]; do
	awk -v cmds="$cmds" '
	BEGIN { n = split(cmds, c, "\n"); for (i = 1; i <= n; i++) known[c[i]] = 1 }
	/^\.SH/ { sec = $0; sub(/^\.SH +/, "", sec); gsub(/"/, "", sec); tag = 0; body = 0; next }
	/^\.TP/ { tag = 1; next }
	{
		s = $0; gsub(/\\-/, "-", s); gsub(/\\f[BIRP]/, " ", s); gsub(/[][|()]/, " ", s)
		keep = 0
		if (sec == "SYNOPSIS") {
			split(s, w, " ")
			if (w[1] == ".B" && w[2] == "ftrig" && (w[3] in known)) { cur = w[3]; mine[cur] = 1 }
			if (w[1] == ".I" && w[2] == "command") for (k in known) mine[k] = 1
			keep = 1
		} else if (tag) {
			split(s, w, " ")
			body = 0
			if (w[1] ~ /^\.(B|BR|RB|I)$/ && (w[2] in mine)) { cur = w[2]; body = 1 }
			keep = 1
		} else if (body) keep = 1
		tag = 0
		if (!keep || cur == "") next
		while (match(s, /(^|[^a-zA-Z0-9-])--[a-z][a-z-]*/)) {
			o = substr(s, RSTART, RLENGTH); sub(/^[^-]/, "", o); print cur, o
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$m"
done | sort -u >"$tmp/man"

{
	comm -23 "$tmp/help" "$tmp/man" | sed 's/^/help /'
	comm -13 "$tmp/help" "$tmp/man" | sed 's/^/man /'
} | sort >"$tmp/diff"
sort "$tmp/known" | sed '/^$/d' >"$tmp/known.s"
new=$(comm -23 "$tmp/diff" "$tmp/known.s")
gone=$(comm -13 "$tmp/diff" "$tmp/known.s")
[ -z "$gone" ] || fail "fixed since, take these off the known list in $0:
$gone"
[ -z "$new" ] || fail "--help and the man pages differ ('help CMD OPT': only in 'ftrig CMD --help', document it in the command's man page; 'man CMD OPT': only in a man page, which documents an option the command does not take):
$new"
n=$(wc -l <"$tmp/help")
echo "$n options of $(echo "$cmds" | wc -l) commands: --help and the man pages agree"
exit 0
