# ftrig may refuse only what the running kernel refuses too (#16 item 8): every refusal of the
# validator's corpus (tests/fixtures/triggers/corpus-invalid.txt, lines for this tier's kernel)
# is written raw into a private instance, and the kernel must refuse it as well. Where the
# kernel takes something useless, ftrig warns and goes on instead (tests/unit/test-triggers.c).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
corpus=$FTRIG_TESTS/fixtures/triggers/corpus-invalid.txt
[ -f "$corpus" ] || fail "no corpus at $corpus"
inst=ftrig_t87_$$
dir=$T/instances/$inst
list=${TMPDIR:-/tmp}/ftrig-t87.$$
cleanup() {
	rmdir "$dir" 2>/dev/null
	rm -f "$list"
}
trap cleanup EXIT
mkdir "$dir" || fail "cannot make instance $inst"
# ENV<TAB>EVENT<TAB>SPEC: ENV names the kernel the line was written for.
awk -F '\t' -v tier="$FTRIG_TIER" '$1 == tier { print $2 "\t" $3 }' "$corpus" >"$list"
n=0 took=
tab=$(printf '\t')
while IFS= read -r line; do
	ev=${line%%"$tab"*}
	spec=${line#*"$tab"}
	f=$dir/events/$(echo "$ev" | tr : /)/trigger
	[ -f "$f" ] || fail "no event $ev in this kernel, for '$spec'"
	n=$((n + 1))
	if printf '%s\n' "$spec" >>"$f" 2>/dev/null; then
		# Taken: undo it at once (a removal names the trigger as written).
		printf '!%s\n' "$spec" >>"$f" 2>/dev/null
		if grep -qv '^#' "$f"; then
			took="$took
    '$spec' (and it stays: $(grep -v '^#' "$f"))"
		elif [ -n "$spec" ]; then # an empty line is no trigger: nothing to judge
			took="$took
    '$spec'"
		fi
	fi
done <"$list"
[ $n -gt 0 ] || fail "no corpus line for the $FTRIG_TIER kernel"
[ -z "$took" ] || fail "ftrig refuses what this kernel takes:$took"
echo "$n refusals, each refused by the kernel too"
exit 0
