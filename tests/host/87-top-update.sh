# The live view updates its last snapshot of a BPF table in place (#21: counts written over,
# new rows added after the old ones) rather than building it anew each refresh. That is right
# only while the table's rows are the snapshot's entries, in order: watched as the table grows
# (new processes, new keys at its end), is emptied (hist clear) and fills again with other
# keys, every refresh of `top -b` shows what the table held then. The oracle: the kernel's
# table itself, read by `hist show` once the workload is done, against the last refresh; and
# no refresh after the clear shows a process counted only before it.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
need_bpf
private_state

E=syscalls:sys_enter_getppid
N=fu$$
W=$FTRIG_HELPERS/workload
OUT=$FTRIG_STATE_DIR/top.out
trap '"$FTRIG" hist rm $E --name $N >/dev/null 2>&1; kill $tp 2>/dev/null; rm -rf "$FTRIG_STATE_DIR"' EXIT

# Other processes call getppid too (the neighbour): only the workload's rows are compared.
expect_exit 0 "$FTRIG" hist start $E --key common_pid.execname --name $N --backend bpf
"$W" --comm ${N}a --getppid 101 >/dev/null
"$FTRIG" top --attach $E --name $N -b -d 0.2 -n 60 >"$OUT" 2>&1 &
tp=$!
# refreshes see the table grow at its end: two keys more, one at a time
sleep 1.2
"$W" --comm ${N}b --getppid 202 >/dev/null
sleep 0.6
"$W" --comm ${N}c --getppid 303 >/dev/null
sleep 0.6
expect_exit 0 "$FTRIG" hist clear $E --name $N
# emptied and filled again: other processes in the slots the refreshes read before
"$W" --comm ${N}d --getppid 44 >/dev/null
sleep 0.6
"$W" --comm ${N}e --getppid 55 >/dev/null
"$W" --comm ${N}f --getppid 66 >/dev/null
sleep 0.6
"$W" --comm ${N}d --getppid 7 >/dev/null
wait $tp || fail "top -b exited $?: $(tail -n 5 "$OUT")"
tp=

# The refreshes, one block each: a header line, a title line, the rows.
blocks=$(grep -c '^ftrig top ' "$OUT")
[ "$blocks" -ge 50 ] || fail "top printed $blocks refreshes of 60: $(head -n 5 "$OUT")"
grep -q "^${N}b \[[0-9]*\] *202 " "$OUT" || fail "no refresh showed ${N}b's new row: $(cat "$OUT")"
grep -q "^${N}c \[[0-9]*\] *303 " "$OUT" || fail "no refresh showed ${N}c's new row: $(cat "$OUT")"
grep -q "^${N}e \[[0-9]*\] *55 " "$OUT" || fail "no refresh after the clear showed ${N}e: $(cat "$OUT")"

# The last refresh is the table as the kernel holds it: its rows, key and count, exactly.
last=$(awk '/^ftrig top /{b=""; next} {b=b $0 "\n"} END {printf "%s", b}' "$OUT" |
	awk -v n="$N" '$1 ~ "^" n { print $1, $2, $3 }' | sort)
expect_exit 0 "$FTRIG" hist show $E --name $N
want=$(echo "$out" | awk -v n="$N" '/common_pid:/ && $0 ~ n {
	match($0, /common_pid: +[^ ]+ +\[ *[0-9]+\]/); k = substr($0, RSTART, RLENGTH)
	sub(/common_pid: +/, "", k); sub(/\[ */, "[", k); split(k, p, " ")
	match($0, /hitcount: +[0-9]+/); c = substr($0, RSTART, RLENGTH); sub(/hitcount: +/, "", c)
	print p[1], p[2], c }' | sort)
[ -n "$want" ] || fail "hist show listed none of the workload's rows: $out"
[ "$last" = "$want" ] || fail "the last refresh is not the table: top
$last
hist show
$want"
case $last in *"${N}a "* | *"${N}b "* | *"${N}c "*) fail "a process counted before the clear is still shown: $last" ;; esac
# ${N}d twice (44 then 7): two processes, two rows
[ "$(echo "$last" | grep -c "^${N}d ")" = 2 ] || fail "${N}d's two processes are not two rows: $last"
# and the known counts: each workload's exact number of calls since the clear
counts=$(echo "$last" | awk '{ print $1, $3 }' | sort)
[ "$counts" = "$(printf '%s\n' "${N}d 44" "${N}d 7" "${N}e 55" "${N}f 66" | sort)" ] ||
	fail "the last refresh's counts are not the workload's (44, 7, 55, 66): $last"

# After the clear, no refresh shows a row of a process counted only before it.
after=$(awk '/^ftrig top /{n++} {print n "\t" $0}' "$OUT" | awk -F '\t' -v n="$N" '
	$2 ~ "^" n "e " && !first { first = $1 }
	{ rows[NR] = $0 }
	END { for (i = 1; i <= NR; i++) { split(rows[i], f, "\t"); if (first && f[1] >= first) print f[2] } }')
case $after in *"${N}a "* | *"${N}b "* | *"${N}c "*) fail "a refresh after the clear shows a process of before it: $after" ;; esac
exit 0
