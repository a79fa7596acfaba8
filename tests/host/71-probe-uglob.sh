# Probes from a glob of user functions: 'probe add BINARY:GLOB' makes one uprobe per function
# of the file's symbol table the glob matches, at the offsets nm gives, in one batch; a dry
# run prints every write and changes nothing (byte for byte), as do the refusals (past the
# bound, no match, no such file, not ELF); GNU indirect functions are left out, counted and
# said; a second add of the same names is refused; rm -g removes them all. Runs wherever
# uprobes do (the host and the VM).
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require uprobe_events >/dev/null 2>&1 || skip "needs uprobe events"
private_state
G=ftuglob_$$
W=$FTRIG_HELPERS/workload
cleanup() {
	"$FTRIG" probe rm --group "$G" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT
before=$(dry_snap "" "" "$G")

# The refusals: each names the problem and the fix, and writes nothing.
expect_exit 1 "$FTRIG" probe add -g "$G" --max 1 "$W:workload_t*"
contains "$out" "'$W:workload_t*' matches 2 functions, more than the bound of 1" "bound"
contains "$out" "--max 2" "bound hint"
expect_exit 1 "$FTRIG" probe add -g "$G" "$W:nothing_here*"
contains "$out" "no function matches 'nothing_here*' in $W" "no match"
contains "$out" "nm -D --defined-only $W" "no match hint"
expect_exit 1 "$FTRIG" probe add -g "$G" "/nonexistent/ftrig-$$:f*"
contains "$out" "/nonexistent/ftrig-$$: No such file or directory" "no file"
expect_exit 1 "$FTRIG" probe add -g "$G" "/etc/passwd:f*"
contains "$out" "/etc/passwd is not an ELF executable or shared library" "not ELF"
same_dry "$before" "refused globs" "" "" "$G"

# A dry run: one write per function, at the file offset of its address (nm; where there is
# no nm, as in the VM, workload_target's offset the build wrote down), nothing changed.
off() {
	if command -v nm >/dev/null 2>&1; then
		nm "$W" | sed -n "s/^0*\([0-9a-f]*\) T $1\$/0x\1/p"
	elif [ "$1" = workload_target ]; then
		cat "$W.uprobe"
	fi
}
expect_exit 0 "$FTRIG" probe add -g "$G" --dry-run "$W:workload_t*"
for f in workload_target workload_twin; do
	printf '%s\n' "$out" | grep -q "^echo 'p:$G/$f $W:0x[0-9a-f]*' >> " ||
		fail "dry run lacks $f: $out"
	o=$(off $f)
	[ -z "$o" ] || printf '%s\n' "$out" | grep -q "^echo 'p:$G/$f $W:0x0*${o#0x}' >> " ||
		fail "dry run lacks $f at $o: $out"
done
[ "$(printf '%s\n' "$out" | grep -c "^echo 'p:$G/")" = 2 ] || fail "dry run: $out"
same_dry "$before" "probe add --dry-run BINARY:GLOB" "" "" "$G"

# GNU indirect functions (glibc's str* family) are left out and counted: a uprobe there
# would count the resolver, not the calls.
libc=$(ldd "$W" | sed -n 's/^.*libc\.so\.6 => \([^ ]*\) .*$/\1/p')
[ -z "$libc" ] || libc=$(readlink -f "$libc")
if [ -n "$libc" ] && command -v readelf >/dev/null 2>&1; then
	nif=$(readelf -W --dyn-syms "$libc" | awk '$4 == "IFUNC" && $7 != "UND" { sub(/@.*/, "", $8); print $8 }' |
		grep '^str' | sort -u | wc -l)
	expect_exit 0 "$FTRIG" probe add -g "$G" --dry-run "$libc:str*"
	if [ "$nif" -gt 0 ]; then
		contains "$out" "$nif GNU indirect functions of $libc match 'str*' and are left out" "ifuncs"
	fi
	same_dry "$before" "probe add --dry-run libc:str*" "" "" "$G"
fi

# The real thing, then the same names again (refused before anything is written), then rm.
expect_exit 0 "$FTRIG" probe add -g "$G" "$W:workload_t*"
contains "$out" "added 2 uprobes $G:workload_target ..." "added"
[ "$(grep -c "^p:$G/workload_t" "$T/dynamic_events")" = 2 ] || fail "made: $(grep "$G" "$T/dynamic_events")"
now=$(dry_snap "" "" "$G")
expect_exit 1 "$FTRIG" probe add -g "$G" "$W:workload_t*"
contains "$out" "$G/workload_target exists already, and 1 more of these" "again"
same_dry "$now" "a second add" "" "" "$G"
expect_exit 0 "$FTRIG" probe rm --group "$G"
grep -q "^p:$G/" "$T/dynamic_events" && fail "rm -g left: $(grep "$G" "$T/dynamic_events")"
expect_exit 0 "$FTRIG" probe ls
case $out in *"$G:"*) fail "probe ls after rm -g: $out" ;; esac
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
