# One letter, one meaning (#20): the short options are the documented ones only, and each
# letter stands for the same long option in every command. Before, every long option whose
# getopt value was a letter got an undocumented short form, so -n was a dry run, a name, a
# count or an iteration count depending on the command.
# For each command and verb and each letter: either '--help' documents "-X, --LONG" (and
# LONG is the letter's meaning everywhere), or 'ftrig CMD [VERB] -X' is refused as an unknown
# option. Runs against an empty tracefs, bpffs and state dir, so an option accepted by
# mistake cannot touch the kernel.
. "$FTRIG_TESTS/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-shorts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tracefs" "$tmp/bpffs" "$tmp/state" "$tmp/cwd"
export FTRIG_TRACEFS="$tmp/tracefs" FTRIG_BPFFS="$tmp/bpffs" FTRIG_STATE_DIR="$tmp/state"

cmds=$("$FTRIG" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' |
	grep -vx help)
[ -n "$cmds" ] || fail "'ftrig help' lists no commands"
# The classic tools take bcc's letters (-d is how long to trace there, top's interval here):
# one meaning each among the tools, checked as a family of their own.
tools=$("$FTRIG" help | awk '/^tools/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
[ -n "$tools" ] || fail "'ftrig help' lists no tools"
# the verbs of a command: the word after "ftrig CMD" in its usage lines, when it has several
verbs() {
	"$FTRIG" "$1" --help | sed -n '/^$/q; p' | grep -oE "(ftrig |\| )$1 [a-z]+( |\$)" |
		awk '{ print $3 }' | sort -u
}
: >"$tmp/meanings"
: >"$tmp/meanings.tools"
checked=0
for c in $cmds $tools; do
	m=$tmp/meanings
	case " $(echo $tools) " in *" $c "*) m=$tmp/meanings.tools ;; esac
	"$FTRIG" "$c" --help | grep -oE '^  +-[a-zA-Z], --[a-z-]+' |
		sed 's/^ *-\(.\), --/\1 /' | sed "s/\$/ $c/" >>"$m"
	cat "$tmp/meanings" "$tmp/meanings.tools" >"$tmp/both"
	vs=$(verbs "$c")
	[ "$(echo "$vs" | wc -w)" -ge 2 ] || vs=-
	for v in $vs; do
		[ "$v" = - ] && set -- "$c" || set -- "$c" "$v"
		for l in a b c d e f g h i j k l m n o p q r s t u v w x y z \
			A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
			grep -q "^$l [a-z-]* $c\$" "$tmp/both" && continue
			out=$(cd "$tmp/cwd" && "$FTRIG" "$@" -$l </dev/null 2>&1)
			rc=$?
			case $l:$rc:$out in
			h:0:usage:*) ;; # -h is --help, in every command
			?:2:*"unknown option '-$l'"*) checked=$((checked + 1)) ;;
			*) fail "'ftrig $* -$l' is not refused although --help documents no -$l (exit $rc): $out" ;;
			esac
		done
	done
done
[ "$checked" -gt 200 ] || fail "only $checked undocumented letters were tried"
left=$(cd "$tmp" && find cwd tracefs bpffs -mindepth 1)
[ -z "$left" ] || fail "an option run wrote files: $left"
# each documented letter means one long option everywhere (among the tools: everywhere there)
for m in "$tmp/meanings" "$tmp/meanings.tools"; do
	awk '{ m[$1] = m[$1] " " $2 } END { for (l in m) print l m[l] }' "$m" |
		while read -r l first rest; do
			for o in $rest; do
				[ "$o" = "$first" ] || fail "-$l is --$first in one command and --$o in another"
			done
		done
done
# the letters both families have are the ones named in ftrig(1): bcc's -d (duration) and
# trace's -n (task name), which top takes as its interval and iterations
both=$(cut -d' ' -f1 "$tmp/meanings.tools" | sort -u | while read -r l; do
	grep -q "^$l " "$tmp/meanings" && echo "$l"; done | tr '\n' ' ')
[ "$both" = "d n " ] || fail "letters of both ftrig's commands and the tools: '$both' (only -d and -n are)"
# the old undocumented letters now name their long form
out=$("$FTRIG" probe add -n x /bin/true:main 2>&1)
[ $? = 2 ] || fail "'probe add -n' was not a usage error: $out"
case $out in *"use --name"*) ;; *) fail "'probe add -n' does not name --name: $out" ;; esac
echo "ok: $checked undocumented letters refused, documented ones mean one thing: $(cut -d' ' -f1,2 "$tmp/meanings" | sort -u | tr '\n' ' ')"
