# ftrig execsnoop on a workload with exactly known execs (25 execve and 5 execveat of /bin/true
# with known arguments, 7 execve of a missing file), beside process churn: every marker line,
# its fields (PCOMM, PID, PPID, RET, ARGS) and counts; -c, -x, -j; the counts equal
# bpftrace's on the same run; bad input refused with exit 2; nothing left behind, after
# Ctrl-C, -d and SIGTERM alike. The strings are read in BPF at the syscall tracepoints (this
# kernel has neither kprobes nor eprobes), so the test runs wherever BPF does. On a kernel
# without hist triggers, --backend hist is refused naming them, nothing made.
. "$FTRIG_TESTS/lib.sh"
need_root
need_tracefs
private_state
# --backend hist where the kernel has no hist triggers (the host's): refused, nothing made.
snoop_hist_refused execsnoop
need_bpf
L=$FTRIG_HELPERS/snoopload
comm=es$$
missing=/nonexistent-ftrig-t95-$$
bpt_out=${TMPDIR:-/tmp}/ftrig-t95e-bpftrace.$$
load_out=${TMPDIR:-/tmp}/ftrig-t95e-load.$$
tool_pid= bpt_pid= churn_pid=
trap 'tool_cleanup "$load_out" "$load_out.churn"; [ -z "$churn_pid" ] || kill "$churn_pid" 2>/dev/null' EXIT
have_bpftrace() { command -v bpftrace >/dev/null 2>&1 && [ "$FTRIG_TIER" = host ]; }
# Programs of the snoop object still loaded (a BPF program is freed a moment after its last
# descriptor closes: waited for, up to 10 s).
snoop_progs() {
	command -v bpftool >/dev/null 2>&1 || return 0
	i=0
	while bpftool prog show 2>/dev/null | grep -q 'name snoop_e'; do
		i=$((i + 1))
		[ $i -lt 100 ] || { bpftool prog show | grep 'name snoop_e'; return 0; }
		sleep 0.1
	done
}

# Bad input: exit 2, a message naming the problem, nothing made.
expect_exit 2 "$FTRIG" execsnoop -p x
contains "$out" "-p takes a whole number" "-p x"
expect_exit 2 "$FTRIG" execsnoop -i 1
contains "$out" "unknown option '-i'" "-i"
expect_exit 2 "$FTRIG" execsnoop /bin/true
contains "$out" "execsnoop takes no operands" "operand"
expect_exit 2 "$FTRIG" execsnoop --live
contains "$out" "unknown option '--live'" "--live"
expect_exit 2 "$FTRIG" execsnoop -c 0123456789abcdefg
contains "$out" "-c takes a task name" "-c too long"

# run ARGS...: execsnoop ARGS on one workload run beside churn, with bpftrace counting the
# same calls when it is there.
load() {
	"$L" --comm "$comm" --exec 25:/bin/true --execveat 5:/bin/true --exec-fail "7:$missing"
}
run() {
	tool_round "tracepoint:syscalls:sys_enter_execve, tracepoint:syscalls:sys_enter_execveat
		/comm == \"$comm\"/ { @enter = count(); }
		tracepoint:syscalls:sys_exit_execve, tracepoint:syscalls:sys_exit_execveat
		/comm == \"$comm\" && args->ret < 0/ { @fail = count(); }
		BEGIN { printf(\"ready\\n\"); }" "$load_out" load execsnoop "$@"
}

# Everything (no filter): the 37 marker lines among all the others, churn's forks included.
run
contains "$(cat "$tool_out")" "PCOMM            PID     PPID    RET ARGS" "columns"
ok=$(tool_lines '$4 == 0 && $5 == "/bin/true" && $6 == "snoopmark" && $8 == "two" && $9 == "words"')
[ "$ok" = 30 ] || fail "30 execs of /bin/true, $ok shown: $(cat "$tool_out")"
for i in $(seq 1 30); do
	j=$i
	[ $i -le 25 ] || j=$((i - 25))
	n=$(tool_lines "\$5 == \"/bin/true\" && \$6 == \"snoopmark\" && \$7 == \"$j\"")
	want=1
	[ $j -gt 5 ] || want=2
	[ "$n" = $want ] || fail "argument $j: $n lines, expected $want"
done
bad=$(tool_lines "\$5 == \"$missing\" && \$6 == \"failmark\" && \$4 == -2 && \$1 == \"$comm\"")
[ "$bad" = 7 ] || fail "7 failed execs, $bad shown: $(cat "$tool_out")"
# The failed ones are the workload's own (PID); the children's parent (PPID) is the workload.
lpid=$(awk -v m="$missing" '$5 == m { print $2; exit }' "$tool_out")
ppids=$(awk '$5 == "/bin/true" && $6 == "snoopmark" { print $3 }' "$tool_out" | sort -u)
[ "$ppids" = "$lpid" ] || fail "PPID of the children '$ppids', the workload is $lpid"
pcomm=$(awk '$5 == "/bin/true" && $6 == "snoopmark" { print $1 }' "$tool_out" | sort -u)
[ "$pcomm" = true ] || fail "PCOMM of the children '$pcomm', not true"
if have_bpftrace; then
	[ "$(oracle_val enter)" = 37 ] || fail "bpftrace saw $(oracle_val enter) execs, not 37"
	[ "$(oracle_val fail)" = 7 ] || fail "bpftrace saw $(oracle_val fail) failed execs, not 7"
	[ $((ok + bad)) = "$(oracle_val enter)" ] || fail "ftrig $((ok + bad)), bpftrace $(oracle_val enter)"
fi

# -c: only the workload's (the children have its name until their exec): its 37 lines only.
run -c "$comm"
n=$(awk 'f { n++ } /^PCOMM/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$n" = 37 ] || fail "-c: $n lines, expected 37: $(cat "$tool_out")"

# -x: failed execs only, the 7 and nothing that succeeded.
run -x -c "$comm" -T
contains "$(cat "$tool_out")" "Tracing failed exec() calls" "-x header"
contains "$(cat "$tool_out")" "TIME     PCOMM" "-T column"
n=$(awk 'f { n++ } /PCOMM/ { f = 1 } END { print n + 0 }' "$tool_out")
[ "$n" = 7 ] || fail "-x: $n lines, expected 7: $(cat "$tool_out")"
[ "$(tool_lines '$5 == -2 && $2 == "'"$comm"'"')" = 7 ] || fail "-x -T fields: $(cat "$tool_out")"

# -j: a JSON object per call, on stdout only.
run -j -c "$comm"
if command -v jq >/dev/null 2>&1; then
	n=$(grep '^{' "$tool_out" | jq -s '[.[] | select(.filename == "/bin/true" and
		.args == ["snoopmark", (.args[1]), "two words"] and .ret == 0)] | length')
	[ "$n" = 30 ] || fail "-j: $n execs of /bin/true: $(cat "$tool_out")"
	n=$(grep '^{' "$tool_out" | jq -s "[.[] | select(.filename == \"$missing\" and
		.ret == -2 and .pcomm == \"$comm\")] | length")
	[ "$n" = 7 ] || fail "-j: $n failed execs: $(cat "$tool_out")"
fi

# -d ends it by itself, SIGTERM too: nothing left either way.
tool_ends "PCOMM" "-c $comm" execsnoop

left=$(debris)
[ -z "$left" ] || fail "debris: $left"
left=$(snoop_progs)
[ -z "$left" ] || fail "BPF programs left: $left"
state_empty
