# The setup file's export line (man ftrig-setup.5): plan changes nothing (byte for byte),
# apply records the exports, serve then exports what the lines declare (every aggregation
# on the event, another ledger's too, each with its line's series limit) and nothing else,
# diff and save see the lines, teardown drops the records; bad export lines are refused
# naming the line, with nothing changed. serve --attach INSTANCE/SYSTEM:EVENT is checked
# for its errors here (the host has no hist triggers in instances; the VM serves one).
. "$FTRIG_TESTS/lib.sh"
if [ "$FTRIG_TIER" = vm ]; then
	echo "host tier only: the VM has no curl; tests/vm/79-serve-hist.sh serves an export there"
	exit 0
fi
need_root
need_tracefs
need_bpf
command -v curl >/dev/null 2>&1 || skip "needs curl (Debian package curl)"
private_state
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-export.XXXXXX")
other=$(mktemp -d "${TMPDIR:-/tmp}/ftrig-state.XXXXXX")
N=ex$$
C=ew$$
W=$FTRIG_HELPERS/workload
# sysfs(2), which nothing else calls, so the per-process keys are the workload's.
G=syscalls:sys_enter_sysfs
R=syscalls:sys_enter_read
srv_pid=
cleanup() {
	[ -z "$srv_pid" ] || kill "$srv_pid" 2>/dev/null
	"$FTRIG" teardown "$tmp/fleet.ftrig" >/dev/null 2>&1
	FTRIG_STATE_DIR=$other "$FTRIG" hist rm $G --name ${N}x >/dev/null 2>&1
	rm -rf "$tmp" "$other" "$FTRIG_STATE_DIR"
}
trap cleanup EXIT

cat >"$tmp/fleet.ftrig" <<EOT
hist start $G --key common_pid.execname --name ${N}a --backend bpf
hist start $R --key comm --name ${N}r --backend bpf
export $G --limit 1
EOT

# plan is a dry run: nothing changes, the state directory included.
before=$(dry_snap "" "syscalls/sys_enter_sysfs" "ftrig[-_][0-9]" "$N")
expect_exit 0 "$FTRIG" plan "$tmp/fleet.ftrig"
contains "$out" "fleet.ftrig:3: export $G --limit 1" "plan names the export line"
same_dry "$before" "plan of an export line" "" "syscalls/sys_enter_sysfs" "ftrig[-_][0-9]" "$N"

expect_exit 0 "$FTRIG" apply "$tmp/fleet.ftrig"
contains "$out" "exporting $G (top level) to ftrig serve" "apply says what it exports"
(FTRIG_STATE_DIR=$other && export FTRIG_STATE_DIR &&
	"$FTRIG" hist start $G --key common_pid --name ${N}x --backend bpf >/dev/null) ||
	fail "hist start through another state directory"
"$W" --comm "$C" --syscall 139:1234 >/dev/null
"$W" --comm "$C" --syscall 139:10 >/dev/null
"$W" --comm "$C" --read 3:100 >/dev/null

serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0
curl -sf "$url" >"$tmp/m" || fail "GET $url failed: $(cat "$tmp/serve.out")"
m=$(cat "$tmp/m")
# --limit 1: the larger key has its series, the other is summed into 'other'.
grep -q "^ftrig_syscalls_sys_enter_sysfs_events_total{agg=\"${N}a\",backend=\"bpf\",common_pid=\"[0-9]*\",comm=\"$C\"} 1234$" "$tmp/m" ||
	fail "no exact 1234 for ${N}a: $(grep "${N}a" "$tmp/m")"
contains "$m" "ftrig_syscalls_sys_enter_sysfs_events_total{agg=\"${N}a\",backend=\"bpf\",ftrig_other=\"true\"} 10" "the limit of the export line"
[ "$(grep -c "^ftrig_syscalls_sys_enter_sysfs_events_total{agg=\"${N}a\"" "$tmp/m")" = 2 ] ||
	fail "--limit 1 gave other than one series and 'other': $(grep "${N}a" "$tmp/m")"
# Every aggregation on the exported event, whoever made it.
contains "$m" "agg=\"${N}x\"" "an aggregation of another ledger on the exported event"
# Only what the file declares: its other aggregation is not exported.
case $m in *"agg=\"${N}r\""*) fail "exported ${N}r, which no export line names" ;; esac
# --attach still says what is exported, over the ledger's exports.
kill "$srv_pid"
wait "$srv_pid"
serve_start "$tmp/serve.out" serve --listen 127.0.0.1:0 --attach $R
curl -sf "$url" >"$tmp/m2" || fail "GET $url failed"
contains "$(cat "$tmp/m2")" "agg=\"${N}r\"" "--attach over the exports"
case $(cat "$tmp/m2") in *"agg=\"${N}a\""*) fail "--attach $R exported ${N}a" ;; esac
kill "$srv_pid"
wait "$srv_pid"
srv_pid=

expect_exit 0 "$FTRIG" diff "$tmp/fleet.ftrig"
contains "$out" "the kernel matches" "diff after apply"
expect_exit 0 "$FTRIG" save "$tmp/saved.ftrig"
grep -qx "export $G --limit 1" "$tmp/saved.ftrig" ||
	fail "save does not write the export line: $(cat "$tmp/saved.ftrig")"
expect_exit 0 "$FTRIG" teardown "$tmp/fleet.ftrig"
contains "$out" "removed export of $G (top level) to ftrig serve, at most 1 series" "teardown"
state_empty

# Bad export lines: the file is refused at its line, nothing changes.
before=$(dry_snap "" "syscalls/sys_enter_sysfs" "ftrig[-_][0-9]" "$N")
bad() {
	printf 'hist start %s --key common_pid --name %sb --backend bpf\n%s\n' $G $N "$1" \
		>"$tmp/bad.ftrig"
	expect_exit 1 "$FTRIG" apply "$tmp/bad.ftrig"
	contains "$out" "bad.ftrig:2: $2" "export line '$1'"
	same_dry "$before" "the refused line '$1'" "" "syscalls/sys_enter_sysfs" "ftrig[-_][0-9]" "$N"
}
bad "export" "export needs the event"
bad "export nosuch:event" "no event nosuch:event to export"
bad "export $G --limit x" "--limit takes a number of series"
bad "export $G --limit -3" "--limit takes a number of series"
bad "export $G $R" "export takes one SYSTEM:EVENT"
bad "export inst/$G" "export takes SYSTEM:EVENT"
bad "export $G --every 5" "export takes --instance NAME and --limit N, not '--every'"
bad "export $G --instance ../x" "--instance"
bad "export $G --limit" "--limit needs a value"

# serve --attach with an instance: a usage error, or no such instance.
expect_exit 2 "$FTRIG" serve --attach a/b/c:d
contains "$out" "INSTANCE/SYSTEM:EVENT" "--attach with two slashes"
expect_exit 2 "$FTRIG" serve --attach ..//sched:sched_switch
expect_exit 1 "$FTRIG" serve --attach nosuch$N/sched:sched_switch
contains "$out" "no instance nosuch$N" "--attach in a missing instance"
exit 0
