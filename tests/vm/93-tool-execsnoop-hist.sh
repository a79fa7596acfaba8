# ftrig execsnoop on hist triggers (eprobes on sys_enter_execve and _execveat fetching the
# file name and argv behind the user pointers, eprobes on their returns, a synthetic event fed
# by onmatch), on a workload with exactly known execs (25 execve and 5 execveat of /bin/true
# with known arguments, 7 execve of a missing file): every line's fields (PCOMM, PPID "-",
# RET, ARGS) and counts, equal to the BPF backend's on the same workload in the same run but
# for PPID; the bound of FT_SNOOP_HIST_ARGS (5) arguments, " ..." beyond; -c, -x, -T, -j, -d,
# SIGTERM; nothing left behind: dynamic_events, triggers and instances as before.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
for f in hist_triggers synthetic_events eprobes; do
	"$FTRIG" info --require $f >/dev/null 2>&1 || skip "needs $f"
done
private_state
L=$FTRIG_HELPERS/snoopload
comm=eh$$
missing=/nonexistent-ftrig-t93-$$
load_out=${TMPDIR:-/tmp}/ftrig-t93e-load.$$
tool_pid=
trap 'tool_cleanup "$load_out"' EXIT
before=$(kernel_snap)

load() {
	"$L" --comm "$comm" --exec 25:/bin/true --execveat 5:/bin/true --exec-fail "7:$missing" \
		>"$load_out" 2>&1 || fail "snoopload: $(cat "$load_out")"
}
# run BACKEND ARGS...: execsnoop on one workload run.
run() {
	be=$1
	shift
	tool_start execsnoop --backend "$be" "$@"
	load
	settle failmark 7
	tool_stop
}
# The workload's lines without PID and PPID (each run has its own), sorted.
fields() {
	awk -v m="$missing" '$6 == "snoopmark" || $5 == m { $2 = ""; $3 = ""; print }' \
		"$tool_out" | sort
}

run hist
contains "$(cat "$tool_out")" "PCOMM            PID     PPID    RET ARGS" "columns"
ok=$(tool_lines '$3 == "-" && $4 == 0 && $5 == "/bin/true" && $6 == "snoopmark" && $8 == "two" && $9 == "words" && NF == 9')
[ "$ok" = 30 ] || fail "30 execs of /bin/true, $ok shown: $(cat "$tool_out")"
for i in $(seq 1 25); do
	want=1
	[ $i -gt 5 ] || want=2
	n=$(tool_lines "\$5 == \"/bin/true\" && \$6 == \"snoopmark\" && \$7 == \"$i\"")
	[ "$n" = $want ] || fail "argument $i: $n lines, expected $want"
done
bad=$(tool_lines "\$5 == \"$missing\" && \$6 == \"failmark\" && \$4 == -2 && \$1 == \"$comm\" && NF == 7")
[ "$bad" = 7 ] || fail "7 failed execs, $bad shown: $(cat "$tool_out")"
pcomm=$(awk '$5 == "/bin/true" && $6 == "snoopmark" { print $1 }' "$tool_out" | sort -u)
[ "$pcomm" = true ] || fail "PCOMM of the children '$pcomm', not true"
hist_lines=$(fields)
[ "$(printf '%s\n' "$hist_lines" | wc -l)" = 37 ] || fail "37 lines of the workload: $hist_lines"
if "$FTRIG" info --require bpf >/dev/null 2>&1; then
	run bpf
	[ "$(fields)" = "$hist_lines" ] || fail "hist and BPF differ:
$(fields | diff - "$tool_out")"
else
	echo "no BPF in this kernel: not compared with the BPF backend"
fi

# The bound: 5 arguments after argv[0] shown, " ..." when there are more.
tool_start execsnoop --backend hist
sh -c "exec /bin/true m5$$ 2 3 4 5"
sh -c "exec /bin/true m6$$ 2 3 4 5 6"
settle "m6$$" 1
tool_stop
[ "$(tool_lines "\$5 == \"/bin/true\" && \$6 == \"m5$$\" && \$10 == 5 && NF == 10")" = 1 ] ||
	fail "5 arguments: $(cat "$tool_out")"
[ "$(tool_lines "\$5 == \"/bin/true\" && \$6 == \"m6$$\" && \$10 == 5 && \$11 == \"...\" && NF == 11")" = 1 ] ||
	fail "6 arguments: $(cat "$tool_out")"

# -c: only the workload's (the children have its name until their exec): its 37 lines only.
run hist -c "$comm"
n=$(awk 'f { n++ } /^PCOMM/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$n" = 37 ] || fail "-c: $n lines, expected 37: $(cat "$tool_out")"

# -x -T: failed execs only, a TIME column.
run hist -x -c "$comm" -T
contains "$(cat "$tool_out")" "Tracing failed exec() calls" "-x header"
contains "$(cat "$tool_out")" "TIME     PCOMM" "-T column"
n=$(awk 'f { n++ } /PCOMM/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$n" = 7 ] || fail "-x: $n lines, expected 7: $(cat "$tool_out")"
[ "$(tool_lines '$5 == -2 && $2 == "'"$comm"'"')" = 7 ] || fail "-x -T fields: $(cat "$tool_out")"

# -j: a JSON object per call, PPID null.
run hist -j -c "$comm"
n=$(grep -c '"ppid":null,"ret":0,"filename":"/bin/true","args":\["snoopmark","[0-9]*","two words"\],"truncated":false}' "$tool_out")
[ "$n" = 30 ] || fail "-j: $n execs of /bin/true: $(cat "$tool_out")"

# -d ends it by itself, SIGTERM too: nothing left either way.
tool_ends "PCOMM" "-c $comm" execsnoop --backend hist

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
same_snap "$before" "execsnoop --backend hist"
state_empty
