# Probes from a glob: 'probe add vfs_*' makes one kprobe per function of
# available_filter_functions that the glob matches, journaled, in one batch; a dry run prints
# every write and changes nothing (byte for byte); past the bound it is refused with the count
# and the hint; a second add of the same names is refused before anything is written; rm -g
# removes them all.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
"$FTRIG" info --require kprobe_events >/dev/null 2>&1 || skip "needs kprobe events"
private_state
G=ftglob_$$
cleanup() {
	"$FTRIG" probe rm --group "$G" >/dev/null 2>&1
	rm -rf "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

# What the glob matches: the names of available_filter_functions, each once.
want=$(sed 's/[ \t].*//' "$T/available_filter_functions" | grep '^vfs_' | sort -u)
nwant=$(printf '%s\n' "$want" | wc -l)
[ "$nwant" -gt 3 ] || skip "only $nwant vfs_* functions"

# Past the bound: refused with the count and the way to raise it; nothing written.
before=$(dry_snap "" "" "$G")
expect_exit 1 "$FTRIG" probe add -g "$G" --max 3 'vfs_*'
contains "$out" "'vfs_*' matches $nwant kernel functions, more than the bound of 3" "bound"
contains "$out" "--max $nwant" "bound hint"
same_dry "$before" "a refused glob" "" "" "$G"

# A dry run: one write per function, nothing changed.
expect_exit 0 "$FTRIG" probe add -g "$G" --dry-run 'vfs_*'
n=$(printf '%s\n' "$out" | grep -c "^echo 'p:$G/vfs_[a-z0-9_]* vfs_[a-z0-9_.]*' >> $T/dynamic_events\$")
[ "$n" = "$nwant" ] || fail "dry run: $n writes for $nwant functions: $out"
printf '%s\n' "$out" | grep -q "^echo 'p:$G/vfs_read vfs_read' >> " || fail "dry run lacks vfs_read: $out"
same_dry "$before" "probe add --dry-run GLOB" "" "" "$G"

# The real thing: every function, or all but those the kernel refused (said).
expect_exit 0 "$FTRIG" probe add -g "$G" 'vfs_*'
made=$(grep -c "^p:$G/" "$T/dynamic_events")
refused=$(printf '%s\n' "$out" | grep -c '^ftrig: warning:   ')
contains "$out" "added $made kprobes $G:" "probe add GLOB"
[ $((made + refused)) = "$nwant" ] || fail "$made made + $refused refused != $nwant: $out"
grep -q "^p:$G/vfs_read vfs_read\$" "$T/dynamic_events" || fail "no $G/vfs_read: $(grep "$G" "$T/dynamic_events")"
# each journaled: the persistent journal holds one record per probe made
rec=$(cat "$FTRIG_STATE_DIR"/* | grep -c "$G")
[ "$rec" -ge "$made" ] || fail "$rec journal records for $made probes"
expect_exit 0 "$FTRIG" probe ls
[ "$(printf '%s\n' "$out" | grep -c "^$G:")" = "$made" ] || fail "probe ls: $out"

# Again: every name exists; refused before any write.
before=$(dry_snap "" "" "$G")
expect_exit 1 "$FTRIG" probe add -g "$G" 'vfs_*'
contains "$out" "exists already" "a second add"
same_dry "$before" "a second add" "" "" "$G"

expect_exit 0 "$FTRIG" probe rm --group "$G"
grep -q "$G" "$T/dynamic_events" && fail "probe rm -g left: $(grep "$G" "$T/dynamic_events")"
left=$(debris)
[ -z "$left" ] || fail "debris: $left"
exit 0
